// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests: kmod/core/vfmp_rss.c. The Toeplitz hash against the
 * Microsoft "Verifying the RSS Hash Calculation" vectors, the frame parser
 * (run under ASan: every truncation is tried with an exact-size buffer),
 * hash-type selection, queue selection and the PF-side validator.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>

#include "vfmp_rss.h"

#define ALL	VFMP_RSS_HASH_ALL
#define V4	VFMP_RSS_HASH_IPV4
#define V4T	VFMP_RSS_HASH_TCP_IPV4
#define V4U	VFMP_RSS_HASH_UDP_IPV4
#define V6	VFMP_RSS_HASH_IPV6
#define V6T	VFMP_RSS_HASH_TCP_IPV6
#define V6U	VFMP_RSS_HASH_UDP_IPV6

/* Microsoft vectors: source, destination, hash IP only, hash with TCP. */
struct ms_vec {
	const char *src;
	u16 sport;
	const char *dst;
	u16 dport;
	u32 h_ip;
	u32 h_tcp;
};

static const struct ms_vec ms_v4[] = {
	{ "66.9.149.187", 2794, "161.142.100.80", 1766, 0x323e8fc2, 0x51ccc178 },
	{ "199.92.111.2", 14230, "65.69.140.83", 4739, 0xd718262a, 0xc626b0ea },
	{ "24.19.198.95", 12898, "12.22.207.184", 38024, 0xd2d0a5de, 0x5c2b394a },
	{ "38.27.205.30", 48228, "209.142.163.6", 2217, 0x82989176, 0xafc7327f },
	{ "153.39.163.191", 44251, "202.188.127.2", 1303, 0x5d1809c5, 0x10e828a2 },
};

static const struct ms_vec ms_v6[] = {
	{ "3ffe:2501:200:1fff::7", 2794, "3ffe:2501:200:3::1", 1766,
	  0x2cc18cd5, 0x40207d3d },
	{ "3ffe:501:8::260:97ff:fe40:efab", 14230, "ff02::1", 4739,
	  0x0f0c461c, 0xdde51bbf },
	{ "3ffe:1900:4545:3:200:f8ff:fe21:67cf", 44251,
	  "fe80::200:f8ff:fe21:67cf", 38024, 0x4b61e985, 0x02d1feef },
};

static const u8 *key = vfmp_rss_default_key;

/* ---- helpers ---------------------------------------------------------- */

static void put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void tuple_of(const struct ms_vec *v, bool ipv6, u8 proto,
		     struct vfmp_rss_tuple *t)
{
	memset(t, 0, sizeof(*t));
	t->is_ip = true;
	t->ipv6 = ipv6;
	t->l4proto = proto;
	t->sport = v->sport;
	t->dport = v->dport;
	assert_int_equal(inet_pton(ipv6 ? AF_INET6 : AF_INET, v->src, t->src), 1);
	assert_int_equal(inet_pton(ipv6 ? AF_INET6 : AF_INET, v->dst, t->dst), 1);
}

/* Independent bit-at-a-time Toeplitz: key bit i is key[i / 8] >> (7 - i % 8). */
static u32 naive_toeplitz(const u8 *k, size_t klen, const u8 *d, size_t n)
{
	u32 h = 0;
	size_t i, j;

	for (i = 0; i < n * 8; i++) {
		u32 w = 0;

		if (!((d[i / 8] >> (7 - i % 8)) & 1))
			continue;
		for (j = 0; j < 32; j++) {
			size_t b = i + j;
			u32 kb = b / 8 < klen ? (k[b / 8] >> (7 - b % 8)) & 1 : 0;

			w = w << 1 | kb;
		}
		h ^= w;
	}
	return h;
}

struct frame_spec {
	bool vlan;
	bool ipv6;
	u8 proto;
	u8 ihl;			/* IPv4 header words, 5..15 */
	u16 frag;		/* IPv4 flags/offset field */
	const struct vfmp_rss_tuple *t;
	size_t payload;		/* bytes after the L4 header */
};

