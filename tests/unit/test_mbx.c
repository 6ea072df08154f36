// SPDX-License-Identifier: GPL-2.0
/* Unit tests: kmod/core/vfmp_mbx.c (PF/VF mailbox protocol). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "vfmp_mbx_proto.h"
#include "vfmp_caps.h"

static const struct vfmp_mbx_limits lim = {
	.max_queue_pairs = 4, .max_mtu = 9000, .rss_key_size = 40,
	.rss_indir_size = 128,
};

static void mk_version(struct vfmp_mbx_version *m, u16 major)
{
	memset(m, 0, sizeof(*m));
	vfmp_mbx_hdr_init(&m->hdr, VFMP_MBX_OP_VERSION, sizeof(*m), 7);
	m->major = cpu_to_le16(major);
	m->minor = cpu_to_le16(VFMP_MBX_VERSION_MINOR);
}

static void mk_getres(struct vfmp_mbx_get_res_req *m, u16 qps)
{
	memset(m, 0, sizeof(*m));
	vfmp_mbx_hdr_init(&m->hdr, VFMP_MBX_OP_GET_RESOURCES, sizeof(*m), 8);
	m->num_queue_pairs = cpu_to_le16(qps);
}

static u16 req(const void *buf, size_t len, bool vdone, u16 *op)
{
	return vfmp_mbx_validate_req(buf, len, vdone, &lim, op);
}

static void test_sizes_names(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct vfmp_mbx_hdr), 16);
	assert_int_equal(sizeof(struct vfmp_mbx_version), 24);
	assert_int_equal(sizeof(struct vfmp_mbx_get_res_req), 24);
	assert_int_equal(sizeof(struct vfmp_mbx_get_res_reply), 36);
	assert_int_equal(sizeof(struct vfmp_mbx_reset_vf), 16);
	assert_string_equal(vfmp_mbx_op_name(1), "version");
	assert_string_equal(vfmp_mbx_op_name(2), "get_resources");
	assert_string_equal(vfmp_mbx_op_name(3), "reset_vf");
	assert_string_equal(vfmp_mbx_op_name(0), "unknown");
	assert_string_equal(vfmp_mbx_op_name(0xffff), "unknown");
	assert_string_equal(vfmp_mbx_status_name(VFMP_MBX_OK), "ok");
	assert_string_equal(vfmp_mbx_status_name(VFMP_MBX_ERR_LEN), "err_len");
	assert_string_equal(vfmp_mbx_status_name(VFMP_MBX_ERR_NORES), "err_nores");
	assert_string_equal(vfmp_mbx_status_name(99), "unknown");
}

static void test_hdr_wire(void **state)
{
	struct vfmp_mbx_hdr h;
	u8 raw[16];

	(void)state;
	memset(&h, 0xff, sizeof(h));
	vfmp_mbx_hdr_init(&h, 0x0102, 0x0304, 0x05060708);
	memcpy(raw, &h, sizeof(raw));
	/* little-endian on the wire */
	assert_int_equal(raw[0], 0x02);
	assert_int_equal(raw[1], 0x01);
	assert_int_equal(raw[2], 0x04);
	assert_int_equal(raw[3], 0x03);
	assert_int_equal(raw[4] | raw[5] | raw[6] | raw[7], 0);
	assert_int_equal(raw[8], 0x08);
	assert_int_equal(raw[11], 0x05);
	assert_int_equal(raw[12] | raw[13] | raw[14] | raw[15], 0);
}

static void test_status_to_errno(void **state)
{
	(void)state;
	assert_int_equal(vfmp_mbx_status_to_errno(VFMP_MBX_OK), 0);
	assert_int_equal(vfmp_mbx_status_to_errno(VFMP_MBX_ERR_LEN), -EBADMSG);
	assert_int_equal(vfmp_mbx_status_to_errno(VFMP_MBX_ERR_OPCODE), -EBADMSG);
	assert_int_equal(vfmp_mbx_status_to_errno(VFMP_MBX_ERR_FLAGS), -EBADMSG);
	assert_int_equal(vfmp_mbx_status_to_errno(VFMP_MBX_ERR_VERSION),
			 -EPROTONOSUPPORT);
	assert_int_equal(vfmp_mbx_status_to_errno(VFMP_MBX_ERR_RANGE), -ERANGE);
	assert_int_equal(vfmp_mbx_status_to_errno(VFMP_MBX_ERR_STATE), -EPROTO);
	assert_int_equal(vfmp_mbx_status_to_errno(VFMP_MBX_ERR_NORES), -ENOSPC);
	assert_int_equal(vfmp_mbx_status_to_errno(1000), -EPROTO);
}

