// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs for vfmp_sim: the admin's view of the NVM, the counters tests
 * rely on, and fault injection.  Layout (docs/hardware.md):
 *   /sys/kernel/debug/vfmp_sim/allocs          outstanding allocations
 *   /sys/kernel/debug/vfmp_sim/simID/keywords  "NAME=VALUE" lines (rw)
 *   .../simID/keyword_reads                    per keyword, pf= vf= (w: reset)
 *   .../simID/mbx_stats                        per VF channel counters
 *   .../simID/fail_mbx_send, drop_mbx_reply, mbx_reply_delay_ms,
 *      mbx_send_timeout_ms, fail_alloc          fault knobs (u32)
 *   .../simID/fail_vf_add                      N: the Nth VF added from now
 *                                              fails (ENOMEM) after the
 *                                              earlier ones were probed
 *   .../simID/vf_max_mtu                       VFs created from now on have
 *                                              this max_mtu (68..8999; else
 *                                              the PF's)
 *   .../simID/rx_bad_len                       the next N RX write-backs
 *                                              claim buffer + 1 bytes
 *   .../simID/surprise_remove                  write a VF index
 *   .../simID/vf_inject                        write records (u8 VF, u8 0,
 *      le16 LEN, LEN bytes)...: each is queued to the PF as if that VF
 *      sent it (a hostile VF, for tests); returns the bytes of the whole
 *      records queued
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "vfmp_sim.h"

static struct dentry *sim_droot;

static int allocs_show(struct seq_file *s, void *unused)
{
	seq_printf(s, "%ld\n", atomic_long_read(&vfmp_sim_allocs));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(allocs);

static int keywords_show(struct seq_file *s, void *unused)
{
	struct vfmp_sim_adapter *ad = s->private;
	int i;

	mutex_lock(&ad->lock);
	for (i = 0; i < SIM_KW_COUNT; i++)
		seq_printf(s, "%s=%s\n", sim_kw_names[i], ad->kw[i]);
	mutex_unlock(&ad->lock);
	return 0;
}

static int keywords_open(struct inode *inode, struct file *file)
{
	return single_open(file, keywords_show, inode->i_private);
}

/* "NAME=VALUE" (one per write; a trailing newline is ignored) */
static ssize_t keywords_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct vfmp_sim_adapter *ad = file_inode(file)->i_private;
	char *buf, *line, *eq;
	int ret;

	if (count > 128)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	line = strim(buf);
	eq = strchr(line, '=');
	if (!eq) {
		pr_info("vfmp_sim: sim%u: keywords: expected NAME=VALUE\n", ad->id);
		ret = -EINVAL;
	} else {
		*eq = '\0';
		ret = sim_kw_set(ad, line, eq + 1);
	}
	kfree(buf);
	return ret ? ret : count;
}

static const struct file_operations keywords_fops = {
	.owner = THIS_MODULE,
	.open = keywords_open,
	.read = seq_read,
	.write = keywords_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int keyword_reads_show(struct seq_file *s, void *unused)
{
	struct vfmp_sim_adapter *ad = s->private;
	s64 tpf = 0, tvf = 0, pf, vf;
	int i;

	for (i = 0; i < SIM_KW_COUNT; i++) {
		pf = atomic64_read(&ad->kw_reads[i][0]);
		vf = atomic64_read(&ad->kw_reads[i][1]);
		tpf += pf;
		tvf += vf;
		seq_printf(s, "%s pf=%lld vf=%lld\n", sim_kw_names[i], pf, vf);
	}
	seq_printf(s, "total pf=%lld vf=%lld\n", tpf, tvf);
	return 0;
}

static int keyword_reads_open(struct inode *inode, struct file *file)
{
	return single_open(file, keyword_reads_show, inode->i_private);
}

static ssize_t keyword_reads_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	struct vfmp_sim_adapter *ad = file_inode(file)->i_private;
	int i;

	for (i = 0; i < SIM_KW_COUNT; i++) {
		atomic64_set(&ad->kw_reads[i][0], 0);
		atomic64_set(&ad->kw_reads[i][1], 0);
	}
	return count;
}

static const struct file_operations keyword_reads_fops = {
	.owner = THIS_MODULE,
	.open = keyword_reads_open,
	.read = seq_read,
	.write = keyword_reads_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int mbx_stats_show(struct seq_file *s, void *unused)
{
	struct vfmp_sim_adapter *ad = s->private;
	static const char * const dn[SIM_DIRS] = { "to_pf", "to_vf" };
	u16 i;
	int d;

	for (i = 0; i < ad->total_vfs; i++) {
		struct sim_mbx_chan *ch = &ad->chan[i];

		spin_lock(&ch->lock);
		for (d = 0; d < SIM_DIRS; d++)
			seq_printf(s,
				   "vf%u %s sent=%llu received=%llu queued=%u dropped=%llu failed=%llu timeouts=%llu busy=%llu injected=%llu\n",
				   i, dn[d], ch->q[d].sent, ch->q[d].received,
				   ch->q[d].depth, ch->q[d].dropped,
				   ch->q[d].failed, ch->q[d].timeouts,
				   ch->q[d].busy, ch->q[d].injected);
		spin_unlock(&ch->lock);
	}
	seq_printf(s, "fail_alloc_hits=%llu\n", READ_ONCE(ad->fail_alloc_hits));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mbx_stats);

static ssize_t surprise_remove_write(struct file *file,
				     const char __user *ubuf,
				     size_t count, loff_t *ppos)
{
	struct vfmp_sim_adapter *ad = file_inode(file)->i_private;
	u16 vf;
	int ret;

	ret = kstrtou16_from_user(ubuf, count, 0, &vf);
	if (ret)
		return ret;
	ret = sim_vf_remove(ad, vf, true);
	if (ret == -ENODEV)
		pr_info("vfmp_sim: sim%u: surprise_remove: no VF %u\n", ad->id, vf);
	else
		pr_info("vfmp_sim: sim%u: VF %u surprise-removed\n", ad->id, vf);
	return ret ? ret : count;
}

#define SIM_INJECT_HDR		4
#define SIM_INJECT_MAX_WRITE	(64 * 1024)

static ssize_t vf_inject_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct vfmp_sim_adapter *ad = file_inode(file)->i_private;
	size_t off = 0;
	int ret = 0;
	u8 *buf;

	if (count > SIM_INJECT_MAX_WRITE)
		count = SIM_INJECT_MAX_WRITE;
	buf = memdup_user(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	while (count - off >= SIM_INJECT_HDR) {
		u16 len = buf[off + 2] | buf[off + 3] << 8;	/* le16 */

		if (buf[off + 1] || !len || len > VFMP_SIM_MBX_MSG_MAX) {
			ret = -EINVAL;
			break;
		}
		if (count - off - SIM_INJECT_HDR < len)
			break;	/* a partial record: the writer sends it again */
		ret = sim_mbx_inject(ad, buf[off], buf + off + SIM_INJECT_HDR,
				     len);
		if (ret)
			break;
		off += SIM_INJECT_HDR + len;
		if (fatal_signal_pending(current))
			break;
		cond_resched();
	}
	kfree(buf);
	if (off)
		return off;
	return ret ? ret : -EINVAL;
}

static const struct file_operations vf_inject_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = vf_inject_write,
};

static const struct file_operations surprise_remove_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = surprise_remove_write,
};

