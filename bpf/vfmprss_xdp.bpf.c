// SPDX-License-Identifier: GPL-2.0
/*
 * vfmprss: XDP verdicts per receive queue, on any driver.  One copy of
 * this program is loaded per XDP program found on a watched device and
 * attached as fexit to it (user space names the target before load), so
 * it sees each frame's xdp_buff (its rxq: device and queue) and the
 * verdict.  devmap and qstats are the main object's maps, shared by fd.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "vfmprss_maps.h"

char LICENSE[] SEC("license") = "GPL";

SEC("fexit/xdp")
int BPF_PROG(xdp_verdict, struct xdp_buff *xdp, int ret)
{
	struct xdp_rxq_info *rxq = BPF_CORE_READ(xdp, rxq);
	struct net_device *dev = BPF_CORE_READ(rxq, dev);
	unsigned int slot;
	struct vfmprss_q *v;

	if (!watched_ifindex(BPF_CORE_READ(dev, ifindex), dev, &slot))
		return 0;
	v = qrow(slot, BPF_CORE_READ(rxq, queue_index));
	if (v && (unsigned int)ret < VFMPRSS_XDP_ACTIONS)
		v->xdp[ret]++;
	return 0;
}
