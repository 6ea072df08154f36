// SPDX-License-Identifier: GPL-2.0
/*
 * vfmp datapath.  One NAPI instance per queue pair; RX buffers are
 * page_pool pages with XDP headroom, handed to the device as write-back
 * descriptors; frames that pass XDP become skbs with build_skb and carry
 * the device's RSS hash.  TX uses BQL and stops the queue when the ring
 * is full.  XDP_TX and ndo_xdp_xmit share the stack's TX rings under the
 * netdev TX queue lock.
 */
#include <linux/bpf.h>
#include <linux/bpf_trace.h>
#include <linux/etherdevice.h>
#include <linux/filter.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/slab.h>
#include <net/xdp.h>

#include "vfmp.h"
#include "vfmp_dp.h"

#define VFMP_SHINFO	SKB_DATA_ALIGN(sizeof(struct skb_shared_info))
#define VFMP_NAPI_BUDGET	64

static u32 vfmp_frame_max(u32 mtu)
{
	return mtu + VLAN_ETH_HLEN;
}

static unsigned int vfmp_rx_order(u32 mtu)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) - VFMP_RX_HEADROOM - VFMP_SHINFO <
	       vfmp_frame_max(mtu))
		order++;
	return order;
}

u32 vfmp_dp_xdp_max_mtu(void)
{
	return PAGE_SIZE - VFMP_RX_HEADROOM - VFMP_SHINFO - VLAN_ETH_HLEN;
}

u32 vfmp_dp_rx_buf_len(const struct vfmp_adapter *ad)
{
	return (PAGE_SIZE << ad->rx_order) - VFMP_RX_HEADROOM - VFMP_SHINFO;
}

void vfmp_dp_qstats(const struct vfmp_qp *qp, struct vfmp_qcnt *rx,
		    struct vfmp_qcnt *tx)
{
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&qp->rxs.sync);
		*rx = qp->rxs.c;
	} while (u64_stats_fetch_retry(&qp->rxs.sync, start));
	do {
		start = u64_stats_fetch_begin(&qp->txs.sync);
		*tx = qp->txs.c;
	} while (u64_stats_fetch_retry(&qp->txs.sync, start));
}

/* ---- TX ------------------------------------------------------------- */

static u16 vfmp_tx_free(const struct vfmp_qp *qp)
{
	return qp->tx_size - (u16)(qp->tx_prod - READ_ONCE(qp->tx_cons));
}

/* Caller holds the TX queue lock. */
static void vfmp_tx_post(struct vfmp_qp *qp, void *obj, u8 type,
			 void *data, u32 len)
{
	u16 i = qp->tx_prod & (qp->tx_size - 1);
	struct vfmp_sim_tx_desc *d = &qp->tx[i];

	qp->tx_bufs[i].obj = obj;
	qp->tx_bufs[i].type = type;
	qp->tx_bufs[i].len = len;
	d->addr = (u64)(uintptr_t)data;
	d->len = len;
	d->status = 0;
	qp->tx_prod++;
}

/*
 * Reclaim what the device has sent.  The device completes a TX doorbell
 * before it returns, so every producer reclaims right after its kick;
 * the caller holds the TX queue lock (or the queue is stopped for good).
 * @napi_budget: 0 outside NAPI.
 */
