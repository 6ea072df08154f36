# SPDX-License-Identifier: GPL-2.0
# vfmp: top-level make.  `make` builds the modules (with BTF), `make check`
# runs every test on every supported kernel, `make demo` boots a guest and
# shows the product.  `make help` lists the rest.
#
# One variable picks the kernel: KVER (a release such as the ones `make help`
# lists).  It selects the headers the modules build against, the guest
# kernel the VM tests boot, and the vmlinux the module BTF is based on.  The
# default is the newest installed Debian kernel with both image and headers.
# The modules for KVER go to build/kmod/KVER/, so both kernels' builds live
# side by side; the guest loads build/kmod/$(uname -r)/*.ko.

BUILD := $(CURDIR)/build
MODULES := vfmp_sim.ko vfmp.ko
VM := tests/vm/run-vm.sh
VM_JOBS ?= 2
W ?= 1
# our pahole step for module BTF (make check-debug sets BTF=0: the debug
# kernel's build tree has vmlinux, so Kbuild adds module BTF itself)
BTF ?= 1

# Which Debian packages a goal needs (scripts/deps.sh installs them as root,
# or prints the commands).  It runs before anything else, and the variables
# below are computed after it, so a first run on a fresh machine finds the
# kernels it just installed.
DEPS_LEVEL := $(if $(filter check check-debug check-debug-ci,$(MAKECMDGOALS)),debug,$(if \
	$(filter check check-% man install install-% deb,$(MAKECMDGOALS)),all,$(if \
	$(filter demo bench tools bpf,$(MAKECMDGOALS)),vm,build)))
ifeq ($(filter help clean,$(MAKECMDGOALS)),)
ifneq ($(VFMP_DEPS_DONE),1)
ifneq ($(shell scripts/deps.sh $(DEPS_LEVEL) >&2 && echo ok),ok)
$(error vfmp: the Debian packages above are missing)
endif
export VFMP_DEPS_DONE := 1
endif
endif

KVERS := $(shell scripts/kernels.sh)
KVER ?= $(lastword $(KVERS))
KDIR ?= $(firstword $(wildcard /usr/src/linux-headers-$(KVER) /lib/modules/$(KVER)/build))
OUT := $(BUILD)/kmod/$(KVER)
# `make check` runs every supported kernel; `make check KVER=R` only R
CHECK_KVERS := $(if $(filter command line environment,$(origin KVER)),$(KVER),$(KVERS))

.PHONY: all modules btf deps check check-unit check-vm check-static check-kernel \
	demo clean help tools bpf bench man install install-tools install-dkms-src \
	install-dkms uninstall check-dkms check-install deb check-debug check-debug-ci debug-kernel-start

all: modules

deps:
	@scripts/deps.sh all

# The sources are mirrored into build/kmod/KVER as symlinks (cp -s), so Kbuild
# writes its objects there, not next to the sources.
modules:
	@test -n "$(KVER)" -a -e "$(KDIR)/Makefile" || { \
		echo "vfmp: no kernel build tree for KVER='$(KVER)' (installed: $(KVERS))" >&2; \
		exit 1; }
	@mkdir -p $(OUT)
	@find $(OUT) -xtype l -delete
	@cp -rsf $(CURDIR)/Kbuild $(CURDIR)/kmod $(OUT)/
	$(MAKE) -C $(KDIR) M=$(OUT) W=$(W) modules
	@$(if $(filter 1,$(BTF)),$(MAKE) --no-print-directory btf,true)

# Module BTF, so tp_btf/fentry BPF programs can attach to our functions.
$(BUILD)/vmlinux-%:
	@mkdir -p $(BUILD)
	scripts/extract-vmlinux.sh /boot/vmlinuz-$* $@

btf: $(BUILD)/vmlinux-$(KVER)
	@cd $(OUT) && for m in $(MODULES); do \
		pahole -J --btf_base $(BUILD)/vmlinux-$(KVER) $$m || exit 1; \
	done
	@echo "  BTF     $(addprefix $(OUT)/,$(MODULES))"

check-unit:
	$(MAKE) -C tests/unit check

# sparse and W=1 over the kernel code (warnings are errors here)
check-static: modules
	@rm -f $(OUT)/static.log
	$(MAKE) -C $(KDIR) M=$(OUT) W=1 C=2 modules 2>&1 | tee $(OUT)/static.log
	@! grep -E 'warning:|error:' $(OUT)/static.log || \
		{ echo "vfmp: static checks on $(KVER) reported the lines above" >&2; exit 1; }

