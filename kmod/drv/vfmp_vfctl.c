// SPDX-License-Identifier: GPL-2.0
/*
 * PF side of `ip link set PF vf N ...` and `ip link show PF`: each VF's
 * NIC switch port (MAC, port VLAN, spoof check, trust, link state, rate)
 * and its counters.  A change that the VF must know about is sent to it
 * as a mailbox EVENT (vfmp_pf_mbx.c); the VF applies it in vfmp_vf_mbx.c.
 */
#include <linux/etherdevice.h>
#include <linux/if_link.h>
#include <linux/if_vlan.h>

#include "vfmp.h"

static int vfmp_vfctl_check(struct vfmp_adapter *ad, int vf)
{
	int n = vfmp_sim_sriov_num_vfs(ad->sdev);

	if (ad->function != VFMP_FN_PF || !ad->pf.vfs)
		return -EOPNOTSUPP;
	if (vf < 0 || vf >= n) {
		netdev_err(ad->netdev, "VF %d does not exist (%d VFs enabled)\n",
			   vf, n);
		return -EINVAL;
	}
	return 0;
}

/* An existing VF's switch port, as the hardware has it. */
static int vfmp_port_read(struct vfmp_adapter *ad, int vf,
			  struct vfmp_sim_vf_port *port)
{
	int ret = vfmp_vfctl_check(ad, vf);

	return ret ? ret : vfmp_sim_vf_port_get(ad->sdev, vf, port);
}

/*
 * Read-modify-write of a VF's port, under vf_lock: the mailbox handlers
 * (GET_RESOURCES, SET_MAC) rewrite the port under the same lock, so
 * neither side writes back a stale copy over the other's change.  @fn
 * runs under the lock, so it may update the PF's copy of the VF state;
 * an error from it leaves the port as it was.
 */
static int vfmp_port_update(struct vfmp_adapter *ad, int vf,
			    int (*fn)(struct vfmp_sim_vf_port *p, void *arg),
			    void *arg)
{
	struct vfmp_sim_vf_port port;
	int ret;

	ret = vfmp_vfctl_check(ad, vf);
	if (ret)
		return ret;
	mutex_lock(&ad->pf.vf_lock);
	/*
	 * Again under the lock: SR-IOV may have been disabled since the
	 * check, and the slot's state forgotten (under this lock); writing
	 * it now would hand a stale setting to the slot's next VF.
	 */
	if (vf >= vfmp_sim_sriov_num_vfs(ad->sdev))
		ret = -ENODEV;
	else
		ret = vfmp_sim_vf_port_get(ad->sdev, vf, &port);
	if (!ret)
		ret = fn(&port, arg);
	if (!ret)
		ret = vfmp_sim_vf_port_set(ad->sdev, vf, &port);
	mutex_unlock(&ad->pf.vf_lock);
	return ret;
}

/* The administrator's MAC (zero: none) and the address the port gets. */
struct mac_arg {
	struct vfmp_adapter *ad;
	struct vfmp_vf_state *st;
	int vf;
	const u8 *admin;
	u8 addr[ETH_ALEN];
};

static int set_mac(struct vfmp_sim_vf_port *p, void *arg)
{
	struct mac_arg *m = arg;
	int owner;

	/*
	 * Under vf_lock, like the VF's own SET_MAC: no two ports may answer
	 * to one address (the switch would give its frames to the first),
	 * and an address the administrator gave another VF stays that VF's.
	 */
	owner = is_zero_ether_addr(m->admin) ? -ENOENT :
		vfmp_pf_mac_owner(m->ad, m->vf, m->admin);
	if (owner != -ENOENT) {
		if (owner < 0)
			netdev_err(m->ad->netdev, "VF %d: %pM is the PF's MAC\n",
				   m->vf, m->admin);
		else
			netdev_err(m->ad->netdev, "VF %d: %pM is in use by (or set by the administrator for) VF %d\n",
				   m->vf, m->admin, owner);
		return -EADDRINUSE;
	}
	/* the generated address, unless another port took it meanwhile */
	if (is_zero_ether_addr(m->admin))
		vfmp_pf_free_vf_mac(m->ad, m->vf, m->addr);
	ether_addr_copy(p->mac, m->addr);
	ether_addr_copy(p->admin_mac, m->admin);
	ether_addr_copy(m->st->admin_mac, m->admin);
	ether_addr_copy(m->st->mac, m->addr);
	return 0;
}

