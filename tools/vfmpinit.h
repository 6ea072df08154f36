/* SPDX-License-Identifier: GPL-2.0 */
/* vfmpinit: events shared by vfmpinit.bpf.c and vfmpinit.c */
#ifndef __VFMPINIT_H
#define __VFMPINIT_H

#define VFMPINIT_NAME	32
#define VFMPINIT_WORD	24
#define VFMPINIT_REASON	64

enum vfmpinit_kind {
	EV_BEGIN = 1,
	EV_STEP,
	EV_PARTITION,
	EV_KEYWORD,
	EV_CAPS,
	EV_FEATURE,
	EV_MBX,
	EV_END,
};

struct vfmpinit_event {
	unsigned long long ts;
	unsigned long long ns;
	unsigned int kind;
	int v[12];		/* per-kind integers, see vfmpinit.c */
	char dev[VFMPINIT_NAME];
	char word[VFMPINIT_WORD];	/* step, keyword or feature name */
	char reason[VFMPINIT_REASON];
};

#endif /* __VFMPINIT_H */
