# SPDX-License-Identifier: GPL-2.0-or-later
#
# Thin front end over Meson + Ninja.  Every target first installs missing
# build dependencies (scripts/setup.sh, apt-get, only what is missing).

BUILD      ?= build
BUILD_SAN  ?= build-sanitize
BUILD_FUZZ ?= build-fuzz
BUILD_S390X   ?= build-s390x
BUILD_PPC64LE ?= build-ppc64le
FUZZ_SECONDS ?= 60
MESON_OPTS ?=
NINJA_JOBS ?= 2
SPIRQ       = $(BUILD)/tools/spirq/spirq

.PHONY: all setup build demo check check-plain check-sanitize bench clean \
	setup-fuzz fuzz setup-cross check-cross setup-guest guest \
	check-guest-stock boot-guest-stock

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

demo: build
	@scripts/demo.sh $(SPIRQ)

# The plain and the sanitizer (ASan + UBSan) builds of the whole suite,
# a short run of each fuzz target, then one summary line.
check: setup setup-fuzz $(BUILD)/build.ninja $(BUILD_SAN)/build.ninja
	@scripts/check.sh $(BUILD) $(BUILD_SAN) --fuzz $(BUILD_FUZZ)

check-plain: build
	@scripts/check.sh $(BUILD)

check-sanitize: setup $(BUILD_SAN)/build.ninja
	@scripts/check.sh $(BUILD_SAN)

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

# Cost per interrupt and memory by machine size; fails when the cost per
# operation grows with the number of vCPUs (O(1) is a requirement).
bench: build
	$(SPIRQ) bench

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

# The guest on the serial console of the stock QEMU (Ctrl-A X quits)
boot-guest-stock: guest
	@QEMU=$(STOCK_QEMU) scripts/boot-guest.sh

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(BUILD_FUZZ) $(BUILD_S390X) $(BUILD_PPC64LE) \
		$(GUEST_OUT)
