#!/usr/bin/env python3
"""Run one VMM boot and time its serial console, line by line.

    boot-stamp.py --log LOG [--after LINE] [--timeout S] -- VMM ARGS...

Starts the VMM (stdin /dev/null, stdout and stderr into one pipe, as the
e2e harness does), stamps every console line with the monotonic time
since just before the VMM process was started, writes "SECONDS<TAB>LINE"
to LOG, and at the first non-empty line after the line LINE (default
"E2E-OUTPUT-BEGIN ndctl_list": the guest's first `ndctl list` output)
reads VmRSS and VmHWM from /proc/PID/status at once. Waits for the VMM to
exit (killing it after --timeout seconds) and prints one line:

    first_s=0.41 init_s=7.90 ndctl_s=9.13 rss_kb=123456 hwm_kb=... exit_s=10.2 rc=0

first_s: first console line; init_s: "E2E-BEGIN" (the guest's /init is
running); ndctl_s/rss_kb/hwm_kb: at the trigger line ("-" when it never
came); exit_s and rc: the VMM's exit.
"""
import argparse
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
             'rss_kb': '-', 'hwm_kb': '-'}
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
                    'exit_s', 'rc')))
    sys.stdout.flush()
    return 0 if rc == 0 and marks['ndctl_s'] != '-' else 1


if __name__ == '__main__':
    sys.exit(main())