static void test_req_good(void **state)
{
	struct vfmp_mbx_version v;
	struct vfmp_mbx_get_res_req g;
	struct vfmp_mbx_reset_vf r;
	u16 op = 0xffff;

	(void)state;
	mk_version(&v, 1);
	assert_int_equal(req(&v, sizeof(v), false, &op), VFMP_MBX_OK);
	assert_int_equal(op, VFMP_MBX_OP_VERSION);
	v.minor = cpu_to_le16(7);	/* any minor is fine */
	assert_int_equal(req(&v, sizeof(v), true, &op), VFMP_MBX_OK);
	mk_getres(&g, 1);
	assert_int_equal(req(&g, sizeof(g), true, &op), VFMP_MBX_OK);
	assert_int_equal(op, VFMP_MBX_OP_GET_RESOURCES);
	mk_getres(&g, 4);
	assert_int_equal(req(&g, sizeof(g), true, NULL), VFMP_MBX_OK);
	vfmp_mbx_hdr_init(&r.hdr, VFMP_MBX_OP_RESET_VF, sizeof(r), 1);
	assert_int_equal(req(&r, sizeof(r), false, &op), VFMP_MBX_OK);
	assert_int_equal(op, VFMP_MBX_OP_RESET_VF);
	assert_int_equal(req(&r, sizeof(r), true, &op), VFMP_MBX_OK);
}

static void test_req_short(void **state)
{
	struct vfmp_mbx_version v;
	u16 op = 0xffff;

	(void)state;
	mk_version(&v, 1);
	assert_int_equal(req(&v, 0, false, &op), VFMP_MBX_ERR_LEN);
	assert_int_equal(op, 0);
	assert_int_equal(req(&v, 15, false, &op), VFMP_MBX_ERR_LEN);
	assert_int_equal(op, 0);
	assert_int_equal(req(NULL, 24, false, &op), VFMP_MBX_ERR_LEN);
	assert_int_equal(op, 0);
	/* header readable, body truncated (header len field kept honest) */
	v.hdr.len = cpu_to_le16(20);
	assert_int_equal(req(&v, 20, false, &op), VFMP_MBX_ERR_LEN);
	assert_int_equal(op, VFMP_MBX_OP_VERSION);
}

static void test_req_long(void **state)
{
	u8 buf[VFMP_MBX_MAX_LEN + 8];
	struct vfmp_mbx_version v;
	u16 op = 0xffff;

	(void)state;
	memset(buf, 0, sizeof(buf));
	mk_version(&v, 1);
	v.hdr.len = cpu_to_le16(sizeof(buf));
	memcpy(buf, &v, sizeof(v));
	assert_int_equal(req(buf, sizeof(buf), false, &op), VFMP_MBX_ERR_LEN);
	assert_int_equal(op, 0);
	/* within MAX but longer than the opcode's size */
	v.hdr.len = cpu_to_le16(32);
	memcpy(buf, &v, sizeof(v));
	assert_int_equal(req(buf, 32, false, &op), VFMP_MBX_ERR_LEN);
	assert_int_equal(op, VFMP_MBX_OP_VERSION);
	v.hdr.len = cpu_to_le16(VFMP_MBX_MAX_LEN);
	memcpy(buf, &v, sizeof(v));
	assert_int_equal(req(buf, VFMP_MBX_MAX_LEN, false, &op),
			 VFMP_MBX_ERR_LEN);
}

