/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfmp core: the PF/VF mailbox protocol.
 *
 * Versioned, fixed-size, little-endian messages of at most VFMP_MBX_MAX_LEN
 * bytes. Every message starts with struct vfmp_mbx_hdr. Each side distrusts
 * what the other sends: the PF validates requests with
 * vfmp_mbx_validate_req(), the VF validates replies with
 * vfmp_mbx_validate_reply(). Reserved fields are zero and are checked.
 */
#ifndef VFMP_MBX_PROTO_H
#define VFMP_MBX_PROTO_H

#include "vfmp_core_types.h"
#include "vfmp_caps.h"	/* VFMP_RSS_KEY_SIZE, VFMP_RSS_INDIR_SIZE */

#define VFMP_MBX_MAX_LEN	256
#define VFMP_MBX_VERSION_MAJOR	1
#define VFMP_MBX_VERSION_MINOR	0

#define VFMP_MBX_F_REPLY	0x1
#define VFMP_MBX_F_EVENT	0x2	/* unsolicited PF -> VF notice */
#define VFMP_MBX_F_ALL		(VFMP_MBX_F_REPLY | VFMP_MBX_F_EVENT)

#define VFMP_MBX_MIN_MTU	68	/* IPv4 minimum */

enum vfmp_mbx_op {
	VFMP_MBX_OP_VERSION = 1,
	VFMP_MBX_OP_GET_RESOURCES = 2,
	VFMP_MBX_OP_RESET_VF = 3,
	VFMP_MBX_OP_CONFIG_RSS = 4,
	VFMP_MBX_OP_EVENT = 5,		/* PF -> VF, unsolicited */
	VFMP_MBX_OP_SET_MAC = 6,
	VFMP_MBX_OP_MAX,
};

enum vfmp_mbx_status {
	VFMP_MBX_OK = 0,
	VFMP_MBX_ERR_LEN,
	VFMP_MBX_ERR_OPCODE,
	VFMP_MBX_ERR_VERSION,
	VFMP_MBX_ERR_RANGE,
	VFMP_MBX_ERR_STATE,
	VFMP_MBX_ERR_FLAGS,
	VFMP_MBX_ERR_NORES,
	VFMP_MBX_ERR_PERM,
	VFMP_MBX_STATUS_MAX,
};

struct vfmp_mbx_hdr {
	__le16 opcode;		/* enum vfmp_mbx_op */
	__le16 len;		/* total length, header included */
	__le16 flags;		/* VFMP_MBX_F_* */
	__le16 status;		/* enum vfmp_mbx_status, replies only */
	__le32 seq;		/* echoed in the reply */
	__le32 rsvd;		/* 0 */
};

/* VERSION: request and reply */
struct vfmp_mbx_version {
	struct vfmp_mbx_hdr hdr;
	__le16 major;
	__le16 minor;
	__le32 rsvd;
};

/* GET_RESOURCES request */
struct vfmp_mbx_get_res_req {
	struct vfmp_mbx_hdr hdr;
	__le16 num_queue_pairs;	/* requested, >= 1 */
	__le16 rsvd0;
	__le32 rsvd1;
};

/* GET_RESOURCES reply */
struct vfmp_mbx_get_res_reply {
	struct vfmp_mbx_hdr hdr;
	__le16 num_queue_pairs;	/* granted, 1..requested */
	__le16 max_mtu;
	__le16 rss_key_size;
	__le16 rss_indir_size;
	__le32 rss_hash_types;	/* VFMP_RSS_HASH_* */
	u8 mac[6];
	u8 rsvd[2];
};

/* RESET_VF: request and reply */
struct vfmp_mbx_reset_vf {
	struct vfmp_mbx_hdr hdr;
};

/*
 * CONFIG_RSS: the VF asks the PF to program its RSS engine.  The PF checks
 * every field: sizes must be the hardware's, num_queues within what it
 * granted, every table entry below num_queues, known hash types only.
 * The reply is a bare header carrying the status.
 */
struct vfmp_mbx_config_rss {
	struct vfmp_mbx_hdr hdr;
	__le16 num_queues;	/* queues the VF has running */
	__le16 key_len;		/* VFMP_RSS_KEY_SIZE */
	__le16 indir_len;	/* VFMP_RSS_INDIR_SIZE */
	__le16 rsvd0;
	__le32 hash_types;	/* VFMP_RSS_HASH_* */
	u8 key[VFMP_RSS_KEY_SIZE];
	u8 indir[VFMP_RSS_INDIR_SIZE];
};

static_assert(sizeof(struct vfmp_mbx_config_rss) == 196,
	      "CONFIG_RSS is 196 bytes");
static_assert(sizeof(struct vfmp_mbx_config_rss) <= VFMP_MBX_MAX_LEN,
	      "CONFIG_RSS fits the mailbox");

/*
 * SET_MAC: the VF asks for a new address.  The PF refuses (ERR_PERM) when
 * it set the VF's MAC administratively and the VF is not trusted.
 * The reply is a bare header carrying the status.
 */