/* Build an Ethernet frame; returns its length. buf must be >= 256 bytes. */
static size_t build_frame(u8 *buf, const struct frame_spec *s)
{
	size_t off = 12, l3, l4, l4len, i;

	memset(buf, 0, 256);
	for (i = 0; i < 12; i++)
		buf[i] = (u8)(0x10 + i);
	if (s->vlan) {
		put16(buf + off, VFMP_RSS_ETH_P_8021Q);
		put16(buf + off + 2, 0x0064);	/* VID 100 */
		off += 4;
	}
	put16(buf + off, s->ipv6 ? VFMP_RSS_ETH_P_IPV6 : VFMP_RSS_ETH_P_IP);
	l3 = off + 2;
	l4len = s->proto == VFMP_RSS_PROTO_TCP ? 20 :
		s->proto == VFMP_RSS_PROTO_UDP ? 8 : 8;	/* ICMP: 8 */
	if (s->ipv6) {
		buf[l3] = 0x60;
		put16(buf + l3 + 4, (u16)(l4len + s->payload));
		buf[l3 + 6] = s->proto;
		buf[l3 + 7] = 64;
		memcpy(buf + l3 + 8, s->t->src, 16);
		memcpy(buf + l3 + 24, s->t->dst, 16);
		l4 = l3 + 40;
	} else {
		u8 ihl = s->ihl ? s->ihl : 5;

		buf[l3] = 0x40 | ihl;
		put16(buf + l3 + 2, (u16)(ihl * 4 + l4len + s->payload));
		put16(buf + l3 + 4, 0x1234);
		put16(buf + l3 + 6, s->frag);
		buf[l3 + 8] = 64;
		buf[l3 + 9] = s->proto;
		memcpy(buf + l3 + 12, s->t->src, 4);
		memcpy(buf + l3 + 16, s->t->dst, 4);
		for (i = 20; i < ihl * 4u; i++)
			buf[l3 + i] = 0x01;	/* NOP options */
		l4 = l3 + ihl * 4;
	}
	if (s->proto == VFMP_RSS_PROTO_TCP || s->proto == VFMP_RSS_PROTO_UDP) {
		put16(buf + l4, s->t->sport);
		put16(buf + l4 + 2, s->t->dport);
	} else {
		buf[l4] = 8;	/* ICMP echo request */
	}
	for (i = 0; i < s->payload; i++)
		buf[l4 + l4len + i] = (u8)i;
	assert_true(l4 + l4len + s->payload <= 256);
	return l4 + l4len + s->payload;
}

/* Parse a copy of frame[0..len) in a buffer of exactly len bytes. */
static int parse_exact(const u8 *frame, size_t len, struct vfmp_rss_tuple *t)
{
	u8 *copy = malloc(len ? len : 1);
	int err;

	assert_non_null(copy);
	memcpy(copy, frame, len);
	err = vfmp_rss_parse(len ? copy : NULL, len, t);
	free(copy);
	return err;
}

static u16 select_exact(const u8 *indir, u32 types, const u8 *frame,
			size_t len, u32 *hash, enum vfmp_rss_htype *ht)
{
	u8 *copy = malloc(len ? len : 1);
	u16 q;

	assert_non_null(copy);
	memcpy(copy, frame, len);
	q = vfmp_rss_select(key, types, indir, VFMP_RSS_INDIR_SIZE, copy, len,
			    hash, ht);
	free(copy);
	return q;
}

static void assert_tuple_eq(const struct vfmp_rss_tuple *a,
			    const struct vfmp_rss_tuple *b)
{
	assert_int_equal(a->is_ip, b->is_ip);
	assert_int_equal(a->ipv6, b->ipv6);
	assert_int_equal(a->l4proto, b->l4proto);
	assert_int_equal(a->sport, b->sport);
	assert_int_equal(a->dport, b->dport);
	assert_int_equal(a->is_frag, b->is_frag);
	assert_int_equal(a->l4_trunc, b->l4_trunc);
	assert_memory_equal(a->src, b->src, 16);
	assert_memory_equal(a->dst, b->dst, 16);
}

/* ---- Toeplitz and the Microsoft vectors ------------------------------- */

static void test_default_key(void **state)
{
	static const u8 want[] = {
		0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
		0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
		0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
		0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
	};

	(void)state;
	assert_int_equal(sizeof(want), VFMP_RSS_KEY_SIZE);
	assert_memory_equal(vfmp_rss_default_key, want, VFMP_RSS_KEY_SIZE);
	assert_int_equal(VFMP_RSS_INDIR_SIZE, 128);
	assert_int_equal(VFMP_RSS_KEY_SIZE, 40);
}

