// SPDX-License-Identifier: GPL-2.0
/*
 * vfmp_sim datapath: descriptor rings, per-queue interrupts, the NIC
 * switch (VEB) and the RSS engine.
 *
 * The device works synchronously in the sender's context: a TX doorbell
 * walks the sender's TX ring, forwards each frame through the switch,
 * copies it into a buffer posted on the destination function's RSS-chosen
 * queue (as DMA would), writes the completion back, and raises the
 * interrupts.  Lock order: a queue's tx_lock, then any queue's rx_lock.
 */
#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/jiffies.h>
#include <linux/slab.h>

#include "vfmp_sim.h"
#include "vfmp_rss.h"

enum { SIM_IRQ_MASKED, SIM_IRQ_PENDING };

struct sim_q {
	spinlock_t rx_lock;	/* rx ring state, running, irq delivery */
	spinlock_t tx_lock;	/* tx ring state */
	bool running;
	struct vfmp_sim_queue cfg;
	u16 rx_next;		/* next posted buffer the device fills */
	u16 rx_tail;		/* posted up to here */
	u16 tx_next;		/* next descriptor the device sends */
	unsigned long irq_state;
	struct vfmp_sim_queue_stats st;
};

struct sim_port {
	struct sim_q *q;
	u16 nq;
	atomic_t nrunning;
	/* config written by the PF driver, read locklessly per frame */
	u64 mac;		/* ether_addr_to_u64() */
	u16 vlan;
	u8 qos;
	bool spoofchk;
	bool trust;
	enum vfmp_sim_link link;
	u32 max_tx_rate;
	u8 admin_mac[ETH_ALEN];	/* PF driver's note, no effect on frames */
	spinlock_t cfg_lock;	/* writers of the above, rss, the bucket */
	struct vfmp_sim_rss rss;
	u64 tb_tokens;		/* bytes */
	unsigned long tb_stamp;	/* jiffies */
	atomic64_t ps[sizeof(struct vfmp_sim_port_stats) / sizeof(u64)];
};

#define PS(field) (offsetof(struct vfmp_sim_port_stats, field) / sizeof(u64))

struct sim_dp {
	struct vfmp_sim_adapter *ad;
	u16 nports;		/* 1 + total_vfs: port 0 is the PF */
	struct sim_port port[];
};

static inline void ps_inc(struct sim_port *p, size_t idx, u64 v)
{
	atomic64_add(v, &p->ps[idx]);
}

static struct sim_port *sim_port_of(struct vfmp_sim_device *sdev)
{
	struct sim_dp *dp = sdev->adapter->dp;

	if (sdev->function == VFMP_SIM_FN_PF)
		return &dp->port[0];
	return &dp->port[sdev->vf_index + 1];
}

/* @vf: VFMP_SIM_SELF or, for a PF caller, a VF index */
static struct sim_port *sim_port_target(struct vfmp_sim_device *sdev, u16 vf)
{
	struct sim_dp *dp = sdev->adapter->dp;

	if (vf == VFMP_SIM_SELF)
		return sim_port_of(sdev);
	if (sdev->function != VFMP_SIM_FN_PF || vf + 1 >= dp->nports)
		return NULL;
	return &dp->port[vf + 1];
}

int sim_dp_init(struct vfmp_sim_adapter *ad)
{
	u16 i, j, np = ad->total_vfs + 1;
	struct sim_dp *dp;

	dp = sim_zalloc(struct_size(dp, port, np));
	if (!dp)
		return -ENOMEM;
	dp->ad = ad;
	dp->nports = np;
	for (i = 0; i < np; i++) {
		struct sim_port *p = &dp->port[i];

		p->nq = ad->queue_pairs;
		p->q = sim_calloc(p->nq, sizeof(*p->q));
		if (!p->q)
			goto err;
		for (j = 0; j < p->nq; j++) {
			spin_lock_init(&p->q[j].rx_lock);
			spin_lock_init(&p->q[j].tx_lock);
		}
		spin_lock_init(&p->cfg_lock);
		memcpy(p->rss.key, vfmp_rss_default_key, sizeof(p->rss.key));
		vfmp_rss_default_indir(p->rss.indir, VFMP_SIM_RSS_INDIR_SIZE, 1);
		p->rss.hash_types = VFMP_SIM_HASH_ALL;
		p->spoofchk = true;
		if (i == 0)
			p->mac = ether_addr_to_u64(ad->pf->caps.perm_addr);
	}
	ad->dp = dp;
	return 0;
err:
	while (i--)
		sim_free(dp->port[i].q);
	sim_free(dp);
	return -ENOMEM;
}

