#!/bin/bash
# 60-packages.sh - the Debian packages `make deb` builds install and work.
# vfmp-tools is installed with dpkg into the guest's writable (throw-away)
# root; the tools, man pages and unit are then used from where the package
# put them, and /usr/sbin/vfmpinit traces a real PF and VF init.
# vfmp-dkms is unpacked and registered with `dkms add`, but not built: its
# postinst compiles both modules, which takes minutes under TCG.  `make
# check-dkms` runs dkms add/build/install on the host instead (make check
# runs both).
# dpkg uses a fresh database: loading the host's (about 1000 packages and
# 200000 paths) takes over 4 minutes under TCG.  The fresh one holds the
# status entries of the packages' dependencies, copied from the real one, so
# Depends are still checked, the files still land in /, and the maintainer
# scripts run.  Skipped, not failed, only when build/deb holds no package
# (make deb builds them).
# vm-opts: -t 900
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/../drvlib.sh"

tools_deb=$(ls build/deb/vfmp-tools_*.deb 2>/dev/null | head -n 1)
dkms_deb=$(ls build/deb/vfmp-dkms_*.deb 2>/dev/null | head -n 1)
if [[ -z $tools_deb || -z $dkms_deb ]]; then
	skip "no build/deb/vfmp-{tools,dkms}_*.deb (make deb builds them)"
	done_testing
	exit 0
fi
OUT=$VFMP_VM_ARTIFACTS
UNIT=/lib/systemd/system/vfmpinit.service
unit_line() { sed -n "s/^$1=//p" $UNIT; }
ADM=/var/tmp/vfmp-dpkg
mkdir -p $ADM/info $ADM/updates $ADM/triggers && touch $ADM/available
mapfile -t deps < <(for deb in "$tools_deb" "$dkms_deb"; do
	dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/[(|].*//; s/ //g'
done | sort -u)
dpkg-query -s "${deps[@]}" > $ADM/status
DPKG=(dpkg "--admindir=$ADM")

# --- install ---------------------------------------------------------------
t_ok "dpkg -i ${tools_deb##*/}" "${DPKG[@]}" -i "$tools_deb"
t_eq "vfmpinit runs from /usr/sbin" /usr/sbin/vfmpinit "$(command -v vfmpinit)"
t_eq "vfmprss runs from /usr/sbin" /usr/sbin/vfmprss "$(command -v vfmprss)"
t_match "vfmpinit -h prints its usage" '^Usage: vfmpinit \[OPTION\.\.\.\]' "$(vfmpinit -h 2>&1)"
t_match "vfmprss -h prints its usage" '^Usage: vfmprss \[OPTION\.\.\.\] \[interval\] \[count\]' "$(vfmprss -h 2>&1)"

# --- man pages ---------------------------------------------------------------
for p in vfmpinit vfmprss; do
	t_eq "man -w $p" /usr/share/man/man8/$p.8.gz "$(man -w $p 2>&1)"
done
t_match "lexgrog reads vfmpinit's NAME line" ': "vfmpinit - watch SR-IOV VFs initialize on any driver' \
	"$(lexgrog /usr/share/man/man8/vfmpinit.8.gz 2>&1)"
t_match "lexgrog reads vfmprss's NAME line" ': "vfmprss - watch the RSS receive queues of any multi-queue netdev' \
	"$(lexgrog /usr/share/man/man8/vfmprss.8.gz 2>&1)"
page=$(MANWIDTH=80 man --warnings vfmpinit 2> "$OUT/man-warnings.txt")
man --warnings vfmprss 2>> "$OUT/man-warnings.txt" > /dev/null
t_eq "vfmpinit(8) has the section-8 sections, in order" \
	"NAME SYNOPSIS DESCRIPTION OPTIONS OUTPUT JSON OUTPUT EXIT STATUS FILES EXAMPLES SEE ALSO " \
	"$(grep -E '^[A-Z][A-Z ]+$' <<<"$page" | tr '\n' ' ')"
t_eq "man --warnings: nothing to say on either page" "" "$(cat "$OUT/man-warnings.txt")"
diag "$SECONDS s: installed, man pages checked"

# --- the unit ------------------------------------------------------------------
t_eq "vfmpinit.service is enabled (sysinit.target wants it)" $UNIT \
	"$(readlink /etc/systemd/system/sysinit.target.wants/vfmpinit.service)"
t_ok "systemd-analyze verify $UNIT" systemd-analyze verify $UNIT
t_eq "the unit runs /usr/sbin/vfmpinit" '/usr/sbin/vfmpinit $VFMPINIT_OPTS' "$(unit_line ExecStart)"
# vfmpinit needs no driver: the unit neither loads nor requires vfmp.ko
t_eq "the unit loads no module and has no condition" "" "$(unit_line ExecStartPre)$(unit_line ExecCondition)"

diag "$SECONDS s: unit checked"

# --- a real trace from /usr/sbin/vfmpinit ---------------------------------------
drv_load || bail_out "cannot load the modules from $VFMP_KO"
vfmpinit > "$OUT/vfmpinit-pkg.out" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q watching "$OUT/vfmpinit-pkg.out" && break; sleep 0.2; done
# the unit's readiness check (ExecStartPost) as systemd runs it: "$$" is a
# literal "$", and MAINPID is in the environment
ready=$(unit_line ExecStartPost)
t_ok "the unit's ExecStartPost sees the tracer attached" env MAINPID=$pid bash -c "${ready//'$$'/'$'}"
sim_new "0 1 2"
write_sysfs "$(dev_path sim0-pf)/sriov_numvfs" 1 >/dev/null
for _ in $(seq 50); do [[ -n $(dev_netdev sim0-vf0) ]] && break; sleep 0.2; done
sleep 1
kill "$pid"; wait "$pid"
out=$(cat "$OUT/vfmpinit-pkg.out")
diag "$(grep -E '==|R2 partition' <<<"$out")"
t_match "the PF's init, traced" 'sim0-pf +== initialized as ' "$out"
t_match "the VF's last step, traced" 'sim0-vf0 +13 R1 register_netdev +ok' "$out"
t_match "summary: 2 inits, none failed" 'vfmpinit: 2 inits seen, 0 failed' "$out"
sim_del 0
drv_unload
diag "$SECONDS s: trace done"

# --- vfmp-dkms: the packaged source registers with DKMS ----------------------
ver=$(dpkg-deb -f "$dkms_deb" Version)
t_ok "dpkg --unpack ${dkms_deb##*/}" "${DPKG[@]}" --unpack "$dkms_deb"
t_eq "its dkms.conf names the package's version" "PACKAGE_VERSION=\"$ver\"" \
	"$(grep '^PACKAGE_VERSION=' /usr/src/vfmp-"$ver"/dkms.conf)"
t_ok "dkms add vfmp/$ver" dkms add vfmp/"$ver"
t_match "dkms status: vfmp/$ver added" "^vfmp/$ver: added" "$(dkms status vfmp/"$ver" 2>&1)"

# --- removal -----------------------------------------------------------------------
dkms remove vfmp/"$ver" --all > "$OUT/dkms-remove.out" 2>&1
"${DPKG[@]}" -P vfmp-tools vfmp-dkms > "$OUT/dpkg-purge.out" 2>&1
t_eq "dpkg -P removes the tools, pages, unit and DKMS source" "" \
	"$(ls -d /usr/sbin/vfmpinit /usr/sbin/vfmprss /usr/share/man/man8/vfmp*.8.gz $UNIT /usr/src/vfmp-"$ver" \
		/etc/systemd/system/sysinit.target.wants/vfmpinit.service 2>/dev/null)"
done_testing
