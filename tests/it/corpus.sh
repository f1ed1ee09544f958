# tests/it/corpus.sh: the determinism corpus.  Real workloads that print
# everything a host could leak into them (time, pids, randomness, names,
# inode numbers, hash orders, temporary names, /proc), each run many times
# under --sandbox: every run must print the same bytes.
# Sourced by tests/integration.sh, which has the helpers.
#
# Runs: $STRESS when it is above 1 (make check STRESS=100: 100 runs), else
# CORPUS_RUNS, default 20, or 10 with an ASan build (see corpus_runs).
# They go two at a time (the machine has two cores).  Each run gets a
# fresh directory bound (in a mount namespace of its own) onto the same
# path, $W/fix, since a path is input too (gcc writes it into debug info
# and LTO seeds); without `unshare -m` the runs go one at a time, each in
# $W/fix made afresh.
#
# A failure names the workload, the number of distinct outputs, and a
# diff of the first output with the first one that differs.

# corpus_runs: how many runs a workload gets.
corpus_runs() {
	if ((STRESS > 1)); then
		echo "$STRESS"
	elif [[ -n ${CORPUS_RUNS:-} ]]; then
		echo "$CORPUS_RUNS"
	elif readelf -d "$ISOTRACE" 2>/dev/null | grep -q 'libasan'; then
		# ASan+UBSan: each run is 2-3 times slower (measured on 2
		# cores at a load of 10: 20 runs of the whole corpus in 47 s
		# with the plain build, 10 in 53 s with ASan)
		echo 10
	else
		echo 20
	fi
}

CORPUS_MNT=			# probed once: can runs share $W/fix at once?
corpus_probe() {
	[[ -n $CORPUS_MNT ]] && return
	if unshare -m sh -c 'mount --bind "$1" "$1"' sh "$T" 2>/dev/null; then
		CORPUS_MNT=yes
	else
		CORPUS_MNT=no
	fi
}

# _corpus_one I: run I of the workload $W/job.sh into $W/o/I.
_corpus_one() {
	local i=$1 dir=$W/d/$1 fix=$W/fix
	mkdir -p "$dir/cwd" "$dir/home" "$dir/tmp"
	# (make check's make must not pass its level and jobserver on)
	local cmd=(env -u MAKELEVEL -u MAKEFLAGS -u MFLAGS
	    HOME="$fix/home" TMPDIR="$fix/tmp" PY="$PY"
	    CORPUS_NS="$([[ -n $USERNS_WHY ]] || echo yes)"
	    timeout -k 1 "$LIMIT" "$ISOTRACE" --sandbox -- bash "$W/job.sh")
	{
		if [[ $CORPUS_MNT == yes ]]; then
			unshare -m sh -c 'mount --bind "$1" "$2" && cd "$2/cwd" &&
			    shift 2 && exec "$@"' sh "$dir" "$fix" "${cmd[@]}"
		else
			rm -rf "$fix" && mv "$dir" "$fix" &&
			    (cd "$fix/cwd" && exec "${cmd[@]}")
		fi </dev/null >"$W/o/$i.out" 2>"$W/o/$i.err"
		echo $? >"$W/o/$i.rc"
	} 2>/dev/null
	{
		cat "$W/o/$i.out"
		echo "--- stderr"
		cat "$W/o/$i.err"
		echo "--- status $(cat "$W/o/$i.rc")"
	} >"$W/o/$i"
	rm -rf "$dir"
}

# corpus: run the script on stdin as the workload of the calling test
# (t_corpus_NAME names it NAME); every run must
# exit 0 and print the same stdout and stderr.  Leaves run 1's output in
# $W/corpus.out and .err for the test's own checks.
corpus() {
	local name=${FUNCNAME[1]#t_corpus_} runs i j distinct diffs=0 odd=
	self_stress
	corpus_probe
	runs=$(corpus_runs)
	LIMIT=20		# one run: the slowest workload under ASan on a busy machine
	cat >"$W/job.sh"
	mkdir -p "$W/o" "$W/d" "$W/fix"
	for ((i = 1; i <= runs; i += 2)); do
		if [[ $CORPUS_MNT == yes ]] && ((i < runs)); then
			_corpus_one "$i" &
			_corpus_one $((i + 1))
			wait
		else
			_corpus_one "$i"
			((i < runs)) && _corpus_one $((i + 1))
		fi
	done
	cp "$W/o/1.out" "$W/corpus.out"
	cp "$W/o/1.err" "$W/corpus.err"
	for ((i = 1; i <= runs; i++)); do
		[[ $(cat "$W/o/$i.rc") == 0 ]] ||
		    fail "$name: run $i exited with $(cat "$W/o/$i.rc")" \
			"$(tail -n 5 "$W/o/$i.err")"
		if ! cmp -s "$W/o/1" "$W/o/$i"; then
			diffs=$((diffs + 1))
			[[ -z $odd ]] && odd=$i
		fi
	done
	[[ -z $odd ]] && return
	distinct=$(for ((j = 1; j <= runs; j++)); do
		sha256sum <"$W/o/$j"
	done | sort -u | wc -l)
	fail "$name: $distinct distinct outputs in $runs runs ($diffs differ from run 1)" \
		"$(diff -u --label run1 --label "run$odd" "$W/o/1" "$W/o/$odd" |
		    head -n 30)"
}

