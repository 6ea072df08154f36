// SPDX-License-Identifier: GPL-2.0
/*
 * vfmp_sim: a simulated SR-IOV NIC on its own software bus.
 *
 * One adapter = one PF device plus up to total_vfs VF devices that appear
 * when the PF's driver enables SR-IOV, exactly as PCI VFs do.  This file
 * owns the module, the adapters and the allocation count; the bus is
 * vfmp_sim_bus.c, the devices vfmp_sim_dev.c, SR-IOV vfmp_sim_sriov.c and
 * the keyword store vfmp_sim_nvm.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "vfmp_sim.h"

atomic_long_t vfmp_sim_allocs = ATOMIC_LONG_INIT(0);
struct workqueue_struct *vfmp_sim_wq;

static LIST_HEAD(sim_adapters);
static DEFINE_MUTEX(sim_lock);	/* sim_adapters */

/* Every allocation of the module goes through these, so tests can see
 * the outstanding count (debugfs "allocs") return to zero.
 */
void *sim_zalloc(size_t size)
{
	void *p = kzalloc(size, GFP_KERNEL);

	if (p)
		atomic_long_inc(&vfmp_sim_allocs);
	return p;
}

void *sim_calloc(size_t n, size_t size)
{
	void *p = kcalloc(n, size, GFP_KERNEL);

	if (p)
		atomic_long_inc(&vfmp_sim_allocs);
	return p;
}

void sim_free(const void *p)
{
	if (!p)
		return;
	atomic_long_dec(&vfmp_sim_allocs);
	kfree(p);
}

bool sim_fault_consume(struct vfmp_sim_adapter *ad, u32 *knob)
{
	bool hit = false;

	spin_lock(&ad->fault_lock);
	if (*knob) {
		(*knob)--;
		hit = true;
	}
	spin_unlock(&ad->fault_lock);
	return hit;
}

/* A countdown knob: the call that brings it from 1 to 0 fails. */
bool sim_fault_nth(struct vfmp_sim_adapter *ad, u32 *knob)
{
	bool hit = false;

	spin_lock(&ad->fault_lock);
	if (*knob)
		hit = --(*knob) == 0;
	spin_unlock(&ad->fault_lock);
	return hit;
}

/* ---- adapters ------------------------------------------------------- */

static struct vfmp_sim_adapter *sim_adapter_find(u32 id)
{
	struct vfmp_sim_adapter *ad;

	list_for_each_entry(ad, &sim_adapters, node)
		if (ad->id == id)
			return ad;
	return NULL;
}

static void sim_adapter_free(struct vfmp_sim_adapter *ad)
{
	sim_dp_fini(ad);
	sim_mbx_fini(ad);
	sim_free(ad->vf_bell);
	sim_free(ad->vf_enabled);
	sim_free(ad->vf_assigned);
	sim_free(ad->vf_present);
	sim_free(ad->vfs);
	sim_free(ad);
}

