#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# deps.sh [build|vm|check|all]: make sure the Debian packages vfmp needs
# are installed.  As root it installs what is missing with apt-get; as
# another user it prints the exact apt-get line and fails.
set -euo pipefail
what=${1:-all}

# package:probe (probe = a command or a file that proves it is installed)
build_pkgs=(
	"make:make" "gcc:gcc" "libc6-dev:/usr/include/stdio.h"
	"linux-headers-amd64:/usr/src/linux-headers-*-amd64/Makefile"
	"linux-image-amd64:/boot/vmlinuz-*-amd64"
	"dwarves:pahole" "xz-utils:xz" "python3:/usr/bin/python3"
	"grep:grep"
)
vm_pkgs=(
	"qemu-system-x86:qemu-system-x86_64" "busybox-static:/bin/busybox"
	"cpio:cpio" "kmod:/sbin/modprobe" "iproute2:/sbin/ip"
	"ethtool:/sbin/ethtool" "procps:ps" "iputils-ping:/bin/ping" "iperf3:iperf3"
	"xdp-tools:xdp-loader" "bpftool:bpftool" "clang:clang" "llvm:llc"
	"libbpf-dev:/usr/include/bpf/libbpf.h"
)
check_pkgs=(
	"libcmocka-dev:/usr/include/cmocka.h" "pkg-config:pkg-config"
	"clang:clang" "libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a"
	"sparse:sparse" "linux-source-6.1:/usr/src/linux-source-6.1.tar.xz"
)

case $what in
build) want=("${build_pkgs[@]}") ;;
vm) want=("${build_pkgs[@]}" "${vm_pkgs[@]}") ;;
check|all) want=("${build_pkgs[@]}" "${vm_pkgs[@]}" "${check_pkgs[@]}") ;;
*) echo "usage: deps.sh [build|vm|check|all]" >&2; exit 2 ;;
esac

present() {
	local probe=$1
	case $probe in
	/*) compgen -G "$probe" >/dev/null ;;
	*) command -v "$probe" >/dev/null 2>&1 || [ -x "/sbin/$probe" ] || [ -x "/usr/sbin/$probe" ] ;;
	esac
}

missing=()
for e in "${want[@]}"; do
	present "${e#*:}" || missing+=("${e%%:*}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "vfmp: missing Debian packages. As root, run:" >&2
	echo "    apt-get update && $line" >&2
	exit 1
fi
echo "vfmp: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends ${missing[*]} >/dev/null
