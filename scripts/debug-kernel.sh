#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# debug-kernel.sh: build the debug guest kernel (KASAN, KFENCE, lockdep,
# atomic-sleep checks, debug objects, kmemleak, fault injection) from
# Debian's linux-source-6.1, for `make check-debug`: allnoconfig plus
# tests/vm/debug/debug.config, so it builds only what the guest needs.
#
# The result is cached under build/debug-kernel/KEY/, KEY being a hash of
# the source package version and the config fragment
# (tests/vm/debug/debug.config), so a new Debian source or a config change
# builds again and anything else reuses it.  Prints the kernel release.
#
#   debug-kernel.sh --start   build in the background at idle priority
#                             (SCHED_IDLE: it only takes CPU time nothing
#                             else wants; `make check` starts it first and
#                             runs the VM suites meanwhile); log in
#                             build/debug-kernel/bg.log
#   debug-kernel.sh           wait for a background build, then build (or
#                             find in the cache) and print the release
#
#   build/debug-kernel/KEY/obj/             the build tree (KDIR for vfmp)
#   build/debug-kernel/KEY/bzImage          the kernel the guest boots
#   build/debug-kernel/lib/modules/RELEASE  modules.builtin etc. (the
#                                           guest links it into /lib/modules)
#   build/debug-kernel/bzImage-RELEASE      -> KEY/bzImage
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
tarball=/usr/src/linux-source-6.1.tar.xz
frag=$top/tests/vm/debug/debug.config
base=$top/build/debug-kernel
jobs=${JOBS:-$(nproc)}

[[ -r $tarball ]] || { echo "debug-kernel: $tarball missing (apt-get install linux-source-6.1)" >&2; exit 1; }
ver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
key=$( { echo "$ver"; cat "$frag"; } | sha256sum | cut -c1-12)
out=$base/$key
cached() { [[ -f $out/release && -f $out/bzImage ]]; }
# the background build, if one runs (a pid file left behind by a build
# that was killed may name another process by now)
bg_running() {
	local pid
	pid=$(cat "$base/bg.pid" 2>/dev/null) || return 1
	[[ $pid =~ ^[0-9]+$ && $pid != "$$" ]] &&
		grep -qa debug-kernel.sh "/proc/$pid/cmdline" 2>/dev/null
}

if [[ ${1:-} == --start ]]; then
	if cached || bg_running; then exit 0; fi
	mkdir -p "$base"
	chrt --idle 0 "$0" --background > "$base/bg.out" 2> "$base/bg.log" < /dev/null &
	echo $! > "$base/bg.pid"
	echo "debug-kernel: building in the background at idle priority (log: $base/bg.log)" >&2
	exit 0
fi
# (--background: this is that build; it does not wait for itself)
if [[ ${1:-} != --background ]] && bg_running; then
	echo "debug-kernel: waiting for the background build (log: $base/bg.log)" >&2
	while bg_running; do sleep 5; done
fi
[[ ${1:-} == --background ]] || rm -f "$base/bg.pid"
if cached; then
	cat "$out/release"
	exit 0
fi

src=$base/src-$ver
if [[ ! -f $src/Makefile ]]; then
	echo "debug-kernel: unpacking linux-source-6.1 $ver" >&2
	rm -rf "$src" "$base/linux-source-6.1"
	mkdir -p "$base"
	tar -C "$base" -xJf "$tarball"
	mv "$base/linux-source-6.1" "$src"
fi

mkdir -p "$out/obj"
mk() { make -s -C "$src" O="$out/obj" "$@"; }
echo "debug-kernel: configuring (allnoconfig + $frag)" >&2
# allnoconfig with the fragment forced: only what the guest needs is built
KCONFIG_ALLCONFIG=$frag mk allnoconfig >/dev/null
"$src/scripts/config" --file "$out/obj/.config" --set-str LOCALVERSION "-vfmp-debug" \
	--disable LOCALVERSION_AUTO
mk olddefconfig >/dev/null
# every option of the fragment must have stuck (a dependency may drop one,
# a select may force one back on)
missing=$(grep -E '^(CONFIG_[A-Z0-9_]+=|# CONFIG_[A-Z0-9_]+ is not set)' "$frag" | while read -r line; do
	case $line in
	"# "*) sym=${line#"# "}; sym=${sym%% *}
		if grep -qE "^$sym=[ym]" "$out/obj/.config"; then echo "$line"; fi ;;
	*) if ! grep -qxF "$line" "$out/obj/.config"; then echo "$line"; fi ;;
	esac
done)
[[ -z $missing ]] || { echo "debug-kernel: options that did not stick:" >&2; echo "$missing" >&2; exit 1; }

echo "debug-kernel: building with $jobs jobs (this takes a while)" >&2
start=$SECONDS
mk -j"$jobs" bzImage modules >&2	# stdout: the release only
mk INSTALL_MOD_PATH="$out/root" modules_install >/dev/null
rel=$(mk kernelrelease)
cp "$out/obj/arch/x86/boot/bzImage" "$out/bzImage"
mkdir -p "$base/lib/modules"
# relative, so the tree still works where the repo is moved or shared
ln -sfn "../../$key/root/lib/modules/$rel" "$base/lib/modules/$rel"
ln -sfn "$key/bzImage" "$base/bzImage-$rel"
echo "$rel" > "$out/release"
echo "debug-kernel: $rel built in $((SECONDS - start)) s" >&2
echo "$rel"