static void test_req_len_mismatch(void **state)
{
	struct vfmp_mbx_version v;

	(void)state;
	mk_version(&v, 1);
	v.hdr.len = cpu_to_le16(16);
	assert_int_equal(req(&v, sizeof(v), false, NULL), VFMP_MBX_ERR_LEN);
	v.hdr.len = cpu_to_le16(0);
	assert_int_equal(req(&v, sizeof(v), false, NULL), VFMP_MBX_ERR_LEN);
	v.hdr.len = cpu_to_le16(0x1800);	/* byte-swapped 24 */
	assert_int_equal(req(&v, sizeof(v), false, NULL), VFMP_MBX_ERR_LEN);
}

static void test_req_flags(void **state)
{
	struct vfmp_mbx_version v;

	(void)state;
	mk_version(&v, 1);
	v.hdr.flags = cpu_to_le16(VFMP_MBX_F_REPLY);
	assert_int_equal(req(&v, sizeof(v), false, NULL), VFMP_MBX_ERR_FLAGS);
	v.hdr.flags = cpu_to_le16(0x8000);
	assert_int_equal(req(&v, sizeof(v), false, NULL), VFMP_MBX_ERR_FLAGS);
	mk_version(&v, 1);
	v.hdr.status = cpu_to_le16(VFMP_MBX_ERR_RANGE);	/* status in request */
	assert_int_equal(req(&v, sizeof(v), false, NULL), VFMP_MBX_ERR_FLAGS);
}

static void test_req_opcode(void **state)
{
	struct vfmp_mbx_reset_vf r;
	u16 op;

	(void)state;
	vfmp_mbx_hdr_init(&r.hdr, 0, sizeof(r), 1);
	assert_int_equal(req(&r, sizeof(r), true, &op), VFMP_MBX_ERR_OPCODE);
	assert_int_equal(op, 0);
	vfmp_mbx_hdr_init(&r.hdr, VFMP_MBX_OP_MAX, sizeof(r), 1);
	assert_int_equal(req(&r, sizeof(r), true, &op), VFMP_MBX_ERR_OPCODE);
	assert_int_equal(op, VFMP_MBX_OP_MAX);
	vfmp_mbx_hdr_init(&r.hdr, 0xffff, sizeof(r), 1);
	assert_int_equal(req(&r, sizeof(r), true, &op), VFMP_MBX_ERR_OPCODE);
	assert_int_equal(op, 0xffff);
}

static void test_req_version(void **state)
{
	struct vfmp_mbx_version v;

	(void)state;
	mk_version(&v, 2);
	assert_int_equal(req(&v, sizeof(v), false, NULL), VFMP_MBX_ERR_VERSION);
	mk_version(&v, 0);
	assert_int_equal(req(&v, sizeof(v), false, NULL), VFMP_MBX_ERR_VERSION);
	mk_version(&v, 0x0100);
	assert_int_equal(req(&v, sizeof(v), false, NULL), VFMP_MBX_ERR_VERSION);
}

static void test_req_qps(void **state)
{
	struct vfmp_mbx_get_res_req g;
	struct vfmp_mbx_limits zero = { 0 };

	(void)state;
	mk_getres(&g, 0);
	assert_int_equal(req(&g, sizeof(g), true, NULL), VFMP_MBX_ERR_RANGE);
	mk_getres(&g, 5);
	assert_int_equal(req(&g, sizeof(g), true, NULL), VFMP_MBX_ERR_RANGE);
	mk_getres(&g, 0xffff);
	assert_int_equal(req(&g, sizeof(g), true, NULL), VFMP_MBX_ERR_RANGE);
	mk_getres(&g, 1);
	assert_int_equal(vfmp_mbx_validate_req(&g, sizeof(g), true, NULL, NULL),
			 VFMP_MBX_ERR_RANGE);
	assert_int_equal(vfmp_mbx_validate_req(&g, sizeof(g), true, &zero, NULL),
			 VFMP_MBX_ERR_RANGE);
}

