# tests/it/layers.sh: tools as layers of the public interface (lifecycle
# hooks, per-process state).  Sourced by tests/integration.sh.

INSTALLED=$(dirname "$TOOLS")/installed

# A tool built against the installed headers counts the forks and execs of
# a make -j2 (gcc: cc1, as, collect2, ld) by its hooks alone; the -v trace
# of the same run says which processes were created and which execve
# succeeded.  The pids must be the same sets, each seen once.
t_layers_forkcount() {		# HEAVY
	command -v gcc >/dev/null && command -v make >/dev/null ||
	    { skip "no make/gcc"; return; }
	need "$INSTALLED/forkcount" || return
	local LIMIT=10 d
	for d in n l; do
		mkdir "$W/$d"
		printf 'CC = gcc\nhello: main.o util.o\n\t$(CC) -o $@ main.o util.o\n%%.o: %%.c util.h\n\t$(CC) -O2 -c $<\n' \
		    >"$W/$d/Makefile"
		printf 'int answer(void);\n' >"$W/$d/util.h"
		printf '#include "util.h"\nint answer(void) { return 6 * 7; }\n' \
		    >"$W/$d/util.c"
		printf '#include <stdio.h>\n#include "util.h"\nint main(void) { printf("hello %%d\\n", answer()); return 0; }\n' \
		    >"$W/$d/main.c"
	done
	run_native make -j2 -s --no-print-directory -C "$W/n"
	FORKCOUNT_LOG=$W/fc.log run_as layer "$INSTALLED/forkcount" -v \
	    -o "$W/trace" -- make -j2 -s --no-print-directory -C "$W/l"
	expect_same native layer
	local forks execs tforks texecs
	forks=$(awk '$1 == "fork" { print $2 }' "$W/fc.log" | sort)
	execs=$(awk '$1 == "exec" { print $2 }' "$W/fc.log" | sort)
	tforks=$(joined | grep -vE 'CLONE_THREAD' |
	    sed -nE 's/^\[pid +[0-9]+\] (v?fork|clone3?)\(.*\) = ([0-9]+)$/\2/p' |
	    sort)
	texecs=$(joined | sed -nE 's/^\[pid +([0-9]+)\] execve\(.*\) = 0$/\1/p' |
	    sort)
	[[ -n $forks && $(wc -l <<<"$forks") -ge 8 ]] ||
	    fail "too few forks seen: $(wc -l <<<"$forks")" "$(cat "$W/fc.log")"
	[[ $forks == "$tforks" ]] ||
	    fail "forks differ from the trace's" "hooks: $forks" "trace: $tforks"
	[[ $execs == "$texecs" ]] ||
	    fail "execs differ from the trace's" "hooks: $execs" "trace: $texecs"
	# The state moved with each child: the creator's count of forks
	# reaches 3 in make (two compiles, then the link).
	[[ $(awk '$1 == "fork" && $3 == 1 && $4 >= 3' "$W/fc.log" | wc -l) -ge 1 ]] ||
	    fail "no per-process count reached 3 in make" "$(cat "$W/fc.log")"
}

TESTS+=(layers_forkcount)

# examples/memfs: files under /memfs/ served from the tool's memory, on
# descriptors the tool owns.  Each command runs natively on real files of
# the same contents in $W/real/ and under memfs on /memfs/; the outputs
# (the directory's name changed) and exit statuses must be the same.
memfs_same() {			# TAG CMD...: {} is the directory
	local tag=$1 a r m
	shift
	r=(); m=()
	for a; do
		r+=("${a//\{\}/$W/real}")
		m+=("${a//\{\}//memfs}")
	done
	_run "$tag.n" "${r[@]}"
	_run "$tag.m" "$EXAMPLES/memfs" -- "${m[@]}"
	sed -i "s|$W/real|/memfs|g" "$W/$tag.n.out"
	[[ $(rc "$tag.n") == "$(rc "$tag.m")" ]] ||
	    fail "$tag: status $(rc "$tag.n") natively, $(status_text "$tag.m") under memfs" \
	    "$(head -c 300 "$W/$tag.m.err")"
	cmp -s "$W/$tag.n.out" "$W/$tag.m.out" ||
	    fail "$tag: output differs" "$(diff "$W/$tag.n.out" "$W/$tag.m.out" | head -8)"
}

t_layers_memfs() {		# HEAVY
	need "$EXAMPLES/memfs" || return
	local LIMIT=10
	mkdir "$W/real"
	printf 'hello from memfs\n' >"$W/real/hello.txt"
	seq -f 'line %g of memfs' 1 5000 >"$W/real/lines.txt"
	memfs_same cat cat {}/hello.txt
	memfs_same cat2 cat {}/lines.txt {}/hello.txt
	memfs_same head head -c 100 {}/lines.txt
	memfs_same wc wc {}/lines.txt
	memfs_same missing cat {}/nope.txt
	# Nothing is writable (natively, root could write the real file).
	_run rofs "$EXAMPLES/memfs" -- sh -c 'echo x >/memfs/hello.txt; echo $?'
	expect_out rofs 2
	expect_grep rofs err 'Read-only file system'
	if [[ -n $PY ]]; then
		memfs_same py "$PY" -c 'import sys; d = open(sys.argv[1]).read(); print(len(d), repr(d[:20]), repr(d[-20:]))' {}/lines.txt
		memfs_same pyfd "$PY" -c '
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
print(os.pread(fd, 12, 5), os.read(fd, 7))
print(os.lseek(fd, -12, os.SEEK_END), os.read(fd, 100))
st = os.fstat(fd)
print(st.st_size, oct(st.st_mode & 0o777000))
fd2 = os.dup(fd); os.lseek(fd, 10, os.SEEK_SET); print(os.read(fd2, 5))
os.dup2(fd, 9); os.close(fd); os.close(fd2); os.lseek(9, 0, os.SEEK_SET)
print(os.read(9, 6))
pid = os.fork()
if pid == 0:
    print("child", os.read(9, 5), flush=True); os._exit(0)
os.waitpid(pid, 0); print("parent", os.read(9, 5))' {}/lines.txt
	fi
	# dup2 onto stdin, then children and an exec read the one offset.
	memfs_same chain sh -c 'exec <{}/lines.txt; head -c 25; echo; exec wc -l'
	memfs_same chain2 sh -c 'exec 3<{}/hello.txt; cat <&3; exec 3<&-; cat <&3; echo $?'
}

TESTS+=(layers_memfs)
