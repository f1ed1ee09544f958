#!/usr/bin/env bash
#
# isotrace benchmark: run by `make bench`.
#
# usage: bench/bench.sh [workload ...]
#
# Each workload is timed with one hyperfine invocation in seven modes:
#	native		CMD
#	isotrace	$ISOTRACE CMD			(passthru: traps ~nothing)
#	strace -f	strace -f -qq -o /dev/null CMD
#	isotrace -v	$ISOTRACE --verbose -o /dev/null CMD	(traps all)
#	sandbox		$ISOTRACE --sandbox CMD
#	det		$ISOTRACE --sandbox --schedule=deterministic CMD
#			(one thread of the run at a time, one clock; not
#			run on loopback, which shows FAIL there)
#	-e openat	$ISOTRACE -e trace=openat -o /dev/null CMD
#			(traps openat only; the bar: at most 1.3x native)
# and a table of medians is printed at the end.  A mode whose command
# fails (non-zero exit, missing program, timeout) shows FAIL.
#
# Workloads (names usable as arguments to run a subset):
#	getppid	N_GETPPID getppid() calls through syscall(2)	(200000)
#	tar	sh -c 'tar cf - -C / usr/include | cat >/dev/null'
#	bash	a bash loop running /bin/true 300 times
#	python	python3 -c 'sum(i*i for i in range(3_000_000))'
#	sqlite	N_SQLITE single-row INSERTs (autocommit) into a temp db (20000)
#	gcc	gcc -O2 -c of a generated 2000-line C file (bench/gen_c.sh)
#	writers	4 threads x N_WRITES 64-byte write()s to /dev/null (50000)
#	loopback	N_LOOPBACK MiB through a TCP connection on 127.0.0.1
#		between two processes (bench/loopback.c) (1024)
#	fork	N_FORK forks, each timed from the fork to the child's first
#		instruction, then reaped (bench/forkfirst.c) (500): the
#		cost of a hand-off to a new worker
#
# Environment:
#	ISOTRACE	the isotrace binary (build/isotrace)
#	BUILD		build directory; workloads go to $BUILD/bench (build)
#	RUNS		timed runs per mode, after 1 warmup run (5)
#	TIMEOUT		seconds allowed per workload, all modes (120*(RUNS+1))
#	N_GETPPID, N_SQLITE, N_WRITES, N_LOOPBACK, N_FORK
#			workload sizes (see above)
#
# Nothing is left behind but the compiled workloads in $BUILD/bench.

set -u

prog=bench.sh
ISOTRACE=${ISOTRACE:-build/isotrace}
BUILD=${BUILD:-build}
RUNS=${RUNS:-5}
N_GETPPID=${N_GETPPID:-200000}
N_SQLITE=${N_SQLITE:-20000}
N_WRITES=${N_WRITES:-50000}
N_LOOPBACK=${N_LOOPBACK:-1024}
N_FORK=${N_FORK:-500}
N_THREADS=4
N_TRUE=300
ALL_WORKLOADS="getppid tar bash python sqlite gcc writers loopback fork"

warn() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { warn "$@"; exit 1; }

isnum() { case $1 in '' | *[!0-9]*) return 1 ;; esac; }

for v in RUNS N_GETPPID N_SQLITE N_WRITES N_LOOPBACK N_FORK; do
	isnum "${!v}" || die "$v must be a non-negative integer: ${!v}"
done
[ "$RUNS" -ge 1 ] || die "RUNS must be at least 1"
TIMEOUT=${TIMEOUT:-$((120 * (RUNS + 1)))}
if ! isnum "$TIMEOUT" || [ "$TIMEOUT" -lt 1 ]; then
	die "bad TIMEOUT: $TIMEOUT"
fi

workloads=${*:-$ALL_WORKLOADS}
for w in $workloads; do
	case " $ALL_WORKLOADS " in
	*" $w "*) ;;
	*) die "unknown workload '$w' (one of: $ALL_WORKLOADS)" ;;
	esac
done

command -v hyperfine >/dev/null ||
	die "hyperfine not found (apt-get install hyperfine)"
command -v timeout >/dev/null || die "timeout(1) not found"

# The JSON reader: python3 (stdlib json), else jq.
if command -v python3 >/dev/null && python3 -c 'import json' 2>/dev/null; then
	json_tool=python3
elif command -v jq >/dev/null; then
	json_tool=jq
else
	die "need python3 or jq to read hyperfine's JSON"
