# tests/it/filters.sh: -e trace= filters (and the seccomp filter that
# stops only the selected calls), the -c summary, -t/-tt/-ttt/-T times.
# Sourced by tests/integration.sh, which has the helpers.

ENOENT_TEXT='-1 ENOENT (No such file or directory)'
OPEN_FAIL="open(\"/nonexistent/counts\", O_RDONLY) = $ENOENT_TEXT"

# only_calls ERE: every syscall line of the trace is a call matching ERE.
only_calls() {
	local bad
	bad=$(bodies | grep -Ev -- '^(---|\+\+\+) ' | grep -Ev -- "^($1)\(" |
	    head -n 5)
	[[ -z $bad ]] || fail "trace has calls other than /$1/" "$bad"
}

# class_members CLASS: the names tests/sysclass.expected gives %CLASS.
class_members() {
	sed -n "s/^%$1 //p" "$ROOT/tests/sysclass.expected" | tr ' ' '\n'
}

t_filter_names() {		# only the named calls, in every process
	need "$PROGS/counts" || return
	run_native "$PROGS/counts" 20 3 5
	run_as filtered "$ISOTRACE" -e trace=getppid,open -o "$W/trace" -- \
	    "$PROGS/counts" 20 3 5
	expect_same native filtered
	expect_count '^getppid\(\) = [0-9]+$' 25
	expect_count '^open\(' 3
	expect_line "$OPEN_FAIL"
	only_calls 'getppid|open'
	# Signals and exits print as they do without a filter.
	expect_count '^\+\+\+ exited with 0 \+\+\+$' 2
	expect_match '^--- SIGCHLD \{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=[0-9]+, .*\} ---$'
	expect_tids_exact 2 'getppid'
	# The long option, and "-e SET" without "trace=".
	run_as long "$ISOTRACE" --trace=open -o "$W/t2tr.out" -- "$PROGS/counts" 1 2
	run_as short "$ISOTRACE" -e open -o "$W/t3tr.out" -- "$PROGS/counts" 1 2
	expect_status long 0
	expect_status short 0
	TRACE=$W/t2tr.out expect_count '^open\(' 2
	TRACE=$W/t2tr.out only_calls open
	TRACE=$W/t3tr.out expect_count '^open\(' 2
	TRACE=$W/t3tr.out only_calls open
}

t_filter_negate() {		# !SET: every call but those
	need "$PROGS/counts" || return
	run_native "$PROGS/counts" 20 3 5
	run_as filtered "$ISOTRACE" -e 'trace=!getppid,open' -o "$W/trace" -- \
	    "$PROGS/counts" 20 3 5
	expect_same native filtered
	expect_count '^getppid\(' 0
	expect_count '^open\(' 0
	expect_match '^execve\('
	expect_match '^wait4\('
	expect_count '^exit_group\(0\) = \?$' 2
	# A later set adds to the first, a later '!' set takes away.
	run_as added "$ISOTRACE" -e '!getppid,open' -e getppid -e '!wait4' \
	    -o "$W/t2tr.out" -- "$PROGS/counts" 20 3 5
	expect_status added 0
	TRACE=$W/t2tr.out expect_count '^getppid\(' 25
	TRACE=$W/t2tr.out expect_count '^open\(' 0
	TRACE=$W/t2tr.out expect_count '^wait4\(' 0
	TRACE=$W/t2tr.out expect_match '^execve\('
}

t_filter_class() {		# %process: exactly the class's calls
	need "$PROGS/counts" || return
	run_native "$PROGS/counts" 20 3 5
	run_as filtered "$ISOTRACE" -e trace=%process -o "$W/trace" -- \
	    "$PROGS/counts" 20 3 5
	expect_same native filtered
	only_calls "$(class_members process | paste -sd '|')"
	expect_count '^execve\(' 1
	expect_count '^clone\(' 1
	expect_count '^wait4\(' 1
	expect_count '^exit_group\(0\) = \?$' 2
	# A regex and an optional name the table lacks.
	run_as regex "$ISOTRACE" -e 'trace=/^getp.*id$,?no_such_call' \
	    -o "$W/t2tr.out" -- "$PROGS/counts" 20 3 5
	expect_status regex 0
	TRACE=$W/t2tr.out expect_count '^getppid\(' 25
	TRACE=$W/t2tr.out only_calls 'getppid|getpid|getpgid'
}

