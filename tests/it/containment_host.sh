# tests/it/containment_host.sh: the traced program cannot harm its tracer
# or, under --sandbox, the host; signals sent to isotrace reach the command.
# Sourced by tests/integration.sh, which has the helpers.  An attack that
# would change the host runs in a namespace where the kernel refuses it,
# so a regression fails the test instead of changing this machine.

t_containment_tracer_calls() {	# every way to reach the tracer: EPERM
	need "$PROGS/tracer_attack" || return
	run_traced "$PROGS/tracer_attack" calls
	expect_status traced 0
	local c w want=
	for w in "tracer" "tracer's parent"; do
		for c in kill tkill tgkill rt_sigqueueinfo pidfd_open \
		    pidfd_send_signal ptrace process_vm_readv prlimit \
		    sched_setaffinity setpriority; do
			want+="$c $w: EPERM"$'\n'
		done
	done
	expect_out traced "${want}after: tracer alive"
	# -v shows the refusal as the program saw it
	run_verbose "$PROGS/tracer_attack" stop
	expect_match '^kill\([0-9]+, SIGSTOP\) = -1 EPERM \(Operation not permitted\)$'
}

t_containment_tracer_stop() {	# kill -STOP of the worker: refused
	need "$PROGS/tracer_attack" || return
	run_traced "$PROGS/tracer_attack" stop
	expect_status traced 0
	expect_out traced $'kill STOP tracer: EPERM\nafter: tracer alive'
	run_traced sh -c 'kill -STOP $PPID; echo after $?'
	expect_out traced 'after 1'
}

t_containment_tracer_kill() {	# kill -9 of the worker: refused
	need "$PROGS/tracer_attack" || return
	run_traced "$PROGS/tracer_attack" kill
	expect_status traced 0
	expect_out traced $'kill KILL tracer: EPERM\nafter: tracer alive'
}

t_containment_kill_group() {	# kill(0, sig) reaches the group, not us
	need "$PROGS/tracer_attack" || return
	# a session of its own: the group is isotrace's, not the test's
	run_as native setsid -w "$PROGS/tracer_attack" group 10
	run_as traced setsid -w "$ISOTRACE" -- "$PROGS/tracer_attack" group 10
	expect_same native traced
	expect_out traced $'kill(0, 10) = 0, got 10\nafter: tracer alive'
}

t_containment_kill_all() {	# kill(-1, SIGKILL) in a pid namespace
	need "$PROGS/tracer_attack" || return
	# sh is the namespace's init, which kill(-1) spares; isotrace is not
	# shellcheck disable=SC2016
	local s='"$@" all; echo status $?'
	run_as native unshare -pf --mount-proc sh -c "$s" sh \
	    "$PROGS/tracer_attack"
	run_as traced unshare -pf --mount-proc sh -c "$s" sh \
	    "$ISOTRACE" -- "$PROGS/tracer_attack"
	expect_same native traced
	expect_out traced $'kill(-1, SIGKILL) everyone: ok\nchild: killed by SIGKILL\nafter: tracer alive\nstatus 0'
}

t_containment_sandbox_kill_all() {	# kill(-1) reaches only the run
	need "$PROGS/tracer_attack" || return
	# a process of the namespace outside the run, which a native
	# kill(-1) would kill too
	# shellcheck disable=SC2016
	local s='sleep 5 & o=$!; "$@" all; echo status $?
kill -0 $o 2>/dev/null && echo outside alive; kill $o'
	run_as sandbox unshare -pf --mount-proc sh -c "$s" sh \
	    "$ISOTRACE" --sandbox -- "$PROGS/tracer_attack"
	expect_out sandbox $'kill(-1, SIGKILL) everyone: ok\nchild: killed by SIGKILL\nafter: tracer alive\nstatus 0\noutside alive'
}

