#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# install-ns.sh KVER: run `make install KVER=KVER` and then `make uninstall`
# for real, as root, but in a private mount namespace where /usr, /etc and
# /var/lib/dkms are tmpfs-backed overlays of the host's: DKMS, depmod and
# the install write where they would on a real machine, and the host (whose
# root the VM test guests share) keeps none of it.  TAP output; make
# check-install runs it.
set -uo pipefail
kver=${1:?usage: install-ns.sh KVER}
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
[[ $(id -u) -eq 0 ]] || { echo "1..0 # SKIP needs root (mount namespace, dkms)"; exit 0; }

if [[ ${VFMP_IN_NS:-} != 1 ]]; then
	scratch=$(mktemp -d /tmp/vfmp-install-ns.XXXXXX) || exit 1
	VFMP_IN_NS=1 VFMP_NS_SCRATCH=$scratch unshare -m --propagation private "$0" "$@"
	rc=$?
	rm -rf "$scratch"
	exit $rc
fi

n=0 failed=0 log=$VFMP_NS_SCRATCH/out.log
ok() { # desc cmd...: one TAP point; a failure shows the command's output
	n=$((n + 1))
	if "${@:2}" > "$log" 2>&1; then echo "ok $n - $1"; return; fi
	echo "not ok $n - $1"
	failed=$((failed + 1))
	tail -n 20 "$log" | sed 's/^/#   /'
}
for d in /usr /etc /var/lib/dkms; do
	s=$VFMP_NS_SCRATCH/${d//\//_}
	mkdir -p "$s/u" "$s/w"
	mount -t overlay overlay -o "lowerdir=$d,upperdir=$s/u,workdir=$s/w" "$d" ||
		{ echo "Bail out! cannot overlay $d"; exit 1; }
done
echo "1..9"
cd "$repo" || exit 1
ok "make install KVER=$kver" make install KVER="$kver" VFMP_DEPS_DONE=1
ver=$(sed -n '1s/^vfmp (\([^)-]*\).*/\1/p' debian/changelog)
ok "vfmpinit and vfmprss in /usr/sbin" test -x /usr/sbin/vfmpinit -a -x /usr/sbin/vfmprss
ok "man -w vfmpinit finds the installed page" test "$(man -w vfmpinit)" = /usr/share/man/man8/vfmpinit.8
ok "the unit runs /usr/sbin/vfmpinit" grep -qx 'ExecStart=/usr/sbin/vfmpinit $VFMPINIT_OPTS' /lib/systemd/system/vfmpinit.service
ok "dkms: vfmp/$ver installed for $kver" grep -q "^vfmp/$ver, $kver, .*: installed" <<<"$(dkms status vfmp/"$ver")"
ok "modinfo -k $kver finds vfmp in updates/dkms" grep -q "/updates/dkms/vfmp.ko" <<<"$(modinfo -k "$kver" -F filename vfmp)"
# DKMS compresses the module as the kernel's own are (6.12: xz)
ko_sections() {
	local f
	f=$(modinfo -k "$kver" -F filename vfmp)
	case $f in
	*.xz) xz -dc "$f" ;;
	*.zst) zstd -qdc "$f" ;;
	*.gz) gzip -dc "$f" ;;
	*) cat "$f" ;;
	esac > "$VFMP_NS_SCRATCH/vfmp.ko" && readelf -S "$VFMP_NS_SCRATCH/vfmp.ko"
}
ok "the installed vfmp.ko carries BTF" grep -q '\.BTF' <<<"$(ko_sections)"
ok "make uninstall" make uninstall VFMP_DEPS_DONE=1
ok "nothing left" test -z "$(ls -d /usr/sbin/vfmpinit /usr/src/vfmp-"$ver" /lib/systemd/system/vfmpinit.service \
	/lib/modules/"$kver"/updates/dkms/vfmp.ko 2>/dev/null; dkms status vfmp)"
((failed == 0))
