// SPDX-License-Identifier: GPL-2.0
/*
 * mbxstorm: a hostile VF for tests.  Writes mailbox messages into the
 * sim's debugfs vf_inject file, which queues each one to the PF as if VF
 * @vf had sent it; the real PF driver then handles them.
 *
 *   mbxstorm [-m flood|fuzz] [-o OPCODE] [-n COUNT] [-s SEED] [-c DIR]... INJECT VF
 *
 * flood: one valid request (VERSION, or the opcode given with -o), as fast
 *        as the PF takes them (the VF never reads the replies).
 * fuzz:  requests built from seeds (valid requests of every opcode, plus
 *        the unit fuzzer's corpus files given with -c, whose two control
 *        bytes are skipped) with 1-8 random mutations each, and one in 16
 *        entirely random.  The same seed gives the same messages.
 *
 * Prints one line: messages, bytes, seconds, rate.  Exit 0 when every
 * message was queued.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vfmp_mbx_proto.h"

#define MSG_MAX		VFMP_MBX_MAX_LEN
#define MAX_SEEDS	256
#define BATCH_BYTES	(60 * 1024)

struct seed {
	unsigned int len;
	unsigned char b[MSG_MAX];
};

static struct seed seeds[MAX_SEEDS];
static unsigned int nseeds;
static unsigned long long rng_state;

static unsigned long long rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static unsigned int rndn(unsigned int n)
{
	return n ? (unsigned int)(rnd() % n) : 0;
}

static void add_seed(const void *msg, unsigned int len)
{
	if (nseeds == MAX_SEEDS || !len || len > MSG_MAX)
		return;
	memcpy(seeds[nseeds].b, msg, len);
	seeds[nseeds++].len = len;
}

static void hdr(struct vfmp_mbx_hdr *h, unsigned int op, unsigned int len)
{
	memset(h, 0, sizeof(*h));
	h->opcode = op;		/* x86: little endian, as the wire */
	h->len = len;
	h->seq = 1;
}

static void builtin_seeds(void)
{
	struct vfmp_mbx_version v = {};
	struct vfmp_mbx_get_res_req g = {};
	struct vfmp_mbx_reset_vf x = {};
	struct vfmp_mbx_config_rss r = {};
	struct vfmp_mbx_set_mac m = {};
	unsigned int i;

	hdr(&v.hdr, VFMP_MBX_OP_VERSION, sizeof(v));
	v.major = VFMP_MBX_VERSION_MAJOR;
	v.minor = VFMP_MBX_VERSION_MINOR;
	add_seed(&v, sizeof(v));
	hdr(&g.hdr, VFMP_MBX_OP_GET_RESOURCES, sizeof(g));
	g.num_queue_pairs = 2;
	add_seed(&g, sizeof(g));
	hdr(&x.hdr, VFMP_MBX_OP_RESET_VF, sizeof(x));
	add_seed(&x, sizeof(x));
	hdr(&r.hdr, VFMP_MBX_OP_CONFIG_RSS, sizeof(r));
	r.num_queues = 2;
	r.key_len = VFMP_RSS_KEY_SIZE;
	r.indir_len = VFMP_RSS_INDIR_SIZE;
	r.hash_types = 0x3f;
	for (i = 0; i < VFMP_RSS_KEY_SIZE; i++)
		r.key[i] = (unsigned char)(i * 37 + 11);
	for (i = 0; i < VFMP_RSS_INDIR_SIZE; i++)
		r.indir[i] = i % 2;
	add_seed(&r, sizeof(r));
	hdr(&m.hdr, VFMP_MBX_OP_SET_MAC, sizeof(m));
	memcpy(m.mac, "\x02\x00\x00\x5e\x00\x53", 6);
	add_seed(&m, sizeof(m));
}

/* Files of the unit fuzzer's corpus: two control bytes, then a message. */
static void corpus_seeds(const char *dir)
{
	unsigned char b[MSG_MAX + 2];
	struct dirent *e;
	char path[4096];
	DIR *d = opendir(dir);
	size_t n;
	FILE *f;

	if (!d) {
		fprintf(stderr, "mbxstorm: %s: %s\n", dir, strerror(errno));
		exit(2);
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "rb");
		if (!f)
			continue;
		n = fread(b, 1, sizeof(b), f);
		fclose(f);
		if (n > 2)
			add_seed(b + 2, n - 2);
	}
	closedir(d);
}

