#!/usr/bin/env python3
"""oracle.py: compare an isotrace --verbose trace with strace's.

    tests/oracle.py [-v] STRACE_FILE ISOTRACE_FILE [MIN_RATE MIN_SYSCALLS]

STRACE_FILE is the output of `strace -f -qq -o FILE cmd`, ISOTRACE_FILE
that of `isotrace --verbose -o FILE cmd` for the same command.  Both are
brought to one notation and then compared line by line:

  - line prefixes: strace's "PID " and isotrace's "[pid PID] " go;
  - strace and isotrace split a call that another process interrupted
    into "<unfinished ...>" and "<... name resumed>"; the halves are
    joined again;
  - each process's lines are kept together, processes in the order of
    their pids (how two processes interleave depends on the scheduler);
  - pids are renamed P1, P2... in increasing order, wherever they occur;
  - what really differs between two runs is masked: addresses (hex of 8
    digits or more), clock readings (tv_nsec, tv_usec, epoch seconds and
    dates, seconds of 1000 and more, times(), rusage, timer values), ephemeral ports, free block
    and inode counts of a file system;
  - the "+++ exited" lines isotrace prints go (strace -qq omits them),
    and so do the pids of the tracer and its process group, seen by the
    first process as its parent and its group (getppid, getpgrp, getpgid);
  - the padding strace puts before " = " (its column depends on the
    pid's width) is dropped.

Nothing else is touched: an argument decoded differently is a different
line.  The lines are matched with difflib (order matters, but one extra
or missing line does not shift every following line into a mismatch),
and the agreement rate is matched lines / strace's lines.

Prints the rate, the number of distinct syscalls strace saw, and every
line that differs; exits 1 if the rate is below MIN_RATE (percent) or
fewer than MIN_SYSCALLS distinct syscalls were seen.
"""
import difflib
import re
import sys

PREFIX_STRACE = re.compile(r'^(\d+) +(.*)$')
PREFIX_ISO = re.compile(r'^\[pid +(\d+)\] (.*)$')
UNFINISHED = re.compile(r'^(.*?) ?<unfinished \.\.\.>$')
RESUMED = re.compile(r'^<\.\.\. [a-z0-9_]+ resumed>(.*)$')
SUPERSEDED = re.compile(r'^\+\+\+ superseded by execve in pid (\d+) \+\+\+$')

