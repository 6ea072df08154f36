// SPDX-License-Identifier: GPL-2.0
/*
 * Steps and helpers both personalities use: the platform query behind the
 * partition check (R2), the one keyword accessor (R3), capability
 * building (R4/R5), VMQ (R7), registration (R6), RSS and PM (R8) and the
 * standard Linux NIC steps (R1).
 */
#include <linux/device.h>
#include <linux/etherdevice.h>
#include <linux/ktime.h>
#include <asm/cpufeature.h>
#include <asm/hypervisor.h>
#include <asm/mshyperv.h>
#include <xen/xen.h>

#include "vfmp.h"
#include "vfmp_trace.h"

/* ---- R2: what the platform says (NdisGetHypervisorInfo's sources) ---- */

void vfmp_platform_read(struct vfmp_platform *p)
{
	memset(p, 0, sizeof(*p));
	p->hv_present = boot_cpu_has(X86_FEATURE_HYPERVISOR);
	switch (x86_hyper_type) {
	case X86_HYPER_MS_HYPERV:
		p->kind = VFMP_HV_HYPERV;
		break;
	case X86_HYPER_XEN_PV:
	case X86_HYPER_XEN_HVM:
		p->kind = VFMP_HV_XEN;
		break;
	case X86_HYPER_KVM:
		p->kind = VFMP_HV_KVM;
		break;
	case X86_HYPER_VMWARE:
		p->kind = VFMP_HV_VMWARE;
		break;
	case X86_HYPER_ACRN:
		p->kind = VFMP_HV_ACRN;
		break;
	case X86_HYPER_JAILHOUSE:
		p->kind = VFMP_HV_JAILHOUSE;
		break;
	default:
		/* a hypervisor bit with no known signature (e.g. QEMU TCG) */
		p->kind = p->hv_present ? VFMP_HV_OTHER : VFMP_HV_NONE;
		break;
	}
#if IS_ENABLED(CONFIG_HYPERV)
	p->hv_root_partition = p->kind == VFMP_HV_HYPERV && hv_root_partition;
#endif
	p->xen_initial_domain = xen_initial_domain();
	if (p->kind == VFMP_HV_XEN && !xen_domain())
		p->kind = VFMP_HV_OTHER;
}

int vfmp_step_partition(struct vfmp_adapter *ad, const char **note)
{
	static const enum vfmp_part_override ovr[] = {
		[VFMP_SIM_PART_PLATFORM] = VFMP_OVR_PLATFORM,
		[VFMP_SIM_PART_PARENT] = VFMP_OVR_PARENT,
		[VFMP_SIM_PART_CHILD] = VFMP_OVR_CHILD,
	};
	enum vfmp_sim_partition sp = vfmp_sim_get_partition(ad->sdev);
	bool allow = READ_ONCE(vfmp_allow_bare_metal_vf);
	struct vfmp_decision *d = &ad->decision;

	vfmp_platform_read(&ad->platform);
	ad->override = sp < ARRAY_SIZE(ovr) ? ovr[sp] : VFMP_OVR_PLATFORM;
	vfmp_hv_info_build(&ad->platform, ad->override, &ad->hv);
	vfmp_decide(ad->function, &ad->hv, allow, d);

	trace_vfmp_partition(ad->name, ad->function, ad->platform.hv_present,
			     ad->platform.kind, ad->platform.hv_root_partition,
			     ad->platform.xen_initial_domain, ad->override,
			     ad->hv.partition, ad->hv.source, allow, d->verdict,
			     d->err);
	*note = d->reason;
	if (d->err)
		return d->err;	/* the step runner logs the reason */
	if (d->verdict == VFMP_V_VF_TREATED_AS_CHILD ||
	    d->verdict == VFMP_V_VF_BARE_METAL_ALLOWED ||
	    d->verdict == VFMP_V_PF_NO_SRIOV_CHILD)
		dev_info(ad->dev, "%s\n", d->reason);
	return 0;
}

/* ---- R3: the only way into the SR-IOV keywords ---------------------- */