int sim_adapter_new(u32 id, u16 total_vfs, u16 qps)
{
	struct vfmp_sim_adapter *ad;
	int ret;

	ad = sim_zalloc(sizeof(*ad));
	if (!ad)
		return -ENOMEM;
	ad->id = id;
	ad->total_vfs = total_vfs;
	ad->queue_pairs = qps;
	mutex_init(&ad->lock);
	mutex_init(&ad->sriov_lock);
	spin_lock_init(&ad->bell_lock);
	spin_lock_init(&ad->fault_lock);
	ad->mbx_send_timeout_ms = VFMP_SIM_MBX_SEND_TIMEOUT_MS;
	sim_kw_defaults(ad);

	/* one slot minimum keeps the arrays non-NULL for total_vfs == 0 */
	ad->vfs = sim_calloc(max_t(u16, total_vfs, 1), sizeof(*ad->vfs));
	ad->vf_present = sim_calloc(max_t(u16, total_vfs, 1), sizeof(bool));
	ad->vf_enabled = sim_calloc(max_t(u16, total_vfs, 1), sizeof(bool));
	ad->vf_assigned = sim_calloc(max_t(u16, total_vfs, 1), sizeof(bool));
	ad->vf_bell = sim_calloc(max_t(u16, total_vfs, 1), sizeof(*ad->vf_bell));
	if (!ad->vfs || !ad->vf_present || !ad->vf_enabled ||
	    !ad->vf_assigned || !ad->vf_bell) {
		ret = -ENOMEM;
		goto err_free;
	}
	ret = sim_mbx_init(ad);
	if (ret)
		goto err_free;

	ad->pf = sim_dev_create(ad, VFMP_SIM_FN_PF, 0);
	if (IS_ERR(ad->pf)) {
		ret = PTR_ERR(ad->pf);
		ad->pf = NULL;
		goto err_free;
	}
	ret = sim_dp_init(ad);
	if (ret)
		goto err_put;

	mutex_lock(&sim_lock);
	if (sim_adapter_find(id)) {
		mutex_unlock(&sim_lock);
		pr_info("new_device: adapter %u already exists\n", id);
		ret = -EEXIST;
		goto err_put;
	}
	list_add_tail(&ad->node, &sim_adapters);
	mutex_unlock(&sim_lock);

	sim_debugfs_adapter_add(ad);
	ret = device_add(&ad->pf->dev);
	if (ret) {
		sim_debugfs_adapter_del(ad);
		mutex_lock(&sim_lock);
		list_del(&ad->node);
		mutex_unlock(&sim_lock);
		goto err_put;
	}
	return 0;

err_put:
	put_device(&ad->pf->dev);
err_free:
	sim_adapter_free(ad);
	return ret;
}

/* Tear down an adapter already unlinked from sim_adapters: VFs first,
 * then the PF (whose driver's remove() runs last).
 */
static void sim_adapter_destroy(struct vfmp_sim_adapter *ad)
{
	mutex_lock(&ad->sriov_lock);
	mutex_lock(&ad->lock);
	ad->dying = true;
	sim_vfs_del_all_locked(ad);
	mutex_unlock(&ad->lock);
	mutex_unlock(&ad->sriov_lock);

	device_unregister(&ad->pf->dev);
	sim_debugfs_adapter_del(ad);
	sim_adapter_free(ad);
}

int sim_adapter_del(u32 id)
{
	struct vfmp_sim_adapter *ad;

	mutex_lock(&sim_lock);
	ad = sim_adapter_find(id);
	if (ad)
		list_del(&ad->node);
	mutex_unlock(&sim_lock);
	if (!ad)
		return -ENOENT;
	sim_adapter_destroy(ad);
	return 0;
}

static int __init vfmp_sim_init(void)
{
	int ret;

	vfmp_sim_wq = alloc_workqueue("vfmp_sim", WQ_UNBOUND, 0);
	if (!vfmp_sim_wq)
		return -ENOMEM;
	ret = bus_register(&vfmp_sim_bus);
	if (ret) {
		destroy_workqueue(vfmp_sim_wq);
		return ret;
	}
	sim_debugfs_init();
	return 0;
}

static void __exit vfmp_sim_exit(void)
{
	struct vfmp_sim_adapter *ad;

	sim_bus_close();
	for (;;) {
		mutex_lock(&sim_lock);
		ad = list_first_entry_or_null(&sim_adapters,
					      struct vfmp_sim_adapter, node);
		if (ad)
			list_del(&ad->node);
		mutex_unlock(&sim_lock);
		if (!ad)
			break;
		sim_adapter_destroy(ad);
	}
	sim_bus_closed();
	sim_debugfs_fini();
	bus_unregister(&vfmp_sim_bus);
	destroy_workqueue(vfmp_sim_wq);
	if (atomic_long_read(&vfmp_sim_allocs))
		pr_err("%ld allocations leaked\n",
		       atomic_long_read(&vfmp_sim_allocs));
}

module_init(vfmp_sim_init);
module_exit(vfmp_sim_exit);

MODULE_DESCRIPTION("vfmp simulated SR-IOV NIC (PF, VFs, NIC switch, mailbox)");
MODULE_AUTHOR("vfmp developers");
MODULE_LICENSE("GPL");
