# SPDX-License-Identifier: GPL-2.0-or-later
#
# Thin front end over Meson + Ninja.  Every target first installs missing
# build dependencies (scripts/setup.sh, apt-get, only what is missing).

BUILD      ?= build
BUILD_SAN  ?= build-sanitize
MESON_OPTS ?=
NINJA_JOBS ?= 2
SPIRQ       = $(BUILD)/tools/spirq/spirq

.PHONY: all setup build demo check check-plain check-sanitize bench clean

all: build

setup:
	@scripts/setup.sh

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
# then one summary line.
check: setup $(BUILD)/build.ninja $(BUILD_SAN)/build.ninja
	@scripts/check.sh $(BUILD) $(BUILD_SAN)

check-plain: build
	@scripts/check.sh $(BUILD)

check-sanitize: setup $(BUILD_SAN)/build.ninja
	@scripts/check.sh $(BUILD_SAN)

clean:
	rm -rf $(BUILD) $(BUILD_SAN)
