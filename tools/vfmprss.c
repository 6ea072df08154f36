// SPDX-License-Identifier: GPL-2.0
/*
 * vfmprss - watch the RSS receive queues of any multi-queue netdev, live.
 *
 * Per queue and interval: frames and L2 bytes handed to the stack, the
 * share hashed over the ports, NAPI polls (work against budget, time),
 * the CPUs that served the queue, transmitted frames, and the XDP verdicts
 * of the device's XDP program.  Per device: the indirection table read
 * from the device each interval, which buckets carry the load, the share
 * of frames that arrived on table[hash % size], the imbalance, and an
 * `ethtool -X DEV weight ...` that evens it.  Text, JSON lines, or a
 * Prometheus /metrics endpoint.  See tools/vfmprss.8.md.
 */
#define _GNU_SOURCE
#include <argp.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "json_str.h"
#include "vfmprss.h"
#include "vfmprss.skel.h"
#include "vfmprss_xdp.skel.h"

#define MAX_DEV_ARGS	VFMPRSS_MAX_SLOTS
#define MAX_XDP_PROGS	32
#define NAME_W		16

static const char *const xdp_names[VFMPRSS_XDP_ACTIONS] = {
	"aborted", "drop", "pass", "tx", "redirect",
};

static struct env {
	const char *devs[MAX_DEV_ARGS];
	int ndevs;
	double interval;
	long count;
	bool timestamp;
	bool verbose;
	bool json;
	bool all_buckets;
	bool gro;
	bool poll_time;
	bool no_napi;	/* -N: frames only, no program on NAPI polls */
	bool xdp;
	const char *prom;	/* [ADDR:]PORT */
	const char *svg;	/* heat map written at exit */
} env = { .interval = 1.0, .count = -1 };

struct dev {
	bool used;
	bool gone;
	char name[IF_NAMESIZE];
	unsigned int ifindex;
	char driver[32];
	char bus[32];
	unsigned int nrx, ntx;
	/* the device's indirection table, as last read */
	unsigned int tsize, keylen, hfunc;
	unsigned int *tbl;
	bool tchanged;
	int terr;			/* errno of the last read, 0: ok */
	/* totals as last read, per row (queue; row qmax: other) */
	struct vfmprss_q *last;
	unsigned long long *lastcpu;	/* per row and CPU: activity */
	unsigned long long *lastb;	/* per bucket */
	unsigned long long *bsum;	/* per bucket, since start */
	struct timespec t;		/* when last read */
	/* NAPI learning: devmap's learn (0: every RX queue's instance known) */
	unsigned int learn;
	unsigned long long other_polls;	/* polls on the other row, as last seen */
	/* --svg: per-queue load of the last HIST_MAX intervals */
	unsigned long long *hist;	/* nhist rows of hq queues */
	unsigned int hq, nhist;
};

#define HIST_MAX	720

static struct dev devs[VFMPRSS_MAX_SLOTS];
static unsigned int nslots, qmax, tmax;
static int ncpus;
static volatile sig_atomic_t stop;
static bool have_polltime;	/* fentry on __napi_poll */
static struct vfmprss_napiq *napiq;	/* napi_queue, mapped */
static unsigned int learn_gen;
static struct vfmprss_bpf *skel;
static int qfd, bfd, tfd, dfd;

static struct xdp_watch {
	unsigned int prog_id;
	struct vfmprss_xdp_bpf *skel;
	bool seen;
} xdps[MAX_XDP_PROGS];

const char *argp_program_version = "vfmprss 0.2";
const char *argp_program_bug_address = "https://github.com/vfmp/vfmp/issues";
static const char doc[] =
"Watch the RSS receive queues of any multi-queue netdev, per queue.\n"
"\n"
"USAGE: vfmprss [-d DEV]... [-T] [-j] [-b] [-g] [-P | -N] [-x] [-p [ADDR:]PORT]\n"
"               [interval] [count]\n"
"\n"
"EXAMPLES:\n"
"    vfmprss              # every netdev with RX queues, every second\n"
"    vfmprss -d eth0 5    # eth0, every 5 seconds\n"
"    vfmprss -d eth0 1 10 # eth0, ten one-second reports\n"
"    vfmprss -T -b -d eth0 # with time stamps and all indirection buckets\n"
"    vfmprss -j -d eth0   # JSON lines, one object per device and interval\n"
"    vfmprss -P -x -d eth0 # also NAPI poll times and XDP verdicts (costlier)\n"
"    vfmprss -N -d eth0   # frames only, no NAPI polls (cheapest)\n"
"    vfmprss -p 9436      # serve /metrics on 127.0.0.1:9436 (Prometheus)\n";

