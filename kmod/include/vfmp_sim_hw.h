/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfmp_sim hardware interface.
 *
 * This is everything a driver may know about the simulated SR-IOV NIC:
 * the bus it sits on, the capability "registers" each function exposes,
 * the PF's keyword store (its NVM), SR-IOV enable/disable, the per-VF
 * PF/VF mailbox, and the datapath (rings, interrupts, NIC switch ports,
 * RSS, counters).  The simulator never looks at driver state; the driver
 * never looks behind this header.  See docs/hardware.md.
 */
#ifndef _VFMP_SIM_HW_H
#define _VFMP_SIM_HW_H

#include <linux/device.h>
#include <linux/if_ether.h>
#include <linux/types.h>

#define VFMP_SIM_BUS_NAME		"vfmp_sim"

/* Limits of the simulated silicon. */
#define VFMP_SIM_MAX_ADAPTER_ID		1023
#define VFMP_SIM_MAX_VFS		64
#define VFMP_SIM_DEF_VFS		8
#define VFMP_SIM_MAX_QUEUE_PAIRS	16
#define VFMP_SIM_DEF_QUEUE_PAIRS	4
/* the core's VFMP_RSS_KEY_SIZE and VFMP_RSS_INDIR_SIZE (checked in the sim) */
#define VFMP_SIM_RSS_KEY_SIZE		40
#define VFMP_SIM_RSS_INDIR_SIZE		128
#define VFMP_SIM_MAX_MTU		9000
#define VFMP_SIM_MIN_MTU		68
#define VFMP_SIM_VMQ_QUEUES		8
/* Longest keyword value the NVM stores, NUL included. */
#define VFMP_SIM_KW_VALUE_MAX		64

/* Mailbox: a bounded channel of opaque messages per VF and direction. */
#define VFMP_SIM_MBX_MSG_MAX		256
#define VFMP_SIM_MBX_DEPTH		16
#define VFMP_SIM_MBX_SEND_TIMEOUT_MS	1000

/*
 * RSS hash types the engine can compute: the core's VFMP_RSS_HASH_* bits,
 * as enum vfmp_sim_hash_type below is the core's enum vfmp_rss_htype
 * (kmod/sim/vfmp_sim_rss.c checks both at build time).
 */
#define VFMP_SIM_HASH_IPV4		0x01
#define VFMP_SIM_HASH_TCP_IPV4		0x02
#define VFMP_SIM_HASH_UDP_IPV4		0x04
#define VFMP_SIM_HASH_IPV6		0x08
#define VFMP_SIM_HASH_TCP_IPV6		0x10
#define VFMP_SIM_HASH_UDP_IPV6		0x20
#define VFMP_SIM_HASH_ALL		0x3f

/* Wake-on-LAN modes the function can arm. */
#define VFMP_SIM_WOL_MAGIC		0x01

enum vfmp_sim_function {
	VFMP_SIM_FN_PF = 0,
	VFMP_SIM_FN_VF,
};

/*
 * The partition the function is assigned to, as the platform's
 * configuration reports it.  PLATFORM means "ask the real platform";
 * PARENT and CHILD model a virtualized host inside one kernel.
 */
enum vfmp_sim_partition {
	VFMP_SIM_PART_PLATFORM = 0,
	VFMP_SIM_PART_PARENT,
	VFMP_SIM_PART_CHILD,
};

/* Capability registers of one function (read-only, set at creation). */
struct vfmp_sim_caps {
	u16 max_queue_pairs;
	u16 rss_key_size;
	u16 rss_indir_size;
	u16 max_mtu;
	u32 rss_hash_types;		/* VFMP_SIM_HASH_* */
	u32 wol_modes;			/* VFMP_SIM_WOL_* */
	u16 vmq_queues;			/* > 0: the function is VMQ capable */
	u8 perm_addr[ETH_ALEN];		/* PF: burnt-in MAC; VF: zero */
};

struct vfmp_sim_adapter;

