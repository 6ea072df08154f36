// SPDX-License-Identifier: GPL-2.0
/*
 * vfmpinit: device init on any driver, from vmlinux only (fentry/fexit on
 * the driver core, PCI SR-IOV and netdev registration, the module
 * tracepoints), plus vfmp.ko's rule-by-rule records from a kprobe on
 * vfmp_obs_emit() (kmod/include/vfmp_obs.h).  Nothing here attaches to a
 * module's BTF, so no module is pinned while the tool runs.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include "../tools/vfmpinit.h"
#include "../kmod/include/vfmp_obs.h"

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

/* events the ring buffer had no room for: counted, never silent */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, u64);
} lost SEC(".maps");

/* start time of a probe or SR-IOV enable in progress, by object address */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, u64);
	__type(value, u64);
} start SEC(".maps");

static __always_inline struct vfmpinit_event *ev_new(unsigned int kind)
{
	struct vfmpinit_event *e;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		u32 zero = 0;
		u64 *n = bpf_map_lookup_elem(&lost, &zero);

		if (n)
			(*n)++;
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->ts = bpf_ktime_get_ns();
	e->kind = kind;
	return e;
}

static __always_inline bool bus_is(const struct device *dev, const char *name,
				   int len)
{
	char b[16] = {};
	const char *n = BPF_CORE_READ(dev, bus, name);

	if (!n || bpf_probe_read_kernel_str(b, sizeof(b), n) < 0)
		return false;
	for (int i = 0; i < len && i < 16; i++)
		if (b[i] != name[i])
			return false;
	return true;
}

static __always_inline struct pci_dev *to_pci(struct device *dev)
{
	return (void *)dev - bpf_core_field_offset(struct pci_dev, dev);
}

/* name, bus and (for PCI) ids, VF flag, PF and class of a device */
static __always_inline void fill_dev(struct vfmpinit_event *e,
				     struct device *dev)
{
	const char *bus = BPF_CORE_READ(dev, bus, name);

	bpf_probe_read_kernel_str(e->dev, sizeof(e->dev),
				  BPF_CORE_READ(dev, kobj.name));
	if (bus)
		bpf_probe_read_kernel_str(e->bus, sizeof(e->bus), bus);
	if (bus_is(dev, "pci", 4)) {
		struct pci_dev *pdev = to_pci(dev);

		e->v[1] = BPF_CORE_READ(pdev, vendor);
		e->v[2] = BPF_CORE_READ(pdev, device);
		e->v[3] = BPF_CORE_READ_BITFIELD_PROBED(pdev, is_virtfn);
		e->v[4] = BPF_CORE_READ(pdev, class) >> 8;
		if (e->v[3])
			bpf_probe_read_kernel_str(e->pf, sizeof(e->pf),
				BPF_CORE_READ(pdev, physfn, dev.kobj.name));
	}
}

static __always_inline void fill_drv(struct vfmpinit_event *e,
				     const struct device_driver *drv)
{
	if (drv)
		bpf_probe_read_kernel_str(e->drv, sizeof(e->drv),
					  BPF_CORE_READ(drv, name));
}

/* ---- the driver core: one probe per bind attempt, on any bus ---- */

