#!/usr/bin/env bash
#
# integration.sh: end-to-end tests of isotrace.
#
#	tests/integration.sh [-n STRESS] [TEST ...]
#
# Environment: ISOTRACE (default build/isotrace), PROGS (build/progs),
# TOOLS (build/tools), EXAMPLES (build/examples); relative paths are taken
# from the repository root.  KEEP=1 keeps the scratch directory.
#
# Every test runs a command natively and under isotrace and compares them
# (stdout, exit status, and stderr where it is deterministic), and proves
# that interception happened: exact decoded lines of a -v trace, or the
# visible effect of a tool (ittest, nonet).  Each run is wrapped in
# `timeout -k 1 1` (1 s); only the smoke_* tests, marked HEAVY, get 10 s.
# With -n N every test runs N times; one failing run fails the test.
#
# Prints "ok NAME" or "FAIL NAME: reason" (plus an excerpt) per test,
# "skip NAME: reason" when a smoke test's program is not installed, and
# ends with "N passed, N failed"; exits 1 if any test failed.

set -u
export LC_ALL=C

usage() {
	echo "usage: tests/integration.sh [-n STRESS] [TEST ...]" >&2
	exit 2
}

STRESS=1
while getopts n:h opt; do
	case $opt in
	n) STRESS=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
[[ $STRESS =~ ^[1-9][0-9]*$ ]] || usage

ROOT=$(cd "$(dirname "$0")/.." && pwd)
abspath() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s\n' "$ROOT/$1" ;;
	esac
}
ISOTRACE=$(abspath "${ISOTRACE:-build/isotrace}")
PROGS=$(abspath "${PROGS:-build/progs}")
TOOLS=$(abspath "${TOOLS:-build/tools}")
EXAMPLES=$(abspath "${EXAMPLES:-build/examples}")

ulimit -c 0			# signal tests must not leave cores around

T=$(mktemp -d "${TMPDIR:-/tmp}/isotrace-it.XXXXXX") || exit 2
cleanup() { [[ ${KEEP:-} == 1 ]] && echo "scratch kept in $T" || rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------
# Running things.  Each run is named by a TAG; its results are $W/TAG.out,
# $W/TAG.err and $W/TAG.rc.  $W is the scratch directory of the current
# test run and the working directory of every command.

LIMIT=1				# seconds; only HEAVY tests raise it
PIPE_OUT=			# non-empty: stdout goes through a pipe, not a file

_run() {			# TAG CMD [ARG...]
	local tag=$1
	shift
	# The group's 2>/dev/null swallows bash's "Killed"/"Terminated" notes.
	{
		if [[ -n $PIPE_OUT ]]; then
			(cd "$W" && exec timeout -k 1 "$LIMIT" "$@" \
			    <"${STDIN:-/dev/null}" 2>"$W/$tag.err") |
			    cat >"$W/$tag.out"
			echo "${PIPESTATUS[0]}" >"$W/$tag.rc"
		else
			(cd "$W" && exec timeout -k 1 "$LIMIT" "$@" \
			    <"${STDIN:-/dev/null}" >"$W/$tag.out" \
			    2>"$W/$tag.err")
			echo $? >"$W/$tag.rc"
		fi
	} 2>/dev/null
}
run_native()  { _run native "$@"; }
run_traced()  { _run traced "$ISOTRACE" -- "$@"; }
run_verbose() { _run verbose "$ISOTRACE" -v -o "$W/trace" -- "$@"; }
run_as()      { _run "$@"; }	# TAG CMD...: any other command line

rc()  { cat "$W/$1.rc" 2>/dev/null || echo none; }

# ---------------------------------------------------------------------------
# Assertions.  They record failures and carry on; the first reason is the
# one shown on the FAIL line.

FAILS=()
DETAILS=

fail() {			# REASON [DETAIL...]
	FAILS+=("$1")
	shift
	local d
	for d; do
		[[ -n $d ]] && DETAILS+="$d"$'\n'
	done
}

need() {			# FILE...: built artifacts the test uses
	local f
	for f; do
		[[ -x $f ]] || fail "missing $f (not built?)"
	done
	((${#FAILS[@]} == 0))
}

status_text() {			# TAG
	local r
	r=$(rc "$1")
	case $r in
	124) echo "124 (timed out)" ;;
	137) echo "137 (killed, maybe by timeout -k)" ;;
	*) echo "$r" ;;
	esac
}

# expect_same [-E] [A [B]]: runs A and B (native, traced) have the same
# exit status and stdout, and, unless -E, the same stderr.
expect_same() {
	local cmp_err=1
	if [[ ${1-} == -E ]]; then
		cmp_err=0
		shift
	fi
	local a=${1:-native} b=${2:-traced}
	[[ $(rc "$a") == "$(rc "$b")" ]] ||
	    fail "exit status: $b $(status_text "$b"), $a $(status_text "$a")" \
		"$(tail -n 5 "$W/$b.err" 2>/dev/null)"
	cmp -s "$W/$a.out" "$W/$b.out" ||
	    fail "stdout of $b differs from $a" \
		"$(diff -u --label "$a" --label "$b" "$W/$a.out" "$W/$b.out" |
		    head -n 15)"
	if ((cmp_err)); then
		cmp -s "$W/$a.err" "$W/$b.err" ||
		    fail "stderr of $b differs from $a" \
			"$(diff -u --label "$a" --label "$b" "$W/$a.err" \
			    "$W/$b.err" | head -n 15)"
	fi
}

expect_status() {		# TAG N
	[[ $(rc "$1") == "$2" ]] ||
	    fail "$1: exit status $(status_text "$1"), expected $2" \
		"$(tail -n 5 "$W/$1.err" 2>/dev/null)"
}

expect_out() {			# TAG TEXT: stdout is exactly TEXT
	[[ $(cat "$W/$1.out") == "$2" ]] ||
	    fail "$1: unexpected stdout" \
		"$(diff -u --label expected --label "$1" <(printf '%s\n' "$2") \
		    "$W/$1.out" | head -n 15)"
}

