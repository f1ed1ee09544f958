# tests/it/sched.sh: --sandbox --schedule=deterministic makes the threads
# of every process of the run take turns at system-call boundaries in an
# order fixed by --seed, under one logical clock; --chaos picks
# adversarial orders that a seed replays.  What natively depends on the
# host's timing (racing threads, a pool's workers, make -j2, a pipeline's
# stderr) gives one output per seed, a child's sleep moves its parent's
# clock, and a racy program's failure is found and replayed by seed.
# Sourced by tests/integration.sh.  Nearly every test runs its command
# 10-20 times: all are HEAVY.

SCHED_PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
SCHED_DET=(--sandbox --schedule=deterministic)

# sched_distinct N CMD...: runs CMD N times (tags d.1 .. d.N) and prints
# the number of distinct results, a result being stdout, stderr and exit
# status together.
sched_distinct() {
	local n=$1 i
	shift
	for ((i = 1; i <= n; i++)); do
		run_as "d.$i" "$@"
		cat "$W/d.$i.out" "$W/d.$i.err" "$W/d.$i.rc" | md5sum
	done | sort -u | wc -l
}

# sched_one N CMD...: CMD gives one result in N runs, and exits 0; run
# d.1 is the one the caller checks further.  On failure it shows how
# the first run that differs from d.1 differs.
sched_one() {
	local n=$1 k i
	shift
	k=$(sched_distinct "$n" "$@")
	expect_status d.1 0
	((k == 1)) && return
	for ((i = 2; i <= n; i++)); do
		cmp -s <(cat "$W/d.1.out" "$W/d.1.err" "$W/d.1.rc") \
		    <(cat "$W/d.$i.out" "$W/d.$i.err" "$W/d.$i.rc") && continue
		fail "$k distinct results in $n runs of the same seed" \
		    "$(diff -u --label d.1 --label "d.$i" \
			<(cat "$W/d.1.out" "$W/d.1.err"; echo "rc $(rc d.1)") \
			<(cat "$W/d.$i.out" "$W/d.$i.err"; echo "rc $(rc "d.$i")") |
			head -n 15)"
		return
	done
}

# sched_seeds FIRST LAST OPTION CMD...: the number of distinct results of
# CMD under isotrace OPTION... --seed=S for S in FIRST..LAST (tags s.S);
# OPTION is a bash array's name.
sched_seeds() {
	local first=$1 last=$2 s
	local -n opts=$3
	shift 3
	for ((s = first; s <= last; s++)); do
		run_as "s.$s" "$ISOTRACE" "${opts[@]}" --seed="$s" -- "$@"
		cat "$W/s.$s.out" "$W/s.$s.err" "$W/s.$s.rc" | md5sum
	done | sort -u | wc -l
}

