/*
 * Keeping the traced program's hands off isotrace.  A traced program may
 * be root: it has CAP_KILL and CAP_SYS_PTRACE, so the kernel's permission
 * checks do not protect the supervisor and workers from it.  Stopping a
 * worker (kill -STOP $PPID) freezes its whole process, killing one kills
 * its process, kill(-1, SIGKILL) kills them all.
 *
 * Ours are the supervisor (the worker's parent) and its untraced children
 * (the workers); a traced process whose parent died is never the
 * supervisor's child, as the supervisor is no subreaper, and is traced
 * anyway.  A candidate is checked through /proc/PID/status, so only the
 * guarded calls, which are rare, pay for it.
 *
 * The group and broadcast kills that would reach ours are emulated: the
 * processes are listed from /proc and each one is signalled by a kill
 * injected into the calling thread, with the caller's credentials, and the
 * results are combined as the kernel combines them.  The kernel signals a
 * group atomically; the emulation does not: a process that joins the group
 * or is created while the list is walked is missed (man page, CAVEATS).
 *
 * Under --sandbox without a pid namespace of the run's own, kill(-1)
 * reaches only the run's processes (those one of our workers traces): the
 * host's are not the sandbox's to kill.  A process being handed to a new
 * worker is untraced for a moment and missed.
 *
 * When the traced process is in a pid namespace that is not ours, none of
 * our pids means anything to it and the pid checks are off; a pidfd's
 * target is still checked, through the worker's own /proc.
 */
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/log.h"
#include "guard.h"
#include "task.h"

#ifndef PIDFD_SIGNAL_PROCESS_GROUP
#define PIDFD_SIGNAL_PROCESS_GROUP	(1U << 2)
#endif

static pid_t	 sup;		/* the supervisor */
static int	 confined;	/* --sandbox: kill(-1) reaches only the run */
static int	 armed = 1;	/* the traced process sees our pids */
static uint8_t	 trapped[IT_NR_MAX];	/* guarded[] by number */

/* What each guarded call targets: which argument, and how. */
enum target {
	TG_PID,		/* a pid (or tid) argument */
	TG_KILL,	/* kill(2): a pid, 0, -pgrp or -1 */
	TG_PIDFD,	/* a pidfd or /proc/PID directory descriptor */
	TG_PTRACE,	/* ptrace(2): the pid of any request but TRACEME */
	TG_PRIO,	/* setpriority/ioprio_set: a pid if which says so */
	TG_TGKILL,	/* tgid and tid */
	TG_PRLIMIT,	/* prlimit64: only when it sets a limit */
};

static const struct guarded {
	int		 g_nr;
	enum target	 g_kind;
	int		 g_arg;
} guarded[] = {
	{ IT_SYS_kill,			TG_KILL,	0 },
	{ IT_SYS_tkill,			TG_PID,		0 },
	{ IT_SYS_tgkill,		TG_TGKILL,	0 },
	{ IT_SYS_rt_sigqueueinfo,	TG_PID,		0 },
	{ IT_SYS_rt_tgsigqueueinfo,	TG_TGKILL,	0 },
	{ IT_SYS_pidfd_open,		TG_PID,		0 },
	{ IT_SYS_pidfd_send_signal,	TG_PIDFD,	0 },
	{ IT_SYS_pidfd_getfd,		TG_PIDFD,	0 },
	{ IT_SYS_process_madvise,	TG_PIDFD,	0 },
	{ IT_SYS_process_mrelease,	TG_PIDFD,	0 },
	{ IT_SYS_ptrace,		TG_PTRACE,	1 },
	{ IT_SYS_process_vm_readv,	TG_PID,		0 },
	{ IT_SYS_process_vm_writev,	TG_PID,		0 },
	{ IT_SYS_prlimit64,		TG_PRLIMIT,	0 },
	{ IT_SYS_setpriority,		TG_PRIO,	1 },
	{ IT_SYS_ioprio_set,		TG_PRIO,	1 },
	{ IT_SYS_sched_setaffinity,	TG_PID,		0 },
	{ IT_SYS_sched_setparam,	TG_PID,		0 },
	{ IT_SYS_sched_setscheduler,	TG_PID,		0 },
	{ IT_SYS_sched_setattr,		TG_PID,		0 },
	{ IT_SYS_migrate_pages,		TG_PID,		0 },
	{ IT_SYS_move_pages,		TG_PID,		0 },
};
#define NGUARDED	(sizeof(guarded) / sizeof(guarded[0]))

