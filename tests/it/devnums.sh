# tests/it/devnums.sh: --sandbox device numbers and mount ids are the
# run's (worker/sandbox/devnums.c): the same on every run, the same in the
# stat family and in /proc/PID/mountinfo, not the host's.  Sourced by
# tests/integration.sh.

# devnums_agree TAG: every "PATH stat D fstat D statx D mnt ID" line of
# devnums agrees with itself and with the mountinfo line of mount ID;
# prints the first disagreement.
devnums_agree() {
	awk '$1 ~ /^[0-9]+$/ && $3 ~ /:/ { dev[$1] = $3 }
	    $2 == "stat" && $8 == "mnt" {
		if ($3 != $5 || $3 != $7) { print "stat family: " $0; exit }
		want[$1] = $3; mnt[$1] = $9
	    }
	    END {
		for (p in want)
			if (dev[mnt[p]] != want[p]) {
				print p ": mount " mnt[p] " is " dev[mnt[p]] \
				    ", stat says " want[p]
				exit
			}
	    }' "$W/$1.out"
}

t_devnums_stable() {	# HEAVY: stat and mountinfo agree, run after run
	local LIMIT=3		# five commands
	need "$PROGS/devnums" || return
	local script='"$0" / /proc /tmp . /sys/devices/system/cpu/online
stat -c "fd %Hd:%Ld" - </proc/uptime
echo "mnt $(stat -c %m .)"
cat /proc/self/mountinfo
cat /proc/self/mountinfo >own; cat "$(eval echo "$1")" >other
cmp -s own other && echo "one table"'
	# another process's table (sh's, as cat reads it) needs the run's
	# pid namespace: translated pids are not those of /proc
	local other='/proc/self/mountinfo'
	need_userns "/proc/PID" && other='/proc/$$/mountinfo'
	run_native "$PROGS/devnums" / /tmp .
	run_as sb1 "$ISOTRACE" --sandbox -- sh -c "$script" "$PROGS/devnums" "$other"
	run_as sb2 "$ISOTRACE" --sandbox -- sh -c "$script" "$PROGS/devnums" "$other"
	expect_status native 0
	expect_status sb1 0
	# the kernel numbers the run's own mounts (its /proc, its /sys
	# trees) anew each time: without the mapping the runs differ
	expect_same sb1 sb2
	expect_fixed sb1 out "one table"
	local bad
	bad=$(devnums_agree sb1)
	[[ -z $bad ]] || fail "sb1: $bad"
	# the mountinfo line of the mount holding . has .'s device; the
	# memfd of a virtual /proc file shows the thread's /proc
	local point dot proc line
	point=$(sed -n 's/^mnt //p' "$W/sb1.out")
	dot=$(awk '$1 == "." { print $3 }' "$W/sb1.out")
	proc=$(awk '$1 == "/proc" { print $3 }' "$W/sb1.out")
	line=$(awk -v p="$point" '$5 == p { d = $3 } END { print d }' \
	    "$W/sb1.out")
	[[ -n $dot && $line == "$dot" ]] ||
	    fail "sb1: mountinfo of $point says '$line', stat of . '$dot'"
	expect_fixed sb1 out "fd $proc"
	# the host's numbers are hidden: the native run's differ
	local p host
	for p in / /tmp .; do
		host=$(awk -v p="$p" '$1 == p { print $3 }' "$W/native.out")
		! grep -q "^$p stat $host " "$W/sb1.out" ||
		    fail "sb1: $p has the host's device $host"
	done
	# mount ids of the run's (32 on), the root's parent outside (1)
	expect_no_grep sb1 out '^([0-9]|[12][0-9]|3[01]) '
	expect_grep sb1 out '^[0-9]+ 1 [0-9]+:[0-9]+ [^ ]+ / '
}

TESTS+=(devnums_stable)
