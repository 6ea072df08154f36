/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfmp tracepoints: a stable interface for BPF tools (docs/tracepoints.md).
 * Every field is fixed-size: device names are char[32], durations u64 ns,
 * errors negative errno, rules 1..9 (R1..R9).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vfmp

#if !defined(_VFMP_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _VFMP_TRACE_H

#include <linux/tracepoint.h>

#define VFMP_TP_NAME	32
#define VFMP_TP_WORD	24

TRACE_EVENT(vfmp_init_begin,
	TP_PROTO(const char *dev, int function),
	TP_ARGS(dev, function),
	TP_STRUCT__entry(
		__array(char, dev, VFMP_TP_NAME)
		__field(int, function)
	),
	TP_fast_assign(
		strscpy(__entry->dev, dev, VFMP_TP_NAME);
		__entry->function = function;
	),
	TP_printk("dev=%s function=%s", __entry->dev,
		  __entry->function ? "vf" : "pf")
);

TRACE_EVENT(vfmp_init_end,
	TP_PROTO(const char *dev, int personality, int err, u64 ns),
	TP_ARGS(dev, personality, err, ns),
	TP_STRUCT__entry(
		__array(char, dev, VFMP_TP_NAME)
		__field(int, personality)
		__field(int, err)
		__field(u64, duration_ns)
	),
	TP_fast_assign(
		strscpy(__entry->dev, dev, VFMP_TP_NAME);
		__entry->personality = personality;
		__entry->err = err;
		__entry->duration_ns = ns;
	),
	TP_printk("dev=%s personality=%s err=%d duration_ns=%llu",
		  __entry->dev,
		  __print_symbolic(__entry->personality, { 0, "none" },
				   { 1, "pf" }, { 2, "vf" }),
		  __entry->err, __entry->duration_ns)
);

TRACE_EVENT(vfmp_init_step,
	TP_PROTO(const char *dev, int index, int rule, const char *step,
		 int err, bool skipped, u64 ns),
	TP_ARGS(dev, index, rule, step, err, skipped, ns),
	TP_STRUCT__entry(
		__array(char, dev, VFMP_TP_NAME)
		__array(char, step, VFMP_TP_WORD)
		__field(int, index)
		__field(int, rule)
		__field(int, err)
		__field(bool, skipped)
		__field(u64, duration_ns)
	),
	TP_fast_assign(
		strscpy(__entry->dev, dev, VFMP_TP_NAME);
		strscpy(__entry->step, step, VFMP_TP_WORD);
		__entry->index = index;
		__entry->rule = rule;
		__entry->err = err;
		__entry->skipped = skipped;
		__entry->duration_ns = ns;
	),
	TP_printk("dev=%s step=%d rule=R%d name=%s outcome=%s err=%d duration_ns=%llu",
		  __entry->dev, __entry->index, __entry->rule, __entry->step,
		  __entry->err ? "fail" : __entry->skipped ? "skip" : "ok",
		  __entry->err, __entry->duration_ns)
);

/* R2: every input of the partition decision and its verdict. */
TRACE_EVENT(vfmp_partition,
	TP_PROTO(const char *dev, int function, bool hv_present, int hv_kind,
		 bool hv_root, bool xen_dom0, int override, int partition,
		 int source, bool allow_bare_metal, int verdict, int err),
	TP_ARGS(dev, function, hv_present, hv_kind, hv_root, xen_dom0,
		override, partition, source, allow_bare_metal, verdict, err),
	TP_STRUCT__entry(
		__array(char, dev, VFMP_TP_NAME)
		__field(int, function)
		__field(bool, hv_present)
		__field(bool, hv_root)
		__field(bool, xen_dom0)
		__field(bool, allow_bare_metal)
		__field(int, hv_kind)
		__field(int, override)
		__field(int, partition)
		__field(int, source)
		__field(int, verdict)
		__field(int, err)
	),
	TP_fast_assign(
		strscpy(__entry->dev, dev, VFMP_TP_NAME);
		__entry->function = function;
		__entry->hv_present = hv_present;
		__entry->hv_root = hv_root;
		__entry->xen_dom0 = xen_dom0;
		__entry->allow_bare_metal = allow_bare_metal;
		__entry->hv_kind = hv_kind;
		__entry->override = override;
		__entry->partition = partition;
		__entry->source = source;
		__entry->verdict = verdict;
		__entry->err = err;
	),
	TP_printk("dev=%s function=%s hv_present=%d hv_kind=%d hv_root=%d xen_dom0=%d override=%d partition=%s source=%s allow_bare_metal=%d verdict=%d err=%d",
		  __entry->dev, __entry->function ? "vf" : "pf",
		  __entry->hv_present, __entry->hv_kind, __entry->hv_root,
		  __entry->xen_dom0, __entry->override,
		  __print_symbolic(__entry->partition, { 0, "unknown" },
				   { 1, "parent" }, { 2, "child" }),
		  __entry->source ? "device" : "platform",
		  __entry->allow_bare_metal, __entry->verdict, __entry->err)
);