struct vfmp_sim_device {
	struct device dev;
	enum vfmp_sim_function function;
	u32 adapter_id;
	u16 vf_index;			/* VF only */
	struct vfmp_sim_caps caps;
	struct vfmp_sim_adapter *adapter;	/* opaque to drivers */
};

#define to_vfmp_sim_device(d) container_of(d, struct vfmp_sim_device, dev)

struct vfmp_sim_driver {
	struct device_driver driver;
	int (*probe)(struct vfmp_sim_device *sdev);
	void (*remove)(struct vfmp_sim_device *sdev);
	/* PF only, like pci_driver.sriov_configure: returns num_vfs or -errno */
	int (*sriov_configure)(struct vfmp_sim_device *pf, int num_vfs);
};

#define to_vfmp_sim_driver(d) container_of(d, struct vfmp_sim_driver, driver)

int __vfmp_sim_register_driver(struct vfmp_sim_driver *drv,
			       struct module *owner);
#define vfmp_sim_register_driver(drv) \
	__vfmp_sim_register_driver(drv, THIS_MODULE)
void vfmp_sim_unregister_driver(struct vfmp_sim_driver *drv);

/* Configuration space. */
enum vfmp_sim_partition vfmp_sim_get_partition(struct vfmp_sim_device *sdev);

/*
 * Claim / release the function's hardware resources (the
 * pci_enable_device() + BAR mapping counterpart).  May fail with -ENOMEM
 * (fault knob fail_alloc) or -ENODEV (function surprise-removed).
 */
int vfmp_sim_enable_device(struct vfmp_sim_device *sdev);
void vfmp_sim_disable_device(struct vfmp_sim_device *sdev);

/*
 * The adapter's keyword store (NVM).  Every read is counted per requesting
 * function kind.  Returns the value's length, -ENOENT for an unknown
 * keyword or -ENOSPC if @len is too small (VFMP_SIM_KW_VALUE_MAX always
 * fits).  May sleep.
 */
int vfmp_sim_read_keyword(struct vfmp_sim_device *sdev, const char *name,
			  char *buf, size_t len);

/*
 * Admin/PF write of a keyword (devlink permanent parameters).  PF only
 * (-EPERM for a VF); -ENOENT unknown keyword, -EINVAL bad value.
 */
int vfmp_sim_write_keyword(struct vfmp_sim_device *sdev, const char *name,
			   const char *value);

/* SR-IOV control, PF only; call from sriov_configure. May sleep. */
int vfmp_sim_sriov_enable(struct vfmp_sim_device *pf, int num_vfs);
void vfmp_sim_sriov_disable(struct vfmp_sim_device *pf);
int vfmp_sim_sriov_num_vfs(struct vfmp_sim_device *pf);
int vfmp_sim_sriov_total_vfs(struct vfmp_sim_device *pf);
/*
 * VFs flagged as assigned to a guest (the VF's `assigned` attribute, the
 * PCI_DEV_FLAGS_ASSIGNED counterpart): a PF driver must not pull them
 * from under the guest, so it leaves SR-IOV enabled when it goes away.
 */
int vfmp_sim_sriov_vfs_assigned(struct vfmp_sim_device *pf);

/*
 * Mailbox.  A PF addresses VF @vf; a VF's @vf argument is ignored (it
 * always talks to its PF).  The doorbell runs in process context (a
 * threaded interrupt) once per batch of arrivals; the receiver drains the
 * channel with vfmp_sim_mbx_recv() until -EAGAIN.  For a PF the doorbell
 * names the VF whose channel has messages.
 */
typedef void (*vfmp_sim_doorbell_t)(struct vfmp_sim_device *sdev, u16 vf,
				    void *ctx);

int vfmp_sim_mbx_set_doorbell(struct vfmp_sim_device *sdev,
			      vfmp_sim_doorbell_t fn, void *ctx);
/* After it returns no doorbell of @sdev runs or will run. */
void vfmp_sim_mbx_clear_doorbell(struct vfmp_sim_device *sdev);
/* 0, -EMSGSIZE, -EIO (fault), -ETIMEDOUT (channel full), -ENODEV. Sleeps. */
int vfmp_sim_mbx_send(struct vfmp_sim_device *sdev, u16 vf,
		      const void *msg, size_t len);
