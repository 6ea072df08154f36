// SPDX-License-Identifier: GPL-2.0
/*
 * hold.bpf.c - for the debug tests only: holds the caller of
 * vfmp_dp_open() for hold_ns before the datapath restarts, so the window
 * between a reconfiguration's teardown and its restart stays open long
 * enough for the stack to try to transmit in it.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "GPL";

const volatile unsigned long long hold_ns = 200000000ULL;
unsigned long long held;

static long until(unsigned int i, void *end)
{
	return bpf_ktime_get_ns() >= *(unsigned long long *)end;
}

static void hold(unsigned long long ns)
{
	unsigned long long end = bpf_ktime_get_ns() + ns;

	bpf_loop(1 << 23, until, &end, 0);
	__sync_fetch_and_add(&held, 1);
}

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
