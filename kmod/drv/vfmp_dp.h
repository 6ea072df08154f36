/* SPDX-License-Identifier: GPL-2.0 */
/* vfmp datapath: queue pairs, NAPI, page_pool, XDP. */
#ifndef _VFMP_DP_H
#define _VFMP_DP_H

#include <linux/netdevice.h>
#include <linux/u64_stats_sync.h>
#include <net/xdp.h>

#include "vfmp_sim_hw.h"

struct vfmp_adapter;
struct page_pool;

enum vfmp_tx_type {
	VFMP_TX_NONE = 0,
	VFMP_TX_SKB,
	VFMP_TX_XDPF,
};

struct vfmp_tx_buf {
	void *obj;		/* sk_buff or xdp_frame */
	u32 len;
	u8 type;
};

/* software counters of one queue pair (ethtool -S rx_queue_N_*, ...) */
struct vfmp_qcnt {
	u64 rx_packets, rx_bytes, rx_drops, rx_len_errors;
	u64 xdp_pass, xdp_drop, xdp_tx, xdp_redirect, xdp_aborted;
	u64 tx_packets, tx_bytes, tx_drops, tx_busy, tx_xdp;
};

struct vfmp_qstats {
	struct vfmp_qcnt c;
	struct u64_stats_sync sync;
};

struct vfmp_qp {
	struct vfmp_adapter *ad;
	struct net_device *nd;
	u16 qid;
	struct napi_struct napi;

	/* rx */
	struct vfmp_sim_rx_desc *rx;
	struct page **rx_pages;
	u16 rx_size;
	u16 rx_prod;		/* free running */
	u16 rx_cons;
	struct page_pool *pp;
	struct xdp_rxq_info xdp_rxq;

	/* tx: producers hold the netdev tx queue lock */
	struct vfmp_sim_tx_desc *tx;
	struct vfmp_tx_buf *tx_bufs;
	u16 tx_size;
	u16 tx_prod;
	u16 tx_cons;
	/*
	 * The stack may transmit here.  Cleared first when the pair goes
	 * down, so a completion (XDP_TX in NAPI, ndo_xdp_xmit, ndo_start_xmit)
	 * no longer wakes a queue whose rings are about to be freed.
	 */
	bool tx_live;

	struct vfmp_qstats rxs;	/* written by NAPI */
	struct vfmp_qstats txs;	/* written under the tx queue lock */
};

#define VFMP_RX_HEADROOM	XDP_PACKET_HEADROOM

int vfmp_dp_init(struct vfmp_adapter *ad, u16 max_qps);
void vfmp_dp_fini(struct vfmp_adapter *ad);
int vfmp_dp_open(struct vfmp_adapter *ad);
void vfmp_dp_close(struct vfmp_adapter *ad);
netdev_tx_t vfmp_dp_xmit(struct sk_buff *skb, struct net_device *nd);
int vfmp_dp_xdp_xmit(struct net_device *nd, int n, struct xdp_frame **frames,
		     u32 flags);
int vfmp_dp_bpf(struct net_device *nd, struct netdev_bpf *bpf);
u32 vfmp_dp_rx_buf_len(const struct vfmp_adapter *ad);
u32 vfmp_dp_xdp_max_mtu(void);
void vfmp_dp_qstats(const struct vfmp_qp *qp, struct vfmp_qcnt *rx,
		    struct vfmp_qcnt *tx);

#endif /* _VFMP_DP_H */
