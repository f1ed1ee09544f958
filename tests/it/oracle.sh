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

# strace's output options against strace's own: each option under strace
# -f -qq and under isotrace -v with the same option.  At most 2 of
# strace's lines may differ (3 with -yy: strace still names the peer of
# a UNIX socket whose peer is closed), so that an option that did nothing
# fails (-x changes 3 lines of oracle_net); and isotrace may not print
# more lines than strace (plus 5%): a filter that did nothing (-z, -Z,
# -P) would keep the matches but add lines.
t_verbose_oracle_options() {	# HEAVY: strace is slow to start
	local LIMIT=5 o p out same ref got tag allowed
	command -v strace >/dev/null || {
		SKIP="strace is not installed"
		return
	}
	for o in "-y oracle_files" "-yy oracle_net" "-z oracle_files" \
	    "-Z oracle_files" "-x oracle_net" "-xx oracle_files" \
	    "-P oracle_files.d/a oracle_files"; do
		p=${o##* }
		o=${o% *}
		tag=$(tr -c 'a-zA-Z0-9\n' _ <<<"$o$p")
		rm -rf "$W/$p.d"
		run_as "s$tag" strace -f -qq $o -o "$W/s$tag.trace" "$PROGS/$p"
		rm -rf "$W/$p.d"
		run_as "i$tag" "$ISOTRACE" -v $o -o "$W/i$tag.trace" "$PROGS/$p"
		expect_same "s$tag" "i$tag"
		out=$(python3 "$ROOT/tests/oracle.py" "$W/s$tag.trace" \
		    "$W/i$tag.trace" 90 1) ||
		    fail "$o: $(tail -n 1 <<<"$out")" "$(head -n 20 <<<"$out")"
		read -r same ref got < <(sed -nE 's/^oracle: ([0-9]+) of ([0-9]+) strace lines.*, ([0-9]+) isotrace lines.*/\1 \2 \3/p' <<<"$out")
		((got <= ref + ref / 20 + 1 && ref > 0)) ||
		    fail "$o $p: $got isotrace lines for strace's $ref"
		allowed=2
		[[ $o == -yy ]] && allowed=3
		((ref - same <= allowed)) ||
		    fail "$o $p: $((ref - same)) lines differ" \
			"$(head -n 20 <<<"$out")"
		printf '\t%s %s: %s\n' "$o" "$p" "$(tail -n 1 <<<"$out")" >&2
	done
}

TESTS+=(
	verbose_oracle verbose_strsize verbose_oracle_options
)