/* R3: each keyword access, allowed (err 0 or read error) or refused. */
TRACE_EVENT(vfmp_keyword,
	TP_PROTO(const char *dev, int function, const char *keyword,
		 bool allowed, int err),
	TP_ARGS(dev, function, keyword, allowed, err),
	TP_STRUCT__entry(
		__array(char, dev, VFMP_TP_NAME)
		__array(char, keyword, VFMP_TP_WORD)
		__field(int, function)
		__field(bool, allowed)
		__field(int, err)
	),
	TP_fast_assign(
		strscpy(__entry->dev, dev, VFMP_TP_NAME);
		strscpy(__entry->keyword, keyword, VFMP_TP_WORD);
		__entry->function = function;
		__entry->allowed = allowed;
		__entry->err = err;
	),
	TP_printk("dev=%s function=%s keyword=%s %s err=%d", __entry->dev,
		  __entry->function ? "vf" : "pf", __entry->keyword,
		  __entry->allowed ? "allowed" : "refused", __entry->err)
);

/* R4/R5/R6: a capability record offered for registration. */
TRACE_EVENT(vfmp_caps_register,
	TP_PROTO(const char *dev, bool current_caps, u8 type, u8 rev, u16 size,
		 u32 flags, u32 caps, int err),
	TP_ARGS(dev, current_caps, type, rev, size, flags, caps, err),
	TP_STRUCT__entry(
		__array(char, dev, VFMP_TP_NAME)
		__field(bool, current_caps)
		__field(u8, type)
		__field(u8, rev)
		__field(u16, size)
		__field(u32, flags)
		__field(u32, caps)
		__field(int, err)
	),
	TP_fast_assign(
		strscpy(__entry->dev, dev, VFMP_TP_NAME);
		__entry->current_caps = current_caps;
		__entry->type = type;
		__entry->rev = rev;
		__entry->size = size;
		__entry->flags = flags;
		__entry->caps = caps;
		__entry->err = err;
	),
	TP_printk("dev=%s which=%s type=0x%x rev=%u size=%u flags=0x%x caps=0x%x err=%d",
		  __entry->dev, __entry->current_caps ? "current" : "hardware",
		  __entry->type, __entry->rev, __entry->size, __entry->flags,
		  __entry->caps, __entry->err)
);

/* R7/R8: a feature advertised or withheld, and the rule behind it. */
TRACE_EVENT(vfmp_feature,
	TP_PROTO(const char *dev, const char *feature, bool advertised,
		 int rule, const char *reason),
	TP_ARGS(dev, feature, advertised, rule, reason),
	TP_STRUCT__entry(
		__array(char, dev, VFMP_TP_NAME)
		__array(char, feature, VFMP_TP_WORD)
		__array(char, reason, 64)
		__field(bool, advertised)
		__field(int, rule)
	),
	TP_fast_assign(
		strscpy(__entry->dev, dev, VFMP_TP_NAME);
		strscpy(__entry->feature, feature, VFMP_TP_WORD);
		strscpy(__entry->reason, reason, 64);
		__entry->advertised = advertised;
		__entry->rule = rule;
	),
	TP_printk("dev=%s feature=%s %s rule=R%d reason=\"%s\"", __entry->dev,
		  __entry->feature,
		  __entry->advertised ? "advertised" : "withheld",
		  __entry->rule, __entry->reason)
);

/* Every mailbox message, seen from the side that traces it. */
TRACE_EVENT(vfmp_mbx,
	TP_PROTO(const char *dev, u16 vf, bool tx, u16 opcode, u16 len,
		 u16 status, int err),
	TP_ARGS(dev, vf, tx, opcode, len, status, err),
	TP_STRUCT__entry(
		__array(char, dev, VFMP_TP_NAME)
		__field(u16, vf)
		__field(bool, tx)
		__field(u16, opcode)
		__field(u16, len)
		__field(u16, status)
		__field(int, err)
	),
	TP_fast_assign(
		strscpy(__entry->dev, dev, VFMP_TP_NAME);
		__entry->vf = vf;
		__entry->tx = tx;
		__entry->opcode = opcode;
		__entry->len = len;
		__entry->status = status;
		__entry->err = err;
	),
	TP_printk("dev=%s vf=%u dir=%s opcode=%u len=%u status=%u err=%d",
		  __entry->dev, __entry->vf, __entry->tx ? "tx" : "rx",
		  __entry->opcode, __entry->len, __entry->status, __entry->err)
);

#endif /* _VFMP_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE vfmp_trace
#include <trace/define_trace.h>