static void vfmp_clean_tx(struct vfmp_qp *qp, int napi_budget)
{
	struct netdev_queue *txq = netdev_get_tx_queue(qp->nd, qp->qid);
	unsigned int pkts = 0, bytes = 0, skb_pkts = 0, skb_bytes = 0;

	while (qp->tx_cons != qp->tx_prod) {
		u16 i = qp->tx_cons & (qp->tx_size - 1);
		struct vfmp_tx_buf *b = &qp->tx_bufs[i];

		/* pairs with the device's release of DD after it sent */
		if (!(smp_load_acquire(&qp->tx[i].status) & VFMP_SIM_DESC_DD))
			break;
		if (b->type == VFMP_TX_SKB) {
			skb_pkts++;
			skb_bytes += b->len;
			napi_consume_skb(b->obj, napi_budget);
		} else if (b->type == VFMP_TX_XDPF) {
			xdp_return_frame(b->obj);
		}
		pkts++;
		bytes += b->len;
		b->obj = NULL;
		b->type = VFMP_TX_NONE;
		qp->tx_cons++;
	}
	if (!pkts)
		return;
	u64_stats_update_begin(&qp->txs.sync);
	qp->txs.c.tx_packets += pkts;
	qp->txs.c.tx_bytes += bytes;
	u64_stats_update_end(&qp->txs.sync);
	if (skb_pkts)
		netdev_tx_completed_queue(txq, skb_pkts, skb_bytes);
	/*
	 * The ring has room: waking is right even while the carrier is off,
	 * but not once the pair is going down.
	 */
	if (netif_tx_queue_stopped(txq) && vfmp_tx_free(qp) &&
	    READ_ONCE(qp->tx_live))
		netif_tx_wake_queue(txq);
}

netdev_tx_t vfmp_dp_xmit(struct sk_buff *skb, struct net_device *nd)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	u16 q = skb_get_queue_mapping(skb);
	struct vfmp_qp *qp = &ad->qps[q];
	struct netdev_queue *txq = netdev_get_tx_queue(nd, q);
	u32 len = skb->len;

	if (unlikely(skb_linearize(skb))) {
		u64_stats_update_begin(&qp->txs.sync);
		qp->txs.c.tx_drops++;
		u64_stats_update_end(&qp->txs.sync);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	if (unlikely(!vfmp_tx_free(qp))) {
		netif_tx_stop_queue(txq);
		u64_stats_update_begin(&qp->txs.sync);
		qp->txs.c.tx_busy++;
		u64_stats_update_end(&qp->txs.sync);
		return NETDEV_TX_BUSY;
	}
	skb_tx_timestamp(skb);
	vfmp_tx_post(qp, skb, VFMP_TX_SKB, skb->data, len);
	netdev_tx_sent_queue(txq, len);
	/* a full ring waits for the kick below, which empties it */
	if (!vfmp_tx_free(qp))
		netif_tx_stop_queue(txq);
	if (!netdev_xmit_more() || netif_xmit_stopped(txq)) {
		vfmp_sim_tx_kick(ad->sdev, q, qp->tx_prod);
		vfmp_clean_tx(qp, 0);
	}
	return NETDEV_TX_OK;
}

/* Queue an XDP frame on @qp's TX ring; caller holds the TX queue lock. */
static bool vfmp_xdpf_post(struct vfmp_qp *qp, struct xdp_frame *xdpf)
{
	if (!vfmp_tx_free(qp))
		return false;
	vfmp_tx_post(qp, xdpf, VFMP_TX_XDPF, xdpf->data, xdpf->len);
	return true;
}

int vfmp_dp_xdp_xmit(struct net_device *nd, int n, struct xdp_frame **frames,
		     u32 flags)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	struct netdev_queue *txq;
	struct vfmp_qp *qp;
	int i, nq;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;
	nq = READ_ONCE(ad->nq_up);
	if (unlikely(!nq || !netif_carrier_ok(nd)))
		return -ENETDOWN;
	qp = &ad->qps[smp_processor_id() % nq];
	txq = netdev_get_tx_queue(nd, qp->qid);
	__netif_tx_lock(txq, smp_processor_id());
	for (i = 0; i < n; i++)
		if (!vfmp_xdpf_post(qp, frames[i]))
			break;
	u64_stats_update_begin(&qp->txs.sync);
	qp->txs.c.tx_xdp += i;
	qp->txs.c.tx_drops += n - i;
	u64_stats_update_end(&qp->txs.sync);
	vfmp_sim_tx_kick(ad->sdev, qp->qid, qp->tx_prod);
	vfmp_clean_tx(qp, 0);
	__netif_tx_unlock(txq);
	return i;
}

/* ---- RX ------------------------------------------------------------- */

