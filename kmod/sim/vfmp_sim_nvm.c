// SPDX-License-Identifier: GPL-2.0
/*
 * The adapter's keyword store: the simulated NVM that holds the SR-IOV
 * standardized keywords and the default NIC switch keywords.  It stores
 * strings, as a registry does; the PF driver parses and validates them.
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
	strscpy(ad->kw[SIM_KW_SRIOV], "1", SIM_KW_VALUE_MAX);
	strscpy(ad->kw[SIM_KW_SRIOV_PREFERRED], "0", SIM_KW_VALUE_MAX);
	/* NdisNicSwitchTypeExternal */
	strscpy(ad->kw[SIM_KW_SWITCH_TYPE], "1", SIM_KW_VALUE_MAX);
	strscpy(ad->kw[SIM_KW_SWITCH_NAME], "Default Switch", SIM_KW_VALUE_MAX);
	/* NDIS_DEFAULT_SWITCH_ID */
	strscpy(ad->kw[SIM_KW_SWITCH_ID], "0", SIM_KW_VALUE_MAX);
	snprintf(ad->kw[SIM_KW_NUM_VFS], SIM_KW_VALUE_MAX, "%u", ad->total_vfs);
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
	if (len == 0 || len >= SIM_KW_VALUE_MAX) {
		pr_info("vfmp_sim: sim%u: %s: value must be 1..%d characters\n",
			ad->id, name, SIM_KW_VALUE_MAX - 1);
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
	strscpy(ad->kw[kw], value, SIM_KW_VALUE_MAX);
	mutex_unlock(&ad->lock);
	return 0;
}
