/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfmprss: the maps both BPF objects use (vfmprss.bpf.c creates them,
 * vfmprss_xdp.bpf.c is given their fds), and the device filter.
 */
#ifndef __VFMPRSS_MAPS_H
#define __VFMPRSS_MAPS_H

#include "../tools/vfmprss.h"

const volatile unsigned int netns_ino;	/* 0: any namespace */
const volatile unsigned int qmax = 1;	/* queue rows per slot (+1 other) */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, VFMPRSS_MAX_IFINDEX);
	__type(key, unsigned int);
	__type(value, struct vfmprss_dev);
} devmap SEC(".maps");

/* sized by user space: slots * (qmax + 1) */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, unsigned int);
	__type(value, struct vfmprss_q);
} qstats SEC(".maps");

/*
 * The device is watched (devmap) and in our namespace: its devmap entry.
 * The hot paths read ifindex directly from their BTF-typed pointer.
 */
static __always_inline struct vfmprss_dev *
watched_ifindex(unsigned int ifindex, struct net_device *dev,
		unsigned int *slot)
{
	struct vfmprss_dev *d;

	if (ifindex >= VFMPRSS_MAX_IFINDEX)
		return NULL;
	d = bpf_map_lookup_elem(&devmap, &ifindex);
	if (!d || !d->slot1)
		return NULL;
	/* the namespace check once per device, then a pointer compare */
	if (d->dev != (unsigned long long)dev) {
		if (netns_ino &&
		    BPF_CORE_READ(dev, nd_net.net, ns.inum) != netns_ino)
			return NULL;
		d->dev = (unsigned long long)dev;
	}
	*slot = d->slot1 - 1;
	return d;
}

/* the per-CPU counters of a queue of a slot (queues >= qmax: other) */
static __always_inline struct vfmprss_q *qrow(unsigned int slot,
					      unsigned int q)
{
	unsigned int idx;

	if (q > qmax)
		q = qmax;
	idx = slot * (qmax + 1) + q;
	return bpf_map_lookup_elem(&qstats, &idx);
}

#endif /* __VFMPRSS_MAPS_H */
