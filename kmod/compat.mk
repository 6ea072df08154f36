# SPDX-License-Identifier: GPL-2.0
# Kernel feature probes for kmod/include/vfmp_compat.h (included by Kbuild).
#
# Each probe looks for one declaration in the headers of the kernel being
# built against ($(srctree)) and defines VFMP_HAVE_<feature> if it is
# there, so the code follows the API, not a release number (Debian carries
# backports, and a new kernel need not be listed anywhere).

# $(call vfmp_probe,MACRO,HEADER,VARIABLE): -DMACRO if HEADER contains the
# fixed string held in VARIABLE (strings live in variables: their
# parentheses and commas would confuse $(call)).
vfmp_probe = $(if $(shell grep -qsF -- '$($(3))' $(srctree)/include/$(2) && echo y),-D$(1))

# driver core: bus callbacks and bus attributes take const pointers
vfmp_s_uevent = int (*uevent)(const struct device *dev
vfmp_s_attr = ssize_t (*store)(const struct bus_type *bus
vfmp_s_match = int (*match)(struct device *dev, const struct device_driver *drv)
ccflags-y += $(call vfmp_probe,VFMP_HAVE_BUS_UEVENT_CONST,linux/device/bus.h,vfmp_s_uevent)
ccflags-y += $(call vfmp_probe,VFMP_HAVE_BUS_ATTR_CONST,linux/device/bus.h,vfmp_s_attr)
ccflags-y += $(call vfmp_probe,VFMP_HAVE_BUS_MATCH_CONST,linux/device/bus.h,vfmp_s_match)

# page_pool: the header was split into net/page_pool/{types,helpers}.h
ccflags-y += $(if $(wildcard $(srctree)/include/net/page_pool/helpers.h),-DVFMP_HAVE_PAGE_POOL_HELPERS_H)

# XDP: devices advertise their XDP features (needed to be a redirect target)
vfmp_s_xdpf = xdp_set_features_flag(
ccflags-y += $(call vfmp_probe,VFMP_HAVE_XDP_FEATURES,net/xdp.h,vfmp_s_xdpf)

# devlink: the driver puts its own name in "devlink dev info" (where this
# helper is gone the core does it); parameter set callbacks get an extack
vfmp_s_dlname = devlink_info_driver_name_put(
vfmp_s_dlset = int (*set)(struct devlink *devlink, u32 id,
ccflags-y += $(call vfmp_probe,VFMP_HAVE_DL_INFO_DRIVER_NAME_PUT,net/devlink.h,vfmp_s_dlname)
ccflags-y += $(if $(shell grep -sF -A2 -- '$(vfmp_s_dlset)' \
	$(srctree)/include/net/devlink.h | grep -q extack && echo y),-DVFMP_HAVE_DL_PARAM_SET_EXTACK)

# ethtool: get_rxfh/set_rxfh take a struct ethtool_rxfh_param
vfmp_s_rxfh = struct ethtool_rxfh_param {
ccflags-y += $(call vfmp_probe,VFMP_HAVE_ETHTOOL_RXFH_PARAM,linux/ethtool.h,vfmp_s_rxfh)
