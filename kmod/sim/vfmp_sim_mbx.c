// SPDX-License-Identifier: GPL-2.0
/*
 * PF/VF mailbox of the simulated NIC.  Each VF has one channel with two
 * bounded queues (VF->PF and PF->VF).  The sim only moves bytes: it knows
 * nothing of the message format.  A doorbell (run from the sim's
 * workqueue, i.e. like a threaded interrupt) tells the receiver to drain.
 */
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "vfmp_sim.h"

static struct vfmp_sim_adapter *bell_adapter(struct work_struct *w,
					     enum sim_mbx_dir dir, u16 *vf)
{
	struct sim_mbx_queue *q =
		container_of(to_delayed_work(w), struct sim_mbx_queue, bell);
	struct sim_mbx_chan *ch = container_of(q, struct sim_mbx_chan, q[dir]);

	*vf = ch->vf;
	return ch->ad;
}

static void sim_ring(struct vfmp_sim_adapter *ad, u16 vf, enum sim_mbx_dir dir)
{
	struct vfmp_sim_device *target;
	struct sim_doorbell bell;

	spin_lock(&ad->bell_lock);
	bell = dir == SIM_TO_PF ? ad->pf_bell : ad->vf_bell[vf];
	target = dir == SIM_TO_PF ? ad->pf : READ_ONCE(ad->vfs[vf]);
	spin_unlock(&ad->bell_lock);
	/* No handler: the message waits, as it would in mailbox memory. */
	if (bell.fn && target)
		bell.fn(target, vf, bell.ctx);
}

static void sim_bell_to_pf(struct work_struct *w)
{
	struct vfmp_sim_adapter *ad;
	u16 vf;

	ad = bell_adapter(w, SIM_TO_PF, &vf);
	sim_ring(ad, vf, SIM_TO_PF);
}

static void sim_bell_to_vf(struct work_struct *w)
{
	struct vfmp_sim_adapter *ad;
	u16 vf;

	ad = bell_adapter(w, SIM_TO_VF, &vf);
	sim_ring(ad, vf, SIM_TO_VF);
}

int sim_mbx_init(struct vfmp_sim_adapter *ad)
{
	u16 i, n = max_t(u16, ad->total_vfs, 1);
	int d;

	ad->chan = sim_calloc(n, sizeof(*ad->chan));
	if (!ad->chan)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		struct sim_mbx_chan *ch = &ad->chan[i];

		ch->ad = ad;
		ch->vf = i;
		spin_lock_init(&ch->lock);
		init_waitqueue_head(&ch->space);
		for (d = 0; d < SIM_DIRS; d++)
			INIT_LIST_HEAD(&ch->q[d].msgs);
		INIT_DELAYED_WORK(&ch->q[SIM_TO_PF].bell, sim_bell_to_pf);
		INIT_DELAYED_WORK(&ch->q[SIM_TO_VF].bell, sim_bell_to_vf);
	}
	return 0;
}

static void sim_queue_purge(struct sim_mbx_chan *ch, enum sim_mbx_dir dir)
{
	struct sim_msg *m, *tmp;
	LIST_HEAD(gone);

	spin_lock(&ch->lock);
	list_splice_init(&ch->q[dir].msgs, &gone);
	ch->q[dir].depth = 0;
	spin_unlock(&ch->lock);
	list_for_each_entry_safe(m, tmp, &gone, node)
		sim_free(m);
	wake_up_all(&ch->space);
}

/* A VF function was created or went away: its channel starts empty. */
void sim_mbx_reset_vf(struct vfmp_sim_adapter *ad, u16 vf)
{
	struct sim_mbx_chan *ch = &ad->chan[vf];
	int d;

	for (d = 0; d < SIM_DIRS; d++) {
		cancel_delayed_work_sync(&ch->q[d].bell);
		sim_queue_purge(ch, d);
	}
	spin_lock(&ad->bell_lock);
	ad->vf_bell[vf].fn = NULL;
	ad->vf_bell[vf].ctx = NULL;
	spin_unlock(&ad->bell_lock);
}

void sim_mbx_fini(struct vfmp_sim_adapter *ad)
{
	u16 i;

	if (!ad->chan)
		return;
	for (i = 0; i < max_t(u16, ad->total_vfs, 1); i++)
		sim_mbx_reset_vf(ad, i);
	sim_free(ad->chan);
	ad->chan = NULL;
}

/* Ring for whatever is already waiting (e.g. a PF driver just bound). */
void sim_mbx_ring_pending(struct vfmp_sim_adapter *ad, u16 vf,
			  enum sim_mbx_dir dir)
{
	struct sim_mbx_chan *ch = &ad->chan[vf];
	bool pending;

	spin_lock(&ch->lock);
	pending = ch->q[dir].depth > 0;
	spin_unlock(&ch->lock);
	if (pending)
		mod_delayed_work(vfmp_sim_wq, &ch->q[dir].bell, 0);
}

