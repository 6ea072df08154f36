// SPDX-License-Identifier: GPL-2.0
/*
 * vfmp core: Toeplitz RSS hash, frame parser, queue selection and
 * validation of a function's RSS configuration.
 */
#include "vfmp_rss.h"

const u8 vfmp_rss_default_key[VFMP_RSS_KEY_SIZE] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

static const char * const vfmp_rss_htype_names[] = {
	[VFMP_RSS_HT_NONE] = "none",
	[VFMP_RSS_HT_IPV4] = "ipv4",
	[VFMP_RSS_HT_TCP_IPV4] = "tcp_ipv4",
	[VFMP_RSS_HT_UDP_IPV4] = "udp_ipv4",
	[VFMP_RSS_HT_IPV6] = "ipv6",
	[VFMP_RSS_HT_TCP_IPV6] = "tcp_ipv6",
	[VFMP_RSS_HT_UDP_IPV6] = "udp_ipv6",
};

static_assert(ARRAY_SIZE(vfmp_rss_htype_names) == VFMP_RSS_HT_MAX,
	      "a name for every hash type");

const char *vfmp_rss_htype_name(enum vfmp_rss_htype ht)
{
	if ((unsigned int)ht >= VFMP_RSS_HT_MAX)
		return "unknown";
	return vfmp_rss_htype_names[ht];
}

static u8 vfmp_key_byte(const u8 *key, size_t key_len, size_t i)
{
	return i < key_len ? key[i] : 0;
}

u32 vfmp_toeplitz(const u8 *key, size_t key_len, const u8 *data, size_t len)
{
	u32 hash = 0;
	u32 win;
	size_t i;
	int bit;

	/* win holds key bits [n, n + 32) while input bit n is looked at. */
	win = (u32)vfmp_key_byte(key, key_len, 0) << 24 |
	      (u32)vfmp_key_byte(key, key_len, 1) << 16 |
	      (u32)vfmp_key_byte(key, key_len, 2) << 8 |
	      (u32)vfmp_key_byte(key, key_len, 3);

	for (i = 0; i < len; i++) {
		u8 next = vfmp_key_byte(key, key_len, i + 4);

		for (bit = 7; bit >= 0; bit--) {
			if (data[i] & (1u << bit))
				hash ^= win;
			win = win << 1 | ((next >> bit) & 1u);
		}
	}
	return hash;
}

static u16 vfmp_get_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

/* Read the two ports at frame[off] if they end at or before end. */
static void vfmp_rss_ports(const u8 *frame, size_t off, size_t end,
			   struct vfmp_rss_tuple *t)
{
	if (t->l4proto != VFMP_RSS_PROTO_TCP &&
	    t->l4proto != VFMP_RSS_PROTO_UDP)
		return;
	if (off > end || end - off < 4) {
		t->l4_trunc = true;
		return;
	}
	t->sport = vfmp_get_be16(frame + off);
	t->dport = vfmp_get_be16(frame + off + 2);
}

static int vfmp_rss_parse_v4(const u8 *frame, size_t len, size_t l3,
			     struct vfmp_rss_tuple *t)
{
	const u8 *ip = frame + l3;
	size_t hlen, tot, end;
	u16 frag;

	if (len - l3 < 20 || (ip[0] >> 4) != 4)
		return -EINVAL;
	hlen = (size_t)(ip[0] & 0xf) * 4;
	tot = vfmp_get_be16(ip + 2);
	if (hlen < 20 || hlen > len - l3 || tot < hlen)
		return -EINVAL;

	t->is_ip = true;
	t->l4proto = ip[9];
	memcpy(t->src, ip + 12, 4);
	memcpy(t->dst, ip + 16, 4);

	frag = vfmp_get_be16(ip + 6);
	if (frag & 0x3fff) {	/* MF or a fragment offset */
		t->is_frag = true;
		return 0;
	}
	/* Ethernet padding past the IP total length is not L4 data. */
	end = tot < len - l3 ? l3 + tot : len;
	vfmp_rss_ports(frame, l3 + hlen, end, t);
	return 0;
}

static int vfmp_rss_parse_v6(const u8 *frame, size_t len, size_t l3,
			     struct vfmp_rss_tuple *t)
{
	const u8 *ip = frame + l3;
	size_t plen, end;

	if (len - l3 < 40 || (ip[0] >> 4) != 6)
		return -EINVAL;

	t->is_ip = true;
	t->ipv6 = true;
	t->l4proto = ip[6];
	memcpy(t->src, ip + 8, 16);
	memcpy(t->dst, ip + 24, 16);
	if (t->l4proto == VFMP_RSS_PROTO_V6FRAG) {
		t->is_frag = true;
		return 0;
	}
	plen = vfmp_get_be16(ip + 4);
	end = plen < len - l3 - 40 ? l3 + 40 + plen : len;
	vfmp_rss_ports(frame, l3 + 40, end, t);
	return 0;
}

