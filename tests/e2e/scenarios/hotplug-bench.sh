# SPDX-License-Identifier: GPL-2.0-or-later
# hotplug-bench: the guest of tests/bench/hotplug.sh (a tool, not in
# run-all).  N times each, timed by monitor-driver.py from the QMP
# command to what the guest or QMP shows:
#  nvN:   object-add + device_add nvdimm (64 MiB, no labels) -> the
#         guest's region count grows (its nfit driver read _FIT)
#  vpN:   object-add + device_add virtio-pmem-pci (64 MiB) -> the region
#         count grows (acpiphp probed it, virtio_pmem registered it)
#  delN:  device_del vpN -> DEVICE_DELETED (pmemvm only: QEMU 7.2 cannot
#         unplug virtio-pmem), and -> the region gone in the guest
# The times include the guest's own work and the nesting of the e2e
# harness; compare VMMs, not absolute values.
SC_BOOTS=1
SC_DESC="hot-add and hot-unplug latency (tests/bench/hotplug.sh)"
BENCH_N=4
SIZE=$((64 * 1024 * 1024))

sc_setup() {
    local i
    for i in $(seq 1 $BENCH_N); do
        e2e_backing "nv$i.img" 64M >/dev/null
        e2e_backing "vp$i.img" 64M >/dev/null
    done
}

sc_vm_args() {
    VM_ARGS="-m 1G,slots=$BENCH_N,maxmem=8G"
}

sc_steps() {
    local i
    for i in $(seq 1 $BENCH_N); do
        cat <<EOS
step nv$i
qmp nvobj$i {"execute": "object-add", "arguments": {"qom-type": "memory-backend-file", "id": "nvm$i", "share": true, "mem-path": "$WORK/nv$i.img", "size": $SIZE}}
qmp nvadd$i {"execute": "device_add", "arguments": {"driver": "nvdimm", "id": "nv$i", "memdev": "nvm$i"}}
wait-console nv$i ^E2E-SEEN nv$i 60
EOS
    done
    for i in $(seq 1 $BENCH_N); do
        cat <<EOS
step vp$i
qmp vpobj$i {"execute": "object-add", "arguments": {"qom-type": "memory-backend-file", "id": "vpm$i", "share": true, "mem-path": "$WORK/vp$i.img", "size": $SIZE}}
qmp vpadd$i {"execute": "device_add", "arguments": {"driver": "virtio-pmem-pci", "id": "vp$i", "memdev": "vpm$i"}}
wait-console vp$i ^E2E-SEEN vp$i 60
EOS
    done
    [ "$VMM" = qemu ] && return
    for i in $(seq 1 $BENCH_N); do
        cat <<EOS
step del$i
qmp vpdel$i {"execute": "device_del", "arguments": {"id": "vp$i"}}
wait-event del$i DEVICE_DELETED 60 "device": "vp$i"
wait-console gone$i ^E2E-GONE vp$i 60
EOS
    done
}

regions() {
    ls -d /sys/bus/nd/devices/region* 2>/dev/null | wc -l
}

# poll_regions COUNT TAG SEEN|GONE : until COUNT regions, every 10 ms.
poll_regions() {
    _n=6000
    while [ "$(regions)" != "$1" ] && [ "$_n" -gt 0 ]; do
        usleep 10000
        _n=$((_n - 1))
    done
    echo "E2E-$3 $2"
}

sc_guest() {
    _vmm=$(sed -n 's/.*e2e_vmm=\([a-z]*\).*/\1/p' /proc/cmdline)
    _r=$(regions)
    for _i in $(seq 1 $BENCH_N); do
        e2e_step_start "nv$_i"
        _r=$((_r + 1))
        poll_regions "$_r" "nv$_i" SEEN
        e2e_step_wait "nv$_i"
    done
    for _i in $(seq 1 $BENCH_N); do
        e2e_step_start "vp$_i"
        _r=$((_r + 1))
        poll_regions "$_r" "vp$_i" SEEN
        e2e_step_wait "vp$_i"
    done
    [ "$_vmm" = qemu ] && return
    for _i in $(seq 1 $BENCH_N); do
        e2e_step_start "del$_i"
        _r=$((_r - 1))
        poll_regions "$_r" "vp$_i" GONE
        e2e_step_wait "del$_i"
    done
}

sc_check() {
    local i
    for i in $(seq 1 $BENCH_N); do
        expect_eq "nv$i" ok
        expect_eq "vp$i" ok
        if [ "$VMM" = pmemvm ]; then
            expect_eq "del$i" ok
            expect_eq "gone$i" ok
        fi
    done
}
