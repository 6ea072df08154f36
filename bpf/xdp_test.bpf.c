// SPDX-License-Identifier: GPL-2.0
/*
 * XDP test programs for vfmp (tests/vm/t/4*.sh, tests/bench/).
 *
 * All programs live in SEC("xdp") (libbpf 1.x knows no other plain XDP
 * section name); pick one by program name:
 *   ip link set dev X xdpdrv obj bpf/xdp_test.bpf.o program xdp_drop
 *   xdp-loader load -m native -n xdp_drop X bpf/xdp_test.bpf.o
 *
 *   xdp_pass       XDP_PASS everything
 *   xdp_drop       XDP_DROP everything
 *   xdp_aborted    XDP_ABORTED everything (fires xdp:xdp_exception)
 *   xdp_meta       bpf_xdp_adjust_meta(-4), store a tag there, XDP_PASS;
 *                  XDP_DROP if the driver does not support metadata
 *   xdp_tx_echo    ICMP echo request -> echo reply, MACs swapped, XDP_TX;
 *                  everything else XDP_PASS (so ARP still works)
 *   xdp_redir_echo ICMP echo request -> echo reply with
 *                  dmac = original smac, smac = redir_cfg[0].smac,
 *                  sent with bpf_redirect_map(&tx_port, 0); else XDP_PASS
 *
 * act_cnt counts the verdicts per action (index = XDP_* value).
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

/* <linux/icmp.h> drags in libc headers: the few bits needed here */
#define ICMP_ECHOREPLY	0
#define ICMP_ECHO	8
struct icmphdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	__be32 un;
};

struct redir_cfg {
	__u8 smac[ETH_ALEN];
	__u8 pad[2];
};

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} tx_port SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct redir_cfg);
} redir_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 5);
	__type(key, __u32);
	__type(value, __u64);
} act_cnt SEC(".maps");

static __always_inline int count(int act)
{
	__u32 k = act;
	__u64 *v = bpf_map_lookup_elem(&act_cnt, &k);

	if (v)
		(*v)++;
	return act;
}

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	return count(XDP_PASS);
}

SEC("xdp")
int xdp_drop(struct xdp_md *ctx)
{
	return count(XDP_DROP);
}

SEC("xdp")
int xdp_aborted(struct xdp_md *ctx)
{
	return count(XDP_ABORTED);
}

SEC("xdp")
int xdp_meta(struct xdp_md *ctx)
{
	__u32 *meta;

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*meta)))
		return count(XDP_DROP);
	meta = (void *)(long)ctx->data_meta;
	if ((void *)(meta + 1) > (void *)(long)ctx->data)
		return count(XDP_DROP);
	*meta = 0x76666d70;
	return count(XDP_PASS);
}

/* RFC 1624 incremental update of a 16-bit one's complement checksum */
static __always_inline __u16 csum_replace2(__u16 csum, __u16 old, __u16 new)
{
	__u32 s = (__u16)~csum + (__u16)~old + new;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return ~s;
}

/* Turn an IPv4 ICMP echo request into its reply in place; 0 if not one. */
static __always_inline int echo_to_reply(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct icmphdr *icmp;
	struct iphdr *ip;
	__u8 mac[ETH_ALEN];
	__u32 addr;
	__u16 old;

	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP))
		return 0;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || ip->ihl != 5 ||
	    ip->protocol != IPPROTO_ICMP)
		return 0;
	icmp = (void *)(ip + 1);
	if ((void *)(icmp + 1) > end || icmp->type != ICMP_ECHO ||
	    icmp->code != 0)
		return 0;
	/* addresses swap: the IP header checksum is unchanged */
	addr = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = addr;
	old = *(__u16 *)icmp;
	icmp->type = ICMP_ECHOREPLY;
	icmp->checksum = csum_replace2(icmp->checksum, old, *(__u16 *)icmp);
	__builtin_memcpy(mac, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, mac, ETH_ALEN);
	return 1;
}

SEC("xdp")
int xdp_tx_echo(struct xdp_md *ctx)
{
	if (!echo_to_reply(ctx))
		return count(XDP_PASS);
	return count(XDP_TX);
}

SEC("xdp")
int xdp_redir_echo(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct redir_cfg *cfg;
	__u32 k = 0;

	if (!echo_to_reply(ctx))
		return count(XDP_PASS);
	cfg = bpf_map_lookup_elem(&redir_cfg, &k);
	if ((void *)(eth + 1) > end || !cfg)
		return count(XDP_ABORTED);
	/* the reply leaves through another function: its MAC (spoof check) */
	__builtin_memcpy(eth->h_source, cfg->smac, ETH_ALEN);
	return count(bpf_redirect_map(&tx_port, 0, XDP_ABORTED));
}

char _license[] SEC("license") = "GPL";