void sim_debugfs_adapter_add(struct vfmp_sim_adapter *ad)
{
	char name[16];

	snprintf(name, sizeof(name), "sim%u", ad->id);
	ad->ddir = debugfs_create_dir(name, sim_droot);
	debugfs_create_file("keywords", 0600, ad->ddir, ad, &keywords_fops);
	debugfs_create_file("keyword_reads", 0600, ad->ddir, ad,
			    &keyword_reads_fops);
	debugfs_create_file("mbx_stats", 0400, ad->ddir, ad, &mbx_stats_fops);
	debugfs_create_u32("fail_mbx_send", 0600, ad->ddir, &ad->fail_mbx_send);
	debugfs_create_u32("drop_mbx_reply", 0600, ad->ddir,
			   &ad->drop_mbx_reply);
	debugfs_create_u32("mbx_reply_delay_ms", 0600, ad->ddir,
			   &ad->mbx_reply_delay_ms);
	debugfs_create_u32("mbx_send_timeout_ms", 0600, ad->ddir,
			   &ad->mbx_send_timeout_ms);
	debugfs_create_u32("fail_alloc", 0600, ad->ddir, &ad->fail_alloc);
	debugfs_create_u32("fail_vf_add", 0600, ad->ddir, &ad->fail_vf_add);
	debugfs_create_u32("vf_max_mtu", 0600, ad->ddir, &ad->vf_max_mtu);
	debugfs_create_atomic_t("rx_bad_len", 0600, ad->ddir, &ad->rx_bad_len);
	debugfs_create_file("surprise_remove", 0200, ad->ddir, ad,
			    &surprise_remove_fops);
	debugfs_create_file("vf_inject", 0200, ad->ddir, ad, &vf_inject_fops);
}

void sim_debugfs_adapter_del(struct vfmp_sim_adapter *ad)
{
	debugfs_remove_recursive(ad->ddir);
	ad->ddir = NULL;
}

void sim_debugfs_init(void)
{
	sim_droot = debugfs_create_dir("vfmp_sim", NULL);
	debugfs_create_file("allocs", 0400, sim_droot, NULL, &allocs_fops);
}

void sim_debugfs_fini(void)
{
	debugfs_remove_recursive(sim_droot);
}
