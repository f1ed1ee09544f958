# tests/it/workers.sh: one worker per process: tracers, crashes, scale.
# Sourced by tests/integration.sh, which has the helpers.

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
crash_script='"$1" 4 20000; echo "victim $?"; "$2"; echo "sibling $?"'

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
	# The killer is outside the trace: a traced program may not signal
	# a worker (worker/guard.c, tested in containment_host.sh).
	# shellcheck disable=SC2016
	local script='sleep 5 & v=$!; echo $v >victim.new; mv victim.new victim
wait $v; echo "victim $?"; "$1"; echo "sibling $?"'
	run_traced bash -c "$script" sh "$PROGS/futex" &
	local i v w=
	for i in $(seq 200); do
		[[ -s $W/victim ]] && v=$(<"$W/victim") &&
		    w=$(pgrep -f "^isotrace: worker $v ") && break
		sleep 0.005
	done
	[[ -n $w ]] && kill -9 "$w"
	wait
	run_native "$PROGS/futex"
	expect_status traced 0
	expect_fixed traced out 'victim 137'
	expect_fixed traced out 'sibling 0'
	expect_same_lines native traced '^(mutex|condvar)'
	expect_grep traced err '^isotrace: worker for pid [0-9]+ \((bash|sleep)\) died \(SIGKILL\); process killed$'
	expect_no_workers
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

TESTS+=(
	workers_tracerpid workers_crash_injected workers_garbage
	workers_crash_killed
	workers_supervisor_killed workers_sigterm
	workers_scale_loop workers_sqlite_multi
)
