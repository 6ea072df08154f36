// SPDX-License-Identifier: GPL-2.0
/*
 * vfmpinit: stream the vfmp driver's init decisions (TRACE_SYSTEM vfmp,
 * docs/tracepoints.md) to user space.  raw_tp programs: they attach to
 * the module's tracepoints with or without module BTF.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "../tools/vfmpinit.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

static __always_inline struct vfmpinit_event *ev_new(unsigned int kind,
						     const char *dev)
{
	struct vfmpinit_event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return NULL;
	__builtin_memset(e, 0, sizeof(*e));
	e->ts = bpf_ktime_get_ns();
	e->kind = kind;
	bpf_probe_read_kernel_str(e->dev, sizeof(e->dev), dev);
	return e;
}

SEC("raw_tp/vfmp_init_begin")
int BPF_PROG(init_begin, const char *dev, int function)
{
	struct vfmpinit_event *e = ev_new(EV_BEGIN, dev);

	if (!e)
		return 0;
	e->v[0] = function;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("raw_tp/vfmp_init_end")
int BPF_PROG(init_end, const char *dev, int personality, int err, u64 ns)
{
	struct vfmpinit_event *e = ev_new(EV_END, dev);

	if (!e)
		return 0;
	e->v[0] = personality;
	e->v[1] = err;
	e->ns = ns;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("raw_tp/vfmp_init_step")
int BPF_PROG(init_step, const char *dev, int index, int rule,
	     const char *step, int err, bool skipped, u64 ns)
{
	struct vfmpinit_event *e = ev_new(EV_STEP, dev);

	if (!e)
		return 0;
	e->v[0] = index;
	e->v[1] = rule;
	e->v[2] = err;
	e->v[3] = skipped;
	e->ns = ns;
	bpf_probe_read_kernel_str(e->word, sizeof(e->word), step);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("raw_tp/vfmp_partition")
int BPF_PROG(partition, const char *dev, int function, bool hv_present,
	     int hv_kind, bool hv_root, bool xen_dom0, int override,
	     int partition, int source, bool allow_bare_metal, int verdict,
	     int err)
{
	struct vfmpinit_event *e = ev_new(EV_PARTITION, dev);

	if (!e)
		return 0;
	e->v[0] = function;
	e->v[1] = hv_present;
	e->v[2] = hv_kind;
	e->v[3] = hv_root;
	e->v[4] = xen_dom0;
	e->v[5] = override;
	e->v[6] = partition;
	e->v[7] = source;
	e->v[8] = allow_bare_metal;
	e->v[9] = verdict;
	e->v[10] = err;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("raw_tp/vfmp_keyword")
int BPF_PROG(keyword, const char *dev, int function, const char *keyword,
	     bool allowed, int err)
{
	struct vfmpinit_event *e = ev_new(EV_KEYWORD, dev);

	if (!e)
		return 0;
	e->v[0] = function;
	e->v[1] = allowed;
	e->v[2] = err;
	bpf_probe_read_kernel_str(e->word, sizeof(e->word), keyword);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("raw_tp/vfmp_caps_register")
int BPF_PROG(caps_register, const char *dev, bool current_caps, u8 type,
	     u8 rev, u16 size, u32 flags, u32 caps, int err)
{
	struct vfmpinit_event *e = ev_new(EV_CAPS, dev);

	if (!e)
		return 0;
	e->v[0] = current_caps;
	e->v[1] = type;
	e->v[2] = rev;
	e->v[3] = size;
	e->v[4] = flags;
	e->v[5] = caps;
	e->v[6] = err;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("raw_tp/vfmp_feature")
int BPF_PROG(feature, const char *dev, const char *feature, bool advertised,
	     int rule, const char *reason)
{
	struct vfmpinit_event *e = ev_new(EV_FEATURE, dev);

	if (!e)
		return 0;
	e->v[0] = advertised;
	e->v[1] = rule;
	bpf_probe_read_kernel_str(e->word, sizeof(e->word), feature);
	bpf_probe_read_kernel_str(e->reason, sizeof(e->reason), reason);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("raw_tp/vfmp_mbx")
int BPF_PROG(mbx, const char *dev, u16 vf, bool tx, u16 opcode, u16 len,
	     u16 status, int err)
{
	struct vfmpinit_event *e = ev_new(EV_MBX, dev);

	if (!e)
		return 0;
	e->v[0] = vf;
	e->v[1] = tx;
	e->v[2] = opcode;
	e->v[3] = len;
	e->v[4] = status;
	e->v[5] = err;
	bpf_ringbuf_submit(e, 0);
	return 0;
}