# expect_grep TAG out|err ERE: some line of that output matches ERE;
# expect_fixed is the same with an exact whole line.
expect_grep() {
	grep -Eq -- "$3" "$W/$1.$2" ||
	    fail "$1: no $2 line matches /$3/" "$(head -n 5 "$W/$1.$2")"
}
expect_fixed() {
	grep -Fxq -- "$3" "$W/$1.$2" ||
	    fail "$1: no $2 line is '$3'" "$(head -n 5 "$W/$1.$2")"
}
expect_no_grep() {
	! grep -Eq -- "$3" "$W/$1.$2" ||
	    fail "$1: a $2 line matches /$3/" "$(grep -E -- "$3" "$W/$1.$2" |
		head -n 3)"
}

# The trace: "[pid TID] name(args) = result" lines in $TRACE (default
# $W/trace).  Patterns are matched against the text after "[pid TID] ".
trace_file() { echo "${TRACE:-$W/trace}"; }
bodies() { sed -nE 's/^\[pid +[0-9]+\] //p' "$(trace_file)"; }
# Lines of the same syscall as the pattern, to show what was there.
near() {
	local name
	name=$(sed -nE 's/^\^?\\?\(?([a-z_0-9|]+).*/\1/p' <<<"$1")
	bodies | grep -E -- "^($name)\(" | head -n 5
}

expect_line() {			# LINE: the trace has exactly this line
	bodies | grep -Fxq -- "$1" ||
	    fail "trace lacks line: $1" "$(near "$1")"
}

expect_match() {		# ERE [MIN]: at least MIN lines (1) match
	local n
	n=$(bodies | grep -Ec -- "$1")
	((n >= ${2:-1})) ||
	    fail "trace has $n lines matching /$1/, expected >= ${2:-1}" \
		"$(near "$1")"
}

expect_count() {		# ERE N: exactly N lines match
	local n
	n=$(bodies | grep -Ec -- "$1")
	((n == $2)) ||
	    fail "trace has $n lines matching /$1/, expected $2" "$(near "$1")"
}

# tids [ERE]: the distinct TIDs (of lines matching ERE), one per line.
tids() {
	sed -nE 's/^\[pid +([0-9]+)\] (.*)$/\1 \2/p' "$(trace_file)" |
	    { if [[ -n ${1-} ]]; then grep -E -- "^[0-9]+ ${1#^}"; else cat; fi; } |
	    cut -d' ' -f1 | sort -u
}
expect_tids() {			# N [ERE]: at least N distinct TIDs
	local n
	n=$(tids "${2-}" | wc -l)
	((n >= $1)) ||
	    fail "trace shows $n threads${2:+ doing /$2/}, expected >= $1"
}
expect_tids_exact() {		# N ERE: exactly N distinct TIDs do ERE
	local n
	n=$(tids "$2" | wc -l)
	((n == $1)) || fail "trace shows $n threads doing /$2/, expected $1"
}

# Every line is a whole syscall line; "--- ..." and "+++ ..." notes (as
# strace prints for signals and exits) are tolerated.  Run after each test
# that made a trace.
check_trace_format() {
	local f bad
	f=$(trace_file)
	[[ -s $f ]] || {
		fail "trace $f is empty or missing"
		return
	}
	bad=$(grep -Evn -- '^(\[pid +[0-9]+\] )?([a-z_][a-z0-9_]*\(.*\) = .+|(---|\+\+\+) .*)$' "$f" |
	    head -n 5)
	[[ -z $bad ]] || fail "malformed trace lines" "$bad"
}

