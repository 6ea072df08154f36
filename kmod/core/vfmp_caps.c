// SPDX-License-Identifier: GPL-2.0
/*
 * vfmp core: NDIS capability records (SR-IOV, receive filters/VMQ,
 * hardware-assist attributes, RSS, PM): builders, validator and formatters.
 */
#include "vfmp_caps.h"

struct vfmp_bit_name {
	u32 bit;
	const char *name;
};

/* Flag names in report order: VF_MINIPORT, PF_MINIPORT, SRIOV_SUPPORTED. */
static const struct vfmp_bit_name vfmp_sriov_bits[] = {
	{ VFMP_SRIOV_CAPS_VF_MINIPORT, "VF_MINIPORT" },
	{ VFMP_SRIOV_CAPS_PF_MINIPORT, "PF_MINIPORT" },
	{ VFMP_SRIOV_CAPS_SRIOV_SUPPORTED, "SRIOV_SUPPORTED" },
};

static const struct vfmp_bit_name vfmp_rss_bits[] = {
	{ VFMP_RSS_HASH_IPV4, "ipv4" },
	{ VFMP_RSS_HASH_TCP_IPV4, "tcp_ipv4" },
	{ VFMP_RSS_HASH_UDP_IPV4, "udp_ipv4" },
	{ VFMP_RSS_HASH_IPV6, "ipv6" },
	{ VFMP_RSS_HASH_TCP_IPV6, "tcp_ipv6" },
	{ VFMP_RSS_HASH_UDP_IPV6, "udp_ipv6" },
};

static const struct vfmp_bit_name vfmp_pm_bits[] = {
	{ VFMP_PM_WAKE_MAGIC, "magic" },
	{ VFMP_PM_WAKE_LINK, "link" },
};

/*
 * Write the names of the bits set in v, joined by sep; bits without a name
 * are written as one hex number at the end; "none" when v is 0.
 */
static int vfmp_bits_format(u32 v, const struct vfmp_bit_name *tbl,
			    size_t n, const char *sep, char *buf, size_t len)
{
	u32 rest = v;
	int w = 0;
	size_t i;

	if (!buf || !len)
		return 0;
	buf[0] = '\0';
	if (!v)
		return scnprintf(buf, len, "none");
	for (i = 0; i < n; i++) {
		if (!(v & tbl[i].bit))
			continue;
		w += scnprintf(buf + w, len - w, "%s%s", w ? sep : "",
			       tbl[i].name);
		rest &= ~tbl[i].bit;
	}
	if (rest)
		w += scnprintf(buf + w, len - w, "%s0x%x", w ? sep : "", rest);
	return w;
}

void vfmp_sriov_caps_init(struct vfmp_sriov_caps *c, u32 sriov_caps)
{
	memset(c, 0, sizeof(*c));
	c->hdr.type = VFMP_OBJ_TYPE_DEFAULT;
	c->hdr.revision = VFMP_SRIOV_CAPS_REV_1;
	c->hdr.size = VFMP_SIZEOF_SRIOV_CAPS_REV_1;
	c->flags = 0;
	c->sriov_caps = sriov_caps;
}

u32 vfmp_sriov_caps_for(enum vfmp_personality p, bool sriov_enabled)
{
	switch (p) {
	case VFMP_PERS_VF:
		/* R5: the seed's note: both VF_MINIPORT and SRIOV_SUPPORTED */
		return VFMP_SRIOV_CAPS_VF_MINIPORT |
		       VFMP_SRIOV_CAPS_SRIOV_SUPPORTED;
	case VFMP_PERS_PF:
		return VFMP_SRIOV_CAPS_PF_MINIPORT |
		       (sriov_enabled ? VFMP_SRIOV_CAPS_SRIOV_SUPPORTED : 0);
	default:
		return 0;
	}
}

int vfmp_sriov_caps_flags_format(u32 caps, char *buf, size_t len)
{
	return vfmp_bits_format(caps, vfmp_sriov_bits,
				ARRAY_SIZE(vfmp_sriov_bits), "|", buf, len);
}

