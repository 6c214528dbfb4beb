#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Install, from Debian 12's own packages, everything pmemvm needs to build,
# test and boot real guests. Run as root. Idempotent.
#
#   build:   gcc, make, pkg-config, meson, ninja-build
#            libasan8, libubsan1 (gcc's ASan and UBSan runtimes: make
#                              check-asan; gcc pulls them in, named here
#                              so that the reason is written down)
#   libs:    libglib2.0-dev   (memory, strings, hash tables, main loop, GTest)
#            libjson-glib-dev (value trees of QMP and JSON -object/-device;
#                             the parsing is pmemvm's own, qobject/json-*.c)
#            libpmem-dev      (pmem=on: MAP_SYNC mapping and persistent copies)
#            libseccomp-dev   (-sandbox: a seccomp filter as QEMU's)
#            libslirp-dev     (-netdev user: QEMU's user-mode network, the
#                              library QEMU 7.2 uses)
#            liblzma-dev, zlib1g-dev, libzstd-dev
#                             (unpack a bzImage's xz/lzma, gzip or zstd
#                              payload on the host instead of in the guest)
#   tests:   acpica-tools     (iasl -d disassembles every ACPI table we build)
#            qemu-system-x86  (QEMU 7.2: the reference peer, and the outer VM
#                              that gives nested KVM where /dev/kvm cannot run
#                              a stock kernel)
#            libvirt-daemon-system, libvirt-clients
#                             (Debian's libvirt 9.0: libvirtd and virsh run
#                              pmemvm as their QEMU in tests/e2e/run-libvirt.sh,
#                              docs/system/libvirt.md)
#   guests:  linux-image-amd64, busybox-static, ndctl, daxctl, kmod, cpio,
#            e2fsprogs        (kernel and initramfs for tests/e2e and the
#                              demo: ndctl/daxctl and mkfs.ext4 in the guest)
#            xz-utils         (takes the ELF vmlinux out of the bzImage for the
#                              PVH boot scenario)
#   fuzzing: clang, libclang-rt-14-dev
#                             (make fuzz: libFuzzer and the ASan/UBSan
#                              runtimes for tests/fuzz)
#   scripts: python3          (tests/bench, scripts/test-summary.py; meson
#                              needs it anyway)
set -eu
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps.sh: must run as root (apt-get)" >&2
    exit 1
fi
PKGS="gcc libasan8 libubsan1 make pkg-config meson ninja-build libglib2.0-dev libjson-glib-dev \
libpmem-dev libseccomp-dev libslirp-dev liblzma-dev zlib1g-dev libzstd-dev acpica-tools qemu-system-x86 linux-image-amd64 busybox-static \
ndctl daxctl kmod cpio e2fsprogs xz-utils python3 clang libclang-rt-14-dev \
libvirt-daemon-system libvirt-clients"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
        || missing="$missing $p"
done
if [ -n "$missing" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends $missing
fi
