// SPDX-License-Identifier: GPL-2.0
/*
 * The netdev of a vfmp function: multi-queue open/stop, MTU, XDP,
 * statistics, RSS defaults, and the reconfiguration that restarts the
 * datapath around a change (MTU here, channels and rings in
 * vfmp_ethtool.c).  The ethtool face lives in vfmp_ethtool.c.
 */
#include <linux/ethtool.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "vfmp.h"

struct vfmp_netpriv {
	struct vfmp_adapter *ad;	/* must stay first: vfmp_netdev_adapter */
};

/* ---- RSS ------------------------------------------------------------ */

int vfmp_rss_apply(struct vfmp_adapter *ad, const struct vfmp_sim_rss *rss,
		   u16 nqueues)
{
	int ret;

	if (ad->function == VFMP_FN_VF)
		ret = vfmp_vf_config_rss(ad, rss, nqueues);
	else
		ret = vfmp_sim_set_rss(ad->sdev, VFMP_SIM_SELF, rss);
	if (!ret)
		ad->rss_cfg = *rss;
	return ret;
}

/* Spread the table over @nq queues unless the user set one. */
static int vfmp_rss_default(struct vfmp_adapter *ad, u16 nq)
{
	struct vfmp_sim_rss rss = ad->rss_cfg;
	unsigned int i;

	if (!netif_is_rxfh_configured(ad->netdev))
		for (i = 0; i < VFMP_SIM_RSS_INDIR_SIZE; i++)
			rss.indir[i] = ethtool_rxfh_indir_default(i, nq);
	return vfmp_rss_apply(ad, &rss, nq);
}

/* ---- netdev ops ----------------------------------------------------- */

static void vfmp_update_carrier(struct vfmp_adapter *ad)
{
	if (ad->nq_up && vfmp_sim_link_up(ad->sdev))
		netif_carrier_on(ad->netdev);
	else
		netif_carrier_off(ad->netdev);
}

static int vfmp_open(struct net_device *nd)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	int ret;

	ret = vfmp_dp_open(ad);
	if (ret) {
		netdev_err(nd, "cannot start queues: %d\n", ret);
		return ret;
	}
	ret = vfmp_rss_default(ad, nd->real_num_rx_queues);
	if (ret) {
		netdev_err(nd, "RSS configuration refused: %d\n", ret);
		vfmp_dp_close(ad);
		return ret;
	}
	netif_tx_start_all_queues(nd);
	vfmp_update_carrier(ad);
	return 0;
}

static int vfmp_stop(struct net_device *nd)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);

	netif_carrier_off(nd);
	netif_tx_disable(nd);
	vfmp_dp_close(ad);
	return 0;
}

/* What a reconfiguration may change, to put back if it fails. */
struct vfmp_dp_cfg {
	unsigned int mtu;
	u16 rx_ring_size;
	u16 tx_ring_size;
	u16 nq;
};

static void vfmp_cfg_save(struct vfmp_adapter *ad, struct vfmp_dp_cfg *c)
{
	c->mtu = ad->netdev->mtu;
	c->rx_ring_size = ad->rx_ring_size;
	c->tx_ring_size = ad->tx_ring_size;
	c->nq = ad->netdev->real_num_rx_queues;
}

static void vfmp_cfg_restore(struct vfmp_adapter *ad,
			     const struct vfmp_dp_cfg *c)
{
	ad->netdev->mtu = c->mtu;
	ad->rx_ring_size = c->rx_ring_size;
	ad->tx_ring_size = c->tx_ring_size;
	if (netif_set_real_num_queues(ad->netdev, c->nq, c->nq))
		netdev_err(ad->netdev, "cannot restore %u channels\n", c->nq);
}

/*
 * Restart the datapath around a change made by @fn (under RTNL).  If the
 * datapath cannot start with the change, the old settings come back and
 * it starts with those; the caller gets the error and nothing changed.
 */
int vfmp_reconfigure(struct vfmp_adapter *ad,
		     void (*fn)(struct vfmp_adapter *ad, void *arg), void *arg)
{
	struct net_device *nd = ad->netdev;
	bool running = netif_running(nd);
	struct vfmp_dp_cfg old;
	int ret;

	vfmp_cfg_save(ad, &old);
	if (running)
		vfmp_stop(nd);
	fn(ad, arg);
	if (!running)
		return 0;
	ret = vfmp_open(nd);
	if (!ret)
		return 0;
	netdev_err(nd, "new settings failed (%d); restoring the previous ones\n",
		   ret);
	vfmp_cfg_restore(ad, &old);
	if (vfmp_open(nd))
		netdev_err(nd, "cannot restart the datapath; set the link down and up\n");
	return ret;
}

static void vfmp_set_mtu(struct vfmp_adapter *ad, void *arg)
{
	ad->netdev->mtu = *(int *)arg;
}

static int vfmp_change_mtu(struct net_device *nd, int mtu)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);

	if (rtnl_dereference(ad->xdp_prog) && mtu > vfmp_dp_xdp_max_mtu()) {
		netdev_err(nd, "MTU %d too large with XDP attached (max %u)\n",
			   mtu, vfmp_dp_xdp_max_mtu());
		return -EINVAL;
	}
	return vfmp_reconfigure(ad, vfmp_set_mtu, &mtu);
}

