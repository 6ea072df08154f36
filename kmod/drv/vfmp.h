/* SPDX-License-Identifier: GPL-2.0 */
/* vfmp driver internals. */
#ifndef _VFMP_H
#define _VFMP_H

#include <linux/completion.h>
#include <linux/error-injection.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/types.h>

#include "vfmp_compat.h"
#include "vfmp_sim_hw.h"
#include "vfmp_caps.h"
#include "vfmp_mbx_proto.h"
#include "vfmp_rules.h"
#include "vfmp_dp.h"

#define VFMP_DRV_NAME		"vfmp"
#define VFMP_DRV_VERSION	"0.3.0"
#define VFMP_NAME_LEN		32
#define VFMP_MAX_STEPS		16	/* a step table's length, at most */

struct vfmp_adapter;

/*
 * One step of the init sequence (the MiniportInitializeEx counterpart).
 * Each run function is marked ALLOW_ERROR_INJECTION(fn, ERRNO): on a
 * kernel with CONFIG_FAIL_FUNCTION a test makes any step fail and checks
 * that the steps before it are undone (tests/vm/debug/t/20-step-inject.sh).
 */
struct vfmp_step {
	const char *name;
	enum vfmp_rule rule;
	/* returns 0, a negative errno, or VFMP_STEP_SKIP */
	int (*run)(struct vfmp_adapter *ad, const char **note);
	void (*undo)(struct vfmp_adapter *ad);
};

#define VFMP_STEP_SKIP		1

struct vfmp_step_log {
	const char *name;
	enum vfmp_rule rule;
	int err;
	bool skipped;
	u64 ns;
	const char *note;
};

/* The PF's view of one VF (everything a VF says is untrusted). */
struct vfmp_vf_state {
	bool version_done;
	u16 qps;
	u8 mac[ETH_ALEN];
	u64 requests;
	u64 rejects;
	u16 last_reject;	/* enum vfmp_mbx_status */
	u16 last_reject_op;
	u8 admin_mac[ETH_ALEN];	/* ip link set PF vf N mac; zero: none */
	u64 lost;		/* replies and events a full mailbox refused */
};

/* NIC switch created by the PF from its keywords (the default switch). */
struct vfmp_nic_switch {
	bool created;
	u32 type;		/* *SwitchType */
	u32 id;			/* *SwitchId */
	u32 num_vfs;		/* *NumVFs */
	char name[VFMP_SIM_KW_VALUE_MAX];	/* *SwitchName */
};

struct vfmp_pf {
	bool sriov_enabled;	/* *SRIOV and the partition verdict */
	bool sriov_preferred;	/* *SriovPreferred */
	const char *sriov_off_reason;
	struct vfmp_nic_switch nswitch;
	u16 total_vfs;
	struct mutex vf_lock;	/* vfs[] */
	struct vfmp_vf_state *vfs;
	struct devlink *devlink;
};

struct vfmp_vf {
	struct mutex mbx_lock;	/* one request in flight */
	spinlock_t reply_lock;	/* seq, expect_op, reply */
	struct completion reply_done;
	u32 seq;		/* of the request in flight */
	u16 expect_op;
	u8 reply[VFMP_MBX_MAX_LEN];
	int reply_len;
	u64 requests;		/* sent by this instance */
	u64 unexpected;		/* stray or late replies */
	u32 stale;		/* left unread by an earlier instance */
	struct vfmp_mbx_get_res_reply res;
	/* PF events (link, MAC), applied under RTNL by event_work */
	struct work_struct event_work;
	u8 new_mac[ETH_ALEN];
	bool mac_pending;
	bool link_pending;
};

struct vfmp_adapter {
	struct vfmp_sim_device *sdev;
	struct device *dev;
	struct net_device *netdev;
	char name[VFMP_NAME_LEN];
	enum vfmp_function function;
	const struct vfmp_step *steps;
	int nsteps;
	int steps_done;

	/* R2 */
	struct vfmp_platform platform;
	enum vfmp_part_override override;
	struct vfmp_hv_info hv;
	struct vfmp_decision decision;

