#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Boot the check-guest Linux guest (scripts/guest-build.sh) interactively:
# the guest reports what it sees (SPIRQ-GUEST lines), then gives a busybox
# shell on the serial console; `exit` powers it off, Ctrl-A X quits QEMU.
#
# usage: [QEMU=qemu-system-ppc64] [MACHINE=pseries-7.2] [MACHINE_EXTRA=,prop=val]
#        [SMP=2] scripts/boot-guest.sh [extra QEMU arguments]
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
qemu=${QEMU:-qemu-system-ppc64}
guest=$("$top/scripts/guest-build.sh")
data_mib=$(sed -n 's/^data_mib=//p' "$guest/manifest")
disk=$(mktemp /tmp/spirq-guest-disk.XXXXXX)
trap 'rm -f "$disk"' EXIT
cp "$guest/disk.img" "$disk"

"$qemu" -machine "${MACHINE:-pseries-7.2}${MACHINE_EXTRA:-}" -m 512M \
    -smp "${SMP:-2}" -nographic -nodefaults -vga none -serial mon:stdio \
    -kernel "$guest/vmlinux" -initrd "$guest/initramfs.cpio.gz" \
    -append "console=hvc0 spirq.mode=shell spirq.data_mib=$data_mib" \
    -drive "file=$disk,if=none,id=disk0,format=raw" \
    -device virtio-blk-pci,drive=disk0 "$@"
