// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the mailbox validators. The first two input bytes
 * choose the side, state, expected opcode/seq and requested queue pairs; the
 * rest is the message. Besides memory safety it checks a few invariants:
 * an accepted request/reply is exactly the opcode's size and echoes the
 * header length; results are within the documented sets.
 */
#include <stdlib.h>
#include "vfmp_mbx_proto.h"
#include "vfmp_caps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int cond)
{
	if (!cond)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct vfmp_mbx_limits lim = { 4, 9000, 40, 128 };
	const struct vfmp_mbx_hdr *h;
	const char *why = NULL;
	const u8 *msg;
	size_t len;
	u8 ctl, ctl2;
	u16 st, op, eop;
	int err;

	if (size < 2)
		return 0;
	ctl = data[0];
	ctl2 = data[1];
	msg = data + 2;
	len = size - 2;

	/* PF side */
	st = vfmp_mbx_validate_req(msg, len, ctl & 1, (ctl & 2) ? &lim : NULL,
				   &op);
	check(st < VFMP_MBX_STATUS_MAX);
	if (st == VFMP_MBX_OK) {
		h = (const void *)msg;
		check(len == vfmp_mbx_msg_size(op, false));
		check(len >= sizeof(*h));
		check(op > 0 && op < VFMP_MBX_OP_MAX);
		check(vfmp_mbx_op_name(op)[0] != 'u');
	}
	(void)vfmp_mbx_status_name(st);

	/* VF side */
	eop = (ctl >> 2) & 3;
	err = vfmp_mbx_validate_reply(msg, len, eop, ctl2 >> 4, ctl2 & 0xf,
				      &why);
	check(err <= 0);
	if (err)
		check(!!why);
	else
		check(len == vfmp_mbx_msg_size(eop, true));
	check(err == 0 || err == -EPROTO || err == -EBADMSG ||
	      err == -ERANGE || err == -EPROTONOSUPPORT || err == -ENOSPC ||
	      err == -EPERM);

	/* VF side: an unsolicited event from the PF */
	err = vfmp_mbx_validate_event(msg, len, &why);
	check(err == 0 || err == -EPROTO || err == -EBADMSG || err == -ERANGE);
	if (err)
		check(!!why);
	else
		check(len == sizeof(struct vfmp_mbx_event));
	return 0;
}