int vfmp_kw_read(struct vfmp_adapter *ad, const char *kw, char *buf,
		 size_t len)
{
	int ret;

	if (ad->function != VFMP_FN_PF ||
	    ad->decision.personality != VFMP_PERS_PF) {
		trace_vfmp_keyword(ad->name, ad->function, kw, false, -EPERM);
		WARN_ONCE(1, "vfmp: %s: a VF must not read SR-IOV keyword %s (rule R3); refused\n",
			  ad->name, kw);
		return -EPERM;
	}
	ret = vfmp_sim_read_keyword(ad->sdev, kw, buf, len);
	trace_vfmp_keyword(ad->name, ad->function, kw, true,
			   ret < 0 ? ret : 0);
	return ret < 0 ? ret : 0;
}

int vfmp_kw_read_u32(struct vfmp_adapter *ad, const char *kw, u32 *val)
{
	char buf[VFMP_KW_LEN];
	int ret;

	ret = vfmp_kw_read(ad, kw, buf, sizeof(buf));
	if (ret)
		return ret;
	ret = kstrtou32(buf, 0, val);
	if (ret)
		dev_warn(ad->dev, "keyword %s: \"%s\" is not a number\n", kw, buf);
	return ret;
}

/* ---- R1: standard NIC init ------------------------------------------ */

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

void vfmp_undo_alloc(struct vfmp_adapter *ad)
{
	vfmp_netdev_free(ad);
}

int vfmp_step_enable(struct vfmp_adapter *ad, const char **note)
{
	int ret = vfmp_sim_enable_device(ad->sdev);

	if (ret)
		*note = ret == -ENODEV ? "function is gone" :
			"device resources unavailable";
	return ret;
}

void vfmp_undo_enable(struct vfmp_adapter *ad)
{
	vfmp_sim_disable_device(ad->sdev);
}

/* ---- R4/R5: NDIS_SRIOV_CAPABILITIES --------------------------------- */

int vfmp_step_sriov_caps(struct vfmp_adapter *ad, const char **note)
{
	/* header only here; R5 sets the capability bits */
	vfmp_sriov_caps_init(&ad->hw_caps, 0);
	vfmp_sriov_caps_init(&ad->cur_caps, 0);
	*note = "header type 0x80 rev 1 size 12, flags 0";
	return 0;
}

int vfmp_step_sriov_flags(struct vfmp_adapter *ad, const char **note)
{
	enum vfmp_personality p = ad->decision.personality;
	bool on = p == VFMP_PERS_VF || ad->pf.sriov_enabled;

	/* hardware: what the function can do; current: what is enabled */
	ad->hw_caps.sriov_caps = vfmp_sriov_caps_for(p, true);
	ad->cur_caps.sriov_caps = vfmp_sriov_caps_for(p, on);
	if (p == VFMP_PERS_VF)
		*note = "VF_MINIPORT|SRIOV_SUPPORTED, never PF_MINIPORT";
	else
		*note = on ? "PF_MINIPORT|SRIOV_SUPPORTED" :
			"PF_MINIPORT (SR-IOV off)";
	return 0;
}

/* ---- R7: VMQ -------------------------------------------------------- */

int vfmp_step_vmq(struct vfmp_adapter *ad, const char **note)
{
	struct vfmp_rx_filter_caps *r = &ad->rx_filter_caps;
	u16 hwq = ad->sdev->caps.vmq_queues;

	vfmp_rx_filter_caps_init(r);
	if (ad->decision.personality == VFMP_PERS_VF) {
		/* The silicon offers VMQ on this function; a VF leaves it out. */
		*note = hwq ? "hardware offers VMQ; a VF must not advertise it" :
			"no VMQ";
		trace_vfmp_feature(ad->name, "vmq", false, VFMP_R7_NO_VMQ,
				   *note);
		return 0;
	}
	if (!hwq) {
		*note = "hardware has no VMQ";
		trace_vfmp_feature(ad->name, "vmq", false, VFMP_R7_NO_VMQ, *note);
		return 0;
	}
	r->enabled_filter_types = VFMP_RX_FILTER_VMQ_FILTERS;
	r->enabled_queue_types = VFMP_RX_QUEUE_VMQ;
	r->num_queues = hwq;
	*note = "PF advertises VMQ";
	trace_vfmp_feature(ad->name, "vmq", true, VFMP_R7_NO_VMQ, *note);
	return 0;
}

