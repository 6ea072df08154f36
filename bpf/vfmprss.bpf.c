// SPDX-License-Identifier: GPL-2.0
/*
 * vfmprss: the RSS receive hot path of vfmp netdevs, per queue.
 * tp_btf/napi_gro_receive_entry sees every frame handed to GRO with the
 * queue the device steered it to and the RSS hash it carries;
 * fentry/fexit on the driver's vfmp_poll() see every NAPI poll of every
 * queue (XDP verdicts included): work against budget, time, CPU.  The
 * poll programs need vfmp.ko's BTF (made by `make`); without it the tool
 * runs with the GRO view only.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "../tools/vfmprss.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, VFMPRSS_MAX_DEVS);
	__type(key, unsigned int);	/* ifindex to watch ... */
	__type(value, unsigned int);	/* ... in this netns (inode) */
} targets SEC(".maps");

/* ifindex is per network namespace: match both */
static __always_inline bool watched(const struct net_device *dev)
{
	unsigned int ifindex = BPF_CORE_READ(dev, ifindex);
	unsigned int *ns = bpf_map_lookup_elem(&targets, &ifindex);

	return ns && *ns == BPF_CORE_READ(dev, nd_net.net, ns.inum);
}

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, VFMPRSS_MAX_DEVS * VFMPRSS_MAX_QUEUES);
	__type(key, struct vfmprss_qkey);
	__type(value, struct vfmprss_qval);
} queues SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, VFMPRSS_MAX_DEVS * VFMPRSS_BUCKETS);
	__type(key, struct vfmprss_bkey);
	__type(value, unsigned long long);
} buckets SEC(".maps");

/* start of the NAPI poll running on each CPU */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, unsigned int);
	__type(value, unsigned long long);
} poll_start SEC(".maps");

/* The driver's queue pair, relocated against vfmp.ko's BTF (CO-RE). */
struct vfmp_qp {
	u16 qid;
	struct napi_struct napi;
} __attribute__((preserve_access_index));

static __always_inline struct vfmprss_qval *qval(struct vfmprss_qkey *k)
{
	static const struct vfmprss_qval zero;
	struct vfmprss_qval *v = bpf_map_lookup_elem(&queues, k);

	if (v)
		return v;
	bpf_map_update_elem(&queues, k, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&queues, k);
}

SEC("tp_btf/napi_gro_receive_entry")
int BPF_PROG(gro_entry, const struct sk_buff *skb)
{
	struct vfmprss_qkey qk = {};
	struct vfmprss_bkey bk = {};
	struct vfmprss_qval *v;
	unsigned long long *b, one = 1;
	u32 hash;

	if (!watched(BPF_CORE_READ(skb, dev)))
		return 0;
	qk.ifindex = BPF_CORE_READ(skb, dev, ifindex);
	/* skb_record_rx_queue() stores queue + 1 */
	qk.queue = BPF_CORE_READ(skb, queue_mapping);
	qk.queue = qk.queue ? qk.queue - 1 : 0;
	hash = BPF_CORE_READ(skb, hash);
	v = qval(&qk);
	if (v) {
		__sync_fetch_and_add(&v->packets, 1);
		__sync_fetch_and_add(&v->bytes, BPF_CORE_READ(skb, len));
		if (BPF_CORE_READ_BITFIELD_PROBED(skb, l4_hash))
			__sync_fetch_and_add(&v->l4_hashed, 1);
		__sync_fetch_and_or(&v->cpus, 1ULL << (bpf_get_smp_processor_id() & 63));
	}
	bk.ifindex = qk.ifindex;
	bk.bucket = hash % VFMPRSS_BUCKETS;
	b = bpf_map_lookup_elem(&buckets, &bk);
	if (b)
		__sync_fetch_and_add(b, 1);
	else
		bpf_map_update_elem(&buckets, &bk, &one, BPF_NOEXIST);

	return 0;
}

SEC("fentry/vfmp_poll")
int BPF_PROG(poll_entry, struct napi_struct *napi, int budget)
{
	unsigned int zero = 0;
	unsigned long long *t = bpf_map_lookup_elem(&poll_start, &zero);

	if (t)
		*t = bpf_ktime_get_ns();
	return 0;
}

SEC("fexit/vfmp_poll")
int BPF_PROG(poll_exit, struct napi_struct *napi, int budget, int work)
{
	struct vfmp_qp *qp = (void *)napi -
			     bpf_core_field_offset(struct vfmp_qp, napi);
	unsigned int zero = 0;
	unsigned long long *t = bpf_map_lookup_elem(&poll_start, &zero);
	struct vfmprss_qkey qk;
	struct vfmprss_qval *v;

	if (!watched(BPF_CORE_READ(napi, dev)))
		return 0;
	qk.ifindex = BPF_CORE_READ(napi, dev, ifindex);
	qk.queue = BPF_CORE_READ(qp, qid);
	v = qval(&qk);
	if (!v)
		return 0;
	__sync_fetch_and_add(&v->polls, 1);
	__sync_fetch_and_add(&v->work, work);
	if (work >= budget)
		__sync_fetch_and_add(&v->full, 1);
	if (t && *t)
		__sync_fetch_and_add(&v->poll_ns, bpf_ktime_get_ns() - *t);
	__sync_fetch_and_or(&v->cpus, 1ULL << (bpf_get_smp_processor_id() & 63));
	return 0;
}