static const struct argp_option opts[] = {
	{ "dev", 'd', "DEV", 0, "Watch DEV (repeatable; default: every netdev with RX queues in this namespace)", 0 },
	{ "timestamp", 'T', NULL, 0, "Print a time stamp with each report", 0 },
	{ "json", 'j', NULL, 0, "JSON lines: one object per device and interval (schema: vfmprss(8))", 0 },
	{ "buckets", 'b', NULL, 0, "Show every indirection bucket that carried load", 0 },
	{ "gro", 'g', NULL, 0, "Also count frames after GRO (netif_receive_skb)", 0 },
	{ "poll-time", 'P', NULL, 0, "Also time each NAPI poll (costs a trampoline on __napi_poll per poll)", 0 },
	{ "no-napi", 'N', NULL, 0, "Frames only: no program on NAPI polls (no POLLS/s, WORK, FULL%), the cheapest mode", 0 },
	{ "xdp", 'x', NULL, 0, "Count the verdicts of the devices' XDP programs per queue (costs a trampoline per XDP frame)", 0 },
	{ "svg", 'S', "FILE", 0, "At exit, write an SVG heat map of per-queue load over time and of the table's buckets", 0 },
	{ "prometheus", 'p', "[ADDR:]PORT", 0, "Serve Prometheus metrics on http://ADDR:PORT/metrics (ADDR defaults to 127.0.0.1)", 0 },
	{ "verbose", 'v', NULL, 0, "Verbose debug output (libbpf)", 0 },
	{ NULL, 'h', NULL, OPTION_HIDDEN, "Show the full help", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	static int pos;
	char *end;

	switch (key) {
	case 'd':
		if (env.ndevs == MAX_DEV_ARGS)
			argp_error(state, "at most %d devices", MAX_DEV_ARGS);
		if (strlen(arg) >= IF_NAMESIZE)
			argp_error(state, "invalid device name: %s", arg);
		env.devs[env.ndevs++] = arg;
		break;
	case 'T':
		env.timestamp = true;
		break;
	case 'j':
		env.json = true;
		break;
	case 'b':
		env.all_buckets = true;
		break;
	case 'g':
		env.gro = true;
		break;
	case 'P':
		env.poll_time = true;
		break;
	case 'N':
		env.no_napi = true;
		break;
	case 'x':
		env.xdp = true;
		break;
	case 'S':
		env.svg = arg;
		break;
	case 'p':
		env.prom = arg;
		break;
	case 'v':
		env.verbose = true;
		break;
	case 'h':
		argp_state_help(state, stderr, ARGP_HELP_STD_HELP);
		break;
	case ARGP_KEY_END:
		if (env.poll_time && env.no_napi)
			argp_error(state, "-P times NAPI polls, -N leaves them out: use one");
		break;
	case ARGP_KEY_ARG:
		errno = 0;
		if (pos == 0) {
			env.interval = strtod(arg, &end);
			if (errno || *end || env.interval < 0.1 || env.interval > 3600)
				argp_error(state, "invalid interval (0.1 to 3600 s): %s", arg);
		} else if (pos == 1) {
			env.count = strtol(arg, &end, 10);
			if (errno || *end || env.count < 1)
				argp_error(state, "invalid count: %s", arg);
		} else {
			argp_error(state, "unrecognized positional argument: %s", arg);
		}
		pos++;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static int libbpf_print_fn(enum libbpf_print_level level, const char *format,
			   va_list args)
{
	if (level == LIBBPF_DEBUG && !env.verbose)
		return 0;
	return vfprintf(stderr, format, args);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static double ts_diff(const struct timespec *a, const struct timespec *b)
{
	return (a->tv_sec - b->tv_sec) + (a->tv_nsec - b->tv_nsec) / 1e9;
}

/* ---- the device: sysfs and ethtool ---------------------------------- */

static int sock_fd = -1;

static int ethtool_ioctl(const char *name, void *cmd)
{
	struct ifreq ifr = {};

	if (sock_fd < 0)
		sock_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock_fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_data = cmd;
	return ioctl(sock_fd, SIOCETHTOOL, &ifr) ? -errno : 0;
}

static unsigned int count_queues(const char *name, const char *prefix)
{
	char path[PATH_MAX];
	struct dirent *de;
	unsigned int n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/sys/class/net/%s/queues", name);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((de = readdir(dir)))
		n += !strncmp(de->d_name, prefix, strlen(prefix));
	closedir(dir);
	return n;
}

static bool is_loopback(const char *name)
{
	struct ifreq ifr = {};

	if (sock_fd < 0)
		sock_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	return !ioctl(sock_fd, SIOCGIFFLAGS, &ifr) && (ifr.ifr_flags & IFF_LOOPBACK);
}

/* Read the table (and its size, key size, hash function) from the device. */
static int read_table(struct dev *d)
{
	struct ethtool_rxfh hdr = { .cmd = ETHTOOL_GRSSH };
	struct ethtool_rxfh *rx;
	bool changed;
	int err;

	err = ethtool_ioctl(d->name, &hdr);
	if (err)
		goto fail;
	if (!hdr.indir_size) {
		err = -EOPNOTSUPP;
		goto fail;
	}
	rx = calloc(1, sizeof(*rx) + hdr.indir_size * 4 + hdr.key_size);
	if (!rx)
		return -ENOMEM;
	rx->cmd = ETHTOOL_GRSSH;
	rx->indir_size = hdr.indir_size;
	rx->key_size = hdr.key_size;
	err = ethtool_ioctl(d->name, rx);
	if (err) {
		free(rx);
		goto fail;
	}
	changed = d->tsize != rx->indir_size || !d->tbl ||
		  memcmp(d->tbl, rx->rss_config, rx->indir_size * 4);
	if (changed) {
		unsigned int *t = realloc(d->tbl, rx->indir_size * 4);

		if (!t) {
			free(rx);
			return -ENOMEM;
		}
		d->tbl = t;
		memcpy(d->tbl, rx->rss_config, rx->indir_size * 4);
		d->tchanged = d->tsize != 0;	/* not on the first read */
		d->tsize = rx->indir_size;
	}
	d->keylen = rx->key_size;
	d->hfunc = rx->hfunc;
	free(rx);
	d->terr = 0;
	return changed;
fail:
	d->terr = -err;
	if (d->tsize)
		d->tchanged = true;
	d->tsize = 0;
	return err;
}

static const char *hfunc_name(unsigned int h)
{
	switch (h) {
	case 1: return "toeplitz";
	case 2: return "xor";
	case 4: return "crc32";
	case 0: return "unknown";
	default: return "other";
	}
}

/* The device's devmap entry: watched, its table's size, NAPI learning. */
static void push_dev(int slot, struct dev *d)
{
	struct vfmprss_dev v = {
		.slot1 = slot + 1,
		.learn = d->learn,
		.table_size = d->tsize && d->tsize <= tmax ? d->tsize : 0,
	};

	bpf_map_update_elem(dfd, &d->ifindex, &v, BPF_ANY);
}

/* Copy the device's table to the BPF side (slot's part of table[]). */
static void push_table(int slot, struct dev *d)
{
	unsigned int i, k;

	if (d->tsize && d->tsize <= tmax) {
		for (i = 0; i < d->tsize; i++) {
			k = slot * tmax + i;
			bpf_map_update_elem(tfd, &k, &d->tbl[i], BPF_ANY);
		}
	} else if (d->tsize) {
		fprintf(stderr, "vfmprss: %s: table of %u entries is larger than the %u this run sized for: no bucket view\n",
			d->name, d->tsize, tmax);
	}
	push_dev(slot, d);
}

/*
 * NAPI instances: the BPF side learns the queue of an instance from the
 * frames its polls hand up, which costs a per-CPU write on every frame.
 * Once each RX queue of a device has its instance, learning stops; polls
 * it then cannot place (the other row grows: a channel change made new
 * instances) make it forget the device's instances and learn again.
 */
static void learn_again(int slot, struct dev *d)
{
	unsigned int i;

	for (i = 0; napiq && i < VFMPRSS_NAPI_SLOTS; i++)
		if (napiq[i].slot1 == (unsigned int)slot + 1)
			napiq[i].id = 0;
	if (++learn_gen == 0)	/* a learn value of 0 means "all learned" */
		learn_gen = 1;
	d->learn = learn_gen;
}

_Static_assert(sizeof(struct vfmprss_napiq) % 8 == 0,
	       "napi_queue is mapped: its values must fill the array's 8-byte stride");

static void napi_learning(void)
{
	size_t vsz = (sizeof(struct vfmprss_q) + 7) / 8 * 8;
	struct vfmprss_q *pc;
	unsigned char *seen;
	unsigned int i, k, n, nq;
	int c;

	if (!napiq || env.no_napi)
		return;
	pc = calloc(ncpus, vsz);
	seen = calloc(qmax, 1);
	for (i = 0; pc && seen && i < nslots; i++) {
		struct dev *d = &devs[i];
		unsigned long long polls = 0;

		if (!d->used)
			continue;
		k = i * (qmax + 1) + qmax;
		memset(pc, 0, ncpus * vsz);
		bpf_map_lookup_elem(qfd, &k, pc);
		for (c = 0; c < ncpus; c++)
			polls += ((struct vfmprss_q *)((char *)pc + c * vsz))->polls;
		if (polls != d->other_polls) {
			d->other_polls = polls;
			if (!d->learn) {
				learn_again(i, d);
				push_dev(i, d);
			}
			continue;
		}
		if (!d->learn)
			continue;
		nq = d->nrx < qmax ? d->nrx : qmax;
		memset(seen, 0, qmax);
		for (k = 0, n = 0; k < VFMPRSS_NAPI_SLOTS; k++)
			if (napiq[k].id && napiq[k].slot1 == i + 1 &&
			    napiq[k].queue < nq && !seen[napiq[k].queue]) {
				seen[napiq[k].queue] = 1;
				n++;
			}
		if (nq && n == nq) {
			d->learn = 0;
			push_dev(i, d);
		}
	}
	free(pc);
	free(seen);
}

static void dev_info(struct dev *d)
{
	struct ethtool_drvinfo di = { .cmd = ETHTOOL_GDRVINFO };

	if (!ethtool_ioctl(d->name, &di)) {
		snprintf(d->driver, sizeof(d->driver), "%s", di.driver);
		snprintf(d->bus, sizeof(d->bus), "%s", di.bus_info);
	}
	if (!d->driver[0])
		snprintf(d->driver, sizeof(d->driver), "-");
	d->nrx = count_queues(d->name, "rx-");
	d->ntx = count_queues(d->name, "tx-");
}

static int find_dev(unsigned int ifindex)
{
	unsigned int i;

	for (i = 0; i < nslots; i++)
		if (devs[i].used && devs[i].ifindex == ifindex)
			return i;
	return -1;
}

static void free_dev(struct dev *d)
{
	free(d->hist);
	free(d->tbl);
	free(d->last);
	free(d->lastcpu);
	free(d->lastb);
	free(d->bsum);
	memset(d, 0, sizeof(*d));
}

static bool sized;	/* qmax and tmax are final: buffers can be made */
static int alloc_bufs(struct dev *d);

static int add_dev(const char *name, unsigned int ifindex, bool quiet)
{
	struct dev *d = NULL;
	unsigned int i;

	for (i = 0; i < nslots; i++) {
		if (!devs[i].used) {
			d = &devs[i];
			break;
		}
	}
	if (!d) {
		if (!quiet)
			fprintf(stderr, "vfmprss: no free slot for %s (at most %u devices)\n",
				name, nslots);
		return -E2BIG;
	}
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->ifindex = ifindex;
	if (ifindex >= VFMPRSS_MAX_IFINDEX) {
		if (!quiet)
			fprintf(stderr, "vfmprss: %s: ifindex %u is beyond %u\n",
				name, ifindex, VFMPRSS_MAX_IFINDEX - 1);
		memset(d, 0, sizeof(*d));
		return -ERANGE;
	}
	dev_info(d);
	d->used = true;
	if (!env.no_napi)
		learn_again(i, d);
	d->other_polls = 0;
	if (sized && alloc_bufs(d)) {
		free_dev(d);
		return -ENOMEM;
	}
	clock_gettime(CLOCK_MONOTONIC, &d->t);
	return i;
}

/* Per-device buffers, once qmax and tmax are known. */
static int alloc_bufs(struct dev *d)
{
	d->last = calloc(qmax + 1, sizeof(*d->last));
	d->lastcpu = calloc((size_t)(qmax + 1) * ncpus, sizeof(*d->lastcpu));
	d->lastb = calloc(tmax, sizeof(*d->lastb));
	d->bsum = calloc(tmax, sizeof(*d->bsum));
	return d->last && d->lastcpu && d->lastb && d->bsum ? 0 : -ENOMEM;
}

/* Zero a slot's counters on the BPF side, so a new device starts at 0. */
static void clear_slot(unsigned int slot)
{
	size_t vsz = (sizeof(struct vfmprss_q) + 7) / 8 * 8;
	void *zero = calloc(ncpus, vsz > 8 ? vsz : 8);
	unsigned int i, k;

	if (!zero)
		return;
	for (i = 0; i <= qmax; i++) {
		k = slot * (qmax + 1) + i;
		bpf_map_update_elem(qfd, &k, zero, BPF_ANY);
	}
	for (i = 0; i < tmax; i++) {
		k = slot * tmax + i;
		bpf_map_update_elem(bfd, &k, zero, BPF_ANY);
	}
	free(zero);
}

/* The netdevs with RX queues in this namespace, loopback aside. */
static void scan_devs(bool initial)
{
	struct if_nameindex *ifs = if_nameindex(), *p;
	unsigned int i;

	for (i = 0; i < nslots; i++)
		devs[i].gone = devs[i].used;
	for (p = ifs; p && p->if_index; p++) {
		int s = find_dev(p->if_index);

		if (s >= 0) {
			devs[s].gone = false;
			if (strcmp(devs[s].name, p->if_name))
				snprintf(devs[s].name, sizeof(devs[s].name), "%s", p->if_name);
			continue;
		}
		if (is_loopback(p->if_name) || !count_queues(p->if_name, "rx-"))
			continue;
		s = add_dev(p->if_name, p->if_index, !initial);
		if (s < 0)
			continue;
		if (!initial) {
			clear_slot(s);
			read_table(&devs[s]);
			push_table(s, &devs[s]);
		}
	}
	if_freenameindex(ifs);
	for (i = 0; i < nslots; i++) {
		if (devs[i].used && devs[i].gone) {
			struct vfmprss_dev z = {};

			bpf_map_update_elem(dfd, &devs[i].ifindex, &z, BPF_ANY);
			free_dev(&devs[i]);
		}
	}
}

/* ---- XDP: one fexit per XDP program on a watched device -------------- */

static int xdp_func_name(int fd, char *name, size_t len)
{
	struct bpf_func_info fi = {};
	struct bpf_prog_info info = {};
	__u32 ilen = sizeof(info);
	const struct btf_type *t;
	struct btf *btf;

	info.nr_func_info = 1;
	info.func_info_rec_size = sizeof(fi);
	info.func_info = (unsigned long)&fi;
	if (bpf_obj_get_info_by_fd(fd, &info, &ilen))
		return -errno;
	if (!info.btf_id || !info.nr_func_info)
		return -ENOENT;
	btf = btf__load_from_kernel_by_id(info.btf_id);
	if (!btf)
		return -errno;
	t = btf__type_by_id(btf, fi.type_id);
	if (!t) {
		btf__free(btf);
		return -ENOENT;
	}
	snprintf(name, len, "%s", btf__name_by_offset(btf, t->name_off));
	btf__free(btf);
	return 0;
}

static void xdp_attach(unsigned int id, const char *devname)
{
	struct vfmprss_xdp_bpf *x;
	struct xdp_watch *w = NULL;
	char fname[128];
	int i, fd, err;

	for (i = 0; i < MAX_XDP_PROGS; i++) {
		if (xdps[i].prog_id == id) {
			xdps[i].seen = true;
			return;
		}
		if (!w && !xdps[i].prog_id)
			w = &xdps[i];
	}
	if (!w)
		return;
	w->prog_id = id;	/* also when it fails: try once */
	w->seen = true;
	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0)
		return;
	err = xdp_func_name(fd, fname, sizeof(fname));
	if (err) {
		fprintf(stderr, "vfmprss: %s: XDP program %u has no BTF: no XDP counts\n",
			devname, id);
		close(fd);
		return;
	}
	x = vfmprss_xdp_bpf__open();
	if (!x) {
		close(fd);
		return;
	}
	x->rodata->netns_ino = skel->rodata->netns_ino;
	x->rodata->qmax = qmax;
	bpf_map__reuse_fd(x->maps.devmap, dfd);
	bpf_map__set_max_entries(x->maps.qstats, nslots * (qmax + 1));
	bpf_map__reuse_fd(x->maps.qstats, qfd);
	bpf_program__set_attach_target(x->progs.xdp_verdict, fd, fname);
	err = vfmprss_xdp_bpf__load(x);
	if (!err)
		err = vfmprss_xdp_bpf__attach(x);
	close(fd);
	if (err) {
		fprintf(stderr, "vfmprss: %s: cannot attach to XDP program %u (%s): %s\n",
			devname, id, fname, strerror(-err));
		vfmprss_xdp_bpf__destroy(x);
		return;
	}
	w->skel = x;
	if (env.verbose)
		fprintf(stderr, "vfmprss: %s: counting verdicts of XDP program %u (%s)\n",
			devname, id, fname);
}

static void xdp_refresh(void)
{
	unsigned int i;
	int j;

	if (!env.xdp)
		return;
	for (j = 0; j < MAX_XDP_PROGS; j++)
		xdps[j].seen = false;
	for (i = 0; i < nslots; i++) {
		LIBBPF_OPTS(bpf_xdp_query_opts, q);

		if (!devs[i].used || bpf_xdp_query(devs[i].ifindex, 0, &q))
			continue;
		if (q.drv_prog_id)
			xdp_attach(q.drv_prog_id, devs[i].name);
		if (q.skb_prog_id)
			xdp_attach(q.skb_prog_id, devs[i].name);
	}
	for (j = 0; j < MAX_XDP_PROGS; j++) {
		if (xdps[j].prog_id && !xdps[j].seen) {
			vfmprss_xdp_bpf__destroy(xdps[j].skel);
			memset(&xdps[j], 0, sizeof(xdps[j]));
		}
	}
}

/* ---- reading the counters --------------------------------------------- */

struct qview {
	struct vfmprss_q d;	/* this interval */
	struct vfmprss_q tot;	/* since start */
	char cpus[128];		/* CPUs that served it this interval */
	int ncpu;
	int cpulist[64];
};

struct devview {
	double secs;
	struct qview *q;	/* nrx (or ntx, whichever is larger) + other */
	unsigned int nq;
	unsigned long long *bd;	/* bucket deltas, tsize */
	unsigned long long hashed, matched;
	/* imbalance over the queues the table uses (or all RX queues) */
	int busiest, idlest;
	double max_mean;
	/* suggestion */
	bool suggest;
	unsigned int w[VFMPRSS_MAX_QUEUES];
	unsigned int nw;
	double cur_pred, new_pred;
	unsigned int *tbl;	/* the table those weights make */
	unsigned int *entries;	/* table entries per queue */
};

static void add_q(struct vfmprss_q *a, const struct vfmprss_q *b, int sign)
{
	const unsigned long long *s = (const void *)b;
	unsigned long long *d = (void *)a;
	size_t i;

	for (i = 0; i < sizeof(*a) / 8; i++)
		d[i] += sign * s[i];
}

/*
 * Read a device's counters into @v.  COMMIT: this is the interval's read,
 * so remember the totals for the next one; a /metrics scrape only looks.
 */
static int read_dev(int slot, struct dev *d, struct devview *v, bool commit)
{
	size_t vsz = (sizeof(struct vfmprss_q) + 7) / 8 * 8;
	struct vfmprss_q *pc = calloc(ncpus, vsz);
	unsigned long long *pb = calloc(ncpus, 8);
	struct timespec now;
	unsigned int r, rows, k, b;
	int c;

	if (!pc || !pb) {
		free(pc);
		free(pb);
		return -ENOMEM;
	}
	clock_gettime(CLOCK_MONOTONIC, &now);
	v->secs = ts_diff(&now, &d->t);
	if (commit)
		d->t = now;
	v->nq = d->nrx > d->ntx ? d->nrx : d->ntx;
	if (v->nq > qmax)
		v->nq = qmax;
	rows = v->nq + 1;
	v->q = calloc(rows, sizeof(*v->q));
	v->bd = calloc(tmax, 8);
	v->entries = calloc(v->nq + 1, sizeof(*v->entries));
	if (!v->q || !v->bd || !v->entries) {
		free(pc);
		free(pb);
		return -ENOMEM;
	}
	for (r = 0; r < rows; r++) {
		unsigned int row = r < v->nq ? r : qmax;	/* last: other */
		struct qview *qv = &v->q[r];

		k = slot * (qmax + 1) + row;
		memset(pc, 0, ncpus * vsz);
		bpf_map_lookup_elem(qfd, &k, pc);
		for (c = 0; c < ncpus; c++) {
			struct vfmprss_q *x = (void *)((char *)pc + c * vsz);
			unsigned long long act = x->rx_packets + x->polls +
						 x->tx_packets;
			unsigned long long *la = &d->lastcpu[row * ncpus + c];

			add_q(&qv->tot, x, 1);
			if (act != *la) {
				if (qv->ncpu < 64)
					qv->cpulist[qv->ncpu] = c;
				qv->ncpu++;
				snprintf(qv->cpus + strlen(qv->cpus),
					 sizeof(qv->cpus) - strlen(qv->cpus),
					 "%s%d", qv->cpus[0] ? "," : "", c);
			}
			if (commit)
				*la = act;
		}
		qv->d = qv->tot;
		add_q(&qv->d, &d->last[row], -1);
		if (commit)
			d->last[row] = qv->tot;
		v->hashed += qv->d.rx_match + qv->d.rx_nomatch;
		v->matched += qv->d.rx_match;
	}
	if (d->tsize && d->tsize <= tmax) {
		for (b = 0; b < d->tsize; b++) {
			unsigned long long s = 0;

			k = slot * tmax + b;
			memset(pb, 0, ncpus * 8);
			bpf_map_lookup_elem(bfd, &k, pb);
			for (c = 0; c < ncpus; c++)
				s += pb[c];
			v->bd[b] = s - d->lastb[b];
			if (commit) {
				d->bsum[b] += v->bd[b];
				d->lastb[b] = s;
			}
			if (d->tbl[b] < v->nq)
				v->entries[d->tbl[b]]++;
		}
	}
	free(pc);
	free(pb);
	return 0;
}

/* ---- imbalance and the rebalance suggestion --------------------------- */

/*
 * The table `ethtool -X DEV weight W0 W1 ...` writes: queue i owns a run
 * of consecutive entries in proportion to Wi (ethtool's fill rule).
 */
static void weight_table(const unsigned int *w, unsigned int n,
			 unsigned int size, unsigned int *out)
{
	unsigned long long sum = 0, partial = 0;
	unsigned int i, j = 0;

	for (i = 0; i < n; i++)
		sum += w[i];
	for (i = 0; i < size; i++) {
		while (j < n && i >= size * partial / sum)
			partial += w[j++];
		out[i] = j - 1;
	}
}

static unsigned long long max_load(const unsigned long long *bl,
				   const unsigned int *tbl, unsigned int size,
				   unsigned int nq, unsigned long long *ql)
{
	unsigned long long mx = 0;
	unsigned int i;

	memset(ql, 0, nq * sizeof(*ql));
	for (i = 0; i < size; i++)
		if (tbl[i] < nq)
			ql[tbl[i]] += bl[i];
	for (i = 0; i < nq; i++)
		mx = ql[i] > mx ? ql[i] : mx;
	return mx;
}

static unsigned int gcd(unsigned int a, unsigned int b)
{
	while (b) {
		unsigned int t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/*
 * Search the weights whose table puts the least load on the busiest
 * queue, for the bucket loads seen since start: exhaustively for up to
 * four queues (weights 0..8), by steps of one weight for more.
 */
static void suggest(struct dev *d, struct devview *v)
{
	unsigned int n = v->nq < d->nrx ? v->nq : d->nrx, i, best_w[64], w[64];
	unsigned int *tbl = malloc(d->tsize * sizeof(*tbl));
	unsigned long long *ql = calloc(n ? n : 1, sizeof(*ql));
	unsigned long long total = 0, cur, best;

	if (!tbl || !ql || n < 2 || n > 64)
		goto out;
	for (i = 0; i < d->tsize; i++)
		total += d->bsum[i];
	if (total < 64)
		goto out;
	cur = max_load(d->bsum, d->tbl, d->tsize, n, ql);
	for (i = 0; i < n; i++)
		w[i] = best_w[i] = 1;
	weight_table(w, n, d->tsize, tbl);
	best = max_load(d->bsum, tbl, d->tsize, n, ql);
	if (n <= 4) {
		unsigned int lim = 9, combos = 1, c;

		for (i = 0; i < n; i++)
			combos *= lim;
		for (c = 0; c < combos; c++) {
			unsigned int x = c, any = 0;
			unsigned long long m;

			for (i = 0; i < n; i++) {
				w[i] = x % lim;
				x /= lim;
				any |= w[i];
			}
			if (!any)
				continue;
			weight_table(w, n, d->tsize, tbl);
			m = max_load(d->bsum, tbl, d->tsize, n, ql);
			if (m < best) {
				best = m;
				memcpy(best_w, w, n * sizeof(*w));
			}
		}
	} else {
		bool better = true;
		int rounds = 0;

		for (i = 0; i < n; i++)
			best_w[i] = 4;
		while (better && rounds++ < 64) {
			unsigned int j;
			int dlt;

			better = false;
			for (j = 0; j < n; j++) {
				for (dlt = -1; dlt <= 1; dlt += 2) {
					unsigned long long m;

					memcpy(w, best_w, n * sizeof(*w));
					if ((dlt < 0 && !w[j]) || (dlt > 0 && w[j] >= 32))
						continue;
					w[j] += dlt;
					weight_table(w, n, d->tsize, tbl);
					m = max_load(d->bsum, tbl, d->tsize, n, ql);
					if (m < best) {
						best = m;
						memcpy(best_w, w, n * sizeof(*w));
						better = true;
					}
				}
			}
		}
	}
	v->cur_pred = (double)cur * n / total;
	v->new_pred = (double)best * n / total;
	if (best < cur && v->new_pred < v->cur_pred * 0.95) {
		unsigned int g = 0;

		for (i = 0; i < n; i++)
			g = gcd(g, best_w[i]);
		for (i = 0; i < n; i++)
			v->w[i] = best_w[i] / (g ? g : 1);
		v->nw = n;
		v->tbl = malloc(d->tsize * sizeof(*v->tbl));
		if (v->tbl) {
			weight_table(v->w, n, d->tsize, v->tbl);
			v->suggest = true;
		}
	}
out:
	free(tbl);
	free(ql);
}

static void imbalance(struct dev *d, struct devview *v)
{
	unsigned long long mx = 0, mn = ~0ULL, tot = 0;
	unsigned int i, n = 0;

	v->busiest = v->idlest = -1;
	for (i = 0; i < v->nq && i < d->nrx; i++) {
		unsigned long long p = v->q[i].d.rx_packets +
				       v->q[i].d.xdp[0] + v->q[i].d.xdp[1] +
				       v->q[i].d.xdp[3] + v->q[i].d.xdp[4];

		/* queues the table never points to are not imbalance */
		if (d->tsize && !v->entries[i])
			continue;
		n++;
		tot += p;
		if (p > mx || v->busiest < 0) {
			mx = p;
			v->busiest = i;
		}
		if (p < mn || v->idlest < 0) {
			mn = p;
			v->idlest = i;
		}
	}
	v->max_mean = tot && n ? (double)mx * n / tot : 0;
	if (d->tsize && d->tsize <= tmax)
		suggest(d, v);
}

/* ---- output ----------------------------------------------------------- */

static void stamp(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(buf, len, "%H:%M:%S", &tm);
}

static void print_text(struct dev *d, struct devview *v)
{
	bool xdp = false, other;
	unsigned int i;
	double s = v->secs > 0 ? v->secs : 1;
	char ts[16];

	for (i = 0; i <= v->nq; i++)
		xdp |= v->q[i].tot.xdp[0] || v->q[i].tot.xdp[1] ||
		       v->q[i].tot.xdp[2] || v->q[i].tot.xdp[3] ||
		       v->q[i].tot.xdp[4];
	printf("\n");
	if (env.timestamp) {
		stamp(ts, sizeof(ts));
		printf("%s ", ts);
	}
	printf("%s (%s%s%s) %u rx / %u tx queues, %.2f s\n", d->name, d->driver,
	       d->bus[0] ? " " : "", d->bus, d->nrx, d->ntx, v->secs);
	if (d->tsize) {
		char share[32] = "-";

		if (v->hashed)
			snprintf(share, sizeof(share), "%.1f%%",
				 100.0 * v->matched / v->hashed);
		printf("  table %u, %s, key %u B%s; on table[hash %% %u]: %s\n",
		       d->tsize, hfunc_name(d->hfunc), d->keylen,
		       d->tchanged ? " (CHANGED)" : "", d->tsize, share);
		if (v->hashed && v->matched * 100 < v->hashed * 99)
			printf("  the device does not spread by this table\n");
	} else {
		printf("  no indirection table (%s)\n",
		       strerror(d->terr ? d->terr : EOPNOTSUPP));
	}
	printf("  QUEUE    RX/s  RXMB/s  L4%%  POLLS/s WORK  FULL%% POLLus    TX/s CPUS\n");
	for (i = 0; i <= v->nq; i++) {
		struct vfmprss_q *q = &v->q[i].d;

		other = i == v->nq;
		if (other && !q->rx_packets && !q->polls && !q->tx_packets)
			continue;
		if (other)
			printf("  %5s", "other");
		else
			printf("  %5u", i);
		printf(" %7.0f %7.2f %4.0f", q->rx_packets / s,
		       q->rx_bytes / s / 1e6,
		       q->rx_packets ? 100.0 * q->rx_l4 / q->rx_packets : 0.0);
		if (env.no_napi)
			printf(" %8s %4s %5s", "-", "-", "-");
		else
			printf(" %8.0f %4.1f %5.1f", q->polls / s,
			       q->polls ? (double)q->poll_work / q->polls : 0.0,
			       q->polls ? 100.0 * q->poll_full / q->polls : 0.0);
		if (have_polltime)
			printf(" %6.1f", q->polls ? q->poll_ns / 1e3 / q->polls : 0.0);
		else
			printf(" %6s", "-");
		printf(" %7.0f %s\n", q->tx_packets / s,
		       v->q[i].cpus[0] ? v->q[i].cpus : "-");
		if (xdp)
			printf("        xdp/s: pass %.0f drop %.0f tx %.0f redirect %.0f aborted %.0f\n",
			       q->xdp[2] / s, q->xdp[1] / s, q->xdp[3] / s,
			       q->xdp[4] / s, q->xdp[0] / s);
	}
	if (v->busiest >= 0 && v->max_mean > 0)
		printf("  imbalance: busiest queue %d, idlest %d, max/mean %.2f\n",
		       v->busiest, v->idlest, v->max_mean);
	if (v->suggest) {
		printf("  suggest: ethtool -X %s weight", d->name);
		for (i = 0; i < v->nw; i++)
			printf(" %u", v->w[i]);
		printf("\n           (busiest/mean %.2f -> %.2f for the load seen)\n",
		       v->cur_pred, v->new_pred);
	}
	if (d->tsize && d->tsize <= tmax) {
		unsigned long long tot = 0;
		unsigned int shown = 0, hit = 0, b, lim = env.all_buckets ? d->tsize : 8;
		bool *done = calloc(d->tsize, 1);

		for (b = 0; b < d->tsize; b++) {
			tot += v->bd[b];
			hit += v->bd[b] != 0;
		}
		if (tot && done) {
			printf("  buckets hit %u/%u; busiest (bucket:share->queue):", hit,
			       d->tsize);
			while (shown < lim) {
				unsigned long long m = 0;
				int mb = -1;

				for (b = 0; b < d->tsize; b++)
					if (!done[b] && v->bd[b] > m) {
						m = v->bd[b];
						mb = b;
					}
				if (mb < 0)
					break;
				done[mb] = true;
				printf("%s %d:%.0f%%->%u", shown % 6 ? "" : "\n   ", mb,
				       100.0 * m / tot, d->tbl[mb]);
				shown++;
			}
			printf("\n");
		}
		free(done);
	}
	d->tchanged = false;
}

static void json_q(FILE *f, const struct vfmprss_q *q)
{
	unsigned int a;

	fprintf(f, "\"rx_packets\":%llu,\"rx_bytes\":%llu,\"rx_l4_hashed\":%llu,"
		"\"rx_table_match\":%llu,\"rx_table_mismatch\":%llu",
		q->rx_packets, q->rx_bytes, q->rx_l4, q->rx_match, q->rx_nomatch);
	if (env.gro)
		fprintf(f, ",\"rx_gro_packets\":%llu", q->rx_gro);
	if (!env.no_napi)
		fprintf(f, ",\"polls\":%llu,\"poll_work\":%llu,\"poll_full\":%llu",
			q->polls, q->poll_work, q->poll_full);
	if (have_polltime)
		fprintf(f, ",\"poll_ns\":%llu", q->poll_ns);
	fprintf(f, ",\"tx_packets\":%llu,\"tx_bytes\":%llu,\"xdp\":{",
		q->tx_packets, q->tx_bytes);
	for (a = 0; a < VFMPRSS_XDP_ACTIONS; a++)
		fprintf(f, "%s\"%s\":%llu", a ? "," : "", xdp_names[a], q->xdp[a]);
	fprintf(f, "}");
}

static void print_json(struct dev *d, struct devview *v)
{
	struct timespec rt;
	unsigned int i, b;
	bool first;

	clock_gettime(CLOCK_REALTIME, &rt);
	printf("{\"ts\":%.3f,\"dev\":", rt.tv_sec + rt.tv_nsec / 1e9);
	json_fputs(stdout, d->name);
	printf(",\"ifindex\":%u,\"driver\":", d->ifindex);
	json_fputs(stdout, d->driver);
	printf(",\"bus\":");
	json_fputs(stdout, d->bus);
	printf(",\"interval_s\":%.6f,\"rx_queues\":%u,\"tx_queues\":%u,",
	       v->secs, d->nrx, d->ntx);
	printf("\"napi_learning\":%s,", d->learn ? "true" : "false");
	if (d->tsize) {
		printf("\"table\":{\"size\":%u,\"hfunc\":\"%s\",\"key_bytes\":%u,\"changed\":%s,\"entries_per_queue\":[",
		       d->tsize, hfunc_name(d->hfunc), d->keylen,
		       d->tchanged ? "true" : "false");
		for (i = 0; i < v->nq && i < d->nrx; i++)
			printf("%s%u", i ? "," : "", v->entries[i]);
		printf("],\"entries\":[");
		for (i = 0; i < d->tsize; i++)
			printf("%s%u", i ? "," : "", d->tbl[i]);
		printf("]},");
	} else {
		printf("\"table\":null,");
	}
	if (v->hashed)
		printf("\"queue_match\":%.4f,", (double)v->matched / v->hashed);
	else
		printf("\"queue_match\":null,");
	printf("\"hashed_packets\":%llu,\"queues\":[", v->hashed);
	for (i = 0; i < v->nq; i++) {
		struct qview *q = &v->q[i];
		int c;

		printf("%s{\"queue\":%u,", i ? "," : "", i);
		json_q(stdout, &q->d);
		printf(",\"cpus\":[");
		for (c = 0; c < q->ncpu && c < 64; c++)
			printf("%s%d", c ? "," : "", q->cpulist[c]);
		printf("]}");
	}
	printf("],\"other\":{");
	json_q(stdout, &v->q[v->nq].d);
	printf("},");
	if (v->busiest >= 0)
		printf("\"imbalance\":{\"busiest\":%d,\"idlest\":%d,\"max_mean\":%.4f},",
		       v->busiest, v->idlest, v->max_mean);
	else
		printf("\"imbalance\":null,");
	if (v->suggest) {
		printf("\"suggest\":{\"command\":\"ethtool -X %s weight", d->name);
		for (i = 0; i < v->nw; i++)
			printf(" %u", v->w[i]);
		printf("\",\"weights\":[");
		for (i = 0; i < v->nw; i++)
			printf("%s%u", i ? "," : "", v->w[i]);
		printf("],\"table\":[");
		for (i = 0; i < d->tsize; i++)
			printf("%s%u", i ? "," : "", v->tbl[i]);
		printf("],\"current_max_mean\":%.4f,\"predicted_max_mean\":%.4f},",
		       v->cur_pred, v->new_pred);
	} else {
		printf("\"suggest\":null,");
	}
	printf("\"buckets\":[");
	first = true;
	for (b = 0; d->tsize && d->tsize <= tmax && b < d->tsize; b++) {
		if (!v->bd[b])
			continue;
		printf("%s{\"bucket\":%u,\"packets\":%llu,\"queue\":%u}",
		       first ? "" : ",", b, v->bd[b], d->tbl[b]);
		first = false;
	}
	printf("]}\n");
	d->tchanged = false;
}

static void free_view(struct devview *v)
{
	free(v->tbl);
	free(v->q);
	free(v->bd);
	free(v->entries);
}

/* ---- --svg: the heat maps ------------------------------------------ */

/* the load of each RX queue this interval: to the stack, or taken by XDP */
static void record(struct dev *d, const struct devview *v)
{
	unsigned int q, nq = v->nq < d->nrx ? v->nq : d->nrx;

	if (!env.svg || !nq)
		return;
	if (!d->hist || d->hq != nq) {
		free(d->hist);
		d->hist = calloc((size_t)HIST_MAX * nq, sizeof(*d->hist));
		d->hq = nq;
		d->nhist = 0;
		if (!d->hist)
			return;
	}
	if (d->nhist == HIST_MAX) {
		memmove(d->hist, d->hist + nq, (HIST_MAX - 1) * nq * sizeof(*d->hist));
		d->nhist--;
	}
	for (q = 0; q < nq; q++) {
		const struct vfmprss_q *x = &v->q[q].d;

		d->hist[d->nhist * nq + q] = x->rx_packets + x->xdp[0] +
					     x->xdp[1] + x->xdp[3] + x->xdp[4];
	}
	d->nhist++;
}

static void svg_esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

/* white (0) to red (max) */
static void svg_cell(FILE *f, int x, int y, int w, int h,
		     unsigned long long v, unsigned long long max)
{
	int c = max ? (int)(255 - 255.0 * v / max) : 255;

	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"rgb(255,%d,%d)\"><title>%llu</title></rect>\n",
		x, y, w, h, c, c, v);
}

static int write_svg(const char *path)
{
	const int left = 70, cw = 6, ch = 14, bw = 12, per_row = 64;
	int y = 30, width = 900, height = 40;
	unsigned int i, q, t, b;
	FILE *f;

	for (i = 0; i < nslots; i++) {
		struct dev *d = &devs[i];

		if (!d->used)
			continue;
		height += 60 + d->hq * ch;
		if (d->tsize && d->tsize <= tmax)
			height += 40 + (d->tsize + per_row - 1) / per_row * bw;
		if (left + (int)d->nhist * cw + 20 > width)
			width = left + d->nhist * cw + 20;
	}
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"monospace\" font-size=\"11\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
		"<text x=\"10\" y=\"18\" font-size=\"14\">vfmprss: receive load per queue over time (%.3g s per column), and per indirection bucket</text>\n",
		width, height, env.interval);
	for (i = 0; i < nslots; i++) {
		struct dev *d = &devs[i];
		unsigned long long max = 0;

		if (!d->used)
			continue;
		for (t = 0; t < d->nhist * d->hq; t++)
			max = d->hist[t] > max ? d->hist[t] : max;
		y += 20;
		fprintf(f, "<text x=\"10\" y=\"%d\" font-size=\"13\">", y);
		svg_esc(f, d->name);
		fprintf(f, " (");
		svg_esc(f, d->driver);
		fprintf(f, "): frames per queue and interval, darkest = %llu</text>\n", max);
		y += 8;
		for (q = 0; q < d->hq; q++) {
			fprintf(f, "<text x=\"10\" y=\"%d\">queue %u</text>\n",
				y + q * ch + ch - 3, q);
			for (t = 0; t < d->nhist; t++)
				svg_cell(f, left + t * cw, y + q * ch, cw, ch,
					 d->hist[t * d->hq + q], max);
		}
		y += d->hq * ch + 20;
		if (!d->tsize || d->tsize > tmax)
			continue;
		max = 0;
		for (b = 0; b < d->tsize; b++)
			max = d->bsum[b] > max ? d->bsum[b] : max;
		fprintf(f, "<text x=\"10\" y=\"%d\">buckets (table[hash %% %u]) since start, with the queue each maps to; darkest = %llu frames</text>\n",
			y, d->tsize, max);
		y += 6;
		for (b = 0; b < d->tsize; b++) {
			int x = left + (b % per_row) * bw, by = y + (b / per_row) * bw;

			svg_cell(f, x, by, bw, bw, d->bsum[b], max);
			fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"8\">%u</text>\n",
				x + 3, by + bw - 3, d->tbl[b]);
		}
		y += (d->tsize + per_row - 1) / per_row * bw + 14;
	}
	fprintf(f, "</svg>\n");
	return fclose(f) ? -errno : 0;
}

/* Each interval: read every device; print unless only serving /metrics. */
static void report(bool print)
{
	unsigned int i;

	for (i = 0; i < nslots; i++) {
		struct devview v = {};
		struct dev *d = &devs[i];

		if (!d->used)
			continue;
		if (read_dev(i, d, &v, true)) {
			free_view(&v);
			continue;
		}
		imbalance(d, &v);
		record(d, &v);
		if (print && env.json)
			print_json(d, &v);
		else if (print)
			print_text(d, &v);
		free_view(&v);
	}
	fflush(stdout);
}

/* ---- Prometheus ------------------------------------------------------- */

static int prom_listen(const char *spec)
{
	char host[64] = "127.0.0.1";
	const char *port = spec, *colon = strrchr(spec, ':');
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6 };
	struct sockaddr_in a4 = { .sin_family = AF_INET };
	struct sockaddr *sa;
	socklen_t salen;
	int fd, one = 1, p;
	char *end;

	if (colon) {
		snprintf(host, sizeof(host), "%.*s", (int)(colon - spec), spec);
		if (host[0] == '[' && host[strlen(host) - 1] == ']') {
			memmove(host, host + 1, strlen(host));
			host[strlen(host) - 1] = '\0';
		}
		port = colon + 1;
	}
	p = strtol(port, &end, 10);
	if (*end || p < 1 || p > 65535) {
		fprintf(stderr, "vfmprss: invalid port in %s\n", spec);
		return -EINVAL;
	}
	if (inet_pton(AF_INET, host, &a4.sin_addr) == 1) {
		a4.sin_port = htons(p);
		sa = (struct sockaddr *)&a4;
		salen = sizeof(a4);
	} else if (inet_pton(AF_INET6, host, &a6.sin6_addr) == 1) {
		a6.sin6_port = htons(p);
		sa = (struct sockaddr *)&a6;
		salen = sizeof(a6);
	} else {
		fprintf(stderr, "vfmprss: %s is not an IPv4 or IPv6 address\n", host);
		return -EINVAL;
	}
	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, sa, salen))
		goto err;
	if (listen(fd, 16))
		goto err;
	return fd;