void
guard_init(int sandboxed)
{
	size_t	 i;

	sup = getppid();
	confined = sandboxed;
	for (i = 0; i < NGUARDED; i++)
		trapped[guarded[i].g_nr] = 1;
}

void
guard_traps(uint8_t trap[IT_NR_MAX])
{
	size_t	 i;

	for (i = 0; i < IT_NR_MAX; i++)
		trap[i] |= trapped[i];
}

void
guard_process(pid_t pid)
{
	struct stat	 a, b;
	char		 path[64];

	(void)snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)pid);
	armed = !(stat("/proc/self/ns/pid", &a) == 0 &&
	    stat(path, &b) == 0 && (a.st_ino != b.st_ino ||
	    a.st_dev != b.st_dev));
}

int
guard_ours(pid_t pid)
{
	if (pid <= 0)
		return 0;
	if (pid == sup || pid == getpid())
		return 1;
	return task_status_field(pid, "PPid") == sup &&
	    task_status_field(pid, "TracerPid") == 0;
}

/* Is pid a process of this run (traced by one of our workers)? */
static int
traced_here(pid_t pid)
{
	long	 tracer;

	return (tracer = task_status_field(pid, "TracerPid")) > 0 &&
	    guard_ours((pid_t)tracer);
}

/* The process group of pid (field 5 of /proc/PID/stat), or -1. */
static pid_t
pgrp_of(pid_t pid)
{
	char	 path[64], buf[1024], *p;
	int	 pg;

	(void)snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (task_proc_read(path, buf, sizeof(buf)) < 0)
		return -1;
	/* The name may hold spaces and parentheses: count from the last. */
	if ((p = strrchr(buf, ')')) == NULL ||
	    sscanf(p + 1, " %*c %*d %d", &pg) != 1)
		return -1;
	return pg;
}

/* The process a pidfd (or a /proc/PID directory) of the tracee names. */
static pid_t
pidfd_target(struct it_task *t, int fd)
{
	char	 path[64], link[64];
	ssize_t	 n;
	long	 pid;
	char	*end;

	(void)snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d",
	    (int)t->t_tid, fd);
	if ((pid = task_proc_field(path, "Pid")) > 0)
		return (pid_t)pid;
	if (!armed)
		return 0;
	(void)snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)t->t_tid,
	    fd);
	if ((n = readlink(path, link, sizeof(link) - 1)) <= 0)
		return 0;
	link[n] = '\0';
	if (strncmp(link, "/proc/", 6) != 0 || !isdigit((unsigned char)link[6]))
		return 0;
	pid = strtol(link + 6, &end, 10);
	return *end == '\0' ? (pid_t)pid : 0;
}

/* An argument as the handler left it. */
static uint64_t
arg(struct it_task *t, int i)
{
	if (t->t_injected)
		return arch_arg(&t->t_saved, i);
	if ((t->t_flags & T_ARGSET) && task_load_regs(t) == 0)
		return arch_arg(&t->t_regs, i);
	return t->t_args[i];
}

static int
cmp_pid(const void *a, const void *b)
{
	pid_t	 x = *(const pid_t *)a, y = *(const pid_t *)b;

	return (x > y) - (x < y);
}

/*
 * kill(2) of a group (pg > 0) or of everyone (pg -1) that takes in one of
 * ours.  The caller's own process comes last: a signal it sends itself
 * waits in the thread until the emulation is over.
 */
