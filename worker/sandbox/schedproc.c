/*
 * The calls under the deterministic schedule (engine/schedule.h) that
 * wait for a process's life rather than a descriptor's (schedcall.c):
 * sleeps, waits for children, signal waits, file locks, and the run's
 * limits on new threads and processes.
 */
#include <sys/file.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <time.h>

#include "../engine/schedtab.h"
#include "../engine/task.h"
#include "sandbox.h"

#define NS		1000000000ULL

/* The sleeps: nanosleep, clock_nanosleep.  Done: 0; interrupted by a
 * signal: EINTR, what is left of a relative sleep in rem. */
long
schedproc_sleep(struct it_task *t, int timedout, int signalled)
{
	struct sched_block	 b = { .b_kind = BK_SLEEP };
	struct sched_slot	*s = sched_slot(t);
	struct timespec		 left;
	uint64_t		*a = t->t_args, ns, at, now, rem;
	int			 clk = CLOCK_MONOTONIC, abs = 0;

	if (t->t_nr == IT_SYS_clock_nanosleep) {
		clk = (int)a[0];
		abs = (a[1] & TIMER_ABSTIME) != 0;
		if (sandbox_clock(clk, &now) < 0 || clk ==
		    CLOCK_THREAD_CPUTIME_ID || clk == CLOCK_MONOTONIC_RAW ||
		    clk == CLOCK_MONOTONIC_COARSE || clk ==
		    CLOCK_REALTIME_COARSE)
			return SCHED_CALL_RUN;	/* the table's answer */
	}
	if (timedout)
		return 0;
	rem = t->t_nr == IT_SYS_nanosleep ? a[1] : abs ? 0 : a[3];
	if (signalled) {
		now = sched_clock();
		ns = s->s_deadline > now ? s->s_deadline - now : 0;
		left = (struct timespec){ (time_t)(ns / NS), (long)(ns % NS) };
		if (rem != 0)
			(void)it_write_timespec(t, (it_gp_timespec){ rem },
			    &left);
		return -EINTR;
	}
	if (sandbox_timespec(t, (it_gp_timespec){ a[t->t_nr ==
	    IT_SYS_nanosleep ? 0 : 2] }, &ns) < 0)
		return SCHED_CALL_RUN;	/* EFAULT or EINVAL from the table */
	if (abs) {
		at = ns;
		if (deadline_left(clk, at, &ns) < 0)
			return SCHED_CALL_RUN;
	}
	if (ns == 0)
		return 0;
	return schedcall_block(t, &b, schedcall_after(ns));
}

/*
 * The exit of a wait made non-blocking (wait_call): nothing to reap
 * (wait4's 0, waitid's si_pid 0) means the program's call would have
 * waited, so it starts again, held until a child may have changed.
 */
static long
wait_tried(struct it_task *t, long r, void *arg)
{
	int	 idx = t->t_nr == IT_SYS_wait4 ? 2 : 3, pid = -1;

	schedcall_set_arg(t, idx, (uint64_t)(uintptr_t)arg);	/* the program's */
	if (r != 0)
		return r;
	if (t->t_nr == IT_SYS_waitid && (t->t_args[2] == 0 ||
	    it_mem_read(t, t->t_args[2] + offsetof(siginfo_t, si_pid), &pid,
	    sizeof(pid)) < 0))
		return r;	/* no siginfo to tell by: as it came */
	if (t->t_nr == IT_SYS_waitid && pid != 0)
		return r;
	t->t_flags |= T_SCHEDTRIED;
	return IT_RUN_AGAIN;
}

/*
 * wait4 and waitid: held while no child the call selects can be waited
 * for.  Its selector is kept in the terms of /proc's NSpid lines (the
 * run's namespace, or the host's under --sandbox-pids=translate).  One
 * that may be runs with WNOHANG added, and starts again if it reaped
 * nothing (wait_tried: a zombie its tracer has not reaped yet, a child
 * continued, which /proc does not show); one that has found nothing
 * waits for a change (T_SCHEDTRIED).
 */
