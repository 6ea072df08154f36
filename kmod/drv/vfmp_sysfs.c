// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs: the OID_SRIOV_HARDWARE/CURRENT_CAPABILITIES counterpart, decoded
 * for people, under /sys/bus/vfmp_sim/devices/<dev>/vfmp/, and the log of
 * the last failed init under /sys/bus/vfmp_sim/drivers/vfmp/.
 */
#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/sysfs.h>

#include "vfmp.h"

static struct vfmp_adapter *to_ad(struct device *dev)
{
	return dev_get_drvdata(dev);
}

static ssize_t hw_sriov_caps_show(struct device *dev,
				  struct device_attribute *a, char *buf)
{
	int n = vfmp_sriov_caps_format(&to_ad(dev)->hw_caps, buf, PAGE_SIZE - 1);

	return n + sysfs_emit_at(buf, n, "\n");
}
static DEVICE_ATTR_RO(hw_sriov_caps);

static ssize_t cur_sriov_caps_show(struct device *dev,
				   struct device_attribute *a, char *buf)
{
	int n = vfmp_sriov_caps_format(&to_ad(dev)->cur_caps, buf, PAGE_SIZE - 1);

	return n + sysfs_emit_at(buf, n, "\n");
}
static DEVICE_ATTR_RO(cur_sriov_caps);

static ssize_t hypervisor_show(struct device *dev, struct device_attribute *a,
			       char *buf)
{
	struct vfmp_adapter *ad = to_ad(dev);
	int n = vfmp_hv_info_format(&ad->hv, buf, PAGE_SIZE - 1);

	return n + sysfs_emit_at(buf, n, " verdict=%s\n",
				 vfmp_verdict_name(ad->decision.verdict));
}
static DEVICE_ATTR_RO(hypervisor);

static ssize_t personality_show(struct device *dev, struct device_attribute *a,
				char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  vfmp_personality_name(to_ad(dev)->decision.personality));
}
static DEVICE_ATTR_RO(personality);

static ssize_t vmq_show(struct device *dev, struct device_attribute *a,
			char *buf)
{
	struct vfmp_adapter *ad = to_ad(dev);
	u16 hwq = ad->sdev->caps.vmq_queues;

	if (ad->attrs.hw_rx_filter_caps)
		return sysfs_emit(buf, "advertised queues=%u\n",
				  ad->attrs.hw_rx_filter_caps->num_queues);
	return sysfs_emit(buf, "not advertised (hardware queues=%u)%s\n", hwq,
			  ad->decision.personality == VFMP_PERS_VF ?
			  " rule=R7" : "");
}
static DEVICE_ATTR_RO(vmq);

static ssize_t rss_caps_show(struct device *dev, struct device_attribute *a,
			     char *buf)
{
	int n = vfmp_rss_caps_format(&to_ad(dev)->rss, buf, PAGE_SIZE - 1);

	return n + sysfs_emit_at(buf, n, "\n");
}
static DEVICE_ATTR_RO(rss_caps);

static ssize_t pm_caps_show(struct device *dev, struct device_attribute *a,
			    char *buf)
{
	int n = vfmp_pm_caps_format(&to_ad(dev)->pm, buf, PAGE_SIZE - 1);

	return n + sysfs_emit_at(buf, n, "\n");
}
static DEVICE_ATTR_RO(pm_caps);

int vfmp_init_log_format(const struct vfmp_adapter *ad, char *buf,
			 size_t len)
{
	int i, n;

	n = scnprintf(buf, len, "dev=%s function=%s result=%d total_ns=%llu\n",
		      ad->name, ad->function == VFMP_FN_VF ? "vf" : "pf",
		      ad->init_err, ad->init_ns);
	for (i = 0; i < VFMP_MAX_STEPS && ad->log[i].name; i++) {
		const struct vfmp_step_log *l = &ad->log[i];

		n += scnprintf(buf + n, len - n, "%2d %-3s %-16s %-4s err=%d ns=%llu%s%s\n",
			       i + 1, vfmp_rule_name(l->rule), l->name,
			       l->err ? "fail" : l->skipped ? "skip" : "ok",
			       l->err, l->ns, l->note ? " # " : "",
			       l->note ? l->note : "");
	}
	return n;
}

