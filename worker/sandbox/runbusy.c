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
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/task.h"
#include "sandbox.h"

struct look {
	pid_t		 l_self;
	int		 l_busy;	/* RUNBUSY_* seen so far */
};

/*
 * Fields of a /proc stat line: the state, the number of threads and the
 * start time (in clock ticks after boot).  0, or -1 if it is gone.
 */
int
runbusy_stat(const char *path, char *state, long *threads,
    unsigned long long *start)
{
	char		 buf[512], *p;
	int		 i;

	if (task_proc_read(path, buf, sizeof(buf)) < 0)
		return -1;
	/* The command may hold any byte: the state follows its last ')'. */
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ' || p[2] == '\0')
		return -1;
	*state = p[2];
	/* Fields 4 to 22, each after a space. */
	for (i = 4, p += 3; i <= 22 && (p = strchr(p, ' ')) != NULL; i++) {
		p++;
		if (i == 20)
			*threads = strtol(p, NULL, 10);
		else if (i == 22)
			*start = strtoull(p, NULL, 10);
	}
	return i > 22 ? 0 : -1;
}

/* What a thread at a ptrace stop of worker's is up to. */
static int
traced(pid_t worker)
{
	char			 path[64], wchan[64], state;
	long			 n;
	unsigned long long	 s;

	if (worker <= 0)
		return RUNBUSY_RUNS;
	(void)snprintf(path, sizeof(path), "/proc/%d/stat", (int)worker);
	if (runbusy_stat(path, &state, &n, &s) < 0)
		return RUNBUSY_QUIET;		/* its worker is gone: so is it */
	if (state != 'S')
		return RUNBUSY_RUNS;
	/* Without symbols /proc says "0": as if the worker were busy. */
	(void)snprintf(path, sizeof(path), "/proc/%d/wchan", (int)worker);
	if (task_proc_read(path, wchan, sizeof(wchan)) < 0 ||
	    strcmp(wchan, "do_wait") != 0)
		return RUNBUSY_RUNS;
	return RUNBUSY_HELD;
}

static int
state_busy(char state, pid_t worker)
{
	switch (state) {
	case 'R':
	case 'D':
		return RUNBUSY_RUNS;
	case 't':
		return traced(worker);
	}
	return RUNBUSY_QUIET;
}

/* The other threads of a process whose leader's line was read. */
static int
threads_busy(pid_t pid, pid_t worker)
{
	char			 path[300], state;
	struct dirent		*d;
	DIR			*dir;
	long			 n;
	unsigned long long	 s;
	int			 b, busy = RUNBUSY_QUIET;

	(void)snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if ((dir = opendir(path)) == NULL)
		return RUNBUSY_QUIET;
	while (busy != RUNBUSY_RUNS && (d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.' || atoi(d->d_name) == pid)
			continue;
		(void)snprintf(path, sizeof(path), "/proc/%d/task/%s/stat",
		    (int)pid, d->d_name);
		if (runbusy_stat(path, &state, &n, &s) == 0 &&
		    (b = state_busy(state, worker)) > busy)
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
	char			 path[64], state;
	long			 n = 1;
	unsigned long long	 s = 0;
	int			 b;

	if (l->l_busy == RUNBUSY_RUNS || pid == l->l_self)
		return 0;
	(void)snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (runbusy_stat(path, &state, &n, &s) < 0 || s != start)
		return shared_gone(pid) || s != start;	/* or another's */
	if (state == 'Z' || state == 'X')
		return 0;		/* its threads too */
	if ((b = state_busy(state, worker)) > l->l_busy)
		l->l_busy = b;
	if (n > 1 && l->l_busy != RUNBUSY_RUNS &&
	    (b = threads_busy(pid, worker)) > l->l_busy)
		l->l_busy = b;
	return 0;
}

/*
 * The processes of the run but self: RUNBUSY_RUNS if one may act before
 * it blocks, else RUNBUSY_HELD if one is at a stop its worker keeps,
 * else RUNBUSY_QUIET.
 */
int
runbusy_look(pid_t self)
{
	struct look	 l = { self, RUNBUSY_QUIET };

	pstart_each(look_one, &l);
	return l.l_busy;
}