check-vm: modules tools bpf $(BUILD)/tests/mbxstorm
	VFMP_KVER=$(KVER) tests/vm/run-tests.sh -j $(VM_JOBS) $(T)

# the hostile VF of the VM tests (tests/vm/mbxstorm.c)
$(BUILD)/tests/mbxstorm: tests/vm/mbxstorm.c $(wildcard kmod/core/*.h)
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror -std=gnu11 -Ikmod/core -o $@ $<

# one kernel: static checks and the VM suite
check-kernel: check-static check-vm

# The debug guest kernel (KASAN, KFENCE, lockdep, atomic-sleep checks,
# debug objects, kmemleak, fault injection; scripts/debug-kernel.sh builds
# and caches it), the VM suite on it (the packages test and the benchmarks
# aside) and the tests only it can run (tests/vm/debug/t: fail-nth sweeps).
# Any report fails the test file that caused it.
DEBUG_T ?= $(filter-out tests/vm/t/60-%,$(wildcard tests/vm/t/*.sh)) \
	$(wildcard tests/vm/debug/t/*.sh)
check-debug: tools bpf $(BUILD)/tests/mbxstorm $(BUILD)/tests/failnth
	@rel=$$(scripts/debug-kernel.sh) && dir=$(BUILD)/debug-kernel/lib/modules/$$rel && \
	$(MAKE) --no-print-directory modules KVER=$$rel KDIR=$$dir/build BTF=0 && \
	VFMP_KVER=$$rel VFMP_VM_KERNEL=$(BUILD)/debug-kernel/bzImage-$$rel VFMP_VM_MODDIR=$$dir \
	VFMP_VM_MEM=1536 VFMP_VM_TIME_SCALE=3 VFMP_VM_KASAN=1 tests/vm/run-tests.sh -j $(VM_JOBS) $(DEBUG_T)

# What CI runs of it (make check, after the VM suites): a fail-nth sweep
# sampling 4 fault sites per operation (a different sample each run: the
# seed is printed) and the hostile VF (its mailbox fuzz cut to 50 k
# messages; the Debian kernels' runs fuzz a million).  make check starts
# the kernel's build in the background before anything else.
DEBUG_CI_T := tests/vm/debug/t/10-fail-nth.sh tests/vm/t/2b-drv-hostile-vf.sh
check-debug-ci:
	VFMP_FUZZ_N=$${VFMP_FUZZ_N:-50000} VFMP_FAILNTH_ALL=$${VFMP_FAILNTH_ALL:-4} \
		$(MAKE) --no-print-directory check-debug DEBUG_T="$(DEBUG_CI_T)"

debug-kernel-start:
	@scripts/debug-kernel.sh --start

# one operation with its Nth fault injected (tests/vm/failnth.c)
$(BUILD)/tests/failnth: tests/vm/failnth.c
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror -std=gnu11 -o $@ $< -lbpf -lelf -lz

# deb: the packages tests/vm/t/60-packages.sh installs (and lintian)
# (debug-kernel-start first: the debug kernel builds while the rest runs)
check: debug-kernel-start check-unit tools bpf deb
	scripts/checkpatch.sh
	@set -e; for k in $(CHECK_KVERS); do \
		echo "==== vfmp: kernel $$k ===="; \
		$(MAKE) --no-print-directory KVER=$$k check-kernel check-install; \
	done
	@echo "==== vfmp: the debug kernel (KASAN, lockdep, kmemleak, fault injection) ===="
	$(MAKE) --no-print-directory check-debug-ci

demo: modules tools
	VFMP_KVER=$(KVER) $(VM) -n demo --igb 1 -t 400 -- bash tests/demo.sh

clean:
	rm -rf $(BUILD)
	$(MAKE) -C bpf clean

help:
	@echo "make                build vfmp_sim.ko and vfmp.ko (with BTF) into build/kmod/KVER/"
	@echo "make demo           boot a guest, create an adapter and show it"
	@echo "make check          unit tests, then static checks and VM tests on each kernel"
	@echo "make check-vm T='tests/vm/t/10-sim-adapters.sh'   selected VM tests"
	@echo "make tools          build/tools/vfmpinit and build/tools/vfmprss"
	@echo "make bench          the datapath benchmark (docs/performance.md)"
	@echo "make install        tools, man pages, unit, and the modules through DKMS (docs/install.md)"
	@echo "make deb            build/deb/vfmp-dkms_*.deb and vfmp-tools_*.deb, checked by lintian"
	@echo "make check-dkms     dkms add/build/install for KVER in a private tree under build/dkms/"
	@echo "make check-install  make install + uninstall for KVER in a private mount namespace (root)"
	@echo "make check-debug    build a KASAN/lockdep/kmemleak guest kernel (cached) and run the VM tests on it"
	@echo
	@echo "KVER=<release> picks the kernel (headers, guest kernel, BTF)."
	@echo "Installed and supported: $(or $(KVERS),none yet; 'make deps' installs them)"
	@echo "Default KVER: $(or $(lastword $(KVERS)),none)"

# ---- XDP test programs (bpf/) and the benchmark (tests/bench/) ----
bpf:
	$(MAKE) -C bpf

# boots a 2-vCPU guest; prints the table (BENCH_SECS=N per measurement)
bench: modules bpf tools
	VFMP_KVER=$(KVER) tests/bench/run.sh

# ---- libbpf tools (tools/, BPF side in bpf/) ----
# CO-RE: built once, against the newest kernel's BTF, and run on every kernel
TOOLS_KVER := $(lastword $(KVERS))
tools: $(BUILD)/vmlinux-$(TOOLS_KVER)
	$(MAKE) -C tools VMLINUX=$(BUILD)/vmlinux-$(TOOLS_KVER)

# ---- install, DKMS and Debian packages (docs/install.md) ----
# The version is written in one place: the top entry of debian/changelog
# (a native package).  dkms.conf says #MODULE_VERSION#, filled in here and by
# dh_dkms.
VERSION := $(shell sed -n '1s/^vfmp (\([^)-]*\).*/\1/p' debian/changelog)
VERSION_DATE = $(shell date -u -d "$$(sed -n 's/^ -- .*>  //p' debian/changelog | head -n 1)" +%Y-%m-%d)
PREFIX ?= /usr
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
UNITDIR ?= $(or $(shell pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null),/lib/systemd/system)
MAN_PAGES := $(BUILD)/man/vfmpinit.8 $(BUILD)/man/vfmprss.8
DKMS_SRC = $(DESTDIR)/usr/src/vfmp-$(VERSION)
# the files DKMS needs to build the modules (and their BTF)
DKMS_FILES := Kbuild kmod scripts/dkms-btf.sh scripts/extract-vmlinux.sh

# section-8 pages from tools/NAME.8.md (the one source, also read on the web)
man: $(MAN_PAGES)
$(BUILD)/man/%.8: tools/%.8.md debian/changelog
	@mkdir -p $(@D)
	lowdown -s -Tman --out-no-smarty -M title=$* -M section=8 -M date=$(VERSION_DATE) \
		-M "source=vfmp $(VERSION)" -M "volume=System Manager's Manual" -o $@ $<

install: install-tools install-dkms

install-tools: tools man
	install -D -m 755 $(BUILD)/tools/vfmpinit $(DESTDIR)$(SBINDIR)/vfmpinit
	install -D -m 755 $(BUILD)/tools/vfmprss $(DESTDIR)$(SBINDIR)/vfmprss
	install -d $(DESTDIR)$(MANDIR)/man8
	install -m 644 $(MAN_PAGES) $(DESTDIR)$(MANDIR)/man8/
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|@SBINDIR@|$(SBINDIR)|g' tools/vfmpinit.service.in > $(DESTDIR)$(UNITDIR)/vfmpinit.service
	chmod 644 $(DESTDIR)$(UNITDIR)/vfmpinit.service

# the DKMS source tree: DESTDIR/usr/src/vfmp-VERSION
install-dkms-src:
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)/scripts
	cp -r --parents $(DKMS_FILES) $(DKMS_SRC)/
	sed 's/#MODULE_VERSION#/$(VERSION)/' dkms.conf > $(DKMS_SRC)/dkms.conf

