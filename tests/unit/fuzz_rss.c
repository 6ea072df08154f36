// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the RSS engine (vfmp_rss_parse/hash/select). Input:
 * ctl (bits 0-5 enabled hash types, bit 6 random key, bit 7 use a table of
 * 2^(ctl2 >> 5) entries instead of 128), ctl2 (low 5 bits: queues - 1),
 * then, with bit 6, a 40-byte key; the rest is the Ethernet frame, copied
 * into a buffer of exactly its size so ASan sees any overread.
 *
 * Invariants checked besides memory safety: select agrees with parse+hash;
 * a frame that does not parse gets hash 0, type NONE and queue 0; the type
 * matches the family and is enabled; the queue is a table entry; the hash
 * equals a Toeplitz hash of the tuple rebuilt here.
 */
#include <stdlib.h>
#include "vfmp_rss.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
	if (!cond)
		abort();
}

static u32 type_bit(enum vfmp_rss_htype ht)
{
	switch (ht) {
	case VFMP_RSS_HT_IPV4: return VFMP_RSS_HASH_IPV4;
	case VFMP_RSS_HT_TCP_IPV4: return VFMP_RSS_HASH_TCP_IPV4;
	case VFMP_RSS_HT_UDP_IPV4: return VFMP_RSS_HASH_UDP_IPV4;
	case VFMP_RSS_HT_IPV6: return VFMP_RSS_HASH_IPV6;
	case VFMP_RSS_HT_TCP_IPV6: return VFMP_RSS_HASH_TCP_IPV6;
	case VFMP_RSS_HT_UDP_IPV6: return VFMP_RSS_HASH_UDP_IPV6;
	default: return 0;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 indir[VFMP_RSS_INDIR_SIZE], in[VFMP_RSS_INPUT_MAX];
	const u8 *key = vfmp_rss_default_key;
	enum vfmp_rss_htype ht, ht2;
	struct vfmp_rss_tuple t;
	u16 nq, ilen = VFMP_RSS_INDIR_SIZE, q;
	size_t alen, n;
	u8 ctl, ctl2, *frame;
	u32 types, h, h2;
	int err;

	if (size < 2)
		return 0;
	ctl = data[0];
	ctl2 = data[1];
	data += 2;
	size -= 2;
	types = ctl & VFMP_RSS_HASH_ALL;
	if (ctl & 0x40) {
		if (size < VFMP_RSS_KEY_SIZE)
			return 0;
		key = data;
		data += VFMP_RSS_KEY_SIZE;
		size -= VFMP_RSS_KEY_SIZE;
	}
	if (ctl & 0x80)
		ilen = 1u << (ctl2 >> 5);	/* 1..128 */
	nq = (ctl2 & 0x1f) + 1;
	vfmp_rss_default_indir(indir, VFMP_RSS_INDIR_SIZE, nq);
	check(!vfmp_rss_validate(VFMP_RSS_KEY_SIZE, VFMP_RSS_INDIR_SIZE, indir,
				 nq, types, NULL));

	frame = malloc(size ? size : 1);
	if (!frame)
		return 0;
	memcpy(frame, data, size);

	err = vfmp_rss_parse(frame, size, &t);
	q = vfmp_rss_select(key, types, indir, ilen, frame, size, &h, &ht);
	free(frame);

	check(q < nq);
	check(err == 0 || err == -EINVAL);
	if (err) {
		check(!t.is_ip && !t.ipv6 && !t.sport && !t.dport);
		check(h == 0 && ht == VFMP_RSS_HT_NONE && q == 0);
		return 0;
	}
	check(t.is_ip);
	check(!(t.is_frag && (t.sport || t.dport || t.l4_trunc)));
	check(!(t.l4_trunc && (t.sport || t.dport)));
	if (!t.ipv6)
		for (n = 4; n < 16; n++)
			check(!t.src[n] && !t.dst[n]);

	h2 = vfmp_rss_hash(key, types, &t, &ht2);
	check(h == h2 && ht == ht2);
	if (ht == VFMP_RSS_HT_NONE) {
		check(h == 0 && q == 0);
		return 0;
	}
	check(type_bit(ht) & types);
	check(t.ipv6 == (ht >= VFMP_RSS_HT_IPV6));
	check(q == indir[h & (ilen - 1)]);

	alen = t.ipv6 ? 16 : 4;
	memcpy(in, t.src, alen);
	memcpy(in + alen, t.dst, alen);
	n = 2 * alen;
	if (vfmp_rss_htype_is_l4(ht)) {
		check(!t.is_frag && !t.l4_trunc);
		check(t.l4proto == (ht == VFMP_RSS_HT_TCP_IPV4 ||
				    ht == VFMP_RSS_HT_TCP_IPV6 ? 6 : 17));
		in[n++] = t.sport >> 8;
		in[n++] = (u8)t.sport;
		in[n++] = t.dport >> 8;
		in[n++] = (u8)t.dport;
	}
	check(h == vfmp_toeplitz(key, VFMP_RSS_KEY_SIZE, in, n));
	return 0;
}