static void check_ms(const struct ms_vec *v, bool ipv6)
{
	u32 ip_bit = ipv6 ? V6 : V4, tcp_bit = ipv6 ? V6T : V4T;
	enum vfmp_rss_htype ht;
	struct vfmp_rss_tuple t;
	size_t alen = ipv6 ? 16 : 4;
	u8 in[VFMP_RSS_INPUT_MAX];

	tuple_of(v, ipv6, VFMP_RSS_PROTO_TCP, &t);

	/* raw hash over the spec's byte string */
	memcpy(in, t.src, alen);
	memcpy(in + alen, t.dst, alen);
	put16(in + 2 * alen, v->sport);
	put16(in + 2 * alen + 2, v->dport);
	assert_int_equal(vfmp_toeplitz(key, VFMP_RSS_KEY_SIZE, in, 2 * alen),
			 v->h_ip);
	assert_int_equal(vfmp_toeplitz(key, VFMP_RSS_KEY_SIZE, in, 2 * alen + 4),
			 v->h_tcp);
	assert_int_equal(naive_toeplitz(key, VFMP_RSS_KEY_SIZE, in, 2 * alen),
			 v->h_ip);
	assert_int_equal(naive_toeplitz(key, VFMP_RSS_KEY_SIZE, in,
					2 * alen + 4), v->h_tcp);

	/* through the type selection */
	assert_int_equal(vfmp_rss_hash(key, ip_bit | tcp_bit, &t, &ht), v->h_tcp);
	assert_int_equal(ht, ipv6 ? VFMP_RSS_HT_TCP_IPV6 : VFMP_RSS_HT_TCP_IPV4);
	assert_int_equal(vfmp_rss_hash(key, ALL, &t, &ht), v->h_tcp);
	assert_int_equal(vfmp_rss_hash(key, tcp_bit, &t, &ht), v->h_tcp);
	assert_int_equal(vfmp_rss_hash(key, ip_bit, &t, &ht), v->h_ip);
	assert_int_equal(ht, ipv6 ? VFMP_RSS_HT_IPV6 : VFMP_RSS_HT_IPV4);
	/* the other family's bits do nothing */
	assert_int_equal(vfmp_rss_hash(key, ipv6 ? V4 | V4T | V4U :
				       V6 | V6T | V6U, &t, &ht), 0);
	assert_int_equal(ht, VFMP_RSS_HT_NONE);
	/* UDP with the same addresses/ports hashes alike under UDP types */
	t.l4proto = VFMP_RSS_PROTO_UDP;
	assert_int_equal(vfmp_rss_hash(key, ALL, &t, &ht), v->h_tcp);
	assert_int_equal(ht, ipv6 ? VFMP_RSS_HT_UDP_IPV6 : VFMP_RSS_HT_UDP_IPV4);
	assert_int_equal(vfmp_rss_hash(key, ip_bit | tcp_bit, &t, &ht), v->h_ip);
	/* a fragment never uses ports */
	t.l4proto = VFMP_RSS_PROTO_TCP;
	t.is_frag = true;
	assert_int_equal(vfmp_rss_hash(key, ALL, &t, &ht), v->h_ip);
	assert_int_equal(vfmp_rss_hash(key, tcp_bit, &t, &ht), 0);
	assert_int_equal(ht, VFMP_RSS_HT_NONE);
}

static void test_ms_ipv4(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ms_v4); i++)
		check_ms(&ms_v4[i], false);
}

static void test_ms_ipv6(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ms_v6); i++)
		check_ms(&ms_v6[i], true);
}

static void test_toeplitz_vs_naive(void **state)
{
	u8 k[VFMP_RSS_KEY_SIZE], d[VFMP_RSS_INPUT_MAX + 8];
	size_t klen, n, i;
	int iter;

	(void)state;
	srand(12345);
	for (iter = 0; iter < 2000; iter++) {
		for (i = 0; i < sizeof(k); i++)
			k[i] = (u8)rand();
		for (i = 0; i < sizeof(d); i++)
			d[i] = (u8)rand();
		klen = (size_t)rand() % (sizeof(k) + 1);
		n = (size_t)rand() % (sizeof(d) + 1);
		assert_int_equal(vfmp_toeplitz(k, klen, d, n),
				 naive_toeplitz(k, klen, d, n));
	}
	/* empty input, empty key */
	assert_int_equal(vfmp_toeplitz(key, VFMP_RSS_KEY_SIZE, d, 0), 0);
	assert_int_equal(vfmp_toeplitz(NULL, 0, d, 12), 0);
	/* one set bit selects one key window */
	memset(d, 0, sizeof(d));
	d[0] = 0x80;
	assert_int_equal(vfmp_toeplitz(key, VFMP_RSS_KEY_SIZE, d, 1), 0x6d5a56da);
	d[0] = 0x01;
	assert_int_equal(vfmp_toeplitz(key, VFMP_RSS_KEY_SIZE, d, 1),
			 (u32)(0x6d5a56da255bULL >> 9) & 0xffffffffu);
}

/* ---- frames ----------------------------------------------------------- */

static void check_frame(const struct ms_vec *v, bool ipv6, bool vlan,
			u8 proto, u8 ihl)
{
	struct vfmp_rss_tuple want, got;
	struct frame_spec s = { .vlan = vlan, .ipv6 = ipv6, .proto = proto,
				.ihl = ihl, .payload = 10 };
	enum vfmp_rss_htype ht;
	u8 frame[256], indir[VFMP_RSS_INDIR_SIZE];
	u32 h;
	size_t len;
	u16 q;

	tuple_of(v, ipv6, proto, &want);
	s.t = &want;
	len = build_frame(frame, &s);
	assert_int_equal(parse_exact(frame, len, &got), 0);
	assert_tuple_eq(&got, &want);
	assert_int_equal(vfmp_rss_hash(key, ALL, &got, &ht),
			 vfmp_rss_hash(key, ALL, &want, NULL));
	assert_int_equal(vfmp_rss_hash(key, ALL, &got, &ht), v->h_tcp);

	vfmp_rss_default_indir(indir, sizeof(indir), 8);
	q = select_exact(indir, ALL, frame, len, &h, &ht);
	assert_int_equal(h, v->h_tcp);
	assert_int_equal(q, (v->h_tcp & 127) % 8);
	q = select_exact(indir, ipv6 ? V6 : V4, frame, len, &h, &ht);
	assert_int_equal(h, v->h_ip);
	assert_int_equal(ht, ipv6 ? VFMP_RSS_HT_IPV6 : VFMP_RSS_HT_IPV4);
	assert_int_equal(q, indir[v->h_ip & 127]);
}

