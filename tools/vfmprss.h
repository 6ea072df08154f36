/* SPDX-License-Identifier: GPL-2.0 */
/* vfmprss: the maps shared by bpf/vfmprss*.bpf.c and tools/vfmprss.c */
#ifndef __VFMPRSS_H
#define __VFMPRSS_H

#define VFMPRSS_MAX_IFINDEX	4096	/* devmap is indexed by ifindex */
#define VFMPRSS_MAX_SLOTS	64	/* devices watched at once */
#define VFMPRSS_MAX_QUEUES	1024	/* per device and direction */
#define VFMPRSS_MAX_TABLE	4096	/* indirection table entries */

/* devmap[ifindex]: is the device watched, and its table size */
struct vfmprss_dev {
	unsigned int slot1;		/* slot + 1; 0: not watched */
	unsigned int table_size;	/* entries in table[], 0: none */
	unsigned long long dev;		/* BPF: the net_device found in our
					 * namespace with this ifindex */
	unsigned int learn;		/* 0: every RX queue's NAPI instance
					 * is known; else a generation: frames
					 * note their queue for the poll */
	unsigned int pad;
};

/* napi_queue[napi_id % VFMPRSS_NAPI_SLOTS]: the queue of a NAPI instance */
#define VFMPRSS_NAPI_SLOTS	4096
struct vfmprss_napiq {
	unsigned int id;		/* napi_id; 0: empty */
	unsigned int queue;
	unsigned int slot1;		/* the device's slot + 1 */
	unsigned int pad;		/* 16 bytes: an array's element stride */
};

/*
 * One per CPU for each (slot, queue): qstats[slot * (qmax + 1) + queue].
 * Index qmax of a slot holds what no queue can be named for (NAPI polls
 * of an instance whose queue was not learned yet, queues >= qmax).
 */
struct vfmprss_q {
	unsigned long long rx_packets;	/* frames the driver handed up */
	unsigned long long rx_bytes;	/* their L2 length */
	unsigned long long rx_l4;	/* with a hash over the ports */
	unsigned long long rx_match;	/* queue == table[hash % size] */
	unsigned long long rx_nomatch;	/* hashed, but another queue */
	unsigned long long rx_gro;	/* after GRO (--gro) */
	unsigned long long polls;	/* NAPI polls */
	unsigned long long poll_work;	/* frames those polls handled */
	unsigned long long poll_full;	/* polls that used the whole budget */
	unsigned long long poll_ns;	/* time in those polls */
	unsigned long long tx_packets;
	unsigned long long tx_bytes;
	unsigned long long xdp[5];	/* ABORTED DROP PASS TX REDIRECT */
};

#define VFMPRSS_XDP_ACTIONS 5

#endif /* __VFMPRSS_H */