# Modules go through DKMS, so they are rebuilt for every kernel installed
# later.  With a DESTDIR this only stages the source; without one it
# registers it and builds and installs the modules for KVER (make install
# KVER=<release>; default the newest kernel, as for `make`).
install-dkms:
	@if [ -z "$(DESTDIR)" ] && dkms status vfmp/$(VERSION) | grep -q .; then \
		echo "dkms remove vfmp/$(VERSION) --all"; dkms remove vfmp/$(VERSION) --all; fi
	@$(MAKE) --no-print-directory install-dkms-src
	@if [ -n "$(DESTDIR)" ]; then \
		echo "vfmp: DKMS source staged in $(DKMS_SRC); on the target run: dkms install vfmp/$(VERSION)"; \
	else set -e; \
		echo "dkms add vfmp/$(VERSION)"; dkms add vfmp/$(VERSION); \
		echo "dkms install vfmp/$(VERSION) -k $(KVER)"; dkms install vfmp/$(VERSION) -k $(KVER); \
	fi

uninstall:
	@if [ -z "$(DESTDIR)" ] && dkms status vfmp/$(VERSION) | grep -q .; then \
		echo "dkms remove vfmp/$(VERSION) --all"; dkms remove vfmp/$(VERSION) --all; fi
	rm -rf $(DESTDIR)/usr/src/vfmp-$(VERSION)
	rm -f $(DESTDIR)$(SBINDIR)/vfmpinit $(DESTDIR)$(SBINDIR)/vfmprss \
		$(DESTDIR)$(MANDIR)/man8/vfmpinit.8 $(DESTDIR)$(MANDIR)/man8/vfmprss.8 \
		$(DESTDIR)$(UNITDIR)/vfmpinit.service

