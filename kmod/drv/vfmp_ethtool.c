// SPDX-License-Identifier: GPL-2.0
/*
 * The ethtool face of a vfmp function: driver info, wake-on-LAN, channels,
 * rings, RSS (key, indirection table, flow hash fields) and statistics.
 * A change that needs the datapath restarted goes through
 * vfmp_reconfigure() (vfmp_netdev.c).
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "vfmp.h"

static void vfmp_get_drvinfo(struct net_device *nd,
			     struct ethtool_drvinfo *info)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);

	strscpy(info->driver, VFMP_DRV_NAME, sizeof(info->driver));
	strscpy(info->version, VFMP_DRV_VERSION, sizeof(info->version));
	snprintf(info->fw_version, sizeof(info->fw_version), "mbx %u.%u",
		 VFMP_MBX_VERSION_MAJOR, VFMP_MBX_VERSION_MINOR);
	strscpy(info->bus_info, ad->name, sizeof(info->bus_info));
}

static void vfmp_get_wol(struct net_device *nd, struct ethtool_wolinfo *wol)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);

	wol->supported = ad->pm.wake_flags & VFMP_PM_WAKE_MAGIC ? WAKE_MAGIC : 0;
	wol->wolopts = ad->wolopts;
}

static int vfmp_set_wol(struct net_device *nd, struct ethtool_wolinfo *wol)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	u32 supported = ad->pm.wake_flags & VFMP_PM_WAKE_MAGIC ? WAKE_MAGIC : 0;

	if (wol->wolopts & ~supported) {
		netdev_info(nd, "wake-on-LAN: only magic packet (g) is supported\n");
		return -EOPNOTSUPP;
	}
	ad->wolopts = wol->wolopts;
	device_set_wakeup_enable(ad->dev, !!ad->wolopts);
	return 0;
}

static void vfmp_get_channels(struct net_device *nd,
			      struct ethtool_channels *ch)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);

	ch->max_combined = ad->num_qps;
	ch->combined_count = nd->real_num_rx_queues;
}

static void vfmp_set_nq(struct vfmp_adapter *ad, void *arg)
{
	u16 nq = *(u16 *)arg;

	/* both or neither: open() sizes the queue pairs from the RX count */
	if (netif_set_real_num_queues(ad->netdev, nq, nq))
		netdev_err(ad->netdev, "cannot change to %u channels; keeping %u\n",
			   nq, ad->netdev->real_num_rx_queues);
}

static int vfmp_set_channels(struct net_device *nd,
			     struct ethtool_channels *ch)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	u16 nq = ch->combined_count;
	unsigned int i;

	if (ch->rx_count || ch->tx_count || ch->other_count) {
		netdev_err(nd, "only combined channels exist\n");
		return -EINVAL;
	}
	if (!nq || nq > ad->num_qps) {
		netdev_err(nd, "combined channels must be 1..%u\n", ad->num_qps);
		return -EINVAL;
	}
	if (netif_is_rxfh_configured(nd)) {
		for (i = 0; i < VFMP_SIM_RSS_INDIR_SIZE; i++) {
			if (ad->rss_cfg.indir[i] >= nq) {
				netdev_err(nd, "RSS table entry %u uses queue %u; reset it (ethtool -X %s default) first\n",
					   i, ad->rss_cfg.indir[i], nd->name);
				return -EINVAL;
			}
		}
	}
	return vfmp_reconfigure(ad, vfmp_set_nq, &nq);
}

static void vfmp_get_ringparam(struct net_device *nd,
			       struct ethtool_ringparam *r,
			       struct kernel_ethtool_ringparam *kr,
			       struct netlink_ext_ack *extack)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);

	r->rx_max_pending = VFMP_SIM_RING_MAX;
	r->tx_max_pending = VFMP_SIM_RING_MAX;
	r->rx_pending = ad->rx_ring_size;
	r->tx_pending = ad->tx_ring_size;
}

static void vfmp_set_rings(struct vfmp_adapter *ad, void *arg)
{
	const u16 *sz = arg;

	ad->rx_ring_size = sz[0];
	ad->tx_ring_size = sz[1];
}

