// SPDX-License-Identifier: GPL-2.0
/*
 * PF personality (R9): the PF's init steps.  A PF in the parent partition
 * reads the SR-IOV keywords, creates the NIC switch and implements
 * sriov_configure; its mailbox server is vfmp_pf_mbx.c.
 */
#include <linux/etherdevice.h>

#include "vfmp.h"

int vfmp_pf_read_keywords(struct vfmp_adapter *ad)
{
	struct vfmp_pf *pf = &ad->pf;
	struct vfmp_nic_switch *sw = &pf->nswitch;
	u32 sriov = 0, pref = 0;
	int ret;

	pf->sriov_enabled = false;
	ret = vfmp_kw_read_u32(ad, "*SRIOV", &sriov);
	if (ret) {
		pf->sriov_off_reason = "*SRIOV is unreadable";
		return ret;
	}
	if (sriov > 1) {
		dev_warn(ad->dev, "*SRIOV=%u is not 0 or 1; SR-IOV stays off\n",
			 sriov);
		pf->sriov_off_reason = "*SRIOV holds an invalid value";
		sriov = 0;
	} else if (!sriov) {
		pf->sriov_off_reason = "*SRIOV=0 in the adapter's keywords";
	}
	if (!vfmp_kw_read_u32(ad, "*SriovPreferred", &pref))
		pf->sriov_preferred = pref == 1;

	ret = vfmp_kw_read_u32(ad, "*SwitchType", &sw->type) ?:
	      vfmp_kw_read_u32(ad, "*SwitchId", &sw->id) ?:
	      vfmp_kw_read_u32(ad, "*NumVFs", &sw->num_vfs) ?:
	      vfmp_kw_read(ad, "*SwitchName", sw->name, sizeof(sw->name));
	if (ret) {
		if (sriov)
			dev_warn(ad->dev, "NIC switch keywords unreadable (%d); SR-IOV stays off\n",
				 ret);
		pf->sriov_off_reason = "NIC switch keywords are invalid";
		return 0;
	}
	if (sw->type != 1) {
		if (sriov)
			dev_warn(ad->dev, "*SwitchType=%u: only 1 (external) exists; SR-IOV stays off\n",
				 sw->type);
		pf->sriov_off_reason = "*SwitchType is not 1 (external)";
		return 0;
	}
	if (sw->num_vfs > pf->total_vfs) {
		dev_warn(ad->dev, "*NumVFs=%u exceeds the adapter's %u VFs; using %u\n",
			 sw->num_vfs, pf->total_vfs, pf->total_vfs);
		sw->num_vfs = pf->total_vfs;
	}
	pf->sriov_enabled = sriov == 1;
	return 0;
}

static int vfmp_pf_step_keywords(struct vfmp_adapter *ad, const char **note)
{
	int ret;

	ad->pf.total_vfs = vfmp_sim_sriov_total_vfs(ad->sdev);
	if (!ad->decision.sriov_allowed) {
		ad->pf.sriov_enabled = false;
		ad->pf.sriov_off_reason = "PF is in a child partition";
		*note = "PF in a child partition: no SR-IOV, keywords not needed";
		return VFMP_STEP_SKIP;
	}
	ret = vfmp_pf_read_keywords(ad);
	*note = ad->pf.sriov_enabled ? "*SRIOV=1: SR-IOV enabled" :
		ad->pf.sriov_off_reason;
	return ret;
}

ALLOW_ERROR_INJECTION(vfmp_pf_step_keywords, ERRNO);

static int vfmp_pf_step_switch(struct vfmp_adapter *ad, const char **note)
{
	struct vfmp_nic_switch *sw = &ad->pf.nswitch;

	if (!ad->pf.sriov_enabled) {
		*note = "SR-IOV off: no NIC switch";
		return VFMP_STEP_SKIP;
	}
	sw->created = true;
	dev_info(ad->dev, "NIC switch %u \"%s\" (type %u) created for up to %u VFs\n",
		 sw->id, sw->name, sw->type, sw->num_vfs);
	*note = "default NIC switch created from the keywords";
	return 0;
}

ALLOW_ERROR_INJECTION(vfmp_pf_step_switch, ERRNO);

static void vfmp_pf_undo_switch(struct vfmp_adapter *ad)
{
	ad->pf.nswitch.created = false;
}

/* VF settings do not outlive the VFs, as on PCI: a reused slot starts clean */
static void vfmp_pf_forget_vfs(struct vfmp_pf *pf)
{
	if (!pf->vfs)
		return;
	mutex_lock(&pf->vf_lock);
	memset(pf->vfs, 0, pf->total_vfs * sizeof(*pf->vfs));
	mutex_unlock(&pf->vf_lock);
}

