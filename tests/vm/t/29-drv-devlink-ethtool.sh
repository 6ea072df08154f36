#!/bin/bash
# 29-drv-devlink-ethtool.sh - vfmp.ko: the PF's devlink face (dev info and
# the SR-IOV keywords as permanent parameters, enable_sriov being the generic
# one) and the PF/VF ethtool faces.
# shellcheck source=tests/vm/lib.sh
source "$(dirname "$0")/../lib.sh"
# shellcheck source=tests/vm/drvlib.sh
source "$(dirname "$0")/../drvlib.sh"

PF=sim0-pf
DL=vfmp_sim/$PF
t_ok "modules load" drv_load
t_ok "adapter 0 (4 VFs) created" sim_new "0 4 2"
t_match "devlink dev lists the PF" "^$DL" "$(devlink dev 2>&1)"
info=$(devlink dev info $DL 2>&1)
t_match "dev info: driver vfmp" 'driver vfmp' "$info"
t_match "dev info: serial number" "serial_number $PF" "$info"
t_match "dev info: running driver version" 'driver [0-9]+\.[0-9]+\.[0-9]+' "$info"
t_match "dev info: fw.mbx" 'fw\.mbx 1\.0' "$info"
pa=$(devlink dev param show 2>&1)
t_match "enable_sriov is the generic parameter, true" 'name enable_sriov type generic
 *values:
 *cmode permanent value true' "$pa"
t_match "num_vfs is a driver parameter = 4" 'name num_vfs type driver-specific
 *values:
 *cmode permanent value 4' "$pa"
t_match "switch_name" 'cmode permanent value Default Switch' "$pa"
t_match "one param show by name" 'cmode permanent value true' "$(devlink dev param show $DL name enable_sriov 2>&1)"

dmesg_mark
out=$(devlink dev param set $DL name num_vfs value 9 cmode permanent 2>&1)
t_eq "num_vfs above sriov_totalvfs refused" 1 "$([[ $? -ne 0 ]] && echo 1)"
t_match "with a message" "num_vfs exceeds the adapter's sriov_totalvfs" "$out"
t_match "*NumVFs unchanged" '^\*NumVFs=4$' "$(grep NumVFs "$(sim_dbg 0 keywords)")"
out=$(devlink dev param set $DL name switch_type value 2 cmode permanent 2>&1)
t_match "switch_type other than 1 refused with a message" 'only 1 \(external\) exists' "$out"
t_ok "num_vfs=2 accepted" devlink dev param set $DL name num_vfs value 2 cmode permanent
t_match "*NumVFs=2 stored" '^\*NumVFs=2$' "$(grep NumVFs "$(sim_dbg 0 keywords)")"

t_ok "enable_sriov false accepted" devlink dev param set $DL name enable_sriov value false cmode permanent
t_match "*SRIOV=0 stored in the NVM" '^\*SRIOV=0$' "$(grep '^\*SRIOV=' "$(sim_dbg 0 keywords)")"
t_match "kernel says it takes effect at the next init" "vfmp $PF: devlink: \*SRIOV=0 stored; takes effect at the next init" "$(dmesg_since_mark)"
t_match "param show reads it back false" 'cmode permanent value false' "$(devlink dev param show $DL name enable_sriov 2>&1)"
t_eq "cur caps unchanged until the next init" "type=0x80 rev=1 size=12 flags=0x0 caps=0x3 PF_MINIPORT|SRIOV_SUPPORTED" "$(vattr $PF cur_sriov_caps)"
drv_unbind $PF >/dev/null
t_eq "PF rebinds" OK "$(drv_bind $PF)"
t_eq "cur caps 0x2 after the next init" "type=0x80 rev=1 size=12 flags=0x0 caps=0x2 PF_MINIPORT" "$(vattr $PF cur_sriov_caps)"
t_ok "enable_sriov true again" devlink dev param set $DL name enable_sriov value true cmode permanent
drv_unbind $PF >/dev/null
drv_bind $PF >/dev/null
t_eq "enabling 2 VFs works (*NumVFs=2)" OK "$(write_sysfs "$(dev_path $PF)/sriov_numvfs" 2)"

# ethtool on the PF
nd=$(dev_netdev $PF)
t_eq "PF ethtool -i: driver vfmp" "driver: vfmp" "$(ethtool -i "$nd" 2>&1 | grep '^driver:')"
t_match "PF ethtool -l: 2 combined" 'Combined:	2' "$(ethtool -l "$nd" 2>&1)"
done_testing