static int vfmp_set_ringparam(struct net_device *nd,
			      struct ethtool_ringparam *r,
			      struct kernel_ethtool_ringparam *kr,
			      struct netlink_ext_ack *extack)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	u16 sz[2];

	if (r->rx_mini_pending || r->rx_jumbo_pending) {
		NL_SET_ERR_MSG_MOD(extack, "no mini or jumbo rings");
		return -EINVAL;
	}
	if (r->rx_pending < VFMP_SIM_RING_MIN || r->tx_pending < VFMP_SIM_RING_MIN) {
		NL_SET_ERR_MSG_MOD(extack, "rings must have at least 64 entries");
		return -EINVAL;
	}
	/* the hardware wants powers of two */
	sz[0] = roundup_pow_of_two(r->rx_pending);
	sz[1] = roundup_pow_of_two(r->tx_pending);
	if (sz[0] == ad->rx_ring_size && sz[1] == ad->tx_ring_size)
		return 0;
	return vfmp_reconfigure(ad, vfmp_set_rings, sz);
}

static u32 vfmp_get_rxfh_key_size(struct net_device *nd)
{
	return VFMP_SIM_RSS_KEY_SIZE;
}

static u32 vfmp_get_rxfh_indir_size(struct net_device *nd)
{
	return VFMP_SIM_RSS_INDIR_SIZE;
}

static int vfmp_get_rxfh(struct net_device *nd, u32 *indir, u8 *key,
			 u8 *hfunc)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	unsigned int i;

	if (hfunc)
		*hfunc = ETH_RSS_HASH_TOP;
	if (key)
		memcpy(key, ad->rss_cfg.key, VFMP_SIM_RSS_KEY_SIZE);
	if (indir)
		for (i = 0; i < VFMP_SIM_RSS_INDIR_SIZE; i++)
			indir[i] = ad->rss_cfg.indir[i];
	return 0;
}

static int vfmp_set_rxfh(struct net_device *nd, const u32 *indir,
			 const u8 *key, u8 hfunc, struct netlink_ext_ack *extack)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	struct vfmp_sim_rss rss = ad->rss_cfg;
	u16 nq = nd->real_num_rx_queues;
	unsigned int i;
	int ret;

	if (hfunc != ETH_RSS_HASH_NO_CHANGE && hfunc != ETH_RSS_HASH_TOP) {
		netdev_err(nd, "only the Toeplitz hash function exists\n");
		NL_SET_ERR_MSG_MOD(extack, "only the Toeplitz hash function exists");
		return -EOPNOTSUPP;
	}
	if (key)
		memcpy(rss.key, key, VFMP_SIM_RSS_KEY_SIZE);
	if (indir) {
		for (i = 0; i < VFMP_SIM_RSS_INDIR_SIZE; i++) {
			if (indir[i] >= nq) {
				netdev_err(nd, "RSS table entry %u: queue %u beyond the %u channels\n",
					   i, indir[i], nq);
				NL_SET_ERR_MSG_MOD(extack, "RSS table entry beyond the channels");
				return -EINVAL;
			}
			rss.indir[i] = indir[i];
		}
	}
	if (!netif_running(nd)) {
		ad->rss_cfg = rss;	/* applied at open */
		return 0;
	}
	ret = vfmp_rss_apply(ad, &rss, nq);
	if (ret)
		netdev_err(nd, "RSS configuration refused by the %s: %d\n",
			   ad->function == VFMP_FN_VF ? "PF" : "hardware", ret);
	return ret;
}

VFMP_DEFINE_RXFH_OPS(vfmp_get_rxfh, vfmp_set_rxfh)

/* ethtool -n/-N rx-flow-hash: per flow type, ports hashed or not */
static u32 vfmp_flow_bits(u32 flow_type, u32 *l3)
{
	switch (flow_type) {
	case TCP_V4_FLOW:
		*l3 = VFMP_SIM_HASH_IPV4;
		return VFMP_SIM_HASH_TCP_IPV4;
	case UDP_V4_FLOW:
		*l3 = VFMP_SIM_HASH_IPV4;
		return VFMP_SIM_HASH_UDP_IPV4;
	case TCP_V6_FLOW:
		*l3 = VFMP_SIM_HASH_IPV6;
		return VFMP_SIM_HASH_TCP_IPV6;
	case UDP_V6_FLOW:
		*l3 = VFMP_SIM_HASH_IPV6;
		return VFMP_SIM_HASH_UDP_IPV6;
	case IPV4_FLOW:
		*l3 = VFMP_SIM_HASH_IPV4;
		return 0;
	case IPV6_FLOW:
		*l3 = VFMP_SIM_HASH_IPV6;
		return 0;
	}
	return U32_MAX;
}