static void vfmp_rx_refill(struct vfmp_qp *qp)
{
	struct vfmp_adapter *ad = qp->ad;
	u32 buf_len = vfmp_dp_rx_buf_len(ad);
	u16 posted = 0;

	while ((u16)(qp->rx_prod - qp->rx_cons) < qp->rx_size) {
		u16 i = qp->rx_prod & (qp->rx_size - 1);
		struct vfmp_sim_rx_desc *d = &qp->rx[i];
		struct page *page = page_pool_dev_alloc_pages(qp->pp);

		if (!page)
			break;
		qp->rx_pages[i] = page;
		d->addr = (u64)(uintptr_t)(page_address(page) + VFMP_RX_HEADROOM);
		d->buf_len = buf_len;
		d->status = 0;
		qp->rx_prod++;
		posted++;
	}
	if (posted)
		vfmp_sim_rx_kick(ad->sdev, qp->qid, qp->rx_prod);
}

static enum pkt_hash_types vfmp_hash_type(u16 ht)
{
	switch (ht) {
	case VFMP_SIM_HT_TCP_IPV4:
	case VFMP_SIM_HT_UDP_IPV4:
	case VFMP_SIM_HT_TCP_IPV6:
	case VFMP_SIM_HT_UDP_IPV6:
		return PKT_HASH_TYPE_L4;
	case VFMP_SIM_HT_IPV4:
	case VFMP_SIM_HT_IPV6:
		return PKT_HASH_TYPE_L3;
	}
	return PKT_HASH_TYPE_NONE;
}

/* Run XDP; returns the action, with the buffer consumed unless XDP_PASS. */
static u32 vfmp_run_xdp(struct vfmp_qp *qp, struct bpf_prog *prog,
			struct xdp_buff *xdp, struct page *page, bool *flush)
{
	struct net_device *nd = qp->nd;
	struct netdev_queue *txq;
	struct xdp_frame *xdpf;
	u32 act;
	bool ok;

	act = bpf_prog_run_xdp(prog, xdp);
	switch (act) {
	case XDP_PASS:
		return act;
	case XDP_TX:
		xdpf = xdp_convert_buff_to_frame(xdp);
		if (unlikely(!xdpf))
			goto err;
		txq = netdev_get_tx_queue(nd, qp->qid);
		__netif_tx_lock(txq, smp_processor_id());
		ok = vfmp_xdpf_post(qp, xdpf);
		if (ok) {
			vfmp_sim_tx_kick(qp->ad->sdev, qp->qid, qp->tx_prod);
			vfmp_clean_tx(qp, 1);
		}
		__netif_tx_unlock(txq);
		if (unlikely(!ok))
			goto err;
		return act;
	case XDP_REDIRECT:
		if (unlikely(xdp_do_redirect(nd, xdp, prog)))
			goto err;
		*flush = true;
		return act;
	default:
		bpf_warn_invalid_xdp_action(nd, prog, act);
		fallthrough;
	case XDP_ABORTED:
err:
		trace_xdp_exception(nd, prog, act);
		fallthrough;
	case XDP_DROP:
		page_pool_recycle_direct(qp->pp, page);
		return act == XDP_DROP ? XDP_DROP : XDP_ABORTED;
	}
}

