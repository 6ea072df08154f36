// SPDX-License-Identifier: GPL-2.0
/*
 * hold.bpf.c - for the debug tests only: holds the caller of
 * vfmp_dp_open() for hold_ns before the datapath restarts, so the window
 * between a reconfiguration's teardown and its restart stays open long
 * enough for the stack to try to transmit in it.
 */
#include "hold.h"

char LICENSE[] SEC("license") = "GPL";

const volatile unsigned long long hold_ns = 200000000ULL;

/* after the teardown, before the restart */
SEC("fentry/vfmp_dp_open")
int hold_dp_open(unsigned long long *ctx)
{
	hold(hold_ns);
	return 0;
}

/* TX queues stopped, the other queue pairs' NAPI still running */
SEC("fentry/napi_disable")
int hold_napi_disable(unsigned long long *ctx)
{
	hold(hold_ns / 4);
	return 0;
}