# cstr STRING: STRING as isotrace prints it: C-quoted, \n \t \" \\ and \ooo
# escapes, cut at 32 bytes with "..." after the closing quote.
cstr() {
	local s=$1 out='' c i lim=${#1}
	((lim > 32)) && lim=32
	for ((i = 0; i < lim; i++)); do
		c=${s:i:1}
		case $c in
		$'\n') out+='\n' ;;
		$'\t') out+='\t' ;;
		'"') out+='\"' ;;
		'\') out+='\\' ;;
		[[:print:]]) out+=$c ;;
		*) printf -v c '\\%03o' "'$c"; out+=$c ;;
		esac
	done
	out="\"$out\""
	((${#s} > 32)) && out+=...
	printf '%s' "$out"
}

# ere TEXT: TEXT with ERE metacharacters escaped.
ere() { sed 's/[][\.*^$?+(){}|]/\\&/g' <<<"$1"; }

# path_re PREFIX: an ERE for a quoted path starting with PREFIX, whether it
# is printed whole or cut at 32 bytes.
path_re() { printf '"%s[^"]*"(\\.\\.\\.)?' "$(ere "${1:0:32}")"; }

# wline FD TEXT: the trace line of a complete write(FD, TEXT).
wline() { printf 'write(%s, %s, %d) = %d' "$1" "$(cstr "$2")" "${#2}" "${#2}"; }

# ---------------------------------------------------------------------------
# Tests.  t_NAME for each NAME in TESTS.

t_echo() {
	run_native echo hello world
	run_traced echo hello world
	expect_same
	run_verbose echo hello world
	expect_same native verbose
	expect_line 'write(1, "hello world\n", 12) = 12'
	expect_line 'exit_group(0) = ?'
}

t_verbose_stderr() {		# -v without -o: the trace goes to stderr
	run_native echo hi
	run_as vstderr "$ISOTRACE" -v -- echo hi
	expect_same -E native vstderr
	TRACE=$W/vstderr.err
	expect_line 'write(1, "hi\n", 3) = 3'
	expect_line 'exit_group(0) = ?'
	check_trace_format
	run_as vlong "$ISOTRACE" --verbose -- echo hi
	expect_same -E native vlong
	TRACE=$W/vlong.err
	expect_line 'write(1, "hi\n", 3) = 3'
	TRACE=
}

t_cat() {			# escapes and the 32-byte cut
	# to a pipe, cat has to read() and write() (to a file it may use
	# copy_file_range)
	local PIPE_OUT=1
	printf 'a\tb"c\\d\001e\n%s\n' xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx \
	    >"$W/in"		# 51 bytes
	run_native cat "$W/in"
	run_traced cat "$W/in"
	expect_same
	run_verbose cat "$W/in"
	expect_same native verbose
	expect_match "^openat\\(AT_FDCWD, $(path_re "$W/in"), O_RDONLY\\) = [0-9]+\$"
	expect_match '^read\([0-9]+, "a\\tb\\"c\\\\d\\(001|1)e\\nx{22}"\.\.\., [0-9]+\) = 51$'
	expect_match '^write\(1, "a\\tb\\"c\\\\d\\(001|1)e\\nx{22}"\.\.\., 51\) = 51$'
	expect_line 'exit_group(0) = ?'
}

t_cat_passwd() {
	local PIPE_OUT=1
	run_native cat /etc/passwd
	run_traced cat /etc/passwd
	expect_same
	run_verbose cat /etc/passwd
	expect_same native verbose
	expect_match '^openat\(AT_FDCWD, "/etc/passwd", O_RDONLY\) = [0-9]+$'
	expect_line "$(wline 1 "$(cat /etc/passwd)"$'\n')"
}

t_date() {			# time moves: compare the shape, not the value
	local a b
	run_native date -u +%s
	run_traced date -u +%s
	expect_status native 0
	expect_status traced 0
	a=$(cat "$W/native.out")
	b=$(cat "$W/traced.out")
	if [[ $a =~ ^[0-9]+$ && $b =~ ^[0-9]+$ ]]; then
		((b - a >= 0 && b - a <= 2)) ||
		    fail "date +%s: native $a, traced $b"
	else
		fail "date +%s printed '$a' / '$b'"
	fi
	run_as native2 date -u
	run_as traced2 "$ISOTRACE" -- date -u
	[[ $(tr 0-9 0 <"$W/native2.out") == "$(tr 0-9 0 <"$W/traced2.out")" ]] ||
	    fail "date output shape differs" "$(cat "$W/native2.out" \
		"$W/traced2.out")"
	expect_status traced2 0
	run_verbose date -u
	expect_status verbose 0
	# The vDSO is disabled under isotrace, so the clock is a real syscall.
	expect_match '^(clock_gettime|gettimeofday|time)\('
}

t_exit0() {
	need "$PROGS/exitcode" || return
	run_native "$PROGS/exitcode" 0
	run_traced "$PROGS/exitcode" 0
	expect_same
	expect_status traced 0
	run_verbose "$PROGS/exitcode" 0
	expect_same native verbose
	expect_line 'exit_group(0) = ?'
}

t_exit3() {
	need "$PROGS/exitcode" || return
	run_native "$PROGS/exitcode" 3
	run_traced "$PROGS/exitcode" 3
	expect_same
	expect_status traced 3
	run_verbose "$PROGS/exitcode" 3
	expect_same native verbose
	expect_line 'exit_group(3) = ?'
}

t_exit126() {			# a file without execute permission
	printf '#!/bin/sh\necho should not run\n' >"$W/noexec"
	chmod 644 "$W/noexec"
	run_native env "$W/noexec"
	run_traced "$W/noexec"
	expect_status native 126
	expect_status traced 126
	expect_no_grep traced out 'should not run'
	expect_grep traced err "^isotrace: .*noexec.*(Permission denied|not executable)"
}

t_exit127() {
	run_native env nosuchcmd
	run_traced nosuchcmd
	expect_status native 127
	expect_status traced 127
	expect_fixed traced err 'isotrace: nosuchcmd: command not found'
	run_as traced2 "$ISOTRACE" -- /nonexistent/cmd
	expect_status traced2 127
	expect_grep traced2 err '^isotrace: /nonexistent/cmd: '
}

t_signal_term() {		# 128 + 15
	need "$PROGS/exitcode" || return
	run_native "$PROGS/exitcode" -s TERM
	run_traced "$PROGS/exitcode" -s TERM
	expect_same
	expect_status traced 143
	run_verbose "$PROGS/exitcode" -s TERM
	expect_same native verbose
	expect_line "$(wline 2 $'exitcode: raising signal 15\n')"
	expect_match '^tgkill\([0-9]+, [0-9]+, (SIGTERM|15)\) = 0$'
}

t_signal_kill() {		# 128 + 9
	need "$PROGS/exitcode" || return
	run_native "$PROGS/exitcode" -s KILL
	run_traced "$PROGS/exitcode" -s KILL
	expect_same
	expect_status traced 137
	run_verbose "$PROGS/exitcode" -s KILL
	expect_same native verbose
	expect_line "$(wline 2 $'exitcode: raising signal 9\n')"
}

t_segv() {			# a real fault: 128 + 11
	need "$PROGS/exitcode" || return
	run_native "$PROGS/exitcode" -f
	run_traced "$PROGS/exitcode" -f
	expect_same
	expect_status traced 139
	run_verbose "$PROGS/exitcode" -f
	expect_same native verbose
	expect_line "$(wline 2 $'exitcode: about to fault\n')"
}

# The CLI's own behaviour; nothing is traced (the command must not run).
t_usage125() {
	run_as badepoch "$ISOTRACE" --sandbox --epoch yesterday -- echo ran
	expect_status badepoch 125
	expect_grep badepoch err '^isotrace: --epoch yesterday: '
	expect_no_grep badepoch out 'ran'
	run_as badopt "$ISOTRACE" --no-such-option echo ran
	expect_status badopt 125
	expect_grep badopt err '^([^ ]*/)?isotrace: '	# getopt may use argv[0]
	expect_no_grep badopt out 'ran'
	run_as noarg "$ISOTRACE" -o
	expect_status noarg 125
	run_as nocmd "$ISOTRACE"
	expect_status nocmd 125
}

t_help() {
	local u='isotrace [-hVv] [--sandbox] [--verify] [--epoch time] [--seed n] [--uid uid] [-o file] [--] command [args ...]'
	run_as help "$ISOTRACE" --help
	expect_status help 0
	grep -Fq -- "$u" "$W/help.out" || fail "--help: no usage line on stdout" \
	    "$(head -n 3 "$W/help.out" "$W/help.err")"
	run_as h "$ISOTRACE" -h
	expect_status h 0
	expect_same -E help h
}

t_version() {
	run_as version "$ISOTRACE" --version
	expect_status version 0
	expect_grep version out 'isotrace.*[0-9]+\.[0-9]+'
	run_as V "$ISOTRACE" -V
	expect_status V 0
	expect_same -E version V
}

t_futex() {
	need "$PROGS/futex" || return
	run_native "$PROGS/futex"
	run_traced "$PROGS/futex"
	expect_same
	expect_out traced $'mutex: 8 threads x 10000: counter 80000\ncondvar: 1000 rounds: ping 1000 pong 1000'
	run_verbose "$PROGS/futex" 4 2000 200
	expect_status verbose 0
	expect_out verbose $'mutex: 4 threads x 2000: counter 8000\ncondvar: 200 rounds: ping 200 pong 200'
	expect_match '^futex\(0x[0-9a-f]+, '
	expect_tids 7			# main, 4 incrementers, 2 players
}

t_jobctl() {
	need "$PROGS/jobctl" || return
	run_native "$PROGS/jobctl"
	run_traced "$PROGS/jobctl"
	expect_same
	run_verbose "$PROGS/jobctl"
	expect_same native verbose
	expect_match '^kill\([0-9]+, (SIGSTOP|19)\) = 0$' 2
	expect_match '^kill\([0-9]+, (SIGCONT|18)\) = 0$' 2
	expect_match '^wait4\([0-9]+, ' 9
	expect_tids 5			# the parent and its 4 children
}

t_thread_exec() {
	need "$PROGS/thread_exec" || return
	run_native "$PROGS/thread_exec"
	run_traced "$PROGS/thread_exec"
	expect_same
	expect_out traced $'before exec\npid preserved: yes\nthreads after exec: 1\nexec from thread ok'
	run_verbose "$PROGS/thread_exec"
	expect_same native verbose
	expect_match '^execve\("/proc/self/exe", .*\) = 0$'
	# the new image is traced too
	expect_line "$(wline 1 $'pid preserved: yes\nthreads after exec: 1\nexec from thread ok\n')"
	expect_line 'exit_group(0) = ?'
}

t_badptr() {			# isotrace survives, results are native
	need "$PROGS/badptr" || return
	run_native "$PROGS/badptr"
	run_traced "$PROGS/badptr"
	expect_same
	run_verbose "$PROGS/badptr"
	expect_same native verbose
	expect_count ' = -1 EFAULT \(Bad address\)$' 15
	expect_line 'write(1, 0x8, 10) = -1 EFAULT (Bad address)'
	expect_line 'openat(AT_FDCWD, NULL, O_RDONLY) = -1 EFAULT (Bad address)'
	expect_match '^openat\(AT_FDCWD, [^,]+, O_RDONLY\) = -1 EFAULT \(Bad address\)$' 4
	expect_match '^write\([0-9]+, [^,]+, 100\) = 100$' 2
	expect_line 'write(1, "ok\n", 3) = 3'
}

t_forks() {
	need "$PROGS/forks" || return
	run_native "$PROGS/forks"
	run_traced "$PROGS/forks"
	expect_same
	run_verbose "$PROGS/forks"
	expect_same native verbose
	expect_match '^vfork\(\) = [0-9]+$' 2
	expect_match '^execve\("/bin/true", .*\) = 0$'
	expect_match '^execve\("/bin/echo", .*\) = 0$'
	expect_line "$(wline 1 $'vfork child: hello\n')"
	expect_line "$(wline 1 $'clone child: hello\n')"
	expect_match '^exit\(5\) = \?$'		# the CLONE_VM child
	expect_line 'exit_group(3) = ?'		# nested level 3
	expect_line 'exit_group(4) = ?'		# child of the thread
	expect_tids 10
}

t_files() {
	need "$PROGS/files" || return
	TMPDIR=$W run_native "$PROGS/files"
	TMPDIR=$W run_traced "$PROGS/files"
	expect_same
	expect_status traced 0
	TMPDIR=$W run_verbose "$PROGS/files"
	expect_same native verbose
	compgen -G "$W/files.*" >/dev/null && fail "files.* left behind in \$TMPDIR"
	local d
	d=$(path_re "$W/files.")
	expect_match "^mkdir\\($d, 0?700\\) = 0\$"
	expect_match "^openat\\(AT_FDCWD, $d, O_WRONLY\\|O_CREAT\\|O_EXCL, 0?644\\) = [0-9]+\$"
	expect_match "^rename\\($d, $d\\) = 0\$"
	expect_match "^readlink\\($d, \"two\", 64\\) = 3\$"
	expect_match '^getdents64\([0-9]+, '
	expect_match "^rmdir\\($d\\) = 0\$" 2
	expect_match "^newfstatat\\(AT_FDCWD, $d, .*\\) = -1 ENOENT \\(No such file or directory\\)\$" 2
}

t_signals() {
	need "$PROGS/signals" || return
	run_native "$PROGS/signals"
	run_traced "$PROGS/signals"
	expect_same
	run_verbose "$PROGS/signals"
	expect_same native verbose
	expect_match '^rt_sigaction\((SIGUSR1|10), ' 
	expect_match '^tgkill\([0-9]+, [0-9]+, (SIGUSR1|10)\) = 0$' 4
	expect_match '^rt_sigreturn\(' 7
	expect_match '^pause\(\) = '
	expect_match '^setitimer\('
}

t_pipes() {
	need "$PROGS/pipes" || return
	run_native "$PROGS/pipes"
	run_traced "$PROGS/pipes"
	expect_same
	run_verbose "$PROGS/pipes"
	expect_same native verbose
	expect_match '^dup2\([0-9]+, 1\) = 1$'
	expect_line "$(wline 1 $'hello through a pipe\n')"
	expect_match '^write\([0-9]+, "x", 1\) = -1 EPIPE \(Broken pipe\)$' 2
	expect_match '^poll\(.*\) = 0( .*)?$'
}

t_bash_pipeline() {
	local script='ls / | wc -l; sleep 0.2 & wait; exit 3'
	run_native bash -c "$script"
	run_traced bash -c "$script"
	expect_same
	expect_status traced 3
	run_verbose bash -c "$script"
	expect_same native verbose
	expect_match '^execve\("[^"]*/ls", .*\) = 0$'
	expect_match '^execve\("[^"]*/wc", .*\) = 0$'
	expect_match '^execve\("[^"]*/sleep", .*\) = 0$'
	expect_match '^wait4\('
	expect_line 'exit_group(3) = ?'
	expect_tids 4
}

t_getppid_loop() {
	need "$PROGS/getppid_loop" || return
	run_native "$PROGS/getppid_loop" 5000
	run_traced "$PROGS/getppid_loop" 5000
	expect_same
	expect_out traced 'done'
	run_verbose "$PROGS/getppid_loop" 2000
	expect_out verbose 'done'
	expect_count '^getppid\(\) = [0-9]+$' 2000
}

t_writers() {
	need "$PROGS/writers" || return
	run_native "$PROGS/writers" 4 1000
	run_traced "$PROGS/writers" 4 1000
	expect_same
	expect_out traced 'done'
	run_verbose "$PROGS/writers" 4 200
	expect_out verbose 'done'
	local w='^write\([0-9]+, "x{32}"\.\.\., 64\) = 64$'
	expect_count "$w" 800
	expect_tids_exact 4 "$w"
}

t_verbose_devfull() {		# the trace cannot be written
	run_native sh -c 'echo out; exit 3'
	run_as devfull "$ISOTRACE" -v -o /dev/full -- sh -c 'echo out; exit 3'
	expect_same -E native devfull
	expect_status devfull 3
	expect_grep devfull err '^isotrace: '
	local n
	n=$(wc -l <"$W/devfull.err")
	((n <= 3)) || fail "devfull: $n lines of warnings, expected one" \
	    "$(head -n 3 "$W/devfull.err")"
}

t_ittest() {			# the test tool's handlers ran
	need "$PROGS/idcheck" "$TOOLS/ittest" || return
	run_native "$PROGS/idcheck"
	run_traced "$PROGS/idcheck"
	run_as ittest "$TOOLS/ittest" -- "$PROGS/idcheck"
	expect_status native 0
	expect_status traced 0
	expect_status ittest 0
	expect_fixed native out "nodename $(uname -n)"
	expect_fixed native out "getuid $(id -u)"
	expect_fixed native out 'getuid==getpid no'
	# plain isotrace changes nothing (getppid differs: isotrace is the parent)
	[[ $(grep -v '^getppid ' "$W/native.out") == "$(grep -v '^getppid ' "$W/traced.out")" ]] ||
	    fail "idcheck under isotrace differs from native" \
		"$(diff "$W/native.out" "$W/traced.out")"
	expect_fixed ittest out 'getppid 4242'
	expect_fixed ittest out 'nodename isotrace-test'
	expect_fixed ittest out 'getuid==getpid yes'
	expect_fixed native out 'umask 777'
	expect_fixed ittest out 'umask 022'
	expect_fixed ittest out "getgid $(id -g)"
	expect_fixed native out "getgid $(id -g)"
	expect_no_grep ittest out "^getuid $(id -u)\$"
}

t_nonet() {			# the example tool denies AF_INET/AF_INET6
	need "$PROGS/sock" "$EXAMPLES/nonet" || return
	run_native "$PROGS/sock"
	run_traced "$PROGS/sock"
	expect_same
	run_as nonet "$EXAMPLES/nonet" -- "$PROGS/sock"
	expect_status nonet 0
	expect_out nonet "$(sed -e 's/^\(AF_INET6\{0,1\}\): .*/\1: -1 EACCES/' \
	    "$W/native.out")"
	expect_fixed nonet out 'AF_INET: -1 EACCES'
	expect_fixed nonet err 'nonet: open /dev/null'
}

# --- smoke tests: real programs.  HEAVY: 10 s limit instead of 1 s. ---------

PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)

skip() { SKIP=$1; }

t_smoke_python_threads() {	# HEAVY
	[[ -n $PY ]] || { skip "no python3"; return; }
	local LIMIT=10
	cat >"$W/threads.py" <<'EOF'
import queue, threading
lock = threading.Lock()
sums = {}
def work(i):
    s = sum(k * k % 7 for k in range(i * 20000, (i + 1) * 20000))
    with lock:
        sums[i] = s
ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]
for t in ts: t.start()
for t in ts: t.join()
print("threads", len(sums), "total", sum(sums.values()))
q1, q2 = queue.Queue(), queue.Queue()
def pong():
    for _ in range(200): q2.put(q1.get() + 1)
p = threading.Thread(target=pong); p.start()
v = 0
for _ in range(200):
    q1.put(v); v = q2.get()
p.join()
print("ping-pong", v)
EOF
	run_native "$PY" "$W/threads.py"
	run_traced "$PY" "$W/threads.py"
	expect_same
	expect_out traced $'threads 8 total 319998\nping-pong 200'
	run_verbose "$PY" "$W/threads.py"
	expect_same native verbose
	expect_match '^futex\(0x[0-9a-f]+, '
	expect_match '^clone3?\('
	expect_tids 10
}