static ssize_t init_log_show(struct device *dev, struct device_attribute *a,
			     char *buf)
{
	return vfmp_init_log_format(to_ad(dev), buf, PAGE_SIZE);
}
static DEVICE_ATTR_RO(init_log);

static ssize_t mbx_stats_show(struct device *dev, struct device_attribute *a,
			      char *buf)
{
	struct vfmp_adapter *ad = to_ad(dev);
	int i, n = 0;

	if (ad->function == VFMP_FN_VF)
		return sysfs_emit(buf, "requests=%llu unexpected_replies=%llu stale_discarded=%u\n",
				  ad->vf.requests, ad->vf.unexpected,
				  ad->vf.stale);
	if (!ad->pf.vfs)
		return sysfs_emit(buf, "mailbox off (%s)\n",
				  ad->pf.sriov_off_reason ?: "SR-IOV off");
	mutex_lock(&ad->pf.vf_lock);
	for (i = 0; i < ad->pf.total_vfs; i++) {
		struct vfmp_vf_state *s = &ad->pf.vfs[i];

		/* only VFs that talked or missed something: 64 lines would
		 * not fit a page
		 */
		if (!s->requests && !s->lost)
			continue;
		n += sysfs_emit_at(buf, n,
				   "vf%d requests=%llu rejects=%llu last_reject=%s/%s version_done=%d qps=%u lost=%llu\n",
				   i, s->requests, s->rejects,
				   s->rejects ? vfmp_mbx_op_name(s->last_reject_op) : "-",
				   s->rejects ? vfmp_mbx_status_name(s->last_reject) : "-",
				   s->version_done, s->qps, s->lost);
	}
	mutex_unlock(&ad->pf.vf_lock);
	return n ? n : sysfs_emit(buf, "no VF has sent a request\n");
}
static DEVICE_ATTR_RO(mbx_stats);

static struct attribute *vfmp_sysfs_attrs[] = {
	&dev_attr_hw_sriov_caps.attr,
	&dev_attr_cur_sriov_caps.attr,
	&dev_attr_hypervisor.attr,
	&dev_attr_personality.attr,
	&dev_attr_vmq.attr,
	&dev_attr_rss_caps.attr,
	&dev_attr_pm_caps.attr,
	&dev_attr_init_log.attr,
	&dev_attr_mbx_stats.attr,
	NULL,
};

const struct attribute_group vfmp_sysfs_group = {
	.name = "vfmp",
	.attrs = vfmp_sysfs_attrs,
};

int vfmp_step_sysfs(struct vfmp_adapter *ad, const char **note)
{
	*note = "vfmp/ attribute group";
	return sysfs_create_group(&ad->dev->kobj, &vfmp_sysfs_group);
}

ALLOW_ERROR_INJECTION(vfmp_step_sysfs, ERRNO);

void vfmp_undo_sysfs(struct vfmp_adapter *ad)
{
	sysfs_remove_group(&ad->dev->kobj, &vfmp_sysfs_group);
}

/* The last init that failed, so "why did my VF not come up" has an
 * answer after probe() is gone.
 */
static DEFINE_MUTEX(vfmp_failed_lock);
static char vfmp_failed_log[PAGE_SIZE / 2];

void vfmp_remember_failed_init(const struct vfmp_adapter *ad)
{
	mutex_lock(&vfmp_failed_lock);
	vfmp_init_log_format(ad, vfmp_failed_log, sizeof(vfmp_failed_log));
	mutex_unlock(&vfmp_failed_lock);
}

static ssize_t last_failed_init_show(struct device_driver *drv, char *buf)
{
	ssize_t n;

	mutex_lock(&vfmp_failed_lock);
	n = sysfs_emit(buf, "%s", vfmp_failed_log[0] ? vfmp_failed_log : "none\n");
	mutex_unlock(&vfmp_failed_lock);
	return n;
}
static DRIVER_ATTR_RO(last_failed_init);

struct attribute *vfmp_drv_attrs[] = {
	&driver_attr_last_failed_init.attr,
	NULL,
};