static unsigned int mutate(unsigned char *b, unsigned int len)
{
	static const unsigned char interesting[] = { 0, 1, 0x7f, 0x80, 0xff };
	unsigned int k, n = 1 + rndn(8), o;
	const struct seed *s;

	for (k = 0; k < n; k++) {
		o = rndn(len);
		switch (rndn(9)) {
		case 0:	/* flip a bit */
			b[o] ^= 1u << rndn(8);
			break;
		case 1:	/* a random byte */
			b[o] = (unsigned char)rnd();
			break;
		case 2:	/* an edge value */
			b[o] = interesting[rndn(sizeof(interesting))];
			break;
		case 3:	/* the opcode, known or not */
			b[0] = (unsigned char)rndn(VFMP_MBX_OP_MAX + 2);
			b[1] = 0;
			break;
		case 4:	/* the header's length field */
			o = rndn(4) ? len + rndn(9) - 4 : rndn(0x10000);
			b[2] = o & 0xff;
			b[3] = o >> 8;
			break;
		case 5:	/* the flags */
			b[4] = (unsigned char)rndn(4);
			break;
		case 6:	/* truncate */
			len = 1 + rndn(len);
			break;
		case 7:	/* extend with random bytes */
			o = len + 1 + rndn(MSG_MAX - len + 1);
			if (o > MSG_MAX)
				o = MSG_MAX;
			while (len < o)
				b[len++] = (unsigned char)rnd();
			break;
		default: /* another seed's tail */
			s = &seeds[rndn(nseeds)];
			o = rndn(s->len);
			if (o < len) {
				memcpy(b + o, s->b + o, (s->len < len ? s->len : len) - o);
			}
			break;
		}
	}
	return len;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(void)
{
	fprintf(stderr,
		"usage: mbxstorm [-m flood|fuzz] [-o OPCODE] [-n COUNT] [-s SEED] [-c DIR]... INJECT VF\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static unsigned char batch[BATCH_BYTES + MSG_MAX + 4];
	unsigned long long count = 1000, sent = 0, bytes = 0, seed = 1;
	unsigned int vf, len, pos = 0, seq = 0;
	const char *mode = "fuzz";
	const struct seed *flood = NULL;
	unsigned int op = VFMP_MBX_OP_VERSION;
	double t0, dt;
	int opt, fd, fuzz;

	builtin_seeds();	/* first: -c cannot crowd them out */
	while ((opt = getopt(argc, argv, "m:o:n:s:c:")) != -1) {
		switch (opt) {
		case 'm':
			mode = optarg;
			break;
		case 'o':
			op = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'n':
			count = strtoull(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'c':
			corpus_seeds(optarg);
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	fuzz = !strcmp(mode, "fuzz");
	if (!fuzz && strcmp(mode, "flood"))
		usage();
	for (vf = 0; vf < nseeds && !flood; vf++)
		if (seeds[vf].b[0] == op && seeds[vf].b[1] == 0)
			flood = &seeds[vf];
	if (!fuzz && !flood) {
		fprintf(stderr, "mbxstorm: no request with opcode %u to flood\n", op);
		return 2;
	}
	vf = (unsigned int)strtoul(argv[optind + 1], NULL, 0);
	if (vf > 255)
		usage();
	fd = open(argv[optind], O_WRONLY);
	if (fd < 0) {
		fprintf(stderr, "mbxstorm: %s: %s\n", argv[optind], strerror(errno));
		return 2;
	}
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;

	t0 = now();
	while (sent < count) {
		unsigned char *b = batch + pos + 4;
		unsigned int i, n = 0;

		if (!fuzz) {
			memcpy(b, flood->b, flood->len);
			len = flood->len;
			b[8] = (unsigned char)++seq;	/* hdr.seq */
		} else if (!rndn(16)) {
			len = 1 + rndn(MSG_MAX);
			for (i = 0; i < len; i++)
				b[i] = (unsigned char)rnd();
		} else {
			const struct seed *s = &seeds[rndn(nseeds)];

			memcpy(b, s->b, s->len);
			len = mutate(b, s->len);
		}
		batch[pos] = (unsigned char)vf;
		batch[pos + 1] = 0;
		batch[pos + 2] = len & 0xff;
		batch[pos + 3] = len >> 8;
		pos += 4 + len;
		sent++;
		bytes += len;
		if (pos < BATCH_BYTES && sent < count)
			continue;
		while (n < pos) {
			ssize_t w = write(fd, batch + n, pos - n);

			if (w < 0) {
				fprintf(stderr, "mbxstorm: write after %llu messages: %s\n",
					sent, strerror(errno));
				return 1;
			}
			n += (unsigned int)w;
		}
		pos = 0;
	}
	dt = now() - t0;
	printf("mbxstorm: mode=%s vf=%u messages=%llu bytes=%llu seconds=%.2f rate=%.0f/s seeds=%u\n",
	       mode, vf, sent, bytes, dt, dt > 0 ? sent / dt : 0.0, nseeds);
	close(fd);
	return 0;
}