t_filter_sandbox() {		# the sandbox's own traps are not traced
	need "$PROGS/counts" || return
	run_as filtered "$ISOTRACE" --sandbox -e trace=getppid -o "$W/trace" \
	    -- sh -c "date -u +%Y; \"\$1\" 3 0" sh "$PROGS/counts"
	expect_status filtered 0
	expect_out filtered "$EPOCH_YEAR"
	# counts' three, and the shell's own for $PPID: two processes.
	expect_match '^getppid\(\) = [0-9]+$' 3
	expect_tids_exact 2 'getppid\(\) = [0-9]+$'
	only_calls getppid
}

t_filter_no_stops() {		# unselected calls never stop in the tracer
	need "$PROGS/counts" || return
	# Every ptrace stop is a voluntary context switch of the tracee; 2000
	# getppid calls that stopped would make at least 4000.
	run_as native "$PROGS/counts" 2000 0 0 ctxt
	run_as other "$ISOTRACE" -e trace=openat -o "$W/t1tr.out" -- \
	    "$PROGS/counts" 2000 0 0 ctxt
	run_as selected "$ISOTRACE" -e trace=getppid -o "$W/t2tr.out" -- \
	    "$PROGS/counts" 2000 0 0 ctxt
	expect_status other 0
	expect_status selected 0
	local n_other n_sel
	n_other=$(sed -n 's/^ctxt //p' "$W/other.out")
	n_sel=$(sed -n 's/^ctxt //p' "$W/selected.out")
	[[ -n $n_other ]] && ((n_other < 200)) ||
	    fail "-e trace=openat: $n_other context switches, expected < 200" \
		"native: $(cat "$W/native.out")"
	[[ -n $n_sel ]] && ((n_sel >= 4000)) ||
	    fail "-e trace=getppid: $n_sel context switches, expected >= 4000"
	TRACE=$W/t2tr.out expect_count '^getppid\(' 2000
}

t_filter_errors() {		# a bad set: status 125, the command never runs
	run_as badname "$ISOTRACE" -e trace=openat,opneat -- touch "$W/ran"
	expect_status badname 125
	expect_fixed badname err \
	    "isotrace: -e trace=openat,opneat: unknown system call 'opneat'"
	run_as badclass "$ISOTRACE" -e trace=%files -- touch "$W/ran"
	expect_status badclass 125
	expect_grep badclass err "^isotrace: -e trace=%files: unknown class '%files' \(one of %desc, %file, "
	run_as badre "$ISOTRACE" -e 'trace=/(' -- touch "$W/ran"
	expect_status badre 125
	expect_grep badre err "^isotrace: -e trace=/\(: '\(': "
	run_as badqual "$ISOTRACE" -e abbrev=none -- touch "$W/ran"
	expect_status badqual 125
	expect_fixed badqual err \
	    "isotrace: -e abbrev: unsupported qualifier (trace=, signal=, status=)"
	run_as verify "$ISOTRACE" --verify -c -- touch "$W/ran"
	expect_status verify 125
	[[ ! -e $W/ran ]] || fail "the command ran"
}

# strace is the oracle of the classes: tests/progs/callall makes every
# syscall of the table (each failing with ENOSYS from its own seccomp
# filter), and strace -e trace=%CLASS shows which belong to CLASS.
t_filter_strace_classes() {
	command -v strace >/dev/null || { skip "no strace"; return; }
	need "$PROGS/callall" || return
	local line class want got known
	run_as all strace -qq -o "$W/all" "$PROGS/callall"
	expect_status all 0
	# strace 6.1 predates the newest calls; it shows them as syscall_0x...
	known=$(sed -nE 's/^([a-z_0-9]+)\(.*= -1 ENOSYS .*/\1/p' "$W/all" |
	    grep -v '^syscall_' | sort -u)
	(($(wc -l <<<"$known") > 300)) ||
	    fail "strace saw $(wc -l <<<"$known") named calls of callall"
	while read -r line; do
		class=${line%% *}
		[[ $class == %* ]] || continue
		run_as class strace -qq -e "trace=$class" -o "$W/class" \
		    "$PROGS/callall"
		got=$(sed -nE 's/^([a-z_0-9]+)\(.*= -1 ENOSYS .*/\1/p' \
		    "$W/class" | grep -v '^syscall_' | sort -u)
		want=$(tr ' ' '\n' <<<"${line#* }" | sort |
		    comm -12 - <(printf '%s\n' "$known"))
		[[ $got == "$want" ]] ||
		    fail "$class: strace's class differs from sysclass.expected" \
			"$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") |
			    head -n 10)"
	done <"$ROOT/tests/sysclass.expected"
}

