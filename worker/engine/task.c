#include <sys/ptrace.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/log.h"
#include "schedule.h"
#include "task.h"

/* Power of two; chains stay short for the few hundred threads a process
 * may have. */
#define TASK_BUCKETS	256

static struct it_task	*buckets[TASK_BUCKETS];
static unsigned		 ntasks;
static int		 trace_all;	/* -p: every resume is SYSCALL */

static struct it_task **
bucket(pid_t tid)
{
	return &buckets[(unsigned)tid & (TASK_BUCKETS - 1)];
}

struct it_task *
task_find(pid_t tid)
{
	struct it_task	*t;

	for (t = *bucket(tid); t != NULL; t = t->t_next)
		if (t->t_tid == tid)
			return t;
	return NULL;
}

struct it_task *
task_add(pid_t tid, pid_t tgid, int flags)
{
	struct it_task	*t, **b;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		fatal("calloc");
	t->t_tid = tid;
	t->t_tgid = tgid;
	t->t_flags = flags;
	b = bucket(tid);
	t->t_next = *b;
	*b = t;
	ntasks++;
	return t;
}

static void
unlink_task(struct it_task *t)
{
	struct it_task	**p;

	for (p = bucket(t->t_tid); *p != NULL; p = &(*p)->t_next)
		if (*p == t) {
			*p = t->t_next;
			return;
		}
}

void
task_remove(struct it_task *t)
{
	unlink_task(t);
	ntasks--;
	scratch_release(t);
	free(t->t_line);
	free(t);
}

void
task_rename(struct it_task *t, pid_t tid)
{
	struct it_task	**b;

	unlink_task(t);
	t->t_tid = tid;
	b = bucket(tid);
	t->t_next = *b;
	*b = t;
}

unsigned
task_count(void)
{
	return ntasks;
}

void
task_foreach(void (*fn)(struct it_task *, void *), void *arg)
{
	struct it_task	*t, *next;
	size_t		 i;

	for (i = 0; i < TASK_BUCKETS; i++)
		for (t = buckets[i]; t != NULL; t = next) {
			next = t->t_next;
			fn(t, arg);
		}
}

int
task_load_regs(struct it_task *t)
{
	if (t->t_flags & T_REGS)
		return 0;
	if (ptrace(PTRACE_GETREGS, t->t_tid, NULL, &t->t_regs.r) == -1)
		return -errno;
	t->t_flags |= T_REGS;
	return 0;
}

int
task_flush_regs(struct it_task *t)
{
	if (!(t->t_flags & T_DIRTY))
		return 0;
	t->t_flags &= ~T_DIRTY;
	if (ptrace(PTRACE_SETREGS, t->t_tid, NULL, &t->t_regs.r) == -1)
		return -errno;
	return 0;
}

void
task_trace_all(int on)
{
	trace_all = on;
}

void
task_resume(struct it_task *t)
{
	if (sched_on()) {
		sched_hold(t);
		return;
	}
	task_resume_now(t);
}

void
task_resume_now(struct it_task *t)
{
	int	 req = (t->t_flags & T_INSYSCALL) || trace_all ?
		    PTRACE_SYSCALL : PTRACE_CONT;
	int	 sig = t->t_sig;

	if (task_flush_regs(t) < 0 && errno != ESRCH)
		log_warn("SETREGS %d", t->t_tid);
	t->t_sig = 0;
	t->t_flags &= ~T_REGS;
	t->t_stop = STOP_OTHER;
	if (ptrace(req, t->t_tid, NULL, (void *)(long)sig) == -1) {
		if (errno != ESRCH)
			log_warn("resume %d", t->t_tid);
		else
			log_debug("resume %d: gone", t->t_tid);
	}
}

ssize_t
task_proc_read(const char *path, char *buf, size_t size)
{
	ssize_t	 len;
	int	 fd;

	if (size == 0 || (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	len = read(fd, buf, size - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	return len;
}

long
task_proc_field(const char *path, const char *name)
{
	char	 buf[4096], *p;
	size_t	 n = strlen(name);

	if (task_proc_read(path, buf, sizeof(buf)) < 0)
		return -1;
	for (p = buf; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, name, n) == 0 && p[n] == ':')
			return strtol(p + n + 1, NULL, 10);
	}
	return -1;
}

long
task_status_field(pid_t pid, const char *name)
{
	char	 path[64];

	(void)snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	return task_proc_field(path, name);
}

pid_t
task_read_tgid(pid_t tid)
{
	return (pid_t)task_status_field(tid, "Tgid");
}

/*
 * Wait statuses collected while a handler waited for one thread (see
 * inject.c), handed to the engine in the order they came.
 */
struct deferred {
	pid_t	 d_pid;
	int	 d_status;
};
static struct deferred	*deferred;
static size_t		 ndeferred, deferred_cap, deferred_next;

void
task_defer(pid_t pid, int status)
{
	struct deferred	*n;

	if (ndeferred == deferred_cap) {
		deferred_cap = deferred_cap ? deferred_cap * 2 : 16;
		if ((n = reallocarray(deferred, deferred_cap, sizeof(*n))) ==
		    NULL)
			fatal("reallocarray");
		deferred = n;
	}
	deferred[ndeferred++] = (struct deferred){ pid, status };
}

int
task_take_deferred(pid_t pid, int *status)
{
	size_t	 i;

	for (i = deferred_next; i < ndeferred; i++)
		if (deferred[i].d_pid == pid) {
			*status = deferred[i].d_status;
			memmove(&deferred[i], &deferred[i + 1],
			    (ndeferred - i - 1) * sizeof(*deferred));
			ndeferred--;
			return 1;
		}
	return 0;
}

int
task_undefer(pid_t *pid, int *status)
{
	if (deferred_next == ndeferred) {
		ndeferred = deferred_next = 0;
		return 0;
	}
	*pid = deferred[deferred_next].d_pid;
	*status = deferred[deferred_next].d_status;
	deferred_next++;
	return 1;
}

pid_t
it_task_tid(const struct it_task *t)
{
	return t->t_tid;
}

pid_t
it_task_pid(const struct it_task *t)
{
	return t->t_tgid;
}