static void test_req_reserved(void **state)
{
	struct vfmp_mbx_version v;
	struct vfmp_mbx_get_res_req g;
	struct vfmp_mbx_reset_vf r;

	(void)state;
	mk_version(&v, 1);
	v.hdr.rsvd = cpu_to_le32(1);
	assert_int_equal(req(&v, sizeof(v), false, NULL), VFMP_MBX_ERR_RANGE);
	mk_version(&v, 1);
	v.rsvd = cpu_to_le32(0x80000000);
	assert_int_equal(req(&v, sizeof(v), false, NULL), VFMP_MBX_ERR_RANGE);
	mk_getres(&g, 2);
	g.rsvd0 = cpu_to_le16(1);
	assert_int_equal(req(&g, sizeof(g), true, NULL), VFMP_MBX_ERR_RANGE);
	mk_getres(&g, 2);
	g.rsvd1 = cpu_to_le32(1);
	assert_int_equal(req(&g, sizeof(g), true, NULL), VFMP_MBX_ERR_RANGE);
	vfmp_mbx_hdr_init(&r.hdr, VFMP_MBX_OP_RESET_VF, sizeof(r), 1);
	r.hdr.rsvd = cpu_to_le32(2);
	assert_int_equal(req(&r, sizeof(r), true, NULL), VFMP_MBX_ERR_RANGE);
}

static void test_req_state(void **state)
{
	struct vfmp_mbx_get_res_req g;

	(void)state;
	mk_getres(&g, 2);
	assert_int_equal(req(&g, sizeof(g), false, NULL), VFMP_MBX_ERR_STATE);
	assert_int_equal(req(&g, sizeof(g), true, NULL), VFMP_MBX_OK);
}

static void test_req_unaligned(void **state)
{
	union { u64 align; u8 b[64]; } ub;
	u8 *buf = ub.b;
	struct vfmp_mbx_get_res_req g;
	u16 op;

	(void)state;
	mk_getres(&g, 3);
	memcpy(buf + 1, &g, sizeof(g));
	assert_int_equal(req(buf + 1, sizeof(g), true, &op), VFMP_MBX_OK);
	assert_int_equal(op, VFMP_MBX_OP_GET_RESOURCES);
}

/* --- replies (VF side) --- */

static void mk_res_reply(struct vfmp_mbx_get_res_reply *m, u32 seq, u16 qps)
{
	static const u8 mac[6] = { 0x02, 0x00, 0x00, 0xaa, 0xbb, 0x01 };

	memset(m, 0, sizeof(*m));
	vfmp_mbx_hdr_init(&m->hdr, VFMP_MBX_OP_GET_RESOURCES, sizeof(*m), seq);
	m->hdr.flags = cpu_to_le16(VFMP_MBX_F_REPLY);
	m->num_queue_pairs = cpu_to_le16(qps);
	m->max_mtu = cpu_to_le16(9000);
	m->rss_key_size = cpu_to_le16(VFMP_RSS_KEY_SIZE);
	m->rss_indir_size = cpu_to_le16(128);
	m->rss_hash_types = cpu_to_le32(VFMP_RSS_HASH_ALL);
	memcpy(m->mac, mac, 6);
}

static void mk_ver_reply(struct vfmp_mbx_version *m, u32 seq, u16 major)
{
	mk_version(m, major);
	m->hdr.seq = cpu_to_le32(seq);
	m->hdr.flags = cpu_to_le16(VFMP_MBX_F_REPLY);
}

#define REPLY_BAD(m, len, err, reason) do {				\
	const char *why_ = NULL;					\
	assert_int_equal(vfmp_mbx_validate_reply(m, len,		\
		 VFMP_MBX_OP_GET_RESOURCES, 42, 4, &why_), err);	\
	assert_non_null(why_);						\
	assert_non_null(strstr(why_, reason));				\
} while (0)