static void test_frames_ms(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(ms_v4); i++) {
		check_frame(&ms_v4[i], false, false, VFMP_RSS_PROTO_TCP, 5);
		check_frame(&ms_v4[i], false, true, VFMP_RSS_PROTO_TCP, 5);
		check_frame(&ms_v4[i], false, false, VFMP_RSS_PROTO_UDP, 5);
		check_frame(&ms_v4[i], false, true, VFMP_RSS_PROTO_UDP, 15);
		check_frame(&ms_v4[i], false, false, VFMP_RSS_PROTO_TCP, 6);
	}
	for (i = 0; i < ARRAY_SIZE(ms_v6); i++) {
		check_frame(&ms_v6[i], true, false, VFMP_RSS_PROTO_TCP, 0);
		check_frame(&ms_v6[i], true, true, VFMP_RSS_PROTO_TCP, 0);
		check_frame(&ms_v6[i], true, false, VFMP_RSS_PROTO_UDP, 0);
	}
}

/*
 * Every prefix of a frame, in an exact-size buffer: below the end of the IP
 * header it is not IP; up to the end of the ports it is IP with l4_trunc;
 * from there on it is the full tuple.
 */
static void check_truncations(const struct frame_spec *s, size_t ip_end,
			      size_t ports_end)
{
	struct vfmp_rss_tuple want, got;
	enum vfmp_rss_htype ht;
	u8 frame[256], indir[VFMP_RSS_INDIR_SIZE];
	size_t len, n;
	u32 h;
	u16 q;

	len = build_frame(frame, s);
	assert_int_equal(parse_exact(frame, len, &want), 0);
	vfmp_rss_default_indir(indir, sizeof(indir), 4);
	for (n = 0; n <= len; n++) {
		int err = parse_exact(frame, n, &got);

		q = select_exact(indir, ALL, frame, n, &h, &ht);
		if (n < ip_end) {
			assert_int_equal(err, -EINVAL);
			assert_false(got.is_ip);
			assert_int_equal(q, 0);
			assert_int_equal(h, 0);
			assert_int_equal(ht, VFMP_RSS_HT_NONE);
		} else if (n < ports_end) {
			assert_int_equal(err, 0);
			assert_true(got.is_ip);
			assert_true(got.l4_trunc);
			assert_int_equal(got.sport, 0);
			assert_false(vfmp_rss_htype_is_l4(ht));
			assert_int_equal(ht, s->ipv6 ? VFMP_RSS_HT_IPV6 :
						       VFMP_RSS_HT_IPV4);
		} else {
			assert_int_equal(err, 0);
			assert_tuple_eq(&got, &want);
			assert_true(vfmp_rss_htype_is_l4(ht));
		}
	}
}

static void test_truncation(void **state)
{
	struct vfmp_rss_tuple t;
	struct frame_spec s = { .proto = VFMP_RSS_PROTO_TCP, .t = &t,
				.payload = 4 };

	(void)state;
	tuple_of(&ms_v4[0], false, VFMP_RSS_PROTO_TCP, &t);
	check_truncations(&s, 14 + 20, 14 + 24);
	s.vlan = true;
	check_truncations(&s, 18 + 20, 18 + 24);
	s.ihl = 15;
	check_truncations(&s, 18 + 60, 18 + 64);
	s.vlan = false;
	s.proto = VFMP_RSS_PROTO_UDP;
	t.l4proto = VFMP_RSS_PROTO_UDP;
	check_truncations(&s, 14 + 60, 14 + 64);

	tuple_of(&ms_v6[1], true, VFMP_RSS_PROTO_TCP, &t);
	s.ipv6 = true;
	s.ihl = 0;
	s.proto = VFMP_RSS_PROTO_TCP;
	check_truncations(&s, 14 + 40, 14 + 44);
	s.vlan = true;
	s.proto = VFMP_RSS_PROTO_UDP;
	t.l4proto = VFMP_RSS_PROTO_UDP;
	check_truncations(&s, 18 + 40, 18 + 44);
}

