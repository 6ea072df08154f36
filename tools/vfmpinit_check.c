// SPDX-License-Identifier: GPL-2.0
/*
 * vfmpinit --check: one verdict per rule of "Initializing a VF Miniport
 * Driver" (R1..R9, docs/rules.md) for each SR-IOV netdev of this system.
 *
 * A PCI VF (any driver) is judged from what Linux shows: the partition from
 * CPUID, /proc/cpuinfo and /sys/hypervisor, run through the driver's own
 * decision code (kmod/core/vfmp_rules.c, linked in); VMQ, RSS and
 * wake-on-LAN from ethtool ioctls.  Rules that only mean something in NDIS
 * are "n/a" with the reason.  A vfmp VF (or PF) is judged on every rule
 * from the driver's sysfs (vfmp/personality, hypervisor, *_sriov_caps, vmq,
 * rss_caps, pm_caps, init_log) and cross-checked with user space.
 * No BPF: this runs anywhere, as any user (some ethtool reads need root).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

#include "json_str.h"
#include "vfmpinit_check.h"
#include "../kmod/core/vfmp_rules.h"

#define SYS_NET		"/sys/class/net"
#define SIM_DBG		"/sys/kernel/debug/vfmp_sim"
#define EVID_LEN	1024

/* One netdev to judge. */
struct nd {
	char name[IF_NAMESIZE];
	char dev[NAME_MAX + 1];		/* its device: BDF or simN-vfM */
	char driver[NAME_MAX + 1];
	char pf[NAME_MAX + 1];		/* a VF's PF, "" if not visible */
	char pf_driver[NAME_MAX + 1];
	char sys[PATH_MAX];		/* the device's sysfs directory */
	char pf_sys[PATH_MAX];
	bool vf;			/* else a PF with SR-IOV */
	bool vfmp;			/* on bus vfmp_sim, else PCI */
	unsigned int sim;		/* simN */
};

/* What user space sees of the platform (the inputs of R2). */
struct pview {
	struct vfmp_platform p;
	bool cpuid_bit, cpuinfo_flag;
	char sig[13];			/* CPUID 0x40000000 vendor signature */
	char hv_type[32];		/* /sys/hypervisor/type */
	char evidence[256];
};

static struct {
	bool json;
	int sock;
	unsigned int n_pass, n_fail, n_na, n_info, n_dev;
} ck = { .sock = -1 };

/* ---- small file helpers ---- */

static int read_text(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	size_t n;

	buf[0] = '\0';
	if (!f)
		return -errno;
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	return 0;
}

