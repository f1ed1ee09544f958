# tests/it/containment.sh: no call escapes the table, nothing is left
# behind.  Each test runs one attack and asserts the safe outcome.
# Sourced by tests/integration.sh, which has the helpers.

# Translated pids: the table answers getpid and friends, so an i386 or
# x32 twin must not run without it, and /proc's TracerPid shows the
# worker (in the run's own pid namespace it shows 0: the tracer is not
# in that namespace).
run_sandbox() {
	_run sandbox "$ISOTRACE" --sandbox --sandbox-pids=translate -- "$@"
}

t_containment_abi32() {		# a 32-bit static program: int 0x80 only
	need "$PROGS/abi32" || return
	run_native "$PROGS/abi32"
	run_traced "$PROGS/abi32"
	run_sandbox "$PROGS/abi32"
	expect_out native 'time: ok
getpid: ok
getrandom: ok
socket: ok
clone_untraced: ok
fork: ok
waitpid: ok
fork status: 7'
	# No clone escapes tracing, whatever the ABI.
	expect_out traced 'time: ok
getpid: ok
getrandom: ok
socket: ok
clone_untraced: -1
fork: ok
waitpid: ok
fork status: 7'
	# The sandbox's calls never run natively through int 0x80.
	expect_out sandbox 'time: -38
getpid: -38
getrandom: -38
socket: -38
clone_untraced: -1
fork: ok
waitpid: -38
fork status: 0'
	expect_status traced 0
	expect_status sandbox 0
	expect_no_workers
}

t_containment_int80() {		# i386 and x32 calls from a 64-bit program
	need "$PROGS/int80" || return
	run_native "$PROGS/int80"
	run_traced "$PROGS/int80"
	run_sandbox "$PROGS/int80"
	expect_fixed native out 'i386 clone(CLONE_UNTRACED): ok'
	expect_fixed native out 'i386 fork: child traced=no'
	expect_out traced 'i386 clone(CLONE_UNTRACED): -1
i386 fork: child traced=yes
i386 time: ok
i386 getpid: ok
i386 getrandom: ok
x32 clone(CLONE_UNTRACED): -1
x32 getpid: -38'
	expect_out sandbox 'i386 clone(CLONE_UNTRACED): -1
i386 fork: child traced=yes
i386 time: -38
i386 getpid: -38
i386 getrandom: -38
x32 clone(CLONE_UNTRACED): -1
x32 getpid: -38'
	expect_no_workers
}

t_containment_forged_trace() {	# a program's filter returns RET_TRACE|data
	need "$PROGS/forge" || return
	run_native "$PROGS/forge" "$EPOCH"
	run_traced "$PROGS/forge" "$EPOCH"
	run_sandbox "$PROGS/forge" "$EPOCH"
	expect_out native 'getpid: ENOSYS
getppid: ENOSYS
time: ENOSYS
socket: EACCES'
	# Its RET_TRACE stops reach the worker, which runs them as the
	# table says: passthru runs them, the sandbox answers them.
	expect_out traced 'getpid: real
getppid: real
time: real
socket: EACCES'
	expect_out sandbox 'getpid: 1000
getppid: 1
time: virtual
socket: EACCES'
	expect_no_workers
}

t_containment_park_filter() {	# a filter that refuses or kills every wait
	need "$PROGS/parkfilter" || return
	local how
	for how in errno kill; do
		run_as "native-$how" "$PROGS/parkfilter" "$how"
		run_as "traced-$how" "$ISOTRACE" -- "$PROGS/parkfilter" "$how"
		expect_out "native-$how" 'child: traced=no
grandchild: traced=no
child: exited 0'
		expect_out "traced-$how" 'child: traced=yes
grandchild: traced=yes
child: exited 0'
	done
	expect_no_workers
}

t_containment_park_running() {	# a parked child does not look asleep
	need "$PROGS/sstate" || return
	run_native "$PROGS/sstate"
	run_traced "$PROGS/sstate"
	expect_out native 'woken: 1'
	expect_same
}

t_containment_burst() {		# 200 children forked at once, all adopted
	need "$PROGS/forkburst" || return
	local LIMIT=10
	run_native "$PROGS/forkburst" 200
	run_traced "$PROGS/forkburst" 200
	expect_out traced '200 of 200 children ended as they should'
	expect_same
	expect_no_workers
}

t_containment_nproc() {		# no worker to be had: that fork fails
	need "$PROGS/nproc" || return
	if [[ $(id -u) != 0 ]] || ! command -v setpriv >/dev/null; then
		skip "needs root and setpriv to run as nobody"
		return
	fi
	# As nobody, under a process limit the traced program reaches
	# (isotrace needs two processes per process, so it gets there
	# first).
	local as='ulimit -u 24 && exec "$@"'
	run_as native setpriv --reuid=65534 --regid=65534 --clear-groups \
	    bash -c "$as" sh "$PROGS/nproc"
	run_as traced setpriv --reuid=65534 --regid=65534 --clear-groups \
	    bash -c "$as" sh "$ISOTRACE" -- "$PROGS/nproc"
	expect_out native 'fork failed: EAGAIN
all children ended'
	expect_same
	expect_no_workers
}

# The processes (traced, parked, workers) whose working directory is $W.
left_in_w() {
	find /proc/[0-9]*/cwd -maxdepth 0 -lname "$W" 2>/dev/null |
	    cut -d/ -f3 | tr '\n' ' '
}

# kill -9 isotrace amid a fork storm, at a random moment, 5 times (500
# with -n 100): no process of the storm may outlive it.
t_containment_kill_storm() {
	need "$PROGS/forkstorm" || return
	local i k sup left
	for i in 1 2 3 4 5; do
		(cd "$W" && exec "$ISOTRACE" -- "$PROGS/forkstorm" 2000 \
		    </dev/null >/dev/null 2>&1) &
		sup=$!
		sleep "0.$((RANDOM % 4 + 1))$((RANDOM % 10))"
		kill -9 "$sup"
		wait "$sup" 2>/dev/null
		# Traced processes die with their workers; a parked one with
		# the worker that parked it, or at the end of its park.
		for k in $(seq 40); do
			left=$(left_in_w)
			[[ -z $left ]] && break
			sleep 0.05
		done
		if [[ -n $left ]]; then
			fail "kill $i: processes left behind" \
			    "$(ps -o pid,stat,wchan:20,cmd -p "$(echo $left | tr " " ,)" |
				head -n 5)"
			kill -9 $left 2>/dev/null
			return
		fi
	done
}

TESTS+=(
	containment_abi32 containment_int80 containment_forged_trace
	containment_park_filter containment_park_running containment_burst
	containment_nproc containment_kill_storm
)
