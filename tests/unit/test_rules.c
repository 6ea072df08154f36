// SPDX-License-Identifier: GPL-2.0
/* Unit tests: kmod/core/vfmp_rules.c (R2, R9 and the rule table). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "vfmp_rules.h"

static void test_rule_names(void **state)
{
	static const char * const want[] = {
		"R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9",
	};
	int r;

	(void)state;
	for (r = VFMP_R1_STANDARD_INIT; r <= VFMP_R9_PARENT_PF; r++) {
		assert_string_equal(vfmp_rule_name(r), want[r - 1]);
		assert_non_null(vfmp_rule_text(r));
		assert_true(strlen(vfmp_rule_text(r)) > 10);
	}
	assert_string_equal(vfmp_rule_name(0), "R?");
	assert_string_equal(vfmp_rule_name(10), "R?");
	assert_string_equal(vfmp_rule_text(0), "unknown rule");
	assert_non_null(strstr(vfmp_rule_text(VFMP_R7_NO_VMQ), "VMQ"));
	assert_non_null(strstr(vfmp_rule_text(VFMP_R5_VF_FLAGS), "VF_MINIPORT"));
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(vfmp_hv_kind_name(VFMP_HV_NONE), "none");
	assert_string_equal(vfmp_hv_kind_name(VFMP_HV_HYPERV), "hyperv");
	assert_string_equal(vfmp_hv_kind_name(VFMP_HV_XEN), "xen");
	assert_string_equal(vfmp_hv_kind_name(VFMP_HV_KVM), "kvm");
	assert_string_equal(vfmp_hv_kind_name(VFMP_HV_VMWARE), "vmware");
	assert_string_equal(vfmp_hv_kind_name(VFMP_HV_ACRN), "acrn");
	assert_string_equal(vfmp_hv_kind_name(VFMP_HV_JAILHOUSE), "jailhouse");
	assert_string_equal(vfmp_hv_kind_name(VFMP_HV_OTHER), "other");
	assert_string_equal(vfmp_hv_kind_name(99), "invalid");
	assert_string_equal(vfmp_partition_name(VFMP_PART_UNKNOWN), "unknown");
	assert_string_equal(vfmp_partition_name(VFMP_PART_PARENT), "parent");
	assert_string_equal(vfmp_partition_name(VFMP_PART_CHILD), "child");
	assert_string_equal(vfmp_partition_name(3), "invalid");
	assert_string_equal(vfmp_verdict_name(VFMP_V_VF_CHILD), "vf_child");
	assert_string_equal(vfmp_verdict_name(VFMP_V_VF_TREATED_AS_CHILD),
			    "vf_treated_as_child");
	assert_string_equal(vfmp_verdict_name(VFMP_V_VF_BARE_METAL_ALLOWED),
			    "vf_bare_metal_allowed");
	assert_string_equal(vfmp_verdict_name(VFMP_V_REFUSE_VF_IN_PARENT),
			    "refuse_vf_in_parent");
	assert_string_equal(vfmp_verdict_name(VFMP_V_REFUSE_VF_BARE_METAL),
			    "refuse_vf_bare_metal");
	assert_string_equal(vfmp_verdict_name(VFMP_V_PF_SRIOV), "pf_sriov");
	assert_string_equal(vfmp_verdict_name(VFMP_V_PF_NO_SRIOV_CHILD),
			    "pf_no_sriov_child");
	assert_string_equal(vfmp_verdict_name(0), "invalid");
	assert_string_equal(vfmp_personality_name(VFMP_PERS_VF), "vf");
	assert_string_equal(vfmp_personality_name(VFMP_PERS_PF), "pf");
	assert_string_equal(vfmp_personality_name(VFMP_PERS_NONE), "none");
}

/*
 * Independent model of the decision table, keyed by
 * (function, partition, hypervisor present, allow_bare_metal_vf).
 */
struct row {
	int fn, part, hv, allow;
	enum vfmp_verdict v;
	enum vfmp_personality pers;
	int err;
	bool sriov;
};

