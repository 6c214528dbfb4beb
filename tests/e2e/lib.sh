# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash
# Shared host-side helpers for tests/e2e (sourced by bash scripts).
#
# Everything here runs on the host, or inside the outer VM's chroot of the
# host root (which is the same file system, read-only, with /tmp on tmpfs).

E2E_DIR=${E2E_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}

e2e_log() {
    printf '[e2e %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

e2e_die() {
    printf 'e2e: error: %s\n' "$*" >&2
    exit 1
}

# Seconds since the epoch, with a fractional part when date supports %N.
e2e_now() {
    date +%s.%N 2>/dev/null | sed 's/\.N$//;s/\(\.[0-9][0-9]\)[0-9]*$/\1/'
}

# e2e_elapsed START -> "12.34"
e2e_elapsed() {
    awk -v a="$1" -v b="$(e2e_now)" 'BEGIN { printf "%.1f", b - a }'
}

# The guest kernel: $E2E_KERNEL, else the newest /boot/vmlinuz-* whose
# modules are installed. Prints the path, or nothing.
e2e_find_kernel() {
    if [ -n "${E2E_KERNEL:-}" ]; then
        [ -r "$E2E_KERNEL" ] && echo "$E2E_KERNEL"
        return 0
    fi
    local k ver best=""
    for k in $(ls -1 /boot/vmlinuz-* 2>/dev/null | sort -V); do
        ver=${k#/boot/vmlinuz-}
        if [ -r "$k" ] && [ -d "/lib/modules/$ver/kernel" ]; then
            best=$k
        fi
    done
    [ -n "$best" ] && echo "$best"
    return 0
}

# e2e_kernel_version /boot/vmlinuz-6.1.0-56-amd64 -> 6.1.0-56-amd64
e2e_kernel_version() {
    local base
    base=$(basename "$1")
    echo "${base#vmlinuz-}"
}

# e2e_module_files KVER MODULE... : the .ko files to load, in load order,
# each once. modprobe prints "install ..." instead of a path for modules
# with an install rule (Debian's ndctl adds one for libnvdimm); such a
# module is resolved again with --ignore-install.
e2e_module_files() {
    local kver=$1 m
    shift
    for m in "$@"; do
        _e2e_module_deps "$kver" "$m" || return 1
    done | awk '!seen[$0]++'
}

_e2e_module_deps() {
    local kver=$1 mod=$2 ignore=${3:-} out kind rest name
    if ! out=$(modprobe -S "$kver" --show-depends $ignore "$mod" 2>&1); then
        echo "e2e: module $mod for $kver not found: $out" >&2
        return 1
    fi
    while read -r kind rest; do
        case $kind in
        insmod)
            set -- $rest
            echo "$1"
            ;;
        install)
            name=$(printf '%s\n' "$rest" |
                sed -n 's/.*--ignore-install[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p')
            [ -n "$name" ] || name=$mod
            _e2e_module_deps "$kver" "$name" --ignore-install || return 1
            ;;
        builtin | "")
            ;;
        *)
            echo "e2e: unexpected modprobe output for $mod: $kind $rest" >&2
            ;;
        esac
    done <<<"$out"
}

# e2e_build_nolibc SRC OUT : build one of guest/*.c, which use no C
# library (x86-64 system calls only): a static binary that runs in the
# inner guest's initramfs and on the host alike.  Dies when it cannot.
e2e_build_nolibc() {
    ${CC:-cc} -static -nostdlib -nostartfiles -ffreestanding \
        -fno-stack-protector -fno-asynchronous-unwind-tables -fno-pie \
        -no-pie -O2 -Wall -o "$2" "$1" ||
        e2e_die "cannot build $(basename "$1") (install gcc)"
}

# e2e_backing NAME SIZE : create an empty (sparse) backing file in $WORK
# and print its path. Every file in $WORK is collected after the boots.
e2e_backing() {
    local path="$WORK/$1"
    rm -f "$path"
    truncate -s "$2" "$path" || return 1
    echo "$path"
}

