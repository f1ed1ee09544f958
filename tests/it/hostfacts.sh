# tests/it/hostfacts.sh: --sandbox hides the host's CPU, load, uptime,
# memory and CPU count, and /dev/urandom stays cheap and a character device.
# Sourced by tests/integration.sh, which has the helpers.

t_hostfacts_same() {		# two runs print the same machine, not the host's
	need "$PROGS/hostfacts" || return
	run_native "$PROGS/hostfacts"
	run_as sb1 "$ISOTRACE" --sandbox -- "$PROGS/hostfacts"
	run_as sb2 "$ISOTRACE" --sandbox -- "$PROGS/hostfacts"
	expect_status sb1 0
	expect_same sb1 sb2
	expect_fixed sb1 out 'getcpu cpu 0 node 0'
	expect_fixed sb1 out 'sched_getcpu 0'
	expect_fixed sb1 out 'rseq none'
	expect_fixed sb1 out 'affinity 2 cpus'
	expect_fixed sb1 out 'sysconf online 2 configured 2'
	expect_grep sb1 out '^/proc/uptime: 100\.00 180\.00$'
	expect_grep sb1 out '^/proc/loadavg: 0\.00 0\.00 0\.00 1/1 1000$'
	expect_fixed sb1 out '/proc/stat: cpu  2000 0 0 18000 0 0 0 0 0 0'
	expect_fixed sb1 out '/proc/stat: cpu1 1000 0 0 9000 0 0 0 0 0 0'
	expect_fixed sb1 out "/proc/stat: btime $((EPOCH - 100))"
	expect_fixed sb1 out '/proc/meminfo: MemTotal:        4194304 kB'
	expect_fixed sb1 out 'starttime 10000'
	expect_fixed sb1 out '/sys/devices/system/cpu/online: 0-1'
	expect_fixed sb1 out '/sys/devices/system/cpu/possible: 0-1'
	expect_fixed sb1 out '/sys/devices/system/cpu/present: 0-1'
	expect_fixed sb1 out '/proc/cpuinfo: model name	: isotrace virtual CPU @ 2.00GHz'
	[[ $(grep -c '^/proc/cpuinfo: processor' "$W/sb1.out") == 2 ]] ||
	    fail "/proc/cpuinfo does not show 2 CPUs"
	expect_no_grep sb1 out '^/proc/cpuinfo: flags.* (rdrand|rdseed)( |$)'
	# the process's start time agrees with the uptime: at boot + 100 s
	# (USER_HZ 100), as ps computes it
	local k
	for k in /proc/uptime /proc/loadavg '/proc/stat: btime' starttime \
	    '/proc/cpuinfo: model name'; do
		[[ $(grep "^$k" "$W/native.out") != "$(grep "^$k" "$W/sb1.out")" ]] ||
		    fail "$k: the sandbox printed the host's value"
	done
}

t_hostfacts_cpus() {		# --cpus N is what every view of the CPUs shows
	need "$PROGS/hostfacts" || return
	run_as cpus3 "$ISOTRACE" --sandbox --cpus 3 -- "$PROGS/hostfacts"
	expect_status cpus3 0
	expect_fixed cpus3 out 'affinity 3 cpus'
	expect_fixed cpus3 out 'sysconf online 3 configured 3'
	expect_fixed cpus3 out '/sys/devices/system/cpu/online: 0-2'
	expect_fixed cpus3 out '/proc/stat: cpu2 1000 0 0 9000 0 0 0 0 0 0'
	[[ $(grep -c '^/proc/cpuinfo: processor' "$W/cpus3.out") == 3 ]] ||
	    fail "/proc/cpuinfo does not show 3 CPUs"
	run_as nproc "$ISOTRACE" --sandbox --cpus 3 -- nproc
	expect_out nproc 3
	run_as nproc1 "$ISOTRACE" --sandbox --cpus 1 -- nproc --all
	expect_out nproc1 1
	run_as zero "$ISOTRACE" --sandbox --cpus 0 -- true
	expect_status zero 125
	expect_grep zero err '^isotrace: --cpus 0: '
	run_as many "$ISOTRACE" --sandbox --cpus 65 -- true
	expect_status many 125
}

