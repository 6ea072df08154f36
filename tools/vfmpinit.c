// SPDX-License-Identifier: GPL-2.0
/*
 * vfmpinit - watch SR-IOV VFs (and the NICs around them) initialize, on any
 * Linux driver, and vfmp's rule-by-rule decisions.
 *
 * Generic part, from vmlinux only: one record per driver probe (any bus),
 * PCI SR-IOV enable/disable and VF creation on the PF side, the netdev a
 * device registered and when, unbinds, module loads.  A VF that no driver
 * claims is reported with the reason.  vfmp.ko adds its rule steps through
 * a kprobe on vfmp_obs_emit() defined in tracefs, which never pins the
 * module.  See tools/vfmpinit.8.md.
 */
#define _GNU_SOURCE
#include <argp.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "vfmpinit.h"
#include "vfmpinit_check.h"
#include "vfmpinit_profile.h"
#include "vfmpinit.skel.h"
#include "../kmod/include/vfmp_obs.h"

static struct env {
	bool all, mbx, json, wall, rel, verbose, no_vfmp, force_vfmp, decode;
	const char *dev, *profile;
	double unbound_after;
	long duration;
} env = { .unbound_after = 5.0 };

static volatile sig_atomic_t stop;
static void vfmp_loaded(void);
static void on_decode(const struct vfmpinit_event *e);
static unsigned long long t_first;
static unsigned long n_probes, n_failed, n_unbound, n_lost;
static unsigned long long mono_to_real_ns;

const char *argp_program_version = "vfmpinit 0.3.0";
static const char doc[] =
"Watch SR-IOV VFs initialize on any driver, and explain the ones that did\n"
"not come up.\n"
"\n"
"One record per driver probe of a VF or a NIC (device, ids, PF, driver,\n"
"result, duration, the netdev it registered and when), per SR-IOV enable,\n"
"per VF left without a driver (with the reason), plus vfmp's rule-by-rule\n"
"init when vfmp.ko is loaded.  Attaches to vmlinux only: start it before\n"
"any driver loads; it never keeps a module from unloading.\n"
"\n"
"USAGE: vfmpinit [-a] [-d DEV] [-m] [-j] [-T|-t] [-u SECS] [-D SECS] [-v]\n"
"       vfmpinit --check [-d DEV] [-j]\n"
"\n"
"EXAMPLES:\n"
"    vfmpinit                # VF and NIC inits, SR-IOV, unbound VFs\n"
"    vfmpinit -T             # with wall-clock time\n"
"    vfmpinit -j             # one JSON object per line\n"
"    vfmpinit -d 0000:00:10  # devices whose name contains 0000:00:10\n"
"    vfmpinit -a             # every device probe on every bus\n"
"    vfmpinit -m             # also vfmp's PF/VF mailbox messages\n"
"    vfmpinit -x             # also igb/igbvf, iavf, mlx5, hv_netvsc messages\n"
"    vfmpinit -u 2 -D 30     # unbound after 2 s; stop after 30 s\n"
"    vfmpinit --check        # rules R1..R9 judged for each VF netdev now\n"
"    vfmpinit -P igbvf -D 60 # and where igbvf's time goes (modprobe it first)\n";

#define OPT_CHECK 0x100	/* --check: long only */
#define OPT_VFMP 0x101	/* --vfmp: long only */
static bool check_mode;