struct vfmp_mbx_set_mac {
	struct vfmp_mbx_hdr hdr;
	u8 mac[6];
	u8 rsvd[2];
};

static_assert(sizeof(struct vfmp_mbx_set_mac) == 24, "SET_MAC is 24 bytes");

/* EVENT: the PF tells a VF that its port changed (ip link set PF vf N). */
enum vfmp_mbx_event_type {
	VFMP_MBX_EV_LINK = 1,	/* link_up says the new state */
	VFMP_MBX_EV_MAC = 2,	/* mac is the VF's new address */
};

struct vfmp_mbx_event {
	struct vfmp_mbx_hdr hdr;	/* flags = VFMP_MBX_F_EVENT */
	__le16 event;
	__le16 link_up;
	u8 mac[6];
	u8 rsvd[2];
};

static_assert(sizeof(struct vfmp_mbx_event) == 28, "EVENT is 28 bytes");

/* VF side: validate an event from the PF.  0 or -EBADMSG/-EPROTO/-ERANGE. */
int vfmp_mbx_validate_event(const void *buf, size_t len, const char **why);

static_assert(sizeof(struct vfmp_mbx_hdr) == 16, "mbx header is 16 bytes");
static_assert(sizeof(struct vfmp_mbx_version) == 24, "VERSION is 24 bytes");
static_assert(sizeof(struct vfmp_mbx_get_res_req) == 24,
	      "GET_RESOURCES request is 24 bytes");
static_assert(sizeof(struct vfmp_mbx_get_res_reply) == 36,
	      "GET_RESOURCES reply is 36 bytes");
static_assert(sizeof(struct vfmp_mbx_reset_vf) == 16, "RESET_VF is 16 bytes");
static_assert(sizeof(struct vfmp_mbx_get_res_reply) <= VFMP_MBX_MAX_LEN,
	      "messages fit the mailbox");

const char *vfmp_mbx_op_name(u16 op);		/* "version", ... "unknown" */
const char *vfmp_mbx_status_name(u16 st);	/* "ok", "err_len", ... */

/* Header for a request: opcode, total length, seq; flags/status/rsvd 0. */
void vfmp_mbx_hdr_init(struct vfmp_mbx_hdr *h, u16 op, u16 len, u32 seq);

/* Exact message size for an opcode (same for request and reply), 0 if unknown. */
size_t vfmp_mbx_msg_size(u16 op, bool reply);

struct vfmp_mbx_limits {
	u16 max_queue_pairs;
	u16 max_mtu;
	u16 rss_key_size;
	u16 rss_indir_size;
};

/*
 * PF side: validate a request from an untrusted VF. version_done: this VF
 * has negotiated the version (GET_RESOURCES before VERSION -> ERR_STATE).
 * Returns VFMP_MBX_OK or the reason; *op (if op) gets the opcode, 0 when the
 * header is unreadable. Checks, in order: len < header or > MAX or != the
 * header's len -> ERR_LEN; reply flag or unknown flag bits, or a non-zero
 * status -> ERR_FLAGS; header rsvd -> ERR_RANGE; unknown opcode -> ERR_OPCODE;
 * len != exact size -> ERR_LEN; VERSION major != 1 -> ERR_VERSION;
 * GET_RESOURCES before VERSION -> ERR_STATE; num_queue_pairs 0 or above
 * limits->max_queue_pairs -> ERR_RANGE; reserved fields -> ERR_RANGE.
 * RESET_VF is accepted in any state; VERSION may be renegotiated.
 */
u16 vfmp_mbx_validate_req(const void *buf, size_t len, bool version_done,
			  const struct vfmp_mbx_limits *limits, u16 *op);

/*
 * VF side: validate a reply from the PF. Checks the length (-EBADMSG), the
 * flags (exactly REPLY, -EPROTO), opcode and seq (-EPROTO), reserved fields
 * (-EBADMSG). A reply with a non-OK status may be header-only or full size;
 * the result is then vfmp_mbx_status_to_errno(status) (-EPROTO for an unknown
 * status). For an OK reply: the exact size (-EBADMSG); VERSION: major 1
 * (-EPROTO); GET_RESOURCES: num_queue_pairs 1..requested_qps, rss key size
 * VFMP_RSS_KEY_SIZE, indir size a power of two <= 512, known hash bits only,
 * mac a valid unicast, max_mtu >= 68 (all -ERANGE).
 * Returns 0 or a negative errno; *why (if why) gets a short static reason.
 */
int vfmp_mbx_validate_reply(const void *buf, size_t len, u16 expect_op,
			    u32 expect_seq, u16 requested_qps,
			    const char **why);

/* OK 0, LEN/OPCODE/FLAGS -EBADMSG, VERSION -EPROTONOSUPPORT, RANGE -ERANGE,
 * STATE -EPROTO, NORES -ENOSPC, anything else -EPROTO.
 */
int vfmp_mbx_status_to_errno(u16 st);

/* Not multicast, not all zero. */
bool vfmp_mac_is_valid_unicast(const u8 *mac);

#endif /* VFMP_MBX_PROTO_H */