static void test_vlan(void **state)
{
	struct vfmp_rss_tuple t, got;
	struct frame_spec s = { .vlan = true, .proto = VFMP_RSS_PROTO_TCP,
				.t = &t };
	u8 frame[256];
	size_t len;

	(void)state;
	tuple_of(&ms_v4[2], false, VFMP_RSS_PROTO_TCP, &t);
	len = build_frame(frame, &s);
	assert_int_equal(parse_exact(frame, len, &got), 0);
	assert_tuple_eq(&got, &t);
	assert_int_equal(vfmp_rss_hash(key, ALL, &got, NULL), ms_v4[2].h_tcp);

	/* a second tag (QinQ) is not parsed */
	memmove(frame + 16, frame + 12, len - 12);
	put16(frame + 12, VFMP_RSS_ETH_P_8021Q);
	put16(frame + 14, 0x0005);
	assert_int_equal(parse_exact(frame, len + 4, &got), -EINVAL);
	assert_false(got.is_ip);

	/* 802.1ad outer tag: not one of ours */
	build_frame(frame, &s);
	put16(frame + 12, 0x88a8);
	assert_int_equal(parse_exact(frame, len, &got), -EINVAL);
}

static void test_ipv4_options(void **state)
{
	struct vfmp_rss_tuple t, got;
	struct frame_spec s = { .proto = VFMP_RSS_PROTO_TCP, .t = &t };
	u8 frame[256];
	size_t len;
	u8 ihl;

	(void)state;
	tuple_of(&ms_v4[3], false, VFMP_RSS_PROTO_TCP, &t);
	for (ihl = 5; ihl <= 15; ihl++) {
		s.ihl = ihl;
		len = build_frame(frame, &s);
		assert_int_equal(parse_exact(frame, len, &got), 0);
		assert_tuple_eq(&got, &t);
		assert_int_equal(vfmp_rss_hash(key, ALL, &got, NULL),
				 ms_v4[3].h_tcp);
	}
	/* ihl < 5 is malformed */
	s.ihl = 5;
	len = build_frame(frame, &s);
	for (ihl = 0; ihl < 5; ihl++) {
		frame[14] = 0x40 | ihl;
		assert_int_equal(parse_exact(frame, len, &got), -EINVAL);
	}
	/* wrong version */
	frame[14] = 0x65;
	assert_int_equal(parse_exact(frame, len, &got), -EINVAL);
	/* total length shorter than the header */
	frame[14] = 0x45;
	put16(frame + 16, 19);
	assert_int_equal(parse_exact(frame, len, &got), -EINVAL);
	/* total length that ends inside the ports: Ethernet padding ignored */
	put16(frame + 16, 22);
	assert_int_equal(parse_exact(frame, len, &got), 0);
	assert_true(got.l4_trunc);
	assert_int_equal(vfmp_rss_hash(key, ALL, &got, NULL), ms_v4[3].h_ip);
	put16(frame + 16, 24);
	assert_int_equal(parse_exact(frame, len, &got), 0);
	assert_false(got.l4_trunc);
	/* total length past the frame: the frame bounds the parse */
	put16(frame + 16, 0xffff);
	assert_int_equal(parse_exact(frame, 14 + 22, &got), 0);
	assert_true(got.l4_trunc);
}

static void test_fragments(void **state)
{
	static const u16 frags[] = { 0x2000, 0x0001, 0x2001, 0x1fff, 0x3fff };
	struct vfmp_rss_tuple t, got;
	struct frame_spec s = { .proto = VFMP_RSS_PROTO_TCP, .t = &t };
	enum vfmp_rss_htype ht;
	u8 frame[256], indir[VFMP_RSS_INDIR_SIZE];
	size_t len, i;
	u32 h;

	(void)state;
	vfmp_rss_default_indir(indir, sizeof(indir), 16);
	tuple_of(&ms_v4[1], false, VFMP_RSS_PROTO_TCP, &t);
	for (i = 0; i < ARRAY_SIZE(frags); i++) {
		s.frag = frags[i];
		len = build_frame(frame, &s);
		assert_int_equal(parse_exact(frame, len, &got), 0);
		assert_true(got.is_frag);
		assert_int_equal(got.sport, 0);
		assert_int_equal(got.dport, 0);
		select_exact(indir, ALL, frame, len, &h, &ht);
		assert_int_equal(h, ms_v4[1].h_ip);
		assert_int_equal(ht, VFMP_RSS_HT_IPV4);
		/* only the L4 type enabled: a fragment gets no hash */
		assert_int_equal(select_exact(indir, V4T, frame, len, &h, &ht), 0);
		assert_int_equal(ht, VFMP_RSS_HT_NONE);
		/* a fragment needs only the IP header */
		assert_int_equal(parse_exact(frame, 14 + 20, &got), 0);
		assert_true(got.is_frag);
	}
	/* DF is not a fragment */
	s.frag = 0x4000;
	len = build_frame(frame, &s);
	assert_int_equal(parse_exact(frame, len, &got), 0);
	assert_false(got.is_frag);
	assert_int_equal(vfmp_rss_hash(key, ALL, &got, NULL), ms_v4[1].h_tcp);

	/* IPv6 Fragment header: 2-tuple */
	tuple_of(&ms_v6[0], true, VFMP_RSS_PROTO_TCP, &t);
	s.ipv6 = true;
	s.frag = 0;
	len = build_frame(frame, &s);
	frame[14 + 6] = VFMP_RSS_PROTO_V6FRAG;
	assert_int_equal(parse_exact(frame, len, &got), 0);
	assert_true(got.is_frag);
	assert_int_equal(got.l4proto, VFMP_RSS_PROTO_V6FRAG);
	select_exact(indir, ALL, frame, len, &h, &ht);
	assert_int_equal(h, ms_v6[0].h_ip);
	assert_int_equal(ht, VFMP_RSS_HT_IPV6);
	/* other extension header (hop-by-hop): 2-tuple, not a fragment */
	frame[14 + 6] = 0;
	assert_int_equal(parse_exact(frame, len, &got), 0);
	assert_false(got.is_frag);
	select_exact(indir, ALL, frame, len, &h, &ht);
	assert_int_equal(h, ms_v6[0].h_ip);
}

