// SPDX-License-Identifier: GPL-2.0
/*
 * vfmprss: the receive queues of any netdev, per queue, from generic
 * kernel hooks only (nothing here names a driver, nothing pins a module):
 *
 *  - the net:*_entry receive tracepoints see each frame a driver hands to
 *    the stack, with the queue it came in on (skb_record_rx_queue), the
 *    device's RSS hash and whether the hash covered the ports;
 *  - the napi:napi_poll tracepoint sees every NAPI poll end with its work
 *    and budget; the queue of an instance is learned from the frames its
 *    polls hand up; with -P, fentry on __napi_poll sees its start (so its
 *    time: a trampoline per poll, hence opt-in);
 *  - net:net_dev_start_xmit sees each frame queued for transmission.
 *
 * Hot path: one array lookup decides whether the device is watched
 * (devmap, indexed by ifindex), counters live in per-CPU arrays indexed by
 * the device's slot and the queue, and nothing is atomic.  The device's
 * indirection table is copied into table[] by user space each interval, so
 * each frame is checked against table[hash % size].
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "vfmprss_maps.h"

char LICENSE[] SEC("license") = "GPL";

const volatile unsigned int tmax = 1;	/* table entries per slot */

/* sized by user space: slots * tmax; frames per indirection bucket */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, unsigned int);
	__type(value, unsigned long long);
} buckets SEC(".maps");

/* sized by user space: slots * tmax; the device's table, queue per entry */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, unsigned int);
	__type(value, unsigned int);
} table SEC(".maps");

/*
 * napi_id -> queue, learned from the frames a poll hands up.  NAPI ids are
 * handed out in sequence, so an array indexed by the id's low bits, tagged
 * with the whole id, is a direct lookup where a hash map would cost a hash
 * and a bucket walk on every poll of every NAPI instance in the system.
 * User space maps it to see which queues are known (then it turns the
 * learning off: frames stop noting their queue) and to forget a device's
 * instances when polls it cannot place appear (new instances).
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, VFMPRSS_NAPI_SLOTS);
	__type(key, unsigned int);
	__type(value, struct vfmprss_napiq);
} napi_queue SEC(".maps");

/* per CPU: what the frames handed up since the last poll end came from */
struct pollctx {
	unsigned long long start;	/* ns; 0: not in __napi_poll (-P) */
	unsigned int slot1;		/* slot + 1 of the last frame; 0: none */
	unsigned int queue;		/* its queue */
	unsigned int gen;		/* the learning generation it was noted in */
};

const volatile bool poll_time;		/* -P: poll_begin is attached */

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, unsigned int);
	__type(value, struct pollctx);
} pollctx SEC(".maps");

/* NAPI: the frame is handed up from a NAPI poll, so it names its queue */
static __always_inline int rx(struct sk_buff *skb, bool napi)
{
	unsigned int slot, q, hash, len, zero = 0;
	struct vfmprss_dev *d;
	struct vfmprss_q *v;
	struct pollctx *pc;
	unsigned short mac;
	long data;

	d = watched_ifindex(skb->dev->ifindex, skb->dev, &slot);
	if (!d)
		return 0;
	/* skb_record_rx_queue() stores queue + 1; 0: not recorded */
	q = skb->queue_mapping;
	q = q ? q - 1 : 0;
	if (q >= qmax)
		q = qmax;
	v = qrow(slot, q);
	if (!v)
		return 0;
	v->rx_packets++;
	/* the driver already pulled the MAC header: count it back */
	len = skb->len;
	mac = skb->mac_header;
	data = skb->data - skb->head;
	if (mac != (unsigned short)~0U && data > mac && data - mac < 256)
		len += data - mac;
	v->rx_bytes += len;
	if (BPF_CORE_READ_BITFIELD(skb, l4_hash))
		v->rx_l4++;
	hash = skb->hash;
	if (hash && d->table_size && d->table_size <= tmax) {
		unsigned int b = slot * tmax + hash % d->table_size;
		unsigned long long *n = bpf_map_lookup_elem(&buckets, &b);
		unsigned int *t = bpf_map_lookup_elem(&table, &b);

		if (n)
			(*n)++;
		if (t) {
			if (*t == q)
				v->rx_match++;
			else
				v->rx_nomatch++;
		}
	}
	/* only while some NAPI instance of the device is not placed yet */
	if (!napi || !d->learn)
		return 0;
	pc = bpf_map_lookup_elem(&pollctx, &zero);
	if (pc) {
		pc->slot1 = slot + 1;
		pc->queue = q;
		pc->gen = d->learn;
	}
	return 0;
}

