#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build the Linux guest of `make check-guest` from Debian packages only
# (nothing binary lives in the tree): the ppc64el kernel of the meta package
# linux-image-powerpc64le (its vmlinux, which QEMU's pseries machine boots
# with -kernel), an initramfs with busybox-static:ppc64el, the virtio-blk
# modules and tests/guest/init, and a small disk image of known content.
#
# The result goes to a cache directory outside the work tree,
#   ${SPIRQ_CACHE:-/var/cache/spirq}/guest-<hash>/
# keyed by a hash of this script, scripts/debian-ppc64el.sh (its shared
# steps, with scripts/kvm-build.sh) and tests/guest/init, and is reused
# when present (no network then).  Progress goes to stderr; the only line
# on stdout is the directory.  Files there:
#   vmlinux              the kernel
#   initramfs.cpio.gz    busybox, modules (insmod order in /modules.order), /init
#   disk.img             DATA_MIB MiB of deterministic data, then 1 MiB of
#                        marker area the guest and the harness use to talk
#   manifest             key=value: packages and versions, kernel release,
#                        data_mib, data_sha256 (of the data part of disk.img)
#
# usage: scripts/guest-build.sh
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${SPIRQ_CACHE:-/var/cache/spirq}
init_script=$top/tests/guest/init
data_mib=4
# the virtio-blk driver over virtio-pci, with what they depend on
wanted_modules="virtio_pci virtio_blk"

prog=guest-build
. "$top/scripts/debian-ppc64el.sh"

key=$(cat "$0" "$top/scripts/debian-ppc64el.sh" "$init_script" | sha256sum | cut -c1-16)
out=$cache/guest-$key
if [ -f "$out/manifest" ]; then
    echo "$out"
    exit 0
fi

need_writable_cache "$cache" "$out"
need_tools apt-get apt-cache dpkg dpkg-deb cpio gzip sha256sum python3

make_workdir "$cache" guest-build

ppc64el_enable
image=$(ppc64el_kernel_package)
ppc64el_download "$work" "$image:ppc64el" busybox-static:ppc64el

kernel_deb=$(ls "$work"/linux-image-*.deb)
busybox_deb=$(ls "$work"/busybox-static_*.deb)
kernel_unpack "$kernel_deb" "$work/kernel"
dpkg-deb -x "$busybox_deb" "$work/busybox"
release=$kernel_release

# shellcheck disable=SC2086
modules_closure $wanted_modules
order=$module_order
say "modules, in load order:$order"

say "building the initramfs"
root=$work/root
initramfs_skeleton "$root" "$work/busybox/bin/busybox"
cp "$init_script" "$root/init"
chmod 755 "$root/init"
modules_install "$root"
initramfs_pack "$root" "$work/initramfs.cpio.gz"

say "writing the disk image ($data_mib MiB of data + 1 MiB of marker area)"
# deterministic content: SHA-256 in counter mode
python3 - "$work/disk.img" "$data_mib" <<'PY'
import hashlib, sys
path, mib = sys.argv[1], int(sys.argv[2])
with open(path, "wb") as f:
    for i in range(mib * 1024 * 1024 // 32):
        f.write(hashlib.sha256(b"spirq-guest-disk %d" % i).digest())
    f.write(bytes(1024 * 1024))
PY
data_sha256=$(head -c $((data_mib * 1024 * 1024)) "$work/disk.img" | sha256sum | cut -d' ' -f1)

cp "$kernel_vmlinux" "$work/vmlinux"
{
    echo "kernel_package=$image $(dpkg-deb -f "$kernel_deb" Version)"
    echo "busybox_package=busybox-static $(dpkg-deb -f "$busybox_deb" Version)"
    echo "kernel_release=$release"
    echo "modules=$(echo $order)"
    echo "data_mib=$data_mib"
    echo "data_sha256=$data_sha256"
} >"$work/manifest"

mkdir -p "$out.tmp"
mv "$work/vmlinux" "$work/initramfs.cpio.gz" "$work/disk.img" "$out.tmp/"
mv "$work/manifest" "$out.tmp/manifest"
rm -rf "$out"
mv "$out.tmp" "$out"
say "guest ready in $out"
echo "$out"
