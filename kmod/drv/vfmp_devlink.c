// SPDX-License-Identifier: GPL-2.0
/*
 * devlink for the PF: `devlink dev info` and the SR-IOV keywords as
 * permanent parameters.  *SRIOV is the generic parameter enable_sriov; the
 * others are driver parameters.  Permanent values live in the adapter's
 * NVM and take effect at the next init (unbind/bind).  Reads go through
 * the keyword accessor (R3) like every other keyword read.
 */
#include <net/devlink.h>

#include "vfmp.h"

enum vfmp_dl_param_id {
	VFMP_DL_PARAM_BASE = DEVLINK_PARAM_GENERIC_ID_MAX,
	VFMP_DL_PARAM_SRIOV_PREFERRED,
	VFMP_DL_PARAM_NUM_VFS,
	VFMP_DL_PARAM_SWITCH_ID,
	VFMP_DL_PARAM_SWITCH_TYPE,
	VFMP_DL_PARAM_SWITCH_NAME,
};

static const char *vfmp_dl_keyword(u32 id)
{
	switch (id) {
	case DEVLINK_PARAM_GENERIC_ID_ENABLE_SRIOV:
		return "*SRIOV";
	case VFMP_DL_PARAM_SRIOV_PREFERRED:
		return "*SriovPreferred";
	case VFMP_DL_PARAM_NUM_VFS:
		return "*NumVFs";
	case VFMP_DL_PARAM_SWITCH_ID:
		return "*SwitchId";
	case VFMP_DL_PARAM_SWITCH_TYPE:
		return "*SwitchType";
	case VFMP_DL_PARAM_SWITCH_NAME:
		return "*SwitchName";
	}
	return NULL;
}

static struct vfmp_adapter *dl_ad(struct devlink *dl)
{
	return *(struct vfmp_adapter **)devlink_priv(dl);
}

static int vfmp_dl_get(struct devlink *dl, u32 id,
		       struct devlink_param_gset_ctx *ctx)
{
	struct vfmp_adapter *ad = dl_ad(dl);
	const char *kw = vfmp_dl_keyword(id);
	u32 v;
	int ret;

	if (!kw)
		return -EOPNOTSUPP;
	if (id == VFMP_DL_PARAM_SWITCH_NAME) {
		char name[VFMP_SIM_KW_VALUE_MAX];

		ret = vfmp_kw_read(ad, kw, name, sizeof(name));
		if (ret)
			return ret;
		/* devlink strings hold 31 characters; the NVM up to 63 */
		strscpy(ctx->val.vstr, name, sizeof(ctx->val.vstr));
		return 0;
	}
	ret = vfmp_kw_read_u32(ad, kw, &v);
	if (ret)
		return ret;
	if (id == DEVLINK_PARAM_GENERIC_ID_ENABLE_SRIOV ||
	    id == VFMP_DL_PARAM_SRIOV_PREFERRED)
		ctx->val.vbool = v == 1;
	else
		ctx->val.vu32 = v;
	return 0;
}

static int vfmp_dl_set(struct devlink *dl, u32 id,
		       struct devlink_param_gset_ctx *ctx,
		       struct netlink_ext_ack *extack)
{
	struct vfmp_adapter *ad = dl_ad(dl);
	const char *kw = vfmp_dl_keyword(id);
	char val[VFMP_SIM_KW_VALUE_MAX];
	int ret;

	if (!kw)
		return -EOPNOTSUPP;
	if (id == VFMP_DL_PARAM_SWITCH_NAME)
		strscpy(val, ctx->val.vstr, sizeof(val));
	else if (id == DEVLINK_PARAM_GENERIC_ID_ENABLE_SRIOV ||
		 id == VFMP_DL_PARAM_SRIOV_PREFERRED)
		snprintf(val, sizeof(val), "%u", ctx->val.vbool ? 1 : 0);
	else
		snprintf(val, sizeof(val), "%u", ctx->val.vu32);
	ret = vfmp_sim_write_keyword(ad->sdev, kw, val);
	if (ret) {
		NL_SET_ERR_MSG_MOD(extack, "the adapter refused to store the keyword");
		return ret;
	}
	dev_info(ad->dev, "devlink: %s=%s stored; takes effect at the next init\n",
		 kw, val);
	return 0;
}

VFMP_DEFINE_DL_PARAM_SET(vfmp_dl_set)

static int vfmp_dl_validate_u32(struct devlink *dl, u32 id,
				union devlink_param_value val,
				struct netlink_ext_ack *extack)
{
	struct vfmp_adapter *ad = dl_ad(dl);

