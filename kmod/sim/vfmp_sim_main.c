// SPDX-License-Identifier: GPL-2.0
/*
 * vfmp_sim: a simulated SR-IOV NIC on its own software bus.
 *
 * One adapter = one PF device plus up to total_vfs VF devices that appear
 * when the PF's driver enables SR-IOV, exactly as PCI VFs do.  This file
 * owns the bus, the adapters, the devices and their sysfs attributes.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/etherdevice.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vfmp_sim.h"

struct sim_dev {
	struct vfmp_sim_device sdev;
	enum vfmp_sim_partition partition;
};

static inline struct sim_dev *to_sim_dev(struct device *dev)
{
	return container_of(to_vfmp_sim_device(dev), struct sim_dev, sdev);
}

atomic_long_t vfmp_sim_allocs = ATOMIC_LONG_INIT(0);
struct workqueue_struct *vfmp_sim_wq;

static LIST_HEAD(sim_adapters);
static DEFINE_MUTEX(sim_lock);	/* sim_adapters */
/* Serializes new_device/del_device: an adapter is on sim_adapters before
 * its PF is device_add()ed, so a concurrent del_device of the same ID must
 * not find it half-created.
 */
static DEFINE_MUTEX(sim_cfg_lock);

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

/* ---- devices -------------------------------------------------------- */

static const char * const sim_part_names[] = {
	[VFMP_SIM_PART_PLATFORM] = "platform",
	[VFMP_SIM_PART_PARENT] = "parent",
	[VFMP_SIM_PART_CHILD] = "child",
};

static ssize_t function_show(struct device *dev, struct device_attribute *a,
			     char *buf)
{
	struct vfmp_sim_device *sdev = to_vfmp_sim_device(dev);

	return sysfs_emit(buf, "%s\n",
			  sdev->function == VFMP_SIM_FN_PF ? "pf" : "vf");
}
static DEVICE_ATTR_RO(function);

static ssize_t adapter_show(struct device *dev, struct device_attribute *a,
			    char *buf)
{
	return sysfs_emit(buf, "%u\n", to_vfmp_sim_device(dev)->adapter_id);
}
static DEVICE_ATTR_RO(adapter);

static ssize_t vf_index_show(struct device *dev, struct device_attribute *a,
			     char *buf)
{
	return sysfs_emit(buf, "%u\n", to_vfmp_sim_device(dev)->vf_index);
}
static DEVICE_ATTR_RO(vf_index);

/* u16 capability registers, one attribute each, read by offset */
static ssize_t sim_cap_u16_show(struct device *dev, struct device_attribute *a,
				char *buf)
{
	struct dev_ext_attribute *ea = container_of(a, struct dev_ext_attribute,
						    attr);
	const u8 *caps = (const u8 *)&to_vfmp_sim_device(dev)->caps;
	u16 v;

	memcpy(&v, caps + (uintptr_t)ea->var, sizeof(v));
	return sysfs_emit(buf, "%u\n", v);
}

#define SIM_CAP_U16(reg) \
	struct dev_ext_attribute dev_attr_##reg = { \
		.attr = { .attr = { .name = #reg, .mode = 0444 }, \
			  .show = sim_cap_u16_show }, \
		.var = (void *)offsetof(struct vfmp_sim_caps, reg) }

static SIM_CAP_U16(max_queue_pairs);
static SIM_CAP_U16(rss_key_size);
static SIM_CAP_U16(rss_indir_size);
static SIM_CAP_U16(max_mtu);
static SIM_CAP_U16(vmq_queues);

static const char * const sim_hash_names[] = {
	"ipv4", "tcp_ipv4", "udp_ipv4", "ipv6", "tcp_ipv6", "udp_ipv6",
};

static ssize_t rss_hash_types_show(struct device *dev,
				   struct device_attribute *a, char *buf)
{
	u32 h = to_vfmp_sim_device(dev)->caps.rss_hash_types;
	int i, n = 0;