static void test_reply_good(void **state)
{
	struct vfmp_mbx_get_res_reply g;
	struct vfmp_mbx_version v;
	struct vfmp_mbx_reset_vf r;
	const char *why = "unset";

	(void)state;
	mk_res_reply(&g, 42, 4);
	assert_int_equal(vfmp_mbx_validate_reply(&g, sizeof(g),
		VFMP_MBX_OP_GET_RESOURCES, 42, 4, &why), 0);
	assert_null(why);
	mk_res_reply(&g, 42, 1);
	g.rss_indir_size = cpu_to_le16(512);
	g.max_mtu = cpu_to_le16(68);
	assert_int_equal(vfmp_mbx_validate_reply(&g, sizeof(g),
		VFMP_MBX_OP_GET_RESOURCES, 42, 4, NULL), 0);
	mk_ver_reply(&v, 9, 1);
	assert_int_equal(vfmp_mbx_validate_reply(&v, sizeof(v),
		VFMP_MBX_OP_VERSION, 9, 0, &why), 0);
	vfmp_mbx_hdr_init(&r.hdr, VFMP_MBX_OP_RESET_VF, sizeof(r), 3);
	r.hdr.flags = cpu_to_le16(VFMP_MBX_F_REPLY);
	assert_int_equal(vfmp_mbx_validate_reply(&r, sizeof(r),
		VFMP_MBX_OP_RESET_VF, 3, 0, &why), 0);
}

static void test_reply_framing(void **state)
{
	struct vfmp_mbx_get_res_reply g;
	u8 big[VFMP_MBX_MAX_LEN + 1];

	(void)state;
	mk_res_reply(&g, 42, 4);
	REPLY_BAD(&g, 8, -EBADMSG, "shorter");
	REPLY_BAD(NULL, sizeof(g), -EBADMSG, "shorter");
	memset(big, 0, sizeof(big));
	memcpy(big, &g, sizeof(g));
	REPLY_BAD(big, sizeof(big), -EBADMSG, "longer");
	REPLY_BAD(&g, sizeof(g) - 4, -EBADMSG, "length field");
	g.hdr.len = cpu_to_le16(sizeof(g) - 4);
	REPLY_BAD(&g, sizeof(g) - 4, -EBADMSG, "bad length");

	mk_res_reply(&g, 42, 4);
	g.hdr.flags = 0;
	REPLY_BAD(&g, sizeof(g), -EPROTO, "not a reply");
	g.hdr.flags = cpu_to_le16(VFMP_MBX_F_REPLY | 0x4);
	REPLY_BAD(&g, sizeof(g), -EPROTO, "unknown flags");

	mk_res_reply(&g, 43, 4);
	REPLY_BAD(&g, sizeof(g), -EPROTO, "sequence");
	mk_res_reply(&g, 42, 4);
	g.hdr.opcode = cpu_to_le16(VFMP_MBX_OP_VERSION);
	REPLY_BAD(&g, sizeof(g), -EPROTO, "opcode");
	mk_res_reply(&g, 42, 4);
	g.hdr.rsvd = cpu_to_le32(1);
	REPLY_BAD(&g, sizeof(g), -EBADMSG, "reserved");
	mk_res_reply(&g, 42, 4);
	g.rsvd[1] = 1;
	REPLY_BAD(&g, sizeof(g), -EBADMSG, "reserved");
}

static void test_reply_error_status(void **state)
{
	struct vfmp_mbx_get_res_reply g;
	const char *why;

	(void)state;
	/* header-only error reply */
	mk_res_reply(&g, 42, 4);
	g.hdr.status = cpu_to_le16(VFMP_MBX_ERR_NORES);
	g.hdr.len = cpu_to_le16(16);
	assert_int_equal(vfmp_mbx_validate_reply(&g, 16,
		VFMP_MBX_OP_GET_RESOURCES, 42, 4, &why), -ENOSPC);
	assert_non_null(strstr(why, "error status"));
	/* full-size error reply */
	mk_res_reply(&g, 42, 4);
	g.hdr.status = cpu_to_le16(VFMP_MBX_ERR_STATE);
	assert_int_equal(vfmp_mbx_validate_reply(&g, sizeof(g),
		VFMP_MBX_OP_GET_RESOURCES, 42, 4, &why), -EPROTO);
	g.hdr.status = cpu_to_le16(0x7777);
	assert_int_equal(vfmp_mbx_validate_reply(&g, sizeof(g),
		VFMP_MBX_OP_GET_RESOURCES, 42, 4, &why), -EPROTO);
	/* error reply with an odd length */
	g.hdr.status = cpu_to_le16(VFMP_MBX_ERR_RANGE);
	g.hdr.len = cpu_to_le16(20);
	REPLY_BAD(&g, 20, -EBADMSG, "error reply");
}