static int vfmp_clean_rx(struct vfmp_qp *qp, int budget)
{
	struct bpf_prog *prog = rcu_dereference(qp->ad->xdp_prog);
	u32 truesize = PAGE_SIZE << qp->ad->rx_order;
	u32 buf_len = vfmp_dp_rx_buf_len(qp->ad);
	struct vfmp_qcnt s = {};
	bool flush = false;
	int done = 0;

	while (done < budget) {
		u16 i = qp->rx_cons & (qp->rx_size - 1);
		struct vfmp_sim_rx_desc *d = &qp->rx[i];
		struct page *page;
		struct sk_buff *skb;
		struct xdp_buff xdp;
		void *va;
		u32 len;

		if (qp->rx_cons == qp->rx_prod)
			break;
		/* acquire: the frame and write-back fields are visible */
		if (!(smp_load_acquire(&d->status) & VFMP_SIM_DESC_DD))
			break;
		page = qp->rx_pages[i];
		qp->rx_pages[i] = NULL;
		qp->rx_cons++;
		done++;
		len = d->len;
		if (unlikely(!len || len > buf_len)) {
			/* the device is not trusted with our memory either */
			page_pool_recycle_direct(qp->pp, page);
			s.rx_len_errors++;
			if (net_ratelimit())
				netdev_warn(qp->nd, "queue %u: frame length %u beyond the %u-byte buffer, dropped\n",
					    qp->qid, len, buf_len);
			continue;
		}
		va = page_address(page);
		s.rx_packets++;
		s.rx_bytes += len;

		xdp_init_buff(&xdp, truesize, &qp->xdp_rxq);
		/* metadata is supported (headroom): data_meta == data unless
		 * the program moves it, so only real metadata reaches the skb
		 */
		xdp_prepare_buff(&xdp, va, VFMP_RX_HEADROOM, len, true);
		if (prog) {
			switch (vfmp_run_xdp(qp, prog, &xdp, page, &flush)) {
			case XDP_PASS:
				s.xdp_pass++;
				break;
			case XDP_TX:
				s.xdp_tx++;
				continue;
			case XDP_REDIRECT:
				s.xdp_redirect++;
				continue;
			case XDP_DROP:
				s.xdp_drop++;
				continue;
			default:
				s.xdp_aborted++;
				continue;
			}
		}
		skb = napi_build_skb(va, truesize);
		if (unlikely(!skb)) {
			page_pool_recycle_direct(qp->pp, page);
			s.rx_drops++;
			continue;
		}
		skb_mark_for_recycle(skb);
		skb_reserve(skb, xdp.data - xdp.data_hard_start);
		skb_put(skb, xdp.data_end - xdp.data);
		if (xdp.data_meta != xdp.data)
			skb_metadata_set(skb, xdp.data - xdp.data_meta);
		skb->protocol = eth_type_trans(skb, qp->nd);
		if (qp->nd->features & NETIF_F_RXHASH)
			skb_set_hash(skb, d->hash, vfmp_hash_type(d->hash_type));
		skb_record_rx_queue(skb, qp->qid);
		napi_gro_receive(&qp->napi, skb);
	}
	if (flush)
		xdp_do_flush();
	if (done)
		vfmp_rx_refill(qp);

	u64_stats_update_begin(&qp->rxs.sync);
	qp->rxs.c.rx_packets += s.rx_packets;
	qp->rxs.c.rx_bytes += s.rx_bytes;
	qp->rxs.c.rx_drops += s.rx_drops;
	qp->rxs.c.rx_len_errors += s.rx_len_errors;
	qp->rxs.c.xdp_pass += s.xdp_pass;
	qp->rxs.c.xdp_drop += s.xdp_drop;
	qp->rxs.c.xdp_tx += s.xdp_tx;
	qp->rxs.c.xdp_redirect += s.xdp_redirect;
	qp->rxs.c.xdp_aborted += s.xdp_aborted;
	u64_stats_update_end(&qp->rxs.sync);
	return done;
}

static int vfmp_poll(struct napi_struct *napi, int budget)
{
	struct vfmp_qp *qp = container_of(napi, struct vfmp_qp, napi);
	int done;

	rcu_read_lock();
	done = vfmp_clean_rx(qp, budget);
	rcu_read_unlock();
	/* no buffer posted (allocation failed): no RX interrupt would come,
	 * so stay scheduled and retry the refill
	 */
	if (unlikely(qp->rx_prod == qp->rx_cons)) {
		vfmp_rx_refill(qp);
		if (qp->rx_prod == qp->rx_cons)
			return budget;
	}
	if (done < budget && napi_complete_done(napi, done))
		vfmp_sim_irq_unmask(qp->ad->sdev, qp->qid);
	return done;
}

static void vfmp_irq(void *ctx)
{
	struct vfmp_qp *qp = ctx;

	napi_schedule(&qp->napi);
}

/* ---- bring-up ------------------------------------------------------- */

