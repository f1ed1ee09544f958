/*
 * What a step under the deterministic schedule (schedule.h) tells the
 * run's table: whether it may have made a blocked call ready (a write, a
 * close, an exit: r_io) or sent a signal (r_sig), so that blocked calls
 * are looked at again only then; and its process's next timer, which
 * the clock must not jump past.  The timers themselves are the worker's
 * (timers.c): they fire when the worker holds the turn and the run's
 * clock has passed them.
 */
#include <stdint.h>

#include "../engine/schedtab.h"
#include "../engine/task.h"
#include "sandbox.h"
#include "timers.h"

/* Calls that change nothing another thread's blocked call waits for. */
static const int quiet[] = {
	IT_SYS_clock_gettime, IT_SYS_clock_getres, IT_SYS_gettimeofday,
	IT_SYS_time, IT_SYS_getpid, IT_SYS_gettid, IT_SYS_getppid,
	IT_SYS_getuid, IT_SYS_geteuid, IT_SYS_getgid, IT_SYS_getegid,
	IT_SYS_getgroups, IT_SYS_getpgrp, IT_SYS_getpgid, IT_SYS_getsid,
	IT_SYS_getrlimit, IT_SYS_getrusage, IT_SYS_times, IT_SYS_sysinfo,
	IT_SYS_uname, IT_SYS_brk, IT_SYS_mmap, IT_SYS_munmap,
	IT_SYS_mprotect, IT_SYS_madvise, IT_SYS_mremap, IT_SYS_rt_sigprocmask,
	IT_SYS_rt_sigaction, IT_SYS_sigaltstack, IT_SYS_sched_yield,
	IT_SYS_sched_getaffinity, IT_SYS_getrandom, IT_SYS_arch_prctl,
	IT_SYS_set_tid_address, IT_SYS_set_robust_list, IT_SYS_rseq,
	IT_SYS_newfstatat, IT_SYS_fstat, IT_SYS_stat, IT_SYS_lstat,
	IT_SYS_statx, IT_SYS_lseek, IT_SYS_getdents64, IT_SYS_access,
	IT_SYS_faccessat, IT_SYS_faccessat2, IT_SYS_readlink,
	IT_SYS_readlinkat, IT_SYS_getcwd, IT_SYS_openat, IT_SYS_open,
	IT_SYS_pread64, IT_SYS_futex, IT_SYS_nanosleep,
	IT_SYS_clock_nanosleep, IT_SYS_poll, IT_SYS_ppoll, IT_SYS_select,
	IT_SYS_pselect6, IT_SYS_epoll_wait, IT_SYS_epoll_pwait,
	IT_SYS_epoll_pwait2,
};

static const int signalling[] = {
	IT_SYS_kill, IT_SYS_tkill, IT_SYS_tgkill, IT_SYS_rt_sigqueueinfo,
	IT_SYS_rt_tgsigqueueinfo, IT_SYS_pidfd_send_signal, IT_SYS_alarm,
	IT_SYS_setitimer, IT_SYS_timer_settime,
};

static int
listed(const int *l, size_t n, long nr)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (l[i] == nr)
			return 1;
	return 0;
}

void
schedclock_step(struct it_task *t)
{
	struct sched_worker	*w = &sched_run->r_workers[sched_me()];
	long			 ran = t->t_schedran;

	if (ran < 0 || !listed(quiet, sizeof(quiet) / sizeof(quiet[0]), ran))
		sched_run->r_io++;
	if (ran < 0 || listed(signalling, sizeof(signalling) /
	    sizeof(signalling[0]), ran))
		sched_run->r_sig++;
	w->w_timer = timers_awaited();
	sandbox_stepped(1000);	/* schedpick.c's STEP_NS */
}

void
schedclock_timers(void)
{
	/* A read of the clock fires what it passed (state.c). */
	(void)sandbox_now();
	sched_run->r_workers[sched_me()].w_timer = timers_awaited();
	sched_run->r_sig++;
}
