# tests/it/fidelity.sh: --sandbox answers as the kernel would (errors,
# side effects) and writes nothing the program did not ask for; --verify
# streams its input.  Sourced by tests/integration.sh, which has the
# helpers.

t_fidelity_badptr() {		# emulated results obey page protections
	need "$PROGS/faultwrite" || return
	run_native "$PROGS/faultwrite"
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/faultwrite"
	expect_same native sb
	expect_fixed native out 'getrandom into read-only: 100'
	expect_fixed native out 'read-only page: 0 bytes changed'
}

t_fidelity_pidargs() {		# bad pid arguments: the kernel's errno, silently
	need "$PROGS/pidargs" || return
	run_native "$PROGS/pidargs"
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/pidargs"
	expect_same native sb		# stderr too: nothing about them
	expect_fixed native out 'syscall(SYS_tgkill, 0, 0, 0) = -1 EINVAL'
	expect_fixed native out 'syscall(SYS_tgkill, me, -5, 0) = -1 EINVAL'
}

t_fidelity_costack() {		# no scratch data below a coroutine's stack
	need "$PROGS/costack" || return
	run_native "$PROGS/costack" -x
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/costack" -x
	expect_same native sb
	expect_out sb $'recv 5 recvfrom 3 recvmsg 2\nbelow the stack: 0 bytes changed\nrecv 5 recvfrom 3 recvmsg 2\nbelow the stack: 0 bytes changed'
	# threads: each its own scratch, and the ones of threads that are
	# gone serve the next (net_threads makes and joins several)
	need "$PROGS/net_threads" || return
	run_as thr "$ISOTRACE" --sandbox -- "$PROGS/net_threads"
	expect_status thr 0
}

t_fidelity_scratch_reuse() {	# a reused worker writes nothing of the last process's
	# A worker that traced a process whose thread had scratch memory
	# must not hand that address to a thread of the next process it
	# traces, where the program's own data may lie.
	need "$PROGS/scratchreuse" || return
	run_native "$PROGS/scratchreuse" 6
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/scratchreuse" 6
	expect_same native sb
	expect_out sb $'changed bytes 0\nchanged bytes 0\nchanged bytes 0'
}

t_fidelity_sockets() {		# virtual sockets give loopback's errors
	need "$PROGS/sockerr" || return
	local LIMIT=3
	run_native "$PROGS/sockerr"
	run_as sb "$ISOTRACE" --sandbox -v -o "$W/trace" -- "$PROGS/sockerr"
	expect_same native sb
	expect_fixed native out 'socket type 999: -1 EINVAL'
	expect_fixed native out 'getsockname NULL NULL: -1 EFAULT'
	expect_fixed native out 'bind into a hole: -1 EFAULT'
	expect_fixed native out 'connect 0.0.0.0: 0'
	expect_fixed native out 'udp recv MSG_ERRQUEUE: -1 EAGAIN'
	expect_fixed native out 'nonblocking connect: -1 EINPROGRESS'
	expect_fixed native out 'recv timeout: -1 EAGAIN'
	expect_fixed native out 'recvfrom waited 50 ms: 1'
	expect_fixed native out 'SO_REUSEPORT is 1'
	expect_fixed native out 'TCP_NODELAY len 2: -1 EINVAL'
	expect_fixed native out 'IPV6_V6ONLY on inet: -1 ENOPROTOOPT'
	expect_fixed native out 'IP_TOS is 7'
	expect_fixed native out 'udp send 70000: -1 EMSGSIZE'
	expect_fixed native out 'bind :: beside 0.0.0.0: -1 EADDRINUSE'
	expect_fixed native out 'bind :: V6ONLY beside 0.0.0.0: 0'
	expect_fixed native out 'accepted by ::: -1 EAGAIN'
	# and they were the virtual network's: its first ports
	expect_match '^getsockname\(3, \{sa_family=AF_INET, sin_port=htons\(3276[89]\), sin_addr=inet_addr\("127\.0\.0\.1"\)\}, \[16\]\) = 0$'
}

