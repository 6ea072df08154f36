// SPDX-License-Identifier: GPL-2.0
/* Unit tests: kmod/core/vfmp_caps.c (rules R4..R8). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "vfmp_caps.h"

static void test_sizes(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct vfmp_obj_header), 4);
	assert_int_equal(sizeof(struct vfmp_sriov_caps), 12);
	assert_int_equal(VFMP_SIZEOF_SRIOV_CAPS_REV_1, 12);
	assert_int_equal(offsetof(struct vfmp_sriov_caps, flags), 4);
	assert_int_equal(offsetof(struct vfmp_sriov_caps, sriov_caps), 8);
	assert_int_equal(sizeof(struct vfmp_rx_filter_caps), 56);
	assert_int_equal(VFMP_OBJ_TYPE_DEFAULT, 0x80);
	assert_int_equal(VFMP_OBJ_TYPE_HW_ASSIST_ATTRS, 0xAF);
}

static void check_caps_bytes(u32 caps)
{
	struct vfmp_sriov_caps c;
	u8 raw[12];

	memset(&c, 0xa5, sizeof(c));
	vfmp_sriov_caps_init(&c, caps);
	memcpy(raw, &c, sizeof(raw));
	assert_int_equal(raw[0], 0x80);		/* Type */
	assert_int_equal(raw[1], 1);		/* Revision */
	assert_int_equal(raw[2] | raw[3] << 8, 12);	/* Size (LE host) */
	assert_int_equal(raw[4] | raw[5] | raw[6] | raw[7], 0); /* Flags */
	assert_int_equal(raw[8] | raw[9] << 8 | raw[10] << 16 |
			 (u32)raw[11] << 24, caps);
}

static void test_caps_for(void **state)
{
	(void)state;
	assert_int_equal(vfmp_sriov_caps_for(VFMP_PERS_VF, true), 0x5);
	assert_int_equal(vfmp_sriov_caps_for(VFMP_PERS_VF, false), 0x5);
	assert_int_equal(vfmp_sriov_caps_for(VFMP_PERS_PF, true), 0x3);
	assert_int_equal(vfmp_sriov_caps_for(VFMP_PERS_PF, false), 0x2);
	assert_int_equal(vfmp_sriov_caps_for(VFMP_PERS_NONE, true), 0);
	assert_int_equal(vfmp_sriov_caps_for(VFMP_PERS_NONE, false), 0);
	check_caps_bytes(vfmp_sriov_caps_for(VFMP_PERS_VF, true));
	check_caps_bytes(vfmp_sriov_caps_for(VFMP_PERS_PF, true));
	check_caps_bytes(vfmp_sriov_caps_for(VFMP_PERS_PF, false));
	check_caps_bytes(0);
}

static void check_fmt(u32 caps, const char *want)
{
	struct vfmp_sriov_caps c;
	char buf[160];
	int n;

	vfmp_sriov_caps_init(&c, caps);
	n = vfmp_sriov_caps_format(&c, buf, sizeof(buf));
	assert_string_equal(buf, want);
	assert_int_equal(n, (int)strlen(want));
}

