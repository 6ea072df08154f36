/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vfmp core: NDIS capability records mirrored for Linux.
 *
 * The names are Linux-style; the NDIS name each one mirrors is given in a
 * comment. Values are the real NDIS values where a public header gives them.
 */
#ifndef VFMP_CAPS_H
#define VFMP_CAPS_H

#include "vfmp_core_types.h"

/* NDIS_OBJECT_HEADER */
struct vfmp_obj_header {
	u8 type;
	u8 revision;
	u16 size;
};

static_assert(sizeof(struct vfmp_obj_header) == 4,
	      "NDIS_OBJECT_HEADER is 4 bytes");

#define VFMP_OBJ_TYPE_DEFAULT		0x80	/* NDIS_OBJECT_TYPE_DEFAULT */

/* ---- NDIS_SRIOV_CAPABILITIES (NDIS 6.30) ---- */
#define VFMP_SRIOV_CAPS_REV_1		1	/* NDIS_SRIOV_CAPABILITIES_REVISION_1 */
#define VFMP_SIZEOF_SRIOV_CAPS_REV_1	12	/* NDIS_SIZEOF_SRIOV_CAPABILITIES_REVISION_1 */

#define VFMP_SRIOV_CAPS_SRIOV_SUPPORTED	0x1	/* NDIS_SRIOV_CAPS_SRIOV_SUPPORTED */
#define VFMP_SRIOV_CAPS_PF_MINIPORT	0x2	/* NDIS_SRIOV_CAPS_PF_MINIPORT */
#define VFMP_SRIOV_CAPS_VF_MINIPORT	0x4	/* NDIS_SRIOV_CAPS_VF_MINIPORT */
#define VFMP_SRIOV_CAPS_ALL		(VFMP_SRIOV_CAPS_SRIOV_SUPPORTED | \
					 VFMP_SRIOV_CAPS_PF_MINIPORT | \
					 VFMP_SRIOV_CAPS_VF_MINIPORT)

/* NDIS_SRIOV_CAPABILITIES */
struct vfmp_sriov_caps {
	struct vfmp_obj_header hdr;	/* Header */
	u32 flags;			/* Flags: reserved, 0 */
	u32 sriov_caps;			/* SriovCapabilities */
};

static_assert(sizeof(struct vfmp_sriov_caps) == VFMP_SIZEOF_SRIOV_CAPS_REV_1,
	      "NDIS_SRIOV_CAPABILITIES revision 1 is 12 bytes");

enum vfmp_personality {
	VFMP_PERS_NONE = 0,
	VFMP_PERS_PF,
	VFMP_PERS_VF,
};

/* Header 0x80/1/12, flags 0, the given capability bits. */
void vfmp_sriov_caps_init(struct vfmp_sriov_caps *c, u32 sriov_caps);

/*
 * Capability bits a personality reports. VF: VF_MINIPORT|SRIOV_SUPPORTED
 * (0x5) whatever sriov_enabled says (the seed's note wins over its numbered
 * step 2). PF: PF_MINIPORT|SRIOV_SUPPORTED (0x3) when SR-IOV is enabled,
 * PF_MINIPORT (0x2) otherwise. NONE: 0.
 */
u32 vfmp_sriov_caps_for(enum vfmp_personality p, bool sriov_enabled);

/*
 * "type=0x80 rev=1 size=12 flags=0x0 caps=0x5 VF_MINIPORT|SRIOV_SUPPORTED"
 * Returns the length written, like scnprintf.
 */
int vfmp_sriov_caps_format(const struct vfmp_sriov_caps *c, char *buf,
			   size_t len);

/* Writes the flag names of a SriovCapabilities value ("none" when 0). */
int vfmp_sriov_caps_flags_format(u32 caps, char *buf, size_t len);

/* ---- NDIS_RECEIVE_FILTER_CAPABILITIES (the record that advertises VMQ) ---- */
/*
 * NDIS initialises this record's header with NDIS_OBJECT_TYPE_DEFAULT (there
 * is no dedicated object type for it), revision 1 (NDIS 6.20) and the size
 * through MaxLookaheadSplitSize.
 */
#define VFMP_OBJ_TYPE_RX_FILTER_CAPS	VFMP_OBJ_TYPE_DEFAULT
/* NDIS_RECEIVE_FILTER_CAPABILITIES_REVISION_1 */
#define VFMP_RX_FILTER_CAPS_REV_1	1
/* NDIS_SIZEOF_RECEIVE_FILTER_CAPABILITIES_REVISION_1 */
#define VFMP_SIZEOF_RX_FILTER_CAPS_REV_1 56

