#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Run one VMM boot and time its serial console, line by line.

    boot-stamp.py --log LOG [--after LINE] [--timeout S] -- VMM ARGS...

Starts the VMM (stdin /dev/null, stdout and stderr into one pipe, as the
e2e harness does), stamps every console line with the monotonic time
since just before the VMM process was started, writes "SECONDS<TAB>LINE"
to LOG, and at the first non-empty line after the line LINE (default
"E2E-OUTPUT-BEGIN ndctl_list": the guest's first `ndctl list` output)
reads VmRSS and VmHWM from /proc/PID/status and the resident size of the
guest's memory from /proc/PID/smaps at once. Waits for the VMM to exit
(killing it after --timeout seconds) and prints one line:

    first_s=0.41 init_s=7.90 ndctl_s=9.13 rss_kb=123456 hwm_kb=...
    guest_kb=... own_kb=... exit_s=10.2 rc=0

first_s: first console line; init_s: "E2E-BEGIN" (the guest's /init is
running); ndctl_s, rss_kb, hwm_kb, guest_kb, own_kb: at the trigger line
("-" when it never came); exit_s and rc: the VMM's exit.

guest_kb is what VmRSS counts of the guest's own memory: the resident
pages of the mappings of guest RAM (anonymous mappings at least as large
as the command line's -m size) and of the backing files named by mem-path=
on the command line. own_kb = rss_kb - guest_kb is the VMM's own memory.
Both VMMs map each of these as one mapping, so the rule is the same for
both.
"""
import argparse
import os
import re
import subprocess
import sys
import threading
import time


def status_kb(pid, field):
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith(field + ':'):
                    return line.split()[1]
    except OSError:
        pass
    return '-'


SIZE_RE = re.compile(r'^(\d+)([KMGT]?)', re.IGNORECASE)


def size_kb(text):
    """QEMU's size syntax (a bare number is MiB for -m) in KiB, or None."""
    m = SIZE_RE.match(text)
    if not m:
        return None
    unit = m.group(2).upper() or 'M'
    return int(m.group(1)) * {'K': 1, 'M': 1024, 'G': 1024 ** 2,
                              'T': 1024 ** 3}[unit]


def guest_memory(cmd):
    """(RAM size in KiB or None, set of backing file paths) from argv."""
    ram_kb, files = None, set()
    for opt, val in zip(cmd, cmd[1:]):
        if opt == '-m':
            first = val.split(',')[0]
            ram_kb = size_kb(first.split('=', 1)[-1])
        for part in val.split(','):
            if opt == '-object' and part.startswith('mem-path='):
                files.add(os.path.realpath(part[len('mem-path='):]))
    return ram_kb, files


def guest_rss_kb(pid, ram_kb, files):
    """Resident KiB of the guest-memory mappings of PID (see above)."""
    total, is_guest = 0, False
    try:
        with open('/proc/%d/smaps' % pid) as f:
            for line in f:
                fields = line.split()
                if re.match(r'^[0-9a-f]+-[0-9a-f]+$', fields[0]):
                    start, end = (int(x, 16) for x in fields[0].split('-'))
                    path = fields[5] if len(fields) > 5 else ''
                    mapped_kb = (end - start) // 1024
                    is_guest = (path and os.path.realpath(path) in files) or \
                        (not path and ram_kb and mapped_kb >= ram_kb)
                elif fields[0] == 'Rss:' and is_guest:
                    total += int(fields[1])
    except OSError:
        return None
    return total


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--log', required=True)
    ap.add_argument('--after', default='E2E-OUTPUT-BEGIN ndctl_list')
    ap.add_argument('--timeout', type=float, default=300)
    ap.add_argument('cmd', nargs=argparse.REMAINDER)
    args = ap.parse_args()
    cmd = args.cmd[1:] if args.cmd[:1] == ['--'] else args.cmd
    if not cmd:
        ap.error('no VMM command')

    marks = {'first_s': '-', 'init_s': '-', 'ndctl_s': '-',
             'rss_kb': '-', 'hwm_kb': '-', 'guest_kb': '-', 'own_kb': '-'}
    ram_kb, files = guest_memory(cmd)
    armed = False
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    timer = threading.Timer(args.timeout, proc.kill)
    timer.start()
    with open(args.log, 'w', encoding='utf-8', errors='replace') as log:
        for raw in proc.stdout:
            t = time.monotonic() - t0
            line = raw.decode('utf-8', 'replace').rstrip('\r\n')
            if marks['ndctl_s'] == '-' and armed and line.strip():
                # First: the process may exit soon after.
                marks['rss_kb'] = status_kb(proc.pid, 'VmRSS')
                marks['hwm_kb'] = status_kb(proc.pid, 'VmHWM')
                guest = guest_rss_kb(proc.pid, ram_kb, files)
                if guest is not None and marks['rss_kb'] != '-':
                    marks['guest_kb'] = str(guest)
                    marks['own_kb'] = str(int(marks['rss_kb']) - guest)
                marks['ndctl_s'] = '%.3f' % t
            if marks['first_s'] == '-':
                marks['first_s'] = '%.3f' % t
            if marks['init_s'] == '-' and line.startswith('E2E-BEGIN'):
                marks['init_s'] = '%.3f' % t
            if line.strip().endswith(args.after):
                armed = True
            log.write('%.3f\t%s\n' % (t, line))
    rc = proc.wait()
    timer.cancel()
    marks['exit_s'] = '%.3f' % (time.monotonic() - t0)
    marks['rc'] = str(rc)
    print(' '.join('%s=%s' % (k, marks[k]) for k in
                   ('first_s', 'init_s', 'ndctl_s', 'rss_kb', 'hwm_kb',
                    'guest_kb', 'own_kb', 'exit_s', 'rc')))
    sys.stdout.flush()
    return 0 if rc == 0 and marks['ndctl_s'] != '-' else 1


if __name__ == '__main__':
    sys.exit(main())