long
schedproc_wait(struct it_task *t)
{
	struct sched_block	 b = { .b_kind = BK_CHILD, .b_exits = 1 };
	uint64_t		*a = t->t_args, opts;
	int			 idx = t->t_nr == IT_SYS_wait4 ? 2 : 3;
	pid_t			 id;

	if (t->t_nr == IT_SYS_wait4) {
		opts = a[2];
		id = (pid_t)a[0];
		b.b_stops = (opts & WUNTRACED) != 0;
	} else {
		opts = a[3];
		id = (pid_t)a[1];
		b.b_stops = (opts & WSTOPPED) != 0;
		b.b_exits = (opts & WEXITED) != 0;
		switch ((int)a[0]) {
		case P_PID:
			break;
		case P_PGID:
			id = id == 0 ? 0 : -id;
			break;
		default:	/* P_ALL; P_PIDFD, not followed: any */
			id = -1;
			break;
		}
	}
	if (opts & WNOHANG)
		return SCHED_CALL_RUN;
	if (id != -1 && id != 0 && id != INT32_MIN && (id = (id > 0 ?
	    sandbox_view_pid(id) : -sandbox_view_pid(-id))) == 0)
		return SCHED_CALL_RUN;	/* nobody: ECHILD at once */
	b.b_wpid = id;
	b.b_wthread = (opts & __WNOTHREAD) != 0;
	if (t->t_flags & T_SCHEDTRIED)
		t->t_flags &= ~T_SCHEDTRIED;
	else if ((opts & WCONTINUED) ||
	    sched_children_ready(t->t_tgid, t->t_tid, &b)) {
		schedcall_set_arg(t, idx, opts | WNOHANG);
		sched_on_exit(t, wait_tried, (void *)(uintptr_t)opts);
		return SCHED_CALL_RUN;
	}
	return schedcall_block(t, &b, SCHED_NONE);
}

long
schedproc_signal(struct it_task *t, int timedout)
{
	struct sched_block	 b = { .b_kind = BK_SIGNAL };
	uint64_t		 ns = 0, *a = t->t_args;
	int			 none = 1;

	switch (t->t_nr) {
	case IT_SYS_rt_sigsuspend:
		schedcall_wait_mask(t, a[0], &b);
		break;
	case IT_SYS_rt_sigtimedwait:
		if (timedout)
			return -EAGAIN;
		if (a[0] == 0 || it_mem_read(t, a[0], &b.b_mask,
		    sizeof(b.b_mask)) < 0)
			return SCHED_CALL_RUN;
		b.b_maskmode = BM_WAITSET;
		if ((none = schedcall_rel_ns(t, a[2], &ns)) < 0)
			return SCHED_CALL_RUN;
		if (!none && ns == 0)
			return SCHED_CALL_RUN;
		break;
	}
	if (sched_signal_ready(t->t_tid, &b))
		return SCHED_CALL_RUN;
	return schedcall_block(t, &b, none ? SCHED_NONE : schedcall_after(ns));
}

/* flock, and fcntl's waiting locks. */
long
schedproc_lock(struct it_task *t)
{
	struct sched_block	 b = { .b_kind = BK_LOCK, .b_nfd = 1 };
	struct flock		 fl;
	uint64_t		*a = t->t_args;

	b.b_fd[0] = (int)a[0];
	if (t->t_nr == IT_SYS_flock) {
		if ((a[1] & LOCK_NB) || (a[1] & ~LOCK_NB) == LOCK_UN)
			return SCHED_CALL_RUN;
		b.b_lockcmd = (int)(a[1] & ~LOCK_NB);
	} else {
		if (((int)a[1] != F_SETLKW && (int)a[1] != F_OFD_SETLKW) ||
		    it_mem_read(t, a[2], &fl, sizeof(fl)) < 0 ||
		    fl.l_type == F_UNLCK)
			return SCHED_CALL_RUN;
		b.b_lockcmd = (int)a[1];
		b.b_lock.type = fl.l_type;
		b.b_lock.whence = fl.l_whence;
		b.b_lock.start = fl.l_start;
		b.b_lock.len = fl.l_len;
	}
	if (sched_lock_ready(t->t_tid, t->t_tgid, &b))
		return SCHED_CALL_RUN;
	return schedcall_block(t, &b, SCHED_NONE);
}

/*
 * The run's table holds SCHED_SLOTS threads and SCHED_WORKERS processes
 * at once (a process not yet adopted by its worker counts): a clone or
 * fork beyond fails with EAGAIN, as the kernel's does at a thread limit,
 * in the creator's turn.  The worker would otherwise have had no room
 * for the new thread and stopped the run.
 */
long
schedproc_new_task(struct it_task *t)
{
	struct sched_slot	*s;
	uint32_t		 i, slots = 0, workers = 0, pending = 0;
	int			 process;

	process = t->t_nr != IT_SYS_clone || !(t->t_args[0] & CLONE_THREAD);
	sched_lock();
	for (i = 0; i < SCHED_SLOTS; i++) {
		s = &sched_run->r_slots[i];
		if (s->s_state == SLOT_FREE)
			slots++;
		else if (s->s_worker < 0)
			pending++;
	}
	for (i = 0; i < SCHED_WORKERS; i++)
		if (sched_run->r_workers[i].w_pid == 0)
			workers++;
	sched_unlock();
	if (slots == 0 || (process && workers <= pending))
		return -EAGAIN;
	return SCHED_CALL_RUN;
}