void sim_dp_fini(struct vfmp_sim_adapter *ad)
{
	struct sim_dp *dp = ad->dp;
	u16 i;

	if (!dp)
		return;
	for (i = 0; i < dp->nports; i++)
		sim_free(dp->port[i].q);
	sim_free(dp);
	ad->dp = NULL;
}

/* A VF function was created or went away: its port starts from defaults. */
void sim_dp_reset_vf(struct vfmp_sim_adapter *ad, u16 vf)
{
	struct sim_port *p;

	if (!ad->dp || vf + 1 >= ad->dp->nports)
		return;
	p = &ad->dp->port[vf + 1];
	spin_lock_bh(&p->cfg_lock);
	WRITE_ONCE(p->mac, 0);
	WRITE_ONCE(p->vlan, 0);
	WRITE_ONCE(p->qos, 0);
	WRITE_ONCE(p->spoofchk, true);
	WRITE_ONCE(p->trust, false);
	WRITE_ONCE(p->link, VFMP_SIM_LINK_AUTO);
	WRITE_ONCE(p->max_tx_rate, 0);
	eth_zero_addr(p->admin_mac);
	memcpy(p->rss.key, vfmp_rss_default_key, sizeof(p->rss.key));
	vfmp_rss_default_indir(p->rss.indir, VFMP_SIM_RSS_INDIR_SIZE, 1);
	p->rss.hash_types = VFMP_SIM_HASH_ALL;
	spin_unlock_bh(&p->cfg_lock);
	memset(p->ps, 0, sizeof(p->ps));
}

/* ---- interrupts ------------------------------------------------------ */

static void sim_irq_raise(struct sim_q *q)
{
	set_bit(SIM_IRQ_PENDING, &q->irq_state);
	if (!test_and_set_bit(SIM_IRQ_MASKED, &q->irq_state)) {
		clear_bit(SIM_IRQ_PENDING, &q->irq_state);
		q->cfg.irq(q->cfg.ctx);
	}
}

void vfmp_sim_irq_unmask(struct vfmp_sim_device *sdev, u16 qid)
{
	struct sim_port *p = sim_port_of(sdev);
	struct sim_q *q;

	if (qid >= p->nq)
		return;
	q = &p->q[qid];
	spin_lock_bh(&q->rx_lock);
	if (q->running) {
		clear_bit(SIM_IRQ_MASKED, &q->irq_state);
		/* unmask before looking for work raised while masked */
		smp_mb__after_atomic();
		if (test_bit(SIM_IRQ_PENDING, &q->irq_state))
			sim_irq_raise(q);
	}
	spin_unlock_bh(&q->rx_lock);
}
EXPORT_SYMBOL_GPL(vfmp_sim_irq_unmask);

/* ---- queues ---------------------------------------------------------- */

/* Both locks: nothing is being sent from or written to this queue. */
static void sim_q_lock(struct sim_q *q)
	__acquires(&q->tx_lock) __acquires(&q->rx_lock)
{
	spin_lock_bh(&q->tx_lock);
	spin_lock(&q->rx_lock);
}

static void sim_q_unlock(struct sim_q *q)
	__releases(&q->rx_lock) __releases(&q->tx_lock)
{
	spin_unlock(&q->rx_lock);
	spin_unlock_bh(&q->tx_lock);
}