/* EnabledFilterTypes */
/* NDIS_RECEIVE_FILTER_VMQ_FILTERS_ENABLED */
#define VFMP_RX_FILTER_VMQ_FILTERS	0x1
/* NDIS_RECEIVE_FILTER_PACKET_COALESCING_FILTERS_ENABLED */
#define VFMP_RX_FILTER_PKT_COALESCING	0x2
/* EnabledQueueTypes */
#define VFMP_RX_QUEUE_VMQ		0x1	/* NDIS_RECEIVE_FILTER_VM_QUEUES_ENABLED */

/* NDIS_RECEIVE_FILTER_CAPABILITIES, revision 1 */
struct vfmp_rx_filter_caps {
	struct vfmp_obj_header hdr;	/* Header */
	u32 flags;			/* Flags */
	u32 enabled_filter_types;	/* EnabledFilterTypes */
	u32 enabled_queue_types;	/* EnabledQueueTypes */
	u32 num_queues;			/* NumQueues */
	u32 supported_queue_properties;	/* SupportedQueueProperties */
	u32 supported_filter_tests;	/* SupportedFilterTests */
	u32 supported_headers;		/* SupportedHeaders */
	u32 supported_mac_header_fields; /* SupportedMacHeaderFields */
	u32 max_mac_header_filters;	/* MaxMacHeaderFilters */
	u32 max_queue_groups;		/* MaxQueueGroups */
	u32 max_queues_per_queue_group;	/* MaxQueuesPerQueueGroup */
	u32 min_lookahead_split_size;	/* MinLookaheadSplitSize */
	u32 max_lookahead_split_size;	/* MaxLookaheadSplitSize */
};

static_assert(sizeof(struct vfmp_rx_filter_caps) ==
	      VFMP_SIZEOF_RX_FILTER_CAPS_REV_1,
	      "NDIS_RECEIVE_FILTER_CAPABILITIES revision 1 is 56 bytes");

/* Header DEFAULT/1/56, everything else 0 (no VMQ, no filters). */
void vfmp_rx_filter_caps_init(struct vfmp_rx_filter_caps *r);

/* ---- NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES ---- */
/* NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES (objectheader.h) */
#define VFMP_OBJ_TYPE_HW_ASSIST_ATTRS	0xAF
/*
 * NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES_REVISION_3 (NDIS 6.30) is
 * the first revision with the SR-IOV members. NDIS's size constant depends on
 * the pointer width and on members this mirror leaves out (header-data
 * split, NIC switch, QoS), so the mirror's size is its own sizeof.
 */
#define VFMP_HW_ASSIST_ATTRS_REV_3	3
#define VFMP_SIZEOF_HW_ASSIST_ATTRS	((u16)sizeof(struct vfmp_hw_assist_attrs))

/* NDIS_MINIPORT_ADAPTER_HARDWARE_ASSIST_ATTRIBUTES (subset) */
struct vfmp_hw_assist_attrs {
	struct vfmp_obj_header hdr;	/* Header */
	u32 flags;			/* reserved, 0 */
	/* HardwareSriovCapabilities */
	const struct vfmp_sriov_caps *hw_sriov_caps;
	/* CurrentSriovCapabilities */
	const struct vfmp_sriov_caps *cur_sriov_caps;
	/* HardwareReceiveFilterCapabilities: VMQ; a VF: NULL or no VMQ */
	const struct vfmp_rx_filter_caps *hw_rx_filter_caps;
	/* CurrentReceiveFilterCapabilities */
	const struct vfmp_rx_filter_caps *cur_rx_filter_caps;
};

/* Header 0xAF/3/sizeof, flags 0, the two SR-IOV records, no rx filters. */
void vfmp_hw_assist_attrs_init(struct vfmp_hw_assist_attrs *a,
			       const struct vfmp_sriov_caps *hw,
			       const struct vfmp_sriov_caps *cur);

/*
 * Check a record before it is registered (rules R4, R5, R6, R7).
 * Returns 0, or -EINVAL with *why (if why) set to a short static reason.
 */
int vfmp_hw_assist_attrs_validate(const struct vfmp_hw_assist_attrs *a,
				  enum vfmp_personality p, const char **why);