static void test_caps_format(void **state)
{
	char small[10];
	struct vfmp_sriov_caps c;
	int n;

	(void)state;
	check_fmt(0x5, "type=0x80 rev=1 size=12 flags=0x0 caps=0x5 VF_MINIPORT|SRIOV_SUPPORTED");
	check_fmt(0x3, "type=0x80 rev=1 size=12 flags=0x0 caps=0x3 PF_MINIPORT|SRIOV_SUPPORTED");
	check_fmt(0x2, "type=0x80 rev=1 size=12 flags=0x0 caps=0x2 PF_MINIPORT");
	check_fmt(0x0, "type=0x80 rev=1 size=12 flags=0x0 caps=0x0 none");
	check_fmt(0x7, "type=0x80 rev=1 size=12 flags=0x0 caps=0x7 VF_MINIPORT|PF_MINIPORT|SRIOV_SUPPORTED");
	check_fmt(0x18, "type=0x80 rev=1 size=12 flags=0x0 caps=0x18 0x18");
	check_fmt(0x45, "type=0x80 rev=1 size=12 flags=0x0 caps=0x45 VF_MINIPORT|SRIOV_SUPPORTED|0x40");

	/* truncation: scnprintf semantics, NUL-terminated */
	vfmp_sriov_caps_init(&c, 0x5);
	n = vfmp_sriov_caps_format(&c, small, sizeof(small));
	assert_int_equal(n, 9);
	assert_string_equal(small, "type=0x80");
	assert_int_equal(vfmp_sriov_caps_format(&c, small, 0), 0);
	assert_int_equal(vfmp_sriov_caps_format(&c, small, 1), 0);
	assert_string_equal(small, "");
}

static void test_rss_pm_format(void **state)
{
	struct vfmp_rss_caps r = { 4, 40, 128, VFMP_RSS_HASH_ALL };
	struct vfmp_pm_caps pm = { VFMP_PM_WAKE_MAGIC | VFMP_PM_WAKE_LINK };
	char buf[160];
	int n;

	(void)state;
	n = vfmp_rss_caps_format(&r, buf, sizeof(buf));
	assert_string_equal(buf, "queues=4 key=40 indir=128 hash=ipv4,tcp_ipv4,udp_ipv4,ipv6,tcp_ipv6,udp_ipv6");
	assert_int_equal(n, (int)strlen(buf));
	r.hash_types = VFMP_RSS_HASH_TCP_IPV4 | VFMP_RSS_HASH_TCP_IPV6;
	r.num_queue_pairs = 1;
	vfmp_rss_caps_format(&r, buf, sizeof(buf));
	assert_string_equal(buf, "queues=1 key=40 indir=128 hash=tcp_ipv4,tcp_ipv6");
	r.hash_types = 0;
	vfmp_rss_caps_format(&r, buf, sizeof(buf));
	assert_string_equal(buf, "queues=1 key=40 indir=128 hash=none");
	r.hash_types = 0x101;
	vfmp_rss_caps_format(&r, buf, sizeof(buf));
	assert_string_equal(buf, "queues=1 key=40 indir=128 hash=ipv4,0x100");

	vfmp_pm_caps_format(&pm, buf, sizeof(buf));
	assert_string_equal(buf, "wake=magic,link");
	pm.wake_flags = 0;
	vfmp_pm_caps_format(&pm, buf, sizeof(buf));
	assert_string_equal(buf, "wake=none");
}

/* --- hardware-assist attributes --- */

struct attrs_fix {
	struct vfmp_sriov_caps hw, cur;
	struct vfmp_rx_filter_caps hrx, crx;
	struct vfmp_hw_assist_attrs a;
};

static void fix_vf(struct attrs_fix *f)
{
	memset(f, 0, sizeof(*f));
	vfmp_sriov_caps_init(&f->hw, vfmp_sriov_caps_for(VFMP_PERS_VF, true));
	vfmp_sriov_caps_init(&f->cur, vfmp_sriov_caps_for(VFMP_PERS_VF, true));
	vfmp_rx_filter_caps_init(&f->hrx);
	vfmp_rx_filter_caps_init(&f->crx);
	vfmp_hw_assist_attrs_init(&f->a, &f->hw, &f->cur);
}

static void fix_pf(struct attrs_fix *f, bool sriov)
{
	fix_vf(f);
	vfmp_sriov_caps_init(&f->hw, vfmp_sriov_caps_for(VFMP_PERS_PF, true));
	vfmp_sriov_caps_init(&f->cur, vfmp_sriov_caps_for(VFMP_PERS_PF, sriov));
}