t_smoke_python_nonet() {	# HEAVY
	[[ -n $PY ]] || { skip "no python3"; return; }
	need "$EXAMPLES/nonet" || return
	local LIMIT=10
	local code='import socket
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    print("socket ok")
except PermissionError as e:
    print("PermissionError", e.errno)'
	run_native "$PY" -c "$code"
	expect_out native 'socket ok'
	run_as nonet "$EXAMPLES/nonet" -- "$PY" -c "$code"
	expect_status nonet 0
	expect_out nonet 'PermissionError 13'
	expect_grep nonet err '^nonet: open /.*\.py'
	run_as nonet2 "$EXAMPLES/nonet" -- "$PY" -c 'import socket; socket.socket()'
	expect_status nonet2 1
	expect_grep nonet2 err '^PermissionError: '
}

t_smoke_sqlite() {		# HEAVY
	command -v sqlite3 >/dev/null || { skip "no sqlite3"; return; }
	local LIMIT=10
	local sql='create table t(x integer);
with recursive c(i) as (select 1 union all select i + 1 from c where i < 1000)
insert into t select i from c;
select count(*), sum(x) from t;
begin; update t set x = x * 2; commit;
select sum(x) from t;'
	run_native sqlite3 "$W/native.db" "$sql"
	run_traced sqlite3 "$W/traced.db" "$sql"
	expect_same
	expect_out traced $'1000|500500\n1001000'
	run_verbose sqlite3 "$W/verbose.db" "$sql"
	expect_same native verbose
	expect_match "^openat\\(AT_FDCWD, $(path_re "$W/verbose.db"), O_RDWR\\|O_CREAT"
	expect_match '^pwrite64\('
	expect_match '^(fsync|fdatasync)\('
}

