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
# keyed by a hash of this script and of tests/guest/init, and is reused
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

say() { echo "guest-build: $*" >&2; }
die() { echo "guest-build: error: $*" >&2; exit 1; }

key=$(cat "$0" "$init_script" | sha256sum | cut -c1-16)
out=$cache/guest-$key
if [ -f "$out/manifest" ]; then
    echo "$out"
    exit 0
fi

[ "$(id -u)" -eq 0 ] || [ -w "$cache" ] ||
    die "$out is missing and $cache is not writable: run as root once, or set SPIRQ_CACHE"
for tool in apt-get apt-cache dpkg dpkg-deb cpio gzip sha256sum python3; do
    command -v "$tool" >/dev/null || die "$tool is missing"
done

mkdir -p "$cache"
work=$(mktemp -d "$cache/.guest-build.XXXXXX")
chmod 755 "$work"   # apt-get download runs as _apt
trap 'rm -rf "$work"' EXIT

if ! dpkg --print-foreign-architectures | grep -qx ppc64el; then
    [ "$(id -u)" -eq 0 ] || die "the ppc64el architecture is not enabled: run as root once"
    say "adding the ppc64el architecture (dpkg multiarch, for apt-get download)"
    dpkg --add-architecture ppc64el
    updated=no
else
    updated=maybe
fi

resolve_image() {
    # the meta package depends on the versioned image package
    apt-cache depends linux-image-powerpc64le:ppc64el 2>/dev/null |
        sed -n 's/^ *Depends: \(linux-image-[^ :]*\).*/\1/p' | head -n 1
}

image=$(resolve_image || true)
if [ -z "$image" ] || [ "$updated" = no ]; then
    say "apt-get update (a failing ppc64el security index is tolerated)"
    # exit code 100: some index failed, typically a mirror mid-sync; what
    # was fetched is enough if the packages below resolve
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2 ||
        say "apt-get update reported errors; going on with the indices fetched"
    image=$(resolve_image || true)
fi
[ -n "$image" ] ||
    die "cannot resolve linux-image-powerpc64le:ppc64el (is the ppc64el index there? apt-get update)"

say "downloading $image:ppc64el and busybox-static:ppc64el"
(cd "$work" && apt-get download "$image:ppc64el" busybox-static:ppc64el >&2) ||
    die "apt-get download of $image:ppc64el busybox-static:ppc64el failed"

kernel_deb=$(ls "$work"/linux-image-*.deb)
busybox_deb=$(ls "$work"/busybox-static_*.deb)
say "extracting $(basename "$kernel_deb")"
dpkg-deb -x "$kernel_deb" "$work/kernel"
dpkg-deb -x "$busybox_deb" "$work/busybox"

vmlinux=$(ls "$work"/kernel/boot/vmlinux-* 2>/dev/null | head -n 1)
[ -n "$vmlinux" ] || die "no boot/vmlinux-* in $(basename "$kernel_deb")"
release=${vmlinux##*/vmlinux-}
moddir=$work/kernel/lib/modules/$release

# The package has no modules.dep (depmod runs at install time): read each
# module's own depends= from its .modinfo section, and list the closure
# in an order where every module comes after what it depends on.
module_path() {
    p=$(find "$moddir/kernel" -name "$1.ko" | head -n 1)
    [ -n "$p" ] || die "module $1 not found in $release"
    echo "$p"
}
module_depends() {
    tr '\0' '\n' <"$(module_path "$1")" | sed -n 's/^depends=//p' | tr ',' ' '
}
order=""
visit() {
    case " $order " in *" $1 "*) return ;; esac
    for dep in $(module_depends "$1"); do visit "$dep"; done
    order="$order $1"
}
for m in $wanted_modules; do visit "$m"; done
say "modules, in load order:$order"

say "building the initramfs"
root=$work/root
mkdir -p "$root/bin" "$root/sbin" "$root/proc" "$root/sys" "$root/dev" \
    "$root/tmp" "$root/lib/modules"
cp "$work/busybox/bin/busybox" "$root/bin/busybox"
cp "$init_script" "$root/init"
chmod 755 "$root/init" "$root/bin/busybox"
: >"$root/modules.order"
for m in $order; do
    cp "$(module_path "$m")" "$root/lib/modules/$m.ko"
    echo "$m" >>"$root/modules.order"
done
(cd "$root" && find . | sort | cpio -o -H newc --quiet -R 0:0) |
    gzip -9 >"$work/initramfs.cpio.gz"

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

cp "$vmlinux" "$work/vmlinux"
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