static void expect_reject(struct attrs_fix *f, enum vfmp_personality p,
			  const char *want)
{
	const char *why = "unset";

	assert_int_equal(vfmp_hw_assist_attrs_validate(&f->a, p, &why), -EINVAL);
	assert_non_null(why);
	assert_string_equal(why, want);
	/* why may be NULL */
	assert_int_equal(vfmp_hw_assist_attrs_validate(&f->a, p, NULL), -EINVAL);
}

static void expect_ok(struct attrs_fix *f, enum vfmp_personality p)
{
	const char *why = "unset";

	assert_int_equal(vfmp_hw_assist_attrs_validate(&f->a, p, &why), 0);
	assert_null(why);
}

static void test_attrs_init(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_vf(&f);
	assert_int_equal(f.a.hdr.type, 0xAF);
	assert_int_equal(f.a.hdr.revision, VFMP_HW_ASSIST_ATTRS_REV_3);
	assert_int_equal(f.a.hdr.size, sizeof(struct vfmp_hw_assist_attrs));
	assert_int_equal(f.a.flags, 0);
	assert_ptr_equal(f.a.hw_sriov_caps, &f.hw);
	assert_ptr_equal(f.a.cur_sriov_caps, &f.cur);
	assert_null(f.a.hw_rx_filter_caps);
	assert_null(f.a.cur_rx_filter_caps);
	assert_int_equal(f.hrx.hdr.type, 0x80);
	assert_int_equal(f.hrx.hdr.revision, 1);
	assert_int_equal(f.hrx.hdr.size, 56);
}

static void test_attrs_good(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_vf(&f);
	expect_ok(&f, VFMP_PERS_VF);
	/* VF with rx filter caps but no VMQ (R7, R8) */
	f.a.hw_rx_filter_caps = &f.hrx;
	f.a.cur_rx_filter_caps = &f.crx;
	f.hrx.num_queues = 4;
	f.crx.num_queues = 4;
	expect_ok(&f, VFMP_PERS_VF);

	fix_pf(&f, true);
	expect_ok(&f, VFMP_PERS_PF);
	fix_pf(&f, false);
	expect_ok(&f, VFMP_PERS_PF);
	/* a PF may advertise VMQ */
	f.hrx.enabled_queue_types = VFMP_RX_QUEUE_VMQ;
	f.hrx.enabled_filter_types = VFMP_RX_FILTER_VMQ_FILTERS;
	f.crx.enabled_queue_types = VFMP_RX_QUEUE_VMQ;
	f.a.hw_rx_filter_caps = &f.hrx;
	f.a.cur_rx_filter_caps = &f.crx;
	expect_ok(&f, VFMP_PERS_PF);
}

static void test_rej_null(void **state)
{
	const char *why = NULL;

	(void)state;
	assert_int_equal(vfmp_hw_assist_attrs_validate(NULL, VFMP_PERS_VF, &why),
			 -EINVAL);
	assert_string_equal(why, VFMP_WHY_NULL_ATTRS);
}

static void test_rej_attrs_type(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_vf(&f);
	f.a.hdr.type = 0x80;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_ATTRS_TYPE);
}

static void test_rej_attrs_rev(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_vf(&f);
	f.a.hdr.revision = 2;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_ATTRS_REV);
}

static void test_rej_attrs_size(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_vf(&f);
	f.a.hdr.size -= 8;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_ATTRS_SIZE);
}

static void test_rej_attrs_flags(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_vf(&f);
	f.a.flags = 1;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_ATTRS_FLAGS);
}

static void test_rej_null_hw(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_vf(&f);
	f.a.hw_sriov_caps = NULL;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_NULL_HW);
}

static void test_rej_null_cur(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_vf(&f);
	f.a.cur_sriov_caps = NULL;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_NULL_CUR);
}

static void test_rej_caps_type(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_vf(&f);
	f.hw.hdr.type = 0x81;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_CAPS_TYPE);
	fix_vf(&f);
	f.cur.hdr.type = 0;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_CAPS_TYPE);
}