static int vfmp_get_rxnfc(struct net_device *nd, struct ethtool_rxnfc *nfc,
			  u32 *rules)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	u32 ht = ad->rss_cfg.hash_types, l3 = 0, l4;

	switch (nfc->cmd) {
	case ETHTOOL_GRXRINGS:
		nfc->data = nd->real_num_rx_queues;
		return 0;
	case ETHTOOL_GRXFH:
		l4 = vfmp_flow_bits(nfc->flow_type, &l3);
		if (l4 == U32_MAX)
			return -EINVAL;
		nfc->data = 0;
		if (ht & l3)
			nfc->data |= RXH_IP_SRC | RXH_IP_DST;
		if (l4 && (ht & l4))
			nfc->data |= RXH_L4_B_0_1 | RXH_L4_B_2_3;
		return 0;
	}
	return -EOPNOTSUPP;
}

static int vfmp_set_rxnfc(struct net_device *nd, struct ethtool_rxnfc *nfc)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	struct vfmp_sim_rss rss = ad->rss_cfg;
	const u64 ip = RXH_IP_SRC | RXH_IP_DST;
	const u64 l4f = RXH_L4_B_0_1 | RXH_L4_B_2_3;
	u32 l3 = 0, l4;
	int ret;

	if (nfc->cmd != ETHTOOL_SRXFH)
		return -EOPNOTSUPP;
	l4 = vfmp_flow_bits(nfc->flow_type, &l3);
	if (l4 == U32_MAX) {
		netdev_err(nd, "rx-flow-hash: flow type not hashed by this device\n");
		return -EINVAL;
	}
	if (nfc->data == (ip | l4f) && l4) {
		rss.hash_types |= l3 | l4;
	} else if (nfc->data == ip) {
		rss.hash_types |= l3;
		rss.hash_types &= ~l4;
	} else if (!nfc->data && !l4) {
		/* no hash for this IP version at all: its L4 types too */
		rss.hash_types &= l3 == VFMP_SIM_HASH_IPV4 ?
			~(u32)(VFMP_SIM_HASH_IPV4 | VFMP_SIM_HASH_TCP_IPV4 |
			       VFMP_SIM_HASH_UDP_IPV4) :
			~(u32)(VFMP_SIM_HASH_IPV6 | VFMP_SIM_HASH_TCP_IPV6 |
			       VFMP_SIM_HASH_UDP_IPV6);
	} else {
		netdev_err(nd, "rx-flow-hash: supported fields are sd, or sdfn for TCP/UDP\n");
		return -EINVAL;
	}
	if (!netif_running(nd)) {
		ad->rss_cfg = rss;
		return 0;
	}
	ret = vfmp_rss_apply(ad, &rss, nd->real_num_rx_queues);
	if (ret)
		netdev_err(nd, "rx-flow-hash change refused: %d\n", ret);
	return ret;
}

/* ethtool -S */
static const char * const vfmp_rxq_stat_names[] = {
	"packets", "bytes", "drops", "len_errors", "xdp_pass", "xdp_drop",
	"xdp_tx", "xdp_redirect", "xdp_aborted",
};

static const char * const vfmp_txq_stat_names[] = {
	"packets", "bytes", "drops", "busy", "xdp_xmit",
};

static const char * const vfmp_hwq_stat_names[] = {
	"rx_packets", "rx_bytes", "rx_no_buffer", "rx_too_long",
	"tx_packets", "tx_bytes",
};

static const char * const vfmp_port_stat_names[] = {
	"port_rx_packets", "port_rx_bytes", "port_tx_packets",
	"port_tx_bytes", "port_rx_dropped_down", "port_tx_spoofed",
	"port_tx_vlan_dropped", "port_tx_rate_dropped",
	"port_tx_link_dropped",
};

static_assert(ARRAY_SIZE(vfmp_hwq_stat_names) ==
	      sizeof(struct vfmp_sim_queue_stats) / sizeof(u64));
static_assert(ARRAY_SIZE(vfmp_port_stat_names) ==
	      sizeof(struct vfmp_sim_port_stats) / sizeof(u64));

