#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Which QMP commands libvirtd sent to its emulator, and how it answered.

Reads libvirtd.log (log_filters with 1:qemu.qemu_monitor, as
libvirt-lib.sh sets them: every command written and every reply read,
with the monitor's address) and prints one line per monitor session and
distinct command, in the order libvirt first sent it:

  SESSION  COMMAND  COUNT  ANSWERS

SESSION is "N:probe(BINARY,MACHINE)" (libvirt's capability probe of
BINARY with -machine MACHINE; libvirt also probes the host's own QEMU) or
"N:domain" (a domain's monitor), N counting the monitors libvirt opened.  ANSWERS lists each kind of answer the command got:
"value" (a return with content), "empty" (a return of {} or []),
"error:CLASS" (an error, with its class), "none" (no reply in the log).

  qmp-summary.py libvirtd.log
"""
import json
import re
import sys

LINE = re.compile(r'QEMU_MONITOR_(IO_WRITE|RECV_REPLY): mon=(0x[0-9a-f]+) '
                  r'(?:buf|reply)=(.*)$')
NEW = re.compile(r'QEMU_MONITOR_NEW: mon=(0x[0-9a-f]+)')
PROBE = re.compile(r"Try to probe capabilities of '([^']*)' via QMP, "
                   r"machine (\S+)")


def parse(text):
    """JSON of one logged message (libvirt logs the "\\r\\n" it writes)."""
    text = text.strip()
    if text.endswith('\\r\\n'):
        text = text[:-4]
    try:
        return json.loads(text)
    except ValueError:
        return None


def answer_kind(reply):
    if reply is None:
        return 'none'
    if 'error' in reply:
        return 'error:' + reply['error'].get('class', '?')
    ret = reply.get('return')
    return 'empty' if ret in ({}, [], None) else 'value'


def summarize(lines):
    sessions = []           # name, ids: id -> (command, n), order, answers
    current = {}            # mon -> its session
    probe = None            # the probe whose monitor opens next
    for line in lines:
        m = PROBE.search(line)
        if m:
            probe = 'probe(%s,%s)' % m.groups()
            continue
        m = NEW.search(line)
        if m:
            s = {'name': probe or 'domain', 'ids': {}, 'order': [],
                 'answers': {}}
            probe = None
            sessions.append(s)
            current[m.group(1)] = s
            continue
        m = LINE.search(line)
        if not m:
            continue
        what, mon, body = m.groups()
        msg = parse(body)
        s = current.get(mon)
        if not isinstance(msg, dict) or s is None:
            continue
        if what == 'IO_WRITE':
            cmd = msg.get('execute')
            if cmd is None:
                continue
            if cmd not in s['answers']:
                s['order'].append(cmd)
                s['answers'][cmd] = []
            s['ids'][msg.get('id')] = (cmd, len(s['answers'][cmd]))
            s['answers'][cmd].append(None)
        elif msg.get('id') in s['ids']:
            cmd, i = s['ids'][msg['id']]
            s['answers'][cmd][i] = msg
    out = []
    for n, s in enumerate(sessions, 1):
        for cmd in s['order']:
            replies = s['answers'][cmd]
            kinds = []
            for r in replies:
                k = answer_kind(r)
                if k not in kinds:
                    kinds.append(k)
            out.append('%d:%s %s %d %s' % (n, s['name'], cmd, len(replies),
                                           ','.join(kinds)))
    return out


def main():
    if len(sys.argv) != 2:
        sys.stderr.write('usage: qmp-summary.py libvirtd.log\n')
        return 2
    with open(sys.argv[1], errors='replace') as f:
        for line in summarize(f):
            print(line)
    return 0


if __name__ == '__main__':
    sys.exit(main())
