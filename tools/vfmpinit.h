/* SPDX-License-Identifier: GPL-2.0 */
/* vfmpinit: events shared by vfmpinit.bpf.c and vfmpinit.c */
#ifndef __VFMPINIT_H
#define __VFMPINIT_H

#define VFMPINIT_NAME	32
#define VFMPINIT_DRV	24
#define VFMPINIT_BUS	16
#define VFMPINIT_WORD	24
#define VFMPINIT_REASON	64

/*
 * Kinds 1..8 are vfmp.ko's own records (enum vfmp_obs_kind, read from
 * vfmp_obs_emit()); the rest come from vmlinux and so from every driver.
 */
enum vfmpinit_kind {
	EV_PROBE_START = 16,	/* really_probe() entered: dev, drv, bus */
	EV_PROBE,		/* really_probe() returned: v0 result */
	EV_DEV_ADD,		/* a PCI VF or a vfmp_sim function was added */
	EV_DEV_DEL,		/* ... and removed */
	EV_SRIOV,		/* pci_enable_sriov() returned: v0 result, v1 n */
	EV_SRIOV_OFF,		/* pci_disable_sriov() */
	EV_NETDEV,		/* register_netdevice() succeeded: v0 ifindex */
	EV_UNBIND,		/* a driver is being unbound */
	EV_MODULE_LOAD,		/* word: module name */
	EV_MODULE_FREE,
	EV_DECODE,		/* -x: a driver message, see enum dec_kind */
};

/*
 * -x decoders: kprobes defined in tracefs on MODULE:function, the BPF
 * cookie is (decoder index << 8) | kind.
 */
enum dec_kind {
	DEC_E1000_TX = 1,	/* igbvf/igb write mbx: (hw, u32 *msg, u16 size[, u16 vf]) */
	DEC_E1000_RX_ENTRY,	/* igbvf/igb read mbx: remember msg, size[, vf] */
	DEC_E1000_RX,		/* ... return: the words read */
	DEC_VIRTCHNL_TX,	/* iavf_send_pf_msg(adapter, op, msg, len) */
	DEC_VIRTCHNL_RX,	/* iavf_virtchnl_completion(adapter, op, ret, msg, len) */
	DEC_MLX5_ENTRY,		/* mlx5_cmd_exec(dev, in, ...): be16 opcode */
	DEC_MLX5_RET,		/* ... return */
	DEC_ENTRY,		/* any function: time its call */
	DEC_RET_ERRPTR,		/* ... return of a pointer or ERR_PTR */
};

/*
 * v[] for the generic kinds: v0 result (negative errno), v1 PCI vendor,
 * v2 PCI device, v3 is a PCI VF, v4 PCI class >> 8, v5 VF count (SRIOV)
 * or ifindex (NETDEV).  pf: the PF of a PCI VF.
 */
struct vfmpinit_event {
	unsigned long long ts;		/* CLOCK_MONOTONIC ns */
	unsigned long long ns;		/* duration */
	unsigned int kind;
	int v[12];
	char dev[VFMPINIT_NAME];	/* device (PCI BDF, sim name) */
	char pf[VFMPINIT_NAME];
	char drv[VFMPINIT_DRV];		/* driver */
	char bus[VFMPINIT_BUS];
	char word[VFMPINIT_WORD];	/* step, keyword, feature, module, netdev */
	char reason[VFMPINIT_REASON];
};

/*
 * --profile MODULE: a kprobe and a kretprobe on each function of the
 * module, the function's index as the attach cookie.  Inclusive and self
 * time per function, and per caller -> callee edge.
 */
#define PROF_MAX_FN	2048
#define PROF_DEPTH	32
#define PROF_ROOT	PROF_MAX_FN	/* "caller" of an entry point */

struct prof_fn {
	unsigned long long calls;
	unsigned long long incl_ns;
	unsigned long long self_ns;
};

struct prof_edge_key {
	unsigned int caller;
	unsigned int callee;
};

struct prof_edge {
	unsigned long long calls;
	unsigned long long ns;
};

#endif /* __VFMPINIT_H */
