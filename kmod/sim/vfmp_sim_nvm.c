// SPDX-License-Identifier: GPL-2.0
/*
 * The adapter's keyword store: the simulated NVM that holds the SR-IOV
 * standardized keywords and the default NIC switch keywords, and the
 * keyword API of vfmp_sim_hw.h.  It stores strings, as a registry does;
 * the PF driver parses and validates them.
 */
#include <linux/ctype.h>
#include <linux/string.h>

#include "vfmp_sim.h"

const char * const sim_kw_names[SIM_KW_COUNT] = {
	[SIM_KW_SRIOV] = "*SRIOV",
	[SIM_KW_SRIOV_PREFERRED] = "*SriovPreferred",
	[SIM_KW_SWITCH_TYPE] = "*SwitchType",
	[SIM_KW_SWITCH_NAME] = "*SwitchName",
	[SIM_KW_SWITCH_ID] = "*SwitchId",
	[SIM_KW_NUM_VFS] = "*NumVFs",
};

void sim_kw_defaults(struct vfmp_sim_adapter *ad)
{
	strscpy(ad->kw[SIM_KW_SRIOV], "1", VFMP_SIM_KW_VALUE_MAX);
	strscpy(ad->kw[SIM_KW_SRIOV_PREFERRED], "0", VFMP_SIM_KW_VALUE_MAX);
	/* NdisNicSwitchTypeExternal */
	strscpy(ad->kw[SIM_KW_SWITCH_TYPE], "1", VFMP_SIM_KW_VALUE_MAX);
	strscpy(ad->kw[SIM_KW_SWITCH_NAME], "Default Switch", VFMP_SIM_KW_VALUE_MAX);
	/* NDIS_DEFAULT_SWITCH_ID */
	strscpy(ad->kw[SIM_KW_SWITCH_ID], "0", VFMP_SIM_KW_VALUE_MAX);
	snprintf(ad->kw[SIM_KW_NUM_VFS], VFMP_SIM_KW_VALUE_MAX, "%u", ad->total_vfs);
}

/* Admin write; any printable value is stored, as an NVM would. */
int sim_kw_set(struct vfmp_sim_adapter *ad, const char *name,
	       const char *value)
{
	int kw = match_string(sim_kw_names, SIM_KW_COUNT, name);
	size_t i, len = strlen(value);

	if (kw < 0) {
		pr_info("vfmp_sim: sim%u: unknown keyword \"%s\"\n", ad->id, name);
		return -ENOENT;
	}
	if (len == 0 || len >= VFMP_SIM_KW_VALUE_MAX) {
		pr_info("vfmp_sim: sim%u: %s: value must be 1..%d characters\n",
			ad->id, name, VFMP_SIM_KW_VALUE_MAX - 1);
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (!isprint(value[i])) {
			pr_info("vfmp_sim: sim%u: %s: value is not printable\n",
				ad->id, name);
			return -EINVAL;
		}
	}
	mutex_lock(&ad->lock);
	strscpy(ad->kw[kw], value, VFMP_SIM_KW_VALUE_MAX);
	mutex_unlock(&ad->lock);
	return 0;
}

int vfmp_sim_read_keyword(struct vfmp_sim_device *sdev, const char *name,
			  char *buf, size_t len)
{
	struct vfmp_sim_adapter *ad = sdev->adapter;
	int kw = match_string(sim_kw_names, SIM_KW_COUNT, name);
	int n;

	if (kw < 0)
		return -ENOENT;
	atomic64_inc(&ad->kw_reads[kw][sdev->function == VFMP_SIM_FN_VF]);
	mutex_lock(&ad->lock);
	n = strscpy(buf, ad->kw[kw], len);
	mutex_unlock(&ad->lock);
	return n < 0 ? -ENOSPC : n;
}
EXPORT_SYMBOL_GPL(vfmp_sim_read_keyword);

int vfmp_sim_write_keyword(struct vfmp_sim_device *sdev, const char *name,
			   const char *value)
{
	if (sdev->function != VFMP_SIM_FN_PF)
		return -EPERM;
	return sim_kw_set(sdev->adapter, name, value);
}
EXPORT_SYMBOL_GPL(vfmp_sim_write_keyword);
