# SPDX-License-Identifier: GPL-2.0-or-later
#
# Shell functions shared by scripts/guest-build.sh and scripts/kvm-build.sh,
# which both build a ppc64el Linux boot (kernel, modules, busybox initramfs)
# from Debian packages only.  Sourced, not run.  The caller sets
#   prog    the name its messages start with
# and gets say/die, and the functions below.  POSIX sh.

say() { echo "$prog: $*" >&2; }
die() { echo "$prog: error: $*" >&2; exit 1; }

# need_tools TOOL...: stop with a clear message when one is missing
need_tools() {
    for tool in "$@"; do
        command -v "$tool" >/dev/null || die "$tool is missing (see scripts/setup.sh)"
    done
}

# need_writable_cache CACHE OUT: the cache must be writable to build OUT
need_writable_cache() {
    [ "$(id -u)" -eq 0 ] || [ -w "$1" ] ||
        die "$2 is missing and $1 is not writable: run as root once, or set SPIRQ_CACHE"
}

# make_workdir CACHE NAME: sets $work to a new scratch directory in CACHE
# (.NAME.XXXXXX), readable by apt-get's _apt user, removed at exit
make_workdir() {
    mkdir -p "$1"
    work=$(mktemp -d "$1/.$2.XXXXXX")
    chmod 755 "$work"   # apt-get download runs as _apt
    trap 'rm -rf "$work"' EXIT
}

# ppc64el_enable: add the ppc64el architecture to dpkg when it is not there
# (apt-get download then sees its packages).  Sets ppc64el_fresh=yes when it
# was just added: the index must then be fetched.
ppc64el_enable() {
    ppc64el_fresh=no
    dpkg --print-foreign-architectures | grep -qx ppc64el && return 0
    [ "$(id -u)" -eq 0 ] || die "the ppc64el architecture is not enabled: run as root once"
    say "adding the ppc64el architecture (dpkg multiarch, for apt-get download)"
    dpkg --add-architecture ppc64el
    ppc64el_fresh=yes
}

# The versioned image package the meta package depends on (its ABI number
# changes with every kernel update), or nothing.
ppc64el_kernel_package_query() {
    apt-cache depends linux-image-powerpc64le:ppc64el 2>/dev/null |
        sed -n 's/^ *Depends: \(linux-image-[^ :]*\).*/\1/p' | head -n 1
}

# ppc64el_kernel_package: print that package, running apt-get update first
# when the index lacks it or the architecture was just added.
ppc64el_kernel_package() {
    image=$(ppc64el_kernel_package_query || true)
    if [ -z "$image" ] || [ "$ppc64el_fresh" = yes ]; then
        say "apt-get update (a failing ppc64el security index is tolerated)"
        # exit code 100: some index failed, typically the ppc64el security
        # index or a mirror mid-sync; what was fetched is enough if the
        # packages resolve
        timeout 600 apt-get -o DPkg::Lock::Timeout=300 update -qq >&2 ||
            say "apt-get update reported errors; going on with the indices fetched"
        image=$(ppc64el_kernel_package_query || true)
    fi
    [ -n "$image" ] ||
        die "cannot resolve linux-image-powerpc64le:ppc64el (is the ppc64el index there? apt-get update)"
    echo "$image"
}

# ppc64el_download DIR PACKAGE...: apt-get download into DIR (which the
# _apt user must be able to write)
ppc64el_download() {
    dir=$1
    shift
    # apt downloads as _apt when it can write there (else it warns and
    # downloads as root)
    [ "$(id -u)" -ne 0 ] || chown _apt "$dir" 2>/dev/null || true
    say "downloading $*"
    (cd "$dir" && timeout 600 apt-get download "$@" >&2) ||
        die "apt-get download of $* failed (or took more than 10 minutes)"
}

# kernel_unpack DEB DIR: extract the kernel package; sets kernel_vmlinux,
# kernel_release and kernel_moddir
kernel_unpack() {
    say "extracting $(basename "$1")"
    dpkg-deb -x "$1" "$2"
    kernel_vmlinux=$(ls "$2"/boot/vmlinux-* 2>/dev/null | head -n 1)
    [ -n "$kernel_vmlinux" ] || die "no boot/vmlinux-* in $(basename "$1")"
    kernel_release=${kernel_vmlinux##*/vmlinux-}
    kernel_moddir=$2/lib/modules/$kernel_release
}

# The package has no modules.dep (depmod runs at install time): read each
# module's own depends= from its .modinfo section, and list the closure
# in an order where every module comes after what it depends on.
module_path() {
    p=$(find "$kernel_moddir/kernel" -name "$1.ko" | head -n 1)
    [ -n "$p" ] || die "module $1 not found in $kernel_release"
    echo "$p"
}
module_depends() {
    tr '\0' '\n' <"$(module_path "$1")" | sed -n 's/^depends=//p' | tr ',' ' '
}
module_visit() {
    case " $module_order " in *" $1 "*) return ;; esac
    for dep in $(module_depends "$1"); do module_visit "$dep"; done
    module_order="$module_order $1"
}

# modules_closure MODULE...: sets module_order, the modules with all they
# depend on, in load order (after kernel_unpack)
modules_closure() {
    module_order=""
    for m in "$@"; do module_visit "$m"; done
}

# modules_install ROOT: copy the modules of module_order to ROOT/lib/modules
# and list them, in load order, in ROOT/modules.order (init reads it)
modules_install() {
    mkdir -p "$1/lib/modules"
    : >"$1/modules.order"
    for m in $module_order; do
        cp "$(module_path "$m")" "$1/lib/modules/$m.ko"
        echo "$m" >>"$1/modules.order"
    done
}

# initramfs_skeleton ROOT BUSYBOX: the directories and busybox of an initramfs
initramfs_skeleton() {
    mkdir -p "$1/bin" "$1/sbin" "$1/proc" "$1/sys" "$1/dev" "$1/tmp"
    cp "$2" "$1/bin/busybox"
    chmod 755 "$1/bin/busybox"
}

# initramfs_pack ROOT OUT: a reproducible newc archive, gzipped
initramfs_pack() {
    (cd "$1" && find . | sort | cpio -o -H newc --quiet -R 0:0) | gzip -9 >"$2"
}