	for (i = 0; i < ARRAY_SIZE(sim_hash_names); i++)
		if (h & BIT(i))
			n += sysfs_emit_at(buf, n, "%s%s", n ? " " : "",
					   sim_hash_names[i]);
	n += sysfs_emit_at(buf, n, "\n");
	return n;
}
static DEVICE_ATTR_RO(rss_hash_types);

static ssize_t wol_show(struct device *dev, struct device_attribute *a,
			char *buf)
{
	u32 w = to_vfmp_sim_device(dev)->caps.wol_modes;

	return sysfs_emit(buf, "%s\n", w & VFMP_SIM_WOL_MAGIC ? "magic" : "none");
}
static DEVICE_ATTR_RO(wol);

static ssize_t perm_addr_show(struct device *dev, struct device_attribute *a,
			      char *buf)
{
	return sysfs_emit(buf, "%pM\n", to_vfmp_sim_device(dev)->caps.perm_addr);
}
static DEVICE_ATTR_RO(perm_addr);

static ssize_t partition_show(struct device *dev, struct device_attribute *a,
			      char *buf)
{
	return sysfs_emit(buf, "%s\n", sim_part_names[to_sim_dev(dev)->partition]);
}

static ssize_t partition_store(struct device *dev, struct device_attribute *a,
			       const char *buf, size_t count)
{
	int p = sysfs_match_string(sim_part_names, buf);
	ssize_t ret = count;

	if (p < 0) {
		dev_info(dev, "partition: expected parent, child or platform\n");
		return -EINVAL;
	}
	device_lock(dev);
	if (dev->driver) {
		dev_info(dev, "partition: cannot change while driver %s is bound\n",
			 dev->driver->name);
		ret = -EBUSY;
	} else {
		to_sim_dev(dev)->partition = p;
	}
	device_unlock(dev);
	return ret;
}
static DEVICE_ATTR_RW(partition);

static ssize_t assigned_show(struct device *dev, struct device_attribute *a,
			     char *buf)
{
	struct vfmp_sim_device *sdev = to_vfmp_sim_device(dev);

	return sysfs_emit(buf, "%d\n",
			  READ_ONCE(sdev->adapter->vf_assigned[sdev->vf_index]));
}

static ssize_t assigned_store(struct device *dev, struct device_attribute *a,
			      const char *buf, size_t count)
{
	struct vfmp_sim_device *sdev = to_vfmp_sim_device(dev);
	bool on;

	if (kstrtobool(buf, &on)) {
		dev_info(dev, "assigned: expected 0 or 1\n");
		return -EINVAL;
	}
	WRITE_ONCE(sdev->adapter->vf_assigned[sdev->vf_index], on);
	return count;
}
static DEVICE_ATTR_RW(assigned);

static ssize_t sriov_totalvfs_show(struct device *dev,
				   struct device_attribute *a, char *buf)
{
	return sysfs_emit(buf, "%u\n", to_vfmp_sim_device(dev)->adapter->total_vfs);
}
static DEVICE_ATTR_RO(sriov_totalvfs);

static ssize_t sriov_numvfs_show(struct device *dev,
				 struct device_attribute *a, char *buf)
{
	struct vfmp_sim_adapter *ad = to_vfmp_sim_device(dev)->adapter;
	u16 n;

	mutex_lock(&ad->lock);
	n = ad->num_vfs;
	mutex_unlock(&ad->lock);
	return sysfs_emit(buf, "%u\n", n);
}

/* Same contract as PCI's sriov_numvfs: 0 disables, N>0 enables, and a
 * change between two non-zero values must go through 0.
 */
