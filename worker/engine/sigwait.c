/*
 * Ignored signals and rt_sigtimedwait.  Natively the kernel discards a
 * signal whose disposition is SIG_IGN (or SIG_DFL for SIGCHLD, SIGCONT,
 * SIGURG, SIGWINCH) the moment it is sent.  A traced thread never ignores
 * a signal: it is queued for the tracer's delivery stop, and it wakes the
 * thread.  Most interrupted calls return -ERESTART* and the kernel
 * restarts them once the ignored signal is gone, but rt_sigtimedwait
 * (sigwaitinfo, sigtimedwait) returns EINTR to the program, which
 * natively would have gone on waiting, to its timeout (EAGAIN) or to a
 * signal of its set.  strace has the same fault.
 *
 * So rt_sigtimedwait is trapped in every mode (it is rare) to note when
 * its wait ends.  At the delivery stop of an ignored signal, a thread
 * that has just left rt_sigtimedwait with EINTR, and has no other signal
 * to take, is put back into the call with the time it had left (written
 * below its stack, as a handler's scratch) and the signal is dropped.
 *
 * epoll_wait and io_getevents also return EINTR; they are not trapped
 * (epoll_wait is too frequent) and keep that fault (man page, CAVEATS).
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../common/log.h"
#include "sigwait.h"
#include "task.h"

#define NS		1000000000ULL
#define FOREVER		UINT64_MAX
#define EINTR_RESULT	(-4L)

static uint64_t
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
}

void
sigwait_traps(uint8_t trap[IT_NR_MAX])
{
	trap[IT_SYS_rt_sigtimedwait] = 1;
}

/* An argument as the handler left it. */
static uint64_t
arg(struct it_task *t, int i)
{
	if ((t->t_flags & T_ARGSET) && task_load_regs(t) == 0)
		return arch_arg(&t->t_regs, i);
	return t->t_args[i];
}

void
sigwait_entry(struct it_task *t, long nr)
{
	struct timespec	 ts;
	uint64_t	 addr;

	t->t_flags &= ~T_SIGWAIT;
	if (nr != IT_SYS_rt_sigtimedwait || t->t_injected)
		return;
	t->t_waitend = FOREVER;
	if ((addr = arg(t, 2)) != 0) {
		if (it_mem_read(t, addr, &ts, sizeof(ts)) < 0 ||
		    ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long)NS)
			return;		/* the kernel fails it */
		t->t_waitend = now() + (uint64_t)ts.tv_sec * NS +
		    (uint64_t)ts.tv_nsec;
		/* Where a restarted wait finds the time it has left: memory
		 * of isotrace's own in the thread, made now (the signal's
		 * stop cannot inject), never the program's stack. */
		if (it_task_scratch(t, sizeof(ts)) == 0 ||
		    (t->t_flags & T_DEAD))
			return;
	}
	t->t_flags |= T_SIGWAIT;
}

/* The hex mask of a "Name:\t%016lx" line of /proc/TID/status. */
static uint64_t
mask(const char *status, const char *name)
{
	const char	*p = strstr(status, name);

	return p != NULL ? strtoull(p + strlen(name), NULL, 16) : 0;
}

static int
ignored(int sig, uint64_t ign, uint64_t cgt)
{
	uint64_t	 bit = 1ULL << (sig - 1);

	if (ign & bit)
		return 1;
	return !(cgt & bit) && (sig == SIGCHLD || sig == SIGCONT ||
	    sig == SIGURG || sig == SIGWINCH);
}

int
sigwait_spurious(struct it_task *t, int sig)
{
	char		 path[64], status[4096];
	uint64_t	 ign, cgt, pending, end = t->t_waitend, left, sp;
	struct timespec	 ts;
	int		 s;

	if (!(t->t_flags & T_SIGWAIT) || sig <= 0 || sig > 64 ||
	    task_load_regs(t) < 0 ||
	    arch_sysno(&t->t_regs) != IT_SYS_rt_sigtimedwait ||
	    arch_result(&t->t_regs) != EINTR_RESULT)
		return 0;
	t->t_flags &= ~T_SIGWAIT;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)t->t_tid);
	if (task_proc_read(path, status, sizeof(status)) < 0)
		return 0;
	ign = mask(status, "SigIgn:");
	cgt = mask(status, "SigCgt:");
	if (!ignored(sig, ign, cgt))
		return 0;
	/* Another signal on its way: that one is the program's EINTR. */
	pending = (mask(status, "SigPnd:") | mask(status, "ShdPnd:")) &
	    ~mask(status, "SigBlk:");
	for (s = 1; s <= 64; s++)
		if ((pending & (1ULL << (s - 1))) && !ignored(s, ign, cgt))
			return 0;
	if (end != FOREVER) {
		if (end <= now()) {
			/* Its time is up: what the native wait said. */
			arch_set_result(&t->t_regs, -11L);	/* EAGAIN */
			t->t_flags |= T_DIRTY;
			return 1;
		}
		left = end - now();
		ts.tv_sec = (time_t)(left / NS);
		ts.tv_nsec = (long)(left % NS);
		/* The thread's scratch mapping, made at the call's entry. */
		if ((sp = t->t_scratch) == 0 ||
		    it_mem_write(t, sp, &ts, sizeof(ts)) < 0)
			return 0;
		arch_set_arg(&t->t_regs, 2, sp);
	}
	arch_rewind_syscall(&t->t_regs, IT_SYS_rt_sigtimedwait);
	t->t_flags |= T_DIRTY;
	log_debug("tid %d: ignored signal %d; rt_sigtimedwait resumed",
	    (int)t->t_tid, sig);
	return 1;
}