err:
	p = -errno;
	fprintf(stderr, "vfmprss: cannot listen on %s: %s\n", spec, strerror(errno));
	close(fd);
	return p;
}

struct metric {
	const char *name, *type, *help;
	size_t off;
	double scale;
};

#define QOFF(f) offsetof(struct vfmprss_q, f)
static const struct metric metrics[] = {
	{ "vfmprss_rx_packets_total", "counter", "Frames the driver handed to the stack, per RX queue", QOFF(rx_packets), 1 },
	{ "vfmprss_rx_bytes_total", "counter", "L2 bytes of those frames", QOFF(rx_bytes), 1 },
	{ "vfmprss_rx_l4_hashed_total", "counter", "Frames whose RSS hash covered the L4 ports", QOFF(rx_l4), 1 },
	{ "vfmprss_rx_table_match_total", "counter", "Hashed frames that arrived on table[hash % size]", QOFF(rx_match), 1 },
	{ "vfmprss_rx_table_mismatch_total", "counter", "Hashed frames that arrived on another queue", QOFF(rx_nomatch), 1 },
	{ "vfmprss_napi_polls_total", "counter", "NAPI polls of the queue", QOFF(polls), 1 },
	{ "vfmprss_napi_poll_work_total", "counter", "Frames those polls handled", QOFF(poll_work), 1 },
	{ "vfmprss_napi_full_polls_total", "counter", "Polls that used their whole budget", QOFF(poll_full), 1 },
	{ "vfmprss_napi_poll_seconds_total", "counter", "Time spent in those polls", QOFF(poll_ns), 1e-9 },
	{ "vfmprss_tx_packets_total", "counter", "Frames queued for transmission, per TX queue", QOFF(tx_packets), 1 },
	{ "vfmprss_tx_bytes_total", "counter", "Bytes of those frames", QOFF(tx_bytes), 1 },
};