	/* R4..R8 */
	struct vfmp_sriov_caps hw_caps;
	struct vfmp_sriov_caps cur_caps;
	struct vfmp_rx_filter_caps rx_filter_caps;	/* PF: VMQ */
	struct vfmp_hw_assist_attrs attrs;
	bool attrs_registered;
	struct vfmp_rss_caps rss;
	struct vfmp_pm_caps pm;
	u32 wolopts;
	u16 num_qps;		/* queue pairs this function may use */

	/* datapath (vfmp_dp.c), configured under RTNL */
	struct vfmp_qp *qps;
	u16 nq_up;		/* queue pairs running, 0 when down */
	u16 rx_ring_size;
	u16 tx_ring_size;
	unsigned int rx_order;
	struct bpf_prog __rcu *xdp_prog;
	struct vfmp_sim_rss rss_cfg;	/* what the RSS engine was given */

	struct vfmp_step_log log[VFMP_MAX_STEPS];
	u64 init_ns;
	int init_err;

	union {
		struct vfmp_pf pf;
		struct vfmp_vf vf;
	};
};

extern bool vfmp_allow_bare_metal_vf;
extern unsigned int vfmp_mbx_timeout_ms;
extern bool vfmp_debug_vf_kw_read;

/* vfmp_main.c: probe/remove run the step tables; R1 enable step */
int vfmp_step_enable(struct vfmp_adapter *ad, const char **note);
void vfmp_undo_enable(struct vfmp_adapter *ad);

/* vfmp_hv.c: R2, the platform query and the partition step */
void vfmp_platform_read(struct vfmp_platform *p);
int vfmp_step_partition(struct vfmp_adapter *ad, const char **note);

/* vfmp_kw.c: the one keyword accessor (R3) */
int vfmp_kw_read(struct vfmp_adapter *ad, const char *kw, char *buf,
		 size_t len);
int vfmp_kw_read_u32(struct vfmp_adapter *ad, const char *kw, u32 *val);

/*
 * vfmp_attrs.c: the capability records (R4/R5, R7, R8) and their
 * registration, the NdisMSetMiniportAttributes counterpart (R6)
 */
int vfmp_set_miniport_attributes(struct vfmp_adapter *ad,
				 const struct vfmp_hw_assist_attrs *attrs);
int vfmp_step_sriov_caps(struct vfmp_adapter *ad, const char **note);
int vfmp_step_sriov_flags(struct vfmp_adapter *ad, const char **note);
int vfmp_step_vmq(struct vfmp_adapter *ad, const char **note);
int vfmp_step_register_attrs(struct vfmp_adapter *ad, const char **note);
void vfmp_undo_register_attrs(struct vfmp_adapter *ad);
int vfmp_step_rss_pm(struct vfmp_adapter *ad, const char **note);
void vfmp_undo_rss_pm(struct vfmp_adapter *ad);

/* vfmp_pf.c: the PF personality's steps and sriov_configure */
extern const struct vfmp_step vfmp_pf_steps[];
extern const int vfmp_pf_nsteps;
int vfmp_pf_sriov_configure(struct vfmp_sim_device *sdev, int num_vfs);
int vfmp_pf_read_keywords(struct vfmp_adapter *ad);

/* vfmp_pf_mbx.c: the PF side of the mailbox */
int vfmp_pf_step_mailbox(struct vfmp_adapter *ad, const char **note);
void vfmp_pf_undo_mailbox(struct vfmp_adapter *ad);
void vfmp_pf_mbx_event(struct vfmp_adapter *ad, u16 vf, u16 event,
		       bool link_up, const u8 *mac);
int vfmp_pf_mac_owner(struct vfmp_adapter *ad, int vf, const u8 *mac);
int vfmp_pf_vf_mac_owner(struct vfmp_adapter *ad, int vf, const u8 *mac);
void vfmp_pf_free_vf_mac(struct vfmp_adapter *ad, u16 vf, u8 *mac);

/* vfmp_vfctl.c: ip link set PF vf N ... (the PF's ndo_set_vf_*) */
int vfmp_pf_set_mac_address(struct net_device *nd, void *p);
int vfmp_set_vf_mac(struct net_device *nd, int vf, u8 *mac);
int vfmp_set_vf_vlan(struct net_device *nd, int vf, u16 vlan, u8 qos,
		     __be16 proto);