# The machine most scenarios use: 1 GiB of RAM with 4 slots up to 8 GiB
# and one label-less NVDIMM on a shared file, NV0 in WORK, of SIZE
# (default 256M). For a scenario's sc_setup (e2e_one_nvdimm_setup [SIZE])
# and sc_vm_args (e2e_one_nvdimm_args).
e2e_one_nvdimm_setup() {
    NV0_SIZE=${1:-256M}
    NV0=$(e2e_backing nv0.img "$NV0_SIZE")
}

e2e_one_nvdimm_args() {
    VM_ARGS="-m 1G,slots=4,maxmem=8G
        -object memory-backend-file,id=mem0,share=on,mem-path=$NV0,size=$NV0_SIZE
        -device nvdimm,id=nvdimm0,memdev=mem0"
}

# e2e_vmm_cmd BOOT : the inner VM's command line for boot BOOT of the
# sourced scenario (its sc_vm_args, SC_MACHINE, SC_SMP, SC_REBOOT, and
# SC_KERNEL instead of E2E_KERNEL and SC_APPEND after the kernel command
# line when its sc_vm_args sets them) on
# VMM_BIN, into the array E2E_CMD. Uses VMM, VMM_BIN, VMM_EXTRA, SCENARIO
# and the job's E2E_ACCEL, E2E_INNER_CPU, E2E_KERNEL, E2E_INITRD and
# E2E_GUEST_ARGS. The command line is QEMU's; pmemvm accepts the same one.
e2e_vmm_cmd() {
    VM_ARGS=""
    SC_SMP=1
    SC_KERNEL=""
    SC_APPEND=""
    sc_vm_args "$1"
    # -no-reboot unless the scenario tests reboots (SC_REBOOT=1).
    local noreboot=-no-reboot
    [ "${SC_REBOOT:-0}" = 1 ] && noreboot=""
    # VM_ARGS, VMM_EXTRA and noreboot are split on white space on purpose.
    # shellcheck disable=SC2206
    E2E_CMD=("$VMM_BIN"
        -machine "pc,accel=$E2E_ACCEL${SC_MACHINE:+,$SC_MACHINE}"
        -cpu "$E2E_INNER_CPU" -smp "$SC_SMP"
        -nographic $noreboot
        -kernel "${SC_KERNEL:-$E2E_KERNEL}" -initrd "$E2E_INITRD"
        -append "console=ttyS0 panic=-1 ${E2E_GUEST_ARGS-quiet} e2e=$SCENARIO e2e_boot=$1 e2e_vmm=$VMM${SC_APPEND:+ $SC_APPEND}"
        $VM_ARGS $VMM_EXTRA)
}

# e2e_unsupported VMM BINARY SCENARIO_FILE : why VMM cannot run the
# scenario, or nothing. SC_QEMU_CANNOT="reason" in a scenario makes
# QEMU's item a SKIP "QEMU cannot: reason". A scenario names the devices it needs in
# SC_DEVICES="dev1 dev2"; a device missing from "BINARY -device help" makes
# the item a SKIP instead of a FAIL (pmemvm does not have them all yet).
e2e_unsupported() {
    local vmm=$1 bin=$2 devs dev list cannot
    # SC_QEMU_CANNOT="why": what the scenario tests is beyond QEMU 7.2.
    cannot=$(sed -n 's/^SC_QEMU_CANNOT="\([^"]*\)".*/\1/p' "$3")
    if [ "$vmm" = qemu ] && [ -n "$cannot" ]; then
        echo "QEMU cannot: $cannot"
        return 0
    fi
    devs=$(sed -n 's/^SC_DEVICES="\{0,1\}\([^"]*\)"\{0,1\}.*/\1/p' "$3")
    [ -n "$devs" ] || return 0
    list=$("$bin" -device help 2>/dev/null)
    for dev in $devs; do
        grep -q "^name \"$dev\"" <<<"$list" && continue
        if [ "$vmm" = pmemvm ]; then
            echo "$dev is not implemented in pmemvm yet"
        else
            echo "$dev is not in this $vmm ($bin -device help)"
        fi
        return 0
    done
}

