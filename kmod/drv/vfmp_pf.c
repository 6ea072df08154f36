// SPDX-License-Identifier: GPL-2.0
/*
 * PF personality (R9): a PF in the parent partition reads the SR-IOV
 * keywords, creates the NIC switch, implements sriov_configure and
 * answers its VFs' mailbox requests.  Every VF message is untrusted.
 */
#include <linux/etherdevice.h>
#include <linux/slab.h>

#include "vfmp.h"
#include "vfmp_trace.h"

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

/* ---- mailbox server ------------------------------------------------- */

static void vfmp_pf_reply(struct vfmp_adapter *ad, u16 vf, void *msg,
			  u16 len, u16 status)
{
	struct vfmp_mbx_hdr *h = msg;
	u16 op = le16_to_cpu(h->opcode);
	int ret;

	h->len = cpu_to_le16(len);
	h->flags = cpu_to_le16(VFMP_MBX_F_REPLY);
	h->status = cpu_to_le16(status);
	h->rsvd = 0;
	ret = vfmp_sim_mbx_send(ad->sdev, vf, msg, len);
	trace_vfmp_mbx(ad->name, vf, true, op, len, status, ret);
	if (ret)
		dev_dbg(ad->dev, "reply to VF %u failed: %d\n", vf, ret);
}

void vfmp_pf_vf_mac(struct vfmp_adapter *ad, u16 vf, u8 *mac)
{
	const u8 *pm = ad->sdev->caps.perm_addr;

	/* locally administered, derived from the PF's: unique per VF */
	mac[0] = 0x02;
	mac[1] = pm[1];
	mac[2] = pm[2];
	mac[3] = vf + 1;
	mac[4] = pm[4];
	mac[5] = pm[5];
}

/* Point the NIC switch port of @vf at @mac, keeping its other settings. */
static int vfmp_pf_program_port(struct vfmp_adapter *ad, u16 vf, const u8 *mac)
{
	struct vfmp_sim_vf_port port;
	int ret;

	ret = vfmp_sim_vf_port_get(ad->sdev, vf, &port);
	if (ret)
		return ret;
	ether_addr_copy(port.mac, mac);
	return vfmp_sim_vf_port_set(ad->sdev, vf, &port);
}

static void vfmp_pf_handle(struct vfmp_adapter *ad, u16 vf, u8 *buf, int len)
{
	struct vfmp_vf_state *st = &ad->pf.vfs[vf];
	struct vfmp_sim_caps *c = &ad->sdev->caps;
	const struct vfmp_mbx_limits lim = {
		.max_queue_pairs = c->max_queue_pairs,
		.max_mtu = c->max_mtu,
		.rss_key_size = c->rss_key_size,
		.rss_indir_size = c->rss_indir_size,
	};
	struct vfmp_mbx_hdr *h = (void *)buf;
	u16 op = 0, status;

	status = vfmp_mbx_validate_req(buf, len, st->version_done, &lim, &op);
	trace_vfmp_mbx(ad->name, vf, false, op, len, status, 0);
	st->requests++;
	if (status != VFMP_MBX_OK) {
		st->rejects++;
		st->last_reject = status;
		st->last_reject_op = op;
		dev_info_ratelimited(ad->dev, "VF %u: rejected %s request: %s\n",
				     vf, vfmp_mbx_op_name(op),
				     vfmp_mbx_status_name(status));
		if (len < sizeof(*h))	/* can't even echo a header back */
			return;
		vfmp_pf_reply(ad, vf, buf, sizeof(*h), status);
		return;
	}

	switch (op) {
	case VFMP_MBX_OP_VERSION: {
		struct vfmp_mbx_version *v = (void *)buf;

		st->version_done = true;
		v->major = cpu_to_le16(VFMP_MBX_VERSION_MAJOR);
		v->minor = cpu_to_le16(VFMP_MBX_VERSION_MINOR);
		vfmp_pf_reply(ad, vf, v, sizeof(*v), VFMP_MBX_OK);
		break;
	}
	case VFMP_MBX_OP_GET_RESOURCES: {
		struct vfmp_mbx_get_res_req *rq = (void *)buf;
		struct vfmp_mbx_get_res_reply rp = {};

		rp.hdr = rq->hdr;
		st->qps = min_t(u16, le16_to_cpu(rq->num_queue_pairs),
				c->max_queue_pairs);
		if (is_zero_ether_addr(st->admin_mac))
			vfmp_pf_vf_mac(ad, vf, st->mac);
		else
			ether_addr_copy(st->mac, st->admin_mac);
		if (vfmp_pf_program_port(ad, vf, st->mac)) {
			vfmp_pf_reply(ad, vf, buf, sizeof(*h), VFMP_MBX_ERR_NORES);
			break;
		}
		rp.num_queue_pairs = cpu_to_le16(st->qps);
		rp.max_mtu = cpu_to_le16(c->max_mtu);
		rp.rss_key_size = cpu_to_le16(c->rss_key_size);
		rp.rss_indir_size = cpu_to_le16(c->rss_indir_size);
		rp.rss_hash_types = cpu_to_le32(c->rss_hash_types &
						VFMP_RSS_HASH_ALL);
		ether_addr_copy(rp.mac, st->mac);
		vfmp_pf_reply(ad, vf, &rp, sizeof(rp), VFMP_MBX_OK);
		break;
	}
	case VFMP_MBX_OP_CONFIG_RSS: {
		struct vfmp_mbx_config_rss *rq = (void *)buf;
		struct vfmp_sim_rss rss;
		u16 nq = le16_to_cpu(rq->num_queues);
		int ret = -ERANGE;

		/* beyond the generic checks: only what this VF was granted */
		if (nq <= st->qps) {
			memcpy(rss.key, rq->key, sizeof(rss.key));
			memcpy(rss.indir, rq->indir, sizeof(rss.indir));
			rss.hash_types = le32_to_cpu(rq->hash_types);
			ret = vfmp_sim_set_rss(ad->sdev, vf, &rss);
		}
		if (ret) {
			st->rejects++;
			st->last_reject = VFMP_MBX_ERR_RANGE;
			st->last_reject_op = op;
			dev_info_ratelimited(ad->dev, "VF %u: RSS config refused: %u queues, %u granted\n",
					     vf, nq, st->qps);
		}
		vfmp_pf_reply(ad, vf, buf, sizeof(*h),
			      ret ? VFMP_MBX_ERR_RANGE : VFMP_MBX_OK);
		break;
	}
	case VFMP_MBX_OP_SET_MAC: {
		struct vfmp_mbx_set_mac *rq = (void *)buf;
		struct vfmp_sim_vf_port port;
		u16 res = VFMP_MBX_OK;

		if (vfmp_sim_vf_port_get(ad->sdev, vf, &port)) {
			res = VFMP_MBX_ERR_NORES;
		} else if (!is_zero_ether_addr(st->admin_mac) && !port.trust) {
			/* the admin chose this VF's address: only trust overrides */
			res = VFMP_MBX_ERR_PERM;
			st->rejects++;
			st->last_reject = res;
			st->last_reject_op = op;
			dev_info_ratelimited(ad->dev, "VF %u: MAC change refused: set by the administrator and the VF is not trusted\n",
					     vf);
		} else if (vfmp_pf_program_port(ad, vf, rq->mac)) {
			res = VFMP_MBX_ERR_NORES;
		} else {
			ether_addr_copy(st->mac, rq->mac);
		}
		vfmp_pf_reply(ad, vf, buf, sizeof(*h), res);
		break;
	}
	case VFMP_MBX_OP_RESET_VF:
		st->version_done = false;
		st->qps = 0;
		vfmp_pf_reply(ad, vf, buf, sizeof(struct vfmp_mbx_reset_vf),
			      VFMP_MBX_OK);
		break;
	}
}