t_smoke_make() {		# HEAVY: make + gcc on a two-file project
	local gcc as
	gcc=$(command -v gcc) && as=$(command -v as) && command -v make >/dev/null ||
	    { skip "no make/gcc"; return; }
	local LIMIT=10 d
	for d in n t v; do
		mkdir "$W/$d"
		printf 'CC = gcc\nhello: main.o util.o\n\t$(CC) -o $@ main.o util.o\n%%.o: %%.c util.h\n\t$(CC) -O2 -c $<\n' \
		    >"$W/$d/Makefile"
		printf 'int answer(void);\n' >"$W/$d/util.h"
		printf '#include "util.h"\nint answer(void) { return 6 * 7; }\n' \
		    >"$W/$d/util.c"
		printf '#include <stdio.h>\n#include "util.h"\nint main(void) { printf("hello %%d\\n", answer()); return 0; }\n' \
		    >"$W/$d/main.c"
	done
	run_native make -j2 -s --no-print-directory -C "$W/n"
	run_traced make -j2 -s --no-print-directory -C "$W/t"
	expect_same
	run_verbose make -j2 -s --no-print-directory -C "$W/v"
	expect_same native verbose
	run_as hello_n "$W/n/hello"
	run_as hello_t "$W/t/hello"
	run_as hello_v "$W/v/hello"
	expect_out hello_n 'hello 42'
	expect_same hello_n hello_t
	expect_same hello_n hello_v
	expect_match "^execve\\($(path_re "$gcc"), .*\\) = 0\$" 3
	expect_match "^execve\\($(path_re "$as"), .*\\) = 0\$" 2
	expect_tids 8
}