static void test_non_ip(void **state)
{
	/* ARP request, padded to 60 bytes */
	u8 arp[60] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x52, 0x54, 0x00, 0x12,
		0x34, 0x56, 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04,
		0x00, 0x01, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56, 0x0a, 0x00,
		0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00,
		0x00, 0x02,
	};
	struct vfmp_rss_tuple got;
	enum vfmp_rss_htype ht = VFMP_RSS_HT_TCP_IPV4;
	u8 indir[VFMP_RSS_INDIR_SIZE];
	u32 h = 0xdeadbeef;

	(void)state;
	memset(indir, 3, sizeof(indir));
	memset(&got, 0xa5, sizeof(got));
	assert_int_equal(parse_exact(arp, sizeof(arp), &got), -EINVAL);
	assert_false(got.is_ip);
	assert_int_equal(got.l4proto, 0);
	assert_int_equal(select_exact(indir, ALL, arp, sizeof(arp), &h, &ht), 0);
	assert_int_equal(h, 0);
	assert_int_equal(ht, VFMP_RSS_HT_NONE);
	/* VLAN-tagged ARP */
	memmove(arp + 16, arp + 12, sizeof(arp) - 16);
	put16(arp + 12, VFMP_RSS_ETH_P_8021Q);
	put16(arp + 14, 7);
	assert_int_equal(select_exact(indir, ALL, arp, sizeof(arp), &h, &ht), 0);
	assert_int_equal(ht, VFMP_RSS_HT_NONE);
	/* NULL frame and the NULL out-parameters */
	assert_int_equal(vfmp_rss_parse(NULL, 100, &got), -EINVAL);
	assert_int_equal(vfmp_rss_select(key, ALL, indir, VFMP_RSS_INDIR_SIZE,
					 NULL, 0, NULL, NULL), 0);
}

static void test_l4_protos(void **state)
{
	const struct ms_vec *v = &ms_v4[4];
	struct vfmp_rss_tuple t, got;
	struct frame_spec s = { .t = &t, .payload = 30 };
	enum vfmp_rss_htype ht;
	u8 frame[256], indir[VFMP_RSS_INDIR_SIZE];
	size_t len;
	u32 h;

	(void)state;
	vfmp_rss_default_indir(indir, sizeof(indir), 4);

	/* TCP */
	s.proto = VFMP_RSS_PROTO_TCP;
	tuple_of(v, false, s.proto, &t);
	len = build_frame(frame, &s);
	select_exact(indir, ALL, frame, len, &h, &ht);
	assert_int_equal(ht, VFMP_RSS_HT_TCP_IPV4);
	assert_int_equal(h, v->h_tcp);
	select_exact(indir, V4 | V4U, frame, len, &h, &ht);
	assert_int_equal(ht, VFMP_RSS_HT_IPV4);
	assert_int_equal(h, v->h_ip);
	assert_int_equal(select_exact(indir, V4U | V6 | V6T, frame, len, &h,
				      &ht), 0);
	assert_int_equal(ht, VFMP_RSS_HT_NONE);
	assert_int_equal(h, 0);

	/* UDP */
	s.proto = VFMP_RSS_PROTO_UDP;
	tuple_of(v, false, s.proto, &t);
	len = build_frame(frame, &s);
	select_exact(indir, ALL, frame, len, &h, &ht);
	assert_int_equal(ht, VFMP_RSS_HT_UDP_IPV4);
	assert_int_equal(h, v->h_tcp);
	select_exact(indir, V4 | V4T, frame, len, &h, &ht);
	assert_int_equal(ht, VFMP_RSS_HT_IPV4);
	assert_int_equal(h, v->h_ip);
	select_exact(indir, V4U, frame, len, &h, &ht);
	assert_int_equal(ht, VFMP_RSS_HT_UDP_IPV4);

	/* ICMP: addresses only, whatever the L4 bits */
	s.proto = 1;
	tuple_of(v, false, s.proto, &t);
	t.sport = 0;
	t.dport = 0;
	len = build_frame(frame, &s);
	assert_int_equal(parse_exact(frame, len, &got), 0);
	assert_int_equal(got.l4proto, 1);
	assert_int_equal(got.sport, 0);
	assert_false(got.l4_trunc);
	select_exact(indir, ALL, frame, len, &h, &ht);
	assert_int_equal(ht, VFMP_RSS_HT_IPV4);
	assert_int_equal(h, v->h_ip);
	assert_int_equal(select_exact(indir, V4T | V4U, frame, len, &h, &ht),
			 0);
	assert_int_equal(ht, VFMP_RSS_HT_NONE);

	/* IPv6 UDP with only the IPv6 TCP bit: none */
	s.proto = VFMP_RSS_PROTO_UDP;
	s.ipv6 = true;
	tuple_of(&ms_v6[2], true, s.proto, &t);
	len = build_frame(frame, &s);
	select_exact(indir, V6T, frame, len, &h, &ht);
	assert_int_equal(ht, VFMP_RSS_HT_NONE);
	select_exact(indir, V6T | V6U, frame, len, &h, &ht);
	assert_int_equal(ht, VFMP_RSS_HT_UDP_IPV6);
	assert_int_equal(h, ms_v6[2].h_tcp);
	/* IPv6 payload length bounds the ports */
	put16(frame + 14 + 4, 3);
	assert_int_equal(parse_exact(frame, len, &got), 0);
	assert_true(got.l4_trunc);
	/* IPv6 with a bad version nibble */
	put16(frame + 14 + 4, 8);
	frame[14] = 0x40;
	assert_int_equal(parse_exact(frame, len, &got), -EINVAL);
}