fi

srcdir=$(cd "$(dirname "$0")" && pwd) || die "cannot find bench sources"

# Absolute path of a program: as given if it has a slash, else from PATH.
abspath() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*/*) printf '%s/%s\n' "$PWD" "$1" ;;
	*) command -v -- "$1" ;;
	esac
}

iso=$(abspath "$ISOTRACE") || iso=
have_iso=false
if [ -n "$iso" ] && [ -f "$iso" ] && [ -x "$iso" ]; then
	have_iso=true
else
	warn "isotrace binary '$ISOTRACE' not found or not executable;" \
	    "its columns will read FAIL (run make first)"
fi
have_strace=false
if command -v strace >/dev/null; then
	have_strace=true
else
	warn "strace not found; its column will read FAIL"
fi

mkdir -p "$BUILD/bench" || die "cannot create $BUILD/bench"
bdir=$(cd "$BUILD/bench" && pwd) || die "cannot enter $BUILD/bench"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/isotrace-bench.XXXXXX") ||
	die "cannot create a temporary directory"
tpid=
cleanup() {
	if [ -n "$tpid" ]; then
		# timeout(1) passes the signal on to hyperfine's whole
		# process group, the benchmarked commands included.
		kill -TERM "$tpid" 2>/dev/null
		wait "$tpid" 2>/dev/null
		tpid=
	fi
	rm -rf -- "$tmp"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# Whatever the workloads put in TMPDIR (gcc's temporaries) is ours too.
export TMPDIR=$tmp

# Quotes one word for hyperfine -N (which splits a command line with
# POSIX shell quoting rules).
q() {
	case $1 in
	'' | *[!A-Za-z0-9_./=:,+@%-]*)
		printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")" ;;
	*) printf '%s' "$1" ;;
	esac
}
cmdline() {
	local out='' a
	for a; do
		out+="${out:+ }$(q "$a")"
	done
	printf '%s' "$out"
}

# The medians of modes "$@" in hyperfine's JSON file $1, tab-separated,
# FAIL for a mode that is absent or exited non-zero in any run.
medians() {
	local json=$1 m out='' v
	shift
	if [ "$json_tool" = python3 ]; then
		python3 - "$json" "$@" <<'EOF'
import json, sys
try:
    with open(sys.argv[1]) as f:
        results = json.load(f)["results"]
except (OSError, ValueError, KeyError, TypeError):
    results = []
by = {r.get("command"): r for r in results}
out = []
for mode in sys.argv[2:]:
    r = by.get(mode)
    if r is None or r.get("median") is None or \
       any(c != 0 for c in (r.get("exit_codes") or [])):
        out.append("FAIL")
    else:
        out.append(repr(float(r["median"])))
print("\t".join(out))
EOF
		return
	fi
	for m; do
		v=$(jq -r --arg m "$m" '
		    [.results[]? | select(.command == $m)][0]
		    | if . == null or .median == null then "FAIL"
		      elif ((.exit_codes // []) | any(. != 0)) then "FAIL"
		      else .median | tostring end' "$json" 2>/dev/null) ||
			v=FAIL
		out+="${out:+	}${v:-FAIL}"
	done
	printf '%s\n' "$out"
}

# --- workloads: set name, cmd, prepare (or return 1 if unavailable) ---

compile() {	# compile NAME: $srcdir/NAME.c -> $bdir/NAME
	gcc -O2 -pthread -o "$bdir/$1" "$srcdir/$1.c" ||
		{ warn "cannot compile $srcdir/$1.c"; return 1; }
}

setup_getppid() {
	name="getppid x$N_GETPPID"
	compile getppid || return 1
	cmd=$(cmdline "$bdir/getppid" "$N_GETPPID")
}

setup_tar() {
	name="tar /usr/include | cat"
	[ -d /usr/include ] || { warn "no /usr/include"; return 1; }
	cmd=$(cmdline sh -c 'tar cf - -C / usr/include | cat >/dev/null')
}

setup_bash() {
	name="bash: $N_TRUE x /bin/true"
	command -v bash >/dev/null || return 1
	cmd=$(cmdline bash -c \
	    "i=0; while [ \$i -lt $N_TRUE ]; do /bin/true; i=\$((i + 1)); done")
}

setup_python() {
	local py
	name="python3 sum(i*i) 3M"
	# The interpreter itself, not a wrapper such as a pyenv shim.
	py=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
	if [ -z "$py" ] || [ ! -x "$py" ]; then
		warn "python3 not found"
		return 1
	fi
	cmd=$(cmdline "$py" -c 'sum(i*i for i in range(3_000_000))')
}

setup_sqlite() {
	local sqlite db
	name="sqlite3: $N_SQLITE inserts"
	sqlite=$(command -v sqlite3) || { warn "sqlite3 not found"; return 1; }
	db=$tmp/bench.db
	# Autocommit inserts, so every row is a transaction that writes its
	# pages (the row, the index, the trigger's counter); exclusive
	# locking and an in-memory journal keep that to ~3 syscalls a row.
	# About 0.25 s natively.
	{
		echo 'PRAGMA locking_mode=EXCLUSIVE;'
		echo 'PRAGMA journal_mode=MEMORY;'
		echo 'PRAGMA synchronous=OFF;'
		echo 'CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT, v REAL);'
		echo 'CREATE INDEX t_name ON t(name);'
		echo 'CREATE TABLE s(n INTEGER, total REAL);'
		echo 'INSERT INTO s VALUES(0, 0);'
		echo 'CREATE TRIGGER t_count AFTER INSERT ON t BEGIN'
		echo '    UPDATE s SET n = n + 1, total = total + new.v; END;'
		awk -v n="$N_SQLITE" 'BEGIN {
			for (i = 1; i <= n; i++)
				printf "INSERT INTO t(name, v) " \
				    "VALUES(\047row-%d-%x\047, %d.5);\n",
				    i, (i * 2654435761) % 4294967296, i
		}'
	} >"$tmp/inserts.sql" || return 1
	prepare=$(cmdline rm -f "$db" "$db-journal")
	cmd=$(cmdline "$sqlite" "$db" ".read '$tmp/inserts.sql'")
}

setup_gcc() {
	name="gcc -O2 -c 2000 lines"
	command -v gcc >/dev/null || return 1
	sh "$srcdir/gen_c.sh" >"$tmp/gen2000.c" || return 1
	cmd=$(cmdline gcc -O2 -c "$tmp/gen2000.c" -o "$tmp/gen2000.o")
}

setup_writers() {
	name="$N_THREADS threads x $N_WRITES writes"
	compile writers || return 1
	cmd=$(cmdline "$bdir/writers" "$N_THREADS" "$N_WRITES")
}

setup_loopback() {
	name="loopback TCP: $N_LOOPBACK MiB"
	compile loopback || return 1
	cmd=$(cmdline "$bdir/loopback" "$N_LOOPBACK")
}

setup_fork() {
	name="fork to first insn x$N_FORK"
	compile forkfirst || return 1
	cmd=$(cmdline "$bdir/forkfirst" "$N_FORK")
}

# --- header ---

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null |
    head -n 1)
isover=FAIL
$have_iso && isover=$("$iso" -V 2>/dev/null | head -n 1)
echo "isotrace benchmark"
echo "date:      $(date '+%Y-%m-%d %H:%M:%S %z')"
echo "kernel:    $(uname -r)"
echo "cpu:       ${cpu:-unknown} ($(nproc) CPUs online)"
echo "isotrace:  ${iso:-$ISOTRACE} (${isover:-no version})"
echo "strace:    $(strace -V 2>/dev/null | head -n 1)"
echo "hyperfine: $(hyperfine --version)"
echo "runs:      $RUNS per mode after 1 warmup; times are medians"
echo

# --- runs ---

modes="native isotrace strace isotrace-v sandbox filter det"
rows=$tmp/rows
: >"$rows"
start=$SECONDS
# shellcheck disable=SC2086
set -- $workloads
nw=$#
i=0
for w in $workloads; do
	i=$((i + 1))
	name=$w cmd='' prepare=''
	if ! "setup_$w"; then
		warn "$name: not available"
		printf '%s\tFAIL\tFAIL\tFAIL\tFAIL\tFAIL\tFAIL\tFAIL\n' "$name" \
		    >>"$rows"
		continue
	fi
	printf '%s: [%d/%d] %s ...' "$prog" "$i" "$nw" "$name" >&2
	t0=$SECONDS
	json=$tmp/$w.json
	log=$tmp/$w.log
	args=(-N -i --warmup 1 --runs "$RUNS" --style basic
	    --export-json "$json")
	[ -n "$prepare" ] && args+=(--prepare "$prepare")
	args+=(-n native "$cmd")
	$have_iso && args+=(-n isotrace "$(cmdline "$iso") $cmd")
	$have_strace &&
		args+=(-n strace "strace -f -qq -o /dev/null $cmd")
	$have_iso && args+=(-n isotrace-v \
	    "$(cmdline "$iso" --verbose -o /dev/null) $cmd")
	$have_iso && args+=(-n sandbox "$(cmdline "$iso" --sandbox) $cmd")
	$have_iso && args+=(-n filter \
	    "$(cmdline "$iso" -e trace=openat -o /dev/null) $cmd")
	# A blocking write larger than a socket's free space waits in the
	# kernel, where the schedule's fallback cuts it every 100 ms: the
	# loopback row's 256 KiB writes would take minutes (man page).
	[ "$w" != loopback ] && $have_iso && args+=(-n det \
	    "$(cmdline "$iso" --sandbox --schedule=deterministic) $cmd")
	timeout -k 10 "$TIMEOUT" hyperfine "${args[@]}" >"$log" 2>&1 &
	tpid=$!
	wait "$tpid"
	rc=$?
	tpid=
	printf ' %ds\n' $((SECONDS - t0)) >&2
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		warn "$name: timed out after ${TIMEOUT}s; unfinished modes FAIL"
	elif [ "$rc" -ne 0 ]; then
		warn "$name: hyperfine failed (status $rc):"
		tail -n 5 "$log" | sed 's/^/    /' >&2
	fi
	# shellcheck disable=SC2086
	printf '%s\t%s\n' "$name" "$(medians "$json" $modes)" >>"$rows"
done
elapsed=$((SECONDS - start))

# --- table ---

awk -F '\t' -v NC=13 '
function t(s) {
	if (s == "FAIL")
		return s
	return s < 1 ? sprintf("%.1f ms", s * 1000) : sprintf("%.2f s", s)
}
function r(a, b) {
	if (a == "FAIL" || b == "FAIL" || b <= 0)
		return "FAIL"
	return sprintf("%.2fx", a / b)
}
{
	n++
	cell[n, 1] = $1
	cell[n, 2] = t($2); cell[n, 3] = t($3)
	cell[n, 4] = t($4); cell[n, 5] = t($5)
	cell[n, 6] = t($6); cell[n, 7] = t($8); cell[n, 8] = t($7)
	cell[n, 9] = r($3, $2); cell[n, 10] = r($5, $4); cell[n, 11] = r($6, $2)
	cell[n, 12] = r($8, $2); cell[n, 13] = r($7, $2)
}
END {
	split("workload|native|isotrace|strace -f|isotrace -v|sandbox|det|" \
	    "-e openat|isotrace/native|isotrace -v / strace|" \
	    "sandbox/native|det/native|-e openat/native", head, "|")
	for (c = 1; c <= NC; c++) {
		cell[0, c] = head[c]
		w[c] = 0
		for (i = 0; i <= n; i++)
			if (length(cell[i, c]) > w[c])
				w[c] = length(cell[i, c])
	}
	for (i = 0; i <= n; i++) {
		line = ""
		for (c = 1; c <= NC; c++) {
			line = line (c > 1 ? " | " : "") \
			    sprintf(c == 1 ? "%-" w[c] "s" : "%" w[c] "s",
			    cell[i, c])
		}
		print line
		if (i == 0) {
			line = ""
			for (c = 1; c <= NC; c++) {
				dash = sprintf("%" w[c] "s", "")
				gsub(/ /, "-", dash)
				line = line (c > 1 ? "-|-" : "") dash
			}
			print line
		}
	}
}' "$rows"

# Memory of a worker: Private_Dirty (KiB) of every worker while a traced
# shell runs three children.
worker_memory() {
	local pids p kb max=0 n=0
	"$ISOTRACE" -- bash -c 'sleep 1 & sleep 1 & sleep 1 & wait' &
	local sup=$!
	sleep 0.5
	pids=$(pgrep -f '^isotrace: worker' || true)
	for p in $pids; do
		kb=$(awk '/^Private_Dirty:/ { print $2 }' \
		    "/proc/$p/smaps_rollup" 2>/dev/null) || continue
		[[ -n $kb ]] || continue
		n=$((n + 1))
		((kb > max)) && max=$kb
	done
	wait "$sup"
	echo "worker memory: $n workers, largest Private_Dirty $max KiB"
}
echo
worker_memory
echo "total benchmark time: $((elapsed / 60))m$((elapsed % 60))s"
