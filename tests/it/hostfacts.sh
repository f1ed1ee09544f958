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
	expect_fixed sb1 out '/proc/stat: btime 946684700'
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
