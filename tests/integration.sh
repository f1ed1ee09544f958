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
# With -n N every test runs N times; one failing run fails the test.  A
# test that repeats runs itself (the corpus_* tests: $STRESS runs, 20 by
# default) calls self_stress and runs once.
#
# Prints "ok NAME" or "FAIL NAME: reason" (plus an excerpt) per test,
# "skip NAME: reason" when a test cannot run here (a program not
# installed, no user namespaces), "ok NAME (skipped: ...)" when a part of
# it could not, and ends with "N passed, N failed"; exits 1 if any test
# failed.
#
# Where user namespaces are unavailable (a chroot, a seccomp filter that
# refuses CLONE_NEWUSER, user.max_user_namespaces=0), --sandbox translates
# pids after a notice on stderr: the tests that need the namespaces are
# skipped (need_userns), and expect_same compares stderr without that
# notice.  To run the suite so, as root (the kernel refuses user
# namespaces in a chroot):
#
#	unshare -m sh -c 'mount --rbind / /mnt &&
#	    exec chroot /mnt sh -c "cd $PWD && tests/integration.sh"'

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

# User namespaces, probed once: empty if the kernel gives them, else why
# not.  The kernel refuses them to a chrooted caller, which is how the
# suite is run without them (see need_userns).
USERNS_WHY=
if ! command -v unshare >/dev/null; then
	USERNS_WHY="no unshare(1) to probe user namespaces"
elif ! _e=$(unshare -U true 2>&1); then
	USERNS_WHY="no user namespaces (unshare -U: ${_e##*: })"
fi
# The sandbox's default epoch (SANDBOX_EPOCH), and the forms the tests
# expect it in; every test derives its times from these.
EPOCH=1735689600
EPOCH_DATE=$(date -u -d "@$EPOCH" +%F)			# 2025-01-01
EPOCH_DATE_C=$(date -u -d "@$EPOCH" '+%a %b %e %T UTC %Y')	# date(1)
EPOCH_ASCTIME=$(date -u -d "@$EPOCH" '+%a %b %e %T %Y')	# asctime(3)
EPOCH_YEAR=${EPOCH_DATE%%-*}

# What --sandbox says on stderr when it falls back to translated pids.
USERNS_NOTICE='isotrace: --sandbox: no user namespaces here; pids are translated call by call'

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
		cmp -s <(_err "$a") <(_err "$b") ||
		    fail "stderr of $b differs from $a" \
			"$(diff -u --label "$a" --label "$b" <(_err "$a") \
			    <(_err "$b") | head -n 15)"
	fi
}

# _err TAG: stderr of run TAG; without user namespaces, less the one
# notice of the fallback, which every --sandbox run prints then.
_err() {
	if [[ -n $USERNS_WHY ]]; then
		grep -vFx -- "$USERNS_NOTICE" "$W/$1.err"
	else
		cat "$W/$1.err"
	fi 2>/dev/null
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
# The trace with each call split into <unfinished ...> and <... resumed>
# halves made one line again (tests/join_trace.awk).
joined() { awk -f "$ROOT/tests/join_trace.awk" "${1:-$(trace_file)}"; }
bodies() { joined | sed -nE 's/^\[pid +[0-9]+\] //p'; }
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
	joined | sed -nE 's/^\[pid +([0-9]+)\] (.*)$/\1 \2/p' |
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

# Every line is a whole syscall line once the split halves are joined
# (each resumed half after an entry of the same call and thread; an entry
# left open only where its process ended); "--- ..." and "+++ ..." notes
# (as strace prints for signals and exits) are tolerated.  Run after each
# test that made a trace.
check_trace_format() {
	local f bad
	f=$(trace_file)
	[[ -s $f ]] || {
		fail "trace $f is empty or missing"
		return
	}
	bad=$(joined "$f" | grep -Evn -- '^(\[pid +[0-9]+\] )?([a-z_][a-z0-9_]*\(.*( = .+| <unfinished \.\.\.>)|(---|\+\+\+) .*)$' |
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

# expect_same_lines A B ERE: the lines matching ERE are the same in both.
expect_same_lines() {
	[[ $(grep -E -- "$3" "$W/$1.out") == "$(grep -E -- "$3" "$W/$2.out")" &&
	    -n $(grep -E -- "$3" "$W/$1.out") ]] ||
	    fail "$2: lines /$3/ differ from $1" \
		"$(diff <(grep -E -- "$3" "$W/$1.out") \
		    <(grep -E -- "$3" "$W/$2.out") | head -n 10)"
}

# expect_no_workers: no worker started by this suite outlives its run.
# Workers keep the working directory they were started in (under $T), which
# tells them from those of another suite running at the same time.
expect_no_workers() {
	local p left=
	for p in $(pgrep -f '^isotrace: worker'); do
		[[ $(readlink "/proc/$p/cwd" 2>/dev/null) == "$T"/* ]] &&
		    left+="$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) ($p)"$'\n'
	done
	[[ -z $left ]] || fail "workers left behind" "$left"
}

skip() { SKIP=$1; }		# REASON: the test cannot run here

# need_userns [PART]: the test, or only PART of it, needs user
# namespaces (the sandbox's own pid namespace, or `unshare -U` to make
# a change harmless).  Without them: false, and the test is skipped, or
# the part is and the ok line says so.
need_userns() {
	[[ -z $USERNS_WHY ]] && return 0
	if [[ -n ${1-} ]]; then
		[[ $PARTS == *"$1"* ]] || PARTS+="${PARTS:+, }$1"
	else
		skip "$USERNS_WHY"
	fi
	return 1
}

# self_stress: this test repeats its own runs STRESS times (or its own
# default when STRESS is 1): the loop below runs it only once.
self_stress() { ONCE=1; }

# ---------------------------------------------------------------------------
# Tests: each tests/it/*.sh defines t_NAME functions and adds the NAMEs to
# TESTS, in the order they run.

TESTS=()
for f in "$ROOT"/tests/it/*.sh; do
	. "$f"
done
# A t_NAME missing from TESTS would never run in the suite: refuse it.
for f in $(declare -F | sed -n 's/^declare -f t_//p'); do
	[[ " ${TESTS[*]} " == *" $f "* ]] || {
		echo "integration.sh: t_$f is not in TESTS" >&2
		exit 2
	}
done

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
		PARTS=
		ONCE=
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
		[[ -n $ONCE ]] && break
	done
	case $result in
	ok)
		if [[ -n $PARTS ]]; then
			echo "ok $name (skipped: $PARTS: $USERNS_WHY)"
		else
			echo "ok $name"
		fi
		passed=$((passed + 1))
		;;
	skip)
		echo "skip $name: $SKIP"
		;;
	fail)
		run=
		((STRESS > 1)) && [[ -z $ONCE ]] && run=" (run $i of $STRESS)"
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
