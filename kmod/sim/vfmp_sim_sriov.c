// SPDX-License-Identifier: GPL-2.0
/*
 * vfmp_sim SR-IOV: VF devices appear when the PF's driver enables SR-IOV
 * and go away when it disables it (or on surprise removal), exactly as
 * PCI VFs do, with virtfn/physfn links between them.
 */
#include <linux/kernel.h>

#include "vfmp_sim.h"

static int sim_vf_add(struct vfmp_sim_adapter *ad, u16 vf)
{
	struct vfmp_sim_device *sdev;
	char link[16];
	int ret;

	if (sim_fault_consume(ad, &ad->fail_alloc) ||
	    sim_fault_nth(ad, &ad->fail_vf_add)) {
		ad->fail_alloc_hits++;
		return -ENOMEM;
	}
	sdev = sim_dev_create(ad, VFMP_SIM_FN_VF, vf);
	if (IS_ERR(sdev))
		return PTR_ERR(sdev);
	sim_mbx_reset_vf(ad, vf);
	sim_dp_reset_vf(ad, vf);
	ad->vfs[vf] = sdev;
	ad->vf_present[vf] = true;
	ad->vf_enabled[vf] = false;
	ad->vf_assigned[vf] = false;

	/* device_add() probes the VF's driver synchronously, like PCI. */
	mutex_unlock(&ad->lock);
	ret = device_add(&sdev->dev);
	mutex_lock(&ad->lock);
	if (ret) {
		ad->vfs[vf] = NULL;
		ad->vf_present[vf] = false;
		put_device(&sdev->dev);
		return ret;
	}
	snprintf(link, sizeof(link), "virtfn%u", vf);
	if (sysfs_create_link(&ad->pf->dev.kobj, &sdev->dev.kobj, link) ||
	    sysfs_create_link(&sdev->dev.kobj, &ad->pf->dev.kobj, "physfn"))
		dev_warn(&sdev->dev, "cannot create virtfn/physfn links\n");
	return 0;
}

/* Called with ad->lock held; drops it around device removal, which runs
 * the VF driver's remove().
 */
static void sim_vf_del_locked(struct vfmp_sim_adapter *ad, u16 vf)
{
	struct vfmp_sim_device *sdev = ad->vfs[vf];
	char link[16];

	if (!sdev)
		return;
	snprintf(link, sizeof(link), "virtfn%u", vf);
	sysfs_remove_link(&ad->pf->dev.kobj, link);
	sysfs_remove_link(&sdev->dev.kobj, "physfn");
	/* The slot stays valid while the driver's remove() runs: a VF
	 * driver may still say goodbye over the mailbox (unless the
	 * function was surprise-removed, which cleared vf_present).
	 */
	mutex_unlock(&ad->lock);
	device_unregister(&sdev->dev);
	mutex_lock(&ad->lock);
	WRITE_ONCE(ad->vfs[vf], NULL);
	ad->vf_present[vf] = false;
	ad->vf_enabled[vf] = false;
	sim_mbx_reset_vf(ad, vf);
	sim_dp_reset_vf(ad, vf);
}

/* Remove every VF, the last first; sriov_lock and ad->lock held. */
void sim_vfs_del_all_locked(struct vfmp_sim_adapter *ad)
{
	u16 i;

	for (i = ad->num_vfs; i > 0; i--)
		sim_vf_del_locked(ad, i - 1);
	WRITE_ONCE(ad->num_vfs, 0);
}

int vfmp_sim_sriov_enable(struct vfmp_sim_device *pf, int num_vfs)
{
	struct vfmp_sim_adapter *ad = pf->adapter;
	int ret = 0;
	u16 i;

	if (pf->function != VFMP_SIM_FN_PF)
		return -EINVAL;
	if (num_vfs <= 0 || num_vfs > ad->total_vfs)
		return -ERANGE;

	mutex_lock(&ad->sriov_lock);
	mutex_lock(&ad->lock);
	if (ad->dying) {
		ret = -ENODEV;
		goto out;
	}
	if (ad->num_vfs) {
		ret = -EBUSY;
		goto out;
	}
	WRITE_ONCE(ad->num_vfs, num_vfs);
	for (i = 0; i < num_vfs; i++) {
		ret = sim_vf_add(ad, i);
		if (ret) {
			dev_info(&pf->dev, "VF %u creation failed: %d\n", i, ret);
			break;
		}
	}
	if (ret) {
		while (i--)
			sim_vf_del_locked(ad, i);
		WRITE_ONCE(ad->num_vfs, 0);
	}
out:
	mutex_unlock(&ad->lock);
	mutex_unlock(&ad->sriov_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(vfmp_sim_sriov_enable);

void vfmp_sim_sriov_disable(struct vfmp_sim_device *pf)
{
	struct vfmp_sim_adapter *ad = pf->adapter;

	if (pf->function != VFMP_SIM_FN_PF)
		return;
	mutex_lock(&ad->sriov_lock);
	mutex_lock(&ad->lock);
	sim_vfs_del_all_locked(ad);
	mutex_unlock(&ad->lock);
	mutex_unlock(&ad->sriov_lock);
}
EXPORT_SYMBOL_GPL(vfmp_sim_sriov_disable);

/*
 * A snapshot, without ad->lock: the PF driver asks from its mailbox
 * handler, which a VF's removal waits for (cancel_delayed_work_sync on
 * the doorbell) while it holds ad->lock.
 */
int vfmp_sim_sriov_num_vfs(struct vfmp_sim_device *pf)
{
	return READ_ONCE(pf->adapter->num_vfs);
}
EXPORT_SYMBOL_GPL(vfmp_sim_sriov_num_vfs);

int vfmp_sim_sriov_vfs_assigned(struct vfmp_sim_device *pf)
{
	struct vfmp_sim_adapter *ad = pf->adapter;
	int i, n = 0;

	if (pf->function != VFMP_SIM_FN_PF)
		return 0;
	mutex_lock(&ad->lock);
	for (i = 0; i < ad->num_vfs; i++)
		n += ad->vfs[i] && ad->vf_assigned[i];
	mutex_unlock(&ad->lock);
	return n;
}
EXPORT_SYMBOL_GPL(vfmp_sim_sriov_vfs_assigned);

int vfmp_sim_sriov_total_vfs(struct vfmp_sim_device *pf)
{
	return pf->adapter->total_vfs;
}
EXPORT_SYMBOL_GPL(vfmp_sim_sriov_total_vfs);

/* Surprise removal (debugfs): the VF vanishes from the bus as if the
 * hardware went away; its slot stays counted in sriov_numvfs.
 */
int sim_vf_remove(struct vfmp_sim_adapter *ad, u16 vf, bool surprise)
{
	int ret = 0;

	mutex_lock(&ad->sriov_lock);
	mutex_lock(&ad->lock);
	if (vf >= ad->num_vfs || !ad->vfs[vf]) {
		ret = -ENODEV;
	} else {
		if (surprise)
			WRITE_ONCE(ad->vf_present[vf], false);
		sim_vf_del_locked(ad, vf);
	}
	mutex_unlock(&ad->lock);
	mutex_unlock(&ad->sriov_lock);
	return ret;
}
