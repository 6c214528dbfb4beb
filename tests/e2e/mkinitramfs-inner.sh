#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the inner guest's initramfs: busybox-static, ndctl (and daxctl when
# installed), mkfs.ext4, the nvdimm/virtio/ext4 modules of the guest
# kernel, tests/e2e/init/inner-init as /init, every scenario under
# /scenarios, /bin/e2e-poke (guest/poke.c, built here without a C
# library: wide port I/O, physical memory through an mmap of /dev/mem) and
# /bin/e2e-pmbench (guest/pmbench.c: timing loops for the benchmarks).
# Usage: mkinitramfs-inner.sh OUT.cpio.gz
#
# Environment: E2E_KERNEL (default: newest /boot/vmlinuz-* with modules),
#              E2E_BUSYBOX (default: busybox on PATH), CC (default: cc).
set -euo pipefail
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
. "$E2E_DIR/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 OUT.cpio.gz" >&2; exit 2; }
out=$1

# button and evdev: the ACPI power button as an input device (powerdown).
# virtio_net (with net_failover and failover): the NIC of net-user.
INNER_MODULES="nfit nd_pmem nd_btt dax_pmem device_dax virtio_pmem virtio_pci ext4 button evdev virtio_net"

kernel=$(e2e_find_kernel)
[ -n "$kernel" ] || e2e_die "no /boot/vmlinuz-* with modules (set E2E_KERNEL)"
kver=$(e2e_kernel_version "$kernel")

root=$(mktemp -d "${TMPDIR:-/tmp}/e2e-inner.XXXXXX")
trap 'rm -rf "$root"' EXIT

e2e_install_busybox "$root"
mkdir -p "$root/proc" "$root/sys" "$root/dev" "$root/tmp" "$root/run" \
         "$root/mnt" "$root/etc" "$root/lib/e2e" "$root/scenarios"

for tool in ndctl daxctl mke2fs; do
    path=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v "$tool" || true)
    if [ -z "$path" ]; then
        [ "$tool" = daxctl ] && continue    # optional: Debian ships it apart
        e2e_die "$tool not found (install ndctl / e2fsprogs)"
    fi
    e2e_copy_binary "$path" "$root"
done
mke2fs_path=$(PATH=/usr/sbin:/usr/bin:/sbin:/bin command -v mke2fs)
ln -sf "$(basename "$mke2fs_path")" "$root$(dirname "$mke2fs_path")/mkfs.ext4"
[ -r /etc/mke2fs.conf ] && cp /etc/mke2fs.conf "$root/etc/"
# ndctl opens its config directory; an empty one keeps it quiet.
mkdir -p "$root/etc/ndctl.conf.d" "$root/etc/ndctl/keys"

e2e_install_modules "$kver" "$root" $INNER_MODULES

install -m 755 "$E2E_DIR/init/inner-init" "$root/init"
e2e_build_nolibc "$E2E_DIR/guest/poke.c" "$root/bin/e2e-poke"
e2e_build_nolibc "$E2E_DIR/guest/pmbench.c" "$root/bin/e2e-pmbench"
cp "$E2E_DIR/guest-lib.sh" "$root/lib/e2e/guest-lib.sh"
cp "$E2E_DIR"/scenarios/*.sh "$root/scenarios/"

e2e_pack_cpio "$root" "$out"
echo "$out: kernel $kver, $(wc -l <"$root/etc/e2e-modules") modules, $(du -h "$out" | cut -f1)"
