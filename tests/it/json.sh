# tests/it/json.sh: --json, the trace as JSON lines.  tests/jsonl.py reads
# them with Python's json module and checks every object against the
# schema of isotrace(1); the round trip compares the text lines rebuilt
# from the objects with the --verbose trace of the same command.
# Sourced by tests/integration.sh, which has the helpers.

JSONL=$ROOT/tests/jsonl.py

# json_show TAG FILE: the objects of FILE as tests/jsonl.py shows them
# (keys sorted, no times), into $W/TAG.show; a schema violation fails.
json_show() {
	python3 "$JSONL" show "$2" >"$W/$1.show" ||
	    fail "$2: not JSON lines of the schema" \
		"$(grep -v '^{' "$W/$1.show" | head -n 10)"
}

# expect_object TAG OBJECT: TAG's objects include exactly this one.
expect_object() {
	grep -Fxq -- "$2" "$W/$1.show" ||
	    fail "no object $2" "$(grep -F "\"type\": \"${3:-syscall}\"" \
		"$W/$1.show" | head -n 5)"
}

# expect_objects TAG ERE N: exactly N of TAG's objects match ERE.
expect_objects() {
	local n
	n=$(grep -Ec -- "$2" "$W/$1.show")
	[[ $n == "$3" ]] || fail "$n objects match /$2/, expected $3" \
	    "$(head -n 5 "$W/$1.show")"
}

# Every line of the text trace comes back from the objects, and nothing
# else: the same command (deterministic under --sandbox) runs with -v and
# with --json.
t_json_same_facts() {
	local p out
	for p in files oracle_proc oracle_signals forks; do
		need "$PROGS/$p" || return
		run_as "t_$p" "$ISOTRACE" --sandbox -v -o "$W/$p.text" -- \
		    "$PROGS/$p"
		run_as "j_$p" "$ISOTRACE" --sandbox --json -o "$W/$p.json" -- \
		    "$PROGS/$p"
		expect_same "t_$p" "j_$p"
		# (forks joins a thread: whether that waits in futex is
		# the host's schedule, not a fact of the trace)
		out=$(python3 "$JSONL" same "$W/$p.text" "$W/$p.json" \
		    '^[^ ]+ futex\(') ||
		    fail "$p: $(tail -n 1 <<<"$out")" "$(head -n 12 <<<"$out")"
	done
}

t_json_objects() {		# exact objects: calls, failures, exits
	need "$PROGS/counts" || return
	run_native "$PROGS/counts" 20 3 5
	run_as json "$ISOTRACE" --json -e trace=getppid,open,exit_group \
	    -o "$W/json" -- "$PROGS/counts" 20 3 5
	expect_same native json
	json_show j "$W/json"
	expect_object j '{"args": {"flags": "O_RDONLY", "pathname": "\"/nonexistent/counts\""}, "errno": "ENOENT", "error": "No such file or directory", "name": "open", "nr": 2, "pid": "P", "result": -2, "retval": "-1 ENOENT (No such file or directory)", "tid": "P", "type": "syscall"}'
	expect_object j '{"args": {"status": "0"}, "name": "exit_group", "nr": 231, "pid": "P", "retval": "?", "tid": "P", "type": "syscall"}'
	expect_object j '{"pid": "P", "status": 0, "tid": "P", "type": "exit"}' exit
	# -e trace= selects the calls; signals and exits come as ever.
	expect_objects j '"name": "getppid", "nr": 110, "pid": "P", "result": [0-9]+, "retval": "[0-9]+", "tid": "P", "type": "syscall"}$' 25
	expect_objects j '"type": "syscall"' 30
	expect_objects j '^\{"args": \{\}, "name": "getppid"' 25
	expect_objects j '"type": "exit"' 2
	expect_objects j '^\{"pid": "P", "siginfo": "\{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=[0-9]+, si_uid=[0-9]+, si_status=0, si_utime=[0-9]+, si_stime=[0-9]+\}", "signal": "SIGCHLD", "signo": 17, "tid": "P", "type": "signal"\}$' 1
	# Times: the epoch at entry, and each returned call's duration.
	python3 - "$W/json" <<-'EOF' || fail "times out of range"
	import json, sys, time
	for line in open(sys.argv[1]):
	    o = json.loads(line)
	    assert abs(o['time'] - time.time()) < 60, o
	    assert o['type'] != 'syscall' or o['retval'] == '?' or \
	        0 <= o['duration'] < 1, o
	EOF
}