# corpus_expect ERE...: run 1's stdout has a line matching each ERE (the
# sandbox's values, so the sandbox really was there).
corpus_expect() {
	local re
	for re; do
		expect_grep corpus out "$re"
	done
}

t_corpus_bash() {		# HEAVY: the shell's own sources and coreutils
	# shellcheck disable=SC2016
	corpus <<'SH'
echo "random $RANDOM $RANDOM $RANDOM srandom $SRANDOM"
echo "pids $$ $PPID $BASHPID"
sleep 0 & echo "bg $!"; wait $!
( echo "subshell $BASHPID" )
echo "seconds $SECONDS epoch $EPOCHSECONDS $EPOCHREALTIME"
date; date +%s%N; date -u +%FT%T.%N; date -r /etc/passwd +%s
mkdir -p top/d && touch top/d/a && echo hi >top/d/b && ln -s b top/d/c
ls -la --full-time top/d
ls -lai --time=ctime --full-time top/d
ls -lAi --time=atime --full-time top
id; uname -a; hostname; uname -n
cat /proc/sys/kernel/ostype /proc/sys/kernel/osrelease /proc/version
# (without user namespaces they are the host's, and the mount namespace
# is the one each run gets from the corpus)
[ -z "$CORPUS_NS" ] ||
    readlink /proc/self/ns/user /proc/self/ns/pid /proc/self/ns/mnt /proc/$$/ns/uts
t=$(mktemp); echo "mktemp ${t#"$TMPDIR"}"
t=$(mktemp -d); echo "mktemp -d ${t#"$TMPDIR"}"
t=$(mktemp -u --tmpdir=. XXXXXXXXXX.txt); echo "mktemp -u $t"
printf '%s\n' a b c d e f g | shuf | tr '\n' ' '; echo
printf '%s\n' a b c d e f g | sort -R | tr '\n' ' '; echo
od -An -N8 -tx1 /dev/urandom
ps -o pid,ppid,stat,time,cmd
times
echo "umask $(umask) tty $(tty)"
SH
	corpus_expect '^pids 1000 1 1000$' "^$EPOCH_DATE_C\$" \
	    '^Linux sandbox ' '^sandbox$' '^uid=0\(root\) gid=0\(root\)' \
	    '^6\.1\.0-isotrace$' '^Linux version 6\.1\.0-isotrace '
	# the run's own namespaces, where it has them
	[[ -n $USERNS_WHY ]] || corpus_expect '^user:\[4026531837\]$' \
	    '^pid:\[4026531836\]$' '^mnt:\[4026531840\]$' '^uts:\[4026531838\]$'
}

