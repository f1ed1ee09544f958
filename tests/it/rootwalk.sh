# tests/it/rootwalk.sh: the worker walks a thread's paths inside the
# thread's root (worker/sandbox/rootwalk.c), whatever the program mounted
# and linked there.  Sourced by tests/integration.sh, which has the helpers.

# ROOTWALK_SCRIPT VICTIM ISOTRACE PROG ARGS...: in a mount namespace of
# the test's, a tmpfs on VICTIM with a file "status" that says SECRET;
# the run (--sandbox, in a namespace where VICTIM is unmounted again, so
# only this shell's /proc/PID/root leads to it) gets this shell's pid and
# VICTIM as $1 and $2 after ARGS.
# shellcheck disable=SC2016
ROOTWALK_SCRIPT='v=$1 isotrace=$2; shift 2
mount -t tmpfs victim "$v" || exit 99
printf "Name:\tSECRET\nPid:\t77\n" >"$v/status"
unshare -m sh -c '\''umount "$1" && shift && exec "$@"'\'' sh "$v" \
    "$isotrace" --sandbox -- "$@" "$$" "$v"'

# A /proc of the program's own (a tmpfs mounted over the namespace's) with
# "5" a link to /proc/P/root/DIR: natively the link leads nowhere (the
# run's /proc has no P); the worker, reading /proc/5/status for the run's
# view of it, must not follow it from its own root to another mount
# namespace's file.  The same for the stat of a memfd named as that file.
t_rootwalk_proc_link() {
	need_userns || return
	local script
	mkdir -p "$W/victim"
	# shellcheck disable=SC2016
	script='mount -t tmpfs p /proc && ln -s "/proc/$1/root$2" /proc/5 &&
cat /proc/5/status; echo "cat $?"'
	run_as rw unshare -m sh -c "$ROOTWALK_SCRIPT" sh "$W/victim" \
	    "$ISOTRACE" sh -c "$script" sh
	expect_status rw 0
	expect_out rw 'cat 1'
	expect_grep rw err 'No such file or directory'
	expect_no_grep rw out SECRET
	[[ -n $HOSTS_PY ]] || return
	# fstat of the program's own memfd named /proc/5/status
	# shellcheck disable=SC2016
	script='mount -t tmpfs p /proc && ln -s "/proc/$2/root$3" /proc/5 &&
exec "$1" -c "import os; fd = os.memfd_create(\"/proc/5/status\")
print(os.fstat(fd).st_size)"'
	run_as rwm unshare -m sh -c "$ROOTWALK_SCRIPT" sh "$W/victim" \
	    "$ISOTRACE" sh -c "$script" sh "$HOSTS_PY"
	expect_status rwm 0
	expect_out rwm 0
}

TESTS+=(rootwalk_proc_link)
