#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Build the outer VM's initramfs: busybox-static, the modules for 9p over
# virtio and kvm_amd, and tests/e2e/init/outer-init as /init.
# Usage: mkinitramfs-outer.sh OUT.cpio.gz
#
# Environment: E2E_KERNEL, E2E_BUSYBOX as for mkinitramfs-inner.sh.
set -euo pipefail
E2E_DIR=$(cd "$(dirname "$0")" && pwd)
. "$E2E_DIR/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 OUT.cpio.gz" >&2; exit 2; }
out=$1

OUTER_MODULES="virtio_pci 9pnet_virtio 9p kvm_amd"

kernel=$(e2e_find_kernel)
[ -n "$kernel" ] || e2e_die "no /boot/vmlinuz-* with modules (set E2E_KERNEL)"
kver=$(e2e_kernel_version "$kernel")

root=$(mktemp -d "${TMPDIR:-/tmp}/e2e-outer.XXXXXX")
trap 'rm -rf "$root"' EXIT

e2e_install_busybox "$root"
mkdir -p "$root/proc" "$root/sys" "$root/dev" "$root/newroot" "$root/etc"
e2e_install_modules "$kver" "$root" $OUTER_MODULES
install -m 755 "$E2E_DIR/init/outer-init" "$root/init"

e2e_pack_cpio "$root" "$out"
echo "$out: kernel $kver, $(wc -l <"$root/etc/e2e-modules") modules, $(du -h "$out" | cut -f1)"
