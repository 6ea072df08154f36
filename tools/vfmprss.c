// SPDX-License-Identifier: GPL-2.0
/*
 * vfmprss - watch the RSS receive queues of vfmp netdevs, live.
 *
 * For each receive queue: packets and bytes handed to the stack, how many
 * carried an L4 (4-tuple) hash, NAPI polls with their work against the
 * budget and their time, and the CPUs that served the queue; for each
 * device, which of the 128 indirection-table buckets the traffic hits.
 * See tools/vfmprss.8.md.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "vfmprss.h"
#include "vfmprss.skel.h"

struct dev {
	char name[IF_NAMESIZE];
	char hw[64];			/* sim device, e.g. sim0-vf0 */
	unsigned int ifindex;
	unsigned int nq;
	struct vfmprss_qval last[VFMPRSS_MAX_QUEUES];
	unsigned long long lastb[VFMPRSS_BUCKETS];
};

static struct dev devs[VFMPRSS_MAX_DEVS];
static int ndevs;
static volatile sig_atomic_t stop;
static bool have_polls;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static bool is_vfmp(const char *ifname)
{
	char path[PATH_MAX], target[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/class/net/%s/device/driver", ifname);
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return !strcmp(strrchr(target, '/') ? strrchr(target, '/') + 1 : target,
		       "vfmp");
}

static int add_dev(const char *ifname)
{
	char path[PATH_MAX], target[PATH_MAX];
	struct dev *d;
	struct dirent *de;
	DIR *dir;
	ssize_t n;

	if (ndevs == VFMPRSS_MAX_DEVS)
		return -E2BIG;
	d = &devs[ndevs];
	d->ifindex = if_nametoindex(ifname);
	if (!d->ifindex)
		return -ENODEV;
	snprintf(d->name, sizeof(d->name), "%s", ifname);
	snprintf(path, sizeof(path), "/sys/class/net/%s/device", ifname);
	n = readlink(path, target, sizeof(target) - 1);
	if (n > 0) {
		target[n] = '\0';
		snprintf(d->hw, sizeof(d->hw), "%.63s",
			 strrchr(target, '/') ? strrchr(target, '/') + 1 : target);
	}
	snprintf(path, sizeof(path), "/sys/class/net/%s/queues", ifname);
	dir = opendir(path);
	if (dir) {
		while ((de = readdir(dir)))
			d->nq += !strncmp(de->d_name, "rx-", 3);
		closedir(dir);
	}
	if (d->nq > VFMPRSS_MAX_QUEUES)
		d->nq = VFMPRSS_MAX_QUEUES;
	ndevs++;
	return 0;
}

static void report(struct vfmprss_bpf *skel, double secs, bool show_buckets)
{
	int qfd = bpf_map__fd(skel->maps.queues);
	int bfd = bpf_map__fd(skel->maps.buckets);
	int i;
	unsigned int q, b;

	for (i = 0; i < ndevs; i++) {
		struct dev *d = &devs[i];
		unsigned long long tot = 0, mx = 0, mn = ~0ULL;
		unsigned long long bk[VFMPRSS_BUCKETS] = {};
		unsigned int hit = 0;

		printf("\n%s (%s): %u rx queues, %.2f s\n", d->name, d->hw, d->nq,
		       secs);
		printf("  QUEUE     PKTS   PKTS/s     MB/s  L4HASH%%  POLLS/s  WORK/POLL  FULL%%  POLL_us  CPUS\n");
		for (q = 0; q < d->nq; q++) {
			struct vfmprss_qkey k = { d->ifindex, q };
			struct vfmprss_qval v = {}, *l = &d->last[q], dv;
			char cpus[64] = "";
			unsigned int c;

			bpf_map_lookup_elem(qfd, &k, &v);
			dv.packets = v.packets - l->packets;
			dv.bytes = v.bytes - l->bytes;
			dv.l4_hashed = v.l4_hashed - l->l4_hashed;
			dv.polls = v.polls - l->polls;
			dv.work = v.work - l->work;
			dv.full = v.full - l->full;
			dv.poll_ns = v.poll_ns - l->poll_ns;
			*l = v;
			for (c = 0; c < 64; c++)
				if (v.cpus & (1ULL << c))
					snprintf(cpus + strlen(cpus),
						 sizeof(cpus) - strlen(cpus),
						 "%s%u", cpus[0] ? "," : "", c);
			tot += dv.packets;
			mx = dv.packets > mx ? dv.packets : mx;
			mn = dv.packets < mn ? dv.packets : mn;
			printf("  %5u %8llu %8.0f %8.2f %8.0f", q, dv.packets,
			       dv.packets / secs,
			       dv.bytes / secs / 1e6,
			       dv.packets ? 100.0 * dv.l4_hashed / dv.packets : 0.0);
			if (have_polls)
				printf(" %8.0f %10.1f %6.0f %8.1f  %s\n",
				       dv.polls / secs,
				       dv.polls ? (double)dv.work / dv.polls : 0.0,
				       dv.polls ? 100.0 * dv.full / dv.polls : 0.0,
				       dv.polls ? dv.poll_ns / 1e3 / dv.polls : 0.0,
				       cpus[0] ? cpus : "-");
			else
				printf("        -          -      -        -  %s\n",
				       cpus[0] ? cpus : "-");
		}
		for (b = 0; b < VFMPRSS_BUCKETS; b++) {
			struct vfmprss_bkey k = { d->ifindex, b };
			unsigned long long v = 0;

			bpf_map_lookup_elem(bfd, &k, &v);
			bk[b] = v - d->lastb[b];
			d->lastb[b] = v;
			hit += bk[b] != 0;
		}
		printf("  total %.0f pkts/s; queue imbalance max/min %s",
		       tot / secs, mn ? "" : "inf");
		if (mn)
			printf("%.2f", (double)mx / mn);
		printf("; indirection buckets hit %u/%u\n", hit, VFMPRSS_BUCKETS);
		if (show_buckets) {
			printf("  bucket packets (hash %% %d = indirection index):\n",
			       VFMPRSS_BUCKETS);
			for (b = 0; b < VFMPRSS_BUCKETS; b++)
				printf("%s%4u:%-7llu%s", b % 8 ? "" : "  ", b,
				       bk[b], b % 8 == 7 ? "\n" : " ");
		}
	}
	fflush(stdout);
}

static void usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [-i SECONDS] [-c COUNT] [-b] [IFACE...]\n"
		"Watch the RSS receive queues of vfmp netdevs (default: all in this netns).\n\n"
		"  -i SECONDS  report interval (default 1)\n"
		"  -c COUNT    stop after COUNT reports (default: until Ctrl-C)\n"
		"  -b          also print the 128 indirection-bucket counters\n"
		"  -h          this help\n", prog);
}

