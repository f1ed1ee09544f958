# tests/it/ftimes.sh: --sandbox file times are logical: untouched files at
# the epoch, changes at virtual times, utime values read back; build tools
# decide as they do natively.  Sourced by tests/integration.sh.

t_ftimes_utime() {		# gnulib's utimes probe answers as natively
	need "$PROGS/ftimes" || return
	touch -d '1 hour ago' "$W/old"
	run_native "$PROGS/ftimes" old
	run_as sb1 "$ISOTRACE" --sandbox -- "$PROGS/ftimes" old
	run_as sb2 "$ISOTRACE" --sandbox -- "$PROGS/ftimes" old
	expect_status native 0
	expect_status sb1 0
	expect_no_grep native out '^check .* no$'
	expect_same_lines native sb1 '^check '
	expect_same sb1 sb2
	# untouched: the epoch; made in the run: just after it
	expect_fixed sb1 out "value old.mtime $EPOCH.000000000"
	expect_fixed sb1 out "value old.ctime $EPOCH.000000000"
	expect_grep sb1 out "^value new\\.mtime $EPOCH\\.0000[0-9]{5}\$"
	expect_no_grep sb1 out "^value new\\.mtime $EPOCH\\.000000000\$"
}

t_ftimes_sanity() {		# HEAVY: automake's am_sanity check, and ls -l
	local LIMIT=3		# a dozen commands, each a few forks
	touch -d '1 hour ago' "$W/Makefile.am"
	# shellcheck disable=SC2016
	local script='echo timestamp > conftest.file
set X `ls -Lt Makefile.am conftest.file`
if test "$2" = conftest.file; then echo "build environment is sane"
else echo "newly created file is older than distributed files!"; fi
mkdir sub; touch -d @1000000000 sub/stamp; touch -m -d @1 conftest.file
chmod 600 Makefile.am; mv conftest.file moved
ls -l --time-style=+%s.%N Makefile.am moved sub/stamp | awk "{print \$6, \$7}"
TZ=UTC stat -c "%n %Y" sub /proc/self/status /dev/null /sys/kernel
rm -r sub moved; chmod 644 Makefile.am'
	run_native sh -c "$script"
	run_as sb1 "$ISOTRACE" --sandbox -- sh -c "$script"
	run_as sb2 "$ISOTRACE" --sandbox -- sh -c "$script"
	expect_status sb1 0
	expect_same_lines native sb1 '^(build|newly) '
	expect_fixed sb1 out 'build environment is sane'
	expect_same sb1 sb2
	# a chmod is no write; mv keeps the time touch -d gave
	expect_fixed sb1 out "$EPOCH.000000000 Makefile.am"
	expect_fixed sb1 out '1.000000000 moved'
	expect_fixed sb1 out '1000000000.000000000 sub/stamp'
	expect_grep sb1 out "^sub $EPOCH\$"
	# the kernel's pseudo files are made on first sight: left at epoch
	expect_fixed sb1 out "/proc/self/status $EPOCH"
	expect_fixed sb1 out "/dev/null $EPOCH"
	expect_fixed sb1 out "/sys/kernel $EPOCH"
}

t_ftimes_make() {		# HEAVY: make rebuilds exactly what it does natively
	local LIMIT=3		# a dozen commands, each a few forks
	printf 'prog: a.o b.o\n\tcat a.o b.o > prog\n%%.o: %%.c\n\tcp $< $@\n' \
	    >"$W/Makefile"
	# (natively, a change within the clock tick of the last one may get
	# the same time: the sleeps keep the native run honest)
	# shellcheck disable=SC2016
	local script='unset MAKELEVEL MAKEFLAGS MFLAGS; rm -f a.o b.o prog; echo x > a.c; echo y > b.c
make; make; sleep .02; touch a.c; make; make; sleep .02; echo z > b.c
make; make; sleep .02; touch prog; make; sleep .02; touch a.o; make
cat prog'
	run_native sh -c "$script"
	run_as sb1 "$ISOTRACE" --sandbox -- sh -c "$script"
	run_as sb2 "$ISOTRACE" --sandbox -- sh -c "$script"
	expect_status native 0
	expect_same native sb1
	expect_same sb1 sb2
	expect_grep sb1 out "^make: 'prog' is up to date.$"
}