static int vfmp_get_sset_count(struct net_device *nd, int sset)
{
	u16 nq = nd->real_num_rx_queues;

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return nq * (ARRAY_SIZE(vfmp_rxq_stat_names) +
		     ARRAY_SIZE(vfmp_txq_stat_names) +
		     ARRAY_SIZE(vfmp_hwq_stat_names)) +
	       ARRAY_SIZE(vfmp_port_stat_names);
}

static void vfmp_get_strings(struct net_device *nd, u32 sset, u8 *data)
{
	u16 nq = nd->real_num_rx_queues, q;
	unsigned int i;

	if (sset != ETH_SS_STATS)
		return;
	for (q = 0; q < nq; q++)
		for (i = 0; i < ARRAY_SIZE(vfmp_rxq_stat_names); i++)
			ethtool_sprintf(&data, "rx_queue_%u_%s", q,
					vfmp_rxq_stat_names[i]);
	for (q = 0; q < nq; q++)
		for (i = 0; i < ARRAY_SIZE(vfmp_txq_stat_names); i++)
			ethtool_sprintf(&data, "tx_queue_%u_%s", q,
					vfmp_txq_stat_names[i]);
	for (q = 0; q < nq; q++)
		for (i = 0; i < ARRAY_SIZE(vfmp_hwq_stat_names); i++)
			ethtool_sprintf(&data, "hw_queue_%u_%s", q,
					vfmp_hwq_stat_names[i]);
	for (i = 0; i < ARRAY_SIZE(vfmp_port_stat_names); i++)
		ethtool_sprintf(&data, "hw_%s", vfmp_port_stat_names[i]);
}

static void vfmp_get_ethtool_stats(struct net_device *nd,
				   struct ethtool_stats *es, u64 *data)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	u16 nq = nd->real_num_rx_queues, q;
	struct vfmp_sim_queue_stats hq;
	struct vfmp_sim_port_stats ps;
	struct vfmp_qcnt r, t;

	for (q = 0; q < nq; q++) {
		vfmp_dp_qstats(&ad->qps[q], &r, &t);
		*data++ = r.rx_packets;
		*data++ = r.rx_bytes;
		*data++ = r.rx_drops;
		*data++ = r.rx_len_errors;
		*data++ = r.xdp_pass;
		*data++ = r.xdp_drop;
		*data++ = r.xdp_tx;
		*data++ = r.xdp_redirect;
		*data++ = r.xdp_aborted;
	}
	for (q = 0; q < nq; q++) {
		vfmp_dp_qstats(&ad->qps[q], &r, &t);
		*data++ = t.tx_packets;	/* completed */
		*data++ = t.tx_bytes;
		*data++ = t.tx_drops;
		*data++ = t.tx_busy;
		*data++ = t.tx_xdp;
	}
	for (q = 0; q < nq; q++) {
		memset(&hq, 0, sizeof(hq));
		vfmp_sim_queue_stats(ad->sdev, q, &hq);
		memcpy(data, &hq, sizeof(hq));
		data += sizeof(hq) / sizeof(u64);
	}
	memset(&ps, 0, sizeof(ps));
	vfmp_sim_port_stats(ad->sdev, VFMP_SIM_SELF, &ps);
	memcpy(data, &ps, sizeof(ps));
}

static const struct ethtool_ops vfmp_ethtool_ops = {
	.get_drvinfo = vfmp_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_wol = vfmp_get_wol,
	.set_wol = vfmp_set_wol,
	.get_channels = vfmp_get_channels,
	.set_channels = vfmp_set_channels,
	.get_ringparam = vfmp_get_ringparam,
	.set_ringparam = vfmp_set_ringparam,
	.get_rxfh_key_size = vfmp_get_rxfh_key_size,
	.get_rxfh_indir_size = vfmp_get_rxfh_indir_size,
	VFMP_ETHTOOL_RXFH_OPS(vfmp_get_rxfh, vfmp_set_rxfh),
	.get_rxnfc = vfmp_get_rxnfc,
	.set_rxnfc = vfmp_set_rxnfc,
	.get_sset_count = vfmp_get_sset_count,
	.get_strings = vfmp_get_strings,
	.get_ethtool_stats = vfmp_get_ethtool_stats,
};

void vfmp_set_ethtool_ops(struct net_device *nd)
{
	nd->ethtool_ops = &vfmp_ethtool_ops;
}