/* ---- R6: NdisMSetMiniportAttributes(HARDWARE_ASSIST) ---------------- */

int vfmp_set_miniport_attributes(struct vfmp_adapter *ad,
				 const struct vfmp_hw_assist_attrs *attrs)
{
	const char *why = NULL;
	int ret;

	ret = vfmp_hw_assist_attrs_validate(attrs, ad->decision.personality,
					    &why);
	if (attrs && attrs->hw_sriov_caps && attrs->cur_sriov_caps) {
		const struct vfmp_sriov_caps *h = attrs->hw_sriov_caps;
		const struct vfmp_sriov_caps *c = attrs->cur_sriov_caps;

		trace_vfmp_caps_register(ad->name, false, h->hdr.type,
					 h->hdr.revision, h->hdr.size, h->flags,
					 h->sriov_caps, ret);
		trace_vfmp_caps_register(ad->name, true, c->hdr.type,
					 c->hdr.revision, c->hdr.size, c->flags,
					 c->sriov_caps, ret);
	}
	if (ret) {
		dev_err(ad->dev, "hardware-assist attributes rejected: %s\n",
			why ? why : "invalid");
		return ret;
	}
	if (attrs != &ad->attrs)
		ad->attrs = *attrs;
	ad->attrs_registered = true;
	return 0;
}

int vfmp_step_register_attrs(struct vfmp_adapter *ad, const char **note)
{
	int ret;

	vfmp_hw_assist_attrs_init(&ad->attrs, &ad->hw_caps, &ad->cur_caps);
	if (ad->rx_filter_caps.enabled_queue_types) {
		ad->attrs.hw_rx_filter_caps = &ad->rx_filter_caps;
		ad->attrs.cur_rx_filter_caps = &ad->rx_filter_caps;
	}
	ret = vfmp_set_miniport_attributes(ad, &ad->attrs);
	*note = ret ? "attributes rejected" :
		"hardware and current SR-IOV capabilities registered";
	return ret;
}

void vfmp_undo_register_attrs(struct vfmp_adapter *ad)
{
	ad->attrs_registered = false;
}

/* ---- R8: RSS and power management ----------------------------------- */

int vfmp_step_rss_pm(struct vfmp_adapter *ad, const char **note)
{
	struct vfmp_sim_caps *c = &ad->sdev->caps;

	ad->rss.num_queue_pairs = ad->num_qps;
	ad->rss.key_size = c->rss_key_size;
	ad->rss.indir_size = c->rss_indir_size;
	ad->rss.hash_types = c->rss_hash_types & VFMP_RSS_HASH_ALL;
	trace_vfmp_feature(ad->name, "rss", true, VFMP_R8_RSS_PM,
			   "RSS may be advertised by a VF");

	ad->pm.wake_flags = 0;
	if (c->wol_modes & VFMP_SIM_WOL_MAGIC) {
		ad->pm.wake_flags = VFMP_PM_WAKE_MAGIC;
		device_set_wakeup_capable(ad->dev, true);
		trace_vfmp_feature(ad->name, "wol_magic", true, VFMP_R8_RSS_PM,
				   "power management may be advertised");
	} else {
		trace_vfmp_feature(ad->name, "wol_magic", false, VFMP_R8_RSS_PM,
				   "hardware has no wake-up");
	}
	*note = "RSS and wake-on-LAN advertised";
	return 0;
}

void vfmp_undo_rss_pm(struct vfmp_adapter *ad)
{
	device_set_wakeup_capable(ad->dev, false);
}

int vfmp_step_sysfs(struct vfmp_adapter *ad, const char **note)
{
	*note = "vfmp/ attribute group";
	return sysfs_create_group(&ad->dev->kobj, &vfmp_sysfs_group);
}

void vfmp_undo_sysfs(struct vfmp_adapter *ad)
{
	sysfs_remove_group(&ad->dev->kobj, &vfmp_sysfs_group);
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

void vfmp_undo_netdev(struct vfmp_adapter *ad)
{
	unregister_netdev(ad->netdev);
}
