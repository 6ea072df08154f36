// SPDX-License-Identifier: GPL-2.0
/*
 * vfmp_obs.c - report each init decision: the tracepoint, then one call of
 * vfmp_obs_emit() for tools that must not pin the module
 * (kmod/include/vfmp_obs.h says why and how).
 */
#include <linux/build_bug.h>
#include <linux/compiler.h>
#include <linux/stddef.h>

#include "vfmp.h"
#define CREATE_TRACE_POINTS
#include "vfmp_trace.h"
#include "vfmp_obs.h"

static_assert(offsetof(struct vfmp_obs, v) == 8);
static_assert(offsetof(struct vfmp_obs, ns) == 56);
static_assert(offsetof(struct vfmp_obs, dev) == 64);
static_assert(offsetof(struct vfmp_obs, reason) == 80);
static_assert(sizeof(struct vfmp_obs) == 88);

/*
 * The probe point.  noinline and an empty asm that "uses" the record keep
 * the compiler from dropping the call or this function.
 */
noinline void vfmp_obs_emit(const struct vfmp_obs *o)
{
	asm volatile("" : : "r" (o) : "memory");
}

#define OBS(k, d)	{ .abi = VFMP_OBS_ABI, .kind = (k), .dev = (d) }

void vfmp_note_init_begin(const char *dev, int function)
{
	struct vfmp_obs o = OBS(VFMP_OBS_BEGIN, dev);

	trace_vfmp_init_begin(dev, function);
	o.v[0] = function;
	vfmp_obs_emit(&o);
}

void vfmp_note_init_end(const char *dev, int personality, int err, u64 ns)
{
	struct vfmp_obs o = OBS(VFMP_OBS_END, dev);

	trace_vfmp_init_end(dev, personality, err, ns);
	o.v[0] = personality;
	o.v[1] = err;
	o.ns = ns;
	vfmp_obs_emit(&o);
}

void vfmp_note_init_step(const char *dev, int index, int rule,
			 const char *step, int err, bool skipped, u64 ns)
{
	struct vfmp_obs o = OBS(VFMP_OBS_STEP, dev);

	trace_vfmp_init_step(dev, index, rule, step, err, skipped, ns);
	o.v[0] = index;
	o.v[1] = rule;
	o.v[2] = err;
	o.v[3] = skipped;
	o.ns = ns;
	o.word = step;
	vfmp_obs_emit(&o);
}

void vfmp_note_partition(const char *dev, int function, bool hv_present,
			 int hv_kind, bool hv_root, bool xen_dom0, int override,
			 int partition, int source, bool allow_bare_metal,
			 int verdict, int err)
{
	struct vfmp_obs o = OBS(VFMP_OBS_PARTITION, dev);

	trace_vfmp_partition(dev, function, hv_present, hv_kind, hv_root,
			     xen_dom0, override, partition, source,
			     allow_bare_metal, verdict, err);
	o.v[0] = function;
	o.v[1] = hv_present;
	o.v[2] = hv_kind;
	o.v[3] = hv_root;
	o.v[4] = xen_dom0;
	o.v[5] = override;
	o.v[6] = partition;
	o.v[7] = source;
	o.v[8] = allow_bare_metal;
	o.v[9] = verdict;
	o.v[10] = err;
	vfmp_obs_emit(&o);
}

void vfmp_note_keyword(const char *dev, int function, const char *keyword,
		       bool allowed, int err)
{
	struct vfmp_obs o = OBS(VFMP_OBS_KEYWORD, dev);

	trace_vfmp_keyword(dev, function, keyword, allowed, err);
	o.v[0] = function;
	o.v[1] = allowed;
	o.v[2] = err;
	o.word = keyword;
	vfmp_obs_emit(&o);
}

void vfmp_note_caps_register(const char *dev, bool current_caps, u8 type,
			     u8 rev, u16 size, u32 flags, u32 caps, int err)
{
	struct vfmp_obs o = OBS(VFMP_OBS_CAPS, dev);

	trace_vfmp_caps_register(dev, current_caps, type, rev, size, flags,
				 caps, err);
	o.v[0] = current_caps;
	o.v[1] = type;
	o.v[2] = rev;
	o.v[3] = size;
	o.v[4] = flags;
	o.v[5] = caps;
	o.v[6] = err;
	vfmp_obs_emit(&o);
}

void vfmp_note_feature(const char *dev, const char *feature, bool advertised,
		       int rule, const char *reason)
{
	struct vfmp_obs o = OBS(VFMP_OBS_FEATURE, dev);

	trace_vfmp_feature(dev, feature, advertised, rule, reason);
	o.v[0] = advertised;
	o.v[1] = rule;
	o.word = feature;
	o.reason = reason;
	vfmp_obs_emit(&o);
}

void vfmp_note_mbx(const char *dev, u16 vf, bool tx, u16 opcode, u16 len,
		   u16 status, int err)
{
	struct vfmp_obs o = OBS(VFMP_OBS_MBX, dev);

	trace_vfmp_mbx(dev, vf, tx, opcode, len, status, err);
	o.v[0] = vf;
	o.v[1] = tx;
	o.v[2] = opcode;
	o.v[3] = len;
	o.v[4] = status;
	o.v[5] = err;
	vfmp_obs_emit(&o);
}