/*
 * As vfmp_sim_mbx_send() but never sleeps on a full channel: -EBUSY.  A PF
 * answers and notifies with it, so a VF that does not read its mailbox
 * cannot hold the PF (or another VF) up.
 */
int vfmp_sim_mbx_post(struct vfmp_sim_device *sdev, u16 vf,
		      const void *msg, size_t len);
/*
 * A receiver that stopped draining before -EAGAIN (a budget) asks for its
 * doorbell again if messages still wait, so other channels get a turn.
 */
void vfmp_sim_mbx_rearm(struct vfmp_sim_device *sdev, u16 vf);
/* Length of the message copied, -EAGAIN if none, -EMSGSIZE if too small. */
int vfmp_sim_mbx_recv(struct vfmp_sim_device *sdev, u16 vf,
		      void *buf, size_t len);

/* ---- Datapath: descriptor rings, interrupts, NIC switch, RSS -------- */

#define VFMP_SIM_RING_MIN		64
#define VFMP_SIM_RING_MAX		4096
#define VFMP_SIM_RING_DEF		512

/* Descriptor status, written back by the device. */
#define VFMP_SIM_DESC_DD		0x1	/* descriptor done */

/* RSS hash type of a received frame (written back with the hash). */
enum vfmp_sim_hash_type {
	VFMP_SIM_HT_NONE = 0,
	VFMP_SIM_HT_IPV4,
	VFMP_SIM_HT_TCP_IPV4,
	VFMP_SIM_HT_UDP_IPV4,
	VFMP_SIM_HT_IPV6,
	VFMP_SIM_HT_TCP_IPV6,
	VFMP_SIM_HT_UDP_IPV6,
};

/*
 * RX descriptor: the driver posts (addr, buf_len) and rings
 * vfmp_sim_rx_kick(); the device copies one frame into the buffer (as DMA
 * would), writes len/hash/hash_type/queue and then sets DD.
 */
struct vfmp_sim_rx_desc {
	u64 addr;		/* driver: buffer kernel address */
	u32 buf_len;		/* driver: room in the buffer */
	u32 status;		/* device: VFMP_SIM_DESC_DD */
	u32 len;		/* device: frame length */
	u32 hash;		/* device: RSS hash */
	u16 hash_type;		/* device: enum vfmp_sim_hash_type */
	u16 queue;		/* device: queue it was steered to */
	u32 rsvd;
};

/* TX descriptor: one frame in one buffer; the device sets DD when sent. */
struct vfmp_sim_tx_desc {
	u64 addr;		/* driver: frame kernel address */
	u32 len;		/* driver: frame length */
	u32 status;		/* device: VFMP_SIM_DESC_DD */
};

/*
 * One queue pair, handed to the device by vfmp_sim_queue_start().  The
 * rings are the driver's memory; sizes are powers of two.  The interrupt
 * is auto-masked when it fires and stays masked until
 * vfmp_sim_irq_unmask(); it may be called from any context with BHs off
 * (the device works synchronously in the sender's transmit path).
 */
struct vfmp_sim_queue {
	u16 qid;
	u16 rx_size;
	u16 tx_size;
	struct vfmp_sim_rx_desc *rx;
	struct vfmp_sim_tx_desc *tx;
	void (*irq)(void *ctx);
	void *ctx;
};

int vfmp_sim_queue_start(struct vfmp_sim_device *sdev,
			 const struct vfmp_sim_queue *q);
/* After it returns the device no longer touches the rings or the irq. */
void vfmp_sim_queue_stop(struct vfmp_sim_device *sdev, u16 qid);
/* Buffers are posted up to @tail (exclusive, ring index). */
void vfmp_sim_rx_kick(struct vfmp_sim_device *sdev, u16 qid, u16 tail);
/*
 * Transmit descriptors up to @tail.  Every one of them is sent (DD set)
 * before the call returns, so the caller may reclaim them at once; TX
 * completion raises no interrupt.  BHs must be off.
 */