int vfmp_sim_mbx_set_doorbell(struct vfmp_sim_device *sdev,
			      vfmp_sim_doorbell_t fn, void *ctx)
{
	struct vfmp_sim_adapter *ad = sdev->adapter;
	u16 i;

	if (!fn)
		return -EINVAL;
	spin_lock(&ad->bell_lock);
	if (sdev->function == VFMP_SIM_FN_PF) {
		ad->pf_bell.fn = fn;
		ad->pf_bell.ctx = ctx;
	} else {
		ad->vf_bell[sdev->vf_index].fn = fn;
		ad->vf_bell[sdev->vf_index].ctx = ctx;
	}
	spin_unlock(&ad->bell_lock);

	if (sdev->function == VFMP_SIM_FN_PF) {
		for (i = 0; i < ad->total_vfs; i++)
			sim_mbx_ring_pending(ad, i, SIM_TO_PF);
	} else {
		sim_mbx_ring_pending(ad, sdev->vf_index, SIM_TO_VF);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(vfmp_sim_mbx_set_doorbell);

void vfmp_sim_mbx_clear_doorbell(struct vfmp_sim_device *sdev)
{
	struct vfmp_sim_adapter *ad = sdev->adapter;
	u16 i;

	spin_lock(&ad->bell_lock);
	if (sdev->function == VFMP_SIM_FN_PF) {
		ad->pf_bell.fn = NULL;
		ad->pf_bell.ctx = NULL;
	} else {
		ad->vf_bell[sdev->vf_index].fn = NULL;
		ad->vf_bell[sdev->vf_index].ctx = NULL;
	}
	spin_unlock(&ad->bell_lock);

	/* wait out a doorbell that read the old handler */
	if (sdev->function == VFMP_SIM_FN_PF) {
		for (i = 0; i < ad->total_vfs; i++)
			flush_delayed_work(&ad->chan[i].q[SIM_TO_PF].bell);
	} else {
		flush_delayed_work(&ad->chan[sdev->vf_index].q[SIM_TO_VF].bell);
	}
}
EXPORT_SYMBOL_GPL(vfmp_sim_mbx_clear_doorbell);

static struct sim_mbx_chan *sim_chan(struct vfmp_sim_device *sdev, u16 vf,
				     enum sim_mbx_dir *tx)
{
	struct vfmp_sim_adapter *ad = sdev->adapter;

	if (sdev->function == VFMP_SIM_FN_VF) {
		*tx = SIM_TO_PF;
		return &ad->chan[sdev->vf_index];
	}
	*tx = SIM_TO_VF;
	if (vf >= ad->total_vfs)
		return NULL;
	return &ad->chan[vf];
}

static bool sim_vf_alive(struct vfmp_sim_adapter *ad, u16 vf)
{
	/* read without ad->lock: a stale answer only delays an -ENODEV */
	return READ_ONCE(ad->vf_present[vf]);
}

static bool sim_queue_has_space(struct sim_mbx_chan *ch, enum sim_mbx_dir dir)
{
	bool space;

	spin_lock(&ch->lock);
	space = ch->q[dir].depth < VFMP_SIM_MBX_DEPTH;
	spin_unlock(&ch->lock);
	return space;
}

/*
 * Queue @msg on @dir of @ch.  With @wait the sender sleeps while the
 * channel is full, up to the adapter's send timeout; without, a full
 * channel is -EBUSY at once (a receiver that does not drain its mailbox
 * never stalls the sender).
 */
static int sim_mbx_queue_msg(struct vfmp_sim_adapter *ad,
			     struct sim_mbx_chan *ch, enum sim_mbx_dir tx,
			     const void *msg, size_t len, bool wait)
{
	unsigned long delay = 0, timeout;
	struct sim_msg *m;

	if (sim_fault_consume(ad, &ad->fail_mbx_send)) {
		spin_lock(&ch->lock);
		ch->q[tx].failed++;
		spin_unlock(&ch->lock);
		return -EIO;
	}
	if (tx == SIM_TO_VF) {
		if (sim_fault_consume(ad, &ad->drop_mbx_reply)) {
			spin_lock(&ch->lock);
			ch->q[tx].dropped++;
			spin_unlock(&ch->lock);
			return 0;	/* lost on the wire: sender can't tell */
		}
		delay = msecs_to_jiffies(READ_ONCE(ad->mbx_reply_delay_ms));
	}

	m = sim_zalloc(struct_size(m, data, len));
	if (!m)
		return -ENOMEM;
	m->len = len;
	m->deliver_at = jiffies + delay;
	memcpy(m->data, msg, len);

	timeout = wait ? msecs_to_jiffies(READ_ONCE(ad->mbx_send_timeout_ms)) : 0;
	for (;;) {
		spin_lock(&ch->lock);
		if (ch->q[tx].depth < VFMP_SIM_MBX_DEPTH) {
			list_add_tail(&m->node, &ch->q[tx].msgs);
			ch->q[tx].depth++;
			ch->q[tx].sent++;
			spin_unlock(&ch->lock);
			break;
		}
		if (!wait) {
			ch->q[tx].busy++;
			spin_unlock(&ch->lock);
			sim_free(m);
			return -EBUSY;
		}
		spin_unlock(&ch->lock);
		if (!timeout ||
		    !wait_event_timeout(ch->space, sim_queue_has_space(ch, tx),
					timeout)) {
			spin_lock(&ch->lock);
			ch->q[tx].timeouts++;
			spin_unlock(&ch->lock);
			sim_free(m);
			return -ETIMEDOUT;
		}
	}
	queue_delayed_work(vfmp_sim_wq, &ch->q[tx].bell, delay);
	return 0;
}

static int sim_mbx_send_common(struct vfmp_sim_device *sdev, u16 vf,
			       const void *msg, size_t len, bool wait)
{
	struct vfmp_sim_adapter *ad = sdev->adapter;
	struct sim_mbx_chan *ch;
	enum sim_mbx_dir tx;

	if (!len || len > VFMP_SIM_MBX_MSG_MAX)
		return -EMSGSIZE;
	ch = sim_chan(sdev, vf, &tx);
	if (!ch || !sim_vf_alive(ad, ch->vf))
		return -ENODEV;
	return sim_mbx_queue_msg(ad, ch, tx, msg, len, wait);
}

int vfmp_sim_mbx_send(struct vfmp_sim_device *sdev, u16 vf,
		      const void *msg, size_t len)
{
	might_sleep();
	return sim_mbx_send_common(sdev, vf, msg, len, true);
}
EXPORT_SYMBOL_GPL(vfmp_sim_mbx_send);

int vfmp_sim_mbx_post(struct vfmp_sim_device *sdev, u16 vf,
		      const void *msg, size_t len)
{
	return sim_mbx_send_common(sdev, vf, msg, len, false);
}
EXPORT_SYMBOL_GPL(vfmp_sim_mbx_post);

void vfmp_sim_mbx_rearm(struct vfmp_sim_device *sdev, u16 vf)
{
	enum sim_mbx_dir tx;
	struct sim_mbx_chan *ch = sim_chan(sdev, vf, &tx);

	if (ch)
		sim_mbx_ring_pending(sdev->adapter, ch->vf,
				     tx == SIM_TO_PF ? SIM_TO_VF : SIM_TO_PF);
}
EXPORT_SYMBOL_GPL(vfmp_sim_mbx_rearm);

/*
 * Test access (debugfs vf_inject): put @msg on VF @vf's channel to the PF
 * as if that VF had sent it, whatever the VF's driver does.  It waits for
 * room like a VF's send, so a flood runs at the PF's pace.
 */
int sim_mbx_inject(struct vfmp_sim_adapter *ad, u16 vf, const void *msg,
		   size_t len)
{
	struct sim_mbx_chan *ch;
	int ret;

	if (!len || len > VFMP_SIM_MBX_MSG_MAX)
		return -EMSGSIZE;
	if (vf >= ad->total_vfs || !sim_vf_alive(ad, vf))
		return -ENODEV;
	ch = &ad->chan[vf];
	ret = sim_mbx_queue_msg(ad, ch, SIM_TO_PF, msg, len, true);
	if (!ret) {
		spin_lock(&ch->lock);
		ch->q[SIM_TO_PF].injected++;
		spin_unlock(&ch->lock);
	}
	return ret;
}

int vfmp_sim_mbx_recv(struct vfmp_sim_device *sdev, u16 vf,
		      void *buf, size_t len)
{
	struct sim_mbx_chan *ch;
	enum sim_mbx_dir tx, rx;
	struct sim_msg *m;
	int ret;

	ch = sim_chan(sdev, vf, &tx);
	if (!ch)
		return -ENODEV;
	rx = tx == SIM_TO_PF ? SIM_TO_VF : SIM_TO_PF;

	spin_lock(&ch->lock);
	m = list_first_entry_or_null(&ch->q[rx].msgs, struct sim_msg, node);
	if (!m) {
		spin_unlock(&ch->lock);
		return -EAGAIN;
	}
	if (time_before(jiffies, m->deliver_at)) {
		/* delayed by the fault knob: ring again when it is due */
		unsigned long due = m->deliver_at - jiffies;

		spin_unlock(&ch->lock);
		mod_delayed_work(vfmp_sim_wq, &ch->q[rx].bell, due);
		return -EAGAIN;
	}
	if (m->len > len) {
		spin_unlock(&ch->lock);
		return -EMSGSIZE;
	}
	list_del(&m->node);
	ch->q[rx].depth--;
	ch->q[rx].received++;
	spin_unlock(&ch->lock);
	wake_up(&ch->space);

	memcpy(buf, m->data, m->len);
	ret = m->len;
	sim_free(m);
	return ret;
}
EXPORT_SYMBOL_GPL(vfmp_sim_mbx_recv);