static void vfmp_get_stats64(struct net_device *nd,
			     struct rtnl_link_stats64 *s)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	struct vfmp_qcnt r, t;
	u16 q;

	for (q = 0; q < ad->num_qps; q++) {
		vfmp_dp_qstats(&ad->qps[q], &r, &t);
		s->rx_packets += r.rx_packets;
		s->rx_bytes += r.rx_bytes;
		s->rx_dropped += r.rx_drops + r.xdp_drop + r.xdp_aborted;
		s->rx_length_errors += r.rx_len_errors;
		s->rx_errors += r.rx_len_errors;
		s->tx_packets += t.tx_packets;
		s->tx_bytes += t.tx_bytes;
		s->tx_dropped += t.tx_drops;
	}
}

#define VFMP_COMMON_NDO \
	.ndo_open = vfmp_open, \
	.ndo_stop = vfmp_stop, \
	.ndo_start_xmit = vfmp_dp_xmit, \
	.ndo_get_stats64 = vfmp_get_stats64, \
	.ndo_validate_addr = eth_validate_addr, \
	.ndo_change_mtu = vfmp_change_mtu, \
	.ndo_bpf = vfmp_dp_bpf, \
	.ndo_xdp_xmit = vfmp_dp_xdp_xmit

/* A VF's address is the PF's to grant: it asks over the mailbox. */
static const struct net_device_ops vfmp_vf_netdev_ops = {
	VFMP_COMMON_NDO,
	.ndo_set_mac_address = vfmp_vf_set_mac_address,
};

/* The PF's netdev also controls its VFs' switch ports. */
static const struct net_device_ops vfmp_pf_netdev_ops = {
	VFMP_COMMON_NDO,
	.ndo_set_mac_address = vfmp_pf_set_mac_address,
	.ndo_set_vf_mac = vfmp_set_vf_mac,
	.ndo_set_vf_vlan = vfmp_set_vf_vlan,
	.ndo_set_vf_spoofchk = vfmp_set_vf_spoofchk,
	.ndo_set_vf_trust = vfmp_set_vf_trust,
	.ndo_set_vf_link_state = vfmp_set_vf_link_state,
	.ndo_set_vf_rate = vfmp_set_vf_rate,
	.ndo_get_vf_config = vfmp_get_vf_config,
	.ndo_get_vf_stats = vfmp_get_vf_stats,
};

struct net_device *vfmp_netdev_alloc(struct vfmp_adapter *ad)
{
	u16 q = ad->sdev->caps.max_queue_pairs;
	struct vfmp_netpriv *np;
	struct net_device *nd;

	nd = alloc_etherdev_mqs(sizeof(*np), q, q);
	if (!nd)
		return NULL;
	if (vfmp_dp_init(ad, q)) {
		free_netdev(nd);
		return NULL;
	}
	np = netdev_priv(nd);
	np->ad = ad;
	SET_NETDEV_DEV(nd, ad->dev);
	nd->netdev_ops = ad->function == VFMP_FN_PF ? &vfmp_pf_netdev_ops :
			  &vfmp_vf_netdev_ops;
	vfmp_set_ethtool_ops(nd);
	/*
	 * RSS hashing is a hardware feature; L2 forwarding offload (macvlan
	 * acceleration, the Linux face of VMQ) is never offered (R7).
	 */
	nd->hw_features = NETIF_F_RXHASH;
	nd->features = NETIF_F_RXHASH;
	/* no unicast filter to reprogram: the address may change while up */
	nd->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	nd->min_mtu = ETH_MIN_MTU;
	nd->max_mtu = ETH_DATA_LEN;
	netdev_rss_key_fill(ad->rss_cfg.key, sizeof(ad->rss_cfg.key));
	ad->rss_cfg.hash_types = VFMP_SIM_HASH_ALL;
	return nd;
}

void vfmp_netdev_free(struct vfmp_adapter *ad)
{
	free_netdev(ad->netdev);
	ad->netdev = NULL;
	vfmp_dp_fini(ad);
}

/* ---- R1 init steps: allocate first, register last ------------------ */

int vfmp_step_alloc(struct vfmp_adapter *ad, const char **note)
{
	struct vfmp_sim_caps *c = &ad->sdev->caps;

	/* identity: the capability registers must make sense */
	if (!c->max_queue_pairs || c->rss_key_size != VFMP_RSS_KEY_SIZE ||
	    !c->rss_indir_size || c->rss_indir_size > VFMP_RSS_MAX_INDIR) {
		*note = "capability registers out of range";
		return -EIO;
	}
	ad->netdev = vfmp_netdev_alloc(ad);
	if (!ad->netdev)
		return -ENOMEM;
	*note = "adapter and netdev allocated";
	return 0;
}

ALLOW_ERROR_INJECTION(vfmp_step_alloc, ERRNO);

void vfmp_undo_alloc(struct vfmp_adapter *ad)
{
	vfmp_netdev_free(ad);
}

int vfmp_step_netdev(struct vfmp_adapter *ad, const char **note)
{
	struct net_device *nd = ad->netdev;
	int ret;

	ret = netif_set_real_num_queues(nd, ad->num_qps, ad->num_qps);
	if (ret)
		return ret;
	vfmp_xdp_features_set(nd);
	ret = register_netdev(nd);
	if (ret)
		return ret;
	*note = "netdev registered last, after the capabilities";
	return 0;
}

ALLOW_ERROR_INJECTION(vfmp_step_netdev, ERRNO);

void vfmp_undo_netdev(struct vfmp_adapter *ad)
{
	unregister_netdev(ad->netdev);
}
