#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""pmemvm against QEMU 7.2, side by side, printed as ratios.

Measures, for each VMM in the same run:
  * start-up to QMP ready (greeting read and qmp_capabilities answered),
    with 1 and with 32 NVDIMMs (median of --runs runs);
  * VmRSS of the VMM process at that moment;
  * a full 128 KiB label-area read through the _DSM page (DSM function 5
    in 4076-byte chunks, driven over the qtest protocol, as the guest's AML
    would: write the request into the page, write MEMA to port 0x0A18,
    read the reply).

QEMU has no qtest accelerator in Debian's build, so it runs with
"-accel tcg" and the same -qtest socket; for the start-up figures it is
held with -S (no firmware runs), for the label read its firmware runs
until the ACPI tables are in guest memory and MEMA is read from the SSDT.
pmemvm runs with -accel qtest.  Ratio = pmemvm / QEMU (below 1 is better).
"""
import argparse
import base64
import json
import os
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time

LABEL_SIZE = 128 * 1024
MAX_XFER = 4076
DSM_PORT = 0x0A18


class Vmm:
    def __init__(self, argv, workdir, need_qtest=True):
        self.qmp_path = os.path.join(workdir, 'qmp.sock')
        self.qt_path = os.path.join(workdir, 'qtest.sock')
        for p in (self.qmp_path, self.qt_path):
            if os.path.exists(p):
                os.unlink(p)
        self.qt_listen = socket.socket(socket.AF_UNIX)
        self.qt_listen.bind(self.qt_path)
        self.qt_listen.listen(1)
        self.qmp_listen = socket.socket(socket.AF_UNIX)
        self.qmp_listen.bind(self.qmp_path)
        self.qmp_listen.listen(1)
        full = argv + ['-qtest', 'unix:' + self.qt_path,
                       '-qtest-log', '/dev/null',
                       '-chardev', 'socket,id=qmp0,path=' + self.qmp_path,
                       '-mon', 'chardev=qmp0,mode=control',
                       '-display', 'none']
        self.t0 = time.monotonic()
        self.proc = subprocess.Popen(full, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        self.qt_listen.settimeout(60)
        self.qmp_listen.settimeout(60)
        try:
            self.qt, _ = self.qt_listen.accept()
            self.qmp, _ = self.qmp_listen.accept()
        except socket.timeout:
            self.proc.kill()
            raise RuntimeError('VMM did not connect: %s' %
                               self.proc.stderr.read().decode()[-500:])
        self.qt.settimeout(60)
        self.qmp.settimeout(60)
        self.qtf = self.qt.makefile('rwb')
        self.qmpf = self.qmp.makefile('rwb')
        json.loads(self.qmpf.readline())          # greeting
        self.qmp_cmd('qmp_capabilities')
        self.ready = time.monotonic() - self.t0

    def qmp_cmd(self, name, args=None):
        msg = {'execute': name}
        if args:
            msg['arguments'] = args
        self.qmpf.write((json.dumps(msg) + '\n').encode())
        self.qmpf.flush()
        while True:
            r = json.loads(self.qmpf.readline())
            if 'return' in r or 'error' in r:
                return r

    def rss_kib(self):
        with open('/proc/%d/status' % self.proc.pid) as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
        return 0

    def qt_cmd(self, line):
        self.qtf.write((line + '\n').encode())
        self.qtf.flush()
        while True:
            r = self.qtf.readline().decode().strip()
            if not r.startswith('IRQ'):
                break
        if not r.startswith('OK'):
            raise RuntimeError('qtest: %s -> %s' % (line, r))
        return r[3:]

    def memread(self, addr, size):
        return base64.b64decode(self.qt_cmd('b64read 0x%x %d' % (addr, size)))

    def memwrite(self, addr, data):
        self.qt_cmd('b64write 0x%x %d %s' % (addr, len(data),
                                           base64.b64encode(data).decode()))

    def close(self):
        try:
            self.proc.kill()
            self.proc.wait(timeout=10)
        except Exception:
            pass
        for s in (self.qt, self.qmp, self.qt_listen, self.qmp_listen):
            s.close()


def find_rsdp(vmm, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        area = vmm.memread(0xE0000, 0x20000)
        off = area.find(b'RSD PTR ')
        while off >= 0:
            # A real RSDP is 16-byte aligned and its first 20 bytes sum to
            # 0 (the firmware may still be building it, or the string may
            # sit in its code).
            if off % 16 == 0 and sum(area[off:off + 20]) % 256 == 0:
                return 0xE0000 + off, area[off:off + 36]
            off = area.find(b'RSD PTR ', off + 1)
        time.sleep(0.05)
    raise RuntimeError('no RSDP')


def find_tables(vmm):
    rsdp_addr, rsdp = find_rsdp(vmm)
    rev = rsdp[15]
    if rev >= 2 and struct.unpack_from('<Q', rsdp, 24)[0]:
        root = struct.unpack_from('<Q', rsdp, 24)[0]
        width = 8
    else:
        root = struct.unpack_from('<I', rsdp, 16)[0]
        width = 4
    hdr = vmm.memread(root, 36)
    length = struct.unpack_from('<I', hdr, 4)[0]
    body = vmm.memread(root + 36, length - 36)
    tables = {}
    for i in range(0, len(body), width):
        addr = struct.unpack_from('<Q' if width == 8 else '<I', body, i)[0]
        h = vmm.memread(addr, 36)
        tl = struct.unpack_from('<I', h, 4)[0]
        tables.setdefault(h[:4].decode(), []).append(vmm.memread(addr, tl))
    return tables


def find_mema(tables):
    for ssdt in tables.get('SSDT', []):
        if ssdt[16:22] != b'NVDIMM':
            continue
        i = ssdt.find(b'MEMA')
        # Name(MEMA, DWord): 0x08 'MEMA' 0x0C dword
        while i >= 0:
            if ssdt[i - 1] == 0x08 and ssdt[i + 4] == 0x0C:
                return struct.unpack_from('<I', ssdt, i + 5)[0]
            i = ssdt.find(b'MEMA', i + 1)
    raise RuntimeError('MEMA not found')


def label_read(vmm, mema):
    """Read the whole label area of the DIMM at handle 1; returns seconds."""
    t0 = time.monotonic()
    off = 0
    data = b''
    while off < LABEL_SIZE:
        n = min(MAX_XFER, LABEL_SIZE - off)
        req = struct.pack('<IIIII', 1, 1, 5, off, n)
        vmm.memwrite(mema, req)
        vmm.qt_cmd('outl 0x%x 0x%x' % (DSM_PORT, mema))
        hdr = vmm.memread(mema, 8)
        rlen, status = struct.unpack('<II', hdr)
        if status != 0 or rlen != 8 + n:
            raise RuntimeError('DSM status %d rlen %d' % (status, rlen))
        data += vmm.memread(mema + 8, n)
        off += n
    elapsed = time.monotonic() - t0
    assert len(data) == LABEL_SIZE
    return elapsed


def machine_args(workdir, ndimms, tag):
    args = ['-machine', 'pc,nvdimm=on', '-m',
            '512M,slots=%d,maxmem=%dM' % (max(ndimms, 1), 512 + 64 * ndimms)]
    for i in range(ndimms):
        path = os.path.join(workdir, '%s-nv%d.img' % (tag, i))
        args += ['-object', 'memory-backend-file,id=mem%d,share=on,'
                 'mem-path=%s,size=64M' % (i, path),
                 '-device', 'nvdimm,id=nv%d,memdev=mem%d,label-size=128K'
                 % (i, i)]
    return args


def run_startup(binary, kind, workdir, ndimms, runs):
    times, rss = [], []
    for r in range(runs):
        base = [binary] + machine_args(workdir, ndimms, kind)
        base += ['-accel', 'qtest'] if kind == 'pmemvm' else \
                ['-accel', 'tcg', '-S', '-nodefaults']
        vmm = Vmm(base, workdir)
        times.append(vmm.ready)
        rss.append(vmm.rss_kib())
        vmm.close()
    return statistics.median(times), statistics.median(rss)


def run_label(binary, kind, workdir, runs):
    base = [binary] + machine_args(workdir, 1, kind + '-lbl')
    if kind == 'pmemvm':
        base += ['-accel', 'qtest']
    else:
        base += ['-accel', 'tcg', '-nodefaults']
    vmm = Vmm(base, workdir)
    try:
        mema = find_mema(find_tables(vmm))
        times = [label_read(vmm, mema) for _ in range(runs)]
    finally:
        vmm.close()
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--pmemvm', default='build/pmemvm')
    ap.add_argument('--qemu', default=shutil.which('qemu-system-x86_64'))
    ap.add_argument('--runs', type=int, default=5)
    a = ap.parse_args()
    if not a.qemu or not os.path.exists(a.pmemvm):
        print('SKIP: need both %s and qemu-system-x86_64' % a.pmemvm)
        return 77
    workdir = tempfile.mkdtemp(prefix='pmemvm-bench-')
    rows = []
    try:
        for n in (1, 32):
            pt, pr = run_startup(a.pmemvm, 'pmemvm', workdir, n, a.runs)
            qt, qr = run_startup(a.qemu, 'qemu', workdir, n, a.runs)
            rows.append(('start-up to QMP ready, %d NVDIMM(s) [ms]' % n,
                         pt * 1000, qt * 1000))
            rows.append(('VmRSS after start-up, %d NVDIMM(s) [KiB]' % n,
                         pr, qr))
        pl = run_label(a.pmemvm, 'pmemvm', workdir, a.runs)
        ql = run_label(a.qemu, 'qemu', workdir, a.runs)
        rows.append(('128 KiB label read via _DSM page [ms]', pl * 1000,
                     ql * 1000))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    ver = subprocess.run([a.qemu, '-version'], capture_output=True,
                         text=True).stdout.splitlines()[0]
    print('pmemvm: %s   QEMU: %s   runs: %d (median)' % (a.pmemvm, ver,
                                                         a.runs))
    print('%-45s %12s %12s %8s' % ('measure', 'pmemvm', 'QEMU', 'ratio'))
    for name, p, q in rows:
        print('%-45s %12.1f %12.1f %8.3f' % (name, p, q, p / q))
    return 0


if __name__ == '__main__':
    sys.exit(main())