t_corpus_python() {		# HEAVY: random, uuid, time, pids, hash(), names
	[[ -n $PY ]] || { skip "no python3"; return; }
	# shellcheck disable=SC2016
	corpus <<'SH'
"$PY" - <<'PY'
import hashlib, os, platform, random, resource, socket, tempfile, time
import uuid
print("random", random.random(), random.getrandbits(64))
print("sysrandom", random.SystemRandom().random(), os.urandom(8).hex(),
      os.getrandom(8).hex())
print("uuid", uuid.uuid4(), uuid.uuid1(), uuid.getnode())
print("time", time.time(), time.time_ns(), time.monotonic(),
      time.perf_counter(), time.process_time(), time.thread_time())
print("localtime", time.strftime("%c %Z"), time.ctime())
print("ids", os.getpid(), os.getppid(), os.getuid(), os.geteuid(),
      os.getgid(), os.getgroups())
print("hash", hash("abc"), hash(b"xyz"), hash(("a", 1)))
print("set", list({"alpha", "beta", "gamma", "delta", "epsilon"}))
print("tempfile", os.path.basename(tempfile.mkstemp()[1]),
      os.path.basename(tempfile.mkdtemp(dir=".")))
print("host", socket.gethostname(), platform.node(), socket.getfqdn())
print("uname", platform.uname())
print("platform", platform.platform())
print("cpus", os.cpu_count(), len(os.sched_getaffinity(0)), os.getloadavg())
print("id", id(object()), id(print))
print("rusage", resource.getrusage(resource.RUSAGE_SELF))
print("times", os.times())
os.mkdir("w")
for n in ["zeta", "alpha", "mid", "Beta", "0num"]:
    with open(os.path.join("w", n), "w") as f:
        f.write(n * 3)
os.symlink("alpha", "w/link")
print("listdir", os.listdir("w"), sorted(os.listdir("w")))
print("scandir", [(e.name, e.inode()) for e in os.scandir("w")])
for n in sorted(os.listdir("w")) + ["."]:
    st = os.lstat(os.path.join("w", n))
    print("stat", n, st)
print("statvfs", os.statvfs("."))
t = time.time(); time.sleep(0.5); print("slept", time.time() - t)
import multiprocessing as mp
def work(q, lock, i):
    with lock:
        q.put((i, os.getpid(), os.getppid(), random.random()))
mp.set_start_method("fork")
q, lock = mp.Queue(), mp.Lock()
ps = [mp.Process(target=work, args=(q, lock, i)) for i in range(3)]
for p in ps: p.start()
for p in ps: p.join()
print("processes", sorted(q.get() for p in ps), [p.exitcode for p in ps])
print("globals", hashlib.sha256(repr(sorted(globals())).encode()).hexdigest())
PY
SH
	corpus_expect '^ids [0-9]+ 1000 0 0 0 \[\]$' '^host sandbox sandbox ' \
	    "^localtime $EPOCH_ASCTIME UTC " "^time $EPOCH\\."
}

t_corpus_files() {		# HEAVY: coreutils on a tree the run makes
	corpus <<'SH'
mkdir -p top/a/b top/c
echo one >top/a/f1; seq 100 >top/a/b/f2
touch top/c/empty; touch -d 2001-02-03T04:05:06 top/c/dated
cp top/a/f1 top/c/copy; cp -p top/a/b/f2 top/c/copyp; cp -a top/a top/a2
mv top/c/copy top/c/moved; ln top/a/f1 top/hard; ln -s a/f1 top/soft
mkdir top/gone; rmdir top/gone; echo x >>top/a/f1; chmod 600 top/c/empty
truncate -s 1M top/sparse; dd if=/dev/zero of=top/zeros bs=4k count=3 status=none
mkdir pipes; mkfifo pipes/p
find top | sort | xargs stat -c '%n|%a|%A|%b|%B|%f|%F|%g|%h|%i|%s|%u|%w|%W|%x|%X|%y|%Y|%z|%Z|%N'
find top -printf '%p %i %n %s %k %y %m %T@ %A@ %C@ %d %l\n'
find top -newer top/c/empty -printf 'newer %p\n'
du -a top; du -sb top; du -s --inodes top
df -P .; df -i .; stat -f .
ls -lRi --full-time top
stat -c '%n %F %a %s %h %x %y %z %i' pipes/p
SH
	corpus_expect '^top/c/dated\|.*\|2001-02-03 04:05:06\.000000000 \+0000\|981173106\|' \
	    '^top/a/f1 281474976710'
}

t_corpus_git() {		# HEAVY: commits, tags, gc and their hashes
	command -v git >/dev/null || { skip "no git"; return; }
	# shellcheck disable=SC2016
	corpus <<'SH'
export GIT_CONFIG_NOSYSTEM=1
git config --global user.name Corpus
git config --global user.email corpus@example.org
git config --global init.defaultBranch main
mkdir repo && cd repo && git init -q
for i in 1 2 3; do
	echo "line $i" >>f; seq "$i" 50 >"g$i"; git add -A; git commit -q -m "commit $i"
done
git log --format='%H %ad %cd %an' --date=raw
git tag -a v1 -m v1; git cat-file -p v1
git gc -q; git count-objects -v
find .git/objects/pack -type f | sort | xargs sha256sum
echo change >>f; git stash -q; git stash list --format='%H %gd %s'
git status --porcelain=v2 --branch
sha256sum .git/index .git/packed-refs
git reflog --format='%H %gd %gs' --date=raw
git fsck --no-progress 2>&1
SH
	corpus_expect "^[0-9a-f]{40} $EPOCH \\+0000 $EPOCH \\+0000 Corpus\$"
}