static bool sim_ring_size_ok(u16 n)
{
	return n >= VFMP_SIM_RING_MIN && n <= VFMP_SIM_RING_MAX &&
	       is_power_of_2(n);
}

int vfmp_sim_queue_start(struct vfmp_sim_device *sdev,
			 const struct vfmp_sim_queue *cfg)
{
	struct sim_port *p = sim_port_of(sdev);
	struct sim_q *q;

	if (cfg->qid >= p->nq || !cfg->rx || !cfg->tx || !cfg->irq ||
	    !sim_ring_size_ok(cfg->rx_size) || !sim_ring_size_ok(cfg->tx_size))
		return -EINVAL;
	q = &p->q[cfg->qid];
	sim_q_lock(q);
	if (q->running) {
		sim_q_unlock(q);
		return -EBUSY;
	}
	q->cfg = *cfg;
	q->rx_next = 0;
	q->rx_tail = 0;
	q->tx_next = 0;
	q->irq_state = 0;
	q->running = true;
	sim_q_unlock(q);
	atomic_inc(&p->nrunning);
	return 0;
}
EXPORT_SYMBOL_GPL(vfmp_sim_queue_start);

void vfmp_sim_queue_stop(struct vfmp_sim_device *sdev, u16 qid)
{
	struct sim_port *p = sim_port_of(sdev);
	struct sim_q *q;
	bool was;

	if (qid >= p->nq)
		return;
	q = &p->q[qid];
	sim_q_lock(q);
	was = q->running;
	q->running = false;
	sim_q_unlock(q);
	if (was)
		atomic_dec(&p->nrunning);
}
EXPORT_SYMBOL_GPL(vfmp_sim_queue_stop);

void vfmp_sim_rx_kick(struct vfmp_sim_device *sdev, u16 qid, u16 tail)
{
	struct sim_port *p = sim_port_of(sdev);
	struct sim_q *q;

	if (qid >= p->nq)
		return;
	q = &p->q[qid];
	spin_lock_bh(&q->rx_lock);
	/* a tail that would overrun the device's position is ignored */
	if (q->running && (u16)(tail - q->rx_next) <= q->cfg.rx_size)
		q->rx_tail = tail;
	spin_unlock_bh(&q->rx_lock);
}
EXPORT_SYMBOL_GPL(vfmp_sim_rx_kick);

/* ---- the switch ------------------------------------------------------ */

struct sim_frame {
	const u8 *data;
	u32 len;
	u16 vlan;		/* logical VLAN: port VLAN or the 802.1Q tag */
	bool tagged;		/* carries a physical 802.1Q tag */
};

static bool sim_port_link_up(struct sim_port *p, bool is_pf)
{
	return is_pf || READ_ONCE(p->link) != VFMP_SIM_LINK_DISABLE;
}

