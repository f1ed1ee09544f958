/*
 * -p: tracing a process that was running before isotrace, and letting it
 * go again.
 *
 * Such a process has no seccomp filter of ours and must not get one: a
 * RET_TRACE filter left behind with no tracer would make those calls fail
 * with ENOSYS for the rest of its life.  So its threads (and the children
 * it makes, which inherit no filter either) stop at every call's entry
 * and exit under PTRACE_SYSCALL (engine_nofilter), and they are seized
 * without PTRACE_O_EXITKILL: if isotrace dies, the kernel detaches them.
 *
 * Detaching, on the supervisor's WORKER_DETACH_SIG, leaves every thread
 * as it would have been untraced: each is interrupted and detached at
 * the stop it reports.  A signal it was about to receive is handed over
 * with PTRACE_DETACH; a thread in a group-stop stays stopped (the kernel
 * puts it back in the group-stop); a new process caught at its first
 * stop, before any hand-off changed its registers or mask, is let go as
 * it is.
 */
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/log.h"
#include "attach.h"
#include "layer.h"
#include "engine.h"
#include "task.h"

static volatile sig_atomic_t	 detach_asked;
static int			 quiet;		/* -q: no attach messages */

static void
on_detach_sig(int sig)
{
	(void)sig;
	detach_asked = 1;
}

/* Without SA_RESTART: the engine's waitpid returns EINTR and looks. */
void
attach_setup(int q)
{
	struct sigaction	 sa;

	quiet = q;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_detach_sig;
	sigemptyset(&sa.sa_mask);
	if (sigaction(WORKER_DETACH_SIG, &sa, NULL) == -1)
		fatal("sigaction");
}

int
attach_requested(void)
{
	return detach_asked;
}

static void
message(const char *what, pid_t tid, unsigned nthreads)
{
	if (quiet)
		return;
	if (nthreads > 1)
		fprintf(stderr, "isotrace: Process %d %s with %u threads\n",
		    (int)tid, what, nthreads);
	else
		fprintf(stderr, "isotrace: Process %d %s\n", (int)tid, what);
}

/*
 * Seizes one scan of /proc/PID/task; the number of threads newly seized.
 * A thread created during the scan by a seized thread is auto-attached
 * (PTRACE_O_TRACECLONE); one created by a thread not yet seized is found
 * by the next scan.
 */
static int
scan(pid_t pid)
{
	char		 path[64];
	DIR		*d;
	struct dirent	*de;
	pid_t		 tid;
	int		 n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if ((d = opendir(path)) == NULL)
		return -errno;
	while ((de = readdir(d)) != NULL) {
		if ((tid = (pid_t)strtol(de->d_name, NULL, 10)) <= 0 ||
		    task_find(tid) != NULL)
			continue;
		if (ptrace(PTRACE_SEIZE, tid, NULL,
		    (void *)engine_ptrace_opts(1)) == -1) {
			if (errno == ESRCH)
				continue;	/* it has just exited */
			n = -errno;
			break;
		}
		/* Stop it once: a seized thread runs on until then, and
		 * PTRACE_SYSCALL needs it stopped. */
		if (ptrace(PTRACE_INTERRUPT, tid, NULL, NULL) == -1 &&
		    errno != ESRCH)
			log_warn("interrupt %d", (int)tid);
		task_add(tid, pid, T_NEW | T_ATTACHED);
		n++;
	}
	closedir(d);
	return n;
}

int
attach_process(pid_t pid)
{
	unsigned	 total = 0;
	int		 n;

	while ((n = scan(pid)) > 0)
		total += (unsigned)n;
	if (n < 0 && total == 0)
		return n;
	message("attached", pid, total);
	return 0;
}

/*
 * The first stop of an attached thread: a thread that was in a
 * group-stop (kill -STOP) reports it with the stopping signal and stays
 * stopped (PTRACE_LISTEN); any other runs on.  1: handled here.
 */
int
attach_first_stop(struct it_task *t, int sig)
{
	t->t_flags &= ~(T_NEW | T_ATTACHED);
	if (sig != SIGSTOP && sig != SIGTSTP && sig != SIGTTIN &&
	    sig != SIGTTOU)
		return 0;
	if (ptrace(PTRACE_LISTEN, t->t_tid, NULL, NULL) == -1 &&
	    errno != ESRCH)
		log_warn("listen %d", (int)t->t_tid);
	return 1;
}

/* A task that cannot be interrupted is gone (a zombie leader waiting for
 * its threads would never report while they are let go). */
static void
interrupt(struct it_task *t, void *arg)
{
	(void)arg;
	if (ptrace(PTRACE_INTERRUPT, t->t_tid, NULL, NULL) == 0)
		return;
	if (errno != ESRCH)
		log_warn("interrupt %d", (int)t->t_tid);
	task_remove(t);
}

void
attach_interrupt_all(void)
{
	task_foreach(interrupt, NULL);
}

int
attach_release(struct it_task *t, int st)
{
	const struct it_layer	*l;
	unsigned long	 msg;
	int		 sig = WSTOPSIG(st), event = (unsigned)st >> 16;
	int		 deliver = 0;

	switch (event) {
	case 0:
		/* A signal-delivery-stop: the signal is the thread's. */
		if (sig != (SIGTRAP | 0x80))
			deliver = sig;
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		/* Its child is traced already: it must be let go too, at its
		 * first stop, which is still to come or queued. */
		if (ptrace(PTRACE_GETEVENTMSG, t->t_tid, NULL, &msg) == 0 &&
		    task_find((pid_t)msg) == NULL)
			task_add((pid_t)msg, (pid_t)msg, T_NEW);
		break;
	}
	/* Its registers and mask are its own: a new process is detached
	 * here before any park, and no handler of -p changes arguments. */
	LAYER_EACH(l, l_detach)
		l->l_detach(t);
	if (ptrace(PTRACE_DETACH, t->t_tid, NULL, (void *)(long)deliver) ==
	    -1 && errno != ESRCH)
		log_warn("detach %d", (int)t->t_tid);
	message("detached", t->t_tid, 1);
	return 1;
}
