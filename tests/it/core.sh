# tests/it/core.sh: the command line, exit statuses, decoded lines and tracee programs under one worker each.
# Sourced by tests/integration.sh, which has the helpers.

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
	local u='isotrace [-cCfhqTtVvxyZz] [-E var[=val]] [-e expr] [--json] [-P path] [--sandbox] [--sandbox-pids mode] [--verify] [--schedule mode] [--chaos] [--cpus n] [--epoch time] [--seed n] [--uid uid] [-o file] [-s strsize] [-u user] [--] command [args ...]'
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
	expect_fixed native out 'futex_wake 0'
	expect_fixed ittest out 'futex_wake 4242'
	expect_fixed ittest out 'nodename isotrace-test'
	expect_fixed ittest out 'getuid==getpid yes'
	expect_fixed native out 'umask 777'
	expect_fixed ittest out 'umask 022'
	expect_fixed ittest out "getgid $(id -g)"
	expect_fixed native out "getgid $(id -g)"
	expect_no_grep ittest out "^getuid $(id -u)\$"
	# injected at the exit of the execve, whose pc is the new entry
	expect_fixed ittest out 'nice 19'
	expect_no_grep native out '^nice 19$'
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

TESTS+=(
	echo verbose_stderr cat cat_passwd date
	exit0 exit3 exit126 exit127 signal_term signal_kill segv
	usage125 help version
	futex jobctl thread_exec badptr forks files signals pipes
	bash_pipeline getppid_loop writers verbose_devfull
	ittest nonet signal_dispositions
)

t_signal_dispositions() {	# the command starts with isotrace's dispositions
	# A worker ignores SIGRTMIN+3 (its -p detach request) and many
	# others; none of that may reach the command, passthru or sandbox.
	run_native grep -E '^Sig(Ign|Blk)' /proc/self/status
	run_traced grep -E '^Sig(Ign|Blk)' /proc/self/status
	expect_same
	run_as sandboxed "$ISOTRACE" --sandbox -- grep -E '^Sig(Ign|Blk)' /proc/self/status
	expect_same native sandboxed
	# ...and what isotrace's caller ignored stays ignored.
	run_as ign_native sh -c 'trap "" RTMIN+3 USR1; exec grep ^SigIgn /proc/self/status'
	run_as ign_traced sh -c 'trap "" RTMIN+3 USR1; exec "$0" -- grep ^SigIgn /proc/self/status' "$ISOTRACE"
	expect_same ign_native ign_traced
	expect_no_grep ign_native out ':	0000000000000000$'
}