int vfmp_sriov_caps_format(const struct vfmp_sriov_caps *c, char *buf,
			   size_t len)
{
	int w;

	if (!buf || !len)
		return 0;
	if (!c)
		return scnprintf(buf, len, "none");
	w = scnprintf(buf, len, "type=0x%x rev=%u size=%u flags=0x%x caps=0x%x ",
		      c->hdr.type, c->hdr.revision, c->hdr.size, c->flags,
		      c->sriov_caps);
	w += vfmp_sriov_caps_flags_format(c->sriov_caps, buf + w, len - w);
	return w;
}

void vfmp_rx_filter_caps_init(struct vfmp_rx_filter_caps *r)
{
	memset(r, 0, sizeof(*r));
	r->hdr.type = VFMP_OBJ_TYPE_RX_FILTER_CAPS;
	r->hdr.revision = VFMP_RX_FILTER_CAPS_REV_1;
	r->hdr.size = VFMP_SIZEOF_RX_FILTER_CAPS_REV_1;
}

void vfmp_hw_assist_attrs_init(struct vfmp_hw_assist_attrs *a,
			       const struct vfmp_sriov_caps *hw,
			       const struct vfmp_sriov_caps *cur)
{
	memset(a, 0, sizeof(*a));
	a->hdr.type = VFMP_OBJ_TYPE_HW_ASSIST_ATTRS;
	a->hdr.revision = VFMP_HW_ASSIST_ATTRS_REV_3;
	a->hdr.size = VFMP_SIZEOF_HW_ASSIST_ATTRS;
	a->hw_sriov_caps = hw;
	a->cur_sriov_caps = cur;
}

static int vfmp_fail(const char **why, const char *reason)
{
	if (why)
		*why = reason;
	return -EINVAL;
}

static const char *vfmp_sriov_caps_check(const struct vfmp_sriov_caps *c)
{
	if (c->hdr.type != VFMP_OBJ_TYPE_DEFAULT)
		return VFMP_WHY_CAPS_TYPE;
	if (c->hdr.revision != VFMP_SRIOV_CAPS_REV_1)
		return VFMP_WHY_CAPS_REV;
	if (c->hdr.size != VFMP_SIZEOF_SRIOV_CAPS_REV_1)
		return VFMP_WHY_CAPS_SIZE;
	if (c->flags)
		return VFMP_WHY_CAPS_FLAGS;
	if (c->sriov_caps & ~(u32)VFMP_SRIOV_CAPS_ALL)
		return VFMP_WHY_CAPS_UNKNOWN;
	if ((c->sriov_caps & VFMP_SRIOV_CAPS_PF_MINIPORT) &&
	    (c->sriov_caps & VFMP_SRIOV_CAPS_VF_MINIPORT))
		return VFMP_WHY_PF_AND_VF;
	return NULL;
}

static const char *vfmp_rx_caps_check(const struct vfmp_rx_filter_caps *r)
{
	if (r->hdr.type != VFMP_OBJ_TYPE_RX_FILTER_CAPS)
		return VFMP_WHY_RX_TYPE;
	if (r->hdr.revision != VFMP_RX_FILTER_CAPS_REV_1)
		return VFMP_WHY_RX_REV;
	if (r->hdr.size != VFMP_SIZEOF_RX_FILTER_CAPS_REV_1)
		return VFMP_WHY_RX_SIZE;
	return NULL;
}

static bool vfmp_rx_has_vmq(const struct vfmp_rx_filter_caps *r)
{
	return (r->enabled_queue_types & VFMP_RX_QUEUE_VMQ) ||
	       (r->enabled_filter_types & VFMP_RX_FILTER_VMQ_FILTERS);
}

/* R5 (VF) or the PF counterpart, for one SR-IOV record. */
static const char *vfmp_personality_check(u32 caps, enum vfmp_personality p)
{
	switch (p) {
	case VFMP_PERS_VF:
		if (caps & VFMP_SRIOV_CAPS_PF_MINIPORT)
			return VFMP_WHY_VF_PF_BIT;
		if (caps != (VFMP_SRIOV_CAPS_VF_MINIPORT |
			     VFMP_SRIOV_CAPS_SRIOV_SUPPORTED))
			return VFMP_WHY_VF_CAPS;
		return NULL;
	case VFMP_PERS_PF:
		if (caps & VFMP_SRIOV_CAPS_VF_MINIPORT)
			return VFMP_WHY_PF_VF_BIT;
		if (!(caps & VFMP_SRIOV_CAPS_PF_MINIPORT))
			return VFMP_WHY_PF_NO_PF_BIT;
		return NULL;
	default:
		return VFMP_WHY_NO_PERSONALITY;
	}
}

