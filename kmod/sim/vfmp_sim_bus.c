// SPDX-License-Identifier: GPL-2.0
/*
 * The vfmp_sim bus: its new_device/del_device attributes (which create
 * and destroy adapters), matching, uevents, probe/remove and driver
 * registration.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

#include "vfmp_sim.h"

/* Serializes new_device/del_device: an adapter is on sim_adapters before
 * its PF is device_add()ed, so a concurrent del_device of the same ID must
 * not find it half-created.
 */
static DEFINE_MUTEX(sim_cfg_lock);
/*
 * Set by module exit before it tears the adapters down: a new_device
 * racing `rmmod vfmp_sim` either finished before (its adapter is torn
 * down with the rest) or is refused, never half-way.  Exit holds
 * sim_cfg_lock from sim_bus_close() to sim_bus_closed(), so a del_device
 * in flight finishes first (and one that comes later finds nothing): the
 * two never tear down the same adapter's debugfs at once.
 */
static bool sim_closing;

void sim_bus_close(void)
{
	mutex_lock(&sim_cfg_lock);
	sim_closing = true;
}

void sim_bus_closed(void)
{
	mutex_unlock(&sim_cfg_lock);
}

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
	ret = sim_closing ? -ENODEV : sim_adapter_new(id, vfs, qps);
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
