# SPDX-License-Identifier: GPL-2.0-or-later
# virtio-pmem-unplug-busy: device_del while the guest is writing.  A
# writer in the guest puts block after block on /dev/pmem0, each its own
# 4 KiB pattern and each with conv=fsync (a virtio flush), and records
# the last block whose fsync returned.  The host unplugs the device four
# seconds into it.  The guest's acpiphp removes the device under the
# writer, whose next dd fails; the VMM answers the flushes in flight,
# then takes the region away.  Every block the guest saw flushed must be
# in the backing file, and the VMM must end normally.
# QEMU 7.2 refuses device_del of virtio-pmem, so its item is a SKIP.
SC_BOOTS=1
SC_DESC="virtio-pmem-pci hot-unplug while the guest writes and flushes: nothing flushed is lost, no crash"
SC_MACHINE=""
SC_DEVICES="virtio-pmem-pci"
SC_QEMU_CANNOT="virtio based memory devices cannot be unplugged. (QEMU 7.2's answer to device_del)"
MAX_BLOCKS=60000

sc_setup() {
    VP0=$(e2e_backing vp0.img 256M)
}

sc_vm_args() {
    VM_ARGS="-m 1G,slots=2,maxmem=8G
        -object memory-backend-file,id=mem0,share=on,mem-path=$VP0,size=256M
        -device virtio-pmem-pci,id=vp0,memdev=mem0"
}

sc_steps() {
    cat <<EOS
step unplug
sleep 4
qmp del {"execute": "device_del", "arguments": {"id": "vp0"}}
wait-event deleted DEVICE_DELETED 120 "device": "vp0"
qmp memdevs {"execute": "query-memory-devices"}
qmp objdel {"execute": "object-del", "arguments": {"id": "mem0"}}
EOS
}

# Block N gets pattern "busy-N"; /tmp/last holds the last N flushed.
# dd of=/dev/pmem0 creates a regular file when the device node has just
# gone (Linux removed the disk between two blocks): that dd "succeeds"
# into devtmpfs, and a writer that counted it went on for ever, writing
# a RAM file and keeping /dev/pmem0 in existence for e2e_poll_gone.  So
# a block counts only if /dev/pmem0 is the block device after its dd;
# a stray regular file is removed and named in the writer's error.
writer() {
    _i=1
    echo 0 >/tmp/last
    while [ "$_i" -le $MAX_BLOCKS ]; do
        if [ ! -b /dev/pmem0 ]; then
            echo "/dev/pmem0 is gone (before block $_i)" >/tmp/writer.err
            break
        fi
        e2e_pattern "busy-$_i" >/tmp/block
        dd if=/tmp/block of=/dev/pmem0 bs=4096 seek="$_i" count=1 \
            conv=fsync 2>/tmp/writer.err || break
        if [ ! -b /dev/pmem0 ]; then
            if [ -f /dev/pmem0 ]; then
                rm -f /dev/pmem0
                echo "dd of block $_i made a regular file /dev/pmem0" \
                     "(the device node had gone); not counted" \
                     >/tmp/writer.err
            fi
            break
        fi
        echo "$_i" >/tmp/last
        _i=$((_i + 1))
    done
    echo "$_i" >/tmp/stopped_at
}

sc_guest() {
    e2e_wait_for /dev/pmem0 10
    writer &
    _w=$!
    e2e_step_start unplug
    e2e_poll_gone /dev/pmem0 pmem0 120
    e2e_step_wait unplug
    # The writer stops at its first failed dd (30 s of the guest's time).
    _e2e_uptime
    _end=$((_e2e_up + 30))
    while kill -0 "$_w" 2>/dev/null && [ "$_e2e_up" -lt "$_end" ]; do
        usleep 100000
        _e2e_uptime
    done
    # Still there: a dd waiting in the kernel (a flush never answered?)
    # is a finding, with its stack; the run goes on without it.
    for _p in /proc/[0-9]*; do
        [ "$(cat "$_p/comm" 2>/dev/null)" = dd ] || continue
        e2e_result writer_stuck "dd ${_p#/proc/}: $(sed -n \
            's/^State:[[:space:]]*//p' "$_p/status") $(tr '\n' ' ' \
            <"$_p/stack" 2>/dev/null)"
    done
    kill "$_w" 2>/dev/null
    wait "$_w" 2>/dev/null
    e2e_result last_flushed "$(cat /tmp/last)"
    e2e_result writer_error "$(head -c 100 /tmp/writer.err 2>/dev/null)"
    e2e_result gone "$([ -e /dev/pmem0 ] && echo no || echo yes)"
}

# Blocks 1..last of the file hold their patterns (one python run: the
# outer VM forks slowly).
all_flushed_blocks_in_file() {
    python3 - "$VP0" "$(res last_flushed)" <<'EOF'
import sys
path, last = sys.argv[1], int(sys.argv[2])
with open(path, "rb") as f:
    for i in range(1, last + 1):
        f.seek(4096 * i)
        want = (("pmemvm-e2e busy-%d 0123456789abcdef\n" % i) * 200)[:4096]
        if f.read(4096) != want.encode():
            print("block %d of %d is not in the file" % (i, last))
            sys.exit(1)
print("%d blocks in the file" % last)
EOF
}

sc_check() {
    expect_eq del.rc ok
    expect_eq deleted ok
    expect_eq gone yes
    expect_eq memdevs.return "[]"
    expect_eq objdel.rc ok
    expect_ne last_flushed 0
    expect all_flushed_blocks all_flushed_blocks_in_file
    expect_eq vmm_rc 0
    expect_eq writer_stuck ""
    note writer "last block flushed $(res last_flushed); the writer's error: $(res writer_error)"
}