t_hostfacts_cpuid() {		# a faulting cpuid is answered from the fixed CPU
	need "$PROGS/hostfacts" || return
	# natively the forged fault kills; in the sandbox the worker answers
	# it as it answers a real CPUID fault (this CPU may not fault CPUID)
	run_native "$PROGS/hostfacts" forge
	expect_status native 139
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/hostfacts" forge
	expect_status sb 0
	expect_out sb 'forged cpuid vendor GenuineIntel max leaf 4'
}

t_hostfacts_urandom() {		# 300 opens: one pool, character devices
	need "$PROGS/urandom_many" || return
	run_native "$PROGS/urandom_many"
	run_as sb1 "$ISOTRACE" --sandbox -- "$PROGS/urandom_many"
	run_as sb2 "$ISOTRACE" --sandbox -- "$PROGS/urandom_many"
	expect_status sb1 0
	expect_same_lines native sb1 '^(equal|fstat|fstatat|statx|stat) '
	expect_fixed sb1 out 'fstat chr 1:9'
	expect_fixed sb1 out 'statx chr 1:9'
	expect_same sb1 sb2
	# one 1 MiB memfd for the 300 fds, not 300 of them
	expect_fixed sb1 out 'opens 300 files 1 bytes 1048576'
	# openat2 reads the stream too
	expect_grep sb1 out '^openat2( [0-9a-f]{2}){16}$'
	[[ $(grep '^openat2' "$W/native.out") != "$(grep '^openat2' "$W/sb1.out")" ]] ||
	    fail "openat2 of /dev/urandom read the host's bytes"
	# a child's opens take a pool of its own
	run_as pipe "$ISOTRACE" --sandbox -- sh -c \
	    'head -c 16 /dev/urandom | od -An -tx1; head -c 16 /dev/urandom | od -An -tx1'
	run_as pipe2 "$ISOTRACE" --sandbox -- sh -c \
	    'head -c 16 /dev/urandom | od -An -tx1; head -c 16 /dev/urandom | od -An -tx1'
	expect_same pipe pipe2
	[[ $(sed -n 1p "$W/pipe.out") != "$(sed -n 2p "$W/pipe.out")" ]] ||
	    fail "two processes read the same bytes"
}

TESTS+=(
	hostfacts_same hostfacts_cpus hostfacts_cpuid hostfacts_urandom
)

t_hostfacts_cpuid_real() {	# with CPUID faulting, cpuid itself is the fixed CPU
	need "$PROGS/hostfacts" || return
	run_native "$PROGS/hostfacts" canfault
	if ! grep -q '^cpuid faulting yes$' "$W/native.out"; then
		skip "no CPUID faulting on this CPU ($(sed 's/^cpuid faulting no: //' "$W/native.out"))"
		return
	fi
	run_native "$PROGS/hostfacts"
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/hostfacts"
	expect_status sb 0
	expect_fixed sb out 'cpuid vendor GenuineIntel'
	expect_fixed sb out 'cpuid brand isotrace virtual CPU @ 2.00GHz'
	# leaf 1: family 6 model 0x55 stepping 4, no rdrand (ecx bit 30)
	expect_grep sb out '^cpuid 0x1: 00050654 '
	expect_no_grep sb out '^cpuid 0x1: [0-9a-f]{8} [0-9a-f]{8} [4-7c-f]'
}

# A run with a few processes: a shell, a child blocked on a fifo, ps.
# The shell waits (with builtins only: no pid taken) until the child
# waits in its open, where a native run would find it too.
ps_script='mkfifo "$1/fifo"; cat "$1/fifo" & c=$!
while :; do read w </proc/$c/wchan; [ "$w" = wait_for_partner ] && break; done
ps -o pid,ppid,stat,lstart,time,rss,vsz,cmd; ps aux; ps -eLf; echo >"$1/fifo"; wait'