int vfmp_rss_parse(const u8 *frame, size_t len, struct vfmp_rss_tuple *t)
{
	size_t l3 = 14;
	u16 etype;
	int err = -EINVAL;

	memset(t, 0, sizeof(*t));
	if (!frame || len < 14)
		return -EINVAL;

	etype = vfmp_get_be16(frame + 12);
	if (etype == VFMP_RSS_ETH_P_8021Q) {
		if (len < 18)
			return -EINVAL;
		etype = vfmp_get_be16(frame + 16);
		l3 = 18;
	}

	if (etype == VFMP_RSS_ETH_P_IP)
		err = vfmp_rss_parse_v4(frame, len, l3, t);
	else if (etype == VFMP_RSS_ETH_P_IPV6)
		err = vfmp_rss_parse_v6(frame, len, l3, t);

	if (err)
		memset(t, 0, sizeof(*t));
	return err;
}

static enum vfmp_rss_htype vfmp_rss_pick(u32 en, const struct vfmp_rss_tuple *t)
{
	bool ports = !t->is_frag && !t->l4_trunc;
	bool tcp = ports && t->l4proto == VFMP_RSS_PROTO_TCP;
	bool udp = ports && t->l4proto == VFMP_RSS_PROTO_UDP;

	if (!t->is_ip)
		return VFMP_RSS_HT_NONE;
	if (t->ipv6) {
		if (tcp && (en & VFMP_RSS_HASH_TCP_IPV6))
			return VFMP_RSS_HT_TCP_IPV6;
		if (udp && (en & VFMP_RSS_HASH_UDP_IPV6))
			return VFMP_RSS_HT_UDP_IPV6;
		if (en & VFMP_RSS_HASH_IPV6)
			return VFMP_RSS_HT_IPV6;
		return VFMP_RSS_HT_NONE;
	}
	if (tcp && (en & VFMP_RSS_HASH_TCP_IPV4))
		return VFMP_RSS_HT_TCP_IPV4;
	if (udp && (en & VFMP_RSS_HASH_UDP_IPV4))
		return VFMP_RSS_HT_UDP_IPV4;
	if (en & VFMP_RSS_HASH_IPV4)
		return VFMP_RSS_HT_IPV4;
	return VFMP_RSS_HT_NONE;
}

u32 vfmp_rss_hash(const u8 *key, u32 enabled_types,
		  const struct vfmp_rss_tuple *t, enum vfmp_rss_htype *htype)
{
	enum vfmp_rss_htype ht = vfmp_rss_pick(enabled_types, t);
	u8 in[VFMP_RSS_INPUT_MAX];
	size_t alen = t->ipv6 ? 16 : 4;
	size_t n;

	if (htype)
		*htype = ht;
	if (ht == VFMP_RSS_HT_NONE)
		return 0;

	memcpy(in, t->src, alen);
	memcpy(in + alen, t->dst, alen);
	n = 2 * alen;
	if (vfmp_rss_htype_is_l4(ht)) {
		in[n++] = t->sport >> 8;
		in[n++] = t->sport & 0xff;
		in[n++] = t->dport >> 8;
		in[n++] = t->dport & 0xff;
	}
	return vfmp_toeplitz(key, VFMP_RSS_KEY_SIZE, in, n);
}

u16 vfmp_rss_select(const u8 *key, u32 enabled_types, const u8 *indir,
		    u16 indir_len, const u8 *frame, size_t len, u32 *hash,
		    enum vfmp_rss_htype *htype)
{
	enum vfmp_rss_htype ht = VFMP_RSS_HT_NONE;
	struct vfmp_rss_tuple t;
	u32 h = 0;
	u16 q = 0;

	if (!vfmp_rss_parse(frame, len, &t))
		h = vfmp_rss_hash(key, enabled_types, &t, &ht);
	if (ht != VFMP_RSS_HT_NONE && indir && indir_len)
		q = indir[h & (u32)(indir_len - 1)];
	if (hash)
		*hash = h;
	if (htype)
		*htype = ht;
	return q;
}

void vfmp_rss_default_indir(u8 *indir, u16 len, u16 nqueues)
{
	u16 i;

	for (i = 0; i < len; i++)
		indir[i] = nqueues ? (u8)(i % nqueues) : 0;
}

static int vfmp_rss_fail(int err, const char *reason, const char **why)
{
	if (why)
		*why = reason;
	return err;
}

int vfmp_rss_validate(u16 key_len, u16 indir_len, const u8 *indir,
		      u16 nqueues, u32 enabled_types, const char **why)
{
	u16 i;

	if (key_len != VFMP_RSS_KEY_SIZE)
		return vfmp_rss_fail(-EINVAL, VFMP_WHY_RSS_KEY_LEN, why);
	if (indir_len != VFMP_RSS_INDIR_SIZE)
		return vfmp_rss_fail(-EINVAL, VFMP_WHY_RSS_INDIR_LEN, why);
	if (!indir)
		return vfmp_rss_fail(-EINVAL, VFMP_WHY_RSS_NO_INDIR, why);
	if (!nqueues)
		return vfmp_rss_fail(-EINVAL, VFMP_WHY_RSS_NO_QUEUES, why);
	if (enabled_types & ~(u32)VFMP_RSS_HASH_ALL)
		return vfmp_rss_fail(-EINVAL, VFMP_WHY_RSS_TYPES, why);
	for (i = 0; i < indir_len; i++)
		if (indir[i] >= nqueues)
			return vfmp_rss_fail(-ERANGE, VFMP_WHY_RSS_ENTRY, why);
	if (why)
		*why = NULL;
	return 0;
}