static ssize_t sriov_numvfs_store(struct device *dev,
				  struct device_attribute *a,
				  const char *buf, size_t count)
{
	struct vfmp_sim_device *sdev = to_vfmp_sim_device(dev);
	struct vfmp_sim_adapter *ad = sdev->adapter;
	struct vfmp_sim_driver *drv;
	u16 num, cur;
	int ret;

	ret = kstrtou16(buf, 0, &num);
	if (ret) {
		dev_info(dev, "sriov_numvfs: not a number\n");
		return ret;
	}
	if (num > ad->total_vfs) {
		dev_info(dev, "sriov_numvfs: %u exceeds sriov_totalvfs %u\n",
			 num, ad->total_vfs);
		return -ERANGE;
	}

	device_lock(dev);
	if (!dev->driver) {
		dev_info(dev, "no driver bound to device; cannot configure SR-IOV\n");
		ret = -ENOENT;
		goto out;
	}
	drv = to_vfmp_sim_driver(dev->driver);
	if (!drv->sriov_configure) {
		dev_info(dev, "driver does not support SR-IOV configuration via sysfs\n");
		ret = -EOPNOTSUPP;
		goto out;
	}
	mutex_lock(&ad->lock);
	cur = ad->num_vfs;
	mutex_unlock(&ad->lock);
	if (num == cur) {
		ret = 0;
		goto out;
	}
	if (num && cur) {
		dev_info(dev, "%u VFs already enabled; disable before enabling %u\n",
			 cur, num);
		ret = -EBUSY;
		goto out;
	}
	ret = drv->sriov_configure(sdev, num);
	if (ret >= 0 && num && ret != num) {
		dev_warn(dev, "sriov_configure enabled %d VFs, not %u\n", ret, num);
		ret = -EIO;
	}
out:
	device_unlock(dev);
	return ret < 0 ? ret : count;
}
static DEVICE_ATTR_RW(sriov_numvfs);

static struct attribute *sim_dev_attrs[] = {
	&dev_attr_function.attr,
	&dev_attr_adapter.attr,
	&dev_attr_vf_index.attr,
	&dev_attr_assigned.attr,
	&dev_attr_partition.attr,
	&dev_attr_max_queue_pairs.attr.attr,
	&dev_attr_rss_key_size.attr.attr,
	&dev_attr_rss_indir_size.attr.attr,
	&dev_attr_rss_hash_types.attr,
	&dev_attr_max_mtu.attr.attr,
	&dev_attr_wol.attr,
	&dev_attr_vmq_queues.attr.attr,
	&dev_attr_perm_addr.attr,
	&dev_attr_sriov_totalvfs.attr,
	&dev_attr_sriov_numvfs.attr,
	NULL,
};

static umode_t sim_dev_attr_visible(struct kobject *kobj,
				    struct attribute *attr, int n)
{
	struct vfmp_sim_device *sdev = to_vfmp_sim_device(kobj_to_dev(kobj));
	bool pf = sdev->function == VFMP_SIM_FN_PF;

	if ((attr == &dev_attr_vf_index.attr ||
	     attr == &dev_attr_assigned.attr) && pf)
		return 0;
	if ((attr == &dev_attr_sriov_totalvfs.attr ||
	     attr == &dev_attr_sriov_numvfs.attr) && !pf)
		return 0;
	return attr->mode;
}

static const struct attribute_group sim_dev_group = {
	.attrs = sim_dev_attrs,
	.is_visible = sim_dev_attr_visible,
};

static const struct attribute_group *sim_dev_groups[] = {
	&sim_dev_group,
	NULL,
};

static void sim_dev_release(struct device *dev)
{
	sim_free(to_sim_dev(dev));
}

