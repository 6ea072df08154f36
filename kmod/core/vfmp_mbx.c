// SPDX-License-Identifier: GPL-2.0
/*
 * vfmp core: PF/VF mailbox protocol: names, header builder and the two
 * validators (PF validates requests, VF validates replies).
 */
#include "vfmp_mbx_proto.h"
#include "vfmp_caps.h"

/* An aligned private copy of a message: the input buffer may be unaligned. */
union vfmp_mbx_msg {
	struct vfmp_mbx_hdr hdr;
	struct vfmp_mbx_version ver;
	struct vfmp_mbx_get_res_req res_req;
	struct vfmp_mbx_get_res_reply res_reply;
	struct vfmp_mbx_reset_vf reset;
	struct vfmp_mbx_config_rss rss;
	struct vfmp_mbx_event ev;
	struct vfmp_mbx_set_mac set_mac;
	u8 raw[VFMP_MBX_MAX_LEN];
};

const char *vfmp_mbx_op_name(u16 op)
{
	switch (op) {
	case VFMP_MBX_OP_VERSION:
		return "version";
	case VFMP_MBX_OP_GET_RESOURCES:
		return "get_resources";
	case VFMP_MBX_OP_RESET_VF:
		return "reset_vf";
	case VFMP_MBX_OP_CONFIG_RSS:
		return "config_rss";
	case VFMP_MBX_OP_EVENT:
		return "event";
	case VFMP_MBX_OP_SET_MAC:
		return "set_mac";
	}
	return "unknown";
}

const char *vfmp_mbx_status_name(u16 st)
{
	switch (st) {
	case VFMP_MBX_OK:
		return "ok";
	case VFMP_MBX_ERR_LEN:
		return "err_len";
	case VFMP_MBX_ERR_OPCODE:
		return "err_opcode";
	case VFMP_MBX_ERR_VERSION:
		return "err_version";
	case VFMP_MBX_ERR_RANGE:
		return "err_range";
	case VFMP_MBX_ERR_STATE:
		return "err_state";
	case VFMP_MBX_ERR_FLAGS:
		return "err_flags";
	case VFMP_MBX_ERR_NORES:
		return "err_nores";
	case VFMP_MBX_ERR_PERM:
		return "err_perm";
	}
	return "unknown";
}

int vfmp_mbx_status_to_errno(u16 st)
{
	switch (st) {
	case VFMP_MBX_OK:
		return 0;
	case VFMP_MBX_ERR_LEN:
	case VFMP_MBX_ERR_OPCODE:
	case VFMP_MBX_ERR_FLAGS:
		return -EBADMSG;
	case VFMP_MBX_ERR_VERSION:
		return -EPROTONOSUPPORT;
	case VFMP_MBX_ERR_RANGE:
		return -ERANGE;
	case VFMP_MBX_ERR_STATE:
		return -EPROTO;
	case VFMP_MBX_ERR_NORES:
		return -ENOSPC;
	case VFMP_MBX_ERR_PERM:
		return -EPERM;
	}
	return -EPROTO;
}

void vfmp_mbx_hdr_init(struct vfmp_mbx_hdr *h, u16 op, u16 len, u32 seq)
{
	memset(h, 0, sizeof(*h));
	h->opcode = cpu_to_le16(op);
	h->len = cpu_to_le16(len);
	h->seq = cpu_to_le32(seq);
}

size_t vfmp_mbx_msg_size(u16 op, bool reply)
{
	switch (op) {
	case VFMP_MBX_OP_VERSION:
		return sizeof(struct vfmp_mbx_version);
	case VFMP_MBX_OP_GET_RESOURCES:
		return reply ? sizeof(struct vfmp_mbx_get_res_reply) :
			       sizeof(struct vfmp_mbx_get_res_req);
	case VFMP_MBX_OP_RESET_VF:
		return sizeof(struct vfmp_mbx_reset_vf);
	case VFMP_MBX_OP_CONFIG_RSS:
		return reply ? sizeof(struct vfmp_mbx_hdr) :
			       sizeof(struct vfmp_mbx_config_rss);
	case VFMP_MBX_OP_SET_MAC:
		return reply ? sizeof(struct vfmp_mbx_hdr) :
			       sizeof(struct vfmp_mbx_set_mac);
	}
	return 0;
}

bool vfmp_mac_is_valid_unicast(const u8 *mac)
{
	if (!mac || (mac[0] & 0x01))
		return false;
	return (mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]) != 0;
}

/* Copy a message of len bytes (header-sized to MAX) into an aligned buffer. */
static void vfmp_mbx_copy(union vfmp_mbx_msg *m, const void *buf, size_t len)
{
	memset(m, 0, sizeof(*m));
	memcpy(m->raw, buf, len);
}