static void vfmp_qp_free(struct vfmp_qp *qp)
{
	u16 i;

	if (qp->rx_pages) {
		for (i = 0; i < qp->rx_size; i++)
			if (qp->rx_pages[i])
				page_pool_put_full_page(qp->pp, qp->rx_pages[i],
							false);
	}
	if (qp->tx_bufs) {
		for (i = 0; i < qp->tx_size; i++) {
			struct vfmp_tx_buf *b = &qp->tx_bufs[i];

			if (b->type == VFMP_TX_SKB)
				dev_kfree_skb_any(b->obj);
			else if (b->type == VFMP_TX_XDPF)
				xdp_return_frame(b->obj);
		}
	}
	if (xdp_rxq_info_is_reg(&qp->xdp_rxq))
		xdp_rxq_info_unreg(&qp->xdp_rxq);
	if (qp->pp)
		page_pool_destroy(qp->pp);
	kfree(qp->rx_pages);
	kfree(qp->tx_bufs);
	kfree(qp->rx);
	kfree(qp->tx);
	qp->pp = NULL;
	qp->rx_pages = NULL;
	qp->tx_bufs = NULL;
	qp->rx = NULL;
	qp->tx = NULL;
}

static int vfmp_qp_alloc(struct vfmp_adapter *ad, struct vfmp_qp *qp, u16 q)
{
	struct page_pool_params pp = {
		.order = ad->rx_order,
		.pool_size = ad->rx_ring_size,
		.nid = NUMA_NO_NODE,
		.dev = ad->dev,
	};
	int ret;

	qp->ad = ad;
	qp->nd = ad->netdev;
	qp->qid = q;
	qp->rx_size = ad->rx_ring_size;
	qp->tx_size = ad->tx_ring_size;
	qp->rx_prod = 0;
	qp->rx_cons = 0;
	qp->tx_prod = 0;
	qp->tx_cons = 0;
	qp->rx = kcalloc(qp->rx_size, sizeof(*qp->rx), GFP_KERNEL);
	qp->tx = kcalloc(qp->tx_size, sizeof(*qp->tx), GFP_KERNEL);
	qp->rx_pages = kcalloc(qp->rx_size, sizeof(*qp->rx_pages), GFP_KERNEL);
	qp->tx_bufs = kcalloc(qp->tx_size, sizeof(*qp->tx_bufs), GFP_KERNEL);
	if (!qp->rx || !qp->tx || !qp->rx_pages || !qp->tx_bufs) {
		ret = -ENOMEM;
		goto err;
	}
	qp->pp = page_pool_create(&pp);
	if (IS_ERR(qp->pp)) {
		ret = PTR_ERR(qp->pp);
		qp->pp = NULL;
		goto err;
	}
	ret = xdp_rxq_info_reg(&qp->xdp_rxq, ad->netdev, q, 0);
	if (ret)
		goto err;
	ret = xdp_rxq_info_reg_mem_model(&qp->xdp_rxq, MEM_TYPE_PAGE_POOL,
					 qp->pp);
	if (ret)
		goto err;
	return 0;
err:
	vfmp_qp_free(qp);
	return ret;
}

static void vfmp_qp_down(struct vfmp_adapter *ad, struct vfmp_qp *qp)
{
	struct netdev_queue *txq = netdev_get_tx_queue(ad->netdev, qp->qid);

	WRITE_ONCE(qp->tx_live, false);
	vfmp_sim_queue_stop(ad->sdev, qp->qid);
	napi_disable(&qp->napi);
	netif_napi_del(&qp->napi);
	/*
	 * The last word on the TX queue: no poll runs any more, and an xmit
	 * that saw tx_live before it was cleared (and may have woken the
	 * queue) has left the lock.  Nothing transmits on it from here.
	 */
	__netif_tx_lock_bh(txq);
	netif_tx_stop_queue(txq);
	__netif_tx_unlock_bh(txq);
	/* the queue is stopped for good: reclaim whatever is left */
	vfmp_clean_tx(qp, 0);
	netdev_tx_reset_queue(txq);
	vfmp_qp_free(qp);
}