static void test_reply_version(void **state)
{
	struct vfmp_mbx_version v;
	const char *why;

	(void)state;
	mk_ver_reply(&v, 9, 2);
	assert_int_equal(vfmp_mbx_validate_reply(&v, sizeof(v),
		VFMP_MBX_OP_VERSION, 9, 0, &why), -EPROTO);
	assert_non_null(strstr(why, "major"));
	mk_ver_reply(&v, 9, 1);
	v.rsvd = cpu_to_le32(5);
	assert_int_equal(vfmp_mbx_validate_reply(&v, sizeof(v),
		VFMP_MBX_OP_VERSION, 9, 0, &why), -EBADMSG);
}

static void test_reply_resources(void **state)
{
	struct vfmp_mbx_get_res_reply g;

	(void)state;
	mk_res_reply(&g, 42, 0);
	REPLY_BAD(&g, sizeof(g), -ERANGE, "queue pairs");
	mk_res_reply(&g, 42, 5);	/* more than requested (4) */
	REPLY_BAD(&g, sizeof(g), -ERANGE, "queue pairs");
	mk_res_reply(&g, 42, 4);
	g.rss_key_size = cpu_to_le16(52);
	REPLY_BAD(&g, sizeof(g), -ERANGE, "key size");
	mk_res_reply(&g, 42, 4);
	g.rss_indir_size = cpu_to_le16(100);
	REPLY_BAD(&g, sizeof(g), -ERANGE, "indirection");
	g.rss_indir_size = cpu_to_le16(1024);
	REPLY_BAD(&g, sizeof(g), -ERANGE, "indirection");
	g.rss_indir_size = cpu_to_le16(0);
	REPLY_BAD(&g, sizeof(g), -ERANGE, "indirection");
	mk_res_reply(&g, 42, 4);
	g.rss_hash_types = cpu_to_le32(0x40);
	REPLY_BAD(&g, sizeof(g), -ERANGE, "hash");
	mk_res_reply(&g, 42, 4);
	g.mac[0] = 0x01;	/* multicast */
	REPLY_BAD(&g, sizeof(g), -ERANGE, "MAC");
	memset(g.mac, 0, 6);	/* zero */
	REPLY_BAD(&g, sizeof(g), -ERANGE, "MAC");
	memset(g.mac, 0xff, 6);	/* broadcast */
	REPLY_BAD(&g, sizeof(g), -ERANGE, "MAC");
	mk_res_reply(&g, 42, 4);
	g.max_mtu = cpu_to_le16(67);
	REPLY_BAD(&g, sizeof(g), -ERANGE, "MTU");
}

static void test_mac(void **state)
{
	static const u8 ok[6] = { 0x02, 0, 0, 0, 0, 1 };
	static const u8 mc[6] = { 0x33, 0x33, 0, 0, 0, 1 };
	static const u8 zero[6] = { 0 };

	(void)state;
	assert_true(vfmp_mac_is_valid_unicast(ok));
	assert_false(vfmp_mac_is_valid_unicast(mc));
	assert_false(vfmp_mac_is_valid_unicast(zero));
	assert_false(vfmp_mac_is_valid_unicast(NULL));
}

