/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfmp_obs.h - the contract between vfmp.ko and the tools (vfmpinit).
 *
 * Every init decision vfmp makes is reported twice: as a tracepoint
 * (TRACE_SYSTEM vfmp, for perf and ftrace) and as one call of
 * vfmp_obs_emit(const struct vfmp_obs *), a function that does nothing and
 * exists to be probed.  A tool attaches a kprobe to it as "vfmp:vfmp_obs_emit"
 * through tracefs kprobe_events: such a probe may be defined before vfmp.ko
 * is loaded, is armed when the module comes (before its init runs), is
 * disarmed when it goes, and, unlike a BPF link on a module tracepoint or
 * function, never holds a reference on the module, so "rmmod vfmp" works
 * while the tool runs.
 *
 * The layout is fixed (checked by static_assert in vfmp_obs.c); a tool
 * rejects records whose abi is not VFMP_OBS_ABI.  v[] per kind:
 *   BEGIN      v0 function (0 PF, 1 VF)
 *   END        v0 personality (0 none, 1 pf, 2 vf), v1 err, ns duration
 *   STEP       v0 index, v1 rule, v2 err, v3 skipped, ns duration, word step
 *   PARTITION  v0 function, v1 hv_present, v2 hv_kind, v3 hv_root,
 *              v4 xen_dom0, v5 override, v6 partition, v7 source,
 *              v8 allow_bare_metal, v9 verdict, v10 err
 *   KEYWORD    v0 function, v1 allowed, v2 err, word keyword
 *   CAPS       v0 current, v1 type, v2 rev, v3 size, v4 flags, v5 caps, v6 err
 *   FEATURE    v0 advertised, v1 rule, word feature, reason
 *   MBX        v0 vf, v1 tx, v2 opcode, v3 len, v4 status, v5 err
 * Errors are negative errno values.
 */
#ifndef _VFMP_OBS_H
#define _VFMP_OBS_H

#ifdef __KERNEL__
#include <linux/types.h>
#endif

#define VFMP_OBS_ABI		1
#define VFMP_OBS_SYMBOL		"vfmp_obs_emit"
#define VFMP_OBS_MODULE		"vfmp"
#define VFMP_OBS_NV		12

enum vfmp_obs_kind {
	VFMP_OBS_BEGIN = 1,
	VFMP_OBS_STEP,
	VFMP_OBS_PARTITION,
	VFMP_OBS_KEYWORD,
	VFMP_OBS_CAPS,
	VFMP_OBS_FEATURE,
	VFMP_OBS_MBX,
	VFMP_OBS_END,
};

struct vfmp_obs {
	__u32 abi;
	__u32 kind;
	__s32 v[VFMP_OBS_NV];
	__u64 ns;
	const char *dev;
	const char *word;
	const char *reason;
};

#endif /* _VFMP_OBS_H */