# summary_row NAME CALLS ERRORS: an ERE for NAME's row of a -c table.
summary_row() {
	printf '^ *[0-9]+\\.[0-9]{2} +[0-9]+\\.[0-9]{6} +[0-9]+ +%s +%s +%s$' \
	    "$2" "${3:-}" "$1"
}
SUMMARY_HEAD='% time     seconds  usecs/call     calls    errors syscall'
SUMMARY_RULE='------ ----------- ----------- --------- --------- ----------------'

# expect_summary FILE: the table's layout, order and total line.
expect_summary() {
	local f=$1 bad
	[[ $(sed -n 1p "$f") == "$SUMMARY_HEAD" &&
	    $(sed -n 2p "$f") == "$SUMMARY_RULE" &&
	    $(tail -n 2 "$f" | head -n 1) == "$SUMMARY_RULE" ]] ||
	    fail "$f: not strace's table layout" "$(head -n 3 "$f")"
	bad=$(awk -v rule="$SUMMARY_RULE" '
	    NR > 2 && $0 == rule { done = 1; next }
	    NR > 2 && !done {
		if (NR > 3 && $2 > last) print "not sorted by time: " $0
		last = $2; calls += $4
		errors += (NF == 6 ? $5 : 0); rows++
	    }
	    done {
		if ($NF != "total" || $1 != "100.00" || $4 != calls ||
		    (errors ? $5 : "") != (NF == 6 ? $5 : ""))
			print "bad total (" calls " calls, " errors \
			    " errors): " $0
	    }
	    END { if (!rows) print "no rows" }' "$f")
	[[ -z $bad ]] || fail "$f: $bad"
}

t_summary_counts() {		# -c: exact calls and errors, all processes
	need "$PROGS/counts" || return
	run_native "$PROGS/counts" 100 3 50
	run_as summary "$ISOTRACE" -c -o "$W/table.out" -- "$PROGS/counts" 100 3 50
	expect_same native summary
	expect_summary "$W/table.out"
	# 100 getppid in the parent, 50 in the child: two workers' counts.
	expect_grep table out "$(summary_row getppid 150)"
	expect_grep table out "$(summary_row open 3 3)"
	expect_grep table out "$(summary_row clone 1)"
	expect_no_grep table out '^\[pid |exit_group'
	# -c without -o: the table goes to stderr, after the command's own.
	run_as stderr "$ISOTRACE" --summary -- "$PROGS/counts" 7 1
	expect_status stderr 0
	expect_fixed stderr err "$SUMMARY_HEAD"
	expect_grep stderr err "$(summary_row getppid 7)"
	expect_grep stderr err "$(summary_row open 1 1)"
}

t_summary_filtered() {		# -c -e trace=: only the selected calls
	need "$PROGS/counts" || return
	run_as summary "$ISOTRACE" -c -e trace=getppid,open -o "$W/table.out" -- \
	    "$PROGS/counts" 100 3 50
	expect_status summary 0
	expect_summary "$W/table.out"
	[[ $(wc -l <"$W/table.out") == 6 ]] ||
	    fail "expected 2 rows" "$(cat "$W/table.out")"
	expect_grep table out "$(summary_row getppid 150)"
	expect_grep table out "$(summary_row open 3 3)"
	expect_grep table out "$(summary_row total 153 3)"
	# -C: the trace lines and the table, in the same file.
	run_as both "$ISOTRACE" -C -e trace=getppid -o "$W/bothtr.out" -- \
	    "$PROGS/counts" 10 0
	expect_status both 0
	TRACE=$W/bothtr.out expect_count '^getppid\(\) = [0-9]+$' 10
	expect_grep bothtr out "$(summary_row getppid 10)"
	tail -n 1 "$W/bothtr.out" | grep -Eq "$(summary_row total 10)" ||
	    fail "-C: the table is not last" "$(tail -n 3 "$W/bothtr.out")"
}

HMS='[0-2][0-9]:[0-5][0-9]:[0-6][0-9]'

t_timestamps() {		# -t, -tt, -ttt, -T as strace prints them
	need "$PROGS/counts" || return
	local f now
	run_as t1 "$ISOTRACE" -t -e trace=getppid -o "$W/t1tr.out" -- \
	    "$PROGS/counts" 3 0
	run_as t2 "$ISOTRACE" -tt -e trace=getppid -o "$W/t2tr.out" -- \
	    "$PROGS/counts" 3 0
	run_as t3 "$ISOTRACE" -ttt -e trace=getppid -o "$W/t3tr.out" -- \
	    "$PROGS/counts" 3 0
	run_as tT "$ISOTRACE" -T -e trace=getppid,open -o "$W/tTtr.out" -- \
	    "$PROGS/counts" 3 1
	run_as ttT "$ISOTRACE" -ttT -v -o "$W/ttTtr.out" -- "$PROGS/counts" 3 1
	now=$(date +%s)
	for f in t1 t2 t3 tT ttT; do
		expect_status $f 0
	done
	expect_grep t1tr out "^\[pid [0-9]+\] $HMS getppid\(\) = [0-9]+\$"
	expect_grep t1tr out "^\[pid [0-9]+\] $HMS \+\+\+ exited with 0 \+\+\+\$"
	expect_no_grep t1tr out '^\[pid [0-9]+\] [a-z]'
	expect_grep t2tr out \
	    "^\[pid [0-9]+\] $HMS\.[0-9]{6} getppid\(\) = [0-9]+\$"
	expect_no_grep t2tr out "^\[pid [0-9]+\] [a-z]|^\[pid [0-9]+\] $HMS "
	expect_grep t3tr out '^\[pid [0-9]+\] [0-9]{10}\.[0-9]{6} getppid\(\) = [0-9]+$'
	# -ttt is seconds since 1970: now, give or take a few seconds.
	local t
	t=$(sed -nE 's/^\[pid [0-9]+\] ([0-9]+)\..*/\1/p' "$W/t3tr.out" | head -n 1)
	[[ -n $t ]] && ((t <= now && t >= now - 5)) ||
	    fail "-ttt: $t is not now ($now)"
	expect_grep tTtr out '^\[pid [0-9]+\] getppid\(\) = [0-9]+ <0\.[0-9]{6}>$'
	expect_fixed tTtr out "[pid $(sed -nE 's/^\[pid ([0-9]+)\] open.*/\1/p' "$W/tTtr.out")] $OPEN_FAIL <$(sed -nE 's/.*ENOENT.* <([0-9.]+)>$/\1/p' "$W/tTtr.out")>"
	expect_grep tTtr out '^\[pid [0-9]+\] \+\+\+ exited with 0 \+\+\+$'
	expect_grep ttTtr out "^\[pid [0-9]+\] $HMS\.[0-9]{6} open\(\"/nonexistent/counts\", O_RDONLY\) = -1 ENOENT \(No such file or directory\) <0\.[0-9]{6}>\$"
	# A call that does not return has no time.
	expect_grep ttTtr out "^\[pid [0-9]+\] $HMS\.[0-9]{6} exit_group\(0\) = \?\$"
	# Times never go backwards within a process.
	sed -nE 's/^\[pid [0-9]+\] ([0-9:.]+) .*/\1/p' "$W/ttTtr.out" | sort -c ||
	    fail "-tt: times not in order"
}

TESTS+=(
	filter_names
	filter_negate
	filter_class
	filter_sandbox
	filter_no_stops
	filter_errors
	filter_strace_classes
	summary_counts
	summary_filtered
	timestamps
)
