// SPDX-License-Identifier: GPL-2.0
/*
 * The VF side of the PF/VF mailbox: the client.  One request in flight
 * at a time (vfmp_vf_request()), one function per opcode, the doorbell
 * that hands each reply to its waiter, and the events the PF sends on its
 * own.  A VF never reads the SR-IOV keywords (R3): everything it needs
 * from the PF comes over the mailbox, and it validates every reply and
 * event as untrusted input.
 */
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>

#include "vfmp.h"

#define VFMP_MBX_SEND_TRIES	3

/* ---- events from the PF: validated here, applied under RTNL --------- */

/* From the doorbell: validate, remember, let the work apply it. */
static void vfmp_vf_event(struct vfmp_adapter *ad, const void *buf, int len)
{
	const struct vfmp_mbx_event *ev = buf;
	const char *why = NULL;
	int ret;

	ret = vfmp_mbx_validate_event(buf, len, &why);
	if (ret) {
		ad->vf.unexpected++;
		dev_info_ratelimited(ad->dev, "ignoring event from the PF: %s\n",
				     why);
		return;
	}
	spin_lock(&ad->vf.reply_lock);
	if (le16_to_cpu(ev->event) == VFMP_MBX_EV_MAC) {
		ether_addr_copy(ad->vf.new_mac, ev->mac);
		ad->vf.mac_pending = true;
	}
	ad->vf.link_pending = true;
	spin_unlock(&ad->vf.reply_lock);
	schedule_work(&ad->vf.event_work);
}

static void vfmp_vf_event_work(struct work_struct *w)
{
	struct vfmp_adapter *ad = container_of(w, struct vfmp_adapter,
					       vf.event_work);
	struct net_device *nd = ad->netdev;
	bool mac_pending;
	u8 mac[ETH_ALEN];

	rtnl_lock();
	if (nd->reg_state != NETREG_REGISTERED)
		goto out;
	spin_lock(&ad->vf.reply_lock);
	mac_pending = ad->vf.mac_pending;
	ether_addr_copy(mac, ad->vf.new_mac);
	ad->vf.mac_pending = false;
	ad->vf.link_pending = false;
	spin_unlock(&ad->vf.reply_lock);
	if (mac_pending && !ether_addr_equal(nd->dev_addr, mac)) {
		eth_hw_addr_set(nd, mac);
		call_netdevice_notifiers(NETDEV_CHANGEADDR, nd);
		netdev_info(nd, "PF assigned MAC %pM\n", mac);
	}
	if (netif_running(nd)) {
		if (ad->nq_up && vfmp_sim_link_up(ad->sdev))
			netif_carrier_on(nd);
		else
			netif_carrier_off(nd);
	}
out:
	rtnl_unlock();
}

/* ---- the channel: doorbell and request ------------------------------ */

static void vfmp_vf_doorbell(struct vfmp_sim_device *sdev, u16 vf, void *ctx)
{
	struct vfmp_adapter *ad = ctx;
	struct vfmp_vf *v = &ad->vf;
	u8 buf[VFMP_SIM_MBX_MSG_MAX];
	const struct vfmp_mbx_hdr *h = (const void *)buf;
	int len;

	while ((len = vfmp_sim_mbx_recv(sdev, 0, buf, sizeof(buf))) >= 0) {
		u16 op = len >= sizeof(*h) ? le16_to_cpu(h->opcode) : 0;
		u16 st = len >= sizeof(*h) ? le16_to_cpu(h->status) : 0;
		bool match;

		vfmp_note_mbx(ad->name, sdev->vf_index, false, op, len, st, 0);
		/* hand the reply to the waiter if it is the one it waits for */
		spin_lock(&v->reply_lock);
		match = len >= sizeof(*h) && v->expect_op == op &&
			le32_to_cpu(h->seq) == v->seq && !v->reply_len &&
			len <= sizeof(v->reply);
		if (match) {
			memcpy(v->reply, buf, len);
			v->reply_len = len;
		}
		spin_unlock(&v->reply_lock);
		if (match)
			complete(&v->reply_done);
		else if (op == VFMP_MBX_OP_EVENT)
			vfmp_vf_event(ad, buf, len);
		else
			v->unexpected++;
	}
}

/*
 * Send one request and wait for its reply, at most mbx_timeout_ms.
 * Returns 0 with the validated reply in v->reply, or a negative errno.
 */