static void test_select_indir(void **state)
{
	struct vfmp_rss_tuple t;
	struct frame_spec s = { .proto = VFMP_RSS_PROTO_TCP, .t = &t };
	u8 frame[256], indir[VFMP_RSS_INDIR_SIZE];
	size_t len, i;
	u32 h;

	(void)state;
	tuple_of(&ms_v4[0], false, VFMP_RSS_PROTO_TCP, &t);
	len = build_frame(frame, &s);
	for (i = 0; i < sizeof(indir); i++)
		indir[i] = (u8)(200 + i % 50);
	/* 0x51ccc178 & 127 = 120 */
	assert_int_equal(vfmp_rss_select(key, ALL, indir, VFMP_RSS_INDIR_SIZE,
					 frame, len, &h, NULL), 200 + 120 % 50);
	/* a shorter table (power of two) */
	assert_int_equal(vfmp_rss_select(key, ALL, indir, 64, frame, len, &h,
					 NULL), indir[0x78 & 63]);
	/* no table: queue 0, the hash is still reported */
	assert_int_equal(vfmp_rss_select(key, ALL, NULL, 0, frame, len, &h,
					 NULL), 0);
	assert_int_equal(h, 0x51ccc178);
	assert_int_equal(vfmp_rss_select(key, ALL, indir, 0, frame, len, &h,
					 NULL), 0);
}

static void test_default_indir(void **state)
{
	u8 indir[VFMP_RSS_INDIR_SIZE];
	u16 nq, i;

	(void)state;
	for (nq = 0; nq <= 9; nq++) {
		memset(indir, 0xee, sizeof(indir));
		vfmp_rss_default_indir(indir, VFMP_RSS_INDIR_SIZE, nq);
		for (i = 0; i < VFMP_RSS_INDIR_SIZE; i++)
			assert_int_equal(indir[i], nq ? i % nq : 0);
		if (nq)
			assert_int_equal(vfmp_rss_validate(VFMP_RSS_KEY_SIZE,
							   VFMP_RSS_INDIR_SIZE,
							   indir, nq, ALL,
							   NULL), 0);
	}
	memset(indir, 0xee, sizeof(indir));
	vfmp_rss_default_indir(indir, 4, 3);
	assert_int_equal(indir[3], 0);
	assert_int_equal(indir[4], 0xee);
}

static void check_reject(u16 kl, u16 il, const u8 *indir, u16 nq, u32 types,
			 int err, const char *why_want)
{
	const char *why = NULL;

	assert_int_equal(vfmp_rss_validate(kl, il, indir, nq, types, &why), err);
	assert_non_null(why);
	assert_string_equal(why, why_want);
	assert_int_equal(vfmp_rss_validate(kl, il, indir, nq, types, NULL), err);
}