static struct vfmp_sim_device *sim_dev_create(struct vfmp_sim_adapter *ad,
					      enum vfmp_sim_function fn,
					      u16 vf)
{
	struct sim_dev *d;
	struct vfmp_sim_device *sdev;
	int ret;

	d = sim_zalloc(sizeof(*d));
	if (!d)
		return ERR_PTR(-ENOMEM);
	sdev = &d->sdev;
	sdev->function = fn;
	sdev->adapter_id = ad->id;
	sdev->vf_index = vf;
	sdev->adapter = ad;
	sdev->caps.max_queue_pairs = ad->queue_pairs;
	sdev->caps.rss_key_size = VFMP_SIM_RSS_KEY_SIZE;
	sdev->caps.rss_indir_size = VFMP_SIM_RSS_INDIR_SIZE;
	sdev->caps.max_mtu = VFMP_SIM_MAX_MTU;
	sdev->caps.rss_hash_types = VFMP_SIM_HASH_ALL;
	sdev->caps.wol_modes = VFMP_SIM_WOL_MAGIC;
	/* The silicon is VMQ capable on every function: a VF driver must
	 * actively leave it out (seed rule R7).
	 */
	sdev->caps.vmq_queues = VFMP_SIM_VMQ_QUEUES;
	if (fn == VFMP_SIM_FN_PF) {
		/* locally administered, unique per adapter */
		u8 mac[ETH_ALEN] = { 0x02, 0x56, 0x46, 0x00,
				     ad->id >> 8, ad->id & 0xff };

		ether_addr_copy(sdev->caps.perm_addr, mac);
		d->partition = VFMP_SIM_PART_PARENT;
	} else {
		d->partition = VFMP_SIM_PART_CHILD;
	}

	device_initialize(&sdev->dev);
	sdev->dev.bus = &vfmp_sim_bus;
	sdev->dev.release = sim_dev_release;
	sdev->dev.groups = sim_dev_groups;
	if (fn == VFMP_SIM_FN_PF)
		ret = dev_set_name(&sdev->dev, "sim%u-pf", ad->id);
	else
		ret = dev_set_name(&sdev->dev, "sim%u-vf%u", ad->id, vf);
	if (ret) {
		put_device(&sdev->dev);
		return ERR_PTR(ret);
	}
	return sdev;
}

enum vfmp_sim_partition vfmp_sim_get_partition(struct vfmp_sim_device *sdev)
{
	return to_sim_dev(&sdev->dev)->partition;
}
EXPORT_SYMBOL_GPL(vfmp_sim_get_partition);