# A project as automake makes them: configure's probes (its sanity check,
# gnulib's utimes probe) answer as natively, make builds once and then has
# nothing to do, and no file is "in the future".
ftimes_project() {		# DIR
	mkdir "$1"
	cat >"$1/configure.ac" <<'AC'
AC_INIT([hello], [1.0])
AM_INIT_AUTOMAKE([foreign])
AC_PROG_CC
AC_CACHE_CHECK([whether the utimes function works], [hello_cv_utimes],
  [AC_RUN_IFELSE([AC_LANG_PROGRAM([[
#include <sys/stat.h>
#include <sys/time.h>
#include <stdio.h>
#include <time.h>
]], [[
  static const struct timeval tv[2] = {{315620010, 10}, {316620000, 999998}};
  struct stat st;
  FILE *f = fopen ("conftest.utimes", "w");
  time_t now;
  if (!f || fclose (f) != 0) return 1;
  if (utimes ("conftest.utimes", tv) != 0 || stat ("conftest.utimes", &st))
    return 2;
  if (st.st_atime != tv[0].tv_sec || st.st_mtime != tv[1].tv_sec)
    return 3;
  if (utimes ("conftest.utimes", NULL) != 0 || stat ("conftest.utimes", &st))
    return 4;
  now = time (NULL);
  if (now - st.st_mtime > 2 || st.st_mtime - now > 2)
    return 5;
  return 0;
]])], [hello_cv_utimes=yes], [hello_cv_utimes=no], [hello_cv_utimes=no])
  rm -f conftest.utimes])
AC_CONFIG_FILES([Makefile])
AC_OUTPUT
AC
	printf 'bin_PROGRAMS = hello\nhello_SOURCES = hello.c\n' \
	    >"$1/Makefile.am"
	printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' \
	    >"$1/hello.c"
	(cd "$1" && timeout -k 1 20 autoreconf -i) >/dev/null 2>&1 &&
	    find "$1" -exec touch -h -d '1 hour ago' {} +
}

t_ftimes_autotools() {		# HEAVY: configure and make, unmodified
	command -v autoreconf >/dev/null ||
	    { skip "autoconf and automake are not installed"; return; }
	local LIMIT=20 d
	ftimes_project "$W/proj" || { fail "autoreconf failed"; return; }
	for d in n s1 s2; do cp -a "$W/proj" "$W/$d"; done
	# shellcheck disable=SC2016
	local script='unset MAKELEVEL MAKEFLAGS MFLAGS; cd "$1" && ./configure && make && ./hello && make &&
ls -l --time-style=+%s.%N configure Makefile hello.o hello |
awk "{print \$6, \$7}"'
	# (gcc's files in /tmp, changed by the host too, are no matter)
	run_native sh -c "$script" sh n
	run_as sb1 "$ISOTRACE" --sandbox -- sh -c "$script" sh s1
	run_as sb2 "$ISOTRACE" --sandbox -- sh -c "$script" sh s2
	expect_status native 0
	expect_status sb1 0
	expect_same_lines native sb1 '^(checking|config|make|gcc|mv|hi)'
	expect_same sb1 sb2
	expect_fixed sb1 out 'checking whether build environment is sane... yes'
	expect_fixed sb1 out 'checking whether the utimes function works... yes'
	expect_fixed sb1 out "make: Nothing to be done for 'all'."
	expect_fixed sb1 out "$EPOCH.000000000 configure"
	expect_no_grep sb1 err 'skew|in the future'
}

t_ftimes_inodes() {		# HEAVY: files made in the run: the run's inode numbers
	local LIMIT=3		# a dozen commands, each a few forks
	touch "$W/old"
	# shellcheck disable=SC2016
	local script='echo a > f1; mkdir d; echo b > d/f2; ln d/f2 hl
stat -c "%i %h %n" f1 d d/f2 hl; ls -i f1 hl
rm -r f1 d hl; echo c > f3; stat -c "%i %n" f3; rm f3
test "$(stat -c %i old)" = "$1" && echo True'
	run_as sb1 "$ISOTRACE" --sandbox -- sh -c "$script" sh \
	    "$(stat -c %i "$W/old")"
	run_as sb2 "$ISOTRACE" --sandbox -- sh -c "$script" sh \
	    "$(stat -c %i "$W/old")"
	expect_status sb1 0
	expect_same sb1 sb2
	# in the order first seen; a link is the same file; a number the
	# host reuses (f3 after f1) is a new file; older files keep theirs
	expect_out sb1 "281474976710657 1 f1
281474976710658 2 d
281474976710659 2 d/f2
281474976710659 2 hl
281474976710657 f1
281474976710659 hl
281474976710660 f3
True"
}