static const struct argp_option opts[] = {
	{ "all", 'a', NULL, 0, "Every device probe, not only VFs and NICs", 0 },
	{ "dev", 'd', "DEV", 0, "Only devices whose name contains DEV", 0 },
	{ "mbx", 'm', NULL, 0, "Also vfmp's PF/VF mailbox messages", 0 },
	{ "json", 'j', NULL, 0, "One JSON object per line", 0 },
	{ "timestamp", 'T', NULL, 0, "Wall-clock time on each record", 0 },
	{ "relative", 't', NULL, 0, "Seconds since the first record", 0 },
	{ "unbound-after", 'u', "SECS", 0,
	  "A VF with no driver after SECS is reported (default 5)", 0 },
	{ "duration", 'D', "SECS", 0, "Exit after SECS (default: Ctrl-C)", 0 },
	{ "no-vfmp", 'N', NULL, 0, "Do not add vfmp.ko's rule records", 0 },
	{ "vfmp", OPT_VFMP, NULL, 0,
	  "Arm vfmp's probe point now, even if vfmp.ko is neither loaded nor installed", 0 },
	{ "decode", 'x', NULL, 0,
	  "Decode driver messages: igb/igbvf mailbox, iavf virtchnl, mlx5 commands, hv_netvsc RNDIS", 0 },
	{ "profile", 'P', "MODULE", 0,
	  "Also time MODULE's functions (kprobes): report at exit", 0 },
	{ "verbose", 'v', NULL, 0, "libbpf's debug messages", 0 },
	{ "check", OPT_CHECK, NULL, 0,
	  "Judge rules R1..R9 for each VF netdev now, no BPF (-d, -j apply)", 0 },
	{ NULL, 'h', NULL, OPTION_HIDDEN, "Show the full help", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	char *end;

	switch (key) {
	case 'a': env.all = true; break;
	case 'd': env.dev = arg; break;
	case 'm': env.mbx = true; break;
	case 'j': env.json = true; break;
	case 'T': env.wall = true; break;
	case 't': env.rel = true; break;
	case 'N': env.no_vfmp = true; break;
	case 'v': env.verbose = true; break;
	case 'P': env.profile = arg; break;
	case 'x': env.decode = true; break;
	case OPT_CHECK: check_mode = true; break;
	case OPT_VFMP: env.force_vfmp = true; break;
	case 'u':
		errno = 0;
		env.unbound_after = strtod(arg, &end);
		if (errno || *end || env.unbound_after < 0 ||
		    env.unbound_after > 3600)
			argp_error(state, "-u: seconds from 0 to 3600: %s", arg);
		break;
	case 'D':
		errno = 0;
		env.duration = strtol(arg, &end, 10);
		if (errno || *end || env.duration <= 0)
			argp_error(state, "-D: a positive number of seconds: %s",
				   arg);
		break;
	case 'h':
		argp_state_help(state, stderr, ARGP_HELP_STD_HELP);
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument: %s", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list args)
{
	if (level == LIBBPF_DEBUG && !env.verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

/* ---- names ---- */

static const char *const rule_text[] = {
	[1] = "standard init",
	[2] = "partition check",
	[3] = "SR-IOV keywords: PF only",
	[4] = "NDIS_SRIOV_CAPABILITIES header",
	[5] = "SR-IOV capability flags",
	[6] = "register hardware-assist attributes",
	[7] = "VMQ: never on a VF",
	[8] = "RSS and power management",
	[9] = "PF in the parent partition",
};

static const char *const hv_kinds[] = {
	"none", "hyperv", "xen", "kvm", "vmware", "acrn", "jailhouse", "other",
};

static const char *const verdicts[] = {
	[1] = "vf_child", [2] = "vf_treated_as_child",
	[3] = "vf_bare_metal_allowed", [4] = "refuse_vf_in_parent",
	[5] = "refuse_vf_bare_metal", [6] = "pf_sriov",
	[7] = "pf_no_sriov_child",
};

static const char *const partitions[] = { "unknown", "parent", "child" };
static const char *const overrides[] = { "platform", "parent", "child" };
static const char *const personalities[] = { "none", "pf", "vf" };
static const char *const mbx_ops[] = {
	[1] = "VERSION", [2] = "GET_RESOURCES", [3] = "RESET_VF",
	[4] = "CONFIG_RSS", [5] = "EVENT", [6] = "SET_MAC",
};

#define NAME(tab, i) \
	((i) >= 0 && (size_t)(i) < sizeof(tab) / sizeof((tab)[0]) && (tab)[i] ? \
	 (tab)[i] : "?")

static const char *errname(int err)
{
	static char buf[16];
	const char *n;

	if (!err)
		return "ok";
	if (err == -517)	/* kernel-internal, unknown to libc */
		return "EPROBE_DEFER";
	n = strerrorname_np(-err);
	if (n)
		return n;
	snprintf(buf, sizeof(buf), "E%d", -err);
	return buf;
}

/* ---- output helpers ---- */

static char line[1024];
static size_t len;

static void put(const char *fmt, ...)
{
	va_list ap;

	if (len >= sizeof(line))
		return;
	va_start(ap, fmt);
	len += vsnprintf(line + len, sizeof(line) - len, fmt, ap);
	va_end(ap);
	if (len > sizeof(line))
		len = sizeof(line);
}

static void put_json_str(const char *key, const char *s)
{
	if (!s) {
		put(",\"%s\":null", key);
		return;
	}
	put(",\"%s\":\"", key);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			put("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			put("\\u%04x", *s);
		else
			put("%c", *s);
	}
	put("\"");
}

static void begin(const char *event, unsigned long long ts)
{
	len = 0;
	if (!t_first)
		t_first = ts;
	if (env.json) {
		put("{\"event\":\"%s\",\"ts_ns\":%llu", event, ts);
		if (env.wall) {
			time_t s = (ts + mono_to_real_ns) / 1000000000ULL;
			struct tm tm;
			char b[32];

			localtime_r(&s, &tm);
			strftime(b, sizeof(b), "%FT%T", &tm);
			put_json_str("time", b);
		}
		return;
	}
	if (env.wall) {
		time_t s = (ts + mono_to_real_ns) / 1000000000ULL;
		struct tm tm;
		char b[16];

		localtime_r(&s, &tm);
		strftime(b, sizeof(b), "%H:%M:%S", &tm);
		put("%s ", b);
	}
	if (env.rel)
		put("%10.6f ", (ts - t_first) / 1e9);
}

static void end(void)
{
	if (env.json)
		put("}");
	fputs(line, stdout);
	fputc('\n', stdout);
	fflush(stdout);
}

/* ---- devices seen: probe start, netdev, VF bookkeeping ---- */

struct devrec {
	char name[VFMPINIT_NAME];
	char bus[VFMPINIT_BUS];
	char pf[VFMPINIT_NAME];
	char drv[VFMPINIT_DRV];
	char netdev[VFMPINIT_WORD];
	unsigned long long probe_start;	/* of the last/current probe */
	unsigned long long added;	/* VF added (or found at start) */
	bool in_probe, bound, pending, virtfn, shown;
	int last_result;
};

#define MAX_DEVS 4096
static struct devrec devs[MAX_DEVS];
static int n_devs;

static struct devrec *dev_get(const char *name, bool create)
{
	struct devrec *d;
	int i;

	for (i = 0; i < n_devs; i++)
		if (!strcmp(devs[i].name, name))
			return &devs[i];
	if (!create)
		return NULL;
	if (n_devs == MAX_DEVS) {
		/* forget the oldest device that is not waiting for a driver */
		for (i = 0; i < n_devs && devs[i].pending; i++)
			;
		if (i == n_devs)
			i = 0;
		memmove(&devs[i], &devs[i + 1],
			(n_devs - i - 1) * sizeof(devs[0]));
		n_devs--;
	}
	d = &devs[n_devs++];
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	return d;
}

static bool sim_vf(const char *bus, const char *dev)
{
	return !strcmp(bus, "vfmp_sim") && strstr(dev, "-vf");
}

/* sim0-vf3 -> sim0-pf */
static void sim_pf(const char *dev, char *pf, size_t n)
{
	const char *p = strstr(dev, "-vf");

	snprintf(pf, n, "%.*s-pf", p ? (int)(p - dev) : 0, dev);
}

/* is the record about a device the default view covers? */
static bool wanted(const struct vfmpinit_event *e)
{
	if (env.dev && !strstr(e->dev, env.dev))
		return false;
	if (env.all)
		return true;
	if (!strcmp(e->bus, "vfmp_sim"))
		return true;
	/* PCI: every VF, and network controllers (class 02xx) */
	return !strcmp(e->bus, "pci") && (e->v[3] || (e->v[4] >> 8) == 0x02);
}

static void put_dev(const struct vfmpinit_event *e)
{
	bool vf = e->v[3] || sim_vf(e->bus, e->dev);
	char pf[VFMPINIT_NAME];

	snprintf(pf, sizeof(pf), "%s", e->pf);
	if (!pf[0] && sim_vf(e->bus, e->dev))
		sim_pf(e->dev, pf, sizeof(pf));
	put_json_str("dev", e->dev);
	put_json_str("bus", e->bus[0] ? e->bus : NULL);
	if (!strcmp(e->bus, "pci")) {
		put(",\"vendor\":\"%04x\",\"device\":\"%04x\"", e->v[1], e->v[2]);
	} else {
		put(",\"vendor\":null,\"device\":null");
	}
	put(",\"virtfn\":%s", vf ? "true" : "false");
	put_json_str("pf", pf[0] ? pf : NULL);
}

/* ---- why is this VF without a driver? ---- */

static int read_str(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "re");
	size_t l;

	buf[0] = '\0';
	if (!f)
		return -1;
	if (!fgets(buf, n, f))
		buf[0] = '\0';
	fclose(f);
	l = strlen(buf);
	while (l && isspace((unsigned char)buf[l - 1]))
		buf[--l] = '\0';
	return 0;
}

/* the module whose alias matches MODALIAS, from modules.alias */
static bool alias_module(const char *modalias, char *mod, size_t n)
{
	char path[PATH_MAX], l[512], pat[400], name[128];
	struct utsname u;
	bool found = false;
	FILE *f;

	if (uname(&u))
		return false;
	snprintf(path, sizeof(path), "/lib/modules/%s/modules.alias", u.release);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(l, sizeof(l), f)) {
		if (sscanf(l, "alias %399s %127s", pat, name) != 2)
			continue;
		if (!fnmatch(pat, modalias, 0)) {
			snprintf(mod, n, "%.63s", name);
			found = true;
			break;
		}
	}
	fclose(f);
	return found;
}

static void explain_unbound(const struct devrec *d, char *why, size_t n)
{
	char base[128], p[PATH_MAX], v[256], mod[64];
	struct stat st;

	snprintf(base, sizeof(base), "/sys/bus/%s/devices/%s", d->bus, d->name);
	snprintf(p, sizeof(p), "%s/driver_override", base);
	if (!read_str(p, v, sizeof(v)) && v[0] && strcmp(v, "(null)")) {
		snprintf(p, sizeof(p), "/sys/bus/%s/drivers/%s", d->bus, v);
		snprintf(why, n, "driver_override=%.64s, %s", v,
			 stat(p, &st) ? "a driver that is not loaded" :
			 "which did not bind it");
		return;
	}
	if (d->pf[0] && !strcmp(d->bus, "pci")) {
		snprintf(p, sizeof(p), "/sys/bus/pci/devices/%s/sriov_drivers_autoprobe",
			 d->pf);
		if (!read_str(p, v, sizeof(v)) && !strcmp(v, "0")) {
			snprintf(why, n, "sriov_drivers_autoprobe=0 on %s: bind it by hand",
				 d->pf);
			return;
		}
	}
	snprintf(p, sizeof(p), "/sys/bus/%s/drivers_autoprobe", d->bus);
	if (!read_str(p, v, sizeof(v)) && !strcmp(v, "0")) {
		snprintf(why, n, "drivers_autoprobe=0 on bus %s: bind it by hand",
			 d->bus);
		return;
	}
	if (d->last_result) {
		snprintf(why, n, "probe by %s failed: %s", d->drv,
			 errname(d->last_result));
		return;
	}
	if (!strcmp(d->bus, "vfmp_sim")) {
		snprintf(why, n, stat("/sys/module/vfmp", &st) ?
			 "vfmp.ko is not loaded" :
			 "vfmp.ko is loaded but no probe was attempted");
		return;
	}
	snprintf(p, sizeof(p), "%s/modalias", base);
	if (read_str(p, v, sizeof(v)) || !v[0]) {
		snprintf(why, n, "no probe was attempted");
		return;
	}
	if (!alias_module(v, mod, sizeof(mod))) {
		snprintf(why, n, "no driver of this kernel matches it (%.60s)", v);
		return;
	}
	snprintf(p, sizeof(p), "/sys/module/%s", mod);
	if (stat(p, &st))
		snprintf(why, n, "driver %s matches but is not loaded (modprobe %s)",
			 mod, mod);
	else
		snprintf(why, n, "driver %s is loaded but no probe was attempted",
			 mod);
}

static void report_unbound(struct devrec *d, unsigned long long now)
{
	char why[256];

	explain_unbound(d, why, sizeof(why));
	d->pending = false;
	n_unbound++;
	begin("unbound", now);
	if (env.json) {
		put_json_str("dev", d->name);
		put_json_str("bus", d->bus);
		put(",\"virtfn\":true");
		put_json_str("pf", d->pf[0] ? d->pf : NULL);
		put(",\"after_s\":%.1f", (now - d->added) / 1e9);
		put_json_str("reason", why);
	} else {
		put("%-12s UNBOUND after %.1f s: %s", d->name,
		    (now - d->added) / 1e9, why);
	}
	end();
}

static unsigned long long mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void check_pending(void)
{
	unsigned long long now = mono_now(), wait = env.unbound_after * 1e9;
	char p[PATH_MAX];
	struct stat st;
	int i;

	for (i = 0; i < n_devs; i++) {
		struct devrec *d = &devs[i];

		if (!d->pending || d->in_probe || now - d->added < wait)
			continue;
		if (env.dev && !strstr(d->name, env.dev)) {
			d->pending = false;
			continue;
		}
		/* gone, or bound by a path we did not see */
		snprintf(p, sizeof(p), "/sys/bus/%s/devices/%s", d->bus,
			 d->name);
		if (lstat(p, &st)) {
			d->pending = false;
			continue;
		}
		snprintf(p, sizeof(p), "/sys/bus/%s/devices/%s/driver", d->bus,
			 d->name);
		if (!lstat(p, &st)) {
			d->pending = false;
			continue;
		}
		report_unbound(d, now);
	}
}

/* VFs that exist and have no driver when we start: watch them too */
static void scan_existing(void)
{
	static const char *const buses[] = { "pci", "vfmp_sim" };
	char p[PATH_MAX], l[PATH_MAX];
	unsigned long long now = mono_now();
	struct dirent *de;
	struct stat st;
	size_t b;

	for (b = 0; b < sizeof(buses) / sizeof(buses[0]); b++) {
		DIR *dir;

		snprintf(p, sizeof(p), "/sys/bus/%s/devices", buses[b]);
		dir = opendir(p);
		if (!dir)
			continue;
		while ((de = readdir(dir))) {
			struct devrec *d;
			ssize_t r;
			bool vf;

			if (de->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), "/sys/bus/%s/devices/%s/physfn",
				 buses[b], de->d_name);
			r = readlink(p, l, sizeof(l) - 1);
			vf = r > 0 || sim_vf(buses[b], de->d_name);
			if (!vf)
				continue;
			snprintf(p, sizeof(p), "/sys/bus/%s/devices/%s/driver",
				 buses[b], de->d_name);
			if (!lstat(p, &st))
				continue;
			d = dev_get(de->d_name, true);
			snprintf(d->bus, sizeof(d->bus), "%s", buses[b]);
			if (r > 0) {
				l[r] = '\0';
				snprintf(d->pf, sizeof(d->pf), "%.31s",
					 strrchr(l, '/') ? strrchr(l, '/') + 1 : l);
			} else if (vf && !d->pf[0]) {
				sim_pf(d->name, d->pf, sizeof(d->pf));
			}
			d->virtfn = true;
			d->pending = true;
			d->added = now;
		}
		closedir(dir);
	}
}

/* ---- records ---- */

static void on_probe(const struct vfmpinit_event *e)
{
	struct devrec *d = dev_get(e->dev, true);
	bool show = wanted(e) || d->pending;
	char why[256];

	snprintf(d->bus, sizeof(d->bus), "%s", e->bus);
	snprintf(d->drv, sizeof(d->drv), "%s", e->drv);
	if (e->kind == EV_PROBE_START) {
		d->probe_start = e->ts;
		d->in_probe = true;
		d->netdev[0] = '\0';
		return;
	}
	d->in_probe = false;
	d->last_result = 0;
	why[0] = '\0';
	if (e->v[0] && show) {
		/* what made it fail, where the kernel's setup tells */
		if (!d->pf[0] && e->pf[0])
			snprintf(d->pf, sizeof(d->pf), "%s", e->pf);
		explain_unbound(d, why, sizeof(why));
		if (!strncmp(why, "no probe", 8) || !strncmp(why, "driver ", 7) ||
		    strstr(why, "is loaded but"))
			why[0] = '\0';
	}
	d->last_result = e->v[0];
	if (!e->v[0]) {
		d->bound = true;
		d->pending = false;
	}
	if (!show)
		return;
	d->shown = true;
	n_probes++;
	if (e->v[0])
		n_failed++;
	begin("probe", e->ts);
	if (env.json) {
		put_dev(e);
		put_json_str("driver", e->drv);
		put_json_str("result", errname(e->v[0]));
		put(",\"errno\":%d", -e->v[0]);
		put(",\"duration_us\":%.1f", e->ns / 1e3);
		put_json_str("netdev", d->netdev[0] ? d->netdev : NULL);
		put_json_str("reason", why[0] ? why : NULL);
	} else {
		bool vf = e->v[3] || sim_vf(e->bus, e->dev);
		char pf[VFMPINIT_NAME];

		snprintf(pf, sizeof(pf), "%s", e->pf);
		if (!pf[0] && sim_vf(e->bus, e->dev))
			sim_pf(e->dev, pf, sizeof(pf));
		put("%-12s probe  %-8s %-6s %8.1fms", e->dev, e->drv,
		    errname(e->v[0]), e->ns / 1e6);
		if (!strcmp(e->bus, "pci"))
			put(" %04x:%04x", e->v[1], e->v[2]);
		if (vf)
			put(" pf=%s", pf);
		if (d->netdev[0])
			put(" %s", d->netdev);
		if (why[0])
			put(" (%s)", why);
	}
	end();
}

static void on_generic(const struct vfmpinit_event *e)
{
	struct devrec *d;

	switch (e->kind) {
	case EV_PROBE_START:
	case EV_PROBE:
		on_probe(e);
		return;
	case EV_DEV_ADD:
		d = dev_get(e->dev, true);
		snprintf(d->bus, sizeof(d->bus), "%s", e->bus);
		snprintf(d->pf, sizeof(d->pf), "%s", e->pf);
		d->virtfn = e->v[3] || sim_vf(e->bus, e->dev);
		if (!d->pf[0] && sim_vf(e->bus, e->dev))
			sim_pf(e->dev, d->pf, sizeof(d->pf));
		d->added = e->ts;
		d->bound = false;
		d->last_result = 0;
		d->pending = d->virtfn;
		if (!d->virtfn || !wanted(e))
			return;
		begin("vf_add", e->ts);
		if (env.json)
			put_dev(e);
		else if (!strcmp(e->bus, "pci"))
			put("%-12s vf-add %-8s %-6s %10s %04x:%04x pf=%s", e->dev,
			    "-", "-", "-", e->v[1], e->v[2], d->pf);
		else
			put("%-12s vf-add %-8s %-6s %10s pf=%s", e->dev, "-", "-",
			    "-", d->pf);
		break;
	case EV_DEV_DEL:
		d = dev_get(e->dev, false);
		if (d)
			d->pending = false;
		if (!wanted(e) || !(e->v[3] || sim_vf(e->bus, e->dev)))
			return;
		begin("vf_del", e->ts);
		if (env.json)
			put_dev(e);
		else
			put("%-12s vf-del", e->dev);
		break;
	case EV_SRIOV:
		if (!wanted(e))
			return;
		begin("sriov", e->ts);
		if (env.json) {
			put_dev(e);
			put_json_str("driver", e->drv);
			put(",\"num_vfs\":%d", e->v[5]);
			put_json_str("result", errname(e->v[0]));
			put(",\"errno\":%d,\"duration_us\":%.1f", -e->v[0],
			    e->ns / 1e3);
		} else {
			put("%-12s sriov  %-8s %-6s %8.1fms %d VFs", e->dev,
			    e->drv, errname(e->v[0]), e->ns / 1e6, e->v[5]);
		}
		break;
	case EV_SRIOV_OFF:
		if (!wanted(e))
			return;
		begin("sriov_off", e->ts);
		if (env.json) {
			put_dev(e);
			put_json_str("driver", e->drv);
		} else {
			put("%-12s sriov  %-8s off", e->dev, e->drv);
		}
		break;
	case EV_NETDEV:
		d = dev_get(e->dev, true);
		snprintf(d->netdev, sizeof(d->netdev), "%s", e->word);
		/* registered inside the probe: part of the probe record */
		if (d->in_probe || !wanted(e))
			return;
		begin("netdev", e->ts);
		if (env.json) {
			put_dev(e);
			put_json_str("driver", e->drv);
			put_json_str("netdev", e->word);
			put(",\"ifindex\":%d", e->v[5]);
			if (d->probe_start)
				put(",\"since_probe_us\":%.1f",
				    (e->ts - d->probe_start) / 1e3);
			else
				put(",\"since_probe_us\":null");
		} else {
			put("%-12s netdev %-8s %-6s", e->dev, e->drv, e->word);
			if (d->probe_start)
				put(" %8.1fms after its probe began",
				    (e->ts - d->probe_start) / 1e6);
		}
		break;
	case EV_UNBIND:
		d = dev_get(e->dev, false);
		if (d)
			d->bound = false;
		if (!wanted(e))
			return;
		begin("unbind", e->ts);
		if (env.json) {
			put_dev(e);
			put_json_str("driver", e->drv);
		} else {
			put("%-12s unbind %s", e->dev, e->drv);
		}
		break;
	case EV_MODULE_LOAD:
	case EV_MODULE_FREE:
		if (e->kind == EV_MODULE_LOAD && !strcmp(e->word, VFMP_OBS_MODULE))
			vfmp_loaded();
		if (env.dev)
			return;
		begin(e->kind == EV_MODULE_LOAD ? "module_load" :
		      "module_unload", e->ts);
		if (env.json)
			put_json_str("module", e->word);
		else
			put("%-12s module %s", e->word,
			    e->kind == EV_MODULE_LOAD ? "loaded" : "unloaded");
		break;
	default:
		return;
	}
	end();
}

static bool vfmp_on;
static int attach_vfmp(void);

/*
 * vfmp.ko came and we were not watching it (it was neither loaded nor
 * installed when we started): from now on its records are shown; the
 * probe point stays armed across later unloads and loads.
 */
static void vfmp_loaded(void)
{
	int err;

	if (vfmp_on || env.no_vfmp)
		return;
	err = attach_vfmp();
	if (err)
		fprintf(stderr, "vfmpinit: vfmp's rule records are off: %s\n",
			strerror(-err));
	vfmp_on = !err;
}

static void caps_flags(unsigned int caps, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s%s%s",
		 caps & 4 ? "VF_MINIPORT|" : "", caps & 2 ? "PF_MINIPORT|" : "",
		 caps & 1 ? "SRIOV_SUPPORTED|" : "", caps ? "" : "none|");
	buf[strlen(buf) - 1] = '\0';
}

/* vfmp.ko's rule-by-rule records (kmod/include/vfmp_obs.h) */
static void on_vfmp(const struct vfmpinit_event *e)
{
	static const char *const kinds[] = {
		[VFMP_OBS_BEGIN] = "vfmp_begin", [VFMP_OBS_STEP] = "vfmp_step",
		[VFMP_OBS_PARTITION] = "vfmp_partition",
		[VFMP_OBS_KEYWORD] = "vfmp_keyword",
		[VFMP_OBS_CAPS] = "vfmp_caps", [VFMP_OBS_FEATURE] = "vfmp_feature",
		[VFMP_OBS_MBX] = "vfmp_mbx", [VFMP_OBS_END] = "vfmp_end",
	};
	const int *v = e->v;
	char flags[64];

	if (env.dev && !strstr(e->dev, env.dev))
		return;
	if (e->kind == VFMP_OBS_MBX && !env.mbx)
		return;
	begin(NAME(kinds, (int)e->kind), e->ts);
	if (env.json) {
		put_json_str("dev", e->dev);
		switch (e->kind) {
		case VFMP_OBS_BEGIN:
			put(",\"virtfn\":%s", v[0] ? "true" : "false");
			break;
		case VFMP_OBS_STEP:
			put(",\"index\":%d,\"rule\":%d", v[0], v[1]);
			put_json_str("step", e->word);
			put_json_str("result", v[2] ? errname(v[2]) :
				     v[3] ? "skip" : "ok");
			put(",\"duration_us\":%.1f", e->ns / 1e3);
			break;
		case VFMP_OBS_PARTITION:
			put_json_str("hypervisor", NAME(hv_kinds, v[2]));
			put(",\"hv_present\":%d,\"hv_root\":%d,\"xen_dom0\":%d",
			    v[1], v[3], v[4]);
			put_json_str("attr", NAME(overrides, v[5]));
			put_json_str("partition", NAME(partitions, v[6]));
			put_json_str("source", v[7] ? "device" : "platform");
			put(",\"allow_bare_metal\":%d", v[8]);
			put_json_str("verdict", NAME(verdicts, v[9]));
			put_json_str("result", errname(v[10]));
			break;
		case VFMP_OBS_KEYWORD:
			put_json_str("keyword", e->word);
			put(",\"allowed\":%s", v[1] ? "true" : "false");
			put_json_str("result", errname(v[2]));
			break;
		case VFMP_OBS_CAPS:
			put(",\"current\":%s,\"type\":%d,\"rev\":%d,\"size\":%d,\"flags\":%d,\"caps\":%d",
			    v[0] ? "true" : "false", v[1], v[2], v[3], v[4], v[5]);
			put_json_str("result", errname(v[6]));
			break;
		case VFMP_OBS_FEATURE:
			put_json_str("feature", e->word);
			put(",\"advertised\":%s,\"rule\":%d",
			    v[0] ? "true" : "false", v[1]);
			put_json_str("reason", e->reason);
			break;
		case VFMP_OBS_MBX:
			put(",\"vf\":%d,\"dir\":\"%s\"", v[0], v[1] ? "tx" : "rx");
			put_json_str("op", NAME(mbx_ops, v[2]));
			put(",\"len\":%d,\"status\":%d", v[3], v[4]);
			put_json_str("result", errname(v[5]));
			break;
		case VFMP_OBS_END:
			put_json_str("personality", NAME(personalities, v[0]));
			put_json_str("result", errname(v[1]));
			put(",\"duration_us\":%.1f", e->ns / 1e3);
			break;
		}
		end();
		return;
	}
	put("%-12s ", e->dev);
	switch (e->kind) {
	case VFMP_OBS_BEGIN:
		put("== init begins on a %s function", v[0] ? "VF" : "PF");
		break;
	case VFMP_OBS_STEP:
		put("%2d R%d %-16s %-4s %9.1f us  (%s)%s%s", v[0], v[1],
		    e->word, v[2] ? "FAIL" : v[3] ? "skip" : "ok",
		    e->ns / 1e3, NAME(rule_text, v[1]),
		    v[2] ? " err=" : "", v[2] ? errname(v[2]) : "");
		break;
	case VFMP_OBS_PARTITION:
		put("   R2 partition: hypervisor=%s present=%d hv_root=%d xen_dom0=%d attr=%s -> %s (from %s)%s -> %s%s%s",
		    NAME(hv_kinds, v[2]), v[1], v[3], v[4],
		    NAME(overrides, v[5]), NAME(partitions, v[6]),
		    v[7] ? "device" : "platform",
		    v[8] ? " allow_bare_metal_vf=1" : "",
		    NAME(verdicts, v[9]), v[10] ? " REFUSED " : "",
		    v[10] ? errname(v[10]) : "");
		break;
	case VFMP_OBS_KEYWORD:
		put("   R3 keyword %s read by a %s: %s%s%s", e->word,
		    v[0] ? "VF" : "PF",
		    v[1] ? "allowed" : "REFUSED (a VF must not read keywords)",
		    v[2] ? " err=" : "", v[2] ? errname(v[2]) : "");
		break;
	case VFMP_OBS_CAPS:
		caps_flags(v[5], flags, sizeof(flags));
		put("   R6 register %s SR-IOV caps: type=0x%x rev=%d size=%d flags=0x%x caps=0x%x %s -> %s",
		    v[0] ? "current " : "hardware", v[1], v[2], v[3], v[4],
		    v[5], flags, v[6] ? errname(v[6]) : "accepted");
		break;
	case VFMP_OBS_FEATURE:
		put("   R%d %s %s: %s", v[1], e->word,
		    v[0] ? "advertised" : "WITHHELD", e->reason);
		break;
	case VFMP_OBS_MBX:
		put("   mbx vf%d %s %s len=%d status=%d%s%s", v[0],
		    v[1] ? "->" : "<-", NAME(mbx_ops, v[2]), v[3], v[4],
		    v[5] ? " err=" : "", v[5] ? errname(v[5]) : "");
		break;
	case VFMP_OBS_END:
		if (v[1])
			put("== init FAILED: %s (%d) after %.1f us",
			    errname(v[1]), v[1], e->ns / 1e3);
		else
			put("== initialized as %s in %.1f us",
			    NAME(personalities, v[0]), e->ns / 1e3);
		break;
	default:
		return;
	}
	end();
}

static int on_event(void *ctx, void *data, size_t size)
{
	const struct vfmpinit_event *e = data;

	(void)ctx;
	if (size < sizeof(*e))
		return 0;
	if (e->kind == EV_DECODE)
		on_decode(e);
	else if (e->kind >= EV_PROBE_START)
		on_generic(e);
	else
		on_vfmp(e);
	return 0;
}

/* ---- vfmp.ko's probe point, through tracefs kprobe_events ---- */

static char tracefs[64];
static char kp_group[32];
static struct bpf_link *kp_link;
static void kp_group_remove(const char *group);

static bool find_tracefs(void)
{
	static const char *const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing",
	};
	char p[PATH_MAX];
	size_t i;

	for (i = 0; i < 2; i++) {
		snprintf(p, sizeof(p), "%s/kprobe_events", dirs[i]);
		if (!access(p, W_OK)) {
			snprintf(tracefs, sizeof(tracefs), "%s", dirs[i]);
			return true;
		}
	}
	/* e.g. inside "ip netns exec": mount our own */
	if (mount("tracefs", dirs[0], "tracefs", 0, NULL) == 0 &&
	    !access("/sys/kernel/tracing/kprobe_events", W_OK)) {
		snprintf(tracefs, sizeof(tracefs), "%s", dirs[0]);
		return true;
	}
	return false;
}