static int vfmp_vf_request(struct vfmp_adapter *ad, void *req, u16 len,
			   u16 requested_qps, const char **why)
{
	struct vfmp_mbx_hdr *h = req;
	struct vfmp_vf *v = &ad->vf;
	u16 op = le16_to_cpu(h->opcode);
	unsigned long tmo = msecs_to_jiffies(READ_ONCE(vfmp_mbx_timeout_ms));
	int tries, ret;

	mutex_lock(&v->mbx_lock);
	spin_lock(&v->reply_lock);
	v->seq++;
	v->requests++;
	v->expect_op = op;
	v->reply_len = 0;
	spin_unlock(&v->reply_lock);
	reinit_completion(&v->reply_done);
	h->seq = cpu_to_le32(v->seq);

	for (tries = 0; tries < VFMP_MBX_SEND_TRIES; tries++) {
		ret = vfmp_sim_mbx_send(ad->sdev, 0, req, len);
		vfmp_note_mbx(ad->name, ad->sdev->vf_index, true, op, len, 0,
			      ret);
		if (ret != -EIO)
			break;
	}
	if (ret) {
		*why = "mailbox send failed";
		goto out;
	}
	if (!wait_for_completion_timeout(&v->reply_done, tmo)) {
		*why = "no reply from the PF (no PF driver bound, or the reply was lost)";
		ret = -ETIMEDOUT;
		goto out;
	}
	ret = vfmp_mbx_validate_reply(v->reply, v->reply_len, op, v->seq,
				      requested_qps, why);
out:
	spin_lock(&v->reply_lock);
	v->expect_op = 0;
	spin_unlock(&v->reply_lock);
	mutex_unlock(&v->mbx_lock);
	if (ret)
		dev_err(ad->dev, "mailbox %s: %s (%d)\n", vfmp_mbx_op_name(op),
			*why ? *why : "failed", ret);
	return ret;
}

/* ---- one function per opcode ---------------------------------------- */

static int vfmp_vf_mbx_version(struct vfmp_adapter *ad, const char **why)
{
	struct vfmp_mbx_version ver = {};

	vfmp_mbx_hdr_init(&ver.hdr, VFMP_MBX_OP_VERSION, sizeof(ver), 0);
	ver.major = cpu_to_le16(VFMP_MBX_VERSION_MAJOR);
	ver.minor = cpu_to_le16(VFMP_MBX_VERSION_MINOR);
	return vfmp_vf_request(ad, &ver, sizeof(ver), 0, why);
}

/* Ask for @want queue pairs; the validated grant goes to ad->vf.res. */
static int vfmp_vf_mbx_get_resources(struct vfmp_adapter *ad, u16 want,
				     const char **why)
{
	struct vfmp_mbx_get_res_req rq = {};
	int ret;

	vfmp_mbx_hdr_init(&rq.hdr, VFMP_MBX_OP_GET_RESOURCES, sizeof(rq), 0);
	rq.num_queue_pairs = cpu_to_le16(want);
	ret = vfmp_vf_request(ad, &rq, sizeof(rq), want, why);
	if (ret)
		return ret;
	memcpy(&ad->vf.res, ad->vf.reply, sizeof(ad->vf.res));
	return 0;
}

static int vfmp_vf_mbx_reset_vf(struct vfmp_adapter *ad)
{
	struct vfmp_mbx_reset_vf rst = {};
	const char *why = NULL;

	vfmp_mbx_hdr_init(&rst.hdr, VFMP_MBX_OP_RESET_VF, sizeof(rst), 0);
	return vfmp_vf_request(ad, &rst, sizeof(rst), 0, &why);
}

static int vfmp_vf_mbx_config_rss(struct vfmp_adapter *ad,
				  struct vfmp_mbx_config_rss *rq)
{
	const char *why = NULL;

	vfmp_mbx_hdr_init(&rq->hdr, VFMP_MBX_OP_CONFIG_RSS, sizeof(*rq), 0);
	return vfmp_vf_request(ad, rq, sizeof(*rq), 0, &why);
}

static int vfmp_vf_mbx_set_mac(struct vfmp_adapter *ad, const u8 *mac)
{
	struct vfmp_mbx_set_mac rq = {};
	const char *why = NULL;

	vfmp_mbx_hdr_init(&rq.hdr, VFMP_MBX_OP_SET_MAC, sizeof(rq), 0);
	ether_addr_copy(rq.mac, mac);
	return vfmp_vf_request(ad, &rq, sizeof(rq), 0, &why);
}

/* ---- what the VF asks of its PF ------------------------------------- */

static int vfmp_vf_negotiate(struct vfmp_adapter *ad, const char **note)
{
	int ret;

	ret = vfmp_vf_mbx_version(ad, note);
	if (ret)
		return ret;
	ret = vfmp_vf_mbx_get_resources(ad, ad->sdev->caps.max_queue_pairs,
					note);
	if (ret)
		return ret;
	*note = "VERSION and GET_RESOURCES negotiated with the PF";
	return 0;
}

/* VERSION + GET_RESOURCES again; the PF must grant what it granted. */
static int vfmp_vf_renegotiate(struct vfmp_adapter *ad)
{
	struct vfmp_mbx_get_res_reply old = ad->vf.res;
	const char *why = NULL;
	int ret;

	ret = vfmp_vf_negotiate(ad, &why);
	if (ret)
		return ret;
	if (ad->vf.res.num_queue_pairs != old.num_queue_pairs ||
	    !ether_addr_equal(ad->vf.res.mac, old.mac)) {
		dev_err(ad->dev, "PF changed our resources on renegotiation; rebind the VF\n");
		ad->vf.res = old;
		return -EPROTO;
	}
	return 0;
}

