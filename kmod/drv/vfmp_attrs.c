// SPDX-License-Identifier: GPL-2.0
/*
 * The capability records both personalities build and register: the
 * SR-IOV capabilities (R4/R5), VMQ (R7), RSS and power management (R8),
 * and their registration, the NdisMSetMiniportAttributes counterpart (R6).
 */
#include <linux/device.h>

#include "vfmp.h"

/* ---- R4/R5: NDIS_SRIOV_CAPABILITIES --------------------------------- */

int vfmp_step_sriov_caps(struct vfmp_adapter *ad, const char **note)
{
	/* header only here; R5 sets the capability bits */
	vfmp_sriov_caps_init(&ad->hw_caps, 0);
	vfmp_sriov_caps_init(&ad->cur_caps, 0);
	*note = "header type 0x80 rev 1 size 12, flags 0";
	return 0;
}

ALLOW_ERROR_INJECTION(vfmp_step_sriov_caps, ERRNO);

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

ALLOW_ERROR_INJECTION(vfmp_step_sriov_flags, ERRNO);

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
		vfmp_note_feature(ad->name, "vmq", false, VFMP_R7_NO_VMQ,
				  *note);
		return 0;
	}
	if (!hwq) {
		*note = "hardware has no VMQ";
		vfmp_note_feature(ad->name, "vmq", false, VFMP_R7_NO_VMQ, *note);
		return 0;
	}
	r->enabled_filter_types = VFMP_RX_FILTER_VMQ_FILTERS;
	r->enabled_queue_types = VFMP_RX_QUEUE_VMQ;
	r->num_queues = hwq;
	*note = "PF advertises VMQ";
	vfmp_note_feature(ad->name, "vmq", true, VFMP_R7_NO_VMQ, *note);
	return 0;
}

ALLOW_ERROR_INJECTION(vfmp_step_vmq, ERRNO);

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

		vfmp_note_caps_register(ad->name, false, h->hdr.type,
					h->hdr.revision, h->hdr.size, h->flags,
					h->sriov_caps, ret);
		vfmp_note_caps_register(ad->name, true, c->hdr.type,
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

ALLOW_ERROR_INJECTION(vfmp_step_register_attrs, ERRNO);

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
	vfmp_note_feature(ad->name, "rss", true, VFMP_R8_RSS_PM,
			  "RSS may be advertised by a VF");

	ad->pm.wake_flags = 0;
	if (c->wol_modes & VFMP_SIM_WOL_MAGIC) {
		ad->pm.wake_flags = VFMP_PM_WAKE_MAGIC;
		device_set_wakeup_capable(ad->dev, true);
		vfmp_note_feature(ad->name, "wol_magic", true, VFMP_R8_RSS_PM,
				  "power management may be advertised");
	} else {
		vfmp_note_feature(ad->name, "wol_magic", false, VFMP_R8_RSS_PM,
				  "hardware has no wake-up");
	}
	*note = "RSS and wake-on-LAN advertised";
	return 0;
}

ALLOW_ERROR_INJECTION(vfmp_step_rss_pm, ERRNO);

void vfmp_undo_rss_pm(struct vfmp_adapter *ad)
{
	/*
	 * `ethtool -s wol g` registered a wakeup source: a child device that
	 * holds ours.  Drop it while the device is still wakeup capable
	 * (device_wakeup_disable() ignores a device that is not), or it
	 * outlives the driver and keeps the device from being released.
	 */
	device_wakeup_disable(ad->dev);
	ad->wolopts = 0;
	device_set_wakeup_capable(ad->dev, false);
}