int vfmp_pf_sriov_configure(struct vfmp_sim_device *sdev, int num_vfs)
{
	struct vfmp_adapter *ad = dev_get_drvdata(&sdev->dev);
	struct vfmp_pf *pf;
	int ret;

	if (!ad || ad->function != VFMP_FN_PF)
		return -ENODEV;
	pf = &ad->pf;
	if (num_vfs == 0) {
		ret = vfmp_sim_sriov_vfs_assigned(sdev);
		if (ret) {
			dev_err(ad->dev, "cannot disable SR-IOV: %d VFs are assigned to guests\n",
				ret);
			return -EBUSY;
		}
		vfmp_sim_sriov_disable(sdev);
		vfmp_pf_forget_vfs(pf);
		return 0;
	}
	if (!pf->sriov_enabled) {
		dev_err(ad->dev, "cannot enable VFs: SR-IOV is off (%s)\n",
			pf->sriov_off_reason);
		return -EOPNOTSUPP;
	}
	if (num_vfs > pf->nswitch.num_vfs) {
		dev_err(ad->dev, "cannot enable %d VFs: the NIC switch allows %u (*NumVFs)\n",
			num_vfs, pf->nswitch.num_vfs);
		return -ERANGE;
	}
	ret = vfmp_sim_sriov_enable(sdev, num_vfs);
	if (ret) {
		/* VFs that came and went in the attempt leave nothing behind */
		vfmp_pf_forget_vfs(pf);
		dev_err(ad->dev, "enabling %d VFs failed: %d\n", num_vfs, ret);
		return ret;
	}
	dev_info(ad->dev, "%d VFs enabled\n", num_vfs);
	return num_vfs;
}

static int vfmp_pf_step_qps(struct vfmp_adapter *ad, const char **note)
{
	ad->num_qps = ad->sdev->caps.max_queue_pairs;
	eth_hw_addr_set(ad->netdev, ad->sdev->caps.perm_addr);
	ad->netdev->max_mtu = ad->sdev->caps.max_mtu;
	*note = "PF owns its queues and burnt-in MAC";
	return 0;
}

ALLOW_ERROR_INJECTION(vfmp_pf_step_qps, ERRNO);

static int vfmp_pf_step_devlink(struct vfmp_adapter *ad, const char **note)
{
	*note = ad->decision.sriov_allowed ?
		"devlink info and keyword parameters" :
		"devlink info only (no keywords in a child partition)";
	return vfmp_devlink_register(ad);
}

ALLOW_ERROR_INJECTION(vfmp_pf_step_devlink, ERRNO);

const struct vfmp_step vfmp_pf_steps[] = {
	{ "alloc_adapter", VFMP_R1_STANDARD_INIT, vfmp_step_alloc, vfmp_undo_alloc },
	{ "partition_check", VFMP_R2_PARTITION, vfmp_step_partition, NULL },
	{ "enable_device", VFMP_R1_STANDARD_INIT, vfmp_step_enable, vfmp_undo_enable },
	{ "keywords", VFMP_R3_NO_KEYWORDS, vfmp_pf_step_keywords, NULL },
	{ "queues", VFMP_R1_STANDARD_INIT, vfmp_pf_step_qps, NULL },
	{ "mailbox", VFMP_R9_PARENT_PF, vfmp_pf_step_mailbox, vfmp_pf_undo_mailbox },
	{ "nic_switch", VFMP_R9_PARENT_PF, vfmp_pf_step_switch, vfmp_pf_undo_switch },
	{ "sriov_caps", VFMP_R4_SRIOV_CAPS, vfmp_step_sriov_caps, NULL },
	{ "sriov_flags", VFMP_R5_VF_FLAGS, vfmp_step_sriov_flags, NULL },
	{ "vmq", VFMP_R7_NO_VMQ, vfmp_step_vmq, NULL },
	{ "register_attrs", VFMP_R6_REGISTER, vfmp_step_register_attrs, vfmp_undo_register_attrs },
	{ "rss_pm", VFMP_R8_RSS_PM, vfmp_step_rss_pm, vfmp_undo_rss_pm },
	{ "sysfs", VFMP_R1_STANDARD_INIT, vfmp_step_sysfs, vfmp_undo_sysfs },
	{ "register_netdev", VFMP_R1_STANDARD_INIT, vfmp_step_netdev, vfmp_undo_netdev },
	{ "devlink", VFMP_R9_PARENT_PF, vfmp_pf_step_devlink, vfmp_devlink_unregister },
};

const int vfmp_pf_nsteps = ARRAY_SIZE(vfmp_pf_steps);
static_assert(ARRAY_SIZE(vfmp_pf_steps) <= VFMP_MAX_STEPS);