# e2e_extract_vmlinux BZIMAGE OUT : the ELF vmlinux inside a bzImage (its
# payload: boot.rst fields setup_sects at 0x1F1, payload_offset at 0x248
# and payload_length at 0x24C), for scenarios that boot it through its
# PVH entry. XZ payloads only (Debian's), with the host's xz: busybox's
# xzcat has no x86 BCJ filter.
e2e_extract_vmlinux() {
    local ss off len
    command -v xz >/dev/null || { echo "no xz (install xz-utils)"; return 1; }
    ss=$(od -An -tu1 -j $((0x1F1)) -N1 "$1" | tr -d ' ')
    off=$(od -An -tu4 -j $((0x248)) -N4 "$1" | tr -d ' ')
    len=$(od -An -tu4 -j $((0x24C)) -N4 "$1" | tr -d ' ')
    [ -n "$len" ] && [ "$len" -gt 0 ] || { echo "$1 has no payload"; return 1; }
    [ "$ss" = 0 ] && ss=4
    # The payload ends with its 4-byte uncompressed size, which xz takes
    # for trailing garbage: -q keeps it quiet, and the ELF check decides.
    tail -c +$(((ss + 1) * 512 + off + 1)) "$1" | head -c "$len" |
        xz -dcq >"$2" 2>/dev/null
    [ "$(head -c 4 "$2" | tr -d '\177')" = ELF ] ||
        { echo "$1: payload is not an XZ-compressed ELF"; return 1; }
}

# e2e_copy_file SRC ROOT : copy SRC to ROOT/SRC, dereferencing symlinks.
e2e_copy_file() {
    mkdir -p "$2$(dirname "$1")"
    cp -L "$1" "$2$1"
}

# e2e_copy_binary BIN ROOT : copy a dynamically linked program and every
# library ldd lists (and the loader) to the same paths under ROOT.
e2e_copy_binary() {
    local bin=$1 root=$2 lib
    e2e_copy_file "$bin" "$root"
    for lib in $(ldd "$bin" 2>/dev/null |
                 sed -n 's/.*=> \(\/[^ ]*\) .*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p'); do
        [ -e "$root$lib" ] || e2e_copy_file "$lib" "$root"
    done
}

# e2e_install_busybox ROOT : busybox-static at ROOT/bin/busybox with one
# symlink per applet in ROOT/bin.
e2e_install_busybox() {
    local root=$1 bb applet
    bb=${E2E_BUSYBOX:-$(command -v busybox || true)}
    [ -n "$bb" ] || e2e_die "busybox not found (install busybox-static)"
    if ldd "$bb" >/dev/null 2>&1; then
        e2e_die "$bb is dynamically linked; install busybox-static"
    fi
    mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin"
    cp -L "$bb" "$root/bin/busybox"
    for applet in $("$root/bin/busybox" --list); do
        [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
    done
}

# e2e_install_modules KVER ROOT MODULE... : copy the modules and their
# dependencies to ROOT and write ROOT/etc/e2e-modules (load order).
e2e_install_modules() {
    local kver=$1 root=$2 files f
    shift 2
    files=$(e2e_module_files "$kver" "$@") || return 1
    mkdir -p "$root/etc"
    : >"$root/etc/e2e-modules"
    for f in $files; do
        e2e_copy_file "$f" "$root"
        echo "$f" >>"$root/etc/e2e-modules"
    done
}

# e2e_pack_cpio ROOT OUT.cpio.gz
e2e_pack_cpio() {
    local root=$1 out=$2 tmp
    tmp="$out.tmp.$$"
    # /dev/console lets the kernel give /init a console before devtmpfs
    # is mounted; without root the init script redirects by itself.
    mkdir -p "$root/dev"
    [ -e "$root/dev/console" ] ||
        mknod -m 600 "$root/dev/console" c 5 1 2>/dev/null || true
    (cd "$root" && find . -print | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) |
        gzip -1 >"$tmp"
    mv "$tmp" "$out"
}