t_containment_signals_forwarded() {	# what isotrace is sent, the command gets
	need "$PROGS/sigcatch" || return
	# SIGCONT is left out: a stop signal sent after it discards it, in
	# any process, natively too.
	local sigs='USR1 USR2 ALRM PIPE INT QUIT HUP TERM WINCH URG XCPU VTALRM PROF TSTP TTIN TTOU RTMIN+1'
	# shellcheck disable=SC2016
	local s='"$@" & p=$!
while [ ! -e ready ]; do sleep 0.01; done
for s in '"$sigs"'; do kill -$s $p; done
wait $p; echo status $?'
	# shellcheck disable=SC2086
	run_as native sh -c "$s" sh "$PROGS/sigcatch" $sigs
	rm -f "$W/ready"
	# shellcheck disable=SC2086
	run_as traced sh -c "$s" sh "$ISOTRACE" -- "$PROGS/sigcatch" $sigs
	expect_same native traced
	expect_out traced $'HUP INT QUIT USR1 USR2 PIPE ALRM TERM TSTP TTIN TTOU URG XCPU VTALRM PROF WINCH RTMIN+1\nstatus 0'
	# and SIGCONT alone
	rm -f "$W/ready"
	run_as cont sh -c "${s//$sigs/CONT}" sh "$ISOTRACE" -- "$PROGS/sigcatch" CONT
	expect_out cont $'CONT\nstatus 0'
}

t_containment_sandbox_clock() {	# setting the time sets the virtual clock
	need "$PROGS/hostset" || return
	# unshare -Ur: were the call to reach the kernel, it would fail
	need_userns || return
	run_as native unshare -Ur "$PROGS/hostset" clock
	run_as sandbox unshare -Ur "$ISOTRACE" --sandbox -- "$PROGS/hostset" clock
	expect_status sandbox 0
	expect_fixed native out 'clock_settime(CLOCK_REALTIME): EPERM'
	expect_out sandbox 'clock_settime(CLOCK_REALTIME): 0
realtime 1234567890
clock_settime(CLOCK_MONOTONIC): EINVAL
clock_settime(bad nsec): EINVAL
settimeofday(tv): 0
time 1500000000
settimeofday(tz): EPERM
adjtimex(ADJ_OFFSET): EPERM
adjtimex(read): 0
adjtimex time 1500000000'
	# the setting is the process's own, as its clock is: a sibling
	# reads the sandbox's time
	# shellcheck disable=SC2016
	run_as sibling unshare -Ur "$ISOTRACE" --sandbox -- sh -c \
	    'date -s @1000000000 +%s; date +%s'
	expect_out sibling "1000000000"$'\n'"$EPOCH"
}

t_containment_sandbox_hostname() {	# the name is the run's, not the host's
	need "$PROGS/hostset" || return
	# unshare -u: were the call to reach the kernel, it would rename a
	# namespace of the test's, not the host
	run_as sandbox unshare -u "$ISOTRACE" --sandbox -- "$PROGS/hostset" name
	expect_status sandbox 0
	expect_out sandbox 'sethostname: 0
setdomainname: 0
uname virtual-host virtual.dom gethostname virtual-host
/proc/sys/kernel/hostname: virtual-host
/proc/sys/kernel/domainname: virtual.dom
sethostname(65 bytes): EINVAL
/proc/sys/kernel/hostname: EACCES
/proc/sys/kernel/domainname: EACCES
/proc/sys/vm/drop_caches: EACCES
/proc/sysrq-trigger: '"$(test -e /proc/sysrq-trigger && echo EACCES || echo ENOENT)"'
/proc/self/comm: 0'
	# the issue's reproduction: a test suite "restores" the name it read
	# shellcheck disable=SC2016
	run_as repro unshare -u sh -c '"$1" --sandbox -- sh -c "hostname \$(hostname)"; hostname' \
	    sh "$ISOTRACE"
	expect_out repro "$(hostname)"
	# one name for the run: a sibling reads what another process set
	run_as siblings unshare -u "$ISOTRACE" --sandbox -- sh -c \
	    'hostname other; hostname; cat /proc/sys/kernel/hostname'
	expect_out siblings $'other\nother'
}