static int kprobe_events_write(const char *cmd)
{
	char p[PATH_MAX];
	int fd, ret = 0;

	snprintf(p, sizeof(p), "%s/kprobe_events", tracefs);
	fd = open(p, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, cmd, strlen(cmd)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

/* groups left by a vfmpinit that was killed: remove them */
static void kprobe_cleanup_stale(void)
{
	char p[PATH_MAX];
	struct dirent *de;
	DIR *dir;

	snprintf(p, sizeof(p), "%s/events", tracefs);
	dir = opendir(p);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		int pid;

		if (sscanf(de->d_name, "vfmpinit_%d", &pid) != 1)
			continue;
		if (kill(pid, 0) == 0 || errno != ESRCH)
			continue;
		kp_group_remove(de->d_name);
	}
	closedir(dir);
}

static struct vfmpinit_bpf *skel;

/* delete every probe event of a group (ours at exit, or a stale one) */
static void kp_group_remove(const char *group)
{
	char p[PATH_MAX], cmd[320];
	struct dirent *de;
	DIR *dir;

	snprintf(p, sizeof(p), "%s/events/%s", tracefs, group);
	dir = opendir(p);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (de->d_type != DT_DIR || de->d_name[0] == '.')
			continue;
		snprintf(cmd, sizeof(cmd), "-:%s/%s", group, de->d_name);
		kprobe_events_write(cmd);
	}
	closedir(dir);
}

