# tests/it/pidns.sh: --sandbox pids in the run's own pid namespace, and the
# translate fallback (--sandbox-pids).

t_pidns_proc() {		# /proc, credentials, signalfd... agree with getpid
	need "$PROGS/procpids" || return
	need_userns || return
	run_native "$PROGS/procpids"
	run_as sb1 "$ISOTRACE" --sandbox -- "$PROGS/procpids"
	run_as sb2 "$ISOTRACE" --sandbox --sandbox-pids=namespace -- \
	    "$PROGS/procpids"
	expect_status sb1 0
	expect_no_grep native out 'FAILED'
	expect_same_lines native sb1 '^check '
	expect_same sb1 sb2
	expect_grep sb1 out '^value pid 1000 ppid 1 child [0-9]+ thread [0-9]+$'
	# translate mode cannot make /proc agree: the test can tell
	run_as tr "$ISOTRACE" --sandbox --sandbox-pids=translate -- \
	    "$PROGS/procpids"
	expect_grep tr out '^check /proc/self is getpid\(\) FAILED$'
	# but it translates every call that takes a pid
	expect_fixed tr out 'check process_vm_readv(child) ok'
	expect_fixed tr out "check kcmp(me, child, KCMP_VM) is 'different' ok"
	expect_fixed tr out 'check pidfd_open(child) ok'
}

t_pidns_shell() {		# a shell's view: $$, $PPID, ps-like listing
	need_userns || return
	local cmd='echo $$ $PPID; read -r p _ < /proc/self/stat; echo $p
cd /proc; for d in [0-9]*; do echo "$d $(cut -d" " -f4 $d/stat)"; done
sh -c "echo \$\$ \$PPID; cat /proc/\$\$/comm"; echo $(cat /proc/sys/kernel/hostname)'
	run_as sb1 "$ISOTRACE" --sandbox -- bash -c "$cmd"
	run_as sb2 "$ISOTRACE" --sandbox -- bash -c "$cmd"
	expect_status sb1 0
	expect_same sb1 sb2
	expect_grep sb1 out '^1000 1$'
	expect_grep sb1 out '^1 0$'		# the init, its parent outside
	expect_grep sb1 out '^[0-9]+ 1000$'	# the child sh
	expect_grep sb1 out '^sandbox$'
	[[ $(sed -n 2p "$W/sb1.out") == 1000 ]] ||
	    fail "/proc/self/stat of the shell: $(sed -n 2p "$W/sb1.out")"
	# nothing of the host shows: every pid listed is 1 or a descendant
	[[ $(grep -Ec '^[0-9]+ [0-9]+$' "$W/sb1.out") -le 8 ]] ||
	    fail "the host's processes are visible" "$(cat "$W/sb1.out")"
}

t_pidns_kill_ppid() {		# kill $PPID reaches isotrace's init, not the host's
	command -v unshare >/dev/null || return
	need_userns || return		# no init of isotrace's without them
	local outer='trap "echo init got TERM" TERM; "$@"; echo done'
	run_as native unshare -pf --mount-proc sh -c "$outer" sh \
	    sh -c 'kill -TERM $PPID'
	run_as sb unshare -pf --mount-proc sh -c "$outer" sh \
	    "$ISOTRACE" --sandbox -- sh -c 'kill -TERM $PPID; echo sent $?'
	expect_grep native out '^init got TERM$'
	expect_status sb 0
	expect_grep sb out '^sent 0$'
	expect_grep sb out '^done$'
	expect_no_grep sb out 'init got TERM'
}

t_pidns_threads() {		# create+join of short threads never hangs
	need "$PROGS/threadjoin" || return
	local m i modes=(translate)
	need_userns namespace && modes=(namespace translate)
	for m in "${modes[@]}"; do
		for i in 1 2 3 4 5; do
			run_as "$m$i" "$ISOTRACE" --sandbox \
			    --sandbox-pids=$m -- "$PROGS/threadjoin"
			expect_status "$m$i" 0
			expect_out "$m$i" 'joined 20'
		done
	done
}