#define U VFMP_PART_UNKNOWN
#define P VFMP_PART_PARENT
#define C VFMP_PART_CHILD
static const struct row table[] = {
	/* fn          part hv allow verdict                        pers          err     sriov */
	{ VFMP_FN_VF, C, 1, 0, VFMP_V_VF_CHILD,              VFMP_PERS_VF,   0,      false },
	{ VFMP_FN_VF, C, 1, 1, VFMP_V_VF_CHILD,              VFMP_PERS_VF,   0,      false },
	{ VFMP_FN_VF, P, 1, 0, VFMP_V_REFUSE_VF_IN_PARENT,   VFMP_PERS_NONE, -EPERM, false },
	{ VFMP_FN_VF, P, 1, 1, VFMP_V_REFUSE_VF_IN_PARENT,   VFMP_PERS_NONE, -EPERM, false },
	{ VFMP_FN_VF, U, 1, 0, VFMP_V_VF_TREATED_AS_CHILD,   VFMP_PERS_VF,   0,      false },
	{ VFMP_FN_VF, U, 1, 1, VFMP_V_VF_TREATED_AS_CHILD,   VFMP_PERS_VF,   0,      false },
	{ VFMP_FN_VF, U, 0, 0, VFMP_V_REFUSE_VF_BARE_METAL,  VFMP_PERS_NONE, -EPERM, false },
	{ VFMP_FN_VF, U, 0, 1, VFMP_V_VF_BARE_METAL_ALLOWED, VFMP_PERS_VF,   0,      false },
	{ VFMP_FN_PF, C, 1, 0, VFMP_V_PF_NO_SRIOV_CHILD,     VFMP_PERS_PF,   0,      false },
	{ VFMP_FN_PF, C, 1, 1, VFMP_V_PF_NO_SRIOV_CHILD,     VFMP_PERS_PF,   0,      false },
	{ VFMP_FN_PF, P, 1, 0, VFMP_V_PF_SRIOV,              VFMP_PERS_PF,   0,      true },
	{ VFMP_FN_PF, P, 1, 1, VFMP_V_PF_SRIOV,              VFMP_PERS_PF,   0,      true },
	{ VFMP_FN_PF, U, 1, 0, VFMP_V_PF_NO_SRIOV_CHILD,     VFMP_PERS_PF,   0,      false },
	{ VFMP_FN_PF, U, 1, 1, VFMP_V_PF_NO_SRIOV_CHILD,     VFMP_PERS_PF,   0,      false },
	{ VFMP_FN_PF, U, 0, 0, VFMP_V_PF_SRIOV,              VFMP_PERS_PF,   0,      true },
	{ VFMP_FN_PF, U, 0, 1, VFMP_V_PF_SRIOV,              VFMP_PERS_PF,   0,      true },
};

static const struct row *lookup(int fn, int part, int hv, int allow)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(table); i++)
		if (table[i].fn == fn && table[i].part == part &&
		    table[i].hv == hv && table[i].allow == allow)
			return &table[i];
	return NULL;
}