static void test_rej_caps_rev(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_vf(&f);
	f.hw.hdr.revision = 2;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_CAPS_REV);
	fix_vf(&f);
	f.cur.hdr.revision = 0;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_CAPS_REV);
}

static void test_rej_caps_size(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_vf(&f);
	f.hw.hdr.size = 16;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_CAPS_SIZE);
	fix_vf(&f);
	f.cur.hdr.size = 8;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_CAPS_SIZE);
}

static void test_rej_caps_flags(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_vf(&f);
	f.hw.flags = 0x1;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_CAPS_FLAGS);
	fix_pf(&f, true);
	f.cur.flags = 0x80000000;
	expect_reject(&f, VFMP_PERS_PF, VFMP_WHY_CAPS_FLAGS);
}

static void test_rej_caps_unknown(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_vf(&f);
	f.hw.sriov_caps |= 0x8;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_CAPS_UNKNOWN);
	fix_pf(&f, true);
	f.cur.sriov_caps |= 0x100;
	expect_reject(&f, VFMP_PERS_PF, VFMP_WHY_CAPS_UNKNOWN);
}

static void test_rej_cur_not_subset(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_pf(&f, true);
	f.hw.sriov_caps = VFMP_SRIOV_CAPS_PF_MINIPORT;	/* hw cannot, cur can */
	expect_reject(&f, VFMP_PERS_PF, VFMP_WHY_CUR_NOT_SUBSET);
}

static void test_rej_pf_and_vf(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_vf(&f);
	f.hw.sriov_caps = 0x7;
	f.cur.sriov_caps = 0x7;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_PF_AND_VF);
	expect_reject(&f, VFMP_PERS_PF, VFMP_WHY_PF_AND_VF);
}

static void test_rej_vf_pf_bit(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_vf(&f);
	f.hw.sriov_caps = 0x3;
	f.cur.sriov_caps = 0x3;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_VF_PF_BIT);
}

static void test_rej_vf_caps(void **state)
{
	struct attrs_fix f;

	(void)state;
	/* VF_MINIPORT alone (the seed's note requires SRIOV_SUPPORTED too) */
	fix_vf(&f);
	f.hw.sriov_caps = VFMP_SRIOV_CAPS_VF_MINIPORT;
	f.cur.sriov_caps = VFMP_SRIOV_CAPS_VF_MINIPORT;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_VF_CAPS);
	/* SRIOV_SUPPORTED alone */
	fix_vf(&f);
	f.hw.sriov_caps = VFMP_SRIOV_CAPS_SRIOV_SUPPORTED;
	f.cur.sriov_caps = VFMP_SRIOV_CAPS_SRIOV_SUPPORTED;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_VF_CAPS);
	/* hw right, cur only VF_MINIPORT */
	fix_vf(&f);
	f.cur.sriov_caps = VFMP_SRIOV_CAPS_VF_MINIPORT;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_VF_CAPS);
	/* nothing */
	fix_vf(&f);
	f.hw.sriov_caps = 0;
	f.cur.sriov_caps = 0;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_VF_CAPS);
}

static void test_rej_pf_vf_bit(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_vf(&f);	/* a VF record validated as a PF */
	expect_reject(&f, VFMP_PERS_PF, VFMP_WHY_PF_VF_BIT);
}

static void test_rej_pf_no_pf_bit(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_pf(&f, true);
	f.hw.sriov_caps = VFMP_SRIOV_CAPS_SRIOV_SUPPORTED;
	f.cur.sriov_caps = VFMP_SRIOV_CAPS_SRIOV_SUPPORTED;
	expect_reject(&f, VFMP_PERS_PF, VFMP_WHY_PF_NO_PF_BIT);
}

static void test_rej_no_personality(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_vf(&f);
	expect_reject(&f, VFMP_PERS_NONE, VFMP_WHY_NO_PERSONALITY);
}