/* our tracefs probe group, vfmpinit_PID; stale ones of dead runs go */
static bool kp_group_create(void)
{
	if (kp_group[0])
		return true;
	if (!find_tracefs()) {
		fprintf(stderr, "vfmpinit: no tracefs (mount -t tracefs nodev /sys/kernel/tracing)\n");
		return false;
	}
	kprobe_cleanup_stale();
	snprintf(kp_group, sizeof(kp_group), "vfmpinit_%d", getpid());
	return true;
}

static int kprobe_event_attach(struct bpf_program *prog, const char *ev,
			       bool ret, const char *mod, const char *fn,
			       unsigned long long cookie, struct bpf_link **link);

/* MOD:SYM: armed whenever vfmp.ko is loaded, never pins it */
static int attach_vfmp(void)
{
	if (!kp_group_create())
		return -ENOENT;
	return kprobe_event_attach(skel->progs.vfmp_obs, "obs", false,
				   VFMP_OBS_MODULE, VFMP_OBS_SYMBOL, 0, &kp_link);
}

static void detach_vfmp(void)
{
	bpf_link__destroy(kp_link);	/* also closes its perf event */
	kp_link = NULL;
}

/*
 * vfmp.ko is of interest if it is loaded or installed for this kernel
 * (DKMS puts it in updates/dkms, "make modules_install" in extra).
 */