t_fidelity_cmsg() {		# IP-level ancillary data as loopback's
	need "$PROGS/udpcmsg" || return
	run_native "$PROGS/udpcmsg"
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/udpcmsg"
	expect_same native sb
	expect_fixed native out '  cmsg level 0 type 8 len 28: ifindex 1 spec_dst 127.0.0.1 addr 127.0.0.1'
	expect_fixed native out '  cmsg level 41 type 50 len 36: ifindex 1 addr ::1'
	expect_fixed native out '  got 4, controllen 32, ctrunc 1'
	# recvmmsg as recvmsg, and more messages a call than a few
	expect_fixed native out ' recvmmsg: 4'
	expect_fixed native out ' sendmmsg 10: 10'
	expect_fixed native out ' recvmmsg 10: 10, 10 from the sender'
}

t_fidelity_udpsize() {		# the largest UDP datagram, as on loopback
	need "$PROGS/udpsize" || return
	run_native "$PROGS/udpsize"
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/udpsize"
	expect_same native sb
	expect_fixed native out 'udp sendto 65508: -1 EMSGSIZE'
	expect_fixed native out 'udp sendto nobody 65508: -1 EMSGSIZE'
	expect_fixed native out 'udp unconnected 65508: -1 EDESTADDRREQ'
	expect_fixed native out 'udp6 sendto 65527: 65527'
	expect_fixed native out 'udp6 connected mapped 65508: -1 EMSGSIZE'
}

t_fidelity_netgone() {		# sockets that reach nobody, as on loopback
	need "$PROGS/netgone" || return
	run_native "$PROGS/netgone"
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/netgone"
	expect_same native sb
	expect_fixed native out 'tcp nonblocking connect: -1 EINPROGRESS'
	expect_fixed native out '  so_error ECONNREFUSED'
	expect_fixed native out 'tcp connect anew: -1 EINPROGRESS'
	expect_fixed native out 'udp connect to nobody: 0'
	expect_fixed native out 'udp recv: -1 ECONNREFUSED'
	expect_fixed native out 'udp send unconnected: -1 EDESTADDRREQ'
	expect_fixed native out 'udp recvfrom: -1 ECONNREFUSED'
	expect_fixed native out '  ::ffff:127.0.0.1'
	expect_fixed native out 'udp send after the child'"'"'s connect: 1'
}

t_fidelity_netreset() {		# sends after a TCP peer's close, as on loopback
	need "$PROGS/netreset" || return
	run_native "$PROGS/netreset"
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/netreset"
	expect_same native sb
	expect_fixed native out 'send: 3 (SIGPIPE 0)'
	expect_fixed native out 'sendmsg: 4 (SIGPIPE 2)'
	expect_fixed native out 'sendto: -1 ECONNRESET (SIGPIPE 2)'
	expect_fixed native out 'sendmsg: -1 EPIPE (SIGPIPE 3)'
	expect_fixed native out 'send: 3 (SIGPIPE 4)'
}

t_fidelity_netretry() {		# a refused socket connects again, as on loopback
	need "$PROGS/netretry" || return
	run_native "$PROGS/netretry"
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/netretry"
	expect_same native sb
	expect_fixed native out 'connect again: -1 ECONNABORTED'
	expect_fixed native out '  SIGPIPE 1'
	expect_fixed native out 'epoll_ctl mod: 0'
	expect_fixed native out 'send on the dup: 5'
	expect_fixed native out 'recv: 5'
}

t_fidelity_nethops() {		# hop limits and traffic classes of datagrams
	need "$PROGS/nethops" || return
	run_native "$PROGS/nethops"
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/nethops"
	expect_same native sb
	expect_fixed native out 'udp6 traffic class of 5 bytes: -1 EINVAL'
	expect_fixed native out '  41/52 4: 2'
	expect_fixed native out '  41/67 4: 32'
	expect_fixed native out '  0/2 4: 9'
}