int vfmp_set_vf_mac(struct net_device *nd, int vf, u8 *mac)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	struct mac_arg m = { .ad = ad, .vf = vf, .admin = mac };
	int ret;

	ret = vfmp_vfctl_check(ad, vf);
	if (ret)
		return ret;
	if (!is_zero_ether_addr(mac) && !is_valid_ether_addr(mac)) {
		netdev_err(nd, "VF %d: %pM is not a unicast MAC\n", vf, mac);
		return -EINVAL;
	}
	m.st = &ad->pf.vfs[vf];
	/* 00:00:00:00:00:00 gives the VF a generated address (set_mac) */
	if (!is_zero_ether_addr(mac))
		ether_addr_copy(m.addr, mac);
	ret = vfmp_port_update(ad, vf, set_mac, &m);
	if (!ret)
		vfmp_pf_mbx_event(ad, vf, VFMP_MBX_EV_MAC, false, m.addr);
	return ret;
}

/*
 * `ip link set PF address`: not an address a VF's switch port answers to
 * (or that the administrator gave a VF), for the same reason as above.
 */
int vfmp_pf_set_mac_address(struct net_device *nd, void *p)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	struct sockaddr *sa = p;
	int owner, ret;

	if (!is_valid_ether_addr(sa->sa_data))
		return -EADDRNOTAVAIL;
	mutex_lock(&ad->pf.vf_lock);
	owner = vfmp_pf_vf_mac_owner(ad, -1, sa->sa_data);
	if (owner >= 0) {
		netdev_err(nd, "%pM is in use by (or set by the administrator for) VF %d\n",
			   sa->sa_data, owner);
		ret = -EADDRINUSE;
	} else {
		ret = eth_mac_addr(nd, p);
	}
	mutex_unlock(&ad->pf.vf_lock);
	return ret;
}

struct vlan_arg {
	u16 vlan;
	u8 qos;
};

static int set_vlan(struct vfmp_sim_vf_port *p, void *arg)
{
	struct vlan_arg *v = arg;

	p->vlan = v->vlan;
	p->qos = v->qos;
	return 0;
}

int vfmp_set_vf_vlan(struct net_device *nd, int vf, u16 vlan, u8 qos,
		     __be16 proto)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	struct vlan_arg v = { .vlan = vlan, .qos = qos };

	if (proto != htons(ETH_P_8021Q)) {
		netdev_err(nd, "VF %d: only 802.1Q port VLANs exist\n", vf);
		return -EPROTONOSUPPORT;
	}
	if (vlan >= VLAN_N_VID - 1 || qos > 7) {
		netdev_err(nd, "VF %d: VLAN must be 0..4094 and qos 0..7\n", vf);
		return -EINVAL;
	}
	return vfmp_port_update(ad, vf, set_vlan, &v);
}

static int set_spoofchk(struct vfmp_sim_vf_port *p, void *arg)
{
	p->spoofchk = *(bool *)arg;
	return 0;
}

int vfmp_set_vf_spoofchk(struct net_device *nd, int vf, bool on)
{
	return vfmp_port_update(vfmp_netdev_adapter(nd), vf, set_spoofchk, &on);
}

struct trust_arg {
	struct vfmp_vf_state *st;
	bool on;
	bool restored;
};

/*
 * Trust lets a VF replace an administrator's MAC; revoking it puts the
 * administrator's address back.
 */
static int set_trust(struct vfmp_sim_vf_port *p, void *arg)
{
	struct trust_arg *t = arg;
	const u8 *admin = t->st->admin_mac;

	p->trust = t->on;
	t->restored = !t->on && !is_zero_ether_addr(admin) &&
		      !ether_addr_equal(p->mac, admin);
	if (t->restored) {
		ether_addr_copy(p->mac, admin);
		ether_addr_copy(t->st->mac, admin);
	}
	return 0;
}

int vfmp_set_vf_trust(struct net_device *nd, int vf, bool on)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	struct trust_arg t = { .on = on };
	int ret;

	ret = vfmp_vfctl_check(ad, vf);
	if (ret)
		return ret;
	t.st = &ad->pf.vfs[vf];
	ret = vfmp_port_update(ad, vf, set_trust, &t);
	if (!ret && t.restored) {
		netdev_info(nd, "VF %d: trust revoked: MAC back to the administrator's %pM\n",
			    vf, t.st->admin_mac);
		vfmp_pf_mbx_event(ad, vf, VFMP_MBX_EV_MAC, false,
				  t.st->admin_mac);
	}
	return ret;
}