# --- one worker per process ------------------------------------------------

t_workers_tracerpid() {		# each new process has a tracer of its own
	need "$PROGS/tracerpid" || return
	run_native "$PROGS/tracerpid"
	run_traced "$PROGS/tracerpid"
	expect_status traced 0
	expect_fixed native out 'fork: traced=no other-tracer=no'
	expect_out traced 'fork: traced=yes other-tracer=yes
vfork+exec: traced=yes other-tracer=yes
clone(CLONE_VM): traced=yes other-tracer=yes
posix_spawn: traced=yes other-tracer=yes
grandchild: traced=yes other-tracer=yes'
}

# The traced script prints how its victim child ended, then carries on.
crash_script='"$1" 4 200000; echo "victim $?"; "$2"; echo "sibling $?"'

t_workers_crash_injected() {	# a worker dies: only its process goes
	need "$PROGS/writers" "$PROGS/futex" || return
	run_native bash -c "$crash_script" sh "$PROGS/writers" "$PROGS/futex"
	ISOTRACE_CRASH=writers:1 run_traced bash -c "$crash_script" sh \
	    "$PROGS/writers" "$PROGS/futex"
	expect_status traced 0
	expect_fixed native out 'victim 0'
	expect_fixed traced out 'victim 137'
	expect_same_lines native traced '^(mutex|condvar|sibling)'
	expect_grep traced err '^isotrace: worker for pid [0-9]+ \(writers\) died \(SIGSEGV\); process killed$'
	expect_no_workers
}

t_workers_garbage() {		# a worker that talks nonsense is dropped
	need "$PROGS/writers" "$PROGS/futex" || return
	run_native bash -c "$crash_script" sh "$PROGS/writers" "$PROGS/futex"
	ISOTRACE_CRASH=writers:1:garbage run_traced bash -c "$crash_script" sh \
	    "$PROGS/writers" "$PROGS/futex"
	expect_status traced 0
	expect_fixed traced out 'victim 137'
	expect_same_lines native traced '^(mutex|condvar|sibling)'
	expect_grep traced err '^isotrace: worker [0-9]+ \(pid [0-9]+\): Bad message; dropped$'
	expect_no_workers
}

t_workers_crash_killed() {	# SIGKILL from outside to one worker
	need "$PROGS/futex" || return
	# shellcheck disable=SC2016
	local script='sleep 5 & v=$!
for i in $(seq 200); do
	w=$(pgrep -f "^isotrace: worker $v ") && break
	sleep 0.005
done
kill -9 $w; wait $v; echo "victim $?"; "$1"; echo "sibling $?"'
	run_traced bash -c "$script" sh "$PROGS/futex"
	run_native "$PROGS/futex"
	expect_status traced 0
	expect_fixed traced out 'victim 137'
	expect_fixed traced out 'sibling 0'
	expect_same_lines native traced '^(mutex|condvar)'
	expect_grep traced err '^isotrace: worker for pid [0-9]+ \((bash|sleep)\) died \(SIGKILL\); process killed$'
	expect_no_workers
}

# expect_same_lines A B ERE: the lines matching ERE are the same in both.
expect_same_lines() {
	[[ $(grep -E -- "$3" "$W/$1.out") == "$(grep -E -- "$3" "$W/$2.out")" &&
	    -n $(grep -E -- "$3" "$W/$1.out") ]] ||
	    fail "$2: lines /$3/ differ from $1" \
		"$(diff <(grep -E -- "$3" "$W/$1.out") \
		    <(grep -E -- "$3" "$W/$2.out") | head -n 10)"
}

expect_no_workers() {		# nothing of isotrace outlives it
	local left
	left=$(pgrep -fa '^isotrace: worker' || true)
	[[ -z $left ]] || fail "workers left behind" "$left"
}

t_workers_supervisor_killed() {	# no tracee runs on without isotrace
	"$ISOTRACE" -- bash -c 'sleep 0.4; echo survived >"$1"' sh "$W/flag" \
	    </dev/null >/dev/null 2>&1 &
	local sup=$!
	sleep 0.15
	kill -9 "$sup"
	wait "$sup" 2>/dev/null
	sleep 0.5
	[[ ! -e $W/flag ]] || fail "a tracee ran on after the supervisor died"
	expect_no_workers
}