static void test_decision_exhaustive(void **state)
{
	int fn, kind, root, xen0, present, ovr, allow, n = 0;
	int counts[8] = { 0 };

	(void)state;
	for (fn = VFMP_FN_PF; fn <= VFMP_FN_VF; fn++)
	for (kind = VFMP_HV_NONE; kind <= VFMP_HV_OTHER; kind++)
	for (root = 0; root < 2; root++)
	for (xen0 = 0; xen0 < 2; xen0++)
	for (present = 0; present < 2; present++)
	for (ovr = VFMP_OVR_PLATFORM; ovr <= VFMP_OVR_CHILD; ovr++)
	for (allow = 0; allow < 2; allow++) {
		struct vfmp_platform p = {
			.hv_present = present, .kind = kind,
			.hv_root_partition = root, .xen_initial_domain = xen0,
		};
		struct vfmp_hv_info hv;
		struct vfmp_decision d;
		const struct row *want;
		int epart, ehv, etp, ekind;

		/* expected hypervisor info */
		ehv = ovr != VFMP_OVR_PLATFORM || present || root || xen0 ||
		      kind != VFMP_HV_NONE;
		if (ovr == VFMP_OVR_PARENT)
			epart = P;
		else if (ovr == VFMP_OVR_CHILD)
			epart = C;
		else if (root || xen0)
			epart = P;
		else if (kind == VFMP_HV_HYPERV || kind == VFMP_HV_XEN)
			epart = C;
		else
			epart = U;
		etp = ovr == VFMP_OVR_PLATFORM && ehv && epart == U;
		ekind = (etp && kind == VFMP_HV_NONE) ? VFMP_HV_OTHER : kind;

		memset(&hv, 0x5a, sizeof(hv));
		vfmp_hv_info_build(&p, ovr, &hv);
		assert_int_equal(hv.hdr.type, 0x80);
		assert_int_equal(hv.hdr.revision, 1);
		assert_int_equal(hv.hdr.size, 12);
		assert_int_equal(hv.flags, ehv ? 1u : 0u);
		assert_int_equal(hv.partition, epart);
		assert_int_equal(hv.third_party, etp);
		assert_int_equal(hv.kind, ekind);
		assert_int_equal(hv.source, ovr == VFMP_OVR_PLATFORM ?
				 VFMP_SRC_PLATFORM : VFMP_SRC_DEVICE);

		memset(&d, 0x5a, sizeof(d));
		vfmp_decide(fn, &hv, allow, &d);
		want = lookup(fn, epart, ehv, allow);
		assert_non_null(want);
		assert_int_equal(d.verdict, want->v);
		assert_int_equal(d.personality, want->pers);
		assert_int_equal(d.err, want->err);
		assert_int_equal(d.sriov_allowed, want->sriov);
		assert_non_null(d.reason);
		assert_true(strlen(d.reason) > 10);
		counts[d.verdict]++;
		n++;
	}
	assert_int_equal(n, 2 * 8 * 2 * 2 * 2 * 3 * 2);
	/* every verdict is reachable */
	for (fn = VFMP_V_VF_CHILD; fn <= VFMP_V_PF_NO_SRIOV_CHILD; fn++)
		assert_true(counts[fn] > 0);
}

static void decide_platform(enum vfmp_function fn, struct vfmp_platform p,
			    enum vfmp_part_override ovr, bool allow,
			    struct vfmp_decision *d, struct vfmp_hv_info *hv)
{
	vfmp_hv_info_build(&p, ovr, hv);
	vfmp_decide(fn, hv, allow, d);
}

static void test_vf_in_child(void **state)
{
	struct vfmp_platform p = { .hv_present = true, .kind = VFMP_HV_HYPERV };
	struct vfmp_hv_info hv;
	struct vfmp_decision d;

	(void)state;
	decide_platform(VFMP_FN_VF, p, VFMP_OVR_PLATFORM, false, &d, &hv);
	assert_int_equal(hv.partition, VFMP_PART_CHILD);
	assert_int_equal(d.verdict, VFMP_V_VF_CHILD);
	assert_int_equal(d.personality, VFMP_PERS_VF);
	assert_int_equal(d.err, 0);
	/* Xen guest (domU) too */
	p.kind = VFMP_HV_XEN;
	decide_platform(VFMP_FN_VF, p, VFMP_OVR_PLATFORM, false, &d, &hv);
	assert_int_equal(d.verdict, VFMP_V_VF_CHILD);
	/* sim device forcing child on bare metal */
	memset(&p, 0, sizeof(p));
	decide_platform(VFMP_FN_VF, p, VFMP_OVR_CHILD, false, &d, &hv);
	assert_int_equal(d.verdict, VFMP_V_VF_CHILD);
	assert_int_equal(hv.source, VFMP_SRC_DEVICE);
}