	if (id == VFMP_DL_PARAM_NUM_VFS && val.vu32 > ad->pf.total_vfs) {
		NL_SET_ERR_MSG_MOD(extack, "num_vfs exceeds the adapter's sriov_totalvfs");
		return -ERANGE;
	}
	if (id == VFMP_DL_PARAM_SWITCH_TYPE && val.vu32 != 1) {
		NL_SET_ERR_MSG_MOD(extack, "switch_type: only 1 (external) exists");
		return -EINVAL;
	}
	return 0;
}

static int vfmp_dl_validate_str(struct devlink *dl, u32 id,
				union devlink_param_value val,
				struct netlink_ext_ack *extack)
{
	if (!val.vstr[0]) {
		NL_SET_ERR_MSG_MOD(extack, "switch_name must not be empty");
		return -EINVAL;
	}
	return 0;
}

#define PERM BIT(DEVLINK_PARAM_CMODE_PERMANENT)

static const struct devlink_param vfmp_dl_params[] = {
	DEVLINK_PARAM_GENERIC(ENABLE_SRIOV, PERM, vfmp_dl_get, vfmp_dl_set_cb,
			      NULL),
	DEVLINK_PARAM_DRIVER(VFMP_DL_PARAM_SRIOV_PREFERRED, "sriov_preferred",
			     DEVLINK_PARAM_TYPE_BOOL, PERM, vfmp_dl_get,
			     vfmp_dl_set_cb, NULL),
	DEVLINK_PARAM_DRIVER(VFMP_DL_PARAM_NUM_VFS, "num_vfs",
			     DEVLINK_PARAM_TYPE_U32, PERM, vfmp_dl_get,
			     vfmp_dl_set_cb, vfmp_dl_validate_u32),
	DEVLINK_PARAM_DRIVER(VFMP_DL_PARAM_SWITCH_ID, "switch_id",
			     DEVLINK_PARAM_TYPE_U32, PERM, vfmp_dl_get,
			     vfmp_dl_set_cb, vfmp_dl_validate_u32),
	DEVLINK_PARAM_DRIVER(VFMP_DL_PARAM_SWITCH_TYPE, "switch_type",
			     DEVLINK_PARAM_TYPE_U32, PERM, vfmp_dl_get,
			     vfmp_dl_set_cb, vfmp_dl_validate_u32),
	DEVLINK_PARAM_DRIVER(VFMP_DL_PARAM_SWITCH_NAME, "switch_name",
			     DEVLINK_PARAM_TYPE_STRING, PERM, vfmp_dl_get,
			     vfmp_dl_set_cb, vfmp_dl_validate_str),
};

static int vfmp_dl_info_get(struct devlink *dl, struct devlink_info_req *req,
			    struct netlink_ext_ack *extack)
{
	struct vfmp_adapter *ad = dl_ad(dl);
	char buf[32];
	int ret;

	ret = vfmp_devlink_info_driver_name_put(req, VFMP_DRV_NAME);
	if (ret)
		return ret;
	ret = devlink_info_serial_number_put(req, ad->name);
	if (ret)
		return ret;
	ret = devlink_info_version_fixed_put(req, "board.id", "vfmp-sim");
	if (ret)
		return ret;
	snprintf(buf, sizeof(buf), "%u.%u", VFMP_MBX_VERSION_MAJOR,
		 VFMP_MBX_VERSION_MINOR);
	ret = devlink_info_version_running_put(req, "fw.mbx", buf);
	if (ret)
		return ret;
	return devlink_info_version_running_put(req, "driver", VFMP_DRV_VERSION);
}

static const struct devlink_ops vfmp_dl_ops = {
	.info_get = vfmp_dl_info_get,
};

int vfmp_devlink_register(struct vfmp_adapter *ad)
{
	struct devlink *dl;
	int ret;

	dl = devlink_alloc(&vfmp_dl_ops, sizeof(ad), ad->dev);
	if (!dl)
		return -ENOMEM;
	*(struct vfmp_adapter **)devlink_priv(dl) = ad;
	/*
	 * The keyword parameters only exist where the keywords may be read:
	 * a PF in a child partition skips them (R3/R9), and registering them
	 * would make devlink read every keyword at once.
	 */
	if (ad->decision.sriov_allowed) {
		ret = devlink_params_register(dl, vfmp_dl_params,
					      ARRAY_SIZE(vfmp_dl_params));
		if (ret) {
			devlink_free(dl);
			return ret;
		}
	}
	devlink_register(dl);
	ad->pf.devlink = dl;
	return 0;
}

void vfmp_devlink_unregister(struct vfmp_adapter *ad)
{
	struct devlink *dl = ad->pf.devlink;

	devlink_unregister(dl);
	if (ad->decision.sriov_allowed)
		devlink_params_unregister(dl, vfmp_dl_params,
					  ARRAY_SIZE(vfmp_dl_params));
	devlink_free(dl);
	ad->pf.devlink = NULL;
}