t_corpus_tar() {		# HEAVY: tar (ustar and pax headers), gzip, cpio
	corpus <<'SH'
mkdir -p src/sub; echo alpha >src/a; seq 1000 >src/sub/n; ln -s a src/l
touch -d 1999-05-06T07:08:09 src/old
tar -cf plain.tar src; sha256sum plain.tar; tar -tvf plain.tar --full-time
tar --format=pax -cf pax.tar src; sha256sum pax.tar
tar --format=pax -tvf pax.tar --full-time
strings pax.tar | grep -E '^[0-9]+ (atime|ctime|mtime)=' | sort
tar -czf z.tgz src; sha256sum z.tgz; gzip -lv z.tgz
gzip -c src/sub/n >n.gz; sha256sum n.gz; od -An -tx1 -N10 n.gz
gzip -n -c src/sub/n | sha256sum
mkdir out && tar -C out -xpf pax.tar && ls -lR --full-time out
find src | sort | cpio -o -H newc 2>/dev/null | sha256sum
SH
	# gzip's header: the file's mtime (the epoch), little-endian
	local le
	le=$(printf '%08x' "$EPOCH" | sed -E 's/(..)(..)(..)(..)/\4 \3 \2 \1/')
	corpus_expect '^-rw-r--r-- root/root +0 1999-05-06 07:08:09 src/old$' \
	    "^ 1f 8b 08 08 $le 00 03\$"
}

t_corpus_gcc() {		# HEAVY: objects, LTO, debug info, __DATE__
	command -v gcc >/dev/null || { skip "no gcc"; return; }
	corpus <<'SH'
cat >prog.c <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
int helper(int);
int
main(void)
{
	printf("built %s %s\n", __DATE__, __TIME__);
	printf("now %ld pid %d rand %d %d main %p\n", (long)time(NULL),
	    (int)getpid(), rand(), helper(1), (void *)&main);
	return 0;
}
C
printf 'int helper(int x) { static int calls; return x + ++calls; }\n' >lib.c
gcc -O2 -c prog.c -o prog.o; gcc -O2 -c lib.c -o lib.o
gcc -O2 -o prog prog.o lib.o; ./prog
gcc -flto -O2 -c lib.c -o lto.o
gcc -g -O0 -c prog.c -o dbg.o
ar rcs libh.a lib.o; ar tv libh.a
sha256sum prog.o lib.o prog lto.o dbg.o libh.a
SH
	corpus_expect "^built $(date -u -d "@$EPOCH" '+%b %e %Y %T')\$" \
	    "^now $EPOCH"' pid [0-9]+ rand 1804289383 2 main 0x5555'
}

t_corpus_make() {		# HEAVY: serial make, touch, rebuild
	command -v make >/dev/null || { skip "no make"; return; }
	# shellcheck disable=SC2016
	corpus <<'SH'
mkdir p && cd p
cat >Makefile <<'M'
all: out.txt sum.txt stamp
gen.txt: in.txt
	sort in.txt >$@
out.txt: gen.txt extra.txt
	cat $^ >$@; echo "built $@ at $$(date +%s.%N)"
sum.txt: out.txt
	cksum out.txt >$@
stamp: sum.txt
	date >$@; echo "stamp $$(cat $@)"
clean:
	rm -f gen.txt out.txt sum.txt stamp
.PHONY: all clean
M
printf 'c\na\nb\n' >in.txt; echo extra >extra.txt
make -j1 --no-print-directory
make -j1 --no-print-directory; echo "again: $?"
sleep 1; touch extra.txt; make -j1 --no-print-directory
touch -d 1999-01-01 in.txt; make -j1 --no-print-directory -q; echo "q: $?"
echo d >>in.txt; make -j1 --no-print-directory -d |
    grep -E 'Must remake|is (newer|older) than'
make -j1 --no-print-directory -p -q 2>/dev/null | grep -E '^# +Last modified'
ls -l --full-time
make -j1 --no-print-directory clean all
SH
	corpus_expect '^again: 0$' '^q: 0$' "^make: Nothing to be done for 'all'.\$"
}