t_hostfacts_ps() {		# ps shows the run's processes the same in 10 runs
	local i LIMIT=3
	for i in 1 2 3 4 5 6 7 8 9 10; do
		mkdir "$W/d$i"
		run_as "ps$i" "$ISOTRACE" --sandbox -- sh -c "$ps_script" sh "$W/d$i"
		sed -i "s|$W/d$i|DIR|g" "$W/ps$i.out"
		expect_status "ps$i" 0
		((i == 1)) || expect_same ps1 "ps$i"
	done
	expect_no_grep ps1 err 'FPE'
	# every process started at the epoch (host uptime would show a later
	# time), nothing has run for a second, the init has no memory; the
	# nice value (N) is the caller's, as natively
	[[ $(grep -c " $EPOCH_ASCTIME 00:00:00 " "$W/ps1.out") == 4 ]] ||
	    fail "ps -o lstart,time: not 4 processes started at the epoch"
	expect_grep ps1 out "^ +1 +0 SN? +$EPOCH_ASCTIME 00:00:00 +0 +0 isotrace: sandbox init"
	expect_grep ps1 out '^ +[0-9]+ +1000 SN? .* cat DIR/fifo$'
	expect_grep ps1 out '^root +1000 +0\.0 +0\.0 .* SN? +00:00 +0:00 sh -c '
	expect_grep ps1 out '^root +[0-9]+ +1000 +[0-9]+ +0 +1 00:00 \? +00:00:00 cat DIR/fifo$'
	# top reads the memory of /proc/PID/statm: the init's is none
	command -v top >/dev/null || return 0
	for i in 1 2 3; do
		run_as "top$i" "$ISOTRACE" --sandbox -- top -b -n 1
		expect_status "top$i" 0
	done
	expect_same top1 top2
	expect_same top1 top3
	expect_grep top2 out '^ +1 root +[0-9]+ +[0-9]+ +0 +0 +0 S '
	expect_grep top2 out '^top - 00:00:00 up 1 min, .* load average: 0\.00, 0\.00, 0\.00$'
}

t_hostfacts_procpid() {		# stat, status, schedstat of self, child, thread
	local script='sleep 7; cat /proc/self/status; cat /proc/self/stat /proc/self/schedstat
grep -E "^(se\.exec_start|se\.vruntime|nr_switches|se\.load\.weight|prio) " /proc/self/sched
cat /proc/thread-self/stat
mkfifo "$1/fifo"; cat "$1/fifo" & c=$!
while :; do read w </proc/$c/wchan; [ "$w" = wait_for_partner ] && break; done
cat /proc/$c/stat /proc/$c/task/$c/stat /proc/$c/schedstat; grep -E "^(State|Cpus|Mems|volunt|nonvol|Seccomp)" /proc/$c/status
echo >"$1/fifo"; wait'
	local i LIMIT=5
	for i in 1 2; do
		mkdir "$W/d$i"
		run_as "sb$i" "$ISOTRACE" --sandbox --cpus 5 -- sh -c "$script" sh "$W/d$i"
		sed -i "s|$W/d$i|DIR|g" "$W/sb$i.out"
	done
	run_native grep -E '^(Cpus|Mems)_allowed' /proc/self/status
	expect_status sb1 0
	expect_same sb1 sb2
	expect_fixed sb1 out 'Cpus_allowed:	1f'
	expect_fixed sb1 out 'Cpus_allowed_list:	0-4'
	expect_fixed sb1 out 'Mems_allowed:	1'
	expect_fixed sb1 out 'voluntary_ctxt_switches:	0'
	expect_fixed sb1 out 'nonvoluntary_ctxt_switches:	0'
	expect_fixed sb1 out 'State:	R (running)'
	# the resident set is the program's own pages, not the page cache's
	expect_fixed sb1 out 'RssFile:	       0 kB'
	expect_fixed sb1 out 'State:	S (sleeping)'
	# the sandbox's own seccomp filter is not the program's
	expect_fixed sb1 out 'Seccomp:	0'
	expect_fixed sb1 out 'Seccomp_filters:	0'
	# the reader: started at the epoch (boot + 100 s), has run as long
	# as its clock moved; faults 0, CPU 0; the child: started when its
	# parent's clock said, no CPU time of its own
	expect_grep sb1 out '^[0-9]+ \(cat\) R [0-9]+ [0-9]+ [0-9]+ 0 -?[0-9]+ [0-9]+ 0 0 0 0 [0-9]+ 0 0 0 [0-9]+ -?[0-9]+ 1 0 10000 '
	expect_grep sb1 out '^[0-9]+ \(cat\) S 1000 [0-9]+ [0-9]+ 0 -?[0-9]+ [0-9]+ 0 0 0 0 0 0 0 0 [0-9]+ -?[0-9]+ 1 0 10000 '
	expect_grep sb1 out '^0 0 0$'
	# the scheduler's clocks and counts read 0, its settings stay
	expect_grep sb1 out '^se\.exec_start +: +0\.000000$'
	expect_grep sb1 out '^nr_switches +: +0$'
	expect_grep sb1 out '^prio +: +1[0-9][0-9]$'
	run_as native2 grep -E '^se\.exec_start ' /proc/self/sched
	expect_no_grep native2 out '^se\.exec_start +: +0\.000000$'
	[[ $(grep -Ec '^[0-9]+ \(cat\) ([^ ]+ ){36}0 ' "$W/sb1.out") == 4 ]] ||
	    fail "the processor field (39) is not 0 in the 4 stat lines"
	[[ $(grep Cpus_allowed_list "$W/native.out") != "Cpus_allowed_list:	0-4" ]] ||
	    skip "the host has the sandbox's 5 CPUs"
	[[ $(grep '^Mems_allowed:' "$W/native.out") != "Mems_allowed:	1" ]] ||
	    skip "the host shows the sandbox's Mems_allowed"
}