static u16 vfmp_mbx_check_rss_req(const struct vfmp_mbx_config_rss *r,
				  const struct vfmp_mbx_limits *limits)
{
	u16 nq = le16_to_cpu(r->num_queues);
	unsigned int i;

	if (le16_to_cpu(r->key_len) != VFMP_RSS_KEY_SIZE ||
	    le16_to_cpu(r->indir_len) != VFMP_RSS_INDIR_SIZE)
		return VFMP_MBX_ERR_RANGE;
	if (!nq || !limits || nq > limits->max_queue_pairs)
		return VFMP_MBX_ERR_RANGE;
	if (le16_to_cpu(r->rsvd0) ||
	    (le32_to_cpu(r->hash_types) & ~(u32)VFMP_RSS_HASH_ALL))
		return VFMP_MBX_ERR_RANGE;
	for (i = 0; i < VFMP_RSS_INDIR_SIZE; i++)
		if (r->indir[i] >= nq)
			return VFMP_MBX_ERR_RANGE;
	return VFMP_MBX_OK;
}

u16 vfmp_mbx_validate_req(const void *buf, size_t len, bool version_done,
			  const struct vfmp_mbx_limits *limits, u16 *op)
{
	union vfmp_mbx_msg m;
	u16 opc, qps;

	if (op)
		*op = 0;
	if (!buf || len < sizeof(struct vfmp_mbx_hdr) || len > VFMP_MBX_MAX_LEN)
		return VFMP_MBX_ERR_LEN;
	vfmp_mbx_copy(&m, buf, len);
	opc = le16_to_cpu(m.hdr.opcode);
	if (op)
		*op = opc;

	if (le16_to_cpu(m.hdr.len) != len)
		return VFMP_MBX_ERR_LEN;
	if (le16_to_cpu(m.hdr.flags) || le16_to_cpu(m.hdr.status))
		return VFMP_MBX_ERR_FLAGS;
	if (le32_to_cpu(m.hdr.rsvd))
		return VFMP_MBX_ERR_RANGE;
	if (opc == 0 || opc >= VFMP_MBX_OP_MAX)
		return VFMP_MBX_ERR_OPCODE;
	if (len != vfmp_mbx_msg_size(opc, false))
		return VFMP_MBX_ERR_LEN;

	switch (opc) {
	case VFMP_MBX_OP_VERSION:
		if (le16_to_cpu(m.ver.major) != VFMP_MBX_VERSION_MAJOR)
			return VFMP_MBX_ERR_VERSION;
		if (le32_to_cpu(m.ver.rsvd))
			return VFMP_MBX_ERR_RANGE;
		return VFMP_MBX_OK;
	case VFMP_MBX_OP_GET_RESOURCES:
		if (!version_done)
			return VFMP_MBX_ERR_STATE;
		qps = le16_to_cpu(m.res_req.num_queue_pairs);
		if (!qps || !limits || qps > limits->max_queue_pairs)
			return VFMP_MBX_ERR_RANGE;
		if (le16_to_cpu(m.res_req.rsvd0) ||
		    le32_to_cpu(m.res_req.rsvd1))
			return VFMP_MBX_ERR_RANGE;
		return VFMP_MBX_OK;
	case VFMP_MBX_OP_RESET_VF:
		return VFMP_MBX_OK;
	case VFMP_MBX_OP_CONFIG_RSS:
		if (!version_done)
			return VFMP_MBX_ERR_STATE;
		return vfmp_mbx_check_rss_req(&m.rss, limits);
	case VFMP_MBX_OP_SET_MAC:
		if (!version_done)
			return VFMP_MBX_ERR_STATE;
		if (m.set_mac.rsvd[0] || m.set_mac.rsvd[1] ||
		    !vfmp_mac_is_valid_unicast(m.set_mac.mac))
			return VFMP_MBX_ERR_RANGE;
		return VFMP_MBX_OK;
	}
	return VFMP_MBX_ERR_OPCODE;
}

static int vfmp_mbx_bad(const char **why, const char *reason, int err)
{
	if (why)
		*why = reason;
	return err;
}

static int vfmp_mbx_check_res_reply(const struct vfmp_mbx_get_res_reply *r,
				    u16 requested_qps, const char **why)
{
	u16 qps = le16_to_cpu(r->num_queue_pairs);
	u16 indir = le16_to_cpu(r->rss_indir_size);

	if (r->rsvd[0] || r->rsvd[1])
		return vfmp_mbx_bad(why, "reserved field not zero", -EBADMSG);
	if (!qps || qps > requested_qps)
		return vfmp_mbx_bad(why, "queue pairs out of range", -ERANGE);
	if (le16_to_cpu(r->rss_key_size) != VFMP_RSS_KEY_SIZE)
		return vfmp_mbx_bad(why, "bad RSS key size", -ERANGE);
	if (!indir || (indir & (indir - 1)) || indir > VFMP_RSS_MAX_INDIR)
		return vfmp_mbx_bad(why, "bad RSS indirection table size",
				    -ERANGE);
	if (le32_to_cpu(r->rss_hash_types) & ~(u32)VFMP_RSS_HASH_ALL)
		return vfmp_mbx_bad(why, "unknown RSS hash types", -ERANGE);
	if (!vfmp_mac_is_valid_unicast(r->mac))
		return vfmp_mbx_bad(why, "MAC is not a valid unicast address",
				    -ERANGE);
	if (le16_to_cpu(r->max_mtu) < VFMP_MBX_MIN_MTU)
		return vfmp_mbx_bad(why, "max MTU below 68", -ERANGE);
	return 0;
}

