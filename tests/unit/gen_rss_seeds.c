// SPDX-License-Identifier: GPL-2.0
/*
 * Writes a seed corpus for fuzz_rss into the directory given as argv[1]:
 * IPv4/IPv6 TCP/UDP/ICMP frames, with and without a VLAN tag, IPv4 options
 * and fragments, and an ARP frame, each behind the harness's control bytes
 * (all hash types enabled, 4 queues, the default key, 128 entries).
 */
#include <stdlib.h>
#include "vfmp_rss.h"

static void put(const char *dir, const char *name, const u8 *frame,
		size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/rss_%s", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(1);
	}
	fputc(VFMP_RSS_HASH_ALL, f);
	fputc(3, f);
	fwrite(frame, 1, len, f);
	fclose(f);
}

static size_t frame(u8 *b, bool vlan, bool v6, u8 proto, u8 ihl, u16 frag)
{
	size_t l3 = vlan ? 18 : 14, l4, i;

	memset(b, 0, 128);
	for (i = 0; i < 12; i++)
		b[i] = (u8)(i + 1);
	if (vlan) {
		b[12] = 0x81;
		b[15] = 0x0a;
	}
	b[l3 - 2] = v6 ? 0x86 : 0x08;
	b[l3 - 1] = v6 ? 0xdd : 0x00;
	if (v6) {
		b[l3] = 0x60;
		b[l3 + 5] = 20;
		b[l3 + 6] = proto;
		for (i = 0; i < 32; i++)
			b[l3 + 8 + i] = (u8)(0x20 + i);
		l4 = l3 + 40;
	} else {
		b[l3] = 0x40 | ihl;
		b[l3 + 3] = ihl * 4 + 20;
		b[l3 + 6] = frag >> 8;
		b[l3 + 7] = frag & 0xff;
		b[l3 + 9] = proto;
		for (i = 0; i < 8; i++)
			b[l3 + 12 + i] = (u8)(10 + i);
		l4 = l3 + ihl * 4;
	}
	b[l4] = 0x1f;
	b[l4 + 1] = 0x90;
	b[l4 + 2] = 0xc3;
	b[l4 + 3] = 0x50;
	return l4 + 20;
}

int main(int argc, char **argv)
{
	u8 b[128];

	if (argc != 2)
		return 2;
	put(argv[1], "v4_tcp", b, frame(b, false, false, 6, 5, 0));
	put(argv[1], "v4_udp_vlan", b, frame(b, true, false, 17, 5, 0));
	put(argv[1], "v4_icmp", b, frame(b, false, false, 1, 5, 0));
	put(argv[1], "v4_opts", b, frame(b, false, false, 6, 8, 0));
	put(argv[1], "v4_frag", b, frame(b, false, false, 17, 5, 0x2000));
	put(argv[1], "v6_tcp", b, frame(b, false, true, 6, 0, 0));
	put(argv[1], "v6_udp_vlan", b, frame(b, true, true, 17, 0, 0));
	put(argv[1], "v6_frag", b, frame(b, false, true, 44, 0, 0));
	frame(b, false, false, 6, 5, 0);
	b[12] = 0x08;
	b[13] = 0x06;
	put(argv[1], "arp", b, 42);
	return 0;
}
