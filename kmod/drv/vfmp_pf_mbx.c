// SPDX-License-Identifier: GPL-2.0
/*
 * The PF side of the PF/VF mailbox: the server that answers each VF's
 * requests, one handler per opcode, and the events the PF sends on its
 * own (ip link set PF vf N ...).  Everything a VF sends is untrusted: the
 * core validates a request before its handler sees it, and a handler
 * checks only what the VF was granted.
 */
#include <linux/etherdevice.h>
#include <linux/slab.h>

#include "vfmp.h"

/* Messages of the protocol fit the hardware's mailbox. */
static_assert(VFMP_MBX_MAX_LEN <= VFMP_SIM_MBX_MSG_MAX);

/*
 * One request handler.  It answers a request the core found valid: it
 * may turn @msg into its reply (setting *len, which starts at the header
 * size) and returns the reply status; a reply that is not OK is the bare
 * header.
 */
typedef u16 (*vfmp_pf_mbx_handler_t)(struct vfmp_adapter *ad, u16 vf,
				     void *msg, u16 *len);

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
	/*
	 * Never wait for room: a VF that does not read its replies loses
	 * them (counted), it does not stall the PF or the other VFs.
	 */
	ret = vfmp_sim_mbx_post(ad->sdev, vf, msg, len);
	vfmp_note_mbx(ad->name, vf, true, op, len, status, ret);
	if (ret) {
		/* -ENODEV: the VF is gone, nothing was lost */
		if (ret != -ENODEV)
			ad->pf.vfs[vf].lost++;
		dev_dbg(ad->dev, "reply to VF %u failed: %d\n", vf, ret);
	}
}

/* Count a refused request (mbx_stats); the caller says why. */
static void vfmp_pf_reject(struct vfmp_vf_state *st, u16 op, u16 status)
{
	st->rejects++;
	st->last_reject = status;
	st->last_reject_op = op;
}

static void vfmp_pf_vf_mac(struct vfmp_adapter *ad, u16 vf, u8 *mac)
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

/* ---- one handler per opcode ----------------------------------------- */

static u16 vfmp_pf_mbx_version(struct vfmp_adapter *ad, u16 vf, void *msg,
			       u16 *len)
{
	struct vfmp_mbx_version *v = msg;

	ad->pf.vfs[vf].version_done = true;
	v->major = cpu_to_le16(VFMP_MBX_VERSION_MAJOR);
	v->minor = cpu_to_le16(VFMP_MBX_VERSION_MINOR);
	*len = sizeof(*v);
	return VFMP_MBX_OK;
}

/*
 * The address a VF without an administrator's MAC gets: the one derived
 * from the PF's, unless another port answers to it by now (a trusted VF or
 * the PF took it while this VF was down); then a random one that no port
 * uses.  Called under vf_lock.
 */
void vfmp_pf_free_vf_mac(struct vfmp_adapter *ad, u16 vf, u8 *mac)
{
	int owner, tries;

	vfmp_pf_vf_mac(ad, vf, mac);
	owner = vfmp_pf_mac_owner(ad, vf, mac);
	if (owner == -ENOENT)
		return;
	for (tries = 0; tries < 8; tries++) {
		eth_random_addr(mac);
		if (vfmp_pf_mac_owner(ad, vf, mac) == -ENOENT)
			break;
	}
	if (owner < 0)
		dev_info(ad->dev, "VF %u: its derived MAC is the PF's; assigned %pM\n",
			 vf, mac);
	else
		dev_info(ad->dev, "VF %u: its derived MAC is in use by VF %d; assigned %pM\n",
			 vf, owner, mac);
}