int vfmp_mbx_validate_reply(const void *buf, size_t len, u16 expect_op,
			    u32 expect_seq, u16 requested_qps,
			    const char **why)
{
	union vfmp_mbx_msg m;
	u16 opc, st;

	if (why)
		*why = NULL;
	if (!buf || len < sizeof(struct vfmp_mbx_hdr))
		return vfmp_mbx_bad(why, "reply shorter than the header",
				    -EBADMSG);
	if (len > VFMP_MBX_MAX_LEN)
		return vfmp_mbx_bad(why, "reply longer than the mailbox",
				    -EBADMSG);
	vfmp_mbx_copy(&m, buf, len);
	opc = le16_to_cpu(m.hdr.opcode);
	st = le16_to_cpu(m.hdr.status);

	if (le16_to_cpu(m.hdr.len) != len)
		return vfmp_mbx_bad(why, "length field does not match",
				    -EBADMSG);
	if (le16_to_cpu(m.hdr.flags) != VFMP_MBX_F_REPLY)
		return vfmp_mbx_bad(why, "not a reply or unknown flags",
				    -EPROTO);
	if (opc != expect_op)
		return vfmp_mbx_bad(why, "unexpected opcode", -EPROTO);
	if (le32_to_cpu(m.hdr.seq) != expect_seq)
		return vfmp_mbx_bad(why, "unexpected sequence number", -EPROTO);
	if (le32_to_cpu(m.hdr.rsvd))
		return vfmp_mbx_bad(why, "reserved field not zero", -EBADMSG);
	if (!vfmp_mbx_msg_size(opc, true))
		return vfmp_mbx_bad(why, "unknown opcode", -EPROTO);

	if (st != VFMP_MBX_OK) {
		if (len != sizeof(struct vfmp_mbx_hdr) &&
		    len != vfmp_mbx_msg_size(opc, true))
			return vfmp_mbx_bad(why, "bad length for an error reply",
					    -EBADMSG);
		return vfmp_mbx_bad(why, "PF returned an error status",
				    vfmp_mbx_status_to_errno(st));
	}
	if (len != vfmp_mbx_msg_size(opc, true))
		return vfmp_mbx_bad(why, "bad length for the opcode",
				    -EBADMSG);

	switch (opc) {
	case VFMP_MBX_OP_VERSION:
		if (le32_to_cpu(m.ver.rsvd))
			return vfmp_mbx_bad(why, "reserved field not zero",
					    -EBADMSG);
		if (le16_to_cpu(m.ver.major) != VFMP_MBX_VERSION_MAJOR)
			return vfmp_mbx_bad(why, "PF speaks another major version",
					    -EPROTO);
		return 0;
	case VFMP_MBX_OP_GET_RESOURCES:
		return vfmp_mbx_check_res_reply(&m.res_reply, requested_qps,
						why);
	default:
		return 0;
	}
}

int vfmp_mbx_validate_event(const void *buf, size_t len, const char **why)
{
	union vfmp_mbx_msg m;
	u16 ev;

	if (why)
		*why = NULL;
	if (!buf || len != sizeof(struct vfmp_mbx_event))
		return vfmp_mbx_bad(why, "event has the wrong length", -EBADMSG);
	vfmp_mbx_copy(&m, buf, len);
	if (le16_to_cpu(m.hdr.opcode) != VFMP_MBX_OP_EVENT ||
	    le16_to_cpu(m.hdr.flags) != VFMP_MBX_F_EVENT)
		return vfmp_mbx_bad(why, "not an event", -EPROTO);
	if (le16_to_cpu(m.hdr.len) != len || m.hdr.status || m.hdr.rsvd ||
	    m.ev.rsvd[0] || m.ev.rsvd[1])
		return vfmp_mbx_bad(why, "malformed event header", -EBADMSG);
	ev = le16_to_cpu(m.ev.event);
	if (ev == VFMP_MBX_EV_LINK) {
		if (le16_to_cpu(m.ev.link_up) > 1)
			return vfmp_mbx_bad(why, "link state not 0 or 1", -ERANGE);
		return 0;
	}
	if (ev == VFMP_MBX_EV_MAC) {
		if (!vfmp_mac_is_valid_unicast(m.ev.mac))
			return vfmp_mbx_bad(why, "event MAC is not unicast",
					    -ERANGE);
		return 0;
	}
	return vfmp_mbx_bad(why, "unknown event", -EPROTO);
}
