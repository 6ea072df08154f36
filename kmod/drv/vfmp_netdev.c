// SPDX-License-Identifier: GPL-2.0
/*
 * The netdev and ethtool face of a vfmp function.  The datapath (rings,
 * NAPI, XDP) is not wired yet: the link stays down and transmitted frames
 * are dropped and counted, so the device never pretends to carry traffic.
 */
#include <linux/ethtool.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>

#include "vfmp.h"

struct vfmp_netpriv {
	struct vfmp_adapter *ad;	/* must stay first: vfmp_netdev_adapter */
	atomic64_t tx_dropped;
};

static int vfmp_open(struct net_device *nd)
{
	netif_carrier_off(nd);	/* no datapath yet: no link */
	netif_tx_start_all_queues(nd);
	return 0;
}

static int vfmp_stop(struct net_device *nd)
{
	netif_tx_stop_all_queues(nd);
	return 0;
}

static netdev_tx_t vfmp_start_xmit(struct sk_buff *skb, struct net_device *nd)
{
	struct vfmp_netpriv *np = netdev_priv(nd);

	atomic64_inc(&np->tx_dropped);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static void vfmp_get_stats64(struct net_device *nd,
			     struct rtnl_link_stats64 *s)
{
	struct vfmp_netpriv *np = netdev_priv(nd);

	s->tx_dropped = atomic64_read(&np->tx_dropped);
}

static const struct net_device_ops vfmp_netdev_ops = {
	.ndo_open = vfmp_open,
	.ndo_stop = vfmp_stop,
	.ndo_start_xmit = vfmp_start_xmit,
	.ndo_get_stats64 = vfmp_get_stats64,
	.ndo_validate_addr = eth_validate_addr,
};

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

static u32 vfmp_get_rxfh_key_size(struct net_device *nd)
{
	return vfmp_netdev_adapter(nd)->rss.key_size;
}

static u32 vfmp_get_rxfh_indir_size(struct net_device *nd)
{
	return vfmp_netdev_adapter(nd)->rss.indir_size;
}

static const struct ethtool_ops vfmp_ethtool_ops = {
	.get_drvinfo = vfmp_get_drvinfo,
	.get_link = ethtool_op_get_link,
	.get_wol = vfmp_get_wol,
	.set_wol = vfmp_set_wol,
	.get_channels = vfmp_get_channels,
	.get_rxfh_key_size = vfmp_get_rxfh_key_size,
	.get_rxfh_indir_size = vfmp_get_rxfh_indir_size,
};

struct net_device *vfmp_netdev_alloc(struct vfmp_adapter *ad)
{
	u16 q = ad->sdev->caps.max_queue_pairs;
	struct vfmp_netpriv *np;
	struct net_device *nd;

	nd = alloc_etherdev_mqs(sizeof(*np), q, q);
	if (!nd)
		return NULL;
	np = netdev_priv(nd);
	np->ad = ad;
	SET_NETDEV_DEV(nd, ad->dev);
	nd->netdev_ops = &vfmp_netdev_ops;
	nd->ethtool_ops = &vfmp_ethtool_ops;
	/*
	 * RSS hashing is a hardware feature; L2 forwarding offload (macvlan
	 * acceleration, the Linux face of VMQ) is never offered (R7).
	 */
	nd->hw_features = NETIF_F_RXHASH;
	nd->features = NETIF_F_RXHASH;
	nd->min_mtu = ETH_MIN_MTU;
	nd->max_mtu = ETH_DATA_LEN;
	return nd;
}
