# SPDX-License-Identifier: GPL-2.0-or-later
# kaslr: where the kernel ran, as the guest sees it, over several boots
# of the bzImage. With QEMU the kernel's own decompressor chooses a random
# physical address and virtual offset and sets KASLR_FLAG in the loader
# flags; pmemvm unpacks the bzImage on the host and must leave the guest
# the same: a flag set, the text at a 2 MiB-aligned random place in the
# 1 GiB kernel mapping, the image at a 2 MiB-aligned random place at or
# above 16 MiB, a new place each boot. With "nokaslr" both leave the
# kernel where it is linked. pmemvm's fourth boot uses
# -machine kernel-unpack=guest: its guest decompresses and randomizes.
SC_BOOTS=3
[ "${VMM:-}" = pmemvm ] && SC_BOOTS=4
SC_DESC="KASLR after a bzImage boot, twice; nokaslr; pmemvm: guest unpack"
# Linked at LOAD_PHYSICAL_ADDR 16 MiB, __START_KERNEL_map + 16 MiB; KASLR
# keeps the text inside the 1 GiB kernel image mapping.
LINK_PA=0000000001000000
LINK_VA=ffffffff81000000
MAP_END_VA=ffffffffc0000000

sc_setup() {
    e2e_one_nvdimm_setup 128M
}

sc_vm_args() {
    e2e_one_nvdimm_args
    case $1 in
    3) SC_APPEND=nokaslr ;;
    4) VM_ARGS="$VM_ARGS -machine kernel-unpack=guest" ;;
    esac
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    e2e_result pmem0 "$([ -b /dev/pmem0 ] && echo present)"
    # boot_params: type_of_loader 0x210, loadflags 0x211 (KASLR_FLAG is
    # bit 1, CAN_USE_HEAP bit 7), heap_end_ptr 0x224, and the whole setup
    # header 0x1F1-0x267 to compare the VMMs by eye.
    e2e_result type_of_loader \
        "$(od -An -tx1 -j $((0x210)) -N1 /sys/kernel/boot_params/data | tr -d ' ')"
    e2e_result loadflags \
        "$(od -An -tx1 -j $((0x211)) -N1 /sys/kernel/boot_params/data | tr -d ' ')"
    e2e_result heap_end_ptr \
        "$(od -An -tx2 -j $((0x224)) -N2 /sys/kernel/boot_params/data | tr -d ' ')"
    e2e_result setup_header \
        "$(od -An -tx1 -v -j $((0x1f1)) -N $((0x268 - 0x1f1)) /sys/kernel/boot_params/data | tr -d ' \n')"
    e2e_result text_va "$(grep -m1 ' _text$' /proc/kallsyms | cut -d' ' -f1)"
    e2e_result code_pa \
        "$(sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* : Kernel code$/\1/p' /proc/iomem | head -n 1)"
}

# kaslr_placed BOOT : the flag is set and both addresses are 2 MiB aligned
# and in range.
kaslr_placed() {
    local b=$1 flags va pa
    flags=$((0x$(res loadflags "$b")))
    va=$(res text_va "$b")
    pa=$(res code_pa "$b")
    [ $((flags & 2)) = 2 ] || { echo "loadflags 0x$(res loadflags "$b"): no KASLR_FLAG"; return 1; }
    [[ $va =~ ^[0-9a-f]{16}$ && $pa =~ ^[0-9a-f]+$ ]] || { echo "text_va '$va', code_pa '$pa'"; return 1; }
    [ $((0x$va & 0x1fffff)) = 0 ] && [ $((0x$pa & 0x1fffff)) = 0 ] ||
        { echo "not 2 MiB aligned: $va, $pa"; return 1; }
    # Compare as unsigned: the addresses have the top bit set.
    [[ $va > $LINK_VA || $va == "$LINK_VA" ]] && [[ $va < $MAP_END_VA ]] ||
        { echo "text $va outside $LINK_VA-$MAP_END_VA"; return 1; }
    [ $((0x$pa)) -ge $((0x$LINK_PA)) ] || { echo "image at $pa, below 16 MiB"; return 1; }
    echo "text $va, image at $pa"
}

flag_set() {
    [ $((0x$1 & $2)) != 0 ]
}

flag_clear() {
    [ $((0x$1 & $2)) = 0 ]
}

differ() {
    echo "boot1: $1; boot2: $2"
    [ "$1" != "$2" ]
}

sc_check() {
    local b last=$SC_BOOTS
    for b in 1 2 3 $([ "$SC_BOOTS" = 4 ] && echo 4); do
        expect_eq pmem0 present "$b"
    done
    expect kaslr@boot1 kaslr_placed 1
    expect kaslr@boot2 kaslr_placed 2
    # Two boots at the same text and image address: 1 in about 200,000.
    expect moved@boot2 differ "$(res text_va 1) $(res code_pa 1)" \
        "$(res text_va 2) $(res code_pa 2)"
    expect_eq text_va "$LINK_VA" 3
    expect_eq code_pa "${LINK_PA#00000000}" 3
    expect no_kaslr_flag@boot3 flag_clear "$(res loadflags 3)" 2
    # What QEMU's loader writes, so pmemvm too: loader id, heap.
    for b in 1 3; do
        expect_eq type_of_loader b0 "$b"
        expect can_use_heap@boot$b flag_set "$(res loadflags "$b")" 0x80
        expect_eq heap_end_ptr fe00 "$b"
    done
    [ "$last" = 4 ] && expect kaslr@boot4 kaslr_placed 4
}
