// SPDX-License-Identifier: GPL-2.0
/*
 * vfmp: an SR-IOV NIC driver whose probe() follows, step by step, the
 * rules of "Initializing a VF Miniport Driver" (docs/rules.md).
 *
 * probe() is the MiniportInitializeEx counterpart: it picks a personality
 * table (PF or VF) and runs its steps in order.  Every step names the rule
 * it enforces, is timed, traced (vfmp:vfmp_init_step) and logged for
 * sysfs; a failing step unwinds the steps before it in reverse.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "vfmp.h"

bool vfmp_allow_bare_metal_vf;
module_param_named(allow_bare_metal_vf, vfmp_allow_bare_metal_vf, bool, 0644);
MODULE_PARM_DESC(allow_bare_metal_vf,
		 "Let a VF initialize with no hypervisor at all (container hosts); default N");

unsigned int vfmp_mbx_timeout_ms = 2000;

static int vfmp_param_set_timeout(const char *val,
				  const struct kernel_param *kp)
{
	unsigned int ms;
	int ret = kstrtouint(val, 0, &ms);

	if (ret) {
		pr_err("mbx_timeout_ms: \"%s\" is not a number\n", val);
		return ret;
	}
	if (ms < 10 || ms > 60000) {
		pr_err("mbx_timeout_ms: %u out of range 10..60000\n", ms);
		return -ERANGE;
	}
	WRITE_ONCE(*(unsigned int *)kp->arg, ms);
	return 0;
}

static const struct kernel_param_ops vfmp_timeout_ops = {
	.set = vfmp_param_set_timeout,
	.get = param_get_uint,
};
module_param_cb(mbx_timeout_ms, &vfmp_timeout_ops, &vfmp_mbx_timeout_ms, 0644);
MODULE_PARM_DESC(mbx_timeout_ms,
		 "How long a VF waits for each PF mailbox reply, 10..60000 ms; default 2000");

bool vfmp_debug_vf_kw_read;
module_param_named(debug_vf_kw_read, vfmp_debug_vf_kw_read, bool, 0644);
MODULE_PARM_DESC(debug_vf_kw_read,
		 "Debug: make a VF's init try to read *SRIOV, to prove the R3 guard refuses it (WARNs once)");

/* R1: claim the function's resources (pci_enable_device()). */
int vfmp_step_enable(struct vfmp_adapter *ad, const char **note)
{
	int ret = vfmp_sim_enable_device(ad->sdev);

	if (ret)
		*note = ret == -ENODEV ? "function is gone" :
			"device resources unavailable";
	return ret;
}

ALLOW_ERROR_INJECTION(vfmp_step_enable, ERRNO);

void vfmp_undo_enable(struct vfmp_adapter *ad)
{
	vfmp_sim_disable_device(ad->sdev);
}

static void vfmp_unwind(struct vfmp_adapter *ad)
{
	while (ad->steps_done > 0) {
		const struct vfmp_step *s = &ad->steps[--ad->steps_done];

		if (s->undo && !ad->log[ad->steps_done].skipped)
			s->undo(ad);
	}
}

/* Run the personality's steps in order; unwind on the first failure. */
static int vfmp_run_steps(struct vfmp_adapter *ad)
{
	int i, ret = 0;

	for (i = 0; i < ad->nsteps; i++) {
		const struct vfmp_step *s = &ad->steps[i];
		struct vfmp_step_log *l = &ad->log[i];
		const char *note = NULL;
		u64 t0 = ktime_get_ns();

		ret = s->run(ad, &note);
		l->name = s->name;
		l->rule = s->rule;
		l->ns = ktime_get_ns() - t0;
		l->skipped = ret == VFMP_STEP_SKIP;
		l->err = ret < 0 ? ret : 0;
		l->note = note;
		vfmp_note_init_step(ad->name, i + 1, s->rule, s->name, l->err,
				    l->skipped, l->ns);
		if (ret < 0) {
			dev_err(ad->dev, "init step %d %s (%s) failed: %d%s%s\n",
				i + 1, s->name, vfmp_rule_name(s->rule), ret,
				note ? ": " : "", note ? note : "");
			break;
		}
		ad->steps_done = i + 1;
		ret = 0;
	}
	for (i = ad->steps_done + (ret ? 1 : 0); i < VFMP_MAX_STEPS; i++)
		ad->log[i].name = NULL;
	if (ret)
		vfmp_unwind(ad);
	return ret;
}

static int vfmp_probe(struct vfmp_sim_device *sdev)
{
	struct vfmp_adapter *ad;
	u64 t0 = ktime_get_ns();
	int ret;

	ad = kzalloc(sizeof(*ad), GFP_KERNEL);
	if (!ad)
		return -ENOMEM;
	ad->sdev = sdev;
	ad->dev = &sdev->dev;
	strscpy(ad->name, dev_name(&sdev->dev), sizeof(ad->name));
	if (sdev->function == VFMP_SIM_FN_VF) {
		ad->function = VFMP_FN_VF;
		ad->steps = vfmp_vf_steps;
		ad->nsteps = vfmp_vf_nsteps;
	} else {
		ad->function = VFMP_FN_PF;
		ad->steps = vfmp_pf_steps;
		ad->nsteps = vfmp_pf_nsteps;
	}
	dev_set_drvdata(&sdev->dev, ad);

	vfmp_note_init_begin(ad->name, ad->function);
	ret = vfmp_run_steps(ad);
	ad->init_ns = ktime_get_ns() - t0;
	ad->init_err = ret;
	vfmp_note_init_end(ad->name, ret ? VFMP_PERS_NONE :
			   ad->decision.personality, ret, ad->init_ns);
	if (ret) {
		vfmp_remember_failed_init(ad);
		dev_set_drvdata(&sdev->dev, NULL);
		kfree(ad);
		return ret;
	}
	dev_info(ad->dev, "initialized as %s (%s) in %llu us\n",
		 vfmp_personality_name(ad->decision.personality),
		 vfmp_verdict_name(ad->decision.verdict), ad->init_ns / 1000);
	return 0;
}

static void vfmp_remove(struct vfmp_sim_device *sdev)
{
	struct vfmp_adapter *ad = dev_get_drvdata(&sdev->dev);

	vfmp_unwind(ad);
	dev_set_drvdata(&sdev->dev, NULL);
	kfree(ad);
}

ATTRIBUTE_GROUPS(vfmp_drv);

static struct vfmp_sim_driver vfmp_driver = {
	.driver = {
		.name = VFMP_DRV_NAME,
		.groups = vfmp_drv_groups,
	},
	.probe = vfmp_probe,
	.remove = vfmp_remove,
	.sriov_configure = vfmp_pf_sriov_configure,
};

static int __init vfmp_init(void)
{
	return vfmp_sim_register_driver(&vfmp_driver);
}

static void __exit vfmp_exit(void)
{
	vfmp_sim_unregister_driver(&vfmp_driver);
}

module_init(vfmp_init);
module_exit(vfmp_exit);

MODULE_DESCRIPTION("vfmp SR-IOV PF/VF driver following the VF miniport init rules");
MODULE_AUTHOR("vfmp developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(VFMP_DRV_VERSION);
MODULE_ALIAS("vfmp_sim:pf");
MODULE_ALIAS("vfmp_sim:vf");
