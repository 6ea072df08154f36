// SPDX-License-Identifier: GPL-2.0
/*
 * R3: the only way into the SR-IOV keywords.  Every keyword read of the
 * driver (the PF's init step, devlink) goes through vfmp_kw_read(), which
 * refuses anything but a PF personality.
 */
#include <linux/kernel.h>

#include "vfmp.h"

int vfmp_kw_read(struct vfmp_adapter *ad, const char *kw, char *buf,
		 size_t len)
{
	int ret;

	if (ad->function != VFMP_FN_PF ||
	    ad->decision.personality != VFMP_PERS_PF) {
		vfmp_note_keyword(ad->name, ad->function, kw, false, -EPERM);
		WARN_ONCE(1, "vfmp: %s: a VF must not read SR-IOV keyword %s (rule R3); refused\n",
			  ad->name, kw);
		return -EPERM;
	}
	ret = vfmp_sim_read_keyword(ad->sdev, kw, buf, len);
	vfmp_note_keyword(ad->name, ad->function, kw, true,
			  ret < 0 ? ret : 0);
	return ret < 0 ? ret : 0;
}

int vfmp_kw_read_u32(struct vfmp_adapter *ad, const char *kw, u32 *val)
{
	char buf[VFMP_SIM_KW_VALUE_MAX];
	int ret;

	ret = vfmp_kw_read(ad, kw, buf, sizeof(buf));
	if (ret)
		return ret;
	ret = kstrtou32(buf, 0, val);
	if (ret)
		dev_warn(ad->dev, "keyword %s: \"%s\" is not a number\n", kw, buf);
	return ret;
}
