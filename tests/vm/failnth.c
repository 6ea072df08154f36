// SPDX-License-Identifier: GPL-2.0
/*
 * failnth - run one driver operation with its Nth fault injected
 * (/proc/thread-self/fail-nth: the Nth failslab/fail_page_alloc site the
 * calling task reaches fails).  Everything the operation needs (file,
 * socket, BPF program) is set up first, so the count starts at the one
 * system call under test and ends right after it.
 *
 *   failnth N write PATH DATA        one write(2) of DATA to PATH
 *   failnth N channels DEV COMBINED  ethtool -L DEV combined COMBINED
 *   failnth N rings DEV RX TX        ethtool -G DEV rx RX tx TX
 *   failnth N xdp DEV OBJ PROG       attach PROG of OBJ as native XDP
 *   failnth N xdp-off DEV            detach DEV's native XDP program
 *   failnth N mac DEV ADDR           ip link set DEV address ADDR
 *   failnth N mtu DEV MTU            ip link set DEV mtu MTU
 *   failnth N rss DEV QUEUES         ethtool -X DEV equal QUEUES
 *
 * Prints "injected=0|1 left=K result=OK|ERRNO" and exits 0; 2 on a usage
 * or setup error.  injected=0 means the operation reached fewer than N
 * fault sites (N - K of them): a sweep N = 1, 2, ... ends there, and a run
 * with a large N counts the sites.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static int nth_fd = -1;

static void die(const char *what)
{
	fprintf(stderr, "failnth: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (write(nth_fd, buf, len) != len)
		die("write /proc/thread-self/fail-nth");
}

static unsigned int left;

/* Is a fault still pending (not injected)?  Disarms either way. */
static int pending(void)
{
	char buf[16] = "";
	ssize_t r;

	r = pread(nth_fd, buf, sizeof(buf) - 1, 0);
	arm(0);
	if (r <= 0)
		die("read /proc/thread-self/fail-nth");
	left = strtoul(buf, NULL, 10);
	return left != 0;
}

static const char *errname(int e)
{
	static char buf[16];
	const char *name = e ? strerrorname_np(e) : "OK";

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "E%d", e);	/* e.g. 517, EPROBE_DEFER */
	return buf;
}

static int ethtool(int fd, const char *dev, void *cmd)
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	ifr.ifr_data = cmd;
	return ioctl(fd, SIOCETHTOOL, &ifr) ? errno : 0;
}

int main(int argc, char **argv)
{
	unsigned int n;
	int err, injected;

	if (argc < 4) {
		fprintf(stderr, "usage: failnth N write|channels|rings|xdp|xdp-off ARGS...\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 0);
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (nth_fd < 0)
		die("/proc/thread-self/fail-nth (a kernel with CONFIG_FAULT_INJECTION)");

	if (!strcmp(argv[2], "write") && argc == 5) {
		size_t len = strlen(argv[4]);
		int fd = open(argv[3], O_WRONLY);

		if (fd < 0)
			die(argv[3]);
		arm(n);
		err = write(fd, argv[4], len) == (ssize_t)len ? 0 : errno;
		injected = !pending();
		close(fd);
	} else if (!strcmp(argv[2], "channels") && argc == 5) {
		struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };
		int fd = socket(AF_INET, SOCK_DGRAM, 0);

		if (fd < 0 || ethtool(fd, argv[3], &ch))
			die("ETHTOOL_GCHANNELS");
		ch.cmd = ETHTOOL_SCHANNELS;
		ch.combined_count = strtoul(argv[4], NULL, 0);
		arm(n);
		err = ethtool(fd, argv[3], &ch);
		injected = !pending();
		close(fd);
	} else if (!strcmp(argv[2], "rings") && argc == 6) {
		struct ethtool_ringparam rp = { .cmd = ETHTOOL_GRINGPARAM };
		int fd = socket(AF_INET, SOCK_DGRAM, 0);

		if (fd < 0 || ethtool(fd, argv[3], &rp))
			die("ETHTOOL_GRINGPARAM");
		rp.cmd = ETHTOOL_SRINGPARAM;
		rp.rx_pending = strtoul(argv[4], NULL, 0);
		rp.tx_pending = strtoul(argv[5], NULL, 0);
		arm(n);
		err = ethtool(fd, argv[3], &rp);
		injected = !pending();
		close(fd);
	} else if (!strcmp(argv[2], "xdp") && argc == 6) {
		int ifindex = if_nametoindex(argv[3]), pfd;
		struct bpf_object *obj;
		struct bpf_program *p;

		if (!ifindex)
			die(argv[3]);
		libbpf_set_print(NULL);
		obj = bpf_object__open_file(argv[4], NULL);
		if (!obj || bpf_object__load(obj))
			die(argv[4]);
		p = bpf_object__find_program_by_name(obj, argv[5]);
		if (!p)
			die(argv[5]);
		pfd = bpf_program__fd(p);
		arm(n);
		err = -bpf_xdp_attach(ifindex, pfd, XDP_FLAGS_DRV_MODE, NULL);
		injected = !pending();
		bpf_object__close(obj);
	} else if (!strcmp(argv[2], "xdp-off") && argc == 4) {
		int ifindex = if_nametoindex(argv[3]);

		if (!ifindex)
			die(argv[3]);
		arm(n);
		err = -bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
		injected = !pending();
	} else if ((!strcmp(argv[2], "mac") || !strcmp(argv[2], "mtu")) &&
		   argc == 5) {
		int fd = socket(AF_INET, SOCK_DGRAM, 0), mac = argv[2][1] == 'a';
		struct ifreq ifr = { 0 };
		unsigned char *a = (unsigned char *)ifr.ifr_hwaddr.sa_data;

		if (fd < 0)
			die("socket");
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[3]);
		if (mac) {
			ifr.ifr_hwaddr.sa_family = 1;	/* ARPHRD_ETHER */
			if (sscanf(argv[4], "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &a[0],
				   &a[1], &a[2], &a[3], &a[4], &a[5]) != 6) {
				fprintf(stderr, "failnth: bad MAC %s\n", argv[4]);
				return 2;
			}
		} else {
			ifr.ifr_mtu = atoi(argv[4]);
		}
		arm(n);
		err = ioctl(fd, mac ? SIOCSIFHWADDR : SIOCSIFMTU, &ifr) ? errno : 0;
		injected = !pending();
		close(fd);
	} else if (!strcmp(argv[2], "rss") && argc == 5) {
		struct ethtool_rxfh_indir g = { .cmd = ETHTOOL_GRXFHINDIR }, *t;
		int fd = socket(AF_INET, SOCK_DGRAM, 0);
		unsigned int i, q = strtoul(argv[4], NULL, 0);

		if (fd < 0 || ethtool(fd, argv[3], &g) || !q)
			die("ETHTOOL_GRXFHINDIR");
		t = calloc(1, sizeof(*t) + g.size * sizeof(t->ring_index[0]));
		if (!t)
			die("calloc");
		t->cmd = ETHTOOL_SRXFHINDIR;
		t->size = g.size;
		for (i = 0; i < g.size; i++)
			t->ring_index[i] = i % q;
		arm(n);
		err = ethtool(fd, argv[3], t);
		injected = !pending();
		free(t);
		close(fd);
	} else {
		fprintf(stderr, "failnth: bad arguments (see the top of tests/vm/failnth.c)\n");
		return 2;
	}
	printf("injected=%d left=%u result=%s\n", injected, left, errname(err));
	return 0;
}
