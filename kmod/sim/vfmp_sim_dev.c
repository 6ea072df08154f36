// SPDX-License-Identifier: GPL-2.0
/*
 * vfmp_sim devices: the PF and VF functions of an adapter, their
 * capability registers and sysfs attributes (the SR-IOV ones included),
 * the partition a function is assigned to, and enabling a function.
 */
#include <linux/etherdevice.h>
#include <linux/kernel.h>
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

struct vfmp_sim_device *sim_dev_create(struct vfmp_sim_adapter *ad,
				       enum vfmp_sim_function fn, u16 vf)
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
		u32 mtu = READ_ONCE(ad->vf_max_mtu);

		/* a VF model with a smaller frame limit than its PF */
		if (mtu >= VFMP_SIM_MIN_MTU && mtu < VFMP_SIM_MAX_MTU)
			sdev->caps.max_mtu = mtu;
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