t_ftimes_statfs() {		# free space is not the host's
	run_as sb1 "$ISOTRACE" --sandbox -- sh -c \
	    'stat -f -c "%S %b %f %a %c %d" . /proc'
	expect_status sb1 0
	# (a file system without blocks, /proc, still has none)
	expect_out sb1 "4096 16777216 8388608 8388608 4194304 2097152
4096 0 0 0 0 0"
	# the file system's id is its device's as the run numbers it
	# (natively ext4's comes from its UUID)
	run_as sb2 "$ISOTRACE" --sandbox -- sh -c \
	    'for f in / /proc /dev; do stat -f -c %i $f; stat -c %D $f; done'
	expect_status sb2 0
	local ids devs
	ids=$(sed -n '1s/0\{8\}$//p;3s/0\{8\}$//p;5s/0\{8\}$//p' "$W/sb2.out")
	devs=$(sed -n '2p;4p;6p' "$W/sb2.out")
	[[ $ids == "$devs" ]] ||
	    fail "sb2: f_fsid is not the run's device number" "$(cat "$W/sb2.out")"
}

t_ftimes_dirs() {		# HEAVY: listings in name order, seekdir still works
	local LIMIT=3		# a dozen commands, each a few forks
	need "$PROGS/dirs" || return
	# shellcheck disable=SC2016
	local script='mkdir d; for f in zeta alpha Mu beta 10 9 _x; do
	echo > "d/$f"; done; mkdir d/sub; ln -s alpha d/link
"$1" d; ls -U d | tr "\n" " "; echo; rm -r d'
	run_native sh -c "$script" sh "$PROGS/dirs"
	run_as sb1 "$ISOTRACE" --sandbox -- sh -c "$script" sh "$PROGS/dirs"
	run_as sb2 "$ISOTRACE" --sandbox -- sh -c "$script" sh "$PROGS/dirs"
	expect_status native 0
	expect_status sb1 0
	expect_no_grep native out '^check .* no$'
	expect_same_lines native sb1 '^check '
	expect_same sb1 sb2
	# (the third entry is read past by the telldir step)
	expect_fixed sb1 out 'value order . .. 9 Mu _x alpha beta link sub zeta'
	expect_fixed sb1 out '10 9 Mu _x alpha beta link sub zeta '
}

t_ftimes_stat_paths() {	# the stat family answered by the worker as natively
	need "$PROGS/statpaths" || return
	mkdir "$W/n" "$W/s" "$W/t" && chmod 755 "$W/n" "$W/s" "$W/t"
	run_native "$PROGS/statpaths" "$W/n"
	run_as sb1 "$ISOTRACE" --sandbox -- "$PROGS/statpaths" "$W/s"
	run_as sb2 "$ISOTRACE" --sandbox --sandbox-pids=translate -- \
	    "$PROGS/statpaths" "$W/t"
	expect_status native 0
	# links, "..", bad pointers, errors, statx masks: all as the kernel's
	expect_same native sb1
	expect_same native sb2
	expect_grep native out '^statx f: 0 mask 207 '
}

t_ftimes_stat_creds() {	# a thread's user and root change between stats
	need "$PROGS/statcreds" || return
	if [[ $(id -u) != 0 ]]; then
		skip "needs root to change user and root"
		return
	fi
	mkdir "$W/n" "$W/s" "$W/t"
	run_native "$PROGS/statcreds" "$W/n"
	run_as sb1 "$ISOTRACE" --sandbox -- "$PROGS/statcreds" "$W/s"
	run_as sb2 "$ISOTRACE" --sandbox --sandbox-pids=translate -- \
	    "$PROGS/statcreds" "$W/t"
	expect_status native 0
	# what the worker keeps of a thread (its /proc entry) must not
	# hide a new user or a new root from the next stat
	expect_same native sb1
	expect_same native sb2
	expect_fixed native out 'nobody privfd f: -1 EACCES'
	expect_fixed native out 'fsuid nobody privfd f: -1 EACCES'
	expect_fixed native out 'jailed /inside: 0 mode 100644 size 0'
}