t_hostfacts_lscpu() {		# lscpu, getconf and /sys show --cpus CPUs
	local c
	for c in lscpu getconf; do
		command -v "$c" >/dev/null || { skip "no $c"; return; }
	done
	run_as l1 "$ISOTRACE" --sandbox --cpus 3 -- lscpu
	run_as l2 "$ISOTRACE" --sandbox --cpus 3 -- lscpu
	run_native lscpu
	expect_status l1 0
	expect_same l1 l2
	expect_grep l1 out '^CPU\(s\): +3$'
	expect_grep l1 out '^On-line CPU\(s\) list: +0-2$'
	expect_grep l1 out '^Model name: +isotrace virtual CPU @ 2\.00GHz$'
	expect_grep l1 out '^Core\(s\) per socket: +3$'
	expect_grep l1 out '^L1d cache: +96 KiB \(3 instances\)$'
	expect_grep l1 out '^L3 cache: +16 MiB \(1 instance\)$'
	expect_grep l1 out '^NUMA node0 CPU\(s\): +0-2$'
	expect_grep l1 out '^Vulnerability Meltdown: +Not affected$'
	[[ $(grep '^Model name' "$W/native.out") != "$(grep '^Model name' "$W/l1.out")" ]] ||
	    fail "lscpu showed the host's model"
	run_as sys "$ISOTRACE" --sandbox --cpus 1 -- sh -c 'ls /sys/devices/system/cpu | grep "^cpu[0-9]"; cat /sys/devices/system/cpu/online /sys/devices/system/cpu/possible /sys/devices/system/cpu/cpu0/topology/core_siblings_list /sys/devices/system/node/node0/cpulist; test -e /sys/devices/system/cpu/cpu1 || echo no cpu1'
	expect_out sys $'cpu0\n0\n0\n0\n0\nno cpu1'
	run_as gc "$ISOTRACE" --sandbox --cpus 3 -- sh -c 'getconf _NPROCESSORS_CONF; getconf _NPROCESSORS_ONLN'
	expect_out gc $'3\n3'
	run_as cache "$ISOTRACE" --sandbox --cpus 4 -- sh -c 'cd /sys/devices/system/cpu/cpu3/cache/index3 && cat level type size shared_cpu_list shared_cpu_map'
	expect_out cache $'3\nUnified\n16384K\n0-3\nf'
	# made before the command, like /sys: at the epoch
	run_as times "$ISOTRACE" --sandbox -- stat -c %y /sys/devices/system/cpu/online /sys/devices/system/cpu/cpu1
	expect_out times "$EPOCH_DATE 00:00:00.000000000 +0000"$'\n'"$EPOCH_DATE 00:00:00.000000000 +0000"
}

