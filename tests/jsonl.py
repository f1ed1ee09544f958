#!/usr/bin/env python3
"""jsonl.py: check isotrace --json output (JSON lines) with Python's json.

    tests/jsonl.py show JSON_FILE
    tests/jsonl.py same TEXT_FILE JSON_FILE [LEAVE_OUT]

Every line of JSON_FILE must be one JSON object of the schema in
isotrace(1), JSON OUTPUT: the keys each type must have, of the right JSON
types, and no others.  A violation is printed with its line number and
makes the exit status 1.

show prints each object again, keys sorted, without what differs between
runs ("time", "duration"); "pid" and "tid" become "P" and, for a thread
other than the process's first, "T".

same rebuilds the text line of each object ("name(arg, ...) = retval",
"--- SIGCHLD {...} ---", "+++ exited with 0 +++"...) and compares them
with TEXT_FILE, the --verbose trace of another run of the same command
under --sandbox: both are normalised as tests/oracle.py does it
(addresses and clock readings masked, the tracing prefixes' real tids
named) and must be equal as multisets.  The pids inside the lines are the
sandbox's virtual ones, the same in both runs, and stay as they are: a
real tid may equal one of them by chance.  Lines that match the regular
expression LEAVE_OUT are left out of both: what the two runs' thread
schedules decide (whether pthread_join found its thread gone or waited
for it in futex) is not the same on every run.
"""
import collections
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import oracle  # noqa: E402

NUMBER = (int, float)
HEAD = {'type': str, 'pid': int, 'tid': int, 'time': NUMBER}
TYPES = {
    'syscall': ({'nr': int, 'name': str, 'args': dict, 'retval': str},
                {'result': int, 'errno': str, 'error': str,
                 'duration': NUMBER}),
    'signal': ({'signal': str, 'signo': int}, {'siginfo': str}),
    'stop': ({'signal': str, 'signo': int}, {}),
    'exit': ({'status': int}, {}),
    'killed': ({'signal': str, 'signo': int, 'core_dumped': bool}, {}),
    'summary': ({'time': NUMBER, 'syscalls': list, 'total': dict}, {}),
}


def is_a(v, t):
    return isinstance(v, t) and not (t is int and isinstance(v, bool)) \
        and not (t == NUMBER and isinstance(v, bool))


def problems(o):
    """What is wrong with object o, as a list of texts."""
    if not isinstance(o, dict):
        return ['not an object']
    kind = o.get('type')
    if kind not in TYPES:
        return ['unknown type %r' % (kind,)]
    must, may = TYPES[kind]
    if kind != 'summary':
        must = dict(HEAD, **must)
    out = []
    for k, t in must.items():
        if k not in o:
            out.append('%s: no "%s"' % (kind, k))
        elif not is_a(o[k], t):
            out.append('%s: "%s" is %r' % (kind, k, o[k]))
    for k in o:
        if k in may and not is_a(o[k], may[k]):
            out.append('%s: "%s" is %r' % (kind, k, o[k]))
        elif k not in must and k not in may and k != 'type':
            out.append('%s: unknown key "%s"' % (kind, k))
    if kind == 'syscall':
        out += syscall_problems(o)
    if 'time' in o and is_a(o['time'], NUMBER) and o['time'] < 1e9:
        out.append('time %r is not seconds since 1970' % o['time'])
    return out


def syscall_problems(o):
    out = []
    if not all(isinstance(v, str) for v in o.get('args', {}).values()):
        out.append('syscall: an argument is not a string')
    returned = o.get('retval') != '?'
    if returned != ('result' in o) or returned != ('duration' in o):
        out.append('syscall: "result" and "duration" go with a retval '
                   'other than "?"')
    r = o.get('result')
    failed = isinstance(r, int) and -4095 <= r < 0
    if failed != ('errno' in o) or failed != ('error' in o):
        out.append('syscall: "errno" and "error" go with a failure')
    if o.get('duration', 0) < 0:
        out.append('syscall: negative duration')
    return out


def load(path):
    objs, bad = [], []
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            try:
                o = json.loads(line)
            except ValueError as e:
                bad.append('%s:%d: not JSON (%s): %s' % (path, n, e,
                                                         line[:200]))
                continue
            bad += ['%s:%d: %s' % (path, n, p) for p in problems(o)]
            objs.append(o)
    return objs, bad


def rebuild(o):
    """The --verbose line body of object o."""
    kind = o['type']
    if kind == 'syscall':
        return '%s(%s) = %s' % (o['name'], ', '.join(o['args'].values()),
                                o['retval'])
    if kind == 'signal':
        info = ' ' + o['siginfo'] if 'siginfo' in o else ''
        return '--- %s%s ---' % (o['signal'], info)
    if kind == 'stop':
        return '--- stopped by %s ---' % o['signal']
    if kind == 'exit':
        return '+++ exited with %d +++' % o['status']
    if kind == 'killed':
        core = ' (core dumped)' if o['core_dumped'] else ''
        return '+++ killed by %s%s +++' % (o['signal'], core)
    return None


def text_lines(path):
    # A call split into <unfinished ...> and <... resumed> halves is one
    # JSON object: join the halves.
    return oracle.normalise(oracle.parse(path, oracle.PREFIX_ISO, exits=True),
                            rename=False)


def json_lines(objs):
    by_pid = {}
    for o in objs:
        body = rebuild(o)
        if body is not None:
            by_pid.setdefault(o['tid'], []).append(body)
    return oracle.normalise(by_pid, rename=False)


def show(objs):
    for o in objs:
        o = {k: v for k, v in o.items() if k not in ('time', 'duration')}
        if 'pid' in o:
            o['tid'] = 'P' if o['tid'] == o['pid'] else 'T'
            o['pid'] = 'P'
        print(json.dumps(o, sort_keys=True))


def same(text_path, objs, leave_out=None):
    keep = (lambda line: True) if leave_out is None else \
        (lambda line: not re.search(leave_out, line))
    want = collections.Counter(l for l in text_lines(text_path) if keep(l))
    got = collections.Counter(l for l in json_lines(objs) if keep(l))
    for line in sorted((want - got).elements()):
        print('- text: ' + line)
    for line in sorted((got - want).elements()):
        print('+ json: ' + line)
    print('jsonl: %d text lines, %d objects rebuilt, %s'
          % (sum(want.values()), sum(got.values()),
             'the same' if want == got else 'they differ'))
    return want == got


def main(argv):
    if len(argv) == 3 and argv[1] == 'show':
        objs, bad = load(argv[2])
        show(objs)
    elif len(argv) in (4, 5) and argv[1] == 'same':
        objs, bad = load(argv[3])
        if not same(argv[2], objs, argv[4] if len(argv) == 5 else None):
            bad.append('jsonl: the rebuilt lines differ from the text')
    else:
        sys.stderr.write(__doc__.split('\n\n')[1] + '\n')
        return 2
    for b in bad[:20]:
        print(b)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