static int set_link(struct vfmp_sim_vf_port *p, void *arg)
{
	p->link = *(enum vfmp_sim_link *)arg;
	return 0;
}

int vfmp_set_vf_link_state(struct net_device *nd, int vf, int state)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	enum vfmp_sim_link l;
	int ret;

	switch (state) {
	case IFLA_VF_LINK_STATE_AUTO:
		l = VFMP_SIM_LINK_AUTO;
		break;
	case IFLA_VF_LINK_STATE_ENABLE:
		l = VFMP_SIM_LINK_ENABLE;
		break;
	case IFLA_VF_LINK_STATE_DISABLE:
		l = VFMP_SIM_LINK_DISABLE;
		break;
	default:
		netdev_err(nd, "VF %d: link state must be auto, enable or disable\n",
			   vf);
		return -EINVAL;
	}
	ret = vfmp_port_update(ad, vf, set_link, &l);
	if (!ret)
		vfmp_pf_mbx_event(ad, vf, VFMP_MBX_EV_LINK,
				  l != VFMP_SIM_LINK_DISABLE, NULL);
	return ret;
}

static int set_rate(struct vfmp_sim_vf_port *p, void *arg)
{
	p->max_tx_rate = *(u32 *)arg;
	return 0;
}

#define VFMP_LINK_SPEED_MBPS	100000

int vfmp_set_vf_rate(struct net_device *nd, int vf, int min_rate,
		     int max_rate)
{
	u32 rate = max_rate;

	if (min_rate) {
		netdev_err(nd, "VF %d: min_tx_rate is not supported\n", vf);
		return -EOPNOTSUPP;
	}
	if (max_rate < 0 || max_rate > VFMP_LINK_SPEED_MBPS) {
		netdev_err(nd, "VF %d: max_tx_rate must be 0..%d Mbit/s\n", vf,
			   VFMP_LINK_SPEED_MBPS);
		return -EINVAL;
	}
	return vfmp_port_update(vfmp_netdev_adapter(nd), vf, set_rate, &rate);
}

int vfmp_get_vf_config(struct net_device *nd, int vf,
		       struct ifla_vf_info *ivi)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	struct vfmp_sim_vf_port port;
	int ret;

	ret = vfmp_port_read(ad, vf, &port);
	if (ret)
		return ret;
	ivi->vf = vf;
	ether_addr_copy(ivi->mac, port.mac);
	ivi->vlan = port.vlan;
	ivi->qos = port.qos;
	ivi->vlan_proto = htons(ETH_P_8021Q);
	ivi->spoofchk = port.spoofchk;
	ivi->trusted = port.trust;
	ivi->max_tx_rate = port.max_tx_rate;
	ivi->min_tx_rate = 0;
	ivi->linkstate = port.link == VFMP_SIM_LINK_ENABLE ?
			 IFLA_VF_LINK_STATE_ENABLE :
			 port.link == VFMP_SIM_LINK_DISABLE ?
			 IFLA_VF_LINK_STATE_DISABLE : IFLA_VF_LINK_STATE_AUTO;
	return 0;
}

int vfmp_get_vf_stats(struct net_device *nd, int vf,
		      struct ifla_vf_stats *vs)
{
	struct vfmp_adapter *ad = vfmp_netdev_adapter(nd);
	struct vfmp_sim_port_stats ps;
	int ret;

	ret = vfmp_vfctl_check(ad, vf);
	if (ret)
		return ret;
	ret = vfmp_sim_port_stats(ad->sdev, vf, &ps);
	if (ret)
		return ret;
	vs->rx_packets = ps.rx_packets;
	vs->rx_bytes = ps.rx_bytes;
	vs->tx_packets = ps.tx_packets;
	vs->tx_bytes = ps.tx_bytes;
	vs->rx_dropped = ps.rx_dropped_down;
	vs->tx_dropped = ps.tx_spoofed + ps.tx_vlan_dropped +
			 ps.tx_rate_dropped + ps.tx_link_dropped;
	return 0;
}
