// SPDX-License-Identifier: GPL-2.0
/*
 * vfmpinit - watch vfmp SR-IOV functions initialize, rule by rule.
 *
 * Every decision the driver's probe() makes (partition check, keyword
 * accesses, capability registration, features advertised or withheld,
 * each init step) is printed as it happens, so "why did my VF not come
 * up" is answered live.  See tools/vfmpinit.8.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "vfmpinit.h"
#include "vfmpinit.skel.h"

static volatile sig_atomic_t stop;
static const char *filter_dev;
static bool show_mbx, show_ts;
static unsigned long long t0;
static unsigned long n_inits, n_failed;

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
	const char *n;

	if (!err)
		return "0";
	n = strerrorname_np(-err);
	return n ? n : "?";
}

static void caps_flags(unsigned int caps, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s%s",
		 caps & 4 ? "VF_MINIPORT|" : "", caps & 2 ? "PF_MINIPORT|" : "",
		 caps & 1 ? "SRIOV_SUPPORTED|" : "", caps ? "" : "none|");
	buf[strlen(buf) - 1] = '\0';
}

static int on_event(void *ctx, void *data, size_t size)
{
	(void)ctx;
	const struct vfmpinit_event *e = data;
	const int *v = e->v;
	char flags[64];

	if (size < sizeof(*e))
		return 0;
	if (filter_dev && !strstr(e->dev, filter_dev))
		return 0;
	if (e->kind == EV_MBX && !show_mbx)
		return 0;
	if (!t0)
		t0 = e->ts;
	if (show_ts)
		printf("%10.6f ", (e->ts - t0) / 1e9);
	printf("%-12s ", e->dev);

	switch (e->kind) {
	case EV_BEGIN:
		printf("== init begins on a %s function\n", v[0] ? "VF" : "PF");
		n_inits++;
		break;
	case EV_STEP:
		printf("%2d R%d %-16s %-4s %9.1f us  (%s)%s%s\n", v[0], v[1],
		       e->word, v[2] ? "FAIL" : v[3] ? "skip" : "ok",
		       e->ns / 1e3, NAME(rule_text, v[1]),
		       v[2] ? " err=" : "", v[2] ? errname(v[2]) : "");
		break;
	case EV_PARTITION:
		printf("   R2 partition: hypervisor=%s present=%d hv_root=%d xen_dom0=%d attr=%s -> %s (from %s)%s -> %s%s%s\n",
		       NAME(hv_kinds, v[2]), v[1], v[3], v[4],
		       NAME(overrides, v[5]), NAME(partitions, v[6]),
		       v[7] ? "device" : "platform",
		       v[8] ? " allow_bare_metal_vf=1" : "",
		       NAME(verdicts, v[9]), v[10] ? " REFUSED " : "",
		       v[10] ? errname(v[10]) : "");
		break;
	case EV_KEYWORD:
		printf("   R3 keyword %s read by a %s: %s%s%s\n", e->word,
		       v[0] ? "VF" : "PF",
		       v[1] ? "allowed" : "REFUSED (a VF must not read keywords)",
		       v[2] ? " err=" : "", v[2] ? errname(v[2]) : "");
		break;
	case EV_CAPS:
		caps_flags(v[5], flags, sizeof(flags));
		printf("   R6 register %s SR-IOV caps: type=0x%x rev=%d size=%d flags=0x%x caps=0x%x %s -> %s\n",
		       v[0] ? "current " : "hardware", v[1], v[2], v[3], v[4],
		       v[5], flags, v[6] ? errname(v[6]) : "accepted");
		break;
	case EV_FEATURE:
		printf("   R%d %s %s: %s\n", v[1], e->word,
		       v[0] ? "advertised" : "WITHHELD", e->reason);
		break;
	case EV_MBX:
		printf("   mbx vf%d %s %s len=%d status=%d%s%s\n", v[0],
		       v[1] ? "->" : "<-", NAME(mbx_ops, v[2]), v[3], v[4],
		       v[5] ? " err=" : "", v[5] ? errname(v[5]) : "");
		break;
	case EV_END:
		if (v[1]) {
			n_failed++;
			printf("== init FAILED: %s (%d) after %.1f us\n",
			       errname(v[1]), v[1], e->ns / 1e3);
		} else {
			printf("== initialized as %s in %.1f us\n",
			       NAME(personalities, v[0]), e->ns / 1e3);
		}
		break;
	}
	fflush(stdout);
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [-d DEV] [-m] [-t] [-D SECONDS]\n"
		"Watch vfmp functions initialize, rule by rule (R1..R9).\n\n"
		"  -d DEV      only devices whose name contains DEV (e.g. sim0-vf1)\n"
		"  -m          also show PF/VF mailbox messages\n"
		"  -t          print a timestamp (s since the first event)\n"
		"  -D SECONDS  exit after SECONDS (default: until Ctrl-C)\n"
		"  -h          this help\n", prog);
}

int main(int argc, char **argv)
{
	struct vfmpinit_bpf *skel;
	struct ring_buffer *rb = NULL;
	time_t deadline = 0;
	int opt, err;

	while ((opt = getopt(argc, argv, "d:mtD:h")) != -1) {
		switch (opt) {
		case 'd':
			filter_dev = optarg;
			break;
		case 'm':
			show_mbx = true;
			break;
		case 't':
			show_ts = true;
			break;
		case 'D':
			deadline = time(NULL) + atoi(optarg);
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}

	skel = vfmpinit_bpf__open_and_load();
	if (!skel) {
		fprintf(stderr, "vfmpinit: cannot load the BPF programs: %s\n",
			strerror(errno));
		return 1;
	}
	err = vfmpinit_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "vfmpinit: cannot attach to the vfmp tracepoints (is vfmp.ko loaded?): %s\n",
			strerror(-err));
		goto out;
	}
	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_event, NULL,
			      NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "vfmpinit: ring buffer: %s\n", strerror(errno));
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("vfmpinit: watching vfmp init decisions%s%s; Ctrl-C to stop\n",
	       filter_dev ? " of " : "", filter_dev ? filter_dev : "");
	fflush(stdout);
	while (!stop && (!deadline || time(NULL) < deadline)) {
		err = ring_buffer__poll(rb, 200);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "vfmpinit: poll: %s\n", strerror(-err));
			break;
		}
		err = 0;
	}
	ring_buffer__consume(rb);
	printf("vfmpinit: %lu inits seen, %lu failed\n", n_inits, n_failed);
out:
	ring_buffer__free(rb);
	vfmpinit_bpf__destroy(skel);
	return err ? 1 : 0;
}
