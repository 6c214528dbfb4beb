#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Count test results from meson's testlog.json files.

Every GTest binary runs with --tap, so each test case is one TAP line;
those are counted ("ok", "not ok", "# SKIP").  A test without TAP output
(an e2e script) counts once by its meson result.  A test binary that
crashed or timed out counts as one failure even if some of its cases
passed.  Prints the skipped and failed cases with their reasons, then
"N passed, N failed[, N skipped]" as the last line.

  test-summary.py [LOG...]        default build/meson-logs/testlog.json

With several logs (.ci/run: make check, make check-asan, make fuzz) the
line counts them all; each listed case is prefixed with its build
directory, and a log that is missing (its run never got to testing)
counts as one failure.
"""
import json
import os
import re
import sys

TAP_LINE = re.compile(r'^(ok|not ok)\b[^#]*(#\s*(SKIP|TODO)\b(.*))?',
                      re.IGNORECASE)


def count(path, prefix, skips, fails):
    """Add the results of one testlog.json; returns (passed, failed,
    skipped)."""
    passed = failed = skipped = 0
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            t = json.loads(line)
            name, result = t.get('name', '?'), t.get('result', 'ERROR')
            name = prefix + name
            out = t.get('stdout') or ''
            cases = [TAP_LINE.match(l) for l in out.splitlines()]
            cases = [m for m in cases if m]
            if cases:
                for m in cases:
                    if m.group(3) and m.group(3).upper() == 'SKIP':
                        skipped += 1
                        skips.append('%s: %s' % (name, m.group(4).strip()))
                    elif m.group(1) == 'ok':
                        passed += 1
                    else:
                        failed += 1
                        fails.append('%s: %s' % (name, m.group(0).strip()))
                if result not in ('OK', 'SKIP', 'EXPECTEDFAIL') and \
                        not any(m.group(1) == 'not ok' for m in cases):
                    failed += 1     # crashed or timed out after its cases
                    fails.append('%s: %s after its last case' % (name, result))
            elif result == 'OK':
                passed += 1
            elif result == 'SKIP':
                skipped += 1
                skips.append('%s: %s' % (name, out.strip().splitlines()[-1]
                                         if out.strip() else 'skipped'))
            else:
                failed += 1
                tail = out.strip().splitlines()[-1:] or ['no output']
                fails.append('%s: %s (%s)' % (name, result, tail[0]))
    return passed, failed, skipped


def build_dir(path):
    """build-asan/meson-logs/testlog.json -> build-asan"""
    parts = os.path.normpath(path).split(os.sep)
    if len(parts) >= 3 and parts[-2] == 'meson-logs':
        return parts[-3]
    return path


def main(paths):
    passed = failed = skipped = 0
    skips = []
    fails = []
    for path in paths:
        prefix = build_dir(path) + ': ' if len(paths) > 1 else ''
        if not os.path.exists(path):
            failed += 1
            fails.append('%s%s is missing: that run did not get to its '
                         'tests' % (prefix, path))
            continue
        p, f, s = count(path, prefix, skips, fails)
        passed += p
        failed += f
        skipped += s
    for s in skips:
        print('skipped: ' + s)
    for f in fails:
        print('failed: ' + f)
    line = '%d passed, %d failed' % (passed, failed)
    if skipped:
        line += ', %d skipped' % skipped
    print(line)


if __name__ == '__main__':
    main(sys.argv[1:] or ['build/meson-logs/testlog.json'])
