// SPDX-License-Identifier: GPL-2.0
/*
 * R2: the partition check.  What the platform says (the sources of
 * NdisGetHypervisorInfo), the sim's partition override, and the verdict
 * of the core's decision table.
 */
#include <asm/cpufeature.h>
#include <asm/hypervisor.h>
#include <asm/mshyperv.h>
#include <xen/xen.h>

#include "vfmp.h"

/*
 * The kernel's own detection (hypervisor_is_type(): a kernel built without
 * CONFIG_HYPERVISOR_GUEST detects none, and every kind reads as unknown).
 */
static const struct {
	enum x86_hypervisor_type x86;
	enum vfmp_hv_kind kind;
} vfmp_hv_kinds[] = {
	{ X86_HYPER_MS_HYPERV, VFMP_HV_HYPERV },
	{ X86_HYPER_XEN_PV, VFMP_HV_XEN },
	{ X86_HYPER_XEN_HVM, VFMP_HV_XEN },
	{ X86_HYPER_KVM, VFMP_HV_KVM },
	{ X86_HYPER_VMWARE, VFMP_HV_VMWARE },
	{ X86_HYPER_ACRN, VFMP_HV_ACRN },
	{ X86_HYPER_JAILHOUSE, VFMP_HV_JAILHOUSE },
};

void vfmp_platform_read(struct vfmp_platform *p)
{
	int i;

	memset(p, 0, sizeof(*p));
	p->hv_present = boot_cpu_has(X86_FEATURE_HYPERVISOR);
	/* a hypervisor bit with no known signature (e.g. QEMU TCG): other */
	p->kind = p->hv_present ? VFMP_HV_OTHER : VFMP_HV_NONE;
	for (i = 0; i < ARRAY_SIZE(vfmp_hv_kinds); i++) {
		if (hypervisor_is_type(vfmp_hv_kinds[i].x86)) {
			p->kind = vfmp_hv_kinds[i].kind;
			break;
		}
	}
#if IS_ENABLED(CONFIG_HYPERV)
	p->hv_root_partition = p->kind == VFMP_HV_HYPERV && hv_root_partition;
#endif
	p->xen_initial_domain = xen_initial_domain();
	if (p->kind == VFMP_HV_XEN && !xen_domain())
		p->kind = VFMP_HV_OTHER;
}

int vfmp_step_partition(struct vfmp_adapter *ad, const char **note)
{
	static const enum vfmp_part_override ovr[] = {
		[VFMP_SIM_PART_PLATFORM] = VFMP_OVR_PLATFORM,
		[VFMP_SIM_PART_PARENT] = VFMP_OVR_PARENT,
		[VFMP_SIM_PART_CHILD] = VFMP_OVR_CHILD,
	};
	enum vfmp_sim_partition sp = vfmp_sim_get_partition(ad->sdev);
	bool allow = READ_ONCE(vfmp_allow_bare_metal_vf);
	struct vfmp_decision *d = &ad->decision;

	vfmp_platform_read(&ad->platform);
	ad->override = sp < ARRAY_SIZE(ovr) ? ovr[sp] : VFMP_OVR_PLATFORM;
	vfmp_hv_info_build(&ad->platform, ad->override, &ad->hv);
	vfmp_decide(ad->function, &ad->hv, allow, d);

	vfmp_note_partition(ad->name, ad->function, ad->platform.hv_present,
			    ad->platform.kind, ad->platform.hv_root_partition,
			    ad->platform.xen_initial_domain, ad->override,
			    ad->hv.partition, ad->hv.source, allow, d->verdict,
			    d->err);
	*note = d->reason;
	if (d->err)
		return d->err;	/* the step runner logs the reason */
	if (d->verdict == VFMP_V_VF_TREATED_AS_CHILD ||
	    d->verdict == VFMP_V_VF_BARE_METAL_ALLOWED ||
	    d->verdict == VFMP_V_PF_NO_SRIOV_CHILD)
		dev_info(ad->dev, "%s\n", d->reason);
	return 0;
}

ALLOW_ERROR_INJECTION(vfmp_step_partition, ERRNO);
