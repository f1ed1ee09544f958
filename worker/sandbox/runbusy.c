/*
 * Whether another process of the run can still act: quiesce.c's test
 * across processes.  A process's sleep yields only a moment and looks at
 * the other processes' timed waits (runwaits.c), but a wait that a busy
 * process has not begun yet is not there to see: a parent that computes
 * for 50 ms after its fork, or whose worker a loaded host runs late,
 * polls its child only after the child's "sleep 100" has ended.  So a
 * sleep first yields, in slices (runwaits.c), while another process of
 * the run may still begin one, and only then looks at the waits.
 *
 * The run's processes are the ones in pstart.c's table.  The kernel says
 * what each thread of one is doing (field 3 of /proc/TID/stat), read at
 * the sleeper's stops only, so nothing is added to another's calls:
 *
 *   R, D	running, woken, in a short wait of the disk: it acts next.
 *   t		at a ptrace stop.  While its worker handles it (the worker
 *		runs, or waits for the supervisor) it acts next.  Its worker
 *		idle in waitpid means the stop is one it keeps: a group-stop
 *		answered with PTRACE_LISTEN (the kernel shows that 't' too,
 *		not 'T'), which lasts until someone sends SIGCONT.
 *   S		blocked in a call: what it does next depends on a wait's end
 *		(runwaits.c has it if it is timed) or on another process.
 *   T, Z, X	stopped, dead: it acts on nobody's sleep.
 *
 * A process gone leaves its slot: its /proc files are gone with it, and
 * a host process that has taken its number since has another start time.
 *
 * A process that computes for ever must not hold a sleep for ever: the
 * sleep stops waiting for it once the busy processes have had their
 * share of CPU time (theirs and their workers', fields 14 and 15), not
 * of real time, which a loaded host stretches (measured: three suites
 * on 2 vCPUs, the parent's poll came 1.8 s after its child's sleep).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../engine/task.h"
#include "sandbox.h"

struct look {
	pid_t		 l_self;
	int		 l_busy;	/* RUNBUSY_* seen so far */
	struct runbusy	*l_rb;
};

/*
 * Fields of a /proc stat line: the state, the CPU time, the number of
 * threads and the start time (in clock ticks after boot).  0, or -1 if
 * it is gone.
 */
int
runbusy_stat(const char *path, struct runbusy_stat *st)
{
	char		 buf[512], *p;
	int		 i;

	if (task_proc_read(path, buf, sizeof(buf)) < 0)
		return -1;
	/* The command may hold any byte: the state follows its last ')'. */
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ' || p[2] == '\0')
		return -1;
	memset(st, 0, sizeof(*st));
	st->rs_state = p[2];
	/* Fields 4 to 22, each after a space. */
	for (i = 4, p += 3; i <= 22 && (p = strchr(p, ' ')) != NULL; i++) {
		p++;
		if (i == 14 || i == 15)
			st->rs_cpu += strtoull(p, NULL, 10);
		else if (i == 20)
			st->rs_threads = strtol(p, NULL, 10);
		else if (i == 22)
			st->rs_start = strtoull(p, NULL, 10);
	}
	return i > 22 ? 0 : -1;
}

/* What a thread at a ptrace stop of a worker in state w is up to. */
static int
traced(pid_t worker, const struct runbusy_stat *w)
{
	char	 path[64], wchan[64];

	if (w->rs_state == 0)
		return RUNBUSY_RUNS;	/* its worker unknown */
	if (w->rs_state != 'S')
		return RUNBUSY_RUNS;
	/* Without symbols /proc says "0": as if the worker were busy. */
	(void)snprintf(path, sizeof(path), "/proc/%d/wchan", (int)worker);
	if (task_proc_read(path, wchan, sizeof(wchan)) < 0 ||
	    strcmp(wchan, "do_wait") != 0)
		return RUNBUSY_RUNS;
	return RUNBUSY_HELD;
}

