/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfmp core: the rules of "Initializing a VF Miniport Driver" (R1..R9) and
 * the partition decision table (R2, R9).
 */
#ifndef VFMP_RULES_H
#define VFMP_RULES_H

#include "vfmp_core_types.h"
#include "vfmp_caps.h"

enum vfmp_rule {
	VFMP_R1_STANDARD_INIT = 1,
	VFMP_R2_PARTITION,
	VFMP_R3_NO_KEYWORDS,
	VFMP_R4_SRIOV_CAPS,
	VFMP_R5_VF_FLAGS,
	VFMP_R6_REGISTER,
	VFMP_R7_NO_VMQ,
	VFMP_R8_RSS_PM,
	VFMP_R9_PARENT_PF,
};

#define VFMP_RULE_FIRST	VFMP_R1_STANDARD_INIT
#define VFMP_RULE_LAST	VFMP_R9_PARENT_PF

const char *vfmp_rule_name(enum vfmp_rule r);	/* "R1" .. "R9", "R?" */
const char *vfmp_rule_text(enum vfmp_rule r);	/* one-line summary */

enum vfmp_hv_kind {
	VFMP_HV_NONE = 0,
	VFMP_HV_HYPERV,
	VFMP_HV_XEN,
	VFMP_HV_KVM,
	VFMP_HV_VMWARE,
	VFMP_HV_ACRN,
	VFMP_HV_JAILHOUSE,
	VFMP_HV_OTHER,
};

#define VFMP_HV_KIND_COUNT	(VFMP_HV_OTHER + 1)

/* NDIS_HYPERVISOR_PARTITION_TYPE */
enum vfmp_partition {
	VFMP_PART_UNKNOWN = 0,	/* NdisHypervisorPartitionUnknown */
	VFMP_PART_PARENT = 1,	/* NdisHypervisorPartitionMsHvParent */
	VFMP_PART_CHILD = 2,	/* NdisHypervisorPartitionMsHvChild */
};

enum vfmp_part_source {
	VFMP_SRC_PLATFORM = 0,	/* from what the kernel says */
	VFMP_SRC_DEVICE,	/* forced by the (sim) device's attribute */
};

/* The sim device's `partition` attribute. */
enum vfmp_part_override {
	VFMP_OVR_PLATFORM = 0,
	VFMP_OVR_PARENT,
	VFMP_OVR_CHILD,
};

/* What the kernel says about the platform. */
struct vfmp_platform {
	bool hv_present;		/* X86_FEATURE_HYPERVISOR */
	enum vfmp_hv_kind kind;		/* the kernel's hypervisor_is_type() */
	bool hv_root_partition;		/* Hyper-V root partition */
	bool xen_initial_domain;	/* xen_initial_domain() */
};

/* NDIS_HYPERVISOR_INFO_FLAG_HYPERVISOR_PRESENT */
#define VFMP_HV_INFO_FLAG_HYPERVISOR_PRESENT	0x1
#define VFMP_HV_INFO_REV_1			1	/* NDIS_HYPERVISOR_INFO_REVISION_1 */
#define VFMP_SIZEOF_HV_INFO_REV_1		12	/* NDIS_SIZEOF_HYPERVISOR_INFO_REVISION_1 */

/* NDIS_HYPERVISOR_INFO-shaped, plus Linux extras after the NDIS part. */
struct vfmp_hv_info {
	struct vfmp_obj_header hdr;	/* Header */
	u32 flags;			/* Flags */
	u32 partition;			/* PartitionType: enum vfmp_partition */
	/* Linux extras */
	enum vfmp_hv_kind kind;
	enum vfmp_part_source source;
	bool third_party;		/* a hypervisor that is not Hyper-V/Xen */
};

static_assert(offsetof(struct vfmp_hv_info, kind) == VFMP_SIZEOF_HV_INFO_REV_1,
	      "the NDIS part of vfmp_hv_info is 12 bytes");

/*
 * Platform: Hyper-V root partition or Xen initial domain -> PARENT; a Hyper-V
 * or Xen guest -> CHILD; any other hypervisor (KVM, VMware, ACRN, Jailhouse,
 * other, or a hypervisor bit with no known kind, reported as "other") ->
 * UNKNOWN with third_party; no hypervisor -> UNKNOWN with flags 0.
 * A hypervisor counts as present when hv_present is set, kind is not NONE, or
 * either partition flag is set (those flags only exist under a hypervisor).
 * Override PARENT/CHILD wins: that partition, the PRESENT flag (an MS-HV
 * partition type implies a hypervisor), third_party false, source DEVICE; the
 * kind stays what the platform said.
 */
void vfmp_hv_info_build(const struct vfmp_platform *p,
			enum vfmp_part_override ovr, struct vfmp_hv_info *out);

enum vfmp_verdict {
	VFMP_V_VF_CHILD = 1,
	VFMP_V_VF_TREATED_AS_CHILD,
	VFMP_V_VF_BARE_METAL_ALLOWED,
	VFMP_V_REFUSE_VF_IN_PARENT,
	VFMP_V_REFUSE_VF_BARE_METAL,
	VFMP_V_PF_SRIOV,
	VFMP_V_PF_NO_SRIOV_CHILD,
};

enum vfmp_function {
	VFMP_FN_PF = 0,
	VFMP_FN_VF,
};

struct vfmp_decision {
	enum vfmp_verdict verdict;
	enum vfmp_personality personality;
	int err;		/* 0 or -EPERM */
	bool sriov_allowed;	/* PF may enable SR-IOV (subject to keywords) */
	const char *reason;	/* static one-line reason for logs/traces */
};

/*
 * VF: CHILD -> VF_CHILD; PARENT -> REFUSE_VF_IN_PARENT (-EPERM); UNKNOWN with
 * a hypervisor present -> VF_TREATED_AS_CHILD; no hypervisor ->
 * VF_BARE_METAL_ALLOWED if allow_bare_metal_vf else REFUSE_VF_BARE_METAL
 * (-EPERM). PF: PARENT or no hypervisor -> PF_SRIOV (sriov_allowed); CHILD or
 * UNKNOWN with a hypervisor present -> PF_NO_SRIOV_CHILD.
 * A partition value outside the enum counts as UNKNOWN; hv NULL counts as
 * "no hypervisor".
 */
void vfmp_decide(enum vfmp_function fn, const struct vfmp_hv_info *hv,
		 bool allow_bare_metal_vf, struct vfmp_decision *d);

const char *vfmp_verdict_name(enum vfmp_verdict v);
const char *vfmp_hv_kind_name(enum vfmp_hv_kind k);
const char *vfmp_partition_name(enum vfmp_partition p);
const char *vfmp_personality_name(enum vfmp_personality p); /* none/pf/vf */

/* "present=1 kind=kvm partition=unknown source=platform third_party=1" */
int vfmp_hv_info_format(const struct vfmp_hv_info *h, char *buf, size_t len);

#endif /* VFMP_RULES_H */