# dkms add/build/install for KVER in a private DKMS tree (build/dkms/), so
# the host's /usr/src, /var/lib/dkms and /lib/modules stay untouched; then
# check that the installed modules carry BTF.
DKMS_TEST := $(BUILD)/dkms/$(KVER)
check-dkms:
	rm -rf $(DKMS_TEST)
	@$(MAKE) --no-print-directory install-dkms-src DESTDIR=$(DKMS_TEST)/root
	@mkdir -p $(DKMS_TEST)/root/lib/modules/$(KVER) $(DKMS_TEST)/tree
	set -e; d="--dkmstree $(DKMS_TEST)/tree --sourcetree $(DKMS_TEST)/root/usr/src"; \
	dkms add vfmp/$(VERSION) $$d; \
	dkms build vfmp/$(VERSION) -k $(KVER) $$d || \
		{ cat $(DKMS_TEST)/tree/vfmp/$(VERSION)/build/make.log >&2; exit 1; }; \
	dkms install vfmp/$(VERSION) -k $(KVER) $$d --installtree $(DKMS_TEST)/root/lib/modules --no-depmod; \
	dkms status vfmp/$(VERSION) $$d --installtree $(DKMS_TEST)/root/lib/modules
	@for m in vfmp_sim vfmp; do \
		f=$$(ls $(DKMS_TEST)/root/lib/modules/$(KVER)/updates/dkms/$$m.ko*); \
		case $$f in *.xz) xz -dc $$f;; *.zst) zstd -dc $$f;; *) cat $$f;; esac > $(DKMS_TEST)/$$m.ko; \
		readelf -S $(DKMS_TEST)/$$m.ko | grep -q '\.BTF' || \
			{ echo "vfmp: $$f has no BTF" >&2; exit 1; }; \
		echo "  DKMS    $$f (with BTF)"; \
	done

# `make install KVER=...` and `make uninstall` for real, in a mount namespace
# whose /usr, /etc and /var/lib/dkms are throw-away overlays (as root)
check-install:
	tests/pkg/install-ns.sh $(KVER)

# Debian packages, built with dpkg-buildpackage (debhelper, dh-dkms) from a
# copy of the tree (the files git tracks or does not ignore, as they are in
# the working tree) in build/deb/vfmp-VERSION; the .debs land in build/deb/
# and lintian must report no warning or error (debian/*.lintian-overrides
# say why for the rest).
DEB_DIR := $(BUILD)/deb
DEB_SRC := $(DEB_DIR)/vfmp-$(VERSION)
deb:
	rm -rf $(DEB_DIR)
	@mkdir -p $(DEB_SRC)
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z -c -o --exclude-standard | \
			tar --null -T - --ignore-failed-read -cf - ; \
	else tar --exclude=./build --exclude=./.git -cf - . ; fi | tar -xf - -C $(DEB_SRC)
	cd $(DEB_SRC) && dpkg-buildpackage -b -us -uc -nc
	lintian --fail-on error,warning --info $(DEB_DIR)/vfmp_$(VERSION)_*.changes
	@ls $(DEB_DIR)/*.deb
