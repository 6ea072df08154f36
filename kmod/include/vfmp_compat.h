/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfmp_compat.h - the kernel API differences between the supported kernels
 * (Debian 12's 6.1 and Debian 13's 6.12), in one place.
 *
 * Rules: a header that moved is found with __has_include(); a changed
 * signature is named after the release that changed it, with the change
 * described, so that the line can go when that release is the oldest one
 * supported.  The .c files use only the names defined here, never a
 * version test of their own.
 */
#ifndef _VFMP_COMPAT_H
#define _VFMP_COMPAT_H

#include <linux/version.h>

/*
 * Driver core: the bus callbacks and bus attributes take const pointers
 * (uevent: 6.3, bus attribute show/store: 6.4, match: 6.11).
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#define VFMP_UEVENT_DEV		const struct device
#else
#define VFMP_UEVENT_DEV		struct device
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define VFMP_BUS_ATTR_BUS	const struct bus_type
#else
#define VFMP_BUS_ATTR_BUS	struct bus_type
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define VFMP_MATCH_DRV		const struct device_driver
#else
#define VFMP_MATCH_DRV		struct device_driver
#endif

/* VFS: no_llseek is gone (6.12); a NULL ->llseek means "not seekable". */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define VFMP_NO_LLSEEK		NULL
#else
#define VFMP_NO_LLSEEK		no_llseek
#endif

/*
 * page_pool: the header was split into net/page_pool/{types,helpers}.h;
 * Kbuild probes for it (VFMP_HAVE_PAGE_POOL_HELPERS_H).
 */
#ifdef VFMP_HAVE_PAGE_POOL_HELPERS_H
#include <net/page_pool/helpers.h>
#else
#include <net/page_pool.h>
#endif

/*
 * XDP: from 6.3 a device advertises what XDP it does in xdp_features, and
 * XDP_REDIRECT into it works only if NETDEV_XDP_ACT_NDO_XMIT is set.
 */
#include <linux/netdevice.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
#include <net/xdp.h>
static inline void vfmp_xdp_features_set(struct net_device *nd)
{
	xdp_set_features_flag(nd, NETDEV_XDP_ACT_BASIC |
			      NETDEV_XDP_ACT_REDIRECT |
			      NETDEV_XDP_ACT_NDO_XMIT);
}
#else
static inline void vfmp_xdp_features_set(struct net_device *nd)
{
}
#endif

/*
 * devlink: the core reports the driver name itself (6.2), and the
 * parameter set callback takes an extack (6.10): VFMP_DL_SET_EXTACK ends
 * its parameter list.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define vfmp_devlink_info_driver_name_put(req, name)	0
#else
#define vfmp_devlink_info_driver_name_put(req, name) \
	devlink_info_driver_name_put(req, name)
#endif
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define VFMP_DL_SET_EXTACK	, struct netlink_ext_ack *extack
#else
#define VFMP_DL_SET_EXTACK
#endif

/*
 * ethtool: get_rxfh/set_rxfh take a struct ethtool_rxfh_param (6.8).
 * VFMP_ETHTOOL_RXFH_OPS(get, set) fills the two ops from functions of the
 * shape
 *	int get(struct net_device *, u32 *indir, u8 *key, u8 *hfunc);
 *	int set(struct net_device *, const u32 *indir, const u8 *key,
 *		u8 hfunc, struct netlink_ext_ack *extack);
 */
#include <linux/ethtool.h>
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define VFMP_DEFINE_RXFH_OPS(get, set)					\
static int get##_param(struct net_device *nd,				\
		       struct ethtool_rxfh_param *p)			\
{									\
	return get(nd, p->indir, p->key, &p->hfunc);			\
}									\
static int set##_param(struct net_device *nd,				\
		       struct ethtool_rxfh_param *p,			\
		       struct netlink_ext_ack *extack)			\
{									\
	return set(nd, p->indir, p->key, p->hfunc, extack);		\
}
#else
#define VFMP_DEFINE_RXFH_OPS(get, set)					\
static int get##_param(struct net_device *nd, u32 *indir, u8 *key,	\
		       u8 *hfunc)					\
{									\
	return get(nd, indir, key, hfunc);				\
}									\
static int set##_param(struct net_device *nd, const u32 *indir,	\
		       const u8 *key, const u8 hfunc)			\
{									\
	return set(nd, indir, key, hfunc, NULL);			\
}
#endif
#define VFMP_ETHTOOL_RXFH_OPS(get, set)					\
	.get_rxfh = get##_param,					\
	.set_rxfh = set##_param

#endif /* _VFMP_COMPAT_H */