int main(int argc, char **argv)
{
	struct vfmprss_bpf *skel;
	int opt, i, err, count = -1, interval = 1;
	bool show_buckets = false;
	struct stat st;
	unsigned int ns;

	while ((opt = getopt(argc, argv, "i:c:bh")) != -1) {
		switch (opt) {
		case 'i':
			interval = atoi(optarg);
			break;
		case 'c':
			count = atoi(optarg);
			break;
		case 'b':
			show_buckets = true;
			break;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if (interval < 1) {
		fprintf(stderr, "vfmprss: the interval must be at least 1 s\n");
		return 2;
	}
	for (i = optind; i < argc; i++) {
		if (!is_vfmp(argv[i])) {
			fprintf(stderr, "vfmprss: %s is not a vfmp netdev\n", argv[i]);
			return 1;
		}
		if (add_dev(argv[i])) {
			fprintf(stderr, "vfmprss: cannot watch %s\n", argv[i]);
			return 1;
		}
	}
	if (optind == argc) {
		struct if_nameindex *ifs = if_nameindex(), *p;

		for (p = ifs; p && p->if_index; p++)
			if (is_vfmp(p->if_name))
				add_dev(p->if_name);
		if_freenameindex(ifs);
	}
	if (!ndevs) {
		fprintf(stderr, "vfmprss: no vfmp netdev in this network namespace\n");
		return 1;
	}
	if (stat("/proc/self/ns/net", &st)) {
		perror("vfmprss: /proc/self/ns/net");
		return 1;
	}
	ns = st.st_ino;

	skel = vfmprss_bpf__open();
	if (!skel) {
		fprintf(stderr, "vfmprss: cannot open the BPF programs\n");
		return 1;
	}
	/* the poll view needs vfmp.ko's BTF; try with it, then without */
	have_polls = true;
	err = vfmprss_bpf__load(skel);
	if (err) {
		vfmprss_bpf__destroy(skel);
		skel = vfmprss_bpf__open();
		if (!skel)
			return 1;
		bpf_program__set_autoload(skel->progs.poll_entry, false);
		bpf_program__set_autoload(skel->progs.poll_exit, false);
		have_polls = false;
		err = vfmprss_bpf__load(skel);
		if (err) {
			fprintf(stderr, "vfmprss: cannot load the BPF programs: %s\n",
				strerror(-err));
			goto out;
		}
		fprintf(stderr, "vfmprss: no BTF for vfmp.ko: NAPI poll columns disabled\n");
	}
	for (i = 0; i < ndevs; i++)
		bpf_map_update_elem(bpf_map__fd(skel->maps.targets),
				    &devs[i].ifindex, &ns, BPF_ANY);
	err = vfmprss_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "vfmprss: cannot attach: %s\n", strerror(-err));
		goto out;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("vfmprss: watching %d vfmp netdev(s) every %d s; Ctrl-C to stop\n",
	       ndevs, interval);
	fflush(stdout);
	while (!stop && count) {
		sleep(interval);
		report(skel, interval, show_buckets);
		if (count > 0)
			count--;
	}
out:
	vfmprss_bpf__destroy(skel);
	return err ? 1 : 0;
}