static void vfmp_pf_doorbell(struct vfmp_sim_device *sdev, u16 vf, void *ctx)
{
	struct vfmp_adapter *ad = ctx;
	u8 buf[VFMP_SIM_MBX_MSG_MAX];
	int len;

	if (vf >= ad->pf.total_vfs)
		return;
	mutex_lock(&ad->pf.vf_lock);
	while ((len = vfmp_sim_mbx_recv(sdev, vf, buf, sizeof(buf))) >= 0)
		vfmp_pf_handle(ad, vf, buf, len);
	mutex_unlock(&ad->pf.vf_lock);
}

static int vfmp_pf_step_mailbox(struct vfmp_adapter *ad, const char **note)
{
	struct vfmp_pf *pf = &ad->pf;
	int ret;

	mutex_init(&pf->vf_lock);
	if (!pf->sriov_enabled) {
		*note = "SR-IOV off: no VFs to serve";
		return VFMP_STEP_SKIP;
	}
	pf->vfs = kcalloc(max_t(u16, pf->total_vfs, 1), sizeof(*pf->vfs),
			  GFP_KERNEL);
	if (!pf->vfs)
		return -ENOMEM;
	ret = vfmp_sim_mbx_set_doorbell(ad->sdev, vfmp_pf_doorbell, ad);
	if (ret) {
		kfree(pf->vfs);
		pf->vfs = NULL;
		return ret;
	}
	*note = "answering VF mailbox requests";
	return 0;
}

static void vfmp_pf_undo_mailbox(struct vfmp_adapter *ad)
{
	int assigned = vfmp_sim_sriov_vfs_assigned(ad->sdev);

	/*
	 * VFs go first, while we can still answer their RESET_VF -- unless
	 * a guest owns some: then SR-IOV stays on and those VFs wait for a
	 * PF driver (their requests time out meanwhile), as on PCI.
	 */
	if (assigned)
		dev_warn(ad->dev, "%d VFs are assigned to guests: leaving SR-IOV enabled without a PF driver\n",
			 assigned);
	else
		vfmp_sim_sriov_disable(ad->sdev);
	vfmp_sim_mbx_clear_doorbell(ad->sdev);
	kfree(ad->pf.vfs);
	ad->pf.vfs = NULL;
}

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

static void vfmp_pf_undo_switch(struct vfmp_adapter *ad)
{
	ad->pf.nswitch.created = false;
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
		/* VF settings do not outlive the VFs, as on PCI */
		if (pf->vfs) {
			mutex_lock(&pf->vf_lock);
			memset(pf->vfs, 0, pf->total_vfs * sizeof(*pf->vfs));
			mutex_unlock(&pf->vf_lock);
		}
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

static int vfmp_pf_step_devlink(struct vfmp_adapter *ad, const char **note)
{
	*note = ad->decision.sriov_allowed ?
		"devlink info and keyword parameters" :
		"devlink info only (no keywords in a child partition)";
	return vfmp_devlink_register(ad);
}

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