static void test_validate(void **state)
{
	u8 indir[VFMP_RSS_INDIR_SIZE + 1];
	const char *why = "stale";
	u32 bit;

	(void)state;
	vfmp_rss_default_indir(indir, VFMP_RSS_INDIR_SIZE, 4);
	assert_int_equal(vfmp_rss_validate(40, 128, indir, 4, ALL, &why), 0);
	assert_null(why);
	assert_int_equal(vfmp_rss_validate(40, 128, indir, 4, 0, NULL), 0);

	check_reject(0, 128, indir, 4, ALL, -EINVAL, VFMP_WHY_RSS_KEY_LEN);
	check_reject(39, 128, indir, 4, ALL, -EINVAL, VFMP_WHY_RSS_KEY_LEN);
	check_reject(41, 128, indir, 4, ALL, -EINVAL, VFMP_WHY_RSS_KEY_LEN);
	check_reject(52, 128, indir, 4, ALL, -EINVAL, VFMP_WHY_RSS_KEY_LEN);
	check_reject(40, 0, indir, 4, ALL, -EINVAL, VFMP_WHY_RSS_INDIR_LEN);
	check_reject(40, 64, indir, 4, ALL, -EINVAL, VFMP_WHY_RSS_INDIR_LEN);
	check_reject(40, 129, indir, 4, ALL, -EINVAL, VFMP_WHY_RSS_INDIR_LEN);
	check_reject(40, 512, indir, 4, ALL, -EINVAL, VFMP_WHY_RSS_INDIR_LEN);
	check_reject(40, 128, NULL, 4, ALL, -EINVAL, VFMP_WHY_RSS_NO_INDIR);
	check_reject(40, 128, indir, 0, ALL, -EINVAL, VFMP_WHY_RSS_NO_QUEUES);
	for (bit = 6; bit < 32; bit++)
		check_reject(40, 128, indir, 4, 1u << bit, -EINVAL,
			     VFMP_WHY_RSS_TYPES);
	check_reject(40, 128, indir, 4, ALL | 0x40, -EINVAL, VFMP_WHY_RSS_TYPES);

	/* entries: every position, the first out-of-range value */
	check_reject(40, 128, indir, 3, ALL, -ERANGE, VFMP_WHY_RSS_ENTRY);
	vfmp_rss_default_indir(indir, VFMP_RSS_INDIR_SIZE, 1);
	indir[127] = 1;
	check_reject(40, 128, indir, 1, ALL, -ERANGE, VFMP_WHY_RSS_ENTRY);
	assert_int_equal(vfmp_rss_validate(40, 128, indir, 2, ALL, NULL), 0);
	indir[127] = 0;
	indir[0] = 255;
	check_reject(40, 128, indir, 255, ALL, -ERANGE, VFMP_WHY_RSS_ENTRY);
	assert_int_equal(vfmp_rss_validate(40, 128, indir, 256, ALL, NULL), 0);
	/* a table entry one past the end is never looked at */
	indir[0] = 0;
	indir[128] = 200;
	assert_int_equal(vfmp_rss_validate(40, 128, indir, 1, ALL, NULL), 0);
}

static void test_htype_names(void **state)
{
	(void)state;
	assert_string_equal(vfmp_rss_htype_name(VFMP_RSS_HT_NONE), "none");
	assert_string_equal(vfmp_rss_htype_name(VFMP_RSS_HT_IPV4), "ipv4");
	assert_string_equal(vfmp_rss_htype_name(VFMP_RSS_HT_TCP_IPV4), "tcp_ipv4");
	assert_string_equal(vfmp_rss_htype_name(VFMP_RSS_HT_UDP_IPV4), "udp_ipv4");
	assert_string_equal(vfmp_rss_htype_name(VFMP_RSS_HT_IPV6), "ipv6");
	assert_string_equal(vfmp_rss_htype_name(VFMP_RSS_HT_TCP_IPV6), "tcp_ipv6");
	assert_string_equal(vfmp_rss_htype_name(VFMP_RSS_HT_UDP_IPV6), "udp_ipv6");
	assert_string_equal(vfmp_rss_htype_name(VFMP_RSS_HT_MAX), "unknown");
	assert_string_equal(vfmp_rss_htype_name((enum vfmp_rss_htype)-1),
			    "unknown");
	assert_false(vfmp_rss_htype_is_l4(VFMP_RSS_HT_NONE));
	assert_false(vfmp_rss_htype_is_l4(VFMP_RSS_HT_IPV4));
	assert_false(vfmp_rss_htype_is_l4(VFMP_RSS_HT_IPV6));
	assert_true(vfmp_rss_htype_is_l4(VFMP_RSS_HT_TCP_IPV4));
	assert_true(vfmp_rss_htype_is_l4(VFMP_RSS_HT_UDP_IPV4));
	assert_true(vfmp_rss_htype_is_l4(VFMP_RSS_HT_TCP_IPV6));
	assert_true(vfmp_rss_htype_is_l4(VFMP_RSS_HT_UDP_IPV6));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_key),
		cmocka_unit_test(test_ms_ipv4),
		cmocka_unit_test(test_ms_ipv6),
		cmocka_unit_test(test_toeplitz_vs_naive),
		cmocka_unit_test(test_frames_ms),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_vlan),
		cmocka_unit_test(test_ipv4_options),
		cmocka_unit_test(test_fragments),
		cmocka_unit_test(test_non_ip),
		cmocka_unit_test(test_l4_protos),
		cmocka_unit_test(test_select_indir),
		cmocka_unit_test(test_default_indir),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_htype_names),
	};

	return cmocka_run_group_tests_name("vfmp_rss", tests, NULL, NULL);
}