void vfmp_sim_tx_kick(struct vfmp_sim_device *sdev, u16 qid, u16 tail);
void vfmp_sim_irq_unmask(struct vfmp_sim_device *sdev, u16 qid);

/* RSS configuration of a function (the PF programs VFs' on their behalf). */
struct vfmp_sim_rss {
	u8 key[VFMP_SIM_RSS_KEY_SIZE];
	u8 indir[VFMP_SIM_RSS_INDIR_SIZE];
	u32 hash_types;		/* VFMP_SIM_HASH_* enabled */
};

/*
 * Only a PF programs the RSS engine: its own (@vf VFMP_SIM_SELF) or a
 * VF's on its behalf (@vf the VF index); a VF caller gets -EPERM and asks
 * its PF instead.  Entries must be < the function's queue pairs;
 * -EINVAL/-ERANGE otherwise.  A frame steered to a queue that is not
 * started is dropped (counted rx_dropped_down).  Reading: any function
 * its own configuration (VFMP_SIM_SELF), a PF also a VF's.
 */
#define VFMP_SIM_SELF			0xffff
int vfmp_sim_set_rss(struct vfmp_sim_device *sdev, u16 vf,
		     const struct vfmp_sim_rss *rss);
int vfmp_sim_get_rss(struct vfmp_sim_device *sdev, u16 vf,
		     struct vfmp_sim_rss *rss);

/* NIC switch (VEB) port configuration of a VF, PF only. */
enum vfmp_sim_link {
	VFMP_SIM_LINK_AUTO = 0,	/* follows the PF's link */
	VFMP_SIM_LINK_ENABLE,
	VFMP_SIM_LINK_DISABLE,
};

struct vfmp_sim_vf_port {
	u8 mac[ETH_ALEN];
	u16 vlan;		/* port VLAN, 0 = none */
	u8 qos;
	bool spoofchk;
	bool trust;
	enum vfmp_sim_link link;
	u32 max_tx_rate;	/* Mbit/s, 0 = unlimited */
	/*
	 * The address the PF's administrator chose for this VF (zero: none),
	 * which @mac may differ from while a trusted VF has set its own.  The
	 * switch only keeps it for the PF driver: one that binds again while
	 * VFs are enabled learns the administrator's addresses from it.
	 */
	u8 admin_mac[ETH_ALEN];
};

int vfmp_sim_vf_port_set(struct vfmp_sim_device *pf, u16 vf,
			 const struct vfmp_sim_vf_port *port);
int vfmp_sim_vf_port_get(struct vfmp_sim_device *pf, u16 vf,
			 struct vfmp_sim_vf_port *port);
/* The link a function sees (PF: always up; VF: per its port config). */
bool vfmp_sim_link_up(struct vfmp_sim_device *sdev);

/* Hardware counters. */
struct vfmp_sim_queue_stats {
	u64 rx_packets, rx_bytes, rx_no_buffer, rx_too_long;
	u64 tx_packets, tx_bytes;
};

struct vfmp_sim_port_stats {
	u64 rx_packets, rx_bytes, tx_packets, tx_bytes;
	u64 rx_dropped_down;	/* no queue running / link down */
	u64 tx_spoofed;		/* spoof check drops */
	u64 tx_vlan_dropped;	/* tagged frame from a port-VLAN VF */
	u64 tx_rate_dropped;	/* over max_tx_rate */
	u64 tx_link_dropped;	/* sent while the port link is down */
};

int vfmp_sim_queue_stats(struct vfmp_sim_device *sdev, u16 qid,
			 struct vfmp_sim_queue_stats *st);
/* @vf: VFMP_SIM_SELF, or (PF only) a VF index */
int vfmp_sim_port_stats(struct vfmp_sim_device *sdev, u16 vf,
			struct vfmp_sim_port_stats *st);

#endif /* _VFMP_SIM_HW_H */
