/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfmp_compat.h - the kernel API differences between the supported kernels
 * (Debian 12's 6.1 and Debian 13's 6.12), in one place.
 *
 * Kbuild probes the kernel's headers (kmod/compat.mk) and defines
 * VFMP_HAVE_<feature> for what it finds; this header turns those into the
 * few names the .c files use.  No release number is tested anywhere.
 */
#ifndef _VFMP_COMPAT_H
#define _VFMP_COMPAT_H

#include <linux/device.h>
#include <linux/ethtool.h>
#include <linux/netdevice.h>

/* driver core: bus callbacks and bus attributes take const pointers */
#ifdef VFMP_HAVE_BUS_UEVENT_CONST
#define VFMP_UEVENT_DEV		const struct device
#else
#define VFMP_UEVENT_DEV		struct device
#endif
#ifdef VFMP_HAVE_BUS_ATTR_CONST
#define VFMP_BUS_ATTR_BUS	const struct bus_type
#else
#define VFMP_BUS_ATTR_BUS	struct bus_type
#endif
#ifdef VFMP_HAVE_BUS_MATCH_CONST
#define VFMP_MATCH_DRV		const struct device_driver
#else
#define VFMP_MATCH_DRV		struct device_driver
#endif

/* page_pool: the header was split into net/page_pool/{types,helpers}.h */
#ifdef VFMP_HAVE_PAGE_POOL_HELPERS_H
#include <net/page_pool/helpers.h>
#else
#include <net/page_pool.h>
#endif

/* XDP: XDP_REDIRECT into a device needs NETDEV_XDP_ACT_NDO_XMIT, where
 * devices advertise their XDP features.
 */
#ifdef VFMP_HAVE_XDP_FEATURES
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

/* devlink: where the helper is gone, the core reports the driver name */
#ifdef VFMP_HAVE_DL_INFO_DRIVER_NAME_PUT
#define vfmp_devlink_info_driver_name_put(req, name) \
	devlink_info_driver_name_put(req, name)
#else
#define vfmp_devlink_info_driver_name_put(req, name)	0
#endif

/*
 * devlink parameter set callbacks.  VFMP_DEFINE_DL_PARAM_SET(fn) defines
 * fn_cb, the callback for DEVLINK_PARAM_*(), from a function of the shape
 *	int fn(struct devlink *, u32 id, struct devlink_param_gset_ctx *,
 *	       struct netlink_ext_ack *extack);
 * which gets a NULL extack where the kernel passes none.
 */
#ifdef VFMP_HAVE_DL_PARAM_SET_EXTACK
#define VFMP_DEFINE_DL_PARAM_SET(fn)					\
static int fn##_cb(struct devlink *dl, u32 id,				\
		   struct devlink_param_gset_ctx *ctx,			\
		   struct netlink_ext_ack *extack)			\
{									\
	return fn(dl, id, ctx, extack);					\
}
#else
#define VFMP_DEFINE_DL_PARAM_SET(fn)					\
static int fn##_cb(struct devlink *dl, u32 id,				\
		   struct devlink_param_gset_ctx *ctx)			\
{									\
	return fn(dl, id, ctx, NULL);					\
}
#endif

/*
 * ethtool RSS.  VFMP_DEFINE_RXFH_OPS(get, set) defines get_param and
 * set_param, the .get_rxfh/.set_rxfh ops (VFMP_ETHTOOL_RXFH_OPS fills
 * them in), from functions of the shape
 *	int get(struct net_device *, u32 *indir, u8 *key, u8 *hfunc);
 *	int set(struct net_device *, const u32 *indir, const u8 *key,
 *		u8 hfunc, struct netlink_ext_ack *extack);
 */
#ifdef VFMP_HAVE_ETHTOOL_RXFH_PARAM
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