/* SET_MAC and CONFIG_RSS: state, ranges, reserved bytes */
static void test_req_set_mac_and_rss(void **state)
{
	struct vfmp_mbx_set_mac sm;
	struct vfmp_mbx_config_rss rs;
	const u8 good[6] = { 0x02, 0, 0, 0, 0, 0x42 };
	u16 op;
	int i;

	(void)state;
	memset(&sm, 0, sizeof(sm));
	vfmp_mbx_hdr_init(&sm.hdr, VFMP_MBX_OP_SET_MAC, sizeof(sm), 1);
	memcpy(sm.mac, good, 6);
	assert_int_equal(req(&sm, sizeof(sm), true, &op), VFMP_MBX_OK);
	assert_int_equal(op, VFMP_MBX_OP_SET_MAC);
	assert_int_equal(req(&sm, sizeof(sm), false, &op), VFMP_MBX_ERR_STATE);
	sm.mac[0] = 0x01;	/* multicast */
	assert_int_equal(req(&sm, sizeof(sm), true, &op), VFMP_MBX_ERR_RANGE);
	memset(sm.mac, 0, 6);	/* zero */
	assert_int_equal(req(&sm, sizeof(sm), true, &op), VFMP_MBX_ERR_RANGE);
	memcpy(sm.mac, good, 6);
	sm.rsvd[1] = 1;
	assert_int_equal(req(&sm, sizeof(sm), true, &op), VFMP_MBX_ERR_RANGE);
	assert_string_equal(vfmp_mbx_status_name(VFMP_MBX_ERR_PERM), "err_perm");
	assert_int_equal(vfmp_mbx_status_to_errno(VFMP_MBX_ERR_PERM), -EPERM);

	memset(&rs, 0, sizeof(rs));
	vfmp_mbx_hdr_init(&rs.hdr, VFMP_MBX_OP_CONFIG_RSS, sizeof(rs), 2);
	rs.num_queues = cpu_to_le16(2);
	rs.key_len = cpu_to_le16(VFMP_RSS_KEY_SIZE);
	rs.indir_len = cpu_to_le16(VFMP_RSS_INDIR_SIZE);
	rs.hash_types = cpu_to_le32(VFMP_RSS_HASH_ALL);
	for (i = 0; i < VFMP_RSS_INDIR_SIZE; i++)
		rs.indir[i] = i % 2;
	assert_int_equal(req(&rs, sizeof(rs), true, &op), VFMP_MBX_OK);
	assert_int_equal(req(&rs, sizeof(rs), false, &op), VFMP_MBX_ERR_STATE);
	rs.indir[77] = 2;	/* beyond num_queues */
	assert_int_equal(req(&rs, sizeof(rs), true, &op), VFMP_MBX_ERR_RANGE);
	rs.indir[77] = 1;
	rs.key_len = cpu_to_le16(39);
	assert_int_equal(req(&rs, sizeof(rs), true, &op), VFMP_MBX_ERR_RANGE);
	rs.key_len = cpu_to_le16(VFMP_RSS_KEY_SIZE);
	rs.hash_types = cpu_to_le32(0x40);	/* unknown type */
	assert_int_equal(req(&rs, sizeof(rs), true, &op), VFMP_MBX_ERR_RANGE);
	rs.hash_types = cpu_to_le32(VFMP_RSS_HASH_ALL);
	rs.num_queues = cpu_to_le16(lim.max_queue_pairs + 1);
	assert_int_equal(req(&rs, sizeof(rs), true, &op), VFMP_MBX_ERR_RANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes_names),
		cmocka_unit_test(test_hdr_wire),
		cmocka_unit_test(test_status_to_errno),
		cmocka_unit_test(test_req_set_mac_and_rss),
		cmocka_unit_test(test_req_good),
		cmocka_unit_test(test_req_short),
		cmocka_unit_test(test_req_long),
		cmocka_unit_test(test_req_len_mismatch),
		cmocka_unit_test(test_req_flags),
		cmocka_unit_test(test_req_opcode),
		cmocka_unit_test(test_req_version),
		cmocka_unit_test(test_req_qps),
		cmocka_unit_test(test_req_reserved),
		cmocka_unit_test(test_req_state),
		cmocka_unit_test(test_req_unaligned),
		cmocka_unit_test(test_reply_good),
		cmocka_unit_test(test_reply_framing),
		cmocka_unit_test(test_reply_error_status),
		cmocka_unit_test(test_reply_version),
		cmocka_unit_test(test_reply_resources),
		cmocka_unit_test(test_mac),
	};

	return cmocka_run_group_tests_name("vfmp_mbx", tests, NULL, NULL);
}
