/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hold.h - for the debug tests' BPF programs: keep the calling task busy
 * in the traced function for a while, so a window that is normally a few
 * instructions wide stays open long enough for another task to run in it.
 */
#ifndef VFMP_TEST_HOLD_H
#define VFMP_TEST_HOLD_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* holds begun and holds ended, read by the tests from the .bss map */
unsigned long long entered;
unsigned long long held;

static long hold_until(unsigned int i, void *end)
{
	return bpf_ktime_get_ns() >= *(unsigned long long *)end;
}

static __always_inline void hold(unsigned long long ns)
{
	unsigned long long end = bpf_ktime_get_ns() + ns;
	int i;

	__sync_fetch_and_add(&entered, 1);
	/* one bpf_loop may end before @end on a fast clock: up to 256 of them */
	for (i = 0; i < 256 && bpf_ktime_get_ns() < end; i++)
		bpf_loop(1 << 23, hold_until, &end, 0);
	__sync_fetch_and_add(&held, 1);
}

#endif
