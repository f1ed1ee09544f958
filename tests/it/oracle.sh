# tests/it/oracle.sh: --verbose against strace, the reference.
# Sourced by tests/integration.sh, which has the helpers.

ORACLE_PROGS=(oracle_files oracle_proc oracle_signals oracle_mem oracle_net
    oracle_time)

# The oracle_* programs make about 200 distinct syscalls between them
# (files, processes, signals, memory, sockets, time, ids), each process
# deterministic.  Each runs under `strace -f -qq` and under isotrace -v in
# the same directory; tests/oracle.py normalises what varies between runs
# (pids, addresses, clock readings, ephemeral ports) and matches the lines.
# At least 90% of strace's lines must come out identical, over at least 120
# distinct syscalls; the rate and every differing line are printed.
t_verbose_oracle() {		# HEAVY: strace is slow to start
	local LIMIT=5 p out
	command -v strace >/dev/null || {
		SKIP="strace is not installed"
		return
	}
	: >"$W/strace.all"
	: >"$W/isotrace.all"
	for p in "${ORACLE_PROGS[@]}"; do
		run_as "s_$p" strace -f -qq -o "$W/s_$p.trace" "$PROGS/$p"
		expect_status "s_$p" 0
		run_as "i_$p" "$ISOTRACE" --verbose -o "$W/i_$p.trace" "$PROGS/$p"
		expect_same "s_$p" "i_$p"
		cat "$W/s_$p.trace" >>"$W/strace.all"
		cat "$W/i_$p.trace" >>"$W/isotrace.all"
	done
	TRACE=$W/isotrace.all
	out=$(python3 "$ROOT/tests/oracle.py" "$W/strace.all" \
	    "$W/isotrace.all" 90 120) ||
	    fail "$(tail -n 1 <<<"$out")" "$(head -n 40 <<<"$out")"
	# The rate and the differences, for whoever reads the log.
	sed 's/^/	/' <<<"$out" >&2
	expect_match '^socket\(AF_NETLINK, SOCK_RAW\|SOCK_CLOEXEC, NETLINK_ROUTE\) = [0-9]+$'
	expect_match '^fcntl\([0-9]+, F_GETFL\) = 0x8002 \(flags O_RDWR\|O_LARGEFILE\)$'
	expect_match '^--- SIGCHLD \{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=[0-9]+, si_uid=[0-9]+, si_status=SIGKILL, si_utime=[0-9]+, si_stime=[0-9]+\} ---$'
}

t_verbose_strsize() {		# -s N cuts strings and buffers, not paths
	run_native echo hello world
	run_as s4 "$ISOTRACE" -v -s 4 -o "$W/trace" -- echo hello world
	expect_same native s4
	expect_line 'write(1, "hell"..., 12) = 12'
	expect_match '^execve\("[^"]*/echo", \["echo", "hell"\.\.\., "worl"\.\.\.\], '
	run_as s0 "$ISOTRACE" --string-limit=0 -o "$W/trace0" -v -- echo hi
	expect_out s0 hi
	TRACE=$W/trace0
	expect_line 'write(1, ""..., 3) = 3'
	TRACE=
	run_as sbad "$ISOTRACE" -v -s many -- echo hi
	expect_status sbad 125
	expect_grep sbad err '^isotrace: -s many: '
}

TESTS+=(
	verbose_oracle verbose_strsize
)
