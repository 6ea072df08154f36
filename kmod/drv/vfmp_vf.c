// SPDX-License-Identifier: GPL-2.0
/*
 * VF personality: the init steps of a VF miniport.  A VF never reads the
 * SR-IOV keywords (R3) and never creates a NIC switch (R9): everything it
 * needs comes from its PF over the mailbox (vfmp_vf_mbx.c).
 */
#include "vfmp.h"

static int vfmp_vf_step_keywords(struct vfmp_adapter *ad, const char **note)
{
	char buf[VFMP_SIM_KW_VALUE_MAX];

	if (READ_ONCE(vfmp_debug_vf_kw_read)) {
		/* debug knob: prove the accessor refuses a VF (R3) */
		int ret = vfmp_kw_read(ad, "*SRIOV", buf, sizeof(buf));

		dev_info(ad->dev, "debug_vf_kw_read: keyword read refused (%d)\n",
			 ret);
	}
	*note = "a VF never reads the SR-IOV keywords";
	return VFMP_STEP_SKIP;
}

ALLOW_ERROR_INJECTION(vfmp_vf_step_keywords, ERRNO);

static int vfmp_vf_step_no_switch(struct vfmp_adapter *ad, const char **note)
{
	*note = "only a PF in the parent partition creates the NIC switch";
	return VFMP_STEP_SKIP;
}

ALLOW_ERROR_INJECTION(vfmp_vf_step_no_switch, ERRNO);

const struct vfmp_step vfmp_vf_steps[] = {
	{ "alloc_adapter", VFMP_R1_STANDARD_INIT, vfmp_step_alloc, vfmp_undo_alloc },
	{ "partition_check", VFMP_R2_PARTITION, vfmp_step_partition, NULL },
	{ "enable_device", VFMP_R1_STANDARD_INIT, vfmp_step_enable, vfmp_undo_enable },
	{ "keywords", VFMP_R3_NO_KEYWORDS, vfmp_vf_step_keywords, NULL },
	{ "mailbox", VFMP_R1_STANDARD_INIT, vfmp_vf_step_mailbox, vfmp_vf_undo_mailbox },
	{ "nic_switch", VFMP_R9_PARENT_PF, vfmp_vf_step_no_switch, NULL },
	{ "sriov_caps", VFMP_R4_SRIOV_CAPS, vfmp_step_sriov_caps, NULL },
	{ "sriov_flags", VFMP_R5_VF_FLAGS, vfmp_step_sriov_flags, NULL },
	{ "vmq", VFMP_R7_NO_VMQ, vfmp_step_vmq, NULL },
	{ "register_attrs", VFMP_R6_REGISTER, vfmp_step_register_attrs, vfmp_undo_register_attrs },
	{ "rss_pm", VFMP_R8_RSS_PM, vfmp_step_rss_pm, vfmp_undo_rss_pm },
	{ "sysfs", VFMP_R1_STANDARD_INIT, vfmp_step_sysfs, vfmp_undo_sysfs },
	{ "register_netdev", VFMP_R1_STANDARD_INIT, vfmp_step_netdev, vfmp_undo_netdev },
};

const int vfmp_vf_nsteps = ARRAY_SIZE(vfmp_vf_steps);
static_assert(ARRAY_SIZE(vfmp_vf_steps) <= VFMP_MAX_STEPS);
