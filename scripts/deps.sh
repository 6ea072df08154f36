#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# deps.sh [build|vm|check|all|debug]: make sure the Debian packages vfmp needs
# are installed.  As root it installs what is missing with apt-get; as
# another user it prints the exact commands and fails.
#
# Two kernels are supported: Debian 12's own (6.1, linux-image-amd64) and
# Debian 13's 6.12 from bookworm-backports.  The 6.12 image and headers come
# from that suite, which this script adds as an apt source
# (/etc/apt/sources.list.d/vfmp-bookworm-backports.sources, at backports'
# default priority, so nothing else is upgraded from it).  The tests boot it
# only in QEMU guests, but it is a normal kernel package: on a machine that
# boots with GRUB it becomes the newest boot entry.
set -euo pipefail
what=${1:-all}

# package:probe (probe = a command or a file that proves it is installed)
build_pkgs=(
	"make:make" "gcc:gcc" "libc6-dev:/usr/include/stdio.h"
	"linux-headers-amd64:/usr/src/linux-headers-*-amd64/Makefile"
	"linux-image-amd64:/boot/vmlinuz-*-amd64"
	"dwarves:pahole" "xz-utils:xz" "zstd:zstd" "python3:/usr/bin/python3"
	"grep:grep"
)
vm_pkgs=(
	"qemu-system-x86:qemu-system-x86_64" "busybox-static:/bin/busybox"
	"cpio:cpio" "kmod:/sbin/modprobe" "iproute2:/sbin/ip"
	"ethtool:/sbin/ethtool" "procps:ps" "iputils-ping:/bin/ping" "iperf3:iperf3"
	"xdp-tools:xdp-loader" "bpftool:bpftool" "clang:clang" "llvm:llc"
	"libbpf-dev:/usr/include/bpf/libbpf.h"
)
# 6.12 from bookworm-backports: probe, and the backports meta package whose
# versioned dependency is installed (so no release is named here)
bpo_kernel=(
	"linux-image-amd64:/boot/vmlinuz-6.12.*-amd64"
	"linux-headers-amd64:/usr/src/linux-headers-6.12.*-amd64/Makefile"
)
BPO_SUITE=bookworm-backports
BPO_LIST=/etc/apt/sources.list.d/vfmp-bookworm-backports.sources

check_pkgs=(
	"libcmocka-dev:/usr/include/cmocka.h" "pkg-config:pkg-config"
	"clang:clang" "libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a"
	"sparse:sparse" "linux-source-6.1:/usr/src/linux-source-6.1.tar.xz"
)
# make install / make deb / make check-dkms (docs/install.md): the man page
# converter, DKMS and Debian's packaging tools
pkg_pkgs=(
	"build-essential:/usr/share/build-essential/list" "systemd:systemd-analyze" "lowdown:lowdown" "dkms:dkms" "debhelper:dh" "dh-dkms:/usr/bin/dh_dkms"
	"dpkg-dev:dpkg-buildpackage" "lintian:lintian" "man-db:man"
	"libelf-dev:/usr/include/libelf.h" "zlib1g-dev:/usr/include/zlib.h"
)

# make check-debug builds a kernel from linux-source-6.1
debug_pkgs=(
	"flex:flex" "bison:bison" "bc:bc" "libssl-dev:/usr/include/openssl/ssl.h"
	"libelf-dev:/usr/include/libelf.h" "linux-source-6.1:/usr/src/linux-source-6.1.tar.xz"
)

case $what in
build) want=("${build_pkgs[@]}") ;;
vm) want=("${build_pkgs[@]}" "${vm_pkgs[@]}") ;;
check|all) want=("${build_pkgs[@]}" "${vm_pkgs[@]}" "${check_pkgs[@]}" "${pkg_pkgs[@]}") ;;
debug) want=("${build_pkgs[@]}" "${vm_pkgs[@]}" "${check_pkgs[@]}" "${pkg_pkgs[@]}" "${debug_pkgs[@]}") ;;
*) echo "usage: deps.sh [build|vm|check|all|debug]" >&2; exit 2 ;;
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
bpo_missing=()
for e in "${bpo_kernel[@]}"; do
	present "${e#*:}" || bpo_missing+=("${e%%:*}")
done
# bookworm-backports' QEMU, unpacked into build/qemu (not installed), for
# the tests that boot with a real SR-IOV NIC (run-vm.sh --igb), and
# Debian's promtool, unpacked into build/prometheus
qemu_bpo() {
	case $what in
	vm|check|all|debug)
		"$(dirname "$0")/qemu-bpo.sh" >/dev/null
		# promtool for vfmprss's /metrics test, unpacked the same way
		"$(dirname "$0")/promtool.sh" >/dev/null ;;
	esac
}
if [ ${#missing[@]} -eq 0 ] && [ ${#bpo_missing[@]} -eq 0 ]; then
	qemu_bpo
	exit
fi

have_bpo_source() {
	grep -rqsE "^[^#]*(Suites:.*|deb .*)\b$BPO_SUITE\b" /etc/apt/sources.list /etc/apt/sources.list.d/
}

bpo_source_text() {
	cat <<EOT
Types: deb
URIs: http://deb.debian.org/debian
Suites: $BPO_SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
}

# the versioned packages behind the backports meta packages
bpo_resolve() {
	apt-cache depends -t "$BPO_SUITE" "$@" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-\(image\|headers\)-[0-9].*\)/\1/p' | sort -u
}

line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "vfmp: missing Debian packages. As root, run:" >&2
	if [ ${#bpo_missing[@]} -ne 0 ] && ! have_bpo_source; then
		echo "    cat > $BPO_LIST <<'EOT'" >&2
		bpo_source_text | sed 's/^/    /' >&2
		echo "    EOT" >&2
	fi
	echo "    apt-get update" >&2
	[ ${#missing[@]} -ne 0 ] && echo "    $line" >&2
	[ ${#bpo_missing[@]} -ne 0 ] &&
		echo "    apt-get install -y --no-install-recommends -t $BPO_SUITE" \
			"\$(apt-cache depends -t $BPO_SUITE ${bpo_missing[*]} | sed -n 's/^ *Depends: //p')" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [ ${#bpo_missing[@]} -ne 0 ] && ! have_bpo_source; then
	echo "vfmp: adding $BPO_SUITE as an apt source ($BPO_LIST)" >&2
	bpo_source_text > "$BPO_LIST"
fi
apt-get update -q >/dev/null
if [ ${#missing[@]} -ne 0 ]; then
	echo "vfmp: installing ${missing[*]}" >&2
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends ${missing[*]} >/dev/null
fi
if [ ${#bpo_missing[@]} -ne 0 ]; then
	mapfile -t pkgs < <(bpo_resolve "${bpo_missing[@]}")
	[ ${#pkgs[@]} -ne 0 ] || { echo "vfmp: $BPO_SUITE has no ${bpo_missing[*]}" >&2; exit 1; }
	echo "vfmp: installing ${pkgs[*]} from $BPO_SUITE" >&2
	apt-get install -y -q --no-install-recommends -t "$BPO_SUITE" "${pkgs[@]}" >/dev/null
fi
qemu_bpo
