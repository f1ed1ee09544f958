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
