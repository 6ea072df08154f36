// SPDX-License-Identifier: GPL-2.0
/*
 * vfmp core: rules R1..R9 of "Initializing a VF Miniport Driver" and the
 * partition decision table.
 */
#include "vfmp_rules.h"

static const char * const vfmp_rule_names[] = {
	[VFMP_R1_STANDARD_INIT] = "R1",
	[VFMP_R2_PARTITION] = "R2",
	[VFMP_R3_NO_KEYWORDS] = "R3",
	[VFMP_R4_SRIOV_CAPS] = "R4",
	[VFMP_R5_VF_FLAGS] = "R5",
	[VFMP_R6_REGISTER] = "R6",
	[VFMP_R7_NO_VMQ] = "R7",
	[VFMP_R8_RSS_PM] = "R8",
	[VFMP_R9_PARENT_PF] = "R9",
};

static const char * const vfmp_rule_texts[] = {
	[VFMP_R1_STANDARD_INIT] =
		"a VF driver follows the same init steps as any miniport driver",
	[VFMP_R2_PARTITION] =
		"a VF driver verifies it runs in a child partition (hypervisor info) before init",
	[VFMP_R3_NO_KEYWORDS] =
		"a VF driver is not installed with, and never reads, the SR-IOV standardized keywords",
	[VFMP_R4_SRIOV_CAPS] =
		"SR-IOV capabilities header: type DEFAULT (0x80), revision 1, size 12",
	[VFMP_R5_VF_FLAGS] =
		"a VF sets both VF_MINIPORT and SRIOV_SUPPORTED in its SR-IOV capabilities",
	[VFMP_R6_REGISTER] =
		"hardware and current SR-IOV capabilities are registered through the hardware-assist attributes",
	[VFMP_R7_NO_VMQ] =
		"a VF driver must not advertise VMQ capabilities",
	[VFMP_R8_RSS_PM] =
		"a VF driver may advertise other technologies such as RSS and power management",
	[VFMP_R9_PARENT_PF] =
		"in the parent partition a VF must not init; if possible the driver initializes as a PF",
};

const char *vfmp_rule_name(enum vfmp_rule r)
{
	if (r < VFMP_RULE_FIRST || r > VFMP_RULE_LAST)
		return "R?";
	return vfmp_rule_names[r];
}

const char *vfmp_rule_text(enum vfmp_rule r)
{
	if (r < VFMP_RULE_FIRST || r > VFMP_RULE_LAST)
		return "unknown rule";
	return vfmp_rule_texts[r];
}

static const char * const vfmp_hv_kind_names[] = {
	[VFMP_HV_NONE] = "none",
	[VFMP_HV_HYPERV] = "hyperv",
	[VFMP_HV_XEN] = "xen",
	[VFMP_HV_KVM] = "kvm",
	[VFMP_HV_VMWARE] = "vmware",
	[VFMP_HV_ACRN] = "acrn",
	[VFMP_HV_JAILHOUSE] = "jailhouse",
	[VFMP_HV_OTHER] = "other",
};

const char *vfmp_hv_kind_name(enum vfmp_hv_kind k)
{
	if ((unsigned int)k >= ARRAY_SIZE(vfmp_hv_kind_names))
		return "invalid";
	return vfmp_hv_kind_names[k];
}

const char *vfmp_partition_name(enum vfmp_partition p)
{
	switch (p) {
	case VFMP_PART_UNKNOWN:
		return "unknown";
	case VFMP_PART_PARENT:
		return "parent";
	case VFMP_PART_CHILD:
		return "child";
	}
	return "invalid";
}

const char *vfmp_personality_name(enum vfmp_personality p)
{
	switch (p) {
	case VFMP_PERS_NONE:
		return "none";
	case VFMP_PERS_PF:
		return "pf";
	case VFMP_PERS_VF:
		return "vf";
	}
	return "invalid";
}

const char *vfmp_verdict_name(enum vfmp_verdict v)
{
	switch (v) {
	case VFMP_V_VF_CHILD:
		return "vf_child";
	case VFMP_V_VF_TREATED_AS_CHILD:
		return "vf_treated_as_child";
	case VFMP_V_VF_BARE_METAL_ALLOWED:
		return "vf_bare_metal_allowed";
	case VFMP_V_REFUSE_VF_IN_PARENT:
		return "refuse_vf_in_parent";
	case VFMP_V_REFUSE_VF_BARE_METAL:
		return "refuse_vf_bare_metal";
	case VFMP_V_PF_SRIOV:
		return "pf_sriov";
	case VFMP_V_PF_NO_SRIOV_CHILD:
		return "pf_no_sriov_child";
	}
	return "invalid";
}

void vfmp_hv_info_build(const struct vfmp_platform *p,
			enum vfmp_part_override ovr, struct vfmp_hv_info *out)
{
	struct vfmp_platform none = { 0 };
	bool present;

