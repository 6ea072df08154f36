/* SPDX-License-Identifier: GPL-2.0 */
/* vfmpinit --profile MODULE (vfmpinit_profile.c) */
#ifndef __VFMPINIT_PROFILE_H
#define __VFMPINIT_PROFILE_H

#include <stdbool.h>

struct vfmpinit_bpf;

/* number of functions probed, or a negative errno */
int profile_attach(struct vfmpinit_bpf *skel, const char *module,
		   const char *tracefs);
void profile_report(struct vfmpinit_bpf *skel, bool json);
void profile_detach(void);

#endif /* __VFMPINIT_PROFILE_H */
