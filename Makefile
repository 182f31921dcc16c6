# SPDX-License-Identifier: GPL-2.0-or-later
#
# Thin front end over Meson + Ninja.  Every target first installs missing
# build dependencies (scripts/setup.sh, apt-get, only what is missing).

BUILD      ?= build
BUILD_SAN  ?= build-sanitize
BUILD_TSAN ?= build-tsan
BUILD_DEB  ?= build-deb
BUILD_FUZZ ?= build-fuzz
BUILD_RELEASE ?= build-release
BUILD_S390X   ?= build-s390x
BUILD_PPC64LE ?= build-ppc64le
BUILD_KVM     ?= build-kvm-ppc64le
FUZZ_SECONDS ?= 60
MESON_OPTS ?=
NINJA_JOBS ?= 2
PREFIX     ?= /usr/local
SPIRQ       = $(BUILD)/tools/spirq/spirq

.PHONY: all setup build install demo check check-plain check-sanitize check-tsan \
	bench clean deb check-deb stress mutate qemu-build \
	setup-fuzz fuzz setup-cross check-cross setup-guest guest \
	check-guest-stock check-guest boot-guest boot-guest-stock \
	setup-kvm check-kvm

# The fuzz tree (make fuzz, and the smoke step of make check) needs clang
# and its libFuzzer/sanitizer runtimes.
FUZZ_PACKAGES = clang libclang-rt-14-dev

all: build

setup:
	@scripts/setup.sh

setup-fuzz:
	@scripts/setup.sh $(FUZZ_PACKAGES)

$(BUILD)/build.ninja: | setup
	meson setup $(BUILD) $(MESON_OPTS)

build: setup $(BUILD)/build.ninja
	ninja -C $(BUILD) -j $(NINJA_JOBS)

$(BUILD_SAN)/build.ninja: | setup
	meson setup $(BUILD_SAN) $(MESON_OPTS) -Db_sanitize=address,undefined \
		-Db_lundef=false -Dbuildtype=debug

# ThreadSanitizer: make check builds and runs only the threaded tests here.
$(BUILD_TSAN)/build.ninja: | setup
	meson setup $(BUILD_TSAN) $(MESON_OPTS) -Db_sanitize=thread \
		-Db_lundef=false

# The library (shared and static), headers, libspirq.pc, the tool and its
# man page under PREFIX (DESTDIR=... to stage them elsewhere).
install: build
	meson configure $(BUILD) -Dprefix=$(PREFIX)
	ninja -C $(BUILD) -j $(NINJA_JOBS)
	meson install -C $(BUILD) --no-rebuild $(if $(DESTDIR),--destdir $(DESTDIR))

# The release build (-O3, what make bench measures): the library, the tool
# and spirq-bench, no tests.
$(BUILD_RELEASE)/build.ninja: | setup
	meson setup $(BUILD_RELEASE) $(MESON_OPTS) -Dbuildtype=release \
		-Dtests=false

demo: build
	@scripts/demo.sh $(SPIRQ)

# The plain and the sanitizer (ASan + UBSan) builds of the whole suite,
# the multi-threaded tests under ThreadSanitizer, the release build with the
# benchmark's checked cycles, a short run of each fuzz target, then one
# summary line.
check: setup setup-fuzz $(BUILD)/build.ninja $(BUILD_SAN)/build.ninja \
		$(BUILD_TSAN)/build.ninja $(BUILD_RELEASE)/build.ninja
	@scripts/check.sh $(BUILD) $(BUILD_SAN) --tsan $(BUILD_TSAN) \
		--release $(BUILD_RELEASE) \
		--fuzz $(BUILD_FUZZ)

check-plain: build
	@scripts/check.sh $(BUILD)

check-sanitize: setup $(BUILD_SAN)/build.ninja
	@scripts/check.sh $(BUILD_SAN)

check-tsan: setup $(BUILD_TSAN)/build.ninja
	@scripts/check.sh --tsan $(BUILD_TSAN)

# Each libFuzzer target for FUZZ_SECONDS on its corpus (build-fuzz/corpus/);
# FUZZ_TARGETS="restore machine" to run some only.
fuzz: setup-fuzz
	@FUZZ_BUILD=$(BUILD_FUZZ) FUZZ_SECONDS=$(FUZZ_SECONDS) \
		scripts/fuzz.sh run $(FUZZ_TARGETS)

# Cross builds for a big-endian host (s390x) and POWER (ppc64le), Debian's
# cross compilers, the whole suite under qemu-user (cross/*.ini), then one
# summary line.  Under qemu-user the tests run 1.5 to 2.5 times slower than
# natively (all far below their timeouts): the timeouts are doubled.
setup-cross: setup
	@scripts/setup-cross.sh

$(BUILD_S390X)/build.ninja: | setup-cross
	meson setup $(BUILD_S390X) $(MESON_OPTS) \
		--cross-file cross/s390x-linux-gnu.ini

$(BUILD_PPC64LE)/build.ninja: | setup-cross
	meson setup $(BUILD_PPC64LE) $(MESON_OPTS) \
		--cross-file cross/powerpc64le-linux-gnu.ini

check-cross: setup-cross $(BUILD_S390X)/build.ninja $(BUILD_PPC64LE)/build.ninja
	@TIMEOUT_MULTIPLIER=2 scripts/check.sh $(BUILD_S390X) $(BUILD_PPC64LE)

# Debian packages (debian/): libspirq1, libspirq-dev, spirq, in build-deb/.
# check-deb also runs lintian and builds examples/embed.c against the
# packages unpacked in a scratch root; it ends "N passed, N failed".
DEB_PACKAGES = debhelper dpkg-dev fakeroot lintian