static u16 vfmp_pf_mbx_get_resources(struct vfmp_adapter *ad, u16 vf,
				     void *msg, u16 *len)
{
	struct vfmp_vf_state *st = &ad->pf.vfs[vf];
	struct vfmp_sim_caps *c = &ad->sdev->caps;
	struct vfmp_mbx_get_res_req *rq = msg;
	struct vfmp_mbx_get_res_reply rp = {};

	rp.hdr = rq->hdr;
	st->qps = min_t(u16, le16_to_cpu(rq->num_queue_pairs),
			c->max_queue_pairs);
	if (is_zero_ether_addr(st->admin_mac))
		vfmp_pf_free_vf_mac(ad, vf, st->mac);
	else
		ether_addr_copy(st->mac, st->admin_mac);
	if (vfmp_pf_program_port(ad, vf, st->mac))
		return VFMP_MBX_ERR_NORES;
	rp.num_queue_pairs = cpu_to_le16(st->qps);
	rp.max_mtu = cpu_to_le16(c->max_mtu);
	rp.rss_key_size = cpu_to_le16(c->rss_key_size);
	rp.rss_indir_size = cpu_to_le16(c->rss_indir_size);
	rp.rss_hash_types = cpu_to_le32(c->rss_hash_types & VFMP_RSS_HASH_ALL);
	ether_addr_copy(rp.mac, st->mac);
	memcpy(msg, &rp, sizeof(rp));
	*len = sizeof(rp);
	return VFMP_MBX_OK;
}

static u16 vfmp_pf_mbx_reset_vf(struct vfmp_adapter *ad, u16 vf, void *msg,
				u16 *len)
{
	struct vfmp_vf_state *st = &ad->pf.vfs[vf];

	st->version_done = false;
	st->qps = 0;
	*len = sizeof(struct vfmp_mbx_reset_vf);
	return VFMP_MBX_OK;
}

static u16 vfmp_pf_mbx_config_rss(struct vfmp_adapter *ad, u16 vf, void *msg,
				  u16 *len)
{
	struct vfmp_vf_state *st = &ad->pf.vfs[vf];
	struct vfmp_mbx_config_rss *rq = msg;
	u16 nq = le16_to_cpu(rq->num_queues);
	struct vfmp_sim_rss rss;
	int ret = -ERANGE;

	/* beyond the generic checks: only what this VF was granted */
	if (nq <= st->qps) {
		memcpy(rss.key, rq->key, sizeof(rss.key));
		memcpy(rss.indir, rq->indir, sizeof(rss.indir));
		rss.hash_types = le32_to_cpu(rq->hash_types);
		ret = vfmp_sim_set_rss(ad->sdev, vf, &rss);
	}
	if (ret) {
		vfmp_pf_reject(st, VFMP_MBX_OP_CONFIG_RSS, VFMP_MBX_ERR_RANGE);
		dev_info_ratelimited(ad->dev, "VF %u: RSS config refused: %u queues, %u granted\n",
				     vf, nq, st->qps);
		return VFMP_MBX_ERR_RANGE;
	}
	return VFMP_MBX_OK;
}

/*
 * Does another port of this switch answer to @mac: the PF, or another
 * enabled VF?  The switch hands a unicast frame to the first port with its
 * destination, so a VF that took such an address would receive (and, with
 * spoof check satisfied, send as) that port.  An address the administrator
 * gave another VF counts as that VF's even while a trusted VF uses another
 * one: revoking its trust puts it back.  Returns the VF number, or -1 for
 * the PF, or -ENOENT.  Called under vf_lock.
 */
int vfmp_pf_mac_owner(struct vfmp_adapter *ad, int vf, const u8 *mac)
{
	lockdep_assert_held(&ad->pf.vf_lock);
	if (ether_addr_equal(mac, ad->sdev->caps.perm_addr) ||
	    (ad->netdev && ether_addr_equal(mac, ad->netdev->dev_addr)))
		return -1;
	return vfmp_pf_vf_mac_owner(ad, vf, mac);
}

/* The same among the VFs only: the VF number or -ENOENT. */
int vfmp_pf_vf_mac_owner(struct vfmp_adapter *ad, int vf, const u8 *mac)
{
	int i, n = vfmp_sim_sriov_num_vfs(ad->sdev);
	struct vfmp_sim_vf_port port;

	lockdep_assert_held(&ad->pf.vf_lock);
	for (i = 0; i < n; i++) {
		if (i == vf)
			continue;
		if (ether_addr_equal(mac, ad->pf.vfs[i].admin_mac))
			return i;
		if (!vfmp_sim_vf_port_get(ad->sdev, i, &port) &&
		    ether_addr_equal(mac, port.mac))
			return i;
	}
	return -ENOENT;
}