static void test_vf_in_parent_refused(void **state)
{
	struct vfmp_platform p = { .hv_present = true, .kind = VFMP_HV_HYPERV,
				   .hv_root_partition = true };
	struct vfmp_hv_info hv;
	struct vfmp_decision d;

	(void)state;
	decide_platform(VFMP_FN_VF, p, VFMP_OVR_PLATFORM, true, &d, &hv);
	assert_int_equal(hv.partition, VFMP_PART_PARENT);
	assert_int_equal(d.verdict, VFMP_V_REFUSE_VF_IN_PARENT);
	assert_int_equal(d.err, -EPERM);
	assert_int_equal(d.personality, VFMP_PERS_NONE);
	assert_non_null(strstr(d.reason, "parent"));
	assert_non_null(strstr(d.reason, "PF"));
	/* Xen dom0 */
	memset(&p, 0, sizeof(p));
	p.kind = VFMP_HV_XEN;
	p.xen_initial_domain = true;
	decide_platform(VFMP_FN_VF, p, VFMP_OVR_PLATFORM, true, &d, &hv);
	assert_int_equal(d.verdict, VFMP_V_REFUSE_VF_IN_PARENT);
	/* device override to parent inside a KVM guest */
	memset(&p, 0, sizeof(p));
	p.hv_present = true;
	p.kind = VFMP_HV_KVM;
	decide_platform(VFMP_FN_VF, p, VFMP_OVR_PARENT, true, &d, &hv);
	assert_int_equal(d.verdict, VFMP_V_REFUSE_VF_IN_PARENT);
	assert_int_equal(d.err, -EPERM);
}

static void test_kvm_guest_treated_as_child(void **state)
{
	/* a TCG/KVM-like guest: CPUID hypervisor bit, kind KVM */
	struct vfmp_platform p = { .hv_present = true, .kind = VFMP_HV_KVM };
	struct vfmp_hv_info hv;
	struct vfmp_decision d;
	char buf[128];

	(void)state;
	decide_platform(VFMP_FN_VF, p, VFMP_OVR_PLATFORM, false, &d, &hv);
	assert_int_equal(hv.partition, VFMP_PART_UNKNOWN);
	assert_true(hv.third_party);
	assert_int_equal(d.verdict, VFMP_V_VF_TREATED_AS_CHILD);
	assert_int_equal(d.err, 0);
	assert_int_equal(d.personality, VFMP_PERS_VF);
	vfmp_hv_info_format(&hv, buf, sizeof(buf));
	assert_string_equal(buf, "present=1 kind=kvm partition=unknown source=platform third_party=1");
	/* TCG: hypervisor bit without a known kind */
	p.kind = VFMP_HV_NONE;
	decide_platform(VFMP_FN_VF, p, VFMP_OVR_PLATFORM, false, &d, &hv);
	assert_int_equal(d.verdict, VFMP_V_VF_TREATED_AS_CHILD);
	vfmp_hv_info_format(&hv, buf, sizeof(buf));
	assert_string_equal(buf, "present=1 kind=other partition=unknown source=platform third_party=1");
	p.kind = VFMP_HV_VMWARE;
	decide_platform(VFMP_FN_VF, p, VFMP_OVR_PLATFORM, false, &d, &hv);
	assert_int_equal(d.verdict, VFMP_V_VF_TREATED_AS_CHILD);
}

static void test_bare_metal(void **state)
{
	struct vfmp_platform p = { 0 };
	struct vfmp_hv_info hv;
	struct vfmp_decision d;
	char buf[128];

	(void)state;
	decide_platform(VFMP_FN_VF, p, VFMP_OVR_PLATFORM, false, &d, &hv);
	assert_int_equal(hv.flags, 0);
	assert_int_equal(d.verdict, VFMP_V_REFUSE_VF_BARE_METAL);
	assert_int_equal(d.err, -EPERM);
	assert_non_null(strstr(d.reason, "allow_bare_metal_vf=1"));
	vfmp_hv_info_format(&hv, buf, sizeof(buf));
	assert_string_equal(buf, "present=0 kind=none partition=unknown source=platform third_party=0");

	decide_platform(VFMP_FN_VF, p, VFMP_OVR_PLATFORM, true, &d, &hv);
	assert_int_equal(d.verdict, VFMP_V_VF_BARE_METAL_ALLOWED);
	assert_int_equal(d.err, 0);
	assert_int_equal(d.personality, VFMP_PERS_VF);

	/* NULL hypervisor info counts as bare metal */
	vfmp_decide(VFMP_FN_VF, NULL, false, &d);
	assert_int_equal(d.verdict, VFMP_V_REFUSE_VF_BARE_METAL);
	vfmp_decide(VFMP_FN_PF, NULL, false, &d);
	assert_int_equal(d.verdict, VFMP_V_PF_SRIOV);
}

