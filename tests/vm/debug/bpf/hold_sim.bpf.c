// SPDX-License-Identifier: GPL-2.0
/*
 * hold_sim.bpf.c - for the debug tests only: holds a write to the
 * vfmp_sim bus's new_device or del_device at a chosen point, so that
 * `rmmod vfmp_sim` runs while the write is in flight.  Only a task whose
 * name says where is held:
 *   vfhold_write  as sysfs hands the write to the bus attribute
 *                 (sysfs_kf_write): in flight, before the bus's lock
 *   vfhold_add    new_device with its adapter listed, before its PF is
 *                 added (device_add)
 *   vfhold_del    del_device with its adapter unlisted, as its PF is
 *                 removed (device_del)
 *   vfhold_rmmod  module exit, as it removes an adapter's PF (device_del),
 *                 for a shorter while
 * Only vmlinux functions are traced: a trampoline on a vfmp_sim function
 * would take a reference on the module, and rmmod would refuse.
 */
#include "hold.h"

char LICENSE[] SEC("license") = "GPL";

#define HOLD_NS 20000000000ULL
#define HOLD_EXIT_NS 6000000000ULL

static __always_inline int comm_is(const char *want, int len)
{
	char comm[16] = {};
	int i;

	bpf_get_current_comm(comm, sizeof(comm));
	for (i = 0; i < len; i++)
		if (comm[i] != want[i])
			return 0;
	return 1;
}

SEC("fentry/sysfs_kf_write")
int hold_write(unsigned long long *ctx)
{
	if (comm_is("vfhold_write", 13))
		hold(HOLD_NS);
	return 0;
}

SEC("fentry/device_add")
int hold_add(unsigned long long *ctx)
{
	if (comm_is("vfhold_add", 11))
		hold(HOLD_NS);
	return 0;
}

SEC("fentry/device_del")
int hold_del(unsigned long long *ctx)
{
	if (comm_is("vfhold_del", 11))
		hold(HOLD_NS);
	else if (comm_is("vfhold_rmmod", 13))
		hold(HOLD_EXIT_NS);
	return 0;
}