static u16 vfmp_pf_mbx_set_mac(struct vfmp_adapter *ad, u16 vf, void *msg,
			       u16 *len)
{
	struct vfmp_vf_state *st = &ad->pf.vfs[vf];
	struct vfmp_mbx_set_mac *rq = msg;
	struct vfmp_sim_vf_port port;
	int owner;

	if (vfmp_sim_vf_port_get(ad->sdev, vf, &port))
		return VFMP_MBX_ERR_NORES;
	if (!is_zero_ether_addr(st->admin_mac) && !port.trust) {
		/* the admin chose this VF's address: only trust overrides */
		vfmp_pf_reject(st, VFMP_MBX_OP_SET_MAC, VFMP_MBX_ERR_PERM);
		dev_info_ratelimited(ad->dev, "VF %u: MAC change refused: set by the administrator and the VF is not trusted\n",
				     vf);
		return VFMP_MBX_ERR_PERM;
	}
	owner = vfmp_pf_mac_owner(ad, vf, rq->mac);
	if (owner != -ENOENT) {
		/* trusted or not: no VF takes another port's traffic */
		vfmp_pf_reject(st, VFMP_MBX_OP_SET_MAC, VFMP_MBX_ERR_PERM);
		if (owner < 0)
			dev_info_ratelimited(ad->dev, "VF %u: MAC %pM refused: in use by the PF\n",
					     vf, rq->mac);
		else
			dev_info_ratelimited(ad->dev, "VF %u: MAC %pM refused: in use by (or set by the administrator for) VF %d\n",
					     vf, rq->mac, owner);
		return VFMP_MBX_ERR_PERM;
	}
	if (vfmp_pf_program_port(ad, vf, rq->mac))
		return VFMP_MBX_ERR_NORES;
	ether_addr_copy(st->mac, rq->mac);
	return VFMP_MBX_OK;
}

/* EVENT goes PF -> VF only: the core refuses it as a request. */
static const vfmp_pf_mbx_handler_t vfmp_pf_mbx_handlers[VFMP_MBX_OP_MAX] = {
	[VFMP_MBX_OP_VERSION] = vfmp_pf_mbx_version,
	[VFMP_MBX_OP_GET_RESOURCES] = vfmp_pf_mbx_get_resources,
	[VFMP_MBX_OP_RESET_VF] = vfmp_pf_mbx_reset_vf,
	[VFMP_MBX_OP_CONFIG_RSS] = vfmp_pf_mbx_config_rss,
	[VFMP_MBX_OP_SET_MAC] = vfmp_pf_mbx_set_mac,
};

/* ---- the server ------------------------------------------------------ */

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
	u16 op = 0, status, rlen = sizeof(struct vfmp_mbx_hdr);

	status = vfmp_mbx_validate_req(buf, len, st->version_done, &lim, &op);
	if (status == VFMP_MBX_OK && !vfmp_pf_mbx_handlers[op])
		status = VFMP_MBX_ERR_OPCODE;
	vfmp_note_mbx(ad->name, vf, false, op, len, status, 0);
	st->requests++;
	if (status != VFMP_MBX_OK) {
		vfmp_pf_reject(st, op, status);
		dev_info_ratelimited(ad->dev, "VF %u: rejected %s request: %s\n",
				     vf, vfmp_mbx_op_name(op),
				     vfmp_mbx_status_name(status));
		/* can't even echo a header back */
		if (len >= sizeof(struct vfmp_mbx_hdr))
			vfmp_pf_reply(ad, vf, buf, rlen, status);
		return;
	}
	status = vfmp_pf_mbx_handlers[op](ad, vf, buf, &rlen);
	vfmp_pf_reply(ad, vf, buf,
		      status == VFMP_MBX_OK ? rlen : sizeof(struct vfmp_mbx_hdr),
		      status);
}