/* Copy @f into port @p, on the queue its RSS engine picks. */
static void sim_deliver(struct sim_dp *dp, u16 pi, const struct sim_frame *f)
{
	struct sim_port *p = &dp->port[pi];
	u16 pvlan = READ_ONCE(p->vlan);
	bool strip = pvlan && f->tagged;
	bool insert = !pvlan && f->vlan && !f->tagged;
	u32 out_len = f->len - (strip ? VLAN_HLEN : 0) + (insert ? VLAN_HLEN : 0);
	struct vfmp_sim_rx_desc *d;
	enum vfmp_rss_htype ht;
	struct sim_q *q;
	u32 hash;
	u16 qid;
	u8 *dst;

	if (!sim_port_link_up(p, pi == 0) || !atomic_read(&p->nrunning)) {
		ps_inc(p, PS(rx_dropped_down), 1);
		return;
	}
	qid = vfmp_rss_select(p->rss.key, READ_ONCE(p->rss.hash_types),
			      p->rss.indir, VFMP_SIM_RSS_INDIR_SIZE,
			      f->data, f->len, &hash, &ht);
	if (qid >= p->nq) {
		ps_inc(p, PS(rx_dropped_down), 1);
		return;
	}
	q = &p->q[qid];
	spin_lock(&q->rx_lock);
	if (!q->running) {
		spin_unlock(&q->rx_lock);
		ps_inc(p, PS(rx_dropped_down), 1);
		return;
	}
	if (q->rx_next == q->rx_tail) {
		q->st.rx_no_buffer++;
		spin_unlock(&q->rx_lock);
		return;
	}
	d = &q->cfg.rx[q->rx_next & (q->cfg.rx_size - 1)];
	if (out_len > d->buf_len) {
		q->st.rx_too_long++;
		spin_unlock(&q->rx_lock);
		return;
	}
	dst = (u8 *)(uintptr_t)d->addr;
	if (strip) {
		memcpy(dst, f->data, 2 * ETH_ALEN);
		memcpy(dst + 2 * ETH_ALEN, f->data + 2 * ETH_ALEN + VLAN_HLEN,
		       f->len - 2 * ETH_ALEN - VLAN_HLEN);
	} else if (insert) {
		__be16 tag[2] = { htons(ETH_P_8021Q), htons(f->vlan) };

		memcpy(dst, f->data, 2 * ETH_ALEN);
		memcpy(dst + 2 * ETH_ALEN, tag, VLAN_HLEN);
		memcpy(dst + 2 * ETH_ALEN + VLAN_HLEN, f->data + 2 * ETH_ALEN,
		       f->len - 2 * ETH_ALEN);
	} else {
		memcpy(dst, f->data, f->len);
	}
	d->len = out_len;
	/* fault: a device that claims more than the buffer it was given */
	if (atomic_add_unless(&dp->ad->rx_bad_len, -1, 0))
		d->len = d->buf_len + 1;
	d->hash = hash;
	d->hash_type = ht;
	d->queue = qid;
	/* the frame and fields above are visible before DD (driver acquires) */
	smp_store_release(&d->status, VFMP_SIM_DESC_DD);
	q->rx_next++;
	q->st.rx_packets++;
	q->st.rx_bytes += out_len;
	ps_inc(p, PS(rx_packets), 1);
	ps_inc(p, PS(rx_bytes), out_len);
	sim_irq_raise(q);
	spin_unlock(&q->rx_lock);
}

static bool sim_vlan_accepts(struct sim_port *p, u16 vlan)
{
	u16 pv = READ_ONCE(p->vlan);

	return !pv || pv == vlan;
}

/* Token bucket for max_tx_rate (Mbit/s); burst = 10 ms worth or one MTU. */
static bool sim_rate_ok(struct sim_port *p, u32 len)
{
	u32 rate = READ_ONCE(p->max_tx_rate);
	u64 bps, burst, add;
	unsigned long now = jiffies;
	bool ok;

	if (!rate)
		return true;
	bps = (u64)rate * 1000000 / 8;
	burst = max_t(u64, bps / 100, 2 * ETH_FRAME_LEN);
	spin_lock(&p->cfg_lock);
	add = bps * jiffies_to_usecs(now - p->tb_stamp) / USEC_PER_SEC;
	if (add) {
		p->tb_tokens = min(p->tb_tokens + add, burst);
		p->tb_stamp = now;
	}
	ok = p->tb_tokens >= len;
	if (ok)
		p->tb_tokens -= len;
	spin_unlock(&p->cfg_lock);
	return ok;
}

