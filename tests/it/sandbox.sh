# tests/it/sandbox.sh: --sandbox: determinism, --verify, job control.
# Sourced by tests/integration.sh, which has the helpers.

t_sandbox_random_gen() {	# two sandboxed runs print the same bytes
	need "$PROGS/random_gen" || return
	run_native "$PROGS/random_gen"
	run_as sb1 "$ISOTRACE" --sandbox -- "$PROGS/random_gen"
	run_as sb2 "$ISOTRACE" --sandbox -- "$PROGS/random_gen"
	expect_status sb1 0
	expect_same_lines sb1 sb2 '^(at_random|parent|child|after|time|tsc|uid|nodename|mtime|heap) '
	expect_grep sb2 out "^$(grep '^heap' "$W/sb1.out" | cut -d' ' -f1-2) stack "
	# ASLR is off; the initial stack pointer still moves by up to 16
	# bytes now and then (see the man page's CAVEATS)
	local s1 s2
	s1=$(sed -n 's/^heap .* stack 0x//p' "$W/sb1.out")
	s2=$(sed -n 's/^heap .* stack 0x//p' "$W/sb2.out")
	[[ -n $s1 && -n $s2 ]] && (( (0x$s1 - 0x$s2) <= 16 && (0x$s2 - 0x$s1) <= 16 )) ||
	    fail "stack addresses far apart: $s1 $s2"
	expect_fixed sb1 out "time $EPOCH"
	expect_grep sb1 out "^tsc ${EPOCH}000[0-9]{6} ${EPOCH}000[0-9]{6}\$"
	expect_fixed sb1 out 'uid 0 gid 0 euid 0'
	expect_fixed sb1 out 'nodename sandbox'
	expect_fixed sb1 out "mtime $EPOCH"
	expect_grep sb1 out "^parent realtime $EPOCH\\.0000[0-9]+ monotonic 100\\.0000"
	expect_grep sb1 out '^heap 0x5555[0-9a-f]+ stack 0x7ff'
	# each source of difference really was replaced
	local k
	for k in at_random parent child time tsc heap; do
		[[ $(grep "^$k " "$W/native.out") != "$(grep "^$k " "$W/sb1.out")" ]] ||
		    fail "$k: the sandbox printed the native value"
	done
	# options change the stream, the clock and the identity
	run_as seed "$ISOTRACE" --sandbox --seed 7 -- "$PROGS/random_gen"
	[[ $(grep '^parent [0-9a-f]' "$W/seed.out") != "$(grep '^parent [0-9a-f]' "$W/sb1.out")" ]] ||
	    fail "--seed 7 gave the stream of seed 0"
	run_as opts "$ISOTRACE" --sandbox --epoch 2020-02-29T12:00:00 \
	    --uid 1234 -- "$PROGS/random_gen"
	expect_fixed opts out 'time 1582977600'
	expect_fixed opts out 'uid 1234 gid 1234 euid 1234'
	expect_fixed opts out 'mtime 1582977600'
	run_as verbose "$ISOTRACE" --sandbox -v -o "$W/trace" -- "$PROGS/random_gen"
	# (the stack address can move by 16 bytes between runs: see the
	# man page's CAVEATS)
	expect_same_lines sb1 verbose '^(at_random|parent|child|after|time|tsc|uid|nodename|mtime) '
	expect_match '^getrandom\(".*", 16, 0\) = 16$' 3
	expect_match "^clock_gettime\\(CLOCK_REALTIME, \\{tv_sec=$EPOCH, tv_nsec=[0-9]+\\}\\) = 0\$" 3
}