static long
kill_many(struct it_task *t, pid_t pg, int sig)
{
	struct dirent	*de;
	DIR		*d;
	pid_t		*list = NULL, *nl, pid;
	size_t		 n = 0, cap = 0, i;
	long		 r, res = 0;
	int		 ok = 0, count = 0;
	char		*end;

	if ((d = opendir("/proc")) == NULL)
		return -EAGAIN;
	while ((de = readdir(d)) != NULL) {
		pid = (pid_t)strtol(de->d_name, &end, 10);
		if (pid <= 0 || *end != '\0' || guard_ours(pid))
			continue;
		if (pg == -1 ? pid == 1 || pid == t->t_tgid :
		    pgrp_of(pid) != pg)
			continue;
		if (pg == -1 && confined && !traced_here(pid))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nl = reallocarray(list, cap, sizeof(*list))) ==
			    NULL) {
				free(list);
				closedir(d);
				return -ENOMEM;
			}
			list = nl;
		}
		list[n++] = pid;
	}
	closedir(d);
	qsort(list, n, sizeof(*list), cmp_pid);
	for (i = 0; i <= n; i++) {
		/* The caller's own process after every other. */
		if (i < n && list[i] == t->t_tgid)
			continue;
		if (i == n) {
			if (pg == -1 || pgrp_of(t->t_tgid) != pg)
				break;
			pid = t->t_tgid;
		} else
			pid = list[i];
		r = it_task_syscall(t, IT_SYS_kill, (uint64_t)pid,
		    (uint64_t)sig, 0, 0, 0, 0);
		if (t->t_flags & T_DEAD)
			break;
		count++;
		if (r == 0)
			ok = 1;
		/* kill(-1) keeps the last error but EPERM; a group, the
		 * last error of all. */
		if (pg != -1 || r != -EPERM)
			res = r;
	}
	free(list);
	log_debug("pid %d: kill(%d, %d) emulated over %d processes",
	    (int)t->t_tid, pg == -1 ? -1 : -(int)pg, sig, count);
	if (count == 0)
		return -ESRCH;
	if (pg == -1)
		return res;
	return ok ? 0 : res;
}

/* kill(2)'s first argument: one process, a group, or everyone. */
static long
guard_kill(struct it_task *t, pid_t pid, int sig)
{
	pid_t	 pg;

	if (pid > 0)
		return guard_ours(pid) ? -EPERM : IT_RUN_ORIGINAL;
	if (pid == -1)
		return kill_many(t, -1, sig);
	if (pid == INT_MIN)
		return IT_RUN_ORIGINAL;		/* the kernel says ESRCH */
	pg = pid == 0 ? pgrp_of(t->t_tgid) : -pid;
	if (pg <= 0 || (pg != getpgrp() && pg != pgrp_of(sup)))
		return IT_RUN_ORIGINAL;
	return kill_many(t, pg, sig);
}

long
guard_call(struct it_task *t, long nr)
{
	const struct guarded	*g = NULL;
	size_t			 i;
	pid_t			 pid;
	int			 which;

	if (nr < 0 || nr >= IT_NR_MAX || !trapped[nr])
		return IT_RUN_ORIGINAL;
	for (i = 0; g == NULL; i++)
		if (guarded[i].g_nr == nr)
			g = &guarded[i];
	pid = (pid_t)arg(t, g->g_arg);
	switch (g->g_kind) {
	case TG_PIDFD:
		pid = pidfd_target(t, (int)arg(t, 0));
		if (nr == IT_SYS_pidfd_send_signal &&
		    (arg(t, 3) & PIDFD_SIGNAL_PROCESS_GROUP) && pid > 0 &&
		    (pgrp_of(pid) == getpgrp() || pgrp_of(pid) == pgrp_of(sup)))
			return kill_many(t, pgrp_of(pid), (int)arg(t, 1));
		return guard_ours(pid) ? -EPERM : IT_RUN_ORIGINAL;
	case TG_PTRACE:
		if (arg(t, 0) == PTRACE_TRACEME)
			return IT_RUN_ORIGINAL;
		break;
	case TG_PRIO:
		/* PRIO_PROCESS 0 and IOPRIO_WHO_PROCESS 1 name a pid. */
		which = (int)arg(t, 0);
		if (which != (nr == IT_SYS_setpriority ? 0 : 1))
			return IT_RUN_ORIGINAL;
		break;
	case TG_PRLIMIT:
		if (arg(t, 2) == 0)
			return IT_RUN_ORIGINAL;
		break;
	case TG_TGKILL:
		if (armed && guard_ours((pid_t)arg(t, 1)))
			return -EPERM;
		break;
	case TG_KILL:
		return armed ? guard_kill(t, pid, (int)arg(t, 1)) :
		    IT_RUN_ORIGINAL;
	case TG_PID:
		break;
	}
	return armed && guard_ours(pid) ? -EPERM : IT_RUN_ORIGINAL;
}
