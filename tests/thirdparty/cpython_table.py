#!/usr/bin/env python3
"""cpython_table.py DIR MODULE...: the table of tests/thirdparty/cpython.sh.

Reads DIR/{native,sandbox}/MODULE.{xml,log,status} and prints, per module,
the tests run, the failures (failures and errors) of each mode and the
tests that fail only under the sandbox.  A run that left no JUnit file
(killed by its timeout, or crashed) is read from its -v log, and the test
it was in when it stopped counts as failed ("hung"); a test that ran
natively and not in the sandbox counts as failed there.  A module
whose run ended with a status other than its tests' verdict (0 when none
failed) gets a pseudo-test "<exit N>", so an exit status that differs
shows too.
"""

import os
import re
import sys
import xml.etree.ElementTree as ET

RESULT = re.compile(
    r'^(\w+) \((test\.[\w.]+)\)\n?(?:.*?)\.\.\. ?'
    r'(ok|FAIL|ERROR|skipped|expected failure|unexpected success)?',
    re.M | re.S)
START = re.compile(r'^(\w+) \((test\.[\w.]+)\)', re.M)
VERDICT = re.compile(r' \.\.\. ?(ok|FAIL|ERROR|skipped|expected failure|'
                     r'unexpected success)')


def from_xml(path):
    tests = {}
    for case in ET.parse(path).getroot().iter('testcase'):
        name = case.get('name')
        kids = {k.tag for k in case}
        if kids & {'failure', 'error'}:
            tests[name] = 'fail'
        elif 'skipped' in kids:
            tests[name] = 'skip'
        else:
            tests[name] = 'ok'
    return tests


def from_log(path):
    """Each test line, then the first verdict before the next test line."""
    with open(path, errors='replace') as f:
        text = f.read()
    tests = {}
    starts = list(START.finditer(text))
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        v = VERDICT.search(text, m.end(), end)
        if v is None:
            tests[m.group(2)] = 'hung' if i + 1 == len(starts) else 'fail'
        elif v.group(1) in ('ok', 'expected failure'):
            tests[m.group(2)] = 'ok'
        elif v.group(1) == 'skipped':
            tests[m.group(2)] = 'skip'
        else:
            tests[m.group(2)] = 'fail'
    return tests


def load(d, mode, mod):
    base = os.path.join(d, mode, mod)
    try:
        with open(base + '.status') as f:
            status, secs = (int(x) for x in f.read().split())
    except (OSError, ValueError):
        return None, None, None
    # The log has every test that started (regrtest writes no JUnit file
    # for a module that crashed or was killed); the JUnit file, when there
    # is one, has the exact verdicts.
    tests = from_log(base + '.log')
    if os.path.exists(base + '.xml'):
        try:
            tests.update(from_xml(base + '.xml'))
        except ET.ParseError:
            pass
    if status not in (124, 137):
        tests = {k: 'fail' if v == 'hung' else v for k, v in tests.items()}
    failed = any(v in ('fail', 'hung') for v in tests.values())
    if status == 124 or status == 137:
        tests['<timeout>'] = 'fail'
    elif status != (2 if failed else 0) and not (failed and status == 1):
        tests['<exit %d>' % status] = 'fail'
    return tests, status, secs


def short(name, mod):
    prefix = 'test.%s.' % mod
    return name[len(prefix):] if name.startswith(prefix) else name


def main():
    d, mods = sys.argv[1], sys.argv[2:]
    notes, totals, same, ran = [], [0, 0, 0, 0], 0, 0
    print('| module | tests | native failures | sandbox failures '
          '| failing only under --sandbox | seconds (native/sandbox) |')
    print('|---|---:|---:|---:|---:|---|')
    for mod in mods:
        nat, nst, nsec = load(d, 'native', mod)
        sb, sst, ssec = load(d, 'sandbox', mod)
        if nat is None or sb is None:
            print('| %s | not run | | | | |' % mod)
            continue
        bad = lambda r: {k for k, v in r.items() if v in ('fail', 'hung')}
        nf, sf = bad(nat), bad(sb)
        # A test that ran natively and not in the sandbox (the module
        # stopped or crashed first) failed there.
        unrun = sorted(k for k in nat if k not in sb and
                       not k.startswith('<'))
        sf |= set(unrun)
        only = sorted(sf - nf - set(unrun))
        ntests = len([k for k in nat if not k.startswith('<')])
        print('| %s | %d | %d | %d | %d | %d/%d |' % (
            mod, ntests, len(nf), len(sf), len(sf - nf), nsec, ssec))
        totals[0] += ntests
        totals[1] += len(nf)
        totals[2] += len(sf)
        totals[3] += len(sf - nf)
        ran += 1
        same += not (sf - nf)
        lines = ['- ' + short(n, mod) + (' (hung: killed by the timeout)'
                                         if sb.get(n) == 'hung' else '')
                 for n in only]
        if unrun:
            lines.append('- %d more not run (the run stopped)' % len(unrun))
        # A test that the sandbox makes skip is a divergence too, though
        # not a failure (a probe of the host that the sandbox changed).
        skip = sorted(k for k, v in nat.items()
                      if v == 'ok' and sb.get(k) == 'skip')
        if skip:
            lines.append('- skipped only under the sandbox: ' +
                         ', '.join(short(n, mod) for n in skip))
        gone = sorted(nf - sf)
        if gone:
            lines.append('- failing natively only: ' +
                         ', '.join(short(n, mod) for n in gone))
        if lines:
            notes.append('%s:\n\n%s' % (mod, '\n'.join(lines)))
    print('| **total** | %d | %d | %d | %d | |' % tuple(totals))
    print()
    print('%d of %d modules end as natively under the sandbox (no test failing '
          'only there, the same exit status).' % (same, ran))
    for n in notes:
        print()
        print(n)


if __name__ == '__main__':
    main()