	if (!p)
		p = &none;
	memset(out, 0, sizeof(*out));
	out->hdr.type = VFMP_OBJ_TYPE_DEFAULT;
	out->hdr.revision = VFMP_HV_INFO_REV_1;
	out->hdr.size = VFMP_SIZEOF_HV_INFO_REV_1;
	out->kind = p->kind;
	out->source = VFMP_SRC_PLATFORM;

	if (ovr == VFMP_OVR_PARENT || ovr == VFMP_OVR_CHILD) {
		out->flags = VFMP_HV_INFO_FLAG_HYPERVISOR_PRESENT;
		out->partition = ovr == VFMP_OVR_PARENT ? VFMP_PART_PARENT :
							  VFMP_PART_CHILD;
		out->source = VFMP_SRC_DEVICE;
		return;
	}

	present = p->hv_present || p->kind != VFMP_HV_NONE ||
		  p->hv_root_partition || p->xen_initial_domain;
	if (!present) {
		out->partition = VFMP_PART_UNKNOWN;
		return;
	}
	out->flags = VFMP_HV_INFO_FLAG_HYPERVISOR_PRESENT;
	if (p->hv_root_partition || p->xen_initial_domain) {
		out->partition = VFMP_PART_PARENT;
	} else if (p->kind == VFMP_HV_HYPERV || p->kind == VFMP_HV_XEN) {
		out->partition = VFMP_PART_CHILD;
	} else {
		out->partition = VFMP_PART_UNKNOWN;
		out->third_party = true;
		if (p->kind == VFMP_HV_NONE ||
		    (unsigned int)p->kind >= VFMP_HV_KIND_COUNT)
			out->kind = VFMP_HV_OTHER;
	}
}

static void vfmp_set(struct vfmp_decision *d, enum vfmp_verdict v,
		     enum vfmp_personality pers, int err, bool sriov,
		     const char *reason)
{
	d->verdict = v;
	d->personality = pers;
	d->err = err;
	d->sriov_allowed = sriov;
	d->reason = reason;
}

void vfmp_decide(enum vfmp_function fn, const struct vfmp_hv_info *hv,
		 bool allow_bare_metal_vf, struct vfmp_decision *d)
{
	u32 part = VFMP_PART_UNKNOWN;
	bool present = false;

	if (hv) {
		present = hv->flags & VFMP_HV_INFO_FLAG_HYPERVISOR_PRESENT;
		part = hv->partition;
	}
	if (part != VFMP_PART_PARENT && part != VFMP_PART_CHILD)
		part = VFMP_PART_UNKNOWN;

	if (fn == VFMP_FN_VF) {
		if (part == VFMP_PART_CHILD)
			vfmp_set(d, VFMP_V_VF_CHILD, VFMP_PERS_VF, 0, false,
				 "VF in a child partition: initializing as a VF");
		else if (part == VFMP_PART_PARENT)
			vfmp_set(d, VFMP_V_REFUSE_VF_IN_PARENT, VFMP_PERS_NONE,
				 -EPERM, false,
				 "a VF must not initialize in the parent partition, and PF init is impossible on a VF function");
		else if (present)
			vfmp_set(d, VFMP_V_VF_TREATED_AS_CHILD, VFMP_PERS_VF,
				 0, false,
				 "third-party hypervisor (partition unknown): VF treated as in a child partition");
		else if (allow_bare_metal_vf)
			vfmp_set(d, VFMP_V_VF_BARE_METAL_ALLOWED, VFMP_PERS_VF,
				 0, false,
				 "no hypervisor: VF on bare metal allowed by allow_bare_metal_vf=1");
		else
			vfmp_set(d, VFMP_V_REFUSE_VF_BARE_METAL, VFMP_PERS_NONE,
				 -EPERM, false,
				 "no hypervisor: a VF is not in a child partition (load with allow_bare_metal_vf=1 to permit)");
		return;
	}

	if (part == VFMP_PART_PARENT)
		vfmp_set(d, VFMP_V_PF_SRIOV, VFMP_PERS_PF, 0, true,
			 "PF in the parent partition: SR-IOV may be enabled");
	else if (!present && part == VFMP_PART_UNKNOWN)
		vfmp_set(d, VFMP_V_PF_SRIOV, VFMP_PERS_PF, 0, true,
			 "PF on bare metal: SR-IOV may be enabled");
	else
		vfmp_set(d, VFMP_V_PF_NO_SRIOV_CHILD, VFMP_PERS_PF, 0, false,
			 "PF passed through to a guest partition: SR-IOV not enabled");
}

int vfmp_hv_info_format(const struct vfmp_hv_info *h, char *buf, size_t len)
{
	if (!buf || !len)
		return 0;
	if (!h)
		return scnprintf(buf, len, "none");
	return scnprintf(buf, len,
			 "present=%d kind=%s partition=%s source=%s third_party=%d",
			 !!(h->flags & VFMP_HV_INFO_FLAG_HYPERVISOR_PRESENT),
			 vfmp_hv_kind_name(h->kind),
			 vfmp_partition_name((enum vfmp_partition)h->partition),
			 h->source == VFMP_SRC_DEVICE ? "device" : "platform",
			 h->third_party ? 1 : 0);
}
