/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfmp core: the RSS engine of the simulated NIC.
 *
 * Toeplitz hash as defined by the Microsoft RSS specification, a bounded
 * Ethernet/IPv4/IPv6/TCP/UDP parser that extracts the hash input, the
 * hash-type selection driven by the enabled VFMP_RSS_HASH_* types, the
 * indirection-table lookup and the PF-side validation of a function's RSS
 * configuration. Portable between the kernel and the user-space tests.
 */
#ifndef VFMP_RSS_H
#define VFMP_RSS_H

#include "vfmp_core_types.h"
#include "vfmp_caps.h"	/* VFMP_RSS_HASH_*, the RSS sizes */

/* Longest hash input: IPv6 source + destination + both ports. */
#define VFMP_RSS_INPUT_MAX	36

static_assert(VFMP_RSS_INPUT_MAX + 4 <= VFMP_RSS_KEY_SIZE,
	      "the key covers the longest hash input");

/* Protocol numbers and EtherTypes the parser knows (host order). */
#define VFMP_RSS_PROTO_TCP	6
#define VFMP_RSS_PROTO_UDP	17
#define VFMP_RSS_PROTO_V6FRAG	44	/* IPv6 Fragment header */
#define VFMP_RSS_ETH_P_IP	0x0800
#define VFMP_RSS_ETH_P_IPV6	0x86DD
#define VFMP_RSS_ETH_P_8021Q	0x8100

/*
 * Hash type reported with a hash (NDIS_HASH_*-like); it also picks the skb
 * hash type: the *_TCP_* and *_UDP_* types are L4 hashes, IPV4/IPV6 are L3.
 */
enum vfmp_rss_htype {
	VFMP_RSS_HT_NONE = 0,
	VFMP_RSS_HT_IPV4,
	VFMP_RSS_HT_TCP_IPV4,
	VFMP_RSS_HT_UDP_IPV4,
	VFMP_RSS_HT_IPV6,
	VFMP_RSS_HT_TCP_IPV6,
	VFMP_RSS_HT_UDP_IPV6,
	VFMP_RSS_HT_MAX,
};

/* "none", "ipv4", "tcp_ipv4", ...; "unknown" out of range. */
const char *vfmp_rss_htype_name(enum vfmp_rss_htype ht);

/* True for the 4-tuple (L4) hash types. */
static inline bool vfmp_rss_htype_is_l4(enum vfmp_rss_htype ht)
{
	return ht == VFMP_RSS_HT_TCP_IPV4 || ht == VFMP_RSS_HT_UDP_IPV4 ||
	       ht == VFMP_RSS_HT_TCP_IPV6 || ht == VFMP_RSS_HT_UDP_IPV6;
}

/*
 * Raw Toeplitz hash of data[0..len) with key[0..key_len); key bits past
 * key_len count as zero. A 40-byte key covers inputs up to 36 bytes.
 */
u32 vfmp_toeplitz(const u8 *key, size_t key_len, const u8 *data, size_t len);

/*
 * The fields of one packet the hash can use. Addresses are in network
 * order (IPv4 in src[0..3]/dst[0..3], the rest zero), ports in host order.
 * l4_trunc: the IP header says TCP/UDP but the frame (or the IP length)
 * ends before the ports; such a packet gets the 2-tuple hash. A tuple
 * built by hand leaves it false.
 */
struct vfmp_rss_tuple {
	u8 src[16];
	u8 dst[16];
	u16 sport;
	u16 dport;
	bool ipv6;
	u8 l4proto;	/* VFMP_RSS_PROTO_TCP / _UDP / other */
	bool is_ip;
	bool is_frag;
	bool l4_trunc;
};

/*
 * Parse an Ethernet frame (optionally one 802.1Q tag) into *t. Never reads
 * at or beyond frame[len]. Returns 0 for an IPv4/IPv6 packet, -EINVAL for
 * anything else (non-IP, truncated or malformed IP header), *t is then
 * zeroed (is_ip false).
 *  - IPv4: options (ihl > 5) are skipped; a fragment (MF or a non-zero
 *    offset) sets is_frag and gets no ports. The L4 header is bounded by
 *    the IPv4 total length as well as by len.
 *  - IPv6: the fixed header and a directly following TCP/UDP header only;
 *    any other next header (extension headers included) gives no ports, a
 *    Fragment header sets is_frag.
 */
int vfmp_rss_parse(const u8 *frame, size_t len, struct vfmp_rss_tuple *t);

/*
 * Hash a tuple with key (VFMP_RSS_KEY_SIZE bytes) and the enabled
 * VFMP_RSS_HASH_* types. Input order per the Microsoft RSS specification:
 * source address, destination address [, source port, destination port].
 * TCP/UDP that is not a fragment uses the 4-tuple if its L4 type is
 * enabled, else the 2-tuple if the IP type is enabled, else no hash.
 * Returns the hash and sets *htype (if htype); NONE means hash 0.
 */
u32 vfmp_rss_hash(const u8 *key, u32 enabled_types,
		  const struct vfmp_rss_tuple *t, enum vfmp_rss_htype *htype);

/*
 * Parse, hash and look up the queue: indir[hash & (indir_len - 1)].
 * indir_len must be a power of two (the lookup never leaves the table
 * anyway). A non-IP frame, no hash, or an empty table give queue 0.
 * hash and htype may be NULL.
 */
u16 vfmp_rss_select(const u8 *key, u32 enabled_types, const u8 *indir,
		    u16 indir_len, const u8 *frame, size_t len, u32 *hash,
		    enum vfmp_rss_htype *htype);

/* The Microsoft verification key. */
extern const u8 vfmp_rss_default_key[VFMP_RSS_KEY_SIZE];

/* indir[i] = i % nqueues (all 0 when nqueues is 0). */
void vfmp_rss_default_indir(u8 *indir, u16 len, u16 nqueues);

/*
 * Check an (untrusted) RSS configuration requested by a function that was
 * granted nqueues queues: key length 40, table length exactly
 * VFMP_RSS_INDIR_SIZE, every entry < nqueues, only known hash type bits.
 * Returns 0, -EINVAL, or -ERANGE (an entry is out of range), with *why (if
 * why) set to a static reason.
 */
int vfmp_rss_validate(u16 key_len, u16 indir_len, const u8 *indir,
		      u16 nqueues, u32 enabled_types, const char **why);

#define VFMP_WHY_RSS_KEY_LEN	"RSS key length is not 40"
#define VFMP_WHY_RSS_INDIR_LEN	"RSS indirection table length is not 128"
#define VFMP_WHY_RSS_NO_INDIR	"RSS indirection table is missing"
#define VFMP_WHY_RSS_NO_QUEUES	"function has no queues"
#define VFMP_WHY_RSS_ENTRY	"RSS indirection entry is not a granted queue"
#define VFMP_WHY_RSS_TYPES	"unknown RSS hash type bits"

#endif /* VFMP_RSS_H */