/*
 * Requests one doorbell of a VF answers before it yields to the other
 * VFs' doorbells (and to `ip link set PF vf N`, which waits for vf_lock).
 */
#define VFMP_PF_MBX_BUDGET	8

static void vfmp_pf_doorbell(struct vfmp_sim_device *sdev, u16 vf, void *ctx)
{
	struct vfmp_adapter *ad = ctx;
	u8 buf[VFMP_SIM_MBX_MSG_MAX];
	int len, n;

	if (vf >= ad->pf.total_vfs)
		return;
	/* vf_lock per request: a flooding VF never holds it for long */
	for (n = 0; n < VFMP_PF_MBX_BUDGET; n++) {
		len = vfmp_sim_mbx_recv(sdev, vf, buf, sizeof(buf));
		if (len < 0)
			return;
		mutex_lock(&ad->pf.vf_lock);
		vfmp_pf_handle(ad, vf, buf, len);
		mutex_unlock(&ad->pf.vf_lock);
	}
	/* more waiting: go to the back of the line */
	vfmp_sim_mbx_rearm(sdev, vf);
}

/* ---- events: the PF tells a VF its port changed ---------------------- */

void vfmp_pf_mbx_event(struct vfmp_adapter *ad, u16 vf, u16 event,
		       bool link_up, const u8 *mac)
{
	struct vfmp_mbx_event ev = {};
	int ret;

	vfmp_mbx_hdr_init(&ev.hdr, VFMP_MBX_OP_EVENT, sizeof(ev), 0);
	ev.hdr.flags = cpu_to_le16(VFMP_MBX_F_EVENT);
	ev.event = cpu_to_le16(event);
	ev.link_up = cpu_to_le16(link_up);
	if (mac)
		ether_addr_copy(ev.mac, mac);
	/* under RTNL: a VF that does not drain its mailbox cannot stall us */
	ret = vfmp_sim_mbx_post(ad->sdev, vf, &ev, sizeof(ev));
	vfmp_note_mbx(ad->name, vf, true, VFMP_MBX_OP_EVENT, sizeof(ev), 0,
		      ret);
	if (ret && ret != -ENODEV) {
		mutex_lock(&ad->pf.vf_lock);
		ad->pf.vfs[vf].lost++;
		mutex_unlock(&ad->pf.vf_lock);
		dev_warn_ratelimited(ad->dev, "VF %u not told of the change: %d%s\n",
				     vf, ret,
				     ret == -EBUSY ? " (its mailbox is full)" : "");
	}
}

/* ---- the "mailbox" init step (R9) ------------------------------------ */

/*
 * VFs that stayed enabled without a PF driver (assigned to guests) keep
 * the addresses their administrator set: the switch remembers which.
 */
static void vfmp_pf_adopt_admin_macs(struct vfmp_adapter *ad)
{
	int i, n = vfmp_sim_sriov_num_vfs(ad->sdev);
	struct vfmp_sim_vf_port port;

	for (i = 0; i < n && i < ad->pf.total_vfs; i++) {
		if (vfmp_sim_vf_port_get(ad->sdev, i, &port) ||
		    !is_valid_ether_addr(port.admin_mac))
			continue;
		ether_addr_copy(ad->pf.vfs[i].admin_mac, port.admin_mac);
		ether_addr_copy(ad->pf.vfs[i].mac, port.mac);
		dev_info(ad->dev, "VF %d keeps its administrator's MAC %pM\n",
			 i, port.admin_mac);
	}
}

int vfmp_pf_step_mailbox(struct vfmp_adapter *ad, const char **note)
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
	vfmp_pf_adopt_admin_macs(ad);
	ret = vfmp_sim_mbx_set_doorbell(ad->sdev, vfmp_pf_doorbell, ad);
	if (ret) {
		kfree(pf->vfs);
		pf->vfs = NULL;
		return ret;
	}
	*note = "answering VF mailbox requests";
	return 0;
}

ALLOW_ERROR_INJECTION(vfmp_pf_step_mailbox, ERRNO);

void vfmp_pf_undo_mailbox(struct vfmp_adapter *ad)
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