SEC("tp_btf/napi_gro_receive_entry")
int BPF_PROG(gro_receive, struct sk_buff *skb)
{
	return rx(skb, true);
}

SEC("tp_btf/napi_gro_frags_entry")
int BPF_PROG(gro_frags, struct sk_buff *skb)
{
	return rx(skb, true);
}

SEC("tp_btf/netif_receive_skb_entry")
int BPF_PROG(receive_skb, struct sk_buff *skb)
{
	return rx(skb, true);
}

SEC("tp_btf/netif_receive_skb_list_entry")
int BPF_PROG(receive_skb_list, struct sk_buff *skb)
{
	return rx(skb, true);
}

SEC("tp_btf/netif_rx_entry")
int BPF_PROG(netif_rx, struct sk_buff *skb)
{
	return rx(skb, false);
}

/* --gro: frames as the stack sees them after GRO merged them */
SEC("tp_btf/netif_receive_skb")
int BPF_PROG(after_gro, struct sk_buff *skb)
{
	unsigned int slot, q;
	struct vfmprss_q *v;

	if (!watched_ifindex(skb->dev->ifindex, skb->dev, &slot))
		return 0;
	q = skb->queue_mapping;
	v = qrow(slot, q ? q - 1 : 0);
	if (v)
		v->rx_gro++;
	return 0;
}

SEC("fentry/__napi_poll")
int BPF_PROG(poll_begin, struct napi_struct *n, bool *repoll)
{
	unsigned int zero = 0;
	struct pollctx *pc = bpf_map_lookup_elem(&pollctx, &zero);

	if (pc) {
		pc->start = bpf_ktime_get_ns();
		pc->slot1 = 0;
	}
	return 0;
}

/*
 * The end of every NAPI poll: work against budget (and time, with -P).
 * Frames of this device handed up on this CPU since the last poll end
 * came from this poll (a NAPI poll runs on one CPU to its end), so they
 * name its queue.
 */
SEC("tp_btf/napi_poll")
int BPF_PROG(napi_poll, struct napi_struct *n, int work, int budget)
{
	unsigned int zero = 0, slot, id, q = qmax, slot1 = 0, fq = 0, gen = 0;
	unsigned long long start = 0;
	struct vfmprss_napiq *nq;
	struct vfmprss_dev *d;
	struct pollctx *pc;
	struct vfmprss_q *v;

	d = watched_ifindex(n->dev->ifindex, n->dev, &slot);
	if (!d)
		return 0;
	if (poll_time || d->learn) {
		pc = bpf_map_lookup_elem(&pollctx, &zero);
		if (pc) {
			start = pc->start;
			slot1 = pc->slot1;
			fq = pc->queue;
			gen = pc->gen;
			pc->start = 0;
			pc->slot1 = 0;
		}
	}
	id = n->napi_id;
	/* a frame noted in this learning generation, of this device */
	if (slot1 == slot + 1 && gen && gen == d->learn)
		q = fq;
	else
		slot1 = 0;
	/* id 0: an instance outside the NAPI hash, nothing to remember */
	nq = id ? bpf_map_lookup_elem(&napi_queue, &(unsigned int){ id % VFMPRSS_NAPI_SLOTS }) : NULL;
	if (nq) {
		if (slot1) {
			if (nq->id != id || nq->queue != fq || nq->slot1 != slot1) {
				nq->queue = fq;
				nq->slot1 = slot1;
				nq->id = id;
			}
		} else if (nq->id == id && nq->slot1 == slot + 1) {
			q = nq->queue;
		}
	}
	v = qrow(slot, q);
	if (!v)
		return 0;
	v->polls++;
	v->poll_work += work;
	if (work >= budget)
		v->poll_full++;
	if (start)
		v->poll_ns += bpf_ktime_get_ns() - start;
	return 0;
}

SEC("tp_btf/net_dev_start_xmit")
int BPF_PROG(xmit, struct sk_buff *skb, struct net_device *dev)
{
	unsigned int slot;
	struct vfmprss_q *v;

	if (!watched_ifindex(dev->ifindex, dev, &slot))
		return 0;
	v = qrow(slot, skb->queue_mapping);
	if (v) {
		v->tx_packets++;
		v->tx_bytes += skb->len;
	}
	return 0;
}