t_json_signals() {		# signals, stops, a thread, a death
	need "$PROGS/jobctl" "$PROGS/signals" "$PROGS/exitcode" || return
	run_native "$PROGS/jobctl"
	run_as json "$ISOTRACE" --json -e trace=none -o "$W/json" -- \
	    "$PROGS/jobctl"
	expect_same native json
	json_show j "$W/json"
	expect_objects j '"type": "syscall"' 0
	expect_object j '{"pid": "P", "signal": "SIGSTOP", "signo": 19, "tid": "P", "type": "stop"}' stop
	expect_object j '{"core_dumped": false, "pid": "P", "signal": "SIGKILL", "signo": 9, "tid": "P", "type": "killed"}' killed
	expect_object j '{"pid": "P", "status": 7, "tid": "P", "type": "exit"}' exit
	expect_objects j '^\{"pid": "P", "siginfo": "\{si_signo=SIGCHLD, si_code=CLD_STOPPED, si_pid=[0-9]+, si_uid=[0-9]+, si_status=SIGSTOP, si_utime=[0-9]+, si_stime=[0-9]+\}", "signal": "SIGCHLD", "signo": 17, "tid": "P", "type": "signal"\}$' 3
	# pthread_kill: the signal object names the thread and its process.
	run_as threads "$ISOTRACE" --format=json -e trace=tgkill -o "$W/j2" \
	    -- "$PROGS/signals"
	expect_status threads 0
	json_show t "$W/j2"
	expect_objects t '^\{"pid": "P", "siginfo": "\{si_signo=SIGUSR1, si_code=SI_TKILL, si_pid=[0-9]+, si_uid=[0-9]+\}", "signal": "SIGUSR1", "signo": 10, "tid": "T", "type": "signal"\}$' 1
	# A core dump, told in the killed object.
	run_as segv "$ISOTRACE" --json -e trace=none -o "$W/j3" -- \
	    "$PROGS/exitcode" -s SEGV
	expect_status segv 139
	json_show s "$W/j3"
	expect_objects s '^\{"core_dumped": (true|false), "pid": "P", "signal": "SIGSEGV", "signo": 11, "tid": "P", "type": "killed"\}$' 1
}

# Guest bytes that JSON must escape (a quote, a newline, a byte that is
# not UTF-8) arrive as the decoder's C escapes inside a valid JSON string.
t_json_escapes() {
	local path=$'/nonexistent/a"b\nc\377d'
	run_as json "$ISOTRACE" --json -e trace=openat -o "$W/json" -- \
	    cat "$path"
	expect_status json 1
	json_show j "$W/json"
	expect_object j '{"args": {"dirfd": "AT_FDCWD", "flags": "O_RDONLY", "pathname": "\"/nonexistent/a\\\"b\\nc\\377d\""}, "errno": "ENOENT", "error": "No such file or directory", "name": "openat", "nr": 257, "pid": "P", "result": -2, "retval": "-1 ENOENT (No such file or directory)", "tid": "P", "type": "syscall"}'
}

t_json_options() {		# --format, -c and -C with --json
	need "$PROGS/counts" || return
	run_as fmt "$ISOTRACE" --format=json -e trace=open -o "$W/j1" -- \
	    "$PROGS/counts" 1 1 1
	expect_status fmt 0
	json_show f "$W/j1"
	expect_objects f '"name": "open", .*"type": "syscall"' 1
	# --format=text undoes an earlier --json.
	run_as text "$ISOTRACE" --json --format=text -e trace=open \
	    -o "$W/trace" -- "$PROGS/counts" 1 1 1
	expect_status text 0
	expect_line "$OPEN_FAIL"
	run_as bad "$ISOTRACE" --format=yaml -- true
	expect_status bad 125
	expect_fixed bad err "isotrace: --format=yaml: not json nor text"
	run_as verify "$ISOTRACE" --verify --json -- true
	expect_status verify 125
	# -c: the summary alone, as one object; -C: the trace, then it.
	run_as c "$ISOTRACE" -c --json -e trace=getppid,open -o "$W/j2" -- \
	    "$PROGS/counts" 20 3 5
	expect_status c 0
	json_show c "$W/j2"
	[[ $(wc -l <"$W/j2") == 1 ]] || fail "-c --json: not one line" \
	    "$(head -n 3 "$W/j2")"
	python3 - "$W/j2" <<-'EOF' || fail "-c --json: wrong summary"
	import json, sys
	o = json.loads(open(sys.argv[1]).read())
	rows = {r['name']: r for r in o['syscalls']}
	assert set(rows) == {'getppid', 'open'}, rows
	assert (rows['getppid']['calls'], rows['getppid']['errors']) == (25, 0)
	assert (rows['open']['calls'], rows['open']['errors']) == (3, 3)
	assert o['total']['calls'] == 28 and o['total']['errors'] == 3, o
	assert [r['seconds'] for r in o['syscalls']] == \
	    sorted((r['seconds'] for r in o['syscalls']), reverse=True)
	EOF
	run_as C "$ISOTRACE" -C --json -e trace=open -o "$W/j3" -- \
	    "$PROGS/counts" 20 3 5
	expect_status C 0
	json_show C "$W/j3"
	expect_objects C '"name": "open", .*"type": "syscall"' 3
	[[ $(tail -n 1 "$W/C.show") == '{"syscalls": [{"calls": 3, "errors": 3, "name": "open", "nr": 2, "percent": 100.0, "seconds": '* ]] ||
	    fail "-C --json: the summary is not the last object" \
		"$(tail -n 2 "$W/C.show")"
}

TESTS+=(json_same_facts json_objects json_signals json_escapes json_options)
