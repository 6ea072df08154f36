/* SPDX-License-Identifier: GPL-2.0 */
/* vfmp_sim internals: shared between the files of vfmp_sim.ko only. */
#ifndef _VFMP_SIM_H
#define _VFMP_SIM_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "../include/vfmp_compat.h"
#include "../include/vfmp_sim_hw.h"

enum sim_kw {
	SIM_KW_SRIOV = 0,
	SIM_KW_SRIOV_PREFERRED,
	SIM_KW_SWITCH_TYPE,
	SIM_KW_SWITCH_NAME,
	SIM_KW_SWITCH_ID,
	SIM_KW_NUM_VFS,
	SIM_KW_COUNT,
};

/* Mailbox directions within one VF's channel. */
enum sim_mbx_dir {
	SIM_TO_PF = 0,
	SIM_TO_VF,
	SIM_DIRS,
};

struct sim_msg {
	struct list_head node;
	unsigned long deliver_at;	/* jiffies; reply delay fault */
	u16 len;
	u8 data[];
};

struct sim_mbx_queue {
	struct list_head msgs;
	unsigned int depth;
	struct delayed_work bell;
	u64 sent;
	u64 received;
	u64 dropped;		/* fault knob drop_mbx_reply */
	u64 failed;		/* fault knob fail_mbx_send */
	u64 timeouts;		/* channel full for the whole send timeout */
	u64 busy;		/* post refused: channel full */
	u64 injected;		/* debugfs vf_inject, on behalf of the VF */
};

struct sim_mbx_chan {
	struct vfmp_sim_adapter *ad;
	u16 vf;
	spinlock_t lock;	/* queues, counters */
	wait_queue_head_t space;
	struct sim_mbx_queue q[SIM_DIRS];
};

struct sim_doorbell {
	vfmp_sim_doorbell_t fn;
	void *ctx;
};

struct vfmp_sim_adapter {
	struct list_head node;
	u32 id;
	u16 total_vfs;
	u16 queue_pairs;
	bool dying;
	/*
	 * sriov_lock serializes every path that adds or removes VF devices
	 * (enable, disable, surprise removal, adapter teardown): they drop
	 * ad->lock around device_add/unregister, which run driver code.
	 */
	struct mutex sriov_lock;

	struct vfmp_sim_device *pf;
	/* lock: vfs[], num_vfs, keywords, doorbells; may sleep under it */
	struct mutex lock;
	u16 num_vfs;
	struct vfmp_sim_device **vfs;	/* total_vfs entries */
	bool *vf_present;		/* cleared by surprise removal */
	bool *vf_enabled;		/* vfmp_sim_enable_device() done */
	bool *vf_assigned;		/* `assigned` attribute */
	bool pf_enabled;

	char kw[SIM_KW_COUNT][VFMP_SIM_KW_VALUE_MAX];
	atomic64_t kw_reads[SIM_KW_COUNT][2];	/* [kw][pf=0,vf=1] */

	/* mailbox */
	struct sim_mbx_chan *chan;	/* total_vfs entries */
	spinlock_t bell_lock;		/* pf_bell, vf_bell[] */
	struct sim_doorbell pf_bell;
	struct sim_doorbell *vf_bell;	/* total_vfs entries */

	/* fault injection (debugfs) */
	spinlock_t fault_lock;
	u32 fail_mbx_send;
	u32 drop_mbx_reply;
	u32 mbx_reply_delay_ms;
	u32 mbx_send_timeout_ms;
	u32 fail_alloc;
	u32 fail_vf_add;	/* the Nth VF added from now fails */
	u32 vf_max_mtu;		/* debugfs: VFs created later report this */
	u64 fail_alloc_hits;
	atomic_t rx_bad_len;	/* next N RX write-backs overstate the length */

	struct dentry *ddir;
	struct sim_dp *dp;		/* datapath (vfmp_sim_dp.c) */
};

/* bus (vfmp_sim_bus.c) */
extern struct bus_type vfmp_sim_bus;
void sim_bus_close(void);
void sim_bus_closed(void);

/* module, allocations, fault knobs and adapters (vfmp_sim_main.c) */
extern struct workqueue_struct *vfmp_sim_wq;
extern atomic_long_t vfmp_sim_allocs;
void *sim_zalloc(size_t size);
void *sim_calloc(size_t n, size_t size);
void sim_free(const void *p);
bool sim_fault_consume(struct vfmp_sim_adapter *ad, u32 *knob);
bool sim_fault_nth(struct vfmp_sim_adapter *ad, u32 *knob);
int sim_adapter_new(u32 id, u16 total_vfs, u16 qps);
int sim_adapter_del(u32 id);

/* devices (vfmp_sim_dev.c) */
struct vfmp_sim_device *sim_dev_create(struct vfmp_sim_adapter *ad,
				       enum vfmp_sim_function fn, u16 vf);

/* SR-IOV (vfmp_sim_sriov.c) */
void sim_vfs_del_all_locked(struct vfmp_sim_adapter *ad);
int sim_vf_remove(struct vfmp_sim_adapter *ad, u16 vf, bool surprise);

/* keywords (vfmp_sim_nvm.c) */
extern const char * const sim_kw_names[SIM_KW_COUNT];
void sim_kw_defaults(struct vfmp_sim_adapter *ad);
int sim_kw_set(struct vfmp_sim_adapter *ad, const char *name,
	       const char *value);

/* mailbox (vfmp_sim_mbx.c) */
int sim_mbx_init(struct vfmp_sim_adapter *ad);
void sim_mbx_reset_vf(struct vfmp_sim_adapter *ad, u16 vf);
void sim_mbx_fini(struct vfmp_sim_adapter *ad);
void sim_mbx_ring_pending(struct vfmp_sim_adapter *ad, u16 vf,
			  enum sim_mbx_dir dir);
int sim_mbx_inject(struct vfmp_sim_adapter *ad, u16 vf, const void *msg,
		   size_t len);

/* datapath (vfmp_sim_dp.c) */
struct sim_dp;
int sim_dp_init(struct vfmp_sim_adapter *ad);
void sim_dp_fini(struct vfmp_sim_adapter *ad);
void sim_dp_reset_vf(struct vfmp_sim_adapter *ad, u16 vf);

/* debugfs (vfmp_sim_debugfs.c) */
void sim_debugfs_init(void);
void sim_debugfs_fini(void);
void sim_debugfs_adapter_add(struct vfmp_sim_adapter *ad);
void sim_debugfs_adapter_del(struct vfmp_sim_adapter *ad);

#endif /* _VFMP_SIM_H */