static void prom_esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fprintf(f, "\\n");
		else
			fputc(*s, f);
	}
}

static void prom_labels(FILE *f, struct dev *d, int q)
{
	fprintf(f, "{dev=\"");
	prom_esc(f, d->name);
	fprintf(f, "\",driver=\"");
	prom_esc(f, d->driver);
	if (q >= 0)
		fprintf(f, "\",queue=\"%d\"", q);
	else
		fprintf(f, "\",queue=\"other\"");
}

static char *prom_render(size_t *len)
{
	struct devview views[VFMPRSS_MAX_SLOTS] = {};
	char *buf = NULL;
	unsigned int i, m, q, a;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	for (i = 0; i < nslots; i++) {
		if (devs[i].used && !read_dev(i, &devs[i], &views[i], false))
			imbalance(&devs[i], &views[i]);
		else
			free_view(&views[i]);
	}
	for (m = 0; m < sizeof(metrics) / sizeof(metrics[0]); m++) {
		if (!have_polltime && strstr(metrics[m].name, "seconds"))
			continue;
		if (env.no_napi && strstr(metrics[m].name, "_napi_"))
			continue;
		fprintf(f, "# HELP %s %s.\n# TYPE %s %s\n", metrics[m].name,
			metrics[m].help, metrics[m].name, metrics[m].type);
		for (i = 0; i < nslots; i++) {
			if (!devs[i].used || !views[i].q)
				continue;
			for (q = 0; q <= views[i].nq; q++) {
				const struct vfmprss_q *x = &views[i].q[q].tot;
				unsigned long long val = *(const unsigned long long *)((const char *)x + metrics[m].off);

				if (q == views[i].nq && !val)
					continue;
				fprintf(f, "%s", metrics[m].name);
				prom_labels(f, &devs[i], q < views[i].nq ? (int)q : -1);
				if (metrics[m].scale == 1)
					fprintf(f, "} %llu\n", val);
				else
					fprintf(f, "} %.9f\n", val * metrics[m].scale);
			}
		}
	}
	fprintf(f, "# HELP vfmprss_xdp_actions_total XDP verdicts per RX queue.\n# TYPE vfmprss_xdp_actions_total counter\n");
	for (i = 0; i < nslots; i++) {
		if (!devs[i].used || !views[i].q)
			continue;
		for (q = 0; q < views[i].nq; q++)
			for (a = 0; a < VFMPRSS_XDP_ACTIONS; a++) {
				fprintf(f, "vfmprss_xdp_actions_total");
				prom_labels(f, &devs[i], q);
				fprintf(f, ",action=\"%s\"} %llu\n", xdp_names[a],
					views[i].q[q].tot.xdp[a]);
			}
	}
	fprintf(f, "# HELP vfmprss_rss_table_entries Indirection table entries that point to the queue.\n# TYPE vfmprss_rss_table_entries gauge\n");
	for (i = 0; i < nslots; i++) {
		if (!devs[i].used || !views[i].q || !devs[i].tsize)
			continue;
		for (q = 0; q < views[i].nq && q < devs[i].nrx; q++) {
			fprintf(f, "vfmprss_rss_table_entries");
			prom_labels(f, &devs[i], q);
			fprintf(f, "} %u\n", views[i].entries[q]);
		}
	}
	fprintf(f, "# HELP vfmprss_rss_predicted_max_mean Busiest queue over the mean, from the bucket loads seen and the current table.\n# TYPE vfmprss_rss_predicted_max_mean gauge\n");
	for (i = 0; i < nslots; i++) {
		if (!devs[i].used || !views[i].q || !views[i].cur_pred)
			continue;
		fprintf(f, "vfmprss_rss_predicted_max_mean{dev=\"");
		prom_esc(f, devs[i].name);
		fprintf(f, "\"} %.4f\n", views[i].cur_pred);
	}
	for (i = 0; i < nslots; i++)
		free_view(&views[i]);
	fclose(f);
	return buf;
}