SEC("fentry/really_probe")
int BPF_PROG(probe_enter, struct device *dev, struct device_driver *drv)
{
	u64 key = (u64)dev, now = bpf_ktime_get_ns();
	struct vfmpinit_event *e;

	bpf_map_update_elem(&start, &key, &now, BPF_ANY);
	e = ev_new(EV_PROBE_START);
	if (!e)
		return 0;
	e->ts = now;
	fill_dev(e, dev);
	fill_drv(e, drv);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("fexit/really_probe")
int BPF_PROG(probe_exit, struct device *dev, struct device_driver *drv,
	     int ret)
{
	u64 key = (u64)dev, *t0;
	struct vfmpinit_event *e;

	e = ev_new(EV_PROBE);
	if (!e)
		goto out;
	t0 = bpf_map_lookup_elem(&start, &key);
	if (t0)
		e->ns = e->ts - *t0;
	/* really_probe() returns a failed probe's errno as a positive value */
	e->v[0] = ret > 0 ? -ret : ret;
	fill_dev(e, dev);
	fill_drv(e, drv);
	bpf_ringbuf_submit(e, 0);
out:
	bpf_map_delete_elem(&start, &key);
	return 0;
}

SEC("fentry/device_release_driver_internal")
int BPF_PROG(unbind, struct device *dev, struct device_driver *drv)
{
	struct vfmpinit_event *e;

	/* called for unbound devices too (device_del): only real unbinds */
	if (!BPF_CORE_READ(dev, driver))
		return 0;
	e = ev_new(EV_UNBIND);
	if (!e)
		return 0;
	fill_dev(e, dev);
	fill_drv(e, BPF_CORE_READ(dev, driver));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* a function that may become a VF: a PCI VF, or any vfmp_sim function */
static __always_inline bool is_function(struct device *dev)
{
	if (bus_is(dev, "pci", 4))
		return BPF_CORE_READ_BITFIELD_PROBED(to_pci(dev), is_virtfn);
	return bus_is(dev, "vfmp_sim", 9);
}

/* on entry: device_add() itself may probe (vfmp_sim does), PCI later */
SEC("fentry/device_add")
int BPF_PROG(dev_add, struct device *dev)
{
	struct vfmpinit_event *e;

	if (!is_function(dev))
		return 0;
	e = ev_new(EV_DEV_ADD);
	if (!e)
		return 0;
	fill_dev(e, dev);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("fentry/device_del")
int BPF_PROG(dev_del, struct device *dev)
{
	struct vfmpinit_event *e;

	if (!is_function(dev))
		return 0;
	e = ev_new(EV_DEV_DEL);
	if (!e)
		return 0;
	fill_dev(e, dev);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* ---- PCI SR-IOV on the PF side ---- */

SEC("fentry/pci_enable_sriov")
int BPF_PROG(sriov_enter, struct pci_dev *pdev, int nr_virtfn)
{
	u64 key = (u64)pdev, now = bpf_ktime_get_ns();

	bpf_map_update_elem(&start, &key, &now, BPF_ANY);
	return 0;
}

SEC("fexit/pci_enable_sriov")
int BPF_PROG(sriov_exit, struct pci_dev *pdev, int nr_virtfn, int ret)
{
	u64 key = (u64)pdev, *t0;
	struct vfmpinit_event *e;

	e = ev_new(EV_SRIOV);
	if (!e)
		goto out;
	t0 = bpf_map_lookup_elem(&start, &key);
	if (t0)
		e->ns = e->ts - *t0;
	fill_dev(e, &pdev->dev);
	fill_drv(e, BPF_CORE_READ(pdev, dev.driver));
	e->v[0] = ret;
	e->v[5] = nr_virtfn;
	bpf_ringbuf_submit(e, 0);
out:
	bpf_map_delete_elem(&start, &key);
	return 0;
}

SEC("fentry/pci_disable_sriov")
int BPF_PROG(sriov_off, struct pci_dev *pdev)
{
	struct vfmpinit_event *e = ev_new(EV_SRIOV_OFF);

	if (!e)
		return 0;
	fill_dev(e, &pdev->dev);
	fill_drv(e, BPF_CORE_READ(pdev, dev.driver));
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* ---- the netdev a device registered (iavf and others: after probe) ---- */

SEC("fexit/register_netdevice")
int BPF_PROG(netdev_reg, struct net_device *nd, int ret)
{
	struct device *parent = BPF_CORE_READ(nd, dev.parent);
	struct vfmpinit_event *e;

	if (ret || !parent)
		return 0;
	e = ev_new(EV_NETDEV);
	if (!e)
		return 0;
	fill_dev(e, parent);
	fill_drv(e, BPF_CORE_READ(parent, driver));
	bpf_probe_read_kernel_str(e->word, sizeof(e->word), nd->name);
	e->v[5] = BPF_CORE_READ(nd, ifindex);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* ---- modules: vmlinux tracepoints, so no module is pinned ---- */

SEC("tp_btf/module_load")
int BPF_PROG(module_load, struct module *mod)
{
	struct vfmpinit_event *e = ev_new(EV_MODULE_LOAD);

	if (!e)
		return 0;
	bpf_probe_read_kernel_str(e->word, sizeof(e->word), mod->name);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

SEC("tp_btf/module_free")
int BPF_PROG(module_free, struct module *mod)
{
	struct vfmpinit_event *e = ev_new(EV_MODULE_FREE);

	if (!e)
		return 0;
	bpf_probe_read_kernel_str(e->word, sizeof(e->word), mod->name);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* ---- vfmp.ko's records: a kprobe on vfmp:vfmp_obs_emit ---- */

SEC("kprobe")
int BPF_KPROBE(vfmp_obs, const struct vfmp_obs *op)
{
	struct vfmpinit_event *e;
	struct vfmp_obs o;

	if (bpf_probe_read_kernel(&o, sizeof(o), op) || o.abi != VFMP_OBS_ABI)
		return 0;
	e = ev_new(o.kind);
	if (!e)
		return 0;
	for (int i = 0; i < VFMP_OBS_NV; i++)
		e->v[i] = o.v[i];
	e->ns = o.ns;
	bpf_probe_read_kernel_str(e->dev, sizeof(e->dev), o.dev);
	if (o.word)
		bpf_probe_read_kernel_str(e->word, sizeof(e->word), o.word);
	if (o.reason)
		bpf_probe_read_kernel_str(e->reason, sizeof(e->reason),
					  o.reason);
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* ---- --profile MODULE: where a driver's time goes ---- */

struct prof_frame {
	u32 fn;
	u64 ts;
	u64 child_ns;
};

struct prof_stack {
	u32 depth;
	struct prof_frame f[PROF_DEPTH];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u32);		/* thread id */
	__type(value, struct prof_stack);
} prof_stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, PROF_MAX_FN);
	__type(key, u32);
	__type(value, struct prof_fn);
} prof_fns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, struct prof_edge_key);
	__type(value, struct prof_edge);
} prof_edges SEC(".maps");

static const struct prof_stack empty_stack;

SEC("kprobe")
int prof_entry(struct pt_regs *ctx)
{
	u32 tid = (u32)bpf_get_current_pid_tgid();
	struct prof_stack *s;
	u32 d;

	s = bpf_map_lookup_elem(&prof_stacks, &tid);
	if (!s) {
		bpf_map_update_elem(&prof_stacks, &tid, &empty_stack,
				    BPF_NOEXIST);
		s = bpf_map_lookup_elem(&prof_stacks, &tid);
		if (!s)
			return 0;
	}
	d = s->depth;
	if (d >= PROF_DEPTH)
		return 0;
	s->f[d].fn = bpf_get_attach_cookie(ctx);
	s->f[d].child_ns = 0;
	s->f[d].ts = bpf_ktime_get_ns();
	s->depth = d + 1;
	return 0;
}

SEC("kretprobe")
int prof_exit(struct pt_regs *ctx)
{
	u32 tid = (u32)bpf_get_current_pid_tgid(), fn, d;
	struct prof_edge_key k = {};
	struct prof_edge *ed, ne = {};
	u64 now = bpf_ktime_get_ns(), incl;
	struct prof_stack *s;
	struct prof_fn *st;

	s = bpf_map_lookup_elem(&prof_stacks, &tid);
	if (!s)
		return 0;
	fn = bpf_get_attach_cookie(ctx);
	/*
	 * Our frame is the top one, or a few below it when kretprobes were
	 * missed for the frames above (they are dropped).
	 */
	d = s->depth;
	if (d == 0 || d > PROF_DEPTH)
		return 0;
	d--;
#pragma clang loop unroll(full)
	for (int i = 0; i < 4; i++) {
		if (s->f[d & (PROF_DEPTH - 1)].fn == fn || d == 0)
			break;
		d--;
	}
	d &= PROF_DEPTH - 1;
	if (s->f[d].fn != fn)
		return 0;
	s->depth = d;
	incl = now - s->f[d].ts;
	st = bpf_map_lookup_elem(&prof_fns, &fn);
	if (st) {
		__sync_fetch_and_add(&st->calls, 1);
		__sync_fetch_and_add(&st->incl_ns, incl);
		__sync_fetch_and_add(&st->self_ns, incl - s->f[d].child_ns);
	}
	k.callee = fn;
	k.caller = PROF_ROOT;
	if (d > 0) {
		u32 pd = (d - 1) & (PROF_DEPTH - 1);

		s->f[pd].child_ns += incl;
		k.caller = s->f[pd].fn;
	}
	ed = bpf_map_lookup_elem(&prof_edges, &k);
	if (!ed) {
		bpf_map_update_elem(&prof_edges, &k, &ne, BPF_NOEXIST);
		ed = bpf_map_lookup_elem(&prof_edges, &k);
		if (!ed)
			return 0;
	}
	__sync_fetch_and_add(&ed->calls, 1);
	__sync_fetch_and_add(&ed->ns, incl);
	return 0;
}

/* ---- -x: driver messages, from kprobes on the drivers' functions ---- */

struct dec_call {
	u64 ts;
	u64 msg;
	u32 size;
	u32 vf;
	u32 opcode;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, u64);		/* thread id << 32 | decoder index */
	__type(value, struct dec_call);
} dec_calls SEC(".maps");

static __always_inline void dec_emit_words(u32 kind, u32 idx, u64 msg,
					   u32 size, u32 vf, bool tx)
{
	struct vfmpinit_event *e = ev_new(EV_DECODE);

	if (!e)
		return;
	e->v[0] = kind;
	e->v[1] = idx;
	e->v[2] = tx;
	e->v[3] = size;
	e->v[4] = vf;
	bpf_probe_read_kernel(&e->v[6], 4 * sizeof(int), (void *)msg);
	bpf_ringbuf_submit(e, 0);
}

SEC("kprobe")
int dec_entry(struct pt_regs *ctx)
{
	u64 cookie = bpf_get_attach_cookie(ctx);
	u32 kind = cookie & 0xff, idx = cookie >> 8;
	u64 key = (bpf_get_current_pid_tgid() << 32) | idx;
	struct dec_call c = { .ts = bpf_ktime_get_ns() };
	/* all up front: the verifier wants constant offsets into pt_regs */
	u64 p2 = PT_REGS_PARM2(ctx), p3 = PT_REGS_PARM3(ctx);
	u64 p4 = PT_REGS_PARM4(ctx), p5 = PT_REGS_PARM5(ctx);
	struct vfmpinit_event *e;
	u16 op;

	switch (kind) {
	case DEC_E1000_TX:
		dec_emit_words(kind, idx, p2,
			       (u16)p3,
			       (u16)p4, true);
		return 0;
	case DEC_E1000_RX_ENTRY:
		c.msg = p2;
		c.size = (u16)p3;
		c.vf = (u16)p4;
		break;
	case DEC_VIRTCHNL_TX:
	case DEC_VIRTCHNL_RX:
		e = ev_new(EV_DECODE);
		if (!e)
			return 0;
		e->v[0] = kind;
		e->v[1] = idx;
		e->v[2] = kind == DEC_VIRTCHNL_TX;
		e->v[5] = p2;		/* virtchnl op */
		if (kind == DEC_VIRTCHNL_RX) {
			e->v[6] = p3;	/* iavf_status */
			e->v[3] = (u16)p5;
		} else {
			e->v[3] = (u16)p4;
		}
		bpf_ringbuf_submit(e, 0);
		return 0;
	case DEC_MLX5_ENTRY:
		bpf_probe_read_kernel(&op, sizeof(op),
				      (void *)p2);
		c.opcode = __builtin_bswap16(op);
		break;
	case DEC_ENTRY:
		break;
	default:
		return 0;
	}
	bpf_map_update_elem(&dec_calls, &key, &c, BPF_ANY);
	return 0;
}

SEC("kretprobe")
int dec_exit(struct pt_regs *ctx)
{
	u64 cookie = bpf_get_attach_cookie(ctx);
	u32 kind = cookie & 0xff, idx = cookie >> 8;
	u64 key = (bpf_get_current_pid_tgid() << 32) | idx;
	long ret = PT_REGS_RC(ctx);
	struct vfmpinit_event *e;
	struct dec_call *c;

	c = bpf_map_lookup_elem(&dec_calls, &key);
	if (!c)
		return 0;
	if (kind == DEC_E1000_RX) {
		if (!(int)ret)
			dec_emit_words(kind, idx, c->msg, c->size, c->vf, false);
		goto out;
	}
	e = ev_new(EV_DECODE);
	if (!e)
		goto out;
	e->v[0] = kind;
	e->v[1] = idx;
	e->ns = bpf_ktime_get_ns() - c->ts;
	e->v[5] = c->opcode;
	/* an int result, or a pointer that may be an ERR_PTR */
	if (kind == DEC_RET_ERRPTR)
		e->v[6] = (unsigned long)ret >= (unsigned long)-4095 ? ret : 0;
	else
		e->v[6] = (int)ret;
	bpf_ringbuf_submit(e, 0);
out:
	bpf_map_delete_elem(&dec_calls, &key);
	return 0;
}