t_containment_sandbox_refused() {	# host-wide calls: EPERM
	local refused='init_module: EPERM
delete_module: EPERM
swapoff: EPERM
reboot: EPERM
kexec_load: EPERM
acct: EPERM
syslog(CLEAR): EPERM
iopl: EPERM
ioperm: EPERM
bpf: EPERM
add_key(user keyring): EPERM'
	need "$PROGS/hostset" || return
	need_userns || return		# unshare -Ur keeps the host safe
	# Translated pids: no namespace of the run's own, so mounts would be
	# the host's and are refused.
	run_as sandbox unshare -Ur "$ISOTRACE" --sandbox \
	    --sandbox-pids=translate -- "$PROGS/hostset" refused
	expect_status sandbox 0
	expect_out sandbox "$refused
umount2: EPERM
mount: EPERM
vhangup: EPERM"
	# In the run's own mount namespace a mount is the kernel's business
	# and changes nothing outside: the kernel's answer for a missing
	# mount point.
	run_as ns unshare -Ur "$ISOTRACE" --sandbox \
	    --sandbox-pids=namespace -- "$PROGS/hostset" refused
	expect_status ns 0
	expect_out ns "$refused
umount2: ENOENT
mount: ENOENT
vhangup: EPERM"
}

t_containment_sigwait_ignored() {	# an ignored signal does not end a wait
	need "$PROGS/sigwait_ign" || return
	run_native "$PROGS/sigwait_ign"
	run_traced "$PROGS/sigwait_ign"
	expect_same native traced
	expect_out traced $'sigtimedwait: EAGAIN, waited the timeout: yes\nsigwaitinfo: USR1'
	run_verbose "$PROGS/sigwait_ign"
	expect_same native verbose
}

t_containment_terminal_stop() {	# ^Z from a terminal stops the job, fg resumes
	local LIMIT=10
	# an interactive shell on a pseudo-terminal; ^Z goes to the
	# foreground group: the command and isotrace, which must stop too
	cat >"$W/terminal.py" <<-'EOF'
	import os, pty, select, sys, time
	pid, fd = pty.fork()
	if pid == 0:
	    os.execvp("bash", ["bash", "--norc", "--noprofile", "-i"])
	out = b""
	def rd(t):
	    global out
	    end = time.time() + t
	    while time.time() < end:
	        if select.select([fd], [], [], 0.05)[0]:
	            try:
	                out += os.read(fd, 4096)
	            except OSError:
	                return
	def w(s):
	    os.write(fd, s.encode() if isinstance(s, str) else s)
	rd(0.5)
	w("%s -- sh -c 'sleep 0.5; echo DONE-$((6*7))'\n" % sys.argv[1])
	rd(0.3)
	w(b"\x1a")
	rd(0.5)
	w("jobs; echo JOBS-$((1+1))\n")
	rd(0.3)
	w("fg >/dev/null\n")
	rd(1.5)
	w("echo STATUS-$?\n")
	rd(0.3)
	w("exit\n")
	rd(0.3)
	sys.stdout.write(out.decode(errors="replace").replace("\r", ""))
	EOF
	run_as pty python3 "$W/terminal.py" "$ISOTRACE"
	# (lines may start with the terminal's escape sequences)
	expect_grep pty out '\[1\]\+ +Stopped +.*isotrace'
	expect_grep pty out 'JOBS-2$'
	expect_grep pty out 'DONE-42$'
	expect_grep pty out 'STATUS-0$'
}

TESTS+=(
	containment_tracer_calls containment_tracer_stop
	containment_tracer_kill containment_kill_group containment_kill_all
	containment_sandbox_kill_all containment_signals_forwarded
	containment_sandbox_clock
	containment_sandbox_hostname containment_sandbox_refused
	containment_sigwait_ignored containment_terminal_stop
)