int vfmp_hw_assist_attrs_validate(const struct vfmp_hw_assist_attrs *a,
				  enum vfmp_personality p, const char **why)
{
	const struct vfmp_rx_filter_caps *hrx, *crx;
	const char *r;

	if (why)
		*why = NULL;
	if (!a)
		return vfmp_fail(why, VFMP_WHY_NULL_ATTRS);
	if (a->hdr.type != VFMP_OBJ_TYPE_HW_ASSIST_ATTRS)
		return vfmp_fail(why, VFMP_WHY_ATTRS_TYPE);
	if (a->hdr.revision != VFMP_HW_ASSIST_ATTRS_REV_3)
		return vfmp_fail(why, VFMP_WHY_ATTRS_REV);
	if (a->hdr.size != VFMP_SIZEOF_HW_ASSIST_ATTRS)
		return vfmp_fail(why, VFMP_WHY_ATTRS_SIZE);
	if (a->flags)
		return vfmp_fail(why, VFMP_WHY_ATTRS_FLAGS);

	/* R4/R6: both SR-IOV records must be present and well formed */
	if (!a->hw_sriov_caps)
		return vfmp_fail(why, VFMP_WHY_NULL_HW);
	if (!a->cur_sriov_caps)
		return vfmp_fail(why, VFMP_WHY_NULL_CUR);
	r = vfmp_sriov_caps_check(a->hw_sriov_caps);
	if (!r)
		r = vfmp_sriov_caps_check(a->cur_sriov_caps);
	if (r)
		return vfmp_fail(why, r);
	if (a->cur_sriov_caps->sriov_caps & ~a->hw_sriov_caps->sriov_caps)
		return vfmp_fail(why, VFMP_WHY_CUR_NOT_SUBSET);

	/* R5 and the PF counterpart */
	r = vfmp_personality_check(a->hw_sriov_caps->sriov_caps, p);
	if (!r)
		r = vfmp_personality_check(a->cur_sriov_caps->sriov_caps, p);
	if (r)
		return vfmp_fail(why, r);

	/* R7: receive filters (VMQ) */
	hrx = a->hw_rx_filter_caps;
	crx = a->cur_rx_filter_caps;
	if (!hrx && !crx)
		return 0;
	if (!hrx || !crx)
		return vfmp_fail(why, VFMP_WHY_RX_HALF);
	r = vfmp_rx_caps_check(hrx);
	if (!r)
		r = vfmp_rx_caps_check(crx);
	if (r)
		return vfmp_fail(why, r);
	if (p == VFMP_PERS_VF && (vfmp_rx_has_vmq(hrx) || vfmp_rx_has_vmq(crx)))
		return vfmp_fail(why, VFMP_WHY_VF_VMQ);
	if ((crx->enabled_filter_types & ~hrx->enabled_filter_types) ||
	    (crx->enabled_queue_types & ~hrx->enabled_queue_types))
		return vfmp_fail(why, VFMP_WHY_RX_NOT_SUBSET);
	return 0;
}

int vfmp_rss_caps_format(const struct vfmp_rss_caps *r, char *buf, size_t len)
{
	int w;

	if (!buf || !len)
		return 0;
	if (!r)
		return scnprintf(buf, len, "none");
	w = scnprintf(buf, len, "queues=%u key=%u indir=%u hash=",
		      r->num_queue_pairs, r->key_size, r->indir_size);
	w += vfmp_bits_format(r->hash_types, vfmp_rss_bits,
			      ARRAY_SIZE(vfmp_rss_bits), ",", buf + w,
			      len - w);
	return w;
}

int vfmp_pm_caps_format(const struct vfmp_pm_caps *p, char *buf, size_t len)
{
	int w;

	if (!buf || !len)
		return 0;
	if (!p)
		return scnprintf(buf, len, "none");
	w = scnprintf(buf, len, "wake=");
	w += vfmp_bits_format(p->wake_flags, vfmp_pm_bits,
			      ARRAY_SIZE(vfmp_pm_bits), ",", buf + w, len - w);
	return w;
}
