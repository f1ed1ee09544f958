# tests/it/smoke.sh: real programs (python, sqlite, make).  HEAVY: 10 s limit instead of 1 s.
# Sourced by tests/integration.sh, which has the helpers.

PY=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)

t_smoke_python_threads() {	# HEAVY
	[[ -n $PY ]] || { skip "no python3"; return; }
	local LIMIT=10
	cat >"$W/threads.py" <<'EOF'
import queue, threading
lock = threading.Lock()
sums = {}
def work(i):
    s = sum(k * k % 7 for k in range(i * 20000, (i + 1) * 20000))
    with lock:
        sums[i] = s
ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]
for t in ts: t.start()
for t in ts: t.join()
print("threads", len(sums), "total", sum(sums.values()))
q1, q2 = queue.Queue(), queue.Queue()
def pong():
    for _ in range(200): q2.put(q1.get() + 1)
p = threading.Thread(target=pong); p.start()
v = 0
for _ in range(200):
    q1.put(v); v = q2.get()
p.join()
print("ping-pong", v)
EOF
	run_native "$PY" "$W/threads.py"
	run_traced "$PY" "$W/threads.py"
	expect_same
	expect_out traced $'threads 8 total 319998\nping-pong 200'
	run_verbose "$PY" "$W/threads.py"
	expect_same native verbose
	expect_match '^futex\(0x[0-9a-f]+, '
	expect_match '^clone3?\('
	expect_tids 10
}

t_smoke_python_nonet() {	# HEAVY
	[[ -n $PY ]] || { skip "no python3"; return; }
	need "$EXAMPLES/nonet" || return
	local LIMIT=10
	local code='import socket
try:
    socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    print("socket ok")
except PermissionError as e:
    print("PermissionError", e.errno)'
	run_native "$PY" -c "$code"
	expect_out native 'socket ok'
	run_as nonet "$EXAMPLES/nonet" -- "$PY" -c "$code"
	expect_status nonet 0
	expect_out nonet 'PermissionError 13'
	expect_grep nonet err '^nonet: open /.*\.py'
	run_as nonet2 "$EXAMPLES/nonet" -- "$PY" -c 'import socket; socket.socket()'
	expect_status nonet2 1
	expect_grep nonet2 err '^PermissionError: '
}

t_smoke_sqlite() {		# HEAVY
	command -v sqlite3 >/dev/null || { skip "no sqlite3"; return; }
	local LIMIT=10
	local sql='create table t(x integer);
with recursive c(i) as (select 1 union all select i + 1 from c where i < 1000)
insert into t select i from c;
select count(*), sum(x) from t;
begin; update t set x = x * 2; commit;
select sum(x) from t;'
	run_native sqlite3 "$W/native.db" "$sql"
	run_traced sqlite3 "$W/traced.db" "$sql"
	expect_same
	expect_out traced $'1000|500500\n1001000'
	run_verbose sqlite3 "$W/verbose.db" "$sql"
	expect_same native verbose
	expect_match "^openat\\(AT_FDCWD, $(path_re "$W/verbose.db"), O_RDWR\\|O_CREAT"
	expect_match '^pwrite64\('
	expect_match '^(fsync|fdatasync)\('
}

t_smoke_make() {		# HEAVY: make + gcc on a two-file project
	local gcc as
	gcc=$(command -v gcc) && as=$(command -v as) && command -v make >/dev/null ||
	    { skip "no make/gcc"; return; }
	local LIMIT=10 d
	for d in n t v; do
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
	run_traced make -j2 -s --no-print-directory -C "$W/t"
	expect_same
	run_verbose make -j2 -s --no-print-directory -C "$W/v"
	expect_same native verbose
	run_as hello_n "$W/n/hello"
	run_as hello_t "$W/t/hello"
	run_as hello_v "$W/v/hello"
	expect_out hello_n 'hello 42'
	expect_same hello_n hello_t
	expect_same hello_n hello_v
	expect_match "^execve\\($(path_re "$gcc"), .*\\) = 0\$" 3
	expect_match "^execve\\($(path_re "$as"), .*\\) = 0\$" 2
	expect_tids 8
}

TESTS+=(
	smoke_python_threads smoke_python_nonet smoke_sqlite smoke_make
)