t_workers_sigterm() {		# SIGTERM to isotrace reaches the command
	need "$PROGS/exitcode" || return
	"$ISOTRACE" -- bash -c 'trap "echo got TERM; exit 9" TERM; sleep 0.5 & wait' \
	    </dev/null >"$W/term.out" 2>"$W/term.err" &
	local sup=$!
	sleep 0.2
	kill -TERM "$sup"
	wait "$sup"
	echo $? >"$W/term.rc"
	expect_status term 9
	expect_out term 'got TERM'
	expect_no_workers
}

t_workers_scale_loop() {	# HEAVY: 1000 processes, nothing leaks
	local LIMIT=20
	# shellcheck disable=SC2016
	local script='sup=$(ps -o ppid= $PPID)
for i in $(seq 1000); do
	/bin/true
	[ $i = 10 ] && a=$(ls /proc/$sup/fd | wc -l)
done
echo "fds after 10: $a, after 1000: $(ls /proc/$sup/fd | wc -l)"
echo "zombies: $(ps --ppid $sup -o stat= | grep -c Z)"'
	run_traced bash -c "$script"
	expect_status traced 0
	# Workers end asynchronously, so one or two may still be open; a leak
	# would show as hundreds.
	local a b
	read -r a b < <(sed -nE 's/^fds after 10: ([0-9]+), after 1000: ([0-9]+)$/\1 \2/p' \
	    "$W/traced.out")
	[[ -n $a && -n $b ]] && ((b <= a + 2)) ||
	    fail "supervisor fds grow: $(cat "$W/traced.out")"
	expect_grep traced out '^zombies: [0-2]$'
	expect_no_workers
	run_native bash -c 'seq 200 | xargs -P8 -n1 echo | sort -n'
	run_as xargs "$ISOTRACE" -- bash -c 'seq 200 | xargs -P8 -n1 echo | sort -n'
	expect_same native xargs
	expect_no_workers
}

t_workers_sqlite_multi() {	# HEAVY: 4 processes write one database
	command -v sqlite3 >/dev/null || { skip "no sqlite3"; return; }
	local LIMIT=10
	# shellcheck disable=SC2016
	local script='sqlite3 m.db "create table t(w, i)"
for w in 1 2 3 4; do
	for i in $(seq 10); do echo "insert into t values($w, $i);"; done |
	    sqlite3 -cmd ".timeout 5000" m.db &
done
wait
sqlite3 m.db "select w, count(*), sum(i) from t group by w"
rm -f m.db; echo done'
	run_native bash -c "$script"
	run_traced bash -c "$script"
	expect_same
	expect_out traced $'1|10|55\n2|10|55\n3|10|55\n4|10|55\ndone'
	run_verbose bash -c "$script"
	expect_same native verbose
	expect_match '^pwrite64\('
	expect_match '^(fsync|fdatasync)\('
	expect_match '^unlink\(".*/m\.db-journal"\) = 0$'
	expect_tids 6
}

# --- --sandbox ---------------------------------------------------------------

t_sandbox_random_gen() {	# two sandboxed runs print the same bytes
	need "$PROGS/random_gen" || return
	run_native "$PROGS/random_gen"
	run_as sb1 "$ISOTRACE" --sandbox -- "$PROGS/random_gen"
	run_as sb2 "$ISOTRACE" --sandbox -- "$PROGS/random_gen"
	expect_status sb1 0
	expect_same_lines sb1 sb2 '^(at_random|parent|child|after|time|tsc|uid|nodename|mtime|heap) '
	expect_grep sb2 out "^$(grep '^heap' "$W/sb1.out" | cut -d' ' -f1-2) stack "
	# ASLR is off; the initial stack pointer still moves by up to 16
	# bytes now and then (see the man page's CAVEATS)
	local s1 s2
	s1=$(sed -n 's/^heap .* stack 0x//p' "$W/sb1.out")
	s2=$(sed -n 's/^heap .* stack 0x//p' "$W/sb2.out")
	[[ -n $s1 && -n $s2 ]] && (( (0x$s1 - 0x$s2) <= 16 && (0x$s2 - 0x$s1) <= 16 )) ||
	    fail "stack addresses far apart: $s1 $s2"
	expect_fixed sb1 out 'time 946684800'
	expect_grep sb1 out '^tsc 946684800000[0-9]{6} 946684800000[0-9]{6}$'
	expect_fixed sb1 out 'uid 0 gid 0 euid 0'
	expect_fixed sb1 out 'nodename sandbox'
	expect_fixed sb1 out 'mtime 946684800'
	expect_grep sb1 out '^parent realtime 946684800\.0000[0-9]+ monotonic 100\.0000'
	expect_grep sb1 out '^heap 0x5555[0-9a-f]+ stack 0x7ff'
	# each source of difference really was replaced
	local k
	for k in at_random parent child time tsc heap; do
		[[ $(grep "^$k " "$W/native.out") != "$(grep "^$k " "$W/sb1.out")" ]] ||
		    fail "$k: the sandbox printed the native value"
	done
	# options change the stream, the clock and the identity
	run_as seed "$ISOTRACE" --sandbox --seed 7 -- "$PROGS/random_gen"
	[[ $(grep '^parent [0-9a-f]' "$W/seed.out") != "$(grep '^parent [0-9a-f]' "$W/sb1.out")" ]] ||
	    fail "--seed 7 gave the stream of seed 0"
	run_as opts "$ISOTRACE" --sandbox --epoch 2020-02-29T12:00:00 \
	    --uid 1234 -- "$PROGS/random_gen"
	expect_fixed opts out 'time 1582977600'
	expect_fixed opts out 'uid 1234 gid 1234 euid 1234'
	expect_fixed opts out 'mtime 1582977600'
	run_as verbose "$ISOTRACE" --sandbox -v -o "$W/trace" -- "$PROGS/random_gen"
	# (the stack address can move by 16 bytes between runs: see the
	# man page's CAVEATS)
	expect_same_lines sb1 verbose '^(at_random|parent|child|after|time|tsc|uid|nodename|mtime) '
	expect_match '^getrandom\(".*", 16, 0\) = 16$' 3
	expect_match '^clock_gettime\(CLOCK_REALTIME, 0x[0-9a-f]+\) = 0$' 3
}

