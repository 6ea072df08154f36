#!/bin/bash
# mkinitramfs.sh - build the tiny busybox initramfs used by run-vm.sh.
#
# Usage: tests/vm/mkinitramfs.sh KVER OUTPUT.cpio
#
# The image contains a static busybox, the stage-1 init (tests/vm/guest/init),
# the stage-2 script (tests/vm/guest/stage2.sh) and the kernel modules needed to
# mount the host root over virtio-9p under a tmpfs overlay (9p, 9pnet_virtio,
# virtio_pci, overlay) plus all their dependencies, resolved from
# /lib/modules/KVER/modules.dep (compressed modules are decompressed).
# /modules.load lists them in load order (dependencies first).
# No root privileges are needed (cpio -H newc, no device nodes: the guest
# uses devtmpfs).
set -euo pipefail

KVER=${1:?usage: mkinitramfs.sh KVER OUTPUT.cpio}
OUT=${2:?usage: mkinitramfs.sh KVER OUTPUT.cpio}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MODDIR=${VFMP_MODDIR:-/lib/modules/$KVER}
BUSYBOX=${VFMP_BUSYBOX:-/bin/busybox}
# Modules the stage-1 init needs (virtio_rng: seeds the crng early so
# "random: crng init done" is logged before the test runs); dependencies are
# added automatically.
WANTED=(virtio_pci 9pnet_virtio 9p overlay virtio_rng)

die() { echo "mkinitramfs: $*" >&2; exit 1; }
[[ -r $MODDIR/modules.dep ]] || die "$MODDIR/modules.dep not found"
[[ -x $BUSYBOX ]] || die "static busybox not found at $BUSYBOX"
if command -v file >/dev/null && file -L "$BUSYBOX" | grep -q 'dynamically linked'; then
	die "$BUSYBOX is dynamically linked (install busybox-static)"
fi

declare -A DEPS=() PATHOF=() STATE=()
# modules.dep lines: "kernel/fs/9p/9p.ko: kernel/net/9p/9pnet.ko ..."; awk
# turns each into "name path dep-names..." (names normalised: '-' -> '_').
while read -r name path deps; do
	PATHOF[$name]=$path
	DEPS[$name]=$deps
done < <(awk -F'[: ]+' '
	function n(p) { sub(/.*\//, "", p); sub(/\.ko.*/, "", p); gsub(/-/, "_", p); return p }
	{ line = n($1) " " $1; for (i = 2; i <= NF; i++) if ($i != "") line = line " " n($i); print line }
' "$MODDIR/modules.dep")

ORDER=()
visit() { # depth-first topological sort: dependencies before dependents
	local m=$1 dep
	case ${STATE[$m]:-} in
	visited) return ;;
	active) die "dependency cycle at $m" ;;
	esac
	[[ -n ${PATHOF[$m]:-} ]] || {
		# built into the kernel? then nothing to load
		if grep -qE "/${m//_/[_-]}\.ko" "$MODDIR/modules.builtin" 2>/dev/null; then
			STATE[$m]=visited; return
		fi
		die "module $m not found in $MODDIR/modules.dep"
	}
	STATE[$m]=active
	for dep in ${DEPS[$m]}; do visit "$dep"; done
	STATE[$m]=visited
	ORDER+=("$m")
}
for m in "${WANTED[@]}"; do visit "$m"; done

STAGE=$(mktemp -d "${OUT}.stage.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
mkdir -p "$STAGE"/{bin,dev,proc,sys,lower,ovl,newroot,art,lib/modules}
cp "$BUSYBOX" "$STAGE/bin/busybox"
ln -s busybox "$STAGE/bin/sh"
install -m 0755 "$HERE/guest/init" "$STAGE/init"
install -m 0755 "$HERE/guest/stage2.sh" "$STAGE/stage2.sh"
: > "$STAGE/modules.load"
for m in "${ORDER[@]}"; do
	src=$MODDIR/${PATHOF[$m]}
	dst=$STAGE/lib/modules/$m.ko
	case $src in
	*.ko) cp "$src" "$dst" ;;
	*.ko.xz) xz -dc "$src" > "$dst" ;;
	*.ko.zst) zstd -qdc "$src" > "$dst" ;;
	*.ko.gz) gzip -dc "$src" > "$dst" ;;
	*) die "unknown module format: $src" ;;
	esac
	echo "$m" >> "$STAGE/modules.load"
done
(cd "$STAGE" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) > "$OUT.tmp"
mv -f "$OUT.tmp" "$OUT"
echo "mkinitramfs: $OUT ($KVER): modules: ${ORDER[*]}" >&2