static bool vfmp_known(void)
{
	static const char *const where[] = { "updates/dkms", "extra" };
	static const char *const ext[] = { "", ".xz", ".zst", ".gz" };
	char p[PATH_MAX];
	struct utsname u;
	struct stat st;
	size_t i, j;

	if (!stat("/sys/module/vfmp", &st))
		return true;
	if (uname(&u))
		return false;
	for (i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		for (j = 0; j < sizeof(ext) / sizeof(ext[0]); j++) {
			snprintf(p, sizeof(p), "/lib/modules/%s/%s/vfmp.ko%s",
				 u.release, where[i], ext[j]);
			if (!stat(p, &st))
				return true;
		}
	return false;
}

/* ---- -x: decoders of other drivers' messages ---- */

struct decoder {
	const char *module, *function;
	enum dec_kind entry, exit;	/* 0: no probe */
	const char *what;
};

/*
 * Proof levels (docs/decoders.md): igb and igbvf run in the test guest
 * (t/70 checks their messages); iavf, mlx5_core and hv_netvsc cannot run
 * here, t/72 proves that their probes are accepted and armed on the real
 * modules of each guest kernel.
 */
static const struct decoder decoders[] = {
	{ "igbvf", "e1000_write_posted_mbx", DEC_E1000_TX, 0, "mbx" },
	{ "igbvf", "e1000_read_posted_mbx", DEC_E1000_RX_ENTRY, DEC_E1000_RX, "mbx" },
	{ "igb", "igb_write_mbx", DEC_E1000_TX, 0, "mbx" },
	{ "igb", "igb_read_mbx", DEC_E1000_RX_ENTRY, DEC_E1000_RX, "mbx" },
	{ "iavf", "iavf_send_pf_msg", DEC_VIRTCHNL_TX, 0, "vchnl" },
	{ "iavf", "iavf_virtchnl_completion", DEC_VIRTCHNL_RX, 0, "vchnl" },
	{ "mlx5_core", "mlx5_cmd_exec", DEC_MLX5_ENTRY, DEC_MLX5_RET, "cmd" },
	{ "hv_netvsc", "rndis_filter_device_add", DEC_ENTRY, DEC_RET_ERRPTR, "rndis" },
};
#define N_DECODERS (sizeof(decoders) / sizeof(decoders[0]))

static struct bpf_link *dec_links[2 * N_DECODERS];
static int n_dec_armed;

static int kprobe_event_attach(struct bpf_program *prog, const char *ev,
			       bool ret, const char *mod, const char *fn,
			       unsigned long long cookie, struct bpf_link **link)
{
	LIBBPF_OPTS(bpf_perf_event_opts, po, .bpf_cookie = cookie);
	struct perf_event_attr attr = {
		.type = PERF_TYPE_TRACEPOINT,
		.size = sizeof(attr),
		.sample_period = 1,
		.wakeup_events = 1,
	};
	char cmd[160], p[PATH_MAX], id[32];
	int fd, err;

	snprintf(cmd, sizeof(cmd), "%c:%s/%s %s:%s", ret ? 'r' : 'p',
		 kp_group, ev, mod, fn);
	err = kprobe_events_write(cmd);
	if (err)
		return err;
	snprintf(p, sizeof(p), "%s/events/%s/%s/id", tracefs, kp_group, ev);
	if (read_str(p, id, sizeof(id)))
		return -errno;
	attr.config = strtoull(id, NULL, 10);
	fd = syscall(__NR_perf_event_open, &attr, -1, 0, -1,
		     PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return -errno;
	*link = bpf_program__attach_perf_event_opts(prog, fd, &po);
	if (!*link) {
		err = -errno;
		close(fd);
		return err;
	}
	return 0;
}

/*
 * Defined as MODULE:function in tracefs: armed when the module comes,
 * before its init, disarmed when it goes, never a module reference.  (For
 * a module that is not loaded, the kernel logs once that the probe "might
 * be able to register after target module is loaded".)
 */
static void attach_decoders(void)
{
	char ev[16];
	size_t i;
	int err;

	if (!kp_group[0] && !kp_group_create())
		return;
	for (i = 0; i < N_DECODERS; i++) {
		const struct decoder *d = &decoders[i];
		bool ok = true;

		snprintf(ev, sizeof(ev), "d%zu", i);
		err = kprobe_event_attach(skel->progs.dec_entry, ev, false,
					  d->module, d->function,
					  (i << 8) | d->entry, &dec_links[2 * i]);
		if (!err && d->exit) {
			snprintf(ev, sizeof(ev), "r%zu", i);
			err = kprobe_event_attach(skel->progs.dec_exit, ev, true,
						  d->module, d->function,
						  (i << 8) | d->exit,
						  &dec_links[2 * i + 1]);
		}
		if (err) {
			ok = false;
			fprintf(stderr, "vfmpinit: -x: %s:%s: %s\n", d->module,
				d->function, strerror(-err));
		}
		n_dec_armed += ok;
	}
}

static void detach_decoders(void)
{
	size_t i;

	for (i = 0; i < 2 * N_DECODERS; i++) {
		bpf_link__destroy(dec_links[i]);
		dec_links[i] = NULL;
	}
}

static const char *e1000_type(unsigned int w)
{
	static const char *const t[] = {
		[1] = "RESET", [2] = "SET_MAC_ADDR", [3] = "SET_MULTICAST",
		[4] = "SET_VLAN", [5] = "SET_LPE", [6] = "SET_PROMISC",
	};

	if ((w & 0xffff) == 0x0100)
		return "PF_CONTROL";
	return NAME(t, (int)(w & 0xffff));
}

static const char *virtchnl_op(int op)
{
	static const char *const t[] = {
		[1] = "VERSION", [2] = "RESET_VF", [3] = "GET_VF_RESOURCES",
		[4] = "CONFIG_TX_QUEUE", [5] = "CONFIG_RX_QUEUE",
		[6] = "CONFIG_VSI_QUEUES", [7] = "CONFIG_IRQ_MAP",
		[8] = "ENABLE_QUEUES", [9] = "DISABLE_QUEUES",
		[10] = "ADD_ETH_ADDR", [11] = "DEL_ETH_ADDR", [12] = "ADD_VLAN",
		[13] = "DEL_VLAN", [14] = "CONFIG_PROMISCUOUS_MODE",
		[15] = "GET_STATS", [17] = "EVENT", [23] = "CONFIG_RSS_KEY",
		[24] = "CONFIG_RSS_LUT", [25] = "GET_RSS_HENA_CAPS",
		[26] = "SET_RSS_HENA", [27] = "ENABLE_VLAN_STRIPPING",
		[28] = "DISABLE_VLAN_STRIPPING", [29] = "REQUEST_QUEUES",
	};

	return NAME(t, op);
}

static const char *mlx5_op(int op)
{
	switch (op) {
	case 0x100: return "QUERY_HCA_CAP";
	case 0x101: return "QUERY_ADAPTER";
	case 0x102: return "INIT_HCA";
	case 0x103: return "TEARDOWN_HCA";
	case 0x104: return "ENABLE_HCA";
	case 0x105: return "DISABLE_HCA";
	case 0x107: return "QUERY_PAGES";
	case 0x108: return "MANAGE_PAGES";
	case 0x109: return "SET_HCA_CAP";
	case 0x10a: return "QUERY_ISSI";
	case 0x10b: return "SET_ISSI";
	default: return "?";
	}
}

static void on_decode(const struct vfmpinit_event *e)
{
	const struct decoder *d;
	const int *v = e->v;
	unsigned int w0 = v[6];
	char what[96];

	if ((unsigned int)v[1] >= N_DECODERS)
		return;
	d = &decoders[v[1]];
	if (env.dev && !strstr(d->module, env.dev))
		return;
	switch (v[0]) {
	case DEC_E1000_TX:
	case DEC_E1000_RX:
		/* the PF's igb names the VF; igbvf talks to its one PF */
		snprintf(what, sizeof(what), "%s%s%s%s%s%s",
			 strcmp(d->module, "igb") ? (v[2] ? "VF->PF " : "PF->VF ") :
			 (v[2] ? "PF->VF " : "VF->PF "),
			 e1000_type(w0), w0 & 0x80000000 ? " ACK" : "",
			 w0 & 0x40000000 ? " NACK" : "",
			 w0 & 0x20000000 ? " CTS" : "", "");
		break;
	case DEC_VIRTCHNL_TX:
	case DEC_VIRTCHNL_RX:
		snprintf(what, sizeof(what), "%s %s", v[2] ? "VF->PF" : "PF->VF",
			 virtchnl_op(v[5]));
		break;
	case DEC_MLX5_RET:
		snprintf(what, sizeof(what), "%s (0x%x)", mlx5_op(v[5]), v[5]);
		break;
	case DEC_RET_ERRPTR:
		snprintf(what, sizeof(what), "%s", d->function);
		break;
	default:
		return;
	}
	begin(d->what, e->ts);
	if (env.json) {
		put_json_str("module", d->module);
		put_json_str("function", d->function);
		put_json_str("message", what);
		if (v[0] == DEC_E1000_TX || v[0] == DEC_E1000_RX) {
			put(",\"words\":[%u,%u,%u,%u],\"size\":%d", w0, v[7], v[8],
			    v[9], v[3]);
			if (!strcmp(d->module, "igb"))
				put(",\"vf\":%d", v[4]);
		} else if (v[0] == DEC_VIRTCHNL_TX || v[0] == DEC_VIRTCHNL_RX) {
			put(",\"op\":%d,\"len\":%d", v[5], v[3]);
			if (v[0] == DEC_VIRTCHNL_RX)
				put(",\"status\":%d", v[6]);
		} else {
			put_json_str("result", errname(v[6]));
			put(",\"duration_us\":%.1f", e->ns / 1e3);
		}
	} else {
		put("%-12s %-6s %s", d->module, d->what, what);
		if (!strcmp(d->module, "igb") &&
		    (v[0] == DEC_E1000_TX || v[0] == DEC_E1000_RX))
			put(" vf%d", v[4]);
		if (v[0] == DEC_E1000_TX || v[0] == DEC_E1000_RX)
			put(" [%08x]", w0);
		if (v[0] == DEC_VIRTCHNL_RX && v[6])
			put(" status=%d", v[6]);
		if (v[0] == DEC_MLX5_RET || v[0] == DEC_RET_ERRPTR)
			put(" %s %.1f us", errname(v[6]), e->ns / 1e3);
	}
	end();
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static unsigned long long lost_total(void)
{
	int ncpu = libbpf_num_possible_cpus();
	unsigned long long sum = 0;
	__u32 zero = 0;
	__u64 *v;
	int i;

	if (ncpu <= 0)
		return 0;
	v = calloc(ncpu, sizeof(*v));
	if (!v)
		return 0;
	if (!bpf_map__lookup_elem(skel->maps.lost, &zero, sizeof(zero), v,
				  ncpu * sizeof(*v), 0))
		for (i = 0; i < ncpu; i++)
			sum += v[i];
	free(v);
	return sum;
}

static void report_lost(void)
{
	unsigned long long n = lost_total();

	if (n <= n_lost)
		return;
	begin("lost", mono_now());
	if (env.json)
		put(",\"count\":%llu", n - n_lost);
	else
		put("vfmpinit: %llu records LOST (ring buffer full)", n - n_lost);
	end();
	n_lost = n;
}

int main(int argc, char **argv)
{
	static const struct argp argp = {
		.options = opts, .parser = parse_arg, .doc = doc,
	};
	struct ring_buffer *rb = NULL;
	struct timespec rt, mt;
	unsigned long long t_start = mono_now(), deadline = 0;
	double startup_ms;
	int err;

	err = argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (err)
		return 2;
	if (check_mode)		/* tools/vfmpinit_check.c: no BPF at all */
		return vfmpinit_check(env.dev, env.json);
	libbpf_set_print(libbpf_print);
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mt);
	mono_to_real_ns = (rt.tv_sec - mt.tv_sec) * 1000000000ULL +
			  rt.tv_nsec - mt.tv_nsec;

	skel = vfmpinit_bpf__open();
	if (!skel) {
		fprintf(stderr, "vfmpinit: cannot open the BPF object: %s\n",
			strerror(errno));
		return 1;
	}
	bpf_program__set_autoattach(skel->progs.vfmp_obs, false);
	bpf_program__set_autoattach(skel->progs.prof_entry, false);
	bpf_program__set_autoattach(skel->progs.prof_exit, false);
	bpf_program__set_autoattach(skel->progs.dec_entry, false);
	bpf_program__set_autoattach(skel->progs.dec_exit, false);
	if (!env.profile) {	/* no memory for what we will not use */
		bpf_map__set_max_entries(skel->maps.prof_stacks, 1);
		bpf_map__set_max_entries(skel->maps.prof_edges, 1);
		bpf_map__set_max_entries(skel->maps.prof_fns, 1);
	}
	if (!env.decode)
		bpf_map__set_max_entries(skel->maps.dec_calls, 1);
	err = vfmpinit_bpf__load(skel);
	if (err) {
		fprintf(stderr, "vfmpinit: cannot load the BPF programs (root? a kernel with BTF?): %s\n",
			strerror(-err));
		goto out;
	}
	if (env.verbose)
		fprintf(stderr, "vfmpinit: opened and loaded in %.1f ms\n",
			(mono_now() - t_start) / 1e6);
	err = vfmpinit_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "vfmpinit: cannot attach to the driver core: %s\n",
			strerror(-err));
		goto out;
	}
	if (env.force_vfmp || vfmp_known())
		vfmp_loaded();
	if (env.decode)
		attach_decoders();
	/* from here on every record reaches the ring buffer */
	startup_ms = (mono_now() - t_start) / 1e6;
	if (env.profile) {
		unsigned long long t0 = mono_now();
		int n;

		n = !tracefs[0] && !find_tracefs() ? -ENOENT :
		    profile_attach(skel, env.profile, tracefs);
		if (n < 0) {
			fprintf(stderr, "vfmpinit: --profile %s: %s (is the module loaded?)\n",
				env.profile, strerror(-n));
			err = n;
			goto out;
		}
		fprintf(stderr, "vfmpinit: profiling %d functions of %s (attached in %.0f ms)\n",
			n, env.profile, (mono_now() - t0) / 1e6);
	}
	if (env.verbose)
		fprintf(stderr, "vfmpinit: attached in %.1f ms\n", startup_ms);
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, NULL,
			      NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "vfmpinit: ring buffer: %s\n", strerror(errno));
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (env.json) {
		begin("start", mono_now());
		put(",\"vfmp\":%s,\"startup_ms\":%.1f", vfmp_on ? "true" : "false",
		    startup_ms);
		end();
	} else {
		printf("vfmpinit: watching device inits%s%s%s (started in %.0f ms); Ctrl-C to stop\n",
		       vfmp_on ? ", with vfmp's rules" : "",
		       env.dev ? " of " : "", env.dev ? env.dev : "",
		       startup_ms);
		if (!env.wall && !env.rel)
			printf("%-12s %-6s %-8s %-6s %10s %s\n", "DEVICE", "EVENT",
			       "DRIVER", "RESULT", "DURATION", "DETAIL");
		fflush(stdout);
	}
	scan_existing();
	if (env.duration)
		deadline = mono_now() + env.duration * 1000000000ULL;
	while (!stop && (!deadline || mono_now() < deadline)) {
		err = ring_buffer__poll(rb, 200);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "vfmpinit: poll: %s\n", strerror(-err));
			break;
		}
		err = 0;
		check_pending();
		report_lost();
	}
	ring_buffer__consume(rb);
	check_pending();
	report_lost();
	if (env.profile)
		profile_report(skel, env.json);
	if (env.json) {
		begin("summary", mono_now());
		put(",\"probes\":%lu,\"failed\":%lu,\"unbound\":%lu,\"lost\":%lu",
		    n_probes, n_failed, n_unbound, n_lost);
		end();
	} else {
		printf("vfmpinit: %lu inits seen, %lu failed, %lu VFs unbound, %lu records lost\n",
		       n_probes, n_failed, n_unbound, n_lost);
	}
out:
	ring_buffer__free(rb);
	profile_detach();
	detach_decoders();
	detach_vfmp();
	if (kp_group[0])
		kp_group_remove(kp_group);
	vfmpinit_bpf__destroy(skel);
	return err ? 1 : 0;
}