deb: setup
	@scripts/setup.sh $(DEB_PACKAGES)
	@scripts/deb.sh build $(BUILD_DEB)

check-deb: setup
	@scripts/setup.sh $(DEB_PACKAGES)
	@scripts/deb.sh check $(BUILD_DEB)

# On the release build: spirq bench's wall-clock cost per interrupt and
# memory by machine size (printed, not gating: the machine is shared and
# noisy); the instruction count of each interrupt cycle under callgrind,
# every result checked, which fails above its target or when it grows by
# more than 5% from 1 to 4096 vCPUs; the cycles per second of 1 and 2
# vCPU threads, which gates only with BENCH_GATE_SCALING=1.
bench: setup $(BUILD_RELEASE)/build.ninja
	ninja -C $(BUILD_RELEASE) -j $(NINJA_JOBS)
	@$(BUILD_RELEASE)/tools/spirq/spirq bench || \
		echo "(the wall-clock figures do not gate make bench)"
	@status=0; \
	scripts/bench-instructions.sh $(BUILD_RELEASE)/tools/bench/spirq-bench \
		|| status=1; \
	$(BUILD_RELEASE)/tools/bench/spirq-bench throughput \
		$(if $(filter 1,$(BENCH_GATE_SCALING)),--gate) || status=1; \
	exit $$status

# The interrupt storm with the conservation oracle (tests/oracle/): a
# million operations over four machine kinds, 0 lost, 0 misrouted and 0
# duplicated interrupts or it fails.  STRESS_OPS to change the count.
STRESS_OPS ?= 1000000
stress: build
	$(BUILD)/tests/storm $(STRESS_OPS)

# Mutation testing (scripts/mutate.py, tests/mutate/mutants.txt): every
# mutant must be killed by the suite, every delivery mutant by the oracle
# alone too.  About 10 minutes; MUTANTS="name ..." for some only.
mutate: setup
	@scripts/mutate.py $(MUTANTS)

# QEMU 7.2's qemu-system-ppc64 with libspirq as the pseries interrupt
# controller (integrations/qemu/), built once into a cache outside the tree
# (${SPIRQ_CACHE:-/var/cache/spirq}/qemu-<key>/); prints that directory.
qemu-build: setup
	@scripts/qemu-build.sh

# A Debian ppc64el Linux guest (scripts/guest-build.sh, cached outside the
# tree in $$SPIRQ_CACHE, default /var/cache/spirq) booted under QEMU's
# pseries machine by tests/guest/run.py.  check-guest-stock runs the cases
# that apply to Debian's stock qemu-system-ppc64, sequentially, and ends
# with "N passed, N failed"; logs and the guest-visible records go to
# $(GUEST_OUT)/stock.  GUEST_CASES="xics hotplug" runs some only.
GUEST_PACKAGES = qemu-system-ppc qemu-system-data cpio python3
GUEST_OUT   ?= build-guest
STOCK_QEMU  ?= qemu-system-ppc64
GUEST_CASES ?=

setup-guest:
	@scripts/setup.sh $(GUEST_PACKAGES)

guest: setup-guest
	@scripts/guest-build.sh >/dev/null

check-guest-stock: guest
	@tests/guest/run.py --stock --qemu $(STOCK_QEMU) \
		--out $(GUEST_OUT)/stock $(GUEST_CASES)

# The guests on QEMU 7.2 with libspirq (make qemu-build's cached binary,
# -M ...,x-spirq=on), then on the stock QEMU, then what they saw compared
# (scripts/check-guest.sh); ends with "N passed, N failed".
check-guest: guest setup
	@GUEST_OUT=$(GUEST_OUT) STOCK_QEMU=$(STOCK_QEMU) \
		GUEST_CASES="$(GUEST_CASES)" scripts/check-guest.sh

# The guest on the serial console of QEMU with libspirq (Ctrl-A X quits);
# MACHINE=pseries-7.2,ic-mode=xive SMP=4 to choose.
boot-guest: guest setup
	@QEMU=$$(scripts/qemu-build.sh)/bin/qemu-system-ppc64 \
		MACHINE_EXTRA=,x-spirq=on scripts/boot-guest.sh

# The guest on the serial console of the stock QEMU (Ctrl-A X quits)
boot-guest-stock: guest
	@QEMU=$(STOCK_QEMU) scripts/boot-guest.sh

# Real Linux KVM (kvm-hv) as the L1 of QEMU TCG, on a nested pseries L1
# (KVM's XICS emulation) and a powernv9 L1 (XICS-on-XIVE, XIVE native):
# the static ppc64le programs of tests/kvm/ (libspirq, a test VMM and tiny
# L2 guests) run in a busybox initramfs with Debian's kernel and KVM
# modules, cached in $$SPIRQ_CACHE (scripts/kvm-build.sh).  Ends with
# "N passed, N failed"; KVM_MACHINES="pseries" or KVM_TESTS="probe" to
# run some only (docs/kvm-tests.md).
KVM_PACKAGES = qemu-system-ppc qemu-system-data gcc-powerpc64le-linux-gnu \
	libc6-dev-ppc64el-cross cpio

setup-kvm: setup
	@scripts/setup.sh $(KVM_PACKAGES)

check-kvm: setup-kvm
	@KVM_BUILD=$(BUILD_KVM) NINJA_JOBS=$(NINJA_JOBS) scripts/check-kvm.sh

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(BUILD_TSAN) $(BUILD_DEB) $(BUILD_FUZZ) \
		$(BUILD_RELEASE) $(BUILD_S390X) $(BUILD_PPC64LE) $(GUEST_OUT) \
		$(BUILD_KVM)