static void prom_serve(int lfd)
{
	struct timeval tv = { .tv_sec = 2 };
	char req[2048], hdr[256];
	const char *body;
	char *metrics_buf = NULL;
	size_t blen = 0;
	ssize_t n, got = 0;
	int c;

	c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return;
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (got < (ssize_t)sizeof(req) - 1) {
		n = read(c, req + got, sizeof(req) - 1 - got);
		if (n <= 0)
			break;
		got += n;
		req[got] = '\0';
		if (strstr(req, "\r\n\r\n") || strstr(req, "\n\n"))
			break;
	}
	req[got] = '\0';
	if (!strncmp(req, "GET /metrics ", 13) || !strncmp(req, "GET /metrics?", 13)) {
		metrics_buf = prom_render(&blen);
		body = metrics_buf ? metrics_buf : "";
		snprintf(hdr, sizeof(hdr), "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n", blen);
	} else {
		body = "vfmprss: see /metrics\n";
		blen = strlen(body);
		snprintf(hdr, sizeof(hdr), "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n", blen);
	}
	if (write(c, hdr, strlen(hdr)) > 0 && blen)
		(void)!write(c, body, blen);
	free(metrics_buf);
	close(c);
}

/* ---- main --------------------------------------------------------------- */

static unsigned int round_pow2(unsigned int x)
{
	unsigned int p = 1;

	while (p < x)
		p <<= 1;
	return p;
}