int vfmp_set_vf_spoofchk(struct net_device *nd, int vf, bool on);
int vfmp_set_vf_trust(struct net_device *nd, int vf, bool on);
int vfmp_set_vf_link_state(struct net_device *nd, int vf, int state);
int vfmp_set_vf_rate(struct net_device *nd, int vf, int min_rate,
		     int max_rate);
int vfmp_get_vf_config(struct net_device *nd, int vf,
		       struct ifla_vf_info *ivi);
int vfmp_get_vf_stats(struct net_device *nd, int vf,
		      struct ifla_vf_stats *vs);

/* vfmp_vf.c: the VF personality's steps */
extern const struct vfmp_step vfmp_vf_steps[];
extern const int vfmp_vf_nsteps;

/* vfmp_vf_mbx.c: the VF side of the mailbox */
int vfmp_vf_step_mailbox(struct vfmp_adapter *ad, const char **note);
void vfmp_vf_undo_mailbox(struct vfmp_adapter *ad);
int vfmp_vf_config_rss(struct vfmp_adapter *ad, const struct vfmp_sim_rss *rss,
		       u16 nqueues);
int vfmp_vf_set_mac_address(struct net_device *nd, void *p);

/* vfmp_netdev.c: the netdev, and the R1 steps that allocate and register it */
struct net_device *vfmp_netdev_alloc(struct vfmp_adapter *ad);
void vfmp_netdev_free(struct vfmp_adapter *ad);
int vfmp_step_alloc(struct vfmp_adapter *ad, const char **note);
void vfmp_undo_alloc(struct vfmp_adapter *ad);
int vfmp_step_netdev(struct vfmp_adapter *ad, const char **note);
void vfmp_undo_netdev(struct vfmp_adapter *ad);
int vfmp_reconfigure(struct vfmp_adapter *ad,
		     void (*fn)(struct vfmp_adapter *ad, void *arg), void *arg);
/* RSS programming: directly (PF) or through the PF (VF) */
int vfmp_rss_apply(struct vfmp_adapter *ad, const struct vfmp_sim_rss *rss,
		   u16 nqueues);
static inline struct vfmp_adapter *vfmp_netdev_adapter(struct net_device *nd)
{
	return *(struct vfmp_adapter **)netdev_priv(nd);
}

/* vfmp_ethtool.c */
void vfmp_set_ethtool_ops(struct net_device *nd);

/* vfmp_sysfs.c: the vfmp/ attribute group (R1 step) and the init log */
extern const struct attribute_group vfmp_sysfs_group;
int vfmp_step_sysfs(struct vfmp_adapter *ad, const char **note);
void vfmp_undo_sysfs(struct vfmp_adapter *ad);
int vfmp_init_log_format(const struct vfmp_adapter *ad, char *buf,
			 size_t len);
void vfmp_remember_failed_init(const struct vfmp_adapter *ad);
extern struct attribute *vfmp_drv_attrs[];

/* vfmp_devlink.c */
int vfmp_devlink_register(struct vfmp_adapter *ad);
void vfmp_devlink_unregister(struct vfmp_adapter *ad);

/* vfmp_obs.c: each init decision, as a tracepoint and for vfmp_obs_emit() */
struct vfmp_obs;
void vfmp_obs_emit(const struct vfmp_obs *o);
void vfmp_note_init_begin(const char *dev, int function);
void vfmp_note_init_end(const char *dev, int personality, int err, u64 ns);
void vfmp_note_init_step(const char *dev, int index, int rule,
			 const char *step, int err, bool skipped, u64 ns);
void vfmp_note_partition(const char *dev, int function, bool hv_present,
			 int hv_kind, bool hv_root, bool xen_dom0, int override,
			 int partition, int source, bool allow_bare_metal,
			 int verdict, int err);
void vfmp_note_keyword(const char *dev, int function, const char *keyword,
		       bool allowed, int err);
void vfmp_note_caps_register(const char *dev, bool current_caps, u8 type,
			     u8 rev, u16 size, u32 flags, u32 caps, int err);
void vfmp_note_feature(const char *dev, const char *feature, bool advertised,
		       int rule, const char *reason);
void vfmp_note_mbx(const char *dev, u16 vf, bool tx, u16 opcode, u16 len,
		   u16 status, int err);

#endif /* _VFMP_H */