static int read_attr(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int read_attr(char *buf, size_t len, const char *fmt, ...)
{
	char path[PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	return read_text(path, buf, len);
}

static long attr_long(const char *dir, const char *name, long dflt)
{
	char b[32];

	if (read_attr(b, sizeof(b), "%s/%s", dir, name))
		return dflt;
	return strtol(b, NULL, 0);
}

/* strlcpy */
static void scopy(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* basename of the symlink dir/name into out ("" if absent) */
static void link_base(const char *dir, const char *name, char *out, size_t len)
{
	char path[PATH_MAX], tgt[PATH_MAX];
	ssize_t n;
	const char *b;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	out[0] = '\0';
	n = readlink(path, tgt, sizeof(tgt) - 1);
	if (n < 0)
		return;
	tgt[n] = '\0';
	b = strrchr(tgt, '/');
	scopy(out, len, b ? b + 1 : tgt);
}

/* Append to an evidence buffer. */
static void ev(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ev(char *buf, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n >= EVID_LEN - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, EVID_LEN - n, fmt, ap);
	va_end(ap);
}

/* ---- output ---- */

static void json_str(const char *key, const char *s)
{
	printf(",\"%s\":", key);
	if (!s || !*s)
		printf("null");
	else
		json_fputs(stdout, s);
}

static void device_header(const struct nd *n)
{
	if (ck.json)
		return;
	printf("%s: %s %s %s, driver %s", n->name, n->vfmp ? "vfmp_sim" : "PCI",
	       n->vf ? "VF" : "PF with SR-IOV", n->dev,
	       n->driver[0] ? n->driver : "none");
	if (n->vf)
		printf(", PF %s (%s)", n->pf[0] ? n->pf : "not visible",
		       n->pf_driver[0] ? n->pf_driver : "no driver");
	putchar('\n');
}

/* verdict: "pass", "fail", "na" (no Linux counterpart) or "info" */
static void verdict(const struct nd *n, enum vfmp_rule r, const char *v,
		    const char *evidence)
{
	char up[8];
	size_t i;

	if (!strcmp(v, "pass"))
		ck.n_pass++;
	else if (!strcmp(v, "fail"))
		ck.n_fail++;
	else if (!strcmp(v, "na"))
		ck.n_na++;
	else
		ck.n_info++;
	if (ck.json) {
		printf("{\"event\":\"verdict\"");
		json_str("netdev", n->name);
		json_str("dev", n->dev);
		json_str("driver", n->driver);
		json_str("bus", n->vfmp ? "vfmp_sim" : "pci");
		json_str("role", n->vf ? "vf" : "pf");
		json_str("pf", n->pf);
		json_str("rule", vfmp_rule_name(r));
		json_str("rule_text", vfmp_rule_text(r));
		json_str("verdict", v);
		json_str("evidence", evidence);
		printf("}\n");
		return;
	}
	for (i = 0; v[i] && i < sizeof(up) - 1; i++)
		up[i] = toupper((unsigned char)v[i]);
	up[i] = '\0';
	if (!strcmp(up, "NA"))
		strcpy(up, "N/A");
	printf("  %-3s %-4s  %s\n        evidence: %s\n", vfmp_rule_name(r), up,
	       vfmp_rule_text(r), evidence);
}

/* ---- R2: the platform as user space sees it ---- */

static const struct {
	const char *sig;
	enum vfmp_hv_kind kind;
} hv_sigs[] = {
	{ "Microsoft Hv", VFMP_HV_HYPERV },
	{ "XenVMMXenVMM", VFMP_HV_XEN },
	{ "KVMKVMKVM", VFMP_HV_KVM },
	{ "VMwareVMware", VFMP_HV_VMWARE },
	{ "ACRNACRNACRN", VFMP_HV_ACRN },
	{ "Jailhouse", VFMP_HV_JAILHOUSE },
};

static bool cpuinfo_has_hypervisor(void)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char *line = NULL, *p;
	size_t cap = 0;
	bool found = false;

	if (!f)
		return false;
	while (!found && getline(&line, &cap, f) > 0) {
		if (strncmp(line, "flags", 5))
			continue;
		for (p = strtok(strchr(line, ':') ?: line, " \t\n:"); p;
		     p = strtok(NULL, " \t\n"))
			found |= !strcmp(p, "hypervisor");
		break;
	}
	free(line);
	fclose(f);
	return found;
}

static void platform_view(struct pview *v)
{
	char caps[128] = "";
	size_t i;

	memset(v, 0, sizeof(*v));
#if defined(__x86_64__) || defined(__i386__)
	{
		unsigned int a, b, c, d;

		if (__get_cpuid(1, &a, &b, &c, &d))
			v->cpuid_bit = c & (1u << 31);
		if (v->cpuid_bit) {
			unsigned int max;

			__cpuid(0x40000000, max, b, c, d);
			memcpy(v->sig, &b, 4);
			memcpy(v->sig + 4, &c, 4);
			memcpy(v->sig + 8, &d, 4);
			/* Hyper-V root: CPU management privilege (EBX bit 12) */
			if (!strcmp(v->sig, "Microsoft Hv") && max >= 0x40000003) {
				__cpuid(0x40000003, a, b, c, d);
				v->p.hv_root_partition = b & (1u << 12);
			}
		}
	}
#endif
	v->cpuinfo_flag = cpuinfo_has_hypervisor();
	read_attr(v->hv_type, sizeof(v->hv_type), "/sys/hypervisor/type");
	read_attr(caps, sizeof(caps), "/proc/xen/capabilities");
	v->p.xen_initial_domain = strstr(caps, "control_d") != NULL;
	v->p.hv_present = v->cpuid_bit || v->cpuinfo_flag;
	for (i = 0; i < sizeof(hv_sigs) / sizeof(hv_sigs[0]); i++)
		if (v->sig[0] && !strcmp(v->sig, hv_sigs[i].sig))
			v->p.kind = hv_sigs[i].kind;
	/* like the kernel: Xen only counts when this is a Xen domain */
	if (!strcmp(v->hv_type, "xen"))
		v->p.kind = VFMP_HV_XEN;
	else if (v->p.kind == VFMP_HV_XEN)
		v->p.kind = VFMP_HV_OTHER;
	if (v->p.kind == VFMP_HV_NONE && v->p.hv_present)
		v->p.kind = VFMP_HV_OTHER;
	snprintf(v->evidence, sizeof(v->evidence),
		 "CPUID hypervisor bit=%d signature=\"%s\", /proc/cpuinfo flag hypervisor=%d, /sys/hypervisor/type=%s, hyperv_root=%d, xen_dom0=%d",
		 v->cpuid_bit, v->sig, v->cpuinfo_flag,
		 v->hv_type[0] ? v->hv_type : "none", v->p.hv_root_partition,
		 v->p.xen_initial_domain);
}

/* The driver's decision for this platform (and override), as text. */
static const struct vfmp_decision *decide(const struct pview *v,
					  enum vfmp_function fn,
					  enum vfmp_part_override ovr,
					  bool allow_bare_metal, char *hvtxt,
					  size_t len)
{
	static struct vfmp_decision d;
	struct vfmp_hv_info hv;

	vfmp_hv_info_build(&v->p, ovr, &hv);
	vfmp_decide(fn, &hv, allow_bare_metal, &d);
	vfmp_hv_info_format(&hv, hvtxt, len);
	return &d;
}

/* ---- ethtool ---- */

static int eth_ioctl(const char *ifname, void *data)
{
	struct ifreq ifr;

	if (ck.sock < 0)
		return -EBADF;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = data;
	return ioctl(ck.sock, SIOCETHTOOL, &ifr) ? -errno : 0;
}

struct feat {
	int err;		/* 0, or why it could not be read */
	bool available;		/* changeable (hw_features) */
	bool active;
};

/* One netdev feature by its ethtool name ("l2-fwd-offload"). */
static struct feat feature(const char *ifname, const char *fname)
{
	struct feat f = { .err = -ENOENT };
	struct {
		struct ethtool_sset_info hdr;
		__u32 count;
	} si = { .hdr = { .cmd = ETHTOOL_GSSET_INFO,
			  .sset_mask = 1ULL << ETH_SS_FEATURES } };
	struct ethtool_gstrings *gs = NULL;
	struct ethtool_gfeatures *gf = NULL;
	__u32 i, n, blocks;

	f.err = eth_ioctl(ifname, &si);
	if (f.err)
		return f;
	n = si.hdr.sset_mask ? si.count : 0;
	blocks = (n + 31) / 32;
	gs = calloc(1, sizeof(*gs) + n * ETH_GSTRING_LEN);
	gf = calloc(1, sizeof(*gf) + blocks * sizeof(gf->features[0]));
	if (!gs || !gf) {
		f.err = -ENOMEM;
		goto out;
	}
	gs->cmd = ETHTOOL_GSTRINGS;
	gs->string_set = ETH_SS_FEATURES;
	gs->len = n;
	gf->cmd = ETHTOOL_GFEATURES;
	gf->size = blocks;
	f.err = eth_ioctl(ifname, gs) ?: eth_ioctl(ifname, gf);
	if (f.err)
		goto out;
	f.err = -ENOENT;
	for (i = 0; i < n; i++) {
		const char *s = (const char *)gs->data + i * ETH_GSTRING_LEN;
		__u32 bit = 1u << (i % 32);

		if (strncmp(s, fname, ETH_GSTRING_LEN))
			continue;
		f.err = 0;
		f.available = gf->features[i / 32].available & bit;
		f.active = gf->features[i / 32].active & bit;
		break;
	}
out:
	free(gs);
	free(gf);
	return f;
}

static const char *feat_text(struct feat f)
{
	static char b[64];

	if (f.err)
		snprintf(b, sizeof(b), "unreadable (%s)", strerrorname_np(-f.err) ?: "?");
	else
		snprintf(b, sizeof(b), "%s%s", f.active ? "on" : "off",
			 f.available ? "" : " [fixed]");
	return b;
}

/* RSS indirection table: entries, queues it spreads over, key bytes. */
struct rss {
	int err;
	__u32 indir, key, queues;
};

static struct rss rss_read(const char *ifname)
{
	struct ethtool_rxfh hdr = { .cmd = ETHTOOL_GRSSH };
	struct ethtool_rxfh *rh;
	struct rss r = { 0 };
	__u32 i, max = 0;

	r.err = eth_ioctl(ifname, &hdr);
	if (r.err) {
		/* older drivers: the indirection table alone */
		struct ethtool_rxfh_indir ri = { .cmd = ETHTOOL_GRXFHINDIR };

		if (eth_ioctl(ifname, &ri))
			return r;
		r.err = 0;
		r.indir = ri.size;
		return r;
	}
	r.indir = hdr.indir_size;
	r.key = hdr.key_size;
	if (!r.indir)
		return r;
	rh = calloc(1, sizeof(*rh) + r.indir * 4 + r.key);
	if (!rh) {
		r.err = -ENOMEM;
		return r;
	}
	rh->cmd = ETHTOOL_GRSSH;
	rh->indir_size = r.indir;
	rh->key_size = r.key;
	r.err = eth_ioctl(ifname, rh);
	for (i = 0; !r.err && i < r.indir; i++)
		if (rh->rss_config[i] + 1 > max)
			max = rh->rss_config[i] + 1;
	r.queues = max;
	free(rh);
	return r;
}

static void wol_letters(__u32 m, char *out)
{
	static const struct { __u32 bit; char c; } l[] = {
		{ WAKE_PHY, 'p' }, { WAKE_UCAST, 'u' }, { WAKE_MCAST, 'm' },
		{ WAKE_BCAST, 'b' }, { WAKE_ARP, 'a' }, { WAKE_MAGIC, 'g' },
		{ WAKE_MAGICSECURE, 's' }, { WAKE_FILTER, 'f' },
	};
	size_t i;

	for (i = 0; i < sizeof(l) / sizeof(l[0]); i++)
		if (m & l[i].bit)
			*out++ = l[i].c;
	if (!m)
		*out++ = 'd';
	*out = '\0';
}

/*
 * R7 from the netdev: l2-fwd-offload (macvlan offload, the Linux face of
 * VMQ/VMDq) neither on nor changeable.  Returns true if it is offered.
 */
static bool vmq_offered(const struct nd *n, char *e)
{
	struct feat f = feature(n->name, "l2-fwd-offload");

	ev(e, "ethtool -k l2-fwd-offload (macvlan/VMDq queue offload): %s",
	   f.err == -ENOENT ? "not a feature of this kernel" : feat_text(f));
	return !f.err && (f.active || f.available);
}

/*
 * R8 from the netdev: RSS and wake-on-LAN as advertised.  rss_indir/wake_g,
 * when >= 0, are what the driver's sysfs says; a mismatch is returned as a
 * failure.
 */
static bool rss_pm_evidence(const struct nd *n, char *e, long sysfs_indir,
			    int sysfs_magic)
{
	struct feat f = feature(n->name, "rx-hashing");
	struct rss r = rss_read(n->name);
	struct ethtool_rxnfc rings = { .cmd = ETHTOOL_GRXRINGS };
	struct ethtool_wolinfo w = { .cmd = ETHTOOL_GWOL };
	char sup[16], on[16];
	bool ok = true;
	int err;

	ev(e, "RSS: rx-hashing %s", feat_text(f));
	if (!eth_ioctl(n->name, &rings))
		ev(e, ", %llu rx rings", (unsigned long long)rings.data);
	if (r.err)
		ev(e, ", indirection table unreadable (%s)",
		   strerrorname_np(-r.err) ?: "?");
	else if (!r.indir)
		ev(e, ", no indirection table");
	else
		ev(e, ", indirection table %u entries over %u queue(s), key %u bytes",
		   r.indir, r.queues, r.key);
	if (sysfs_indir >= 0 && (r.err || (long)r.indir != sysfs_indir)) {
		ev(e, " [MISMATCH: rss_caps says indir=%ld]", sysfs_indir);
		ok = false;
	}
	err = eth_ioctl(n->name, &w);
	if (err) {
		ev(e, "; wake-on-LAN: unreadable (%s%s)",
		   strerrorname_np(-err) ?: "?",
		   err == -EPERM ? ": needs root" : "");
		return ok;
	}
	wol_letters(w.supported, sup);
	wol_letters(w.wolopts, on);
	ev(e, "; wake-on-LAN: supports %s, enabled %s", sup, on);
	if (sysfs_magic >= 0 && !!(w.supported & WAKE_MAGIC) != sysfs_magic) {
		ev(e, " [MISMATCH: pm_caps says magic=%d]", sysfs_magic);
		ok = false;
	}
	return ok;
}

/* ---- PCI VFs and PFs: what Linux can show ---- */

static const char *const na_why[] = {
	[VFMP_R3_NO_KEYWORDS] = "the SR-IOV standardized keywords are Windows INF/registry settings; Linux drivers have none (the VF count is the PF's sriov_numvfs)",
	[VFMP_R4_SRIOV_CAPS] = "NDIS_SRIOV_CAPABILITIES is an NDIS record; a Linux driver registers no such structure",
	[VFMP_R5_VF_FLAGS] = "the VF/PF miniport flags are NDIS bits; on Linux the PCI SR-IOV capability says what a function is (see R1)",
	[VFMP_R6_REGISTER] = "NdisMSetMiniportAttributes has no Linux counterpart; a netdev's offloads are registered with register_netdev (R7, R8 read them)",
};

static void check_pci(const struct nd *n, const struct pview *v)
{
	const struct vfmp_decision *d;
	char e[EVID_LEN], hv[160];
	enum vfmp_rule r;
	long total = attr_long(n->vf ? n->pf_sys : n->sys, "sriov_totalvfs", 0);
	long num = attr_long(n->vf ? n->pf_sys : n->sys, "sriov_numvfs", 0);
	const char *q;
	bool ok;

	e[0] = '\0';
	ev(e, "bound to %s by the kernel's ordinary PCI probe and registered netdev %s; ",
	   n->driver, n->name);
	if (n->vf)
		ev(e, "physfn -> %s: the function is a VF", n->pf);
	else
		ev(e, "sriov_totalvfs=%ld: the function is an SR-IOV PF", total);
	verdict(n, VFMP_R1_STANDARD_INIT, "pass", e);

	d = decide(v, n->vf ? VFMP_FN_VF : VFMP_FN_PF, VFMP_OVR_PLATFORM, false,
		   hv, sizeof(hv));
	e[0] = '\0';
	ev(e, "%s -> hypervisor info %s -> vfmp_decide: %s (%s)", v->evidence,
	   hv, vfmp_verdict_name(d->verdict), d->reason);
	if (n->vf && n->pf[0])
		ev(e, "; note: the VF's PF %s is in this same OS (driver %s)",
		   n->pf, n->pf_driver[0] ? n->pf_driver : "none");
	if (!n->vf && !d->sriov_allowed && num > 0) {
		/* vfmp's own PF rule, not the seed's: say it, do not fail */
		ev(e, "; vfmp would keep SR-IOV off here, this PF has %ld VFs", num);
		verdict(n, VFMP_R2_PARTITION, "info", e);
	} else {
		verdict(n, VFMP_R2_PARTITION, d->err ? "fail" : "pass", e);
	}

	for (r = VFMP_R3_NO_KEYWORDS; r <= VFMP_R6_REGISTER; r++)
		verdict(n, r, "na", na_why[r]);

	e[0] = '\0';
	ok = !vmq_offered(n, e);
	if (!n->vf)
		ev(e, " (a PF may offer VMQ)");
	verdict(n, VFMP_R7_NO_VMQ, !n->vf ? "info" : ok ? "pass" : "fail", e);

	e[0] = '\0';
	rss_pm_evidence(n, e, -1, -1);
	verdict(n, VFMP_R8_RSS_PM, "pass", e);

	e[0] = '\0';
	if (n->vf && !n->pf[0]) {
		verdict(n, VFMP_R9_PARENT_PF, "na",
			"the PF is not in this OS (a VF passed to a guest): its init is the host's");
		return;
	}
	q = n->vf ? n->pf_driver : n->driver;
	ok = q[0] && total > 0;
	ev(e, "PF %s driven by %s as an SR-IOV PF: sriov_numvfs=%ld of sriov_totalvfs=%ld",
	   n->vf ? n->pf : n->dev, q[0] ? q : "no driver", num, total);
	verdict(n, VFMP_R9_PARENT_PF, ok ? "pass" : "fail", e);
}

/* ---- vfmp VFs and PFs: the driver's own sysfs ---- */

/*
 * init_log: "dev=... function=vf result=0 total_ns=..." then one line per
 * step: " 3 R1  enable_device    ok   err=0 ns=... # note".  Appends
 * "name outcome, ..." for the steps of rule (e.g. "R1") and
 * returns the number of them that failed, or -1 if none is listed.
 */
static int steps_of(const char *log, const char *rule, char *e)
{
	const char *p;
	int seen = 0, failed = 0;

	for (p = strchr(log, '\n'); p; p = strchr(p, '\n')) {
		char rn[8], name[32], out[8];

		p++;
		if (sscanf(p, "%*d %7s %31s %7s", rn, name, out) != 3)
			continue;
		if (strcmp(rn, rule))
			continue;
		ev(e, "%s%s %s", seen++ ? ", " : "", name, out);
		failed += !strcmp(out, "fail");
	}
	return seen ? failed : -1;
}

/* The outcome ("ok", "skip", "fail") of the init_log step called name. */
static const char *step_out(const char *log, const char *name)
{
	static char out[8];
	const char *p;

	for (p = strchr(log, '\n'); p; p = strchr(p, '\n')) {
		char nm[32];

		p++;
		if (sscanf(p, "%*d %*s %31s %7s", nm, out) == 2 &&
		    !strcmp(nm, name))
			return out;
	}
	return "absent";
}

/* "type=0x80 rev=1 size=12 flags=0x0 caps=0x5 ..." */
static bool caps_parse(const char *s, unsigned int *type, unsigned int *rev,
		       unsigned int *size, unsigned int *flags,
		       unsigned int *caps)
{
	return sscanf(s, "type=%x rev=%u size=%u flags=%x caps=%x", type, rev,
		      size, flags, caps) == 5;
}

static void check_vfmp(const struct nd *n, const struct pview *v)
{
	char log[4096], hvs[256], pers[16], hw[128], cur[128], vmq[96];
	char rssc[160], pmc[64], part[16], allow[8], reads[2048], e[EVID_LEN];
	char hv[160], want[200];
	const struct vfmp_decision *d;
	unsigned int t[2], rv[2], sz[2], fl[2], cp[2];
	bool have[2], ok, vf = n->vf, parent;
	long indir = -1;
	unsigned int vf_reads;
	int fails, magic, err;
	const char *q;

#define VATTR(buf, name) read_attr(buf, sizeof(buf), "%s/vfmp/%s", n->sys, name)
	VATTR(log, "init_log");
	VATTR(hvs, "hypervisor");
	VATTR(pers, "personality");
	VATTR(hw, "hw_sriov_caps");
	VATTR(cur, "cur_sriov_caps");
	VATTR(vmq, "vmq");
	VATTR(rssc, "rss_caps");
	VATTR(pmc, "pm_caps");
#undef VATTR
	read_attr(part, sizeof(part), "%s/partition", n->sys);
	read_attr(allow, sizeof(allow), "/sys/module/vfmp/parameters/allow_bare_metal_vf");

	/* R1: the standard init steps all ran */
	e[0] = '\0';
	ev(e, "vfmp/init_log %s; R1 steps: ", strstr(log, "result=0 ") ? "result=0" : "result!=0");
	fails = steps_of(log, "R1", e);
	ev(e, "; netdev %s registered", n->name);
	ok = fails == 0 && strstr(log, "result=0 ");
	verdict(n, VFMP_R1_STANDARD_INIT, ok ? "pass" : "fail", e);

	/* R2: the driver's verdict, and the same code run here */
	e[0] = '\0';
	ev(e, "vfmp/hypervisor: %s; personality %s; step ", hvs, pers);
	fails = steps_of(log, "R2", e);
	d = decide(v, vf ? VFMP_FN_VF : VFMP_FN_PF,
		   !strcmp(part, "parent") ? VFMP_OVR_PARENT :
		   !strcmp(part, "child") ? VFMP_OVR_CHILD : VFMP_OVR_PLATFORM,
		   allow[0] == 'Y' || allow[0] == '1', hv, sizeof(hv));
	snprintf(want, sizeof(want), "%s verdict=%s", hv, vfmp_verdict_name(d->verdict));
	ev(e, "; user space (%s, partition attribute=%s) computes %s: %s",
	   v->evidence, part, want, strcmp(want, hvs) ? "DIFFERS" : "the driver agrees");
	ok = fails == 0 && !strcmp(pers, vf ? "vf" : "pf") &&
	     strstr(hvs, vf ? "verdict=vf_" : "verdict=pf_");
	verdict(n, VFMP_R2_PARTITION, ok ? "pass" : "fail", e);

	/* R3: a VF never reads the keywords; a PF does */
	e[0] = '\0';
	ev(e, "init_log step ");
	fails = steps_of(log, "R3", e);
	vf_reads = 0;
	err = read_attr(reads, sizeof(reads), SIM_DBG "/sim%u/keyword_reads", n->sim);
	q = strstr(reads, "total ");
	if (q && sscanf(q, "total pf=%*u vf=%u", &vf_reads) == 1)
		ev(e, "; sim keyword reads: %.40s", q + 6);
	else
		ev(e, "; sim keyword counter unreadable (%s: debugfs, root)",
		   err ? strerrorname_np(-err) ?: "?" : "no total line");
	ok = vf ? !strcmp(step_out(log, "keywords"), "skip") && !vf_reads
		: fails == 0;
	verdict(n, VFMP_R3_NO_KEYWORDS, ok ? "pass" : "fail", e);

	/* R4, R5: the capability records */
	have[0] = caps_parse(hw, &t[0], &rv[0], &sz[0], &fl[0], &cp[0]);
	have[1] = caps_parse(cur, &t[1], &rv[1], &sz[1], &fl[1], &cp[1]);
	e[0] = '\0';
	ev(e, "vfmp/hw_sriov_caps: %s; vfmp/cur_sriov_caps: %s", hw, cur);
	ok = have[0] && have[1];
	for (int i = 0; ok && i < 2; i++)
		ok = t[i] == VFMP_OBJ_TYPE_DEFAULT && rv[i] == VFMP_SRIOV_CAPS_REV_1 &&
		     sz[i] == VFMP_SIZEOF_SRIOV_CAPS_REV_1 && fl[i] == 0;
	verdict(n, VFMP_R4_SRIOV_CAPS, ok ? "pass" : "fail", e);

	e[0] = '\0';
	if (vf) {
		unsigned int w5 = vfmp_sriov_caps_for(VFMP_PERS_VF, true);

		ev(e, "VF caps hardware=0x%x current=0x%x, required 0x%x (VF_MINIPORT|SRIOV_SUPPORTED, never PF_MINIPORT)",
		   have[0] ? cp[0] : 0, have[1] ? cp[1] : 0, w5);
		ok = have[0] && have[1] && cp[0] == w5 && cp[1] == w5;
	} else {
		ev(e, "PF caps hardware=0x%x current=0x%x: PF_MINIPORT, never VF_MINIPORT",
		   have[0] ? cp[0] : 0, have[1] ? cp[1] : 0);
		ok = have[0] && have[1] &&
		     cp[1] == vfmp_sriov_caps_for(VFMP_PERS_PF,
						  cp[1] & VFMP_SRIOV_CAPS_SRIOV_SUPPORTED);
	}
	verdict(n, VFMP_R5_VF_FLAGS, ok ? "pass" : "fail", e);

	/* R6: registered through the one attributes call, before the netdev */
	e[0] = '\0';
	ev(e, "init_log step ");
	fails = steps_of(log, "R6", e);
	q = strstr(log, "register_attrs");
	ok = fails == 0 && q && strstr(q, "register_netdev") && have[0] && have[1];
	ev(e, "%s; hardware and current records readable: %s",
	   ok ? " (before register_netdev)" : "", have[0] && have[1] ? "yes" : "no");
	verdict(n, VFMP_R6_REGISTER, ok ? "pass" : "fail", e);

	/* R7 */
	e[0] = '\0';
	ev(e, "vfmp/vmq: %s; ", vmq);
	ok = !vmq_offered(n, e);
	ok = ok && !strncmp(vmq, "not advertised", 14);
	if (!vf)
		ev(e, " (a PF may offer VMQ)");
	verdict(n, VFMP_R7_NO_VMQ, !vf ? "info" : ok ? "pass" : "fail", e);

	/* R8: what the driver says it offers, and what the netdev offers */
	e[0] = '\0';
	ev(e, "vfmp/rss_caps: %s; vfmp/pm_caps: %s; ", rssc, pmc);
	if ((q = strstr(rssc, "indir=")))
		indir = strtol(q + 6, NULL, 10);
	magic = strstr(pmc, "magic") != NULL;
	ok = rss_pm_evidence(n, e, indir, magic);
	verdict(n, VFMP_R8_RSS_PM, ok ? "pass" : "fail", e);

	/* R9: only a PF initializes as a PF; never a VF in the parent */
	e[0] = '\0';
	parent = strstr(hvs, "partition=parent") != NULL;
	ev(e, "personality %s, partition %s; init_log step ", pers,
	   parent ? "parent" : "not parent");
	fails = steps_of(log, "R9", e);
	if (vf) {
		ok = !parent && !strcmp(step_out(log, "nic_switch"), "skip");
		ev(e, "; the PF-only steps were skipped on this VF; its PF %s is bound to %s",
		   n->pf[0] ? n->pf : "?", n->pf_driver[0] ? n->pf_driver : "nothing");
	} else {
		ok = fails == 0 && !strcmp(pers, "pf");
	}
	verdict(n, VFMP_R9_PARENT_PF, ok ? "pass" : "fail", e);
}

/* ---- discovery ---- */

static bool classify(const char *name, struct nd *n)
{
	char dpath[PATH_MAX], bus[NAME_MAX + 1];
	unsigned int vfi;

	memset(n, 0, sizeof(*n));
	scopy(n->name, sizeof(n->name), name);
	snprintf(dpath, sizeof(dpath), SYS_NET "/%s/device", n->name);
	if (!realpath(dpath, n->sys))
		return false;
	scopy(n->dev, sizeof(n->dev), strrchr(n->sys, '/') + 1);
	link_base(n->sys, "driver", n->driver, sizeof(n->driver));
	link_base(n->sys, "subsystem", bus, sizeof(bus));

	if (!strcmp(bus, "vfmp_sim")) {
		n->vfmp = true;
		if (sscanf(n->dev, "sim%u-vf%u", &n->sim, &vfi) == 2) {
			n->vf = true;
			snprintf(n->pf, sizeof(n->pf), "sim%u-pf", n->sim);
			snprintf(n->pf_sys, sizeof(n->pf_sys),
				 "/sys/bus/vfmp_sim/devices/%s", n->pf);
			link_base(n->pf_sys, "driver", n->pf_driver,
				  sizeof(n->pf_driver));
			return true;
		}
		return sscanf(n->dev, "sim%u-pf", &n->sim) == 1;
	}
	if (strcmp(bus, "pci"))
		return false;
	if (snprintf(dpath, sizeof(dpath), "%s/physfn", n->sys) <
	    (int)sizeof(dpath) && realpath(dpath, n->pf_sys)) {
		n->vf = true;
		scopy(n->pf, sizeof(n->pf), strrchr(n->pf_sys, '/') + 1);
		link_base(n->pf_sys, "driver", n->pf_driver, sizeof(n->pf_driver));
		return true;
	}
	return attr_long(n->sys, "sriov_totalvfs", 0) > 0;
}

int vfmpinit_check(const char *dev_filter, bool json)
{
	struct dirent **ents;
	struct pview v;
	struct nd n;
	int i, cnt;

	ck.json = json;
	platform_view(&v);
	ck.sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	cnt = scandir(SYS_NET, &ents, NULL, alphasort);
	if (cnt < 0) {
		fprintf(stderr, "vfmpinit: %s: %s\n", SYS_NET, strerror(errno));
		return VFMPINIT_CHECK_FAIL;
	}
	for (i = 0; i < cnt; i++) {
		const char *nm = ents[i]->d_name;

		if (nm[0] != '.' && classify(nm, &n) &&
		    (!dev_filter || strstr(n.name, dev_filter) ||
		     strstr(n.dev, dev_filter))) {
			ck.n_dev++;
			device_header(&n);
			if (n.vfmp)
				check_vfmp(&n, &v);
			else
				check_pci(&n, &v);
		}
		free(ents[i]);
	}
	free(ents);
	if (ck.sock >= 0)
		close(ck.sock);
	if (json)
		printf("{\"event\":\"summary\",\"netdevs\":%u,\"pass\":%u,\"fail\":%u,\"na\":%u,\"info\":%u}\n",
		       ck.n_dev, ck.n_pass, ck.n_fail, ck.n_na, ck.n_info);
	else if (ck.n_dev)
		printf("%u netdev(s): %u pass, %u fail, %u n/a, %u info\n",
		       ck.n_dev, ck.n_pass, ck.n_fail, ck.n_na, ck.n_info);
	else
		printf("no SR-IOV VF or PF netdev%s%s\n",
		       dev_filter ? " matching " : "", dev_filter ? dev_filter : "");
	if (!ck.n_dev)
		return VFMPINIT_CHECK_NONE;
	return ck.n_fail ? VFMPINIT_CHECK_FAIL : VFMPINIT_CHECK_OK;
}