# sched_race_ok TAG: TAG's output is a whole run of progs/schedrace with
# its defaults (4 threads x 25 additions, lost ones counted right).
sched_race_ok() {
	local order c mine lost
	order=$(sed -n 's/^order //p' "$W/$1.out")
	[[ $order =~ ^[A-D]{100}$ ]] ||
	    { fail "$1: no order of 100 writes" "$(head -n 3 "$W/$1.out")"; return; }
	for c in A B C D; do
		mine=${order//[^$c]/}
		((${#mine} == 25)) ||
		    fail "$1: thread $c wrote ${#mine} times, not 25" \
			"order $order"
	done
	lost=$(sed -nE 's/^counter ([0-9]+) of 100, lost ([0-9]+)$/\1 \2/p' \
	    "$W/$1.out")
	[[ -n $lost ]] && (( ${lost% *} + ${lost#* } == 100 )) ||
	    fail "$1: bad counter line" "$(tail -n 1 "$W/$1.out")"
}

# Four pthreads with a read-modify-write around sched_yield: the order of
# their writes and the lost updates are one result in 20 runs of seed 1,
# and the seeds 1..10 do not all give the same.
t_sched_pthreads() {		# HEAVY: 30 runs
	need "$PROGS/schedrace" || return
	local LIMIT=5 k
	run_native "$PROGS/schedrace"
	expect_status native 0
	sched_race_ok native
	sched_one 20 "$ISOTRACE" "${SCHED_DET[@]}" --seed=1 -- \
	    "$PROGS/schedrace"
	sched_race_ok d.1
	k=$(sched_seeds 1 10 SCHED_DET "$PROGS/schedrace")
	((k >= 2)) || fail "seeds 1..10 all gave the same result" \
	    "$(cat "$W/s.1.out")"
	sched_race_ok s.2
}

# Python threads append to one list between short sleeps: the list's
# order is one in 20 runs.
t_sched_pythreads() {		# HEAVY: 20 runs of python
	[[ -n $SCHED_PY ]] || { skip "no python3"; return; }
	local LIMIT=8
	cat >"$W/threads.py" <<'EOF'
import threading, time
out = []
def f(i):
    for j in range(6):
        out.append(i)
        time.sleep(0.001 * ((i * 7 + j * 3) % 4))
ts = [threading.Thread(target=f, args=(i,)) for i in range(4)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print("".join(map(str, out)))
print("".join(map(str, sorted(out))))
EOF
	run_native "$SCHED_PY" threads.py
	expect_status native 0
	sched_one 20 "$ISOTRACE" "${SCHED_DET[@]}" --seed=1 -- \
	    "$SCHED_PY" threads.py
	# The same appends as natively, in an order of the schedule's.
	[[ $(sed -n 2p "$W/d.1.out") == "$(sed -n 2p "$W/native.out")" &&
	    $(sed -n 1p "$W/d.1.out") =~ ^[0-3]{24}$ ]] ||
	    fail "d.1: not the native appends" "$(cat "$W/d.1.out")"
}

# multiprocessing.Pool(4), imap_unordered: which worker gets which task
# and the order the results come in are one in 20 runs.
t_sched_pool() {		# HEAVY: 20 runs of python and 4 workers
	[[ -n $SCHED_PY ]] || { skip "no python3"; return; }
	local LIMIT=10
	cat >"$W/pool.py" <<'EOF'
import multiprocessing as mp
def f(x):
    return x, mp.current_process().name
if __name__ == "__main__":
    with mp.Pool(4) as p:
        for x, name in p.imap_unordered(f, range(8)):
            print(x, name)
EOF
	run_native "$SCHED_PY" pool.py
	expect_status native 0
	sched_one 20 "$ISOTRACE" "${SCHED_DET[@]}" --seed=1 -- \
	    "$SCHED_PY" pool.py
	[[ $(cut -d' ' -f1 "$W/d.1.out" | sort -n | tr '\n' ' ') == \
	    "0 1 2 3 4 5 6 7 " ]] &&
	    ! grep -Evq '^[0-7] ForkPoolWorker-[0-9]+$' "$W/d.1.out" ||
	    fail "d.1: not the 8 results of the pool" "$(cat "$W/d.1.out")"
}

# make -j2 runs two recipes that echo a line, sleep 10 ms, three times
# each: the interleaving of their lines is one in 20 runs.
t_sched_make() {		# HEAVY: 20 runs of make and 8 processes
	command -v make >/dev/null || { skip "no make"; return; }
	local LIMIT=8
	printf '%s\n' 'all: a b' 'a b:' \
	    '	@for i in 1 2 3; do echo $@$$i; sleep 0.01; done' >"$W/Makefile"
	run_native make -s -j2
	expect_status native 0
	sched_one 20 "$ISOTRACE" "${SCHED_DET[@]}" --seed=1 -- make -s -j2
	[[ $(sort "$W/d.1.out" | tr '\n' ' ') == "a1 a2 a3 b1 b2 b3 " ]] ||
	    fail "d.1: not the recipes' lines" "$(cat "$W/d.1.out")"
}

# a | b | c: each stage counts to 4000 in the shell, saying so on the
# shared stderr every 1000, then passes its input on (a: a line of its
# own), c to stderr too.  Natively the interleaving of the stages'
# lines varies (18 results in 20 runs), and under plain --sandbox (10 in
# 10); here it is one in 20 runs.
t_sched_pipeline() {		# HEAVY: 20 runs of a 3-stage pipeline
	local LIMIT=5
	local script='exec 2>&1
tick() {
	i=0
	while [ $i -lt 4000 ]; do
		i=$((i + 1))
		[ $((i % 1000)) = 0 ] && echo "$1: $i" >&2
	done
}
{ tick a; echo "a: data"; } | { tick b; cat; echo "b: data"; } |
{ tick c; cat >&2; }'
	run_native sh -c "$script"
	expect_status native 0
	sched_one 20 "$ISOTRACE" "${SCHED_DET[@]}" --seed=1 -- sh -c "$script"
	[[ $(sort "$W/d.1.out") == "$(sort "$W/native.out")" ]] ||
	    fail "d.1: not the native lines" "$(cat "$W/d.1.out")"
}

# A child sleeps 100 s; its parent waits 3 s for it and kills it: under
# one logical clock the wait times out as natively, and the run takes
# far less than 3 s of real time.  Python's subprocess.run(timeout=3)
# (which polls between sleeps of its own; the time it says was left
# varies natively, so not printed), then progs/crossq (one poll).
t_sched_timeout() {		# HEAVY: two real waits of 3 s natively
	need "$PROGS/crossq" || return
	local LIMIT=6 s e ms
	if [[ -n $SCHED_PY ]]; then
		local script='import subprocess
try:
    subprocess.run(["sleep", "100"], timeout=3)
    print("finished")
except subprocess.TimeoutExpired:
    print("timed out")'
		run_native "$SCHED_PY" -c "$script"
		s=$(date +%s%N)
		run_as det "$ISOTRACE" "${SCHED_DET[@]}" -- "$SCHED_PY" -c "$script"
		e=$(date +%s%N)
		ms=$(((e - s) / 1000000))
		expect_same native det
		expect_out det 'timed out'
		((ms < 2000)) || fail "python: the run took $ms ms of real time"
	fi
	run_native "$PROGS/crossq" 3000 sleep 100
	s=$(date +%s%N)
	run_as det "$ISOTRACE" "${SCHED_DET[@]}" -- "$PROGS/crossq" 3000 \
	    sleep 100
	e=$(date +%s%N)
	ms=$(((e - s) / 1000000))
	expect_same native det
	expect_out det $'poll timed out\nchild killed by signal 9'
	((ms < 2000)) || fail "crossq: the run took $ms ms of real time"
}

# sh -c 'sleep 1 & wait': the child's sleep moves the shell's clock by
# 1 s, as natively (under per-process clocks it moves by nothing), and
# the clock jumps there rather than waiting for real.
t_sched_shell_sleep() {		# HEAVY
	local LIMIT=4 s e ms d t
	local script='date +%s%N; sleep 1 & wait; date +%s%N'
	run_native sh -c "$script"
	s=$(date +%s%N)
	run_as det "$ISOTRACE" "${SCHED_DET[@]}" -- sh -c "$script"
	e=$(date +%s%N)
	ms=$(((e - s) / 1000000))
	expect_status native 0
	expect_status det 0
	for t in native det; do
		d=$(awk 'NR == 1 { a = $1 } NR == 2 { print int(($1 - a) / 1e6) }' \
		    "$W/$t.out")
		[[ -n $d ]] && ((d >= 1000 && d < 1500)) ||
		    fail "$t: the clock moved by ${d:-?} ms, not 1 s" \
			"$(cat "$W/$t.out")"
	done
	((ms < 1000)) || fail "the run took $ms ms of real time: no jump"
}

# examples/racy loses a deposit under --chaos within 20 seeds, and the
# first seed that shows it replays the same failure 10 times in 10.
t_sched_chaos_racy() {		# HEAVY: up to 30 runs
	need "$EXAMPLES/racy" || return
	local LIMIT=5 s found= k
	for ((s = 1; s <= 20; s++)); do
		run_as "c.$s" "$ISOTRACE" --chaos --seed="$s" -- "$EXAMPLES/racy"
		[[ $(rc "c.$s") == 1 ]] && { found=$s; break; }
	done
	[[ -n $found ]] || {
		fail "no failure in seeds 1..20" \
		    "$(tail -n 2 "$W/c.1.out")" "$(tail -n 3 "$W/c.1.err")"
		return
	}
	expect_grep "c.$found" out '^racy: lost update: '
	k=$(sched_distinct 10 "$ISOTRACE" --chaos --seed="$found" -- \
	    "$EXAMPLES/racy")
	cat "$W/c.$found.out" "$W/c.$found.err" "$W/c.$found.rc" >"$W/first"
	for ((s = 1; s <= 10; s++)); do
		cmp -s "$W/first" <(cat "$W/d.$s.out" "$W/d.$s.err" "$W/d.$s.rc") ||
		    { fail "replay $s of seed $found differs (results: $k)" \
			"$(diff -u --label "seed $found" --label "replay $s" \
			    "$W/first" <(cat "$W/d.$s.out" "$W/d.$s.err" \
			    "$W/d.$s.rc") | head -n 15)"; break; }
	done
}

# A thread that computes for ~2 s without a system call, while another
# wants its turn: the real-time fallback hands the turn over, the run
# ends as natively, and stderr says so once.
t_sched_hazard() {		# HEAVY: ~2 s of computing, twice
	need "$PROGS/schedspin" || return
	local LIMIT=20 n
	run_native "$PROGS/schedspin"
	run_as det "$ISOTRACE" "${SCHED_DET[@]}" -- "$PROGS/schedspin"
	expect_status det 0
	expect_same -E native det
	n=$(grep -c hazard "$W/det.err")
	((n == 1)) || fail "$n hazard lines on stderr, expected 1" \
	    "$(head -n 5 "$W/det.err")"
}

# The run's only thread computes ~0.2 s, then reads the clock: nothing
# to preempt it for, so no hazard, and one time in 5 runs, as under
# plain --sandbox (a fallback that moved the clock by host time would
# make a single-threaded program vary, which it never did).
t_sched_lone() {		# HEAVY: 5 runs of ~0.2 s of computing
	need "$PROGS/schedlone" || return
	local LIMIT=5
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/schedlone"
	expect_status sb 0
	sched_one 5 "$ISOTRACE" "${SCHED_DET[@]}" -- "$PROGS/schedlone"
	expect_no_grep d.1 err hazard
	expect_grep d.1 out "^$EPOCH\\.[0-9]{9}\$"
}

# progs/schedrace under --chaos: seeds 1..10 do not all give the same
# result, and one seed gives the same result each time.
t_sched_seed_differs() {	# HEAVY: 13 runs
	need "$PROGS/schedrace" || return
	local LIMIT=5 k
	local chaos=(--chaos)
	k=$(sched_seeds 1 10 chaos "$PROGS/schedrace")
	((k >= 2)) || fail "chaos seeds 1..10 all gave the same result" \
	    "$(cat "$W/s.1.out" "$W/s.1.err")"
	sched_race_ok s.1
	sched_one 3 "$ISOTRACE" --chaos --seed=7 -- "$PROGS/schedrace"
	cmp -s "$W/d.1.out" "$W/s.7.out" ||
	    fail "seed 7 gave another result on its replay" \
		"$(diff "$W/s.7.out" "$W/d.1.out" | head -n 6)"
}

TESTS+=(sched_pthreads sched_pythreads sched_pool sched_make sched_pipeline
    sched_timeout sched_shell_sleep sched_chaos_racy sched_hazard
    sched_lone sched_seed_differs)
