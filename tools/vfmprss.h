/* SPDX-License-Identifier: GPL-2.0 */
/* vfmprss: maps shared by vfmprss.bpf.c and vfmprss.c */
#ifndef __VFMPRSS_H
#define __VFMPRSS_H

#define VFMPRSS_MAX_DEVS	16
#define VFMPRSS_MAX_QUEUES	16
#define VFMPRSS_BUCKETS		128	/* the device's indirection table */

struct vfmprss_qkey {
	unsigned int ifindex;
	unsigned int queue;
};

struct vfmprss_qval {
	unsigned long long packets;
	unsigned long long bytes;
	unsigned long long l4_hashed;	/* skb hash covers the ports */
	unsigned long long polls;	/* NAPI polls of this queue */
	unsigned long long work;	/* packets those polls handled */
	unsigned long long full;	/* polls that used the whole budget */
	unsigned long long poll_ns;	/* time spent in those polls */
	unsigned long long cpus;	/* bitmask of CPUs the queue ran on */
};

struct vfmprss_bkey {
	unsigned int ifindex;
	unsigned int bucket;		/* hash % VFMPRSS_BUCKETS */
};

#endif /* __VFMPRSS_H */