t_hostfacts_kernel() {		# the kernel's command line and counters are the machine's
	local f files='/proc/cmdline /proc/sys/kernel/random/boot_id /proc/interrupts /proc/softirqs /proc/vmstat /proc/diskstats /proc/partitions /proc/swaps'
	local script="for f in $files; do echo \"== \$f\"; cat \$f; done"
	run_as k1 "$ISOTRACE" --sandbox --cpus 3 -- sh -c "$script"
	run_as k2 "$ISOTRACE" --sandbox --cpus 3 -- sh -c "$script"
	run_as seed "$ISOTRACE" --sandbox --seed 7 -- cat /proc/sys/kernel/random/boot_id
	run_native sh -c "$script"
	expect_status k1 0
	expect_same k1 k2
	expect_grep k1 out '^ +CPU0 +CPU1 +CPU2 *$'
	expect_grep k1 out '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
	[[ $(grep -A1 boot_id "$W/k1.out" | tail -1) != "$(cat "$W/seed.out")" ]] ||
	    fail "boot_id does not follow the seed"
	for f in $files; do
		[[ $(sed -n "/^== ${f//\//\\/}\$/,/^== /p" "$W/native.out") != \
		    "$(sed -n "/^== ${f//\//\\/}\$/,/^== /p" "$W/k1.out")" ]] ||
		    [[ $f == /proc/swaps ]] ||
		    fail "$f: the sandbox printed the host's"
	done
}

t_hostfacts_affinity() {	# sched_setaffinity on itself is what it reads back
	command -v python3 >/dev/null || { skip "no python3"; return; }
	local LIMIT=10
	local script='import os
print(sorted(os.sched_getaffinity(0)))
os.sched_setaffinity(0, {1, 3, 9})
print(sorted(os.sched_getaffinity(0)), sorted(os.sched_getaffinity(os.getpid())))
try:
    os.sched_setaffinity(0, {5})
except OSError as e:
    print("errno", e.errno)'
	run_as sb "$ISOTRACE" --sandbox --cpus 4 -- python3 -c "$script"
	expect_out sb $'[0, 1, 2, 3]\n[1, 3] [1, 3]\nerrno 22'
	# as natively, on a host with 2 CPUs or more
	(($(nproc --all) >= 2)) || return 0
	script='import os; os.sched_setaffinity(0, {1}); print(sorted(os.sched_getaffinity(0)))'
	run_native python3 -c "$script"
	run_as sb2 "$ISOTRACE" --sandbox --cpus 2 -- python3 -c "$script"
	expect_same native sb2
}

t_hostfacts_limits() {		# the limits the host's memory sets are the machine's
	local script='ulimit -u; ulimit -i; grep -E "^Max (processes|pending signals) " /proc/self/limits; grep SigQ /proc/self/status'
	run_native bash -c "$script"
	run_as sb "$ISOTRACE" --sandbox -- bash -c "$script"
	expect_status sb 0
	expect_out sb $'16384\n16384\nMax processes             16384                16384                processes \nMax pending signals       16384                16384                signals   \nSigQ:\t0/16384'
	[[ $(grep SigQ "$W/native.out") != "SigQ:	0/16384" ]] ||
	    skip "the host has the sandbox's limits"
}

t_hostfacts_cgroup() {		# the run's cgroup is a root of its own
	run_native cat /proc/self/cgroup
	run_as sb "$ISOTRACE" --sandbox -- cat /proc/self/cgroup
	expect_status sb 0
	expect_no_grep sb out ':/.'
	expect_grep sb out '^0::/$'
	grep -q ':/.' "$W/native.out" ||
	    skip "the host's cgroup is a root too ($(tr '\n' ' ' <"$W/native.out"))"
}

t_hostfacts_io() {		# the storage's bytes are the host's page cache's
	local script='printf x >"$1/f"; while read -r l; do echo "$l"; done </proc/$$/io'
	run_native bash -c "$script" sh "$W"
	run_as sb "$ISOTRACE" --sandbox -- bash -c "$script" sh "$W"
	run_as sb2 "$ISOTRACE" --sandbox -- bash -c "$script" sh "$W"
	expect_status sb 0
	expect_same sb sb2
	expect_fixed sb out 'write_bytes: 0'
	! grep -q '^write_bytes: 0$' "$W/native.out" ||
	    skip "this file system counts no write_bytes"
}

TESTS+=(
	hostfacts_io hostfacts_cgroup hostfacts_limits hostfacts_affinity hostfacts_cpuid_real hostfacts_ps hostfacts_procpid hostfacts_lscpu
	hostfacts_kernel
)