t_sandbox_programs() {		# HEAVY: real programs, twice each
	local LIMIT=5 i
	# shellcheck disable=SC2016
	local script='date; uname -a; id -u
stat -c "%y %s %n" /etc/hostname; ls -l --full-time /etc/hostname
mktemp -u; printf "a\nb\nc\nd\ne\n" | sort -R | tr "\n" " "; echo
awk "BEGIN { srand(); print rand() }"
od -An -N16 -tx1 /dev/urandom; head -c 100000 /dev/random | cksum
cat /proc/sys/kernel/random/uuid /proc/sys/kernel/random/boot_id
sqlite3 :memory: "select random()"
echo $RANDOM $RANDOM $$
python3 -c "import random, time, uuid, tempfile, os
t = time.time(); time.sleep(2); print(\"slept\", round(time.time() - t, 3))
print(random.random(), time.time(), uuid.uuid4(), hash(\"abc\"))
print(\"pid\", os.getpid(), os.getppid())
print(os.path.basename(tempfile.mkdtemp(dir=\"$1\")))"'
	for i in 1 2; do
		mkdir "$W/tmp$i"
		run_as "run$i" "$ISOTRACE" --sandbox -- bash -c "$script" sh \
		    "$W/tmp$i"
	done
	expect_status run1 0
	expect_same run1 run2
	expect_fixed run1 out "$EPOCH_DATE_C"
	expect_grep run1 out '^Linux sandbox '
	expect_grep run1 out '^( [0-9a-f]{2}){16}$'
	expect_no_grep run1 out '^( 00){16}$'
	expect_fixed run1 out 'f0a94a24-acf4-4029-9d0c-25dcb9747d6b'	# boot_id: the seed's
	expect_grep run1 out "^$EPOCH_DATE 00:00:00\\.000000000 \\+0000 [0-9]+ /etc/hostname\$"
	# the sleep of 2 s took no time (LIMIT) and moved the clock by 2 s
	expect_grep run1 out '^slept 2\.0[0-9]*$'
	expect_grep run1 out "^0\\.[0-9]+ ${EPOCH%?}[0-9]\\.[0-9]+ [0-9a-f-]{36} -?[0-9]+\$"
	expect_grep run1 out '^[0-9]+ [0-9]+ 1000$'
	expect_fixed run1 out 'pid 1000 1'	# bash execs its last command
}

t_sandbox_verify() {		# two runs compared, the first one's output kept
	need "$PROGS/random_gen" || return
	local LIMIT=3
	printf 'line one\nline two\n' >"$W/input"
	STDIN=$W/input run_as same "$ISOTRACE" --verify -- bash -c \
	    'cat; "$1" | grep -v "^heap"; mktemp' sh "$PROGS/random_gen"
	expect_status same 0
	expect_grep same out '^line two$'
	expect_grep same out "^time $EPOCH\$"
	expect_fixed same err 'isotrace: verify: deterministic'
	# translated pids leave /proc/self real (see CAVEATS): it differs
	run_as differ "$ISOTRACE" --verify --sandbox-pids=translate -- \
	    bash -c 'echo "pid $(readlink /proc/self)"'
	expect_status differ 1
	expect_grep differ err "^isotrace: verify: stdout differs at byte [4-9]: run 1 has 0x3[0-9] '[0-9]', run 2 has 0x3[0-9] '[0-9]'\$"
	[[ -z $(find "${TMPDIR:-/tmp}" -maxdepth 1 -name 'isotrace-verify.*' \
	    -newer "$W/input" 2>/dev/null) ]] || fail "verify left its directory"
}

t_sandbox_pids() {		# one virtual pid space, the same on every run
	need "$PROGS/pids" || return
	# the namespace's /proc names the same pids
	if need_userns "/proc/self"; then
		run_as same "$ISOTRACE" --verify -- bash -c \
		    'echo "pid $(readlink /proc/self)"'
		expect_status same 0
	fi
	run_native "$PROGS/pids"
	run_as sb1 "$ISOTRACE" --sandbox -- "$PROGS/pids"
	run_as sb2 "$ISOTRACE" --sandbox -- "$PROGS/pids"
	expect_status sb1 0
	expect_no_grep native out 'FAILED'
	expect_same_lines native sb1 '^check '
	expect_same sb1 sb2
	expect_fixed sb1 out 'value pid 1000 ppid 1'
	expect_grep sb1 out '^value thread [0-9]+$'
	local cmd='echo $$ $PPID; sleep 0 & echo $!; wait $!; echo $?'
	run_as bash1 "$ISOTRACE" --sandbox -- bash -c "$cmd"
	run_as bash2 "$ISOTRACE" --sandbox -- bash -c "$cmd"
	expect_same bash1 bash2
	expect_grep bash1 out '^1000 1$'
	expect_grep bash1 out '^[0-9]+$'
	run_as native_bash bash -c "$cmd"
	[[ $(sed -n 3p "$W/bash1.out") == 0 &&
	    $(sed -n 3p "$W/native_bash.out") == 0 ]] ||
	    fail "wait \$! did not give 0"
}

t_sandbox_timeouts() {		# HEAVY: waits that time out move the clock
	[[ -n $PY ]] || { skip "no python3"; return; }
	local LIMIT=2		# 0.25 s of real waits and python's start
	cat >"$W/waits.py" <<'EOF'
import os, select, time
def took(what, f):
    t = time.time(); f(); print(what, round(time.time() - t, 3))
r, w = os.pipe()
p = select.poll(); p.register(r)
e = select.epoll(); e.register(r)
took("select-none", lambda: select.select([], [], [], 7.5))
took("poll-none", lambda: select.poll().poll(4000))
took("poll", lambda: p.poll(100))
took("epoll", lambda: e.poll(0.1))
took("select", lambda: select.select([r], [], [], 0.05))
os.write(w, b"x")
took("ready", lambda: p.poll(9000))
EOF
	run_as sb "$ISOTRACE" --sandbox -- "$PY" "$W/waits.py"
	expect_status sb 0
	# a sleep takes no time, a wait that expires moves the clock by its
	# timeout and one that does not by next to nothing
	expect_out sb $'select-none 7.5\npoll-none 4.0\npoll 0.1\nepoll 0.1\nselect 0.05\nready 0.0'
}

t_sandbox_exit_race() {		# exit_group while threads are in injections
	need "$PROGS/urandom_race" || return
	local i
	for i in 1 2 3 4 5; do
		run_as "race$i" "$ISOTRACE" --sandbox -- "$PROGS/urandom_race"
		expect_status "race$i" 0
		expect_out "race$i" 'exiting'
	done
}

t_sandbox_jobctl() {		# wait statuses and job control still hold
	need "$PROGS/jobctl" "$PROGS/forks" || return
	run_native "$PROGS/jobctl"
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/jobctl"
	expect_same native sb
	run_as fn "$PROGS/forks"
	run_as fsb "$ISOTRACE" --sandbox -- "$PROGS/forks"
	expect_same fn fsb
}

TESTS+=(
	sandbox_random_gen sandbox_programs sandbox_verify sandbox_pids
	sandbox_timeouts sandbox_exit_race
	sandbox_jobctl
)