/* Reason strings returned by vfmp_hw_assist_attrs_validate(). */
#define VFMP_WHY_NULL_ATTRS	"attributes record is NULL"
#define VFMP_WHY_ATTRS_TYPE	"attributes header type is not HARDWARE_ASSIST_ATTRIBUTES"
#define VFMP_WHY_ATTRS_REV	"attributes header revision is not 3"
#define VFMP_WHY_ATTRS_SIZE	"attributes header size is wrong"
#define VFMP_WHY_ATTRS_FLAGS	"attributes flags are not 0"
#define VFMP_WHY_NULL_HW	"hardware SR-IOV capabilities are NULL"
#define VFMP_WHY_NULL_CUR	"current SR-IOV capabilities are NULL"
#define VFMP_WHY_CAPS_TYPE	"SR-IOV capabilities header type is not DEFAULT"
#define VFMP_WHY_CAPS_REV	"SR-IOV capabilities header revision is not 1"
#define VFMP_WHY_CAPS_SIZE	"SR-IOV capabilities header size is not 12"
#define VFMP_WHY_CAPS_FLAGS	"SR-IOV capabilities flags are not 0"
#define VFMP_WHY_CAPS_UNKNOWN	"unknown SR-IOV capability bits"
#define VFMP_WHY_CUR_NOT_SUBSET	"current SR-IOV capabilities are not a subset of hardware"
#define VFMP_WHY_PF_AND_VF	"both PF_MINIPORT and VF_MINIPORT are set"
#define VFMP_WHY_VF_PF_BIT	"a VF must not set PF_MINIPORT"
#define VFMP_WHY_VF_CAPS	"a VF must report exactly VF_MINIPORT|SRIOV_SUPPORTED"
#define VFMP_WHY_PF_VF_BIT	"a PF must not set VF_MINIPORT"
#define VFMP_WHY_PF_NO_PF_BIT	"a PF must set PF_MINIPORT"
#define VFMP_WHY_NO_PERSONALITY	"no personality (neither PF nor VF)"
#define VFMP_WHY_RX_HALF	"only one of hardware/current receive filter capabilities is set"
#define VFMP_WHY_RX_TYPE	"receive filter capabilities header type is not DEFAULT"
#define VFMP_WHY_RX_REV		"receive filter capabilities header revision is not 1"
#define VFMP_WHY_RX_SIZE	"receive filter capabilities header size is not 56"
#define VFMP_WHY_VF_VMQ		"a VF must not advertise VMQ"
#define VFMP_WHY_RX_NOT_SUBSET	"current receive filter types are not a subset of hardware"

/* ---- NDIS_RECEIVE_SCALE_CAPABILITIES (RSS) and power management ---- */
#define VFMP_RSS_HASH_IPV4	0x1
#define VFMP_RSS_HASH_TCP_IPV4	0x2
#define VFMP_RSS_HASH_UDP_IPV4	0x4
#define VFMP_RSS_HASH_IPV6	0x8
#define VFMP_RSS_HASH_TCP_IPV6	0x10
#define VFMP_RSS_HASH_UDP_IPV6	0x20
#define VFMP_RSS_HASH_ALL	0x3f

/*
 * The one definition of each RSS size; the protocol (vfmp_mbx_proto.h),
 * the engine (vfmp_rss.h) and the simulated hardware (vfmp_sim_hw.h,
 * checked in kmod/sim/vfmp_sim_rss.c) all use these.
 */
#define VFMP_RSS_KEY_SIZE	40	/* Toeplitz key, bytes */
#define VFMP_RSS_INDIR_SIZE	128	/* the simulated NIC's table, entries */
#define VFMP_RSS_MAX_INDIR	512	/* largest table a function may report */

static_assert((VFMP_RSS_INDIR_SIZE & (VFMP_RSS_INDIR_SIZE - 1)) == 0,
	      "the indirection table size is a power of two");
static_assert(VFMP_RSS_INDIR_SIZE <= VFMP_RSS_MAX_INDIR,
	      "the indirection table fits the advertised maximum");

struct vfmp_rss_caps {
	u32 num_queue_pairs;
	u32 key_size;
	u32 indir_size;
	u32 hash_types;
};

/* "queues=4 key=40 indir=128 hash=ipv4,tcp_ipv4,udp_ipv4,ipv6,tcp_ipv6,udp_ipv6" */
int vfmp_rss_caps_format(const struct vfmp_rss_caps *r, char *buf, size_t len);

/* Power management a VF may advertise (wake-up bits, NDIS_PM_WAKE_ON_*-like) */
#define VFMP_PM_WAKE_MAGIC	0x1	/* magic packet */
#define VFMP_PM_WAKE_LINK	0x2	/* link change */

struct vfmp_pm_caps {
	u32 wake_flags;
};

/* "wake=magic,link" or "wake=none" */
int vfmp_pm_caps_format(const struct vfmp_pm_caps *p, char *buf, size_t len);

#endif /* VFMP_CAPS_H */