/* The BPF object, sized for this run; POLLS: with fentry on __napi_poll. */
static struct vfmprss_bpf *open_skel(unsigned int netns, bool polls)
{
	struct vfmprss_bpf *o = vfmprss_bpf__open();

	if (!o)
		return NULL;
	o->rodata->netns_ino = netns;
	o->rodata->qmax = qmax;
	o->rodata->tmax = tmax;
	o->rodata->poll_time = polls;
	bpf_map__set_max_entries(o->maps.qstats, nslots * (qmax + 1));
	bpf_map__set_max_entries(o->maps.buckets, nslots * tmax);
	bpf_map__set_max_entries(o->maps.table, nslots * tmax);
	bpf_program__set_autoload(o->progs.after_gro, env.gro);
	bpf_program__set_autoload(o->progs.poll_begin, polls);
	bpf_program__set_autoload(o->progs.napi_poll, !env.no_napi);
	return o;
}

int main(int argc, char **argv)
{
	static const struct argp argp = {
		.options = opts,
		.parser = parse_arg,
		.args_doc = "[interval] [count]",
		.doc = doc,
	};
	struct timespec next, now;
	unsigned int i, maxq = 1, maxt = 0;
	int err, lfd = -1;
	struct stat st;

	err = argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (err)
		return 2;
	libbpf_set_print(libbpf_print_fn);
	ncpus = libbpf_num_possible_cpus();
	if (ncpus < 1) {
		fprintf(stderr, "vfmprss: cannot count the CPUs\n");
		return 1;
	}
	if (stat("/proc/self/ns/net", &st)) {
		perror("vfmprss: /proc/self/ns/net");
		return 1;
	}

	/* the devices known now size the maps; later ones fill free slots */
	nslots = env.ndevs ? (unsigned int)env.ndevs : VFMPRSS_MAX_SLOTS;
	qmax = VFMPRSS_MAX_QUEUES;
	tmax = VFMPRSS_MAX_TABLE;
	if (env.ndevs) {
		for (i = 0; i < (unsigned int)env.ndevs; i++) {
			unsigned int ifi = if_nametoindex(env.devs[i]);

			if (!ifi) {
				fprintf(stderr, "vfmprss: no device %s in this network namespace\n",
					env.devs[i]);
				return 1;
			}
			if (find_dev(ifi) >= 0)
				continue;
			if (!count_queues(env.devs[i], "rx-")) {
				fprintf(stderr, "vfmprss: %s has no RX queues\n", env.devs[i]);
				return 1;
			}
			if (add_dev(env.devs[i], ifi, false) < 0)
				return 1;
		}
	} else {
		scan_devs(true);
	}
	for (i = 0; i < nslots; i++) {
		if (!devs[i].used)
			continue;
		read_table(&devs[i]);
		maxq = devs[i].nrx > maxq ? devs[i].nrx : maxq;
		maxq = devs[i].ntx > maxq ? devs[i].ntx : maxq;
		maxt = devs[i].tsize > maxt ? devs[i].tsize : maxt;
	}
	/* room for devices that appear later (no -d), within reason */
	if (!env.ndevs) {
		maxq = maxq < 16 ? 16 : maxq;
		maxt = maxt < 512 ? 512 : maxt;
	}
	qmax = maxq < VFMPRSS_MAX_QUEUES ? maxq : VFMPRSS_MAX_QUEUES;
	tmax = round_pow2(maxt ? maxt : 128);
	tmax = tmax < VFMPRSS_MAX_TABLE ? tmax : VFMPRSS_MAX_TABLE;
	sized = true;
	for (i = 0; i < nslots; i++) {
		if (devs[i].used && alloc_bufs(&devs[i])) {
			fprintf(stderr, "vfmprss: out of memory\n");
			return 1;
		}
	}

	/* -P: __napi_poll may be inlined: then run without poll times */
	for (have_polltime = env.poll_time;; have_polltime = false) {
		skel = open_skel(st.st_ino, have_polltime);
		if (!skel) {
			fprintf(stderr, "vfmprss: cannot open the BPF programs\n");
			return 1;
		}
		err = vfmprss_bpf__load(skel);
		if (!err || !have_polltime)
			break;
		vfmprss_bpf__destroy(skel);
	}
	if (err) {
		fprintf(stderr, "vfmprss: cannot load the BPF programs: %s\n",
			strerror(-err));
		goto out;
	}
	if (env.poll_time && !have_polltime)
		fprintf(stderr, "vfmprss: cannot trace __napi_poll: no poll times\n");
	qfd = bpf_map__fd(skel->maps.qstats);
	bfd = bpf_map__fd(skel->maps.buckets);
	tfd = bpf_map__fd(skel->maps.table);
	dfd = bpf_map__fd(skel->maps.devmap);
	napiq = mmap(NULL, VFMPRSS_NAPI_SLOTS * sizeof(*napiq), PROT_READ | PROT_WRITE,
		     MAP_SHARED, bpf_map__fd(skel->maps.napi_queue), 0);
	if (napiq == MAP_FAILED) {
		/* then frames keep noting their queue: it costs, it works */
		fprintf(stderr, "vfmprss: cannot map napi_queue (%s): NAPI learning stays on\n",
			strerror(errno));
		napiq = NULL;
	}
	for (i = 0; i < nslots; i++)
		if (devs[i].used)
			push_table(i, &devs[i]);
	err = vfmprss_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "vfmprss: cannot attach: %s\n", strerror(-err));
		goto out;
	}
	xdp_refresh();
	if (env.prom) {
		lfd = prom_listen(env.prom);
		if (lfd < 0) {
			err = lfd;
			goto out;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < nslots; i++)
		if (devs[i].used)
			clock_gettime(CLOCK_MONOTONIC, &devs[i].t);
	{
		unsigned int n = 0;

		for (i = 0; i < nslots; i++)
			n += devs[i].used;
		/* JSON keeps stdout for the records */
		fprintf(env.json ? stderr : stdout,
			"vfmprss: watching %u netdev(s)%s%s; Ctrl-C to stop\n", n,
			env.prom ? ", metrics on " : "", env.prom ? env.prom : "");
		fflush(env.json ? stderr : stdout);
	}
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!stop && env.count) {
		long ms;

		next.tv_sec += (time_t)env.interval;
		next.tv_nsec += (long)((env.interval - (time_t)env.interval) * 1e9);
		if (next.tv_nsec >= 1000000000L) {
			next.tv_sec++;
			next.tv_nsec -= 1000000000L;
		}
		for (;;) {
			struct pollfd pfd = { .fd = lfd, .events = POLLIN };

			clock_gettime(CLOCK_MONOTONIC, &now);
			ms = (long)(ts_diff(&next, &now) * 1000);
			if (ms <= 0 || stop)
				break;
			if (poll(&pfd, lfd >= 0, ms) > 0 && (pfd.revents & POLLIN))
				prom_serve(lfd);
		}
		if (stop)
			break;
		/* follow the devices: tables, new and removed netdevs, XDP */
		if (!env.ndevs)
			scan_devs(false);
		for (i = 0; i < nslots; i++) {
			if (!devs[i].used)
				continue;
			/* ethtool -L changes them */
			devs[i].nrx = count_queues(devs[i].name, "rx-");
			devs[i].ntx = count_queues(devs[i].name, "tx-");
			if (read_table(&devs[i]) != 0)
				push_table(i, &devs[i]);
		}
		xdp_refresh();
		napi_learning();
		report(!env.prom || env.json || env.verbose);
		if (env.count > 0)
			env.count--;
	}
	if (env.svg) {
		int e = write_svg(env.svg);

		if (e)
			fprintf(stderr, "vfmprss: cannot write %s: %s\n", env.svg,
				strerror(-e));
	}
out:
	for (i = 0; i < MAX_XDP_PROGS; i++)
		vfmprss_xdp_bpf__destroy(xdps[i].skel);
	if (napiq)
		munmap(napiq, VFMPRSS_NAPI_SLOTS * sizeof(*napiq));
	vfmprss_bpf__destroy(skel);
	if (lfd >= 0)
		close(lfd);
	for (i = 0; i < nslots; i++)
		free_dev(&devs[i]);
	return err ? 1 : 0;
}
