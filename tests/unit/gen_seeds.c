// SPDX-License-Identifier: GPL-2.0
/*
 * Writes a seed corpus for fuzz_mbx into the directory given as argv[1]:
 * valid requests and replies prefixed with the harness's two control bytes
 * (ctl: bit0 version_done, bit1 limits, bits 2-3 expected op;
 *  ctl2: high nibble expected seq, low nibble requested queue pairs).
 */
#include <stdlib.h>
#include "vfmp_mbx_proto.h"
#include "vfmp_caps.h"

static void put(const char *dir, const char *name, u8 ctl, u8 ctl2,
		const void *msg, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/seed_%s", dir, name);
	f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(1);
	}
	fputc(ctl, f);
	fputc(ctl2, f);
	fwrite(msg, 1, len, f);
	fclose(f);
}

int main(int argc, char **argv)
{
	static const u8 mac[6] = { 0x02, 0, 0, 0xaa, 0xbb, 0x01 };
	struct vfmp_mbx_version v;
	struct vfmp_mbx_get_res_req g;
	struct vfmp_mbx_get_res_reply r;
	struct vfmp_mbx_reset_vf x;

	if (argc != 2)
		return 2;

	memset(&v, 0, sizeof(v));
	vfmp_mbx_hdr_init(&v.hdr, VFMP_MBX_OP_VERSION, sizeof(v), 3);
	v.major = cpu_to_le16(1);
	put(argv[1], "version_req", 0x3 | (1 << 2), 0x34, &v, sizeof(v));
	v.hdr.flags = cpu_to_le16(VFMP_MBX_F_REPLY);
	put(argv[1], "version_reply", 0x3 | (1 << 2), 0x34, &v, sizeof(v));

	memset(&g, 0, sizeof(g));
	vfmp_mbx_hdr_init(&g.hdr, VFMP_MBX_OP_GET_RESOURCES, sizeof(g), 5);
	g.num_queue_pairs = cpu_to_le16(2);
	put(argv[1], "getres_req", 0x3 | (2 << 2), 0x54, &g, sizeof(g));

	memset(&r, 0, sizeof(r));
	vfmp_mbx_hdr_init(&r.hdr, VFMP_MBX_OP_GET_RESOURCES, sizeof(r), 5);
	r.hdr.flags = cpu_to_le16(VFMP_MBX_F_REPLY);
	r.num_queue_pairs = cpu_to_le16(2);
	r.max_mtu = cpu_to_le16(1500);
	r.rss_key_size = cpu_to_le16(VFMP_RSS_KEY_SIZE);
	r.rss_indir_size = cpu_to_le16(64);
	r.rss_hash_types = cpu_to_le32(VFMP_RSS_HASH_ALL);
	memcpy(r.mac, mac, 6);
	put(argv[1], "getres_reply", 0x3 | (2 << 2), 0x54, &r, sizeof(r));
	r.hdr.status = cpu_to_le16(VFMP_MBX_ERR_NORES);
	put(argv[1], "getres_reply_err", 0x3 | (2 << 2), 0x54, &r, sizeof(r));

	vfmp_mbx_hdr_init(&x.hdr, VFMP_MBX_OP_RESET_VF, sizeof(x), 7);
	put(argv[1], "reset_req", 0x3 | (3 << 2), 0x74, &x, sizeof(x));
	x.hdr.flags = cpu_to_le16(VFMP_MBX_F_REPLY);
	put(argv[1], "reset_reply", 0x3 | (3 << 2), 0x74, &x, sizeof(x));
	return 0;
}