static void sim_switch(struct sim_dp *dp, u16 si, const u8 *data, u32 len)
{
	struct sim_port *src = &dp->port[si];
	const struct ethhdr *eth = (const void *)data;
	struct sim_frame f = { .data = data, .len = len };
	u64 dmac;
	u16 pi;

	if (len < ETH_HLEN)
		return;
	if (si && !sim_port_link_up(src, false)) {
		ps_inc(src, PS(tx_link_dropped), 1);
		return;
	}
	if (si && READ_ONCE(src->spoofchk) &&
	    ether_addr_to_u64(eth->h_source) != READ_ONCE(src->mac)) {
		ps_inc(src, PS(tx_spoofed), 1);
		return;
	}
	f.tagged = eth->h_proto == htons(ETH_P_8021Q) && len >= VLAN_ETH_HLEN;
	if (f.tagged)
		f.vlan = ntohs(((const struct vlan_ethhdr *)data)->h_vlan_TCI) &
			 VLAN_VID_MASK;
	if (si && READ_ONCE(src->vlan)) {
		if (f.tagged) {
			ps_inc(src, PS(tx_vlan_dropped), 1);
			return;
		}
		f.vlan = READ_ONCE(src->vlan);
	}
	if (si && !sim_rate_ok(src, len)) {
		ps_inc(src, PS(tx_rate_dropped), 1);
		return;
	}
	ps_inc(src, PS(tx_packets), 1);
	ps_inc(src, PS(tx_bytes), len);

	if (is_multicast_ether_addr(eth->h_dest)) {
		for (pi = 0; pi < dp->nports; pi++)
			if (pi != si && atomic_read(&dp->port[pi].nrunning) &&
			    sim_vlan_accepts(&dp->port[pi], f.vlan))
				sim_deliver(dp, pi, &f);
		return;
	}
	dmac = ether_addr_to_u64(eth->h_dest);
	for (pi = 1; pi < dp->nports; pi++) {
		struct sim_port *p = &dp->port[pi];

		if (pi != si && READ_ONCE(p->mac) == dmac &&
		    sim_vlan_accepts(p, f.vlan)) {
			sim_deliver(dp, pi, &f);
			return;
		}
	}
	/* unknown unicast goes to the PF; from the PF it leaves on the wire */
	if (si)
		sim_deliver(dp, 0, &f);
}

void vfmp_sim_tx_kick(struct vfmp_sim_device *sdev, u16 qid, u16 tail)
{
	struct sim_dp *dp = sdev->adapter->dp;
	struct sim_port *p = sim_port_of(sdev);
	u16 si = p - dp->port;
	struct sim_q *q;

	if (qid >= p->nq)
		return;
	q = &p->q[qid];
	spin_lock(&q->tx_lock);
	if (!q->running || (u16)(tail - q->tx_next) > q->cfg.tx_size) {
		spin_unlock(&q->tx_lock);
		return;
	}
	while (q->tx_next != tail) {
		struct vfmp_sim_tx_desc *d =
			&q->cfg.tx[q->tx_next & (q->cfg.tx_size - 1)];
		u32 len = d->len;

		if (len && len <= VFMP_SIM_MAX_MTU + VLAN_ETH_HLEN)
			sim_switch(dp, si, (const u8 *)(uintptr_t)d->addr, len);
		q->st.tx_packets++;
		q->st.tx_bytes += len;
		/* done with the buffer before the driver may free it */
		smp_store_release(&d->status, VFMP_SIM_DESC_DD);
		q->tx_next++;
	}
	/* completion is reported in the descriptors only: no interrupt */
	spin_unlock(&q->tx_lock);
}
EXPORT_SYMBOL_GPL(vfmp_sim_tx_kick);

/* ---- configuration --------------------------------------------------- */