int vfmp_vf_config_rss(struct vfmp_adapter *ad, const struct vfmp_sim_rss *rss,
		       u16 nqueues)
{
	struct vfmp_mbx_config_rss rq = {};
	int ret;

	rq.num_queues = cpu_to_le16(nqueues);
	rq.key_len = cpu_to_le16(sizeof(rq.key));
	rq.indir_len = cpu_to_le16(sizeof(rq.indir));
	rq.hash_types = cpu_to_le32(rss->hash_types);
	memcpy(rq.key, rss->key, sizeof(rq.key));
	memcpy(rq.indir, rss->indir, sizeof(rq.indir));
	ret = vfmp_vf_mbx_config_rss(ad, &rq);
	if (ret != -EPROTO)
		return ret;
	/*
	 * ERR_STATE: the PF does not know us (its driver was rebound while
	 * we stayed assigned).  Negotiate again, keeping what we were given,
	 * and retry once.
	 */
	dev_info(ad->dev, "PF lost our state; negotiating again\n");
	ret = vfmp_vf_renegotiate(ad);
	if (ret)
		return ret;
	return vfmp_vf_mbx_config_rss(ad, &rq);
}

/* ndo_set_mac_address of a VF: the PF decides (its switch port must follow). */
int vfmp_vf_set_mac_address(struct net_device *nd, void *p)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	struct sockaddr *sa = p;
	int ret;

	if (!is_valid_ether_addr(sa->sa_data))
		return -EADDRNOTAVAIL;
	ret = vfmp_vf_mbx_set_mac(ad, sa->sa_data);
	if (ret == -EPERM)
		netdev_err(nd, "the PF refused the MAC change: it set this VF's address (ip link set PF vf N trust on allows it)\n");
	if (ret)
		return ret;
	eth_hw_addr_set(nd, sa->sa_data);
	return 0;
}

/* ---- the "mailbox" init step ---------------------------------------- */

int vfmp_vf_step_mailbox(struct vfmp_adapter *ad, const char **note)
{
	u8 buf[VFMP_SIM_MBX_MSG_MAX];
	int stale = 0;
	u16 mtu;
	int ret;

	INIT_WORK(&ad->vf.event_work, vfmp_vf_event_work);
	mutex_init(&ad->vf.mbx_lock);
	spin_lock_init(&ad->vf.reply_lock);
	init_completion(&ad->vf.reply_done);
	/*
	 * A fresh start: drop what an earlier instance left unread (e.g. a
	 * reply that came after its timeout), and number requests from a
	 * random point so a late reply can never pass for a new one.
	 */
	while (vfmp_sim_mbx_recv(ad->sdev, 0, buf, sizeof(buf)) >= 0)
		stale++;
	ad->vf.stale = stale;
	if (stale)
		dev_info(ad->dev, "discarded %d stale mailbox messages\n", stale);
	ad->vf.seq = get_random_u32();
	ret = vfmp_sim_mbx_set_doorbell(ad->sdev, vfmp_vf_doorbell, ad);
	if (ret)
		return ret;
	ret = vfmp_vf_negotiate(ad, note);
	if (ret) {
		vfmp_sim_mbx_clear_doorbell(ad->sdev);
		cancel_work_sync(&ad->vf.event_work);
		return ret;
	}
	ad->num_qps = le16_to_cpu(ad->vf.res.num_queue_pairs);
	eth_hw_addr_set(ad->netdev, ad->vf.res.mac);
	mtu = le16_to_cpu(ad->vf.res.max_mtu);
	if (mtu > ad->sdev->caps.max_mtu) {
		/* the PF does not know (or lies about) this VF's frame limit */
		dev_notice(ad->dev, "PF granted MTU %u, above this VF's %u: capped\n",
			   mtu, ad->sdev->caps.max_mtu);
		mtu = ad->sdev->caps.max_mtu;
	}
	ad->netdev->max_mtu = mtu;
	if (ad->netdev->mtu > mtu)
		ad->netdev->mtu = mtu;
	return 0;
}

ALLOW_ERROR_INJECTION(vfmp_vf_step_mailbox, ERRNO);

void vfmp_vf_undo_mailbox(struct vfmp_adapter *ad)
{
	/* Tell the PF we are going; it forgets our state.  Best effort:
	 * the PF may be gone already or the function surprise-removed.
	 */
	if (vfmp_vf_mbx_reset_vf(ad))
		dev_info(ad->dev, "PF did not acknowledge RESET_VF\n");
	vfmp_sim_mbx_clear_doorbell(ad->sdev);
	cancel_work_sync(&ad->vf.event_work);	/* no doorbell can requeue it */
}
