# SPDX-License-Identifier: GPL-2.0
# vfmp: top-level make.  `make` builds the modules (with BTF), `make check`
# runs every test, `make demo` boots a guest and shows the product.

# Kernel to build against: the running kernel's build tree if present,
# else the newest Debian linux-headers-*-amd64 tree.  Override with KDIR=.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(lastword $(sort $(wildcard /usr/src/linux-headers-*-amd64))))
KVER = $(shell sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
VMLINUZ ?= /boot/vmlinuz-$(KVER)
W ?= 1
BUILD := $(CURDIR)/build
MODULES := vfmp_sim.ko vfmp.ko
VM := tests/vm/run-vm.sh
VM_JOBS ?= 2

.PHONY: all modules btf deps check check-unit check-vm check-static demo clean help

all: modules

deps:
	@scripts/deps.sh build

modules: deps
	@test -n "$(KDIR)" -a -e "$(KDIR)/Makefile" || \
		{ echo "vfmp: no kernel build tree (KDIR='$(KDIR)')" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=$(W) modules
	@$(MAKE) --no-print-directory btf

# Module BTF, so tp_btf/fentry BPF programs can attach to our functions.
$(BUILD)/vmlinux-%:
	@mkdir -p $(BUILD)
	scripts/extract-vmlinux.sh /boot/vmlinuz-$* $@

btf: $(BUILD)/vmlinux-$(KVER)
	@for m in $(MODULES); do \
		pahole -J --btf_base $(BUILD)/vmlinux-$(KVER) $$m || exit 1; \
	done
	@echo "  BTF     $(MODULES)"

check-unit:
	@scripts/deps.sh check
	$(MAKE) -C tests/unit check

# sparse and W=1 over the kernel code (warnings are errors here)
check-static: deps
	@scripts/deps.sh check
	@rm -f $(BUILD)/static.log; mkdir -p $(BUILD)
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 C=2 modules 2>&1 | tee $(BUILD)/static.log
	@! grep -E 'warning:|error:' $(BUILD)/static.log || \
		{ echo "vfmp: static checks reported the lines above" >&2; exit 1; }
	scripts/checkpatch.sh

check-vm: modules tools bpf
	@scripts/deps.sh vm
	VFMP_KVER=$(KVER) tests/vm/run-tests.sh -j $(VM_JOBS) $(T)

check: check-unit check-static check-vm

demo: modules
	@scripts/deps.sh vm
	VFMP_KVER=$(KVER) $(VM) -n demo -t 300 -- bash tests/demo.sh

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf $(BUILD)

help:
	@echo "make            build vfmp_sim.ko (and BTF) against KDIR=$(KDIR)"
	@echo "make demo       boot a guest, create an adapter and show it"
	@echo "make check      unit tests, static checks, VM tests"
	@echo "make check-vm T='tests/vm/t/10-sim.sh'   selected VM tests"

# ---- XDP test programs (bpf/) and the benchmark (tests/bench/) ----
.PHONY: bpf bench
bpf:
	$(MAKE) -C bpf

# boots a 2-vCPU guest; prints the table (BENCH_SECS=N per measurement)
bench: modules bpf
	@scripts/deps.sh vm
	VFMP_KVER=$(KVER) tests/bench/run.sh

# ---- libbpf tools (tools/, BPF side in bpf/) ----
.PHONY: tools
tools: modules
	@scripts/deps.sh vm
	$(MAKE) -C tools VMLINUX=$(BUILD)/vmlinux-$(KVER)