t_pidns_translate() {		# the fallback keeps the pid relations
	need "$PROGS/pids" || return
	run_native "$PROGS/pids"
	run_as tr1 "$ISOTRACE" --sandbox --sandbox-pids=translate -- \
	    "$PROGS/pids"
	run_as tr2 "$ISOTRACE" --sandbox --sandbox-pids=translate -- \
	    "$PROGS/pids"
	expect_status tr1 0
	expect_same_lines native tr1 '^check '
	expect_same tr1 tr2
	expect_fixed tr1 out 'value pid 1000 ppid 1'
	# the interface ioctls are still the virtual network's, beside the
	# terminal's process group ioctls that translate
	need "$PROGS/net_reach" || return
	run_as trnet "$ISOTRACE" --sandbox --sandbox-pids=translate -- \
	    "$PROGS/net_reach"
	expect_status trnet 0
	[[ $(grep '^interface ' "$W/trnet.out") == 'interface lo 127.0.0.1:0' ]] ||
	    fail "SIOCGIFCONF shows more than lo" "$(grep '^interface ' "$W/trnet.out")"
	expect_fixed trnet out 'eth0 index: ENODEV'
	# without user namespaces --sandbox says so once and translates:
	# here, or in a user namespace of the test's that allows no more
	if [[ -n $USERNS_WHY ]]; then
		run_as nons "$ISOTRACE" --sandbox -- "$PROGS/pids"
	else
		command -v unshare >/dev/null || return
		run_as nons unshare -Ur sh -c \
		    'echo 0 >/proc/sys/user/max_user_namespaces && exec "$@"' \
		    sh "$ISOTRACE" --sandbox -- "$PROGS/pids"
	fi
	expect_status nons 0
	expect_same_lines native nons '^check '
	expect_fixed nons out 'value pid 1000 ppid 1'
	[[ $(grep -c 'no user namespaces' "$W/nons.err") == 1 ]] ||
	    fail "no single notice of the fallback" "$(cat "$W/nons.err")"
}

t_pidns_identity() {		# ids follow the program's own setuid/setgid
	command -v setpriv >/dev/null && [[ $(id -u) == 0 ]] || return
	local cmd='id -u; id -g; setpriv --reuid=65534 --regid=65534 \
	    --clear-groups sh -c "id -u; id -g; stat -c %u \$(mktemp -p d)"'
	local m modes=(translate)
	need_userns namespace && modes=(namespace translate)
	mkdir -m 1777 "$W/d"
	run_native bash -c "$cmd"
	for m in "${modes[@]}"; do
		run_as "$m" "$ISOTRACE" --sandbox --sandbox-pids=$m -- \
		    bash -c "$cmd"
		expect_same native "$m"
		run_as "$m-u" "$ISOTRACE" --sandbox --sandbox-pids=$m \
		    --uid 1234 -- bash -c "$cmd"
		expect_out "$m-u" $'1234\n1234\n65534\n65534\n65534'
	done
}

t_pidns_clash() {		# a chosen pid already taken: the next one
	need "$PROGS/pidclash" || return
	need_userns || return		# pids are chosen in the run's namespace
	local first second
	run_as free "$ISOTRACE" --sandbox -- "$PROGS/pidclash"
	expect_status free 0
	read -r _ first _ second <"$W/free.out"
	[[ $second =~ ^[0-9]+$ ]] || { fail "no pids: $(cat "$W/free.out")"; return; }
	# ns_last_pid is written: in a pid namespace of the test's own too,
	# in case the sandbox's were ever missing
	command -v unshare >/dev/null || return
	TAKE=$second run_as taken1 unshare -pf --mount-proc \
	    "$ISOTRACE" --sandbox -- "$PROGS/pidclash"
	TAKE=$second run_as taken2 unshare -pf --mount-proc \
	    "$ISOTRACE" --sandbox -- "$PROGS/pidclash"
	expect_status taken1 0
	expect_out taken1 "taken $second"$'\n'"first $first second $((second + 1))"
	expect_same taken1 taken2
}

TESTS+=(
	pidns_proc pidns_shell pidns_kill_ppid pidns_threads pidns_translate
	pidns_identity pidns_clash
)