static int
state_busy(char state, pid_t worker, const struct runbusy_stat *w)
{
	switch (state) {
	case 'R':
	case 'D':
		return RUNBUSY_RUNS;
	case 't':
		return traced(worker, w);
	}
	return RUNBUSY_QUIET;
}

/* A busy process pid has had cpu ticks in all: what it ran since the
 * last look counts. */
static void
spent(struct runbusy *rb, pid_t pid, unsigned long long cpu)
{
	unsigned	 i;

	for (i = 0; i < RUNBUSY_PIDS; i++)
		if (rb->rb_pid[i] == pid) {
			if (cpu > rb->rb_cpu[i])
				rb->rb_spent += cpu - rb->rb_cpu[i];
			rb->rb_cpu[i] = cpu;
			return;
		}
	for (i = 0; i < RUNBUSY_PIDS; i++)
		if (rb->rb_pid[i] == 0) {
			rb->rb_pid[i] = pid;
			rb->rb_cpu[i] = cpu;
			return;
		}
}

/* The other threads of a process whose leader's line was read. */
static int
threads_busy(pid_t pid, pid_t worker, const struct runbusy_stat *w)
{
	char			 path[300];
	struct runbusy_stat	 st;
	struct dirent		*d;
	DIR			*dir;
	int			 b, busy = RUNBUSY_QUIET;

	(void)snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if ((dir = opendir(path)) == NULL)
		return RUNBUSY_QUIET;
	while (busy != RUNBUSY_RUNS && (d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.' || atoi(d->d_name) == pid)
			continue;
		(void)snprintf(path, sizeof(path), "/proc/%d/task/%s/stat",
		    (int)pid, d->d_name);
		if (runbusy_stat(path, &st) == 0 &&
		    (b = state_busy(st.rs_state, worker, w)) > busy)
			busy = b;
	}
	closedir(dir);
	return busy;
}

/* pid's look: 1 if it is gone. */
static int
look_one(pid_t pid, pid_t worker, unsigned long long start, void *arg)
{
	struct look		*l = arg;
	struct runbusy_stat	 st, w;
	char			 path[64];
	int			 b;

	if (pid == l->l_self)
		return 0;
	(void)snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (runbusy_stat(path, &st) < 0)
		return shared_gone(pid);
	if (st.rs_start != start)
		return 1;		/* its number is another's */
	if (st.rs_state == 'Z' || st.rs_state == 'X')
		return 0;		/* its threads too */
	/* Its worker's line, for its stops and its CPU time; one blocked
	 * alone needs neither, in the common case of a shell's wait4. */
	memset(&w, 0, sizeof(w));
	(void)snprintf(path, sizeof(path), "/proc/%d/stat", (int)worker);
	if (worker > 0 && (st.rs_threads > 1 || st.rs_state == 'R' ||
	    st.rs_state == 'D' || st.rs_state == 't'))
		(void)runbusy_stat(path, &w);
	b = state_busy(st.rs_state, worker, &w);
	if (b != RUNBUSY_RUNS && st.rs_threads > 1)
		b = threads_busy(pid, worker, &w);
	if (b > l->l_busy)
		l->l_busy = b;
	if (b != RUNBUSY_QUIET)
		spent(l->l_rb, pid, st.rs_cpu + w.rs_cpu);
	return 0;
}

/*
 * The processes of the run but self: RUNBUSY_RUNS if one may act before
 * it blocks, else RUNBUSY_HELD if one is at a stop its worker keeps,
 * else RUNBUSY_QUIET.  rb adds the CPU time the busy ones had since its
 * last look.
 */
int
runbusy_look(pid_t self, struct runbusy *rb)
{
	struct look	 l = { self, RUNBUSY_QUIET, rb };

	pstart_each(look_one, &l);
	return l.l_busy;
}

/* The CPU time that rb's busy processes had while it looked, ns. */
uint64_t
runbusy_spent(const struct runbusy *rb)
{
	long	 hz = sysconf(_SC_CLK_TCK);

	return rb->rb_spent * (1000000000ULL / (uint64_t)(hz > 0 ? hz : 100));
}