int vfmp_sim_set_rss(struct vfmp_sim_device *sdev, u16 vf,
		     const struct vfmp_sim_rss *rss)
{
	struct sim_port *p = sim_port_target(sdev, vf);
	const char *why;
	int ret;

	/* the RSS engine is the PF's to program, for itself or a VF */
	if (sdev->function != VFMP_SIM_FN_PF)
		return -EPERM;
	if (!p)
		return -EINVAL;
	ret = vfmp_rss_validate(sizeof(rss->key), VFMP_SIM_RSS_INDIR_SIZE,
				rss->indir, p->nq, rss->hash_types, &why);
	if (ret)
		return ret;
	spin_lock_bh(&p->cfg_lock);
	memcpy(&p->rss, rss, sizeof(*rss));
	spin_unlock_bh(&p->cfg_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(vfmp_sim_set_rss);

int vfmp_sim_get_rss(struct vfmp_sim_device *sdev, u16 vf,
		     struct vfmp_sim_rss *rss)
{
	struct sim_port *p = sim_port_target(sdev, vf);

	if (!p)
		return -EINVAL;
	spin_lock_bh(&p->cfg_lock);
	memcpy(rss, &p->rss, sizeof(*rss));
	spin_unlock_bh(&p->cfg_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(vfmp_sim_get_rss);

int vfmp_sim_vf_port_set(struct vfmp_sim_device *pf, u16 vf,
			 const struct vfmp_sim_vf_port *c)
{
	struct sim_port *p;

	if (pf->function != VFMP_SIM_FN_PF || vf == VFMP_SIM_SELF)
		return -EPERM;
	p = sim_port_target(pf, vf);
	if (!p)
		return -EINVAL;
	if (c->vlan >= VLAN_N_VID || c->qos > 7 ||
	    c->link > VFMP_SIM_LINK_DISABLE ||
	    (!is_zero_ether_addr(c->mac) && !is_valid_ether_addr(c->mac)))
		return -EINVAL;
	spin_lock_bh(&p->cfg_lock);
	WRITE_ONCE(p->mac, ether_addr_to_u64(c->mac));
	WRITE_ONCE(p->vlan, c->vlan);
	WRITE_ONCE(p->qos, c->qos);
	WRITE_ONCE(p->spoofchk, c->spoofchk);
	WRITE_ONCE(p->trust, c->trust);
	WRITE_ONCE(p->link, c->link);
	if (c->max_tx_rate != p->max_tx_rate) {
		p->tb_tokens = 0;
		p->tb_stamp = jiffies;
	}
	WRITE_ONCE(p->max_tx_rate, c->max_tx_rate);
	ether_addr_copy(p->admin_mac, c->admin_mac);
	spin_unlock_bh(&p->cfg_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(vfmp_sim_vf_port_set);

int vfmp_sim_vf_port_get(struct vfmp_sim_device *pf, u16 vf,
			 struct vfmp_sim_vf_port *c)
{
	struct sim_port *p;

	if (pf->function != VFMP_SIM_FN_PF || vf == VFMP_SIM_SELF)
		return -EPERM;
	p = sim_port_target(pf, vf);
	if (!p)
		return -EINVAL;
	spin_lock_bh(&p->cfg_lock);
	u64_to_ether_addr(p->mac, c->mac);
	c->vlan = p->vlan;
	c->qos = p->qos;
	c->spoofchk = p->spoofchk;
	c->trust = p->trust;
	c->link = p->link;
	c->max_tx_rate = p->max_tx_rate;
	ether_addr_copy(c->admin_mac, p->admin_mac);
	spin_unlock_bh(&p->cfg_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(vfmp_sim_vf_port_get);

bool vfmp_sim_link_up(struct vfmp_sim_device *sdev)
{
	return sim_port_link_up(sim_port_of(sdev),
				sdev->function == VFMP_SIM_FN_PF);
}
EXPORT_SYMBOL_GPL(vfmp_sim_link_up);

int vfmp_sim_queue_stats(struct vfmp_sim_device *sdev, u16 qid,
			 struct vfmp_sim_queue_stats *st)
{
	struct sim_port *p = sim_port_of(sdev);
	struct sim_q *q;

	if (qid >= p->nq)
		return -EINVAL;
	q = &p->q[qid];
	sim_q_lock(q);
	*st = q->st;
	sim_q_unlock(q);
	return 0;
}
EXPORT_SYMBOL_GPL(vfmp_sim_queue_stats);

int vfmp_sim_port_stats(struct vfmp_sim_device *sdev, u16 vf,
			struct vfmp_sim_port_stats *st)
{
	struct sim_port *p = sim_port_target(sdev, vf);
	u64 *out = (u64 *)st;
	size_t i;

	if (!p)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(p->ps); i++)
		out[i] = atomic64_read(&p->ps[i]);
	return 0;
}
EXPORT_SYMBOL_GPL(vfmp_sim_port_stats);