t_fidelity_udplite() {		# UDP-Lite sockets and their options
	need "$PROGS/udplite" || return
	run_native "$PROGS/udplite"
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/udplite"
	expect_same native sb
	expect_fixed native out '    lite from ::1'
	expect_fixed native out '  set 136/10 to 20: -1 ENOPROTOOPT'
}

# verify_left: the isotrace-verify.* directories under $W/vt (TMPDIR).
verify_left() {
	[[ -z $(find "$W/vt" -mindepth 1 -maxdepth 1 2>/dev/null) ]] ||
	    fail "verify left $(ls "$W/vt") behind"
}

t_fidelity_verify_stream() {	# --verify streams its input, bounded
	local LIMIT=4
	mkdir "$W/vt"
	export TMPDIR=$W/vt
	# an endless input that is not read to its end; at most 1 MiB of
	# files may be written (it was all saved to $TMPDIR first)
	run_as head bash -c 'ulimit -f 1024; yes | "$1" --verify head -1' sh \
	    "$ISOTRACE"
	expect_status head 0
	expect_out head y
	expect_fixed head err 'isotrace: verify: deterministic'
	verify_left
	# 100 MB through both runs, still not on the disk
	run_as big bash -c 'ulimit -f 1024
	    head -c 100000000 /dev/zero | "$1" --verify wc -c' sh "$ISOTRACE"
	expect_status big 0
	expect_out big 100000000
	verify_left
	# an input that never ends and is never read: no wait for it
	mkfifo "$W/fifo"
	sleep 20 >"$W/fifo" &
	local sleeper=$!
	STDIN=$W/fifo run_as noread "$ISOTRACE" --verify echo hi
	kill "$sleeper" 2>/dev/null
	wait "$sleeper" 2>/dev/null
	expect_status noread 0
	expect_out noread hi
	verify_left
	# isotrace's own output closed: run 1 gets EPIPE there, run 2 is
	# cut at the same byte, and both end
	run_as closed bash -c '"$1" --verify yes | head -2; echo "${PIPESTATUS[0]}"' \
	    sh "$ISOTRACE"
	expect_out closed $'y\ny\n0'
	verify_left
	# stdout and stderr are compared as they stream (translated pids:
	# /proc/self is the host's pid, different in each run)
	run_as diff "$ISOTRACE" --verify --sandbox-pids=translate bash -c \
	    'seq 100000; echo "pid $(readlink /proc/self)" >&2'
	expect_status diff 1
	expect_grep diff err '^isotrace: verify: stderr differs at byte [4-9]: '
	[[ $(wc -l <"$W/diff.out") == 100000 ]] || fail "diff: stdout cut"
	# one run writes 15 MB more than the other, past the 4 MiB one may
	# be ahead: the verdict comes when the other ends, nothing waits
	run_as long "$ISOTRACE" --verify sh -c 'if mkdir "$1" 2>/dev/null
	    then seq 2000000; else seq 3; fi' sh "$W/once"
	expect_status long 1
	expect_grep long err "^isotrace: verify: stdout differs at byte 6: run [12] has (end of output|0x34 '4'), run [12] has (end of output|0x34 '4')\$"
	verify_left
	# a signal ends both runs and takes the directory with it
	"$ISOTRACE" --verify cat <"$W/fifo" 2>"$W/sig.err" &
	local v=$!
	sleep 20 >"$W/fifo" &
	sleeper=$!
	sleep 0.3
	kill -TERM "$v"
	wait "$v"
	local st=$?
	kill "$sleeper" 2>/dev/null
	wait "$sleeper" 2>/dev/null
	[[ $st == 143 ]] || fail "verify killed by SIGTERM: status $st"
	verify_left
	unset TMPDIR
}

TESTS+=(
	fidelity_badptr fidelity_pidargs fidelity_costack fidelity_scratch_reuse
	fidelity_sockets fidelity_cmsg fidelity_netgone fidelity_netreset
	fidelity_netretry fidelity_nethops fidelity_udplite fidelity_udpsize
	fidelity_verify_stream
)