static void test_pf(void **state)
{
	struct vfmp_platform p = { .hv_present = true, .kind = VFMP_HV_HYPERV,
				   .hv_root_partition = true };
	struct vfmp_hv_info hv;
	struct vfmp_decision d;

	(void)state;
	decide_platform(VFMP_FN_PF, p, VFMP_OVR_PLATFORM, false, &d, &hv);
	assert_int_equal(d.verdict, VFMP_V_PF_SRIOV);
	assert_true(d.sriov_allowed);
	assert_int_equal(d.personality, VFMP_PERS_PF);
	memset(&p, 0, sizeof(p));
	decide_platform(VFMP_FN_PF, p, VFMP_OVR_PLATFORM, false, &d, &hv);
	assert_int_equal(d.verdict, VFMP_V_PF_SRIOV);
	assert_true(d.sriov_allowed);
	/* PF passed through to a Hyper-V child */
	p.hv_present = true;
	p.kind = VFMP_HV_HYPERV;
	decide_platform(VFMP_FN_PF, p, VFMP_OVR_PLATFORM, false, &d, &hv);
	assert_int_equal(d.verdict, VFMP_V_PF_NO_SRIOV_CHILD);
	assert_false(d.sriov_allowed);
	assert_int_equal(d.err, 0);
	/* PF passed through to a KVM guest */
	p.kind = VFMP_HV_KVM;
	decide_platform(VFMP_FN_PF, p, VFMP_OVR_PLATFORM, false, &d, &hv);
	assert_int_equal(d.verdict, VFMP_V_PF_NO_SRIOV_CHILD);
	assert_false(d.sriov_allowed);
}

static void test_decide_bogus_partition(void **state)
{
	struct vfmp_hv_info hv;
	struct vfmp_decision d;

	(void)state;
	vfmp_hv_info_build(NULL, VFMP_OVR_PLATFORM, &hv);
	hv.partition = 3;	/* NdisHypervisorPartitionMax */
	vfmp_decide(VFMP_FN_VF, &hv, false, &d);
	assert_int_equal(d.verdict, VFMP_V_REFUSE_VF_BARE_METAL);
	hv.flags = VFMP_HV_INFO_FLAG_HYPERVISOR_PRESENT;
	hv.partition = 0xffffffff;
	vfmp_decide(VFMP_FN_VF, &hv, false, &d);
	assert_int_equal(d.verdict, VFMP_V_VF_TREATED_AS_CHILD);
}

static void test_hv_format(void **state)
{
	struct vfmp_platform p = { .hv_present = true, .kind = VFMP_HV_HYPERV };
	struct vfmp_hv_info hv;
	char buf[128], small[8];
	int n;

	(void)state;
	vfmp_hv_info_build(&p, VFMP_OVR_PARENT, &hv);
	n = vfmp_hv_info_format(&hv, buf, sizeof(buf));
	assert_string_equal(buf, "present=1 kind=hyperv partition=parent source=device third_party=0");
	assert_int_equal(n, (int)strlen(buf));
	vfmp_hv_info_build(&p, VFMP_OVR_PLATFORM, &hv);
	vfmp_hv_info_format(&hv, buf, sizeof(buf));
	assert_string_equal(buf, "present=1 kind=hyperv partition=child source=platform third_party=0");
	n = vfmp_hv_info_format(&hv, small, sizeof(small));
	assert_int_equal(n, 7);
	assert_string_equal(small, "present");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_names),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_decision_exhaustive),
		cmocka_unit_test(test_vf_in_child),
		cmocka_unit_test(test_vf_in_parent_refused),
		cmocka_unit_test(test_kvm_guest_treated_as_child),
		cmocka_unit_test(test_bare_metal),
		cmocka_unit_test(test_pf),
		cmocka_unit_test(test_decide_bogus_partition),
		cmocka_unit_test(test_hv_format),
	};

	return cmocka_run_group_tests_name("vfmp_rules", tests, NULL, NULL);
}