t_sandbox_programs() {		# HEAVY: real programs, twice each
	local LIMIT=5 i
	# shellcheck disable=SC2016
	local script='date; uname -a; id -u
stat -c "%y %s %n" /etc/hostname; ls -l --full-time /etc/hostname
mktemp -u; printf "a\nb\nc\nd\ne\n" | sort -R | tr "\n" " "; echo
awk "BEGIN { srand(); print rand() }"
od -An -N16 -tx1 /dev/urandom; head -c 100000 /dev/random | cksum
cat /proc/sys/kernel/random/uuid /proc/sys/kernel/random/boot_id
sqlite3 :memory: "select random()"
python3 -c "import random, time, uuid, tempfile, os
t = time.time(); time.sleep(2); print(\"slept\", round(time.time() - t, 3))
print(random.random(), time.time(), uuid.uuid4(), hash(\"abc\"))
print(os.path.basename(tempfile.mkdtemp(dir=\"$1\")))"'
	for i in 1 2; do
		mkdir "$W/tmp$i"
		run_as "run$i" "$ISOTRACE" --sandbox -- bash -c "$script" sh \
		    "$W/tmp$i"
	done
	expect_status run1 0
	expect_same run1 run2
	expect_fixed run1 out 'Sat Jan  1 00:00:00 UTC 2000'
	expect_grep run1 out '^Linux sandbox '
	expect_grep run1 out '^( [0-9a-f]{2}){16}$'
	expect_no_grep run1 out '^( 00){16}$'
	expect_fixed run1 out '00000000-0000-4000-8000-000000000000'
	expect_grep run1 out '^2000-01-01 00:00:00\.000000000 \+0000 [0-9]+ /etc/hostname$'
	# the sleep of 2 s took no time (LIMIT) and moved the clock by 2 s
	expect_grep run1 out '^slept 2\.0[0-9]*$'
	expect_grep run1 out '^0\.[0-9]+ 94668480[0-9]\.[0-9]+ [0-9a-f-]{36} -?[0-9]+$'
}

t_sandbox_verify() {		# two runs compared, the first one's output kept
	need "$PROGS/random_gen" || return
	local LIMIT=3
	printf 'line one\nline two\n' >"$W/input"
	STDIN=$W/input run_as same "$ISOTRACE" --verify -- bash -c \
	    'cat; "$1" | grep -v "^heap"; mktemp' sh "$PROGS/random_gen"
	expect_status same 0
	expect_grep same out '^line two$'
	expect_grep same out '^time 946684800$'
	expect_fixed same err 'isotrace: verify: deterministic'
	# pids are not virtual yet: $$ differs between the runs
	run_as differ "$ISOTRACE" --verify -- bash -c 'echo "pid $$"'
	expect_status differ 1
	expect_grep differ err "^isotrace: verify: stdout differs at byte [4-9]: run 1 has 0x3[0-9] '[0-9]', run 2 has 0x3[0-9] '[0-9]'\$"
	[[ -z $(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'isotrace-verify.*' \
	    -newer "$W/input" 2>/dev/null) ]] || fail "verify left its directory"
}

t_sandbox_exit_race() {		# exit_group while threads are in injections
	need "$PROGS/urandom_race" || return
	local i
	for i in 1 2 3 4 5; do
		run_as "race$i" "$ISOTRACE" --sandbox -- "$PROGS/urandom_race"
		expect_status "race$i" 0
		expect_out "race$i" 'exiting'
	done
}

t_sandbox_jobctl() {		# wait statuses and job control still hold
	need "$PROGS/jobctl" "$PROGS/forks" || return
	run_native "$PROGS/jobctl"
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/jobctl"
	expect_same native sb
	run_as fn "$PROGS/forks"
	run_as fsb "$ISOTRACE" --sandbox -- "$PROGS/forks"
	expect_same fn fsb
}

TESTS=(
	echo verbose_stderr cat cat_passwd date
	exit0 exit3 exit126 exit127 signal_term signal_kill segv
	usage125 help version
	futex jobctl thread_exec badptr forks files signals pipes
	bash_pipeline getppid_loop writers verbose_devfull
	ittest nonet
	workers_tracerpid workers_crash_injected workers_garbage
	workers_crash_killed
	workers_supervisor_killed workers_sigterm
	workers_scale_loop workers_sqlite_multi
	sandbox_random_gen sandbox_programs sandbox_verify sandbox_exit_race
	sandbox_jobctl
	smoke_python_threads smoke_python_nonet smoke_sqlite smoke_make
)

# ---------------------------------------------------------------------------

if (($#)); then
	for name; do
		declare -F "t_$name" >/dev/null || {
			echo "no test $name" >&2
			exit 2
		}
	done
	TESTS=("$@")
fi

[[ -x $ISOTRACE ]] || echo "warning: $ISOTRACE is not built" >&2

passed=0
failed=0
for name in "${TESTS[@]}"; do
	result=ok
	for ((i = 1; i <= STRESS; i++)); do
		W=$T/$name.$i
		mkdir -p "$W"
		FAILS=()
		DETAILS=
		SKIP=
		TRACE=
		LIMIT=1
		"t_$name"
		[[ -n $SKIP ]] && { result=skip; break; }
		[[ -e $W/trace ]] && check_trace_format
		if ((${#FAILS[@]})); then
			result=fail
			break
		fi
		rm -rf "$W"
	done
	case $result in
	ok)
		echo "ok $name"
		passed=$((passed + 1))
		;;
	skip)
		echo "skip $name: $SKIP"
		;;
	fail)
		run=
		((STRESS > 1)) && run=" (run $i of $STRESS)"
		more=
		((${#FAILS[@]} > 1)) && more=" (+$((${#FAILS[@]} - 1)) more)"
		echo "FAIL $name$run: ${FAILS[0]}$more"
		printf '%s' "$DETAILS" | head -n 20 | sed 's/^/    /'
		for f in "${FAILS[@]:1:4}"; do
			echo "    - $f"
		done
		failed=$((failed + 1))
		;;
	esac
done

echo "$passed passed, $failed failed"
((failed == 0))