static void test_rej_rx_half(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_vf(&f);
	f.a.hw_rx_filter_caps = &f.hrx;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_RX_HALF);
	fix_vf(&f);
	f.a.cur_rx_filter_caps = &f.crx;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_RX_HALF);
}

static void set_rx(struct attrs_fix *f)
{
	f->a.hw_rx_filter_caps = &f->hrx;
	f->a.cur_rx_filter_caps = &f->crx;
}

static void test_rej_rx_hdr(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_vf(&f);
	set_rx(&f);
	f.hrx.hdr.type = 0xAF;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_RX_TYPE);
	fix_vf(&f);
	set_rx(&f);
	f.crx.hdr.revision = 2;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_RX_REV);
	fix_vf(&f);
	set_rx(&f);
	f.hrx.hdr.size = 12;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_RX_SIZE);
}

static void test_rej_vf_vmq(void **state)
{
	struct attrs_fix f;

	(void)state;
	/* VMQ queue type in the hardware record */
	fix_vf(&f);
	set_rx(&f);
	f.hrx.enabled_queue_types = VFMP_RX_QUEUE_VMQ;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_VF_VMQ);
	/* VMQ queue type in the current record */
	fix_vf(&f);
	set_rx(&f);
	f.crx.enabled_queue_types = VFMP_RX_QUEUE_VMQ;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_VF_VMQ);
	/* VMQ filters */
	fix_vf(&f);
	set_rx(&f);
	f.hrx.enabled_filter_types = VFMP_RX_FILTER_VMQ_FILTERS;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_VF_VMQ);
}

static void test_rej_rx_not_subset(void **state)
{
	struct attrs_fix f;

	(void)state;
	fix_pf(&f, true);
	set_rx(&f);
	f.crx.enabled_queue_types = VFMP_RX_QUEUE_VMQ;
	expect_reject(&f, VFMP_PERS_PF, VFMP_WHY_RX_NOT_SUBSET);
	fix_vf(&f);
	set_rx(&f);
	f.crx.enabled_filter_types = VFMP_RX_FILTER_PKT_COALESCING;
	expect_reject(&f, VFMP_PERS_VF, VFMP_WHY_RX_NOT_SUBSET);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_caps_for),
		cmocka_unit_test(test_caps_format),
		cmocka_unit_test(test_rss_pm_format),
		cmocka_unit_test(test_attrs_init),
		cmocka_unit_test(test_attrs_good),
		cmocka_unit_test(test_rej_null),
		cmocka_unit_test(test_rej_attrs_type),
		cmocka_unit_test(test_rej_attrs_rev),
		cmocka_unit_test(test_rej_attrs_size),
		cmocka_unit_test(test_rej_attrs_flags),
		cmocka_unit_test(test_rej_null_hw),
		cmocka_unit_test(test_rej_null_cur),
		cmocka_unit_test(test_rej_caps_type),
		cmocka_unit_test(test_rej_caps_rev),
		cmocka_unit_test(test_rej_caps_size),
		cmocka_unit_test(test_rej_caps_flags),
		cmocka_unit_test(test_rej_caps_unknown),
		cmocka_unit_test(test_rej_cur_not_subset),
		cmocka_unit_test(test_rej_pf_and_vf),
		cmocka_unit_test(test_rej_vf_pf_bit),
		cmocka_unit_test(test_rej_vf_caps),
		cmocka_unit_test(test_rej_pf_vf_bit),
		cmocka_unit_test(test_rej_pf_no_pf_bit),
		cmocka_unit_test(test_rej_no_personality),
		cmocka_unit_test(test_rej_rx_half),
		cmocka_unit_test(test_rej_rx_hdr),
		cmocka_unit_test(test_rej_vf_vmq),
		cmocka_unit_test(test_rej_rx_not_subset),
	};

	return cmocka_run_group_tests_name("vfmp_caps", tests, NULL, NULL);
}