/* The queue pairs (and their counters) live as long as the netdev. */
int vfmp_dp_init(struct vfmp_adapter *ad, u16 max_qps)
{
	u16 q;

	ad->qps = kcalloc(max_qps, sizeof(*ad->qps), GFP_KERNEL);
	if (!ad->qps)
		return -ENOMEM;
	for (q = 0; q < max_qps; q++) {
		u64_stats_init(&ad->qps[q].rxs.sync);
		u64_stats_init(&ad->qps[q].txs.sync);
	}
	ad->rx_ring_size = VFMP_SIM_RING_DEF;
	ad->tx_ring_size = VFMP_SIM_RING_DEF;
	return 0;
}

void vfmp_dp_fini(struct vfmp_adapter *ad)
{
	kfree(ad->qps);
	ad->qps = NULL;
}

/* Allocate, start and fill every active queue pair.  Under RTNL. */
int vfmp_dp_open(struct vfmp_adapter *ad)
{
	u16 nq = ad->netdev->real_num_rx_queues;
	struct vfmp_sim_queue sq;
	int ret;
	u16 q;

	ad->rx_order = vfmp_rx_order(ad->netdev->mtu);
	for (q = 0; q < nq; q++) {
		struct vfmp_qp *qp = &ad->qps[q];

		ret = vfmp_qp_alloc(ad, qp, q);
		if (ret)
			goto err;
		netif_napi_add(ad->netdev, &qp->napi, vfmp_poll);
		napi_enable(&qp->napi);
		sq = (struct vfmp_sim_queue) {
			.qid = q, .rx_size = qp->rx_size, .tx_size = qp->tx_size,
			.rx = qp->rx, .tx = qp->tx, .irq = vfmp_irq, .ctx = qp,
		};
		ret = vfmp_sim_queue_start(ad->sdev, &sq);
		if (ret) {
			napi_disable(&qp->napi);
			netif_napi_del(&qp->napi);
			vfmp_qp_free(qp);
			goto err;
		}
		local_bh_disable();
		vfmp_rx_refill(qp);
		local_bh_enable();
		if (qp->rx_prod == qp->rx_cons) {
			ret = -ENOMEM;
			vfmp_qp_down(ad, qp);
			goto err;
		}
		WRITE_ONCE(qp->tx_live, true);
	}
	WRITE_ONCE(ad->nq_up, nq);
	return 0;
err:
	while (q--)
		vfmp_qp_down(ad, &ad->qps[q]);
	return ret;
}

void vfmp_dp_close(struct vfmp_adapter *ad)
{
	u16 q, nq = ad->nq_up;

	WRITE_ONCE(ad->nq_up, 0);
	synchronize_net();	/* ndo_xdp_xmit callers see nq_up == 0 */
	for (q = 0; q < nq; q++)
		vfmp_qp_down(ad, &ad->qps[q]);
}

/* ---- XDP setup ------------------------------------------------------ */

static int vfmp_xdp_setup(struct net_device *nd, struct bpf_prog *prog,
			  struct netlink_ext_ack *extack)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	struct bpf_prog *old;

	if (prog && vfmp_rx_order(nd->mtu) > 0) {
		NL_SET_ERR_MSG_MOD(extack,
				   "MTU too large for XDP: a frame must fit one page-sized buffer");
		netdev_info(nd, "XDP needs MTU <= %u (now %u)\n",
			    vfmp_dp_xdp_max_mtu(), nd->mtu);
		return -EOPNOTSUPP;
	}
	/* buffers always carry XDP headroom: swap without a restart */
	old = rcu_replace_pointer(ad->xdp_prog, prog, lockdep_rtnl_is_held());
	if (old)
		bpf_prog_put(old);
	return 0;
}

int vfmp_dp_bpf(struct net_device *nd, struct netdev_bpf *bpf)
{
	switch (bpf->command) {
	case XDP_SETUP_PROG:
		return vfmp_xdp_setup(nd, bpf->prog, bpf->extack);
	default:
		return -EINVAL;
	}
}