int vfmp_sim_enable_device(struct vfmp_sim_device *sdev)
{
	struct vfmp_sim_adapter *ad = sdev->adapter;
	int ret = 0;

	mutex_lock(&ad->lock);
	if (sdev->function == VFMP_SIM_FN_VF && !ad->vf_present[sdev->vf_index]) {
		ret = -ENODEV;
	} else if (sim_fault_consume(ad, &ad->fail_alloc)) {
		ad->fail_alloc_hits++;
		ret = -ENOMEM;
	} else if (sdev->function == VFMP_SIM_FN_PF) {
		ad->pf_enabled = true;
	} else {
		ad->vf_enabled[sdev->vf_index] = true;
	}
	mutex_unlock(&ad->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(vfmp_sim_enable_device);

void vfmp_sim_disable_device(struct vfmp_sim_device *sdev)
{
	struct vfmp_sim_adapter *ad = sdev->adapter;

	mutex_lock(&ad->lock);
	if (sdev->function == VFMP_SIM_FN_PF)
		ad->pf_enabled = false;
	else
		ad->vf_enabled[sdev->vf_index] = false;
	mutex_unlock(&ad->lock);
}
EXPORT_SYMBOL_GPL(vfmp_sim_disable_device);

/* ---- SR-IOV --------------------------------------------------------- */

static int sim_vf_add(struct vfmp_sim_adapter *ad, u16 vf)
{
	struct vfmp_sim_device *sdev;
	char link[16];
	int ret;

	if (sim_fault_consume(ad, &ad->fail_alloc)) {
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
	ad->num_vfs = num_vfs;
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
		ad->num_vfs = 0;
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
	u16 i;

	if (pf->function != VFMP_SIM_FN_PF)
		return;
	mutex_lock(&ad->sriov_lock);
	mutex_lock(&ad->lock);
	for (i = ad->num_vfs; i > 0; i--)
		sim_vf_del_locked(ad, i - 1);
	ad->num_vfs = 0;
	mutex_unlock(&ad->lock);
	mutex_unlock(&ad->sriov_lock);
}
EXPORT_SYMBOL_GPL(vfmp_sim_sriov_disable);

int vfmp_sim_sriov_num_vfs(struct vfmp_sim_device *pf)
{
	struct vfmp_sim_adapter *ad = pf->adapter;
	int n;

	mutex_lock(&ad->lock);
	n = ad->num_vfs;
	mutex_unlock(&ad->lock);
	return n;
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

/* ---- keywords ------------------------------------------------------- */

int vfmp_sim_read_keyword(struct vfmp_sim_device *sdev, const char *name,
			  char *buf, size_t len)
{
	struct vfmp_sim_adapter *ad = sdev->adapter;
	int kw = match_string(sim_kw_names, SIM_KW_COUNT, name);
	int n;

	if (kw < 0)
		return -ENOENT;
	atomic64_inc(&ad->kw_reads[kw][sdev->function == VFMP_SIM_FN_VF]);
	mutex_lock(&ad->lock);
	n = strscpy(buf, ad->kw[kw], len);
	mutex_unlock(&ad->lock);
	return n < 0 ? -ENOSPC : n;
}
EXPORT_SYMBOL_GPL(vfmp_sim_read_keyword);

int vfmp_sim_write_keyword(struct vfmp_sim_device *sdev, const char *name,
			   const char *value)
{
	if (sdev->function != VFMP_SIM_FN_PF)
		return -EPERM;
	return sim_kw_set(sdev->adapter, name, value);
}
EXPORT_SYMBOL_GPL(vfmp_sim_write_keyword);

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

static int sim_adapter_new(u32 id, u16 total_vfs, u16 qps)
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
	u16 i;

	mutex_lock(&ad->sriov_lock);
	mutex_lock(&ad->lock);
	ad->dying = true;
	for (i = ad->num_vfs; i > 0; i--)
		sim_vf_del_locked(ad, i - 1);
	ad->num_vfs = 0;
	mutex_unlock(&ad->lock);
	mutex_unlock(&ad->sriov_lock);

	device_unregister(&ad->pf->dev);
	sim_debugfs_adapter_del(ad);
	sim_adapter_free(ad);
}

static int sim_adapter_del(u32 id)
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

/* ---- bus ------------------------------------------------------------ */

/*
 * Parse up to @max whitespace-separated decimal numbers into @v.  Returns
 * how many were read, -EINVAL for junk or too many fields, -ERANGE for a
 * number that does not fit in 32 bits (sscanf("%u") would silently wrap
 * it, e.g. 4294967297 into 1).
 */
static int sim_parse_uints(const char *buf, size_t count, unsigned int *v,
			   int max)
{
	char s[64], *p, *tok;
	int n = 0, ret;

	if (count >= sizeof(s))
		return -EINVAL;
	memcpy(s, buf, count);
	s[count] = '\0';
	p = s;
	while ((tok = strsep(&p, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		if (n == max)
			return -EINVAL;
		ret = kstrtouint(tok, 10, &v[n]);
		if (ret)
			return ret;
		n++;
	}
	return n;
}

/* "ID [TOTAL_VFS [QUEUE_PAIRS]]" */
static ssize_t new_device_store(VFMP_BUS_ATTR_BUS *bus, const char *buf,
				size_t count)
{
	unsigned int v[3] = { 0, VFMP_SIM_DEF_VFS, VFMP_SIM_DEF_QUEUE_PAIRS };
	unsigned int id, vfs, qps;
	int n, ret;

	n = sim_parse_uints(buf, count, v, ARRAY_SIZE(v));
	if (n == -ERANGE) {
		pr_info("new_device: number out of range\n");
		return -ERANGE;
	}
	if (n < 1) {
		pr_info("new_device: expected \"ID [TOTAL_VFS [QUEUE_PAIRS]]\"\n");
		return -EINVAL;
	}
	id = v[0];
	vfs = v[1];
	qps = v[2];
	if (id > VFMP_SIM_MAX_ADAPTER_ID) {
		pr_info("new_device: ID %u out of range 0..%u\n", id,
			VFMP_SIM_MAX_ADAPTER_ID);
		return -ERANGE;
	}
	if (vfs > VFMP_SIM_MAX_VFS) {
		pr_info("new_device: TOTAL_VFS %u out of range 0..%u\n", vfs,
			VFMP_SIM_MAX_VFS);
		return -ERANGE;
	}
	if (qps < 1 || qps > VFMP_SIM_MAX_QUEUE_PAIRS) {
		pr_info("new_device: QUEUE_PAIRS %u out of range 1..%u\n", qps,
			VFMP_SIM_MAX_QUEUE_PAIRS);
		return -ERANGE;
	}
	mutex_lock(&sim_cfg_lock);
	ret = sim_adapter_new(id, vfs, qps);
	mutex_unlock(&sim_cfg_lock);
	return ret ? ret : count;
}

static ssize_t del_device_store(VFMP_BUS_ATTR_BUS *bus, const char *buf,
				size_t count)
{
	unsigned int id;
	int n, ret;

	n = sim_parse_uints(buf, count, &id, 1);
	if (n != 1) {
		pr_info("del_device: expected \"ID\"\n");
		return n == -ERANGE ? -ERANGE : -EINVAL;
	}
	mutex_lock(&sim_cfg_lock);
	ret = sim_adapter_del(id);
	mutex_unlock(&sim_cfg_lock);
	if (ret == -ENOENT)
		pr_info("del_device: no adapter %u\n", id);
	return ret ? ret : count;
}

static BUS_ATTR_WO(new_device);
static BUS_ATTR_WO(del_device);

static struct attribute *sim_bus_attrs[] = {
	&bus_attr_new_device.attr,
	&bus_attr_del_device.attr,
	NULL,
};
ATTRIBUTE_GROUPS(sim_bus);

static int sim_bus_match(struct device *dev, VFMP_MATCH_DRV *drv)
{
	/* One driver serves both functions (it picks a personality). */
	return 1;
}

static int sim_bus_uevent(VFMP_UEVENT_DEV *dev, struct kobj_uevent_env *env)
{
	const struct vfmp_sim_device *sdev = to_vfmp_sim_device(dev);

	return add_uevent_var(env, "MODALIAS=vfmp_sim:%s",
			      sdev->function == VFMP_SIM_FN_PF ? "pf" : "vf");
}

/* dev_num_vf(): lets rtnetlink list a PF's VFs (ip link show PF) */
static int sim_bus_num_vf(struct device *dev)
{
	struct vfmp_sim_device *sdev = to_vfmp_sim_device(dev);

	if (sdev->function != VFMP_SIM_FN_PF)
		return 0;
	return READ_ONCE(sdev->adapter->num_vfs);	/* may be atomic context */
}

static int sim_bus_probe(struct device *dev)
{
	struct vfmp_sim_driver *drv = to_vfmp_sim_driver(dev->driver);

	return drv->probe ? drv->probe(to_vfmp_sim_device(dev)) : -ENODEV;
}

static void sim_bus_remove(struct device *dev)
{
	struct vfmp_sim_driver *drv = to_vfmp_sim_driver(dev->driver);

	if (drv->remove)
		drv->remove(to_vfmp_sim_device(dev));
}

struct bus_type vfmp_sim_bus = {
	.name = VFMP_SIM_BUS_NAME,
	.bus_groups = sim_bus_groups,
	.match = sim_bus_match,
	.uevent = sim_bus_uevent,
	.probe = sim_bus_probe,
	.remove = sim_bus_remove,
	.num_vf = sim_bus_num_vf,
};

int __vfmp_sim_register_driver(struct vfmp_sim_driver *drv,
			       struct module *owner)
{
	drv->driver.bus = &vfmp_sim_bus;
	drv->driver.owner = owner;
	return driver_register(&drv->driver);
}
EXPORT_SYMBOL_GPL(__vfmp_sim_register_driver);

void vfmp_sim_unregister_driver(struct vfmp_sim_driver *drv)
{
	driver_unregister(&drv->driver);
}
EXPORT_SYMBOL_GPL(vfmp_sim_unregister_driver);

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