t_corpus_sqlite() {		# HEAVY: random(), now, a dump, the file's bytes
	command -v sqlite3 >/dev/null || { skip "no sqlite3"; return; }
	corpus <<'SH'
sqlite3 db.sqlite <<'S'
create table t(id integer primary key, r integer, d text, u blob, s text);
insert into t(r, d, u, s) values (random(), datetime('now'), randomblob(8), strftime('%s %f', 'now'));
insert into t(r, d, u, s) select random(), julianday('now'), hex(randomblob(4)), current_timestamp from t;
insert into t(r, d, u, s) select random(), date('now', 'localtime'), lower(hex(randomblob(16))), time('now') from t;
.mode line
select * from t;
.mode list
select unixepoch('now'), changes(), total_changes(), last_insert_rowid();
pragma journal_mode=wal; insert into t(r) values(random()); pragma wal_checkpoint;
.dump
S
sha256sum db.sqlite
sqlite3 :memory: "select random(), hex(randomblob(16)), datetime('now')"
SH
	corpus_expect "^ +d = $EPOCH_DATE 00:00:00\$" "^$EPOCH\\|"
}

t_corpus_perl() {		# HEAVY: rand, time, $$, hash key order
	command -v perl >/dev/null || { skip "no perl"; return; }
	# shellcheck disable=SC2016
	corpus <<'SH'
perl -MPOSIX -MTime::HiRes -MFile::Temp=tempfile -e '
print "rand ", rand(), " ", int(rand(1e9)), "\n";
print "time ", time, " ", scalar localtime, "\n";
print "pid $$ ", getppid(), " uid $< $>\n";
my %h = map { $_ => 1 } qw(alpha beta gamma delta epsilon zeta eta theta);
print "keys ", join(",", keys %h), "\n";
print "refs ", \%h, " ", [], "\n";
print "uname ", join(" ", POSIX::uname()), "\n";
print "strftime ", POSIX::strftime("%Y-%m-%d %H:%M:%S %z %Z", localtime), "\n";
my $t = Time::HiRes::time(); Time::HiRes::sleep(0.25);
printf "hires %.6f slept %.6f\n", $t, Time::HiRes::time() - $t;
open my $f, ">", "pf" or die; print $f "x" x 100; close $f;
print "stat ", join(" ", stat "pf"), "\n";
my ($fh, $name) = tempfile(DIR => "."); print "tempfile $name\n";
opendir my $d, "." or die; print "readdir ", join(" ", readdir $d), "\n";
my $pid = fork // die;
if (!$pid) { print "child $$ ", getppid(), " ", rand(), "\n"; exit 3 }
waitpid $pid, 0; print "reaped $pid ", $? >> 8, "\n";'
SH
	corpus_expect "^time $EPOCH $EPOCH_ASCTIME\$" \
	    '^uname Linux sandbox '
}

t_corpus_proc() {		# HEAVY: /proc readers and the tools built on them
	# translated pids leave the pids in /proc real (man page, CAVEATS)
	need_userns || return
	corpus <<'SH'
# The resident set counts the host's page-cache pages the kernel maps
# (rss stays the kernel's, see CAVEATS).  Each file is read into a file
# first: ps must not see a pipeline's other half, which may or may not
# have exec'd yet.
cat /proc/self/stat >stat
awk '{ $24 = "(rss)" } 1' stat
grep -vE '^(VmRSS|RssFile|VmHWM)' /proc/self/status
cat /proc/uptime /proc/loadavg /proc/meminfo /proc/cpuinfo /proc/stat
cat /proc/sys/kernel/hostname /proc/sys/kernel/random/boot_id
cat /proc/sys/kernel/random/uuid
readlink /proc/self; cat /proc/self/comm /proc/self/limits
ps -ef; ps -eo pid,ppid,time,lstart,cmd
free; uptime; uptime -s; nproc; nproc --all
getconf -a | grep -E '^(_NPROCESSORS_|_PHYS_PAGES|_AVPHYS_PAGES|HOST_NAME_MAX)'
cat /sys/devices/system/cpu/online /sys/devices/system/cpu/possible
vmstat
SH
	corpus_expect '^100\.00 ' '^sandbox$' '^2$'
}

TESTS+=(
	corpus_bash corpus_python corpus_files corpus_git corpus_tar
	corpus_gcc corpus_make corpus_sqlite corpus_perl corpus_proc
)