t_ftimes_anon_inodes() {	# pipes, sockets, memfds: the run's inode numbers
	need "$PROGS/anoninos" || return
	run_as sb1 "$ISOTRACE" --sandbox -- "$PROGS/anoninos"
	run_as sb2 "$ISOTRACE" --sandbox -- "$PROGS/anoninos"
	expect_status sb1 0
	expect_same sb1 sb2
	# in the order first seen, the two ends of a pipe one inode
	expect_out sb1 "pipe 140737488355329
its other end 140737488355329
socket 140737488355330
its peer 140737488355331
memfd 140737488355332
eventfd 140737488355333
second pipe 140737488355334
first pipe again 140737488355329
statx pipe 140737488355329
statx memfd 140737488355332"
}

t_ftimes_fd_links() {	# /proc/PID/fd links: the run's pipe numbers, virtual files' names
	need_userns || return
	# shellcheck disable=SC2016
	local script='exec 3</proc/uptime 4</proc/self/stat 5</dev/urandom
exec 6</proc/thread-self/status 7</proc/cpuinfo
for n in 3 4 5 6 7; do readlink /proc/$$/fd/$n; done | sed "s/\<$$\>/PID/g"
echo | { readlink /proc/self/fd/0; stat -L -c "pipe:[%i]" /proc/self/fd/0; }
echo | readlink -f /proc/$$/fd/4 | sed "s/\<$$\>/PID/g"
stat -L -c "%F %t:%T" /proc/self/fd/5 /dev/urandom /dev/fd/3 /proc/uptime |
    uniq -c | sed "s/^ *//"'
	run_native "sh" -c "$script"
	run_as sb1 "$ISOTRACE" --sandbox -- sh -c "$script"
	run_as sb2 "$ISOTRACE" --sandbox -- sh -c "$script"
	expect_status sb1 0
	expect_same sb1 sb2
	# the names as natively; a pipe's link has the number stat shows
	expect_same_lines native sb1 '^/'
	expect_out sb1 "/proc/uptime
/proc/PID/stat
/dev/urandom
/proc/PID/task/PID/status
/proc/cpuinfo
pipe:[140737488355330]
pipe:[140737488355330]
/proc/PID/stat
2 character special file 1:9
2 regular empty file 0:0"
}

t_ftimes_fd_links_written() {	# a link ln -s wrote reads back as written
	# shellcheck disable=SC2016
	local script='mkdir -p fd && cd fd && ln -sf "pipe:[5]" 3 &&
ln -sf "/memfd:/proc/uptime (deleted)" 4 && cd .. &&
readlink fd/3 fd/4 "$PWD/fd/3"; rm -r fd'
	run_as sb "$ISOTRACE" --sandbox -- sh -c "cd \"\$1\" && $script" sh \
	    "$W"
	expect_status sb 0
	expect_out sb "pipe:[5]
/memfd:/proc/uptime (deleted)
pipe:[5]"
}

t_ftimes_fd_links_cut() {	# a buffer too short for the link: its run's text, cut
	need "$PROGS/fdcut" || return
	run_native "$PROGS/fdcut"
	run_as sb "$ISOTRACE" --sandbox -- "$PROGS/fdcut"
	expect_status sb 0
	expect_same native sb
	expect_out sb "/proc/self/fd True True True
/proc/self/fd True True True
/proc/thread-self/fd True True True
/proc/thread-self/fd True True True
/dev/fd True True True
/dev/fd True True True
/proc/self/fd int: 5, True
/proc/thread-self/fd int: 5, True
/dev/fd int: 5, True
/proc/PID/fd int: 5, True"
}

t_ftimes_fifo_future() {	# a FIFO made in the run, a time set ahead of the host's
	# shellcheck disable=SC2016
	local script='mkfifo p; stat -c "%i %n" p; touch -d 2150-01-01 h
stat -c "%Y %X %n" h; rm p h'
	run_as sb1 "$ISOTRACE" --sandbox -- sh -c "$script"
	run_as sb2 "$ISOTRACE" --sandbox -- sh -c "$script"
	expect_status sb1 0
	expect_same sb1 sb2
	# the run's number, as a regular file's; 2150 read back as set
	expect_out sb1 "281474976710657 p
5680281600 5680281600 h"
}

TESTS+=(ftimes_dirs ftimes_stat_paths ftimes_anon_inodes ftimes_fd_links ftimes_fifo_future ftimes_statfs ftimes_utime ftimes_sanity ftimes_make ftimes_autotools
	ftimes_inodes ftimes_stat_creds ftimes_fd_links_written ftimes_fd_links_cut)