MASKS = [
    (re.compile(r'0x[0-9a-f]{8,}'), 'ADDR'),
    (re.compile(r'(tv_nsec|tv_usec)=\d+'), r'\1=N'),
    (re.compile(r'\b1[5-9]\d{8}\b'), 'EPOCH'),
    (re.compile(r'tv_sec=\d{4,}'), 'tv_sec=N'),
    (re.compile(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?[+-]\d{4}'),
     'DATE'),
    (re.compile(r'(sin6?_port=htons\()([1-9]\d{3,})\)'), r'\1PORT)'),
    (re.compile(r'(f_bfree|f_bavail|f_ffree)=\d+'), r'\1=N'),
    (re.compile(r'(si_utime|si_stime)=\d+( /\* [0-9.]+ s \*/)?'), r'\1=N'),
    (re.compile(r'^(times\(.*\) = )\d+$'), r'\1N'),
    (re.compile(r'(it_value=\{tv_sec=)\d+'), r'\1N'),
    # -y, -yy: inode numbers of pipes, sockets and anonymous files.
    (re.compile(r'(:\[|->)\d{3,}(?=[\],]|->)'), r'\1INO'),
    (re.compile(r'((?:\d+\.\d+\.\d+\.\d+|\])):[1-9]\d{3,}(?=[\]-])'),
     r'\1:PORT'),
]


def parse(path, prefix, exits=False):
    """Lines by pid, the unfinished/resumed halves joined; the "+++"
    lines of process ends only if exits."""
    by_pid = {}
    pending = {}
    with open(path, errors='replace') as f:
        for raw in f:
            m = prefix.match(raw.rstrip('\n'))
            if m is None:
                continue
            pid, body = int(m.group(1)), m.group(2)
            s = SUPERSEDED.match(body)
            if s is not None and int(s.group(1)) in pending:
                # The exec'ing thread's call resumes under the leader's pid.
                pending[pid] = pending.pop(int(s.group(1)))
            u = UNFINISHED.match(body)
            if u is not None:
                pending[pid] = u.group(1)
                continue
            r = RESUMED.match(body)
            if r is not None:
                body = pending.pop(pid, '') + r.group(1)
            if body.startswith('+++ ') and not exits:
                continue        # strace -qq does not print exits
            by_pid.setdefault(pid, []).append(body)
    for pid, head in pending.items():
        by_pid.setdefault(pid, []).append(head + ') = ?')
    return by_pid


CHILD = re.compile(r'^(?:clone3?|fork|vfork)\(.*\) = (\d+)$')


def normalise(by_pid, rename=True):
    # A child that never made a call of its own is known by its creator's
    # result.  rename=False: the lines already show pids that do not vary
    # between runs (virtual ones, under --sandbox); only the tracing
    # prefixes' real ones are named, and never replaced inside a line,
    # where a real pid may happen to equal a virtual one.
    pids = set(by_pid)
    for bodies in by_pid.values() if rename else ():
        for body in bodies:
            m = CHILD.match(body)
            if m is not None:
                pids.add(int(m.group(1)))
    pids = sorted(pids)
    names = {str(p): 'P%d' % (k + 1) for k, p in enumerate(pids)}
    pid_re = re.compile(r'\b(' + '|'.join(map(str, pids)) + r')\b') \
        if pids and rename else None
    out = []
    for p in pids:
        for body in by_pid.get(p, []):
            body = re.sub(r'\) +(= [^=]*)$', r') \1', body)
            for rx, rep in MASKS:
                body = rx.sub(rep, body)
            if pid_re is not None:
                body = pid_re.sub(lambda m: names[m.group(1)], body)
            # The first process's parent is strace or isotrace itself, and
            # its process group that of whoever started the tracer.
            body = re.sub(r'^((?:getppid|getpgrp|getpgid)\(.*\) = )\d+$',
                          r'\1OUTSIDE', body)
            out.append('%s %s' % (names[str(p)], body))
    return out


def syscall_name(line):
    m = re.match(r'^P\d+ ([a-z_][a-z0-9_]*)\(', line)
    return m.group(1) if m else None


def main(argv):
    verbose = argv[1:2] == ['-v']
    if verbose:
        argv = argv[1:]
    if len(argv) not in (3, 5):
        sys.stderr.write(__doc__.split('\n\n')[1] + '\n')
        return 2
    ref = normalise(parse(argv[1], PREFIX_STRACE))
    got = normalise(parse(argv[2], PREFIX_ISO))
    min_rate = float(argv[3]) if len(argv) == 5 else 0
    min_sys = int(argv[4]) if len(argv) == 5 else 0

    sm = difflib.SequenceMatcher(None, ref, got, autojunk=False)
    same = sum(b.size for b in sm.get_matching_blocks())
    rate = 100.0 * same / len(ref) if ref else 0.0
    names = {n for n in map(syscall_name, ref) if n}
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == 'equal':
            continue
        for line in ref[i1:i2]:
            print('- strace:   ' + line)
        for line in got[j1:j2]:
            print('+ isotrace: ' + line)
    if verbose:
        print(' '.join(sorted(names)))
    print('oracle: %d of %d strace lines identical (%.1f%%), '
          '%d isotrace lines, %d distinct syscalls'
          % (same, len(ref), rate, len(got), len(names)))
    if rate < min_rate or len(names) < min_sys:
        print('oracle: below the bar (%.0f%%, %d syscalls)'
              % (min_rate, min_sys))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
