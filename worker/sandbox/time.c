/*
 * Virtual time.  Every clock reads the process's virtual clock: the
 * wall clocks count from the epoch (--epoch), the others from a virtual
 * boot BOOT_NS before the epoch.  A sleep moves the clock by what was
 * asked and really yields only briefly (deadline.c), so a run neither
 * waits nor depends on how long anything took.
 *
 * Setting the time (clock_settime, settimeofday) sets the process's
 * virtual CLOCK_REALTIME: what was set reads back, moving on from there;
 * the monotonic clocks and timeouts are not moved, and the host's clock
 * is never touched.  A child inherits the setting.  Adjusting the clock
 * (adjtimex, clock_adjtime with modes) fails with EPERM, as for a user
 * without CAP_SYS_TIME; reading its state (modes 0) answers from the
 * virtual clock.
 */
#include <sys/resource.h>
#include <errno.h>
#include <string.h>
#include <time.h>

#include "sandbox.h"
#include "timers.h"

#define NS		1000000000ULL
#define BOOT_NS		SANDBOX_BOOT_NS
#define CLOCK_TICK_NS	(NS / 100)	/* USER_HZ */

static uint64_t
epoch_ns(void)
{
	return (uint64_t)sandbox_config()->sc_epoch * NS;
}

/* The virtual CLOCK_REALTIME. */
static uint64_t
realtime(void)
{
	return sandbox_now() + (uint64_t)sandbox_rtoff();
}

/* The virtual value of clock clk, or -1 for a clock we leave alone. */
static int
clock_read(int clk, uint64_t *ns)
{
	uint64_t	 now;

	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_TAI:
	case CLOCK_REALTIME_ALARM:
		*ns = realtime();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		*ns = sandbox_now() - epoch_ns() + BOOT_NS;
		return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		/* The process's time since it began, but its sleeps. */
		now = sandbox_now();
		*ns = now - sandbox_started() - sandbox_slept();
		return 0;
	}
	return -1;
}

int
sandbox_clock(int clk, uint64_t *ns)
{
	return clock_read(clk, ns);
}

static struct timespec
to_ts(uint64_t ns)
{
	return (struct timespec){ (time_t)(ns / NS), (long)(ns % NS) };
}

static long
sb_clock_gettime(struct it_task *t, int clk, it_gp_timespec tp)
{
	struct timespec	 ts;
	uint64_t	 ns;

	if (clock_read(clk, &ns) < 0)
		return IT_RUN_ORIGINAL;
	ts = to_ts(ns);
	return it_write_timespec(t, tp, &ts);
}

static long
sb_clock_getres(struct it_task *t, int clk, it_gp_timespec res)
{
	struct timespec	 ts = { 0, 1 };
	uint64_t	 ns;

	if (clock_read(clk, &ns) < 0)
		return IT_RUN_ORIGINAL;
	if (res.addr == 0)
		return 0;
	return it_write_timespec(t, res, &ts);
}

static long
sb_gettimeofday(struct it_task *t, it_gp_timeval tv, it_gp_timezone tz)
{
	struct timezone	 z = { 0, 0 };
	struct timeval	 v;
	uint64_t	 ns;
	int		 e;

	if (tv.addr != 0) {
		ns = realtime();
		v = (struct timeval){ (time_t)(ns / NS),
		    (suseconds_t)(ns % NS / 1000) };
		if ((e = it_write_timeval(t, tv, &v)) < 0)
			return e;
	}
	if (tz.addr != 0 && (e = it_write_timezone(t, tz, &z)) < 0)
		return e;
	return 0;
}

static long
sb_time(struct it_task *t, it_gp_long tloc)
{
	long	 s = (long)(realtime() / NS);
	int	 e;

	if (tloc.addr != 0 && (e = it_write_long(t, tloc, &s)) < 0)
		return e;
	return s;
}

int
sandbox_timespec(struct it_task *t, it_gp_timespec req, uint64_t *ns)
{
	struct timespec	 ts;
	int		 e;

	if ((e = it_read_timespec(t, req, &ts)) < 0)
		return e;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (long)NS)
		return -EINVAL;
	*ns = (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
	return 0;
}

/* The real yield of a sleep: the same call, shortened (deadline.c). */
static long
yield(struct it_task *t, uint64_t ns, int clk, it_gp_timespec rem)
{
	uint64_t	 y;
	long		 r;

	/* Among threads, the others first (quiesce.c). */
	if ((y = quiesce_sleep(t, &ns, DEADLINE_TIMESPEC)) != 0)
		goto yield;
	/* A timer may cut it short (EINTR, rem written): no yield then,
	 * its signal is the thread's business now. */
	if ((r = timers_sleep(t, ns, rem)) != 0)
		return r;
	if ((y = deadline_yield(t, ns, 0)) == 0)
		return 0;
yield:
	if (clk < 0) {
		it_task_set_arg(t, 0, y);
		it_task_set_arg(t, 1, 0);
	} else {
		/* Relative, on a clock that runs while the thread sleeps. */
		it_task_set_arg(t, 0, CLOCK_MONOTONIC);
		it_task_set_arg(t, 1, 0);
		it_task_set_arg(t, 2, y);
		it_task_set_arg(t, 3, 0);
	}
	return IT_RUN_ORIGINAL;
}

static long
sb_nanosleep(struct it_task *t, it_gp_timespec req, it_gp_timespec rem)
{
	uint64_t	 ns;
	int		 e;

	if ((e = sandbox_timespec(t, req, &ns)) < 0)
		return e;
	return yield(t, ns, -1, rem);
}

static long
sb_clock_nanosleep(struct it_task *t, int clk, unsigned int flags,
    it_gp_timespec req, it_gp_timespec rem)
{
	uint64_t	 ns, base;
	int		 e;

	switch (clk) {
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_THREAD_CPUTIME_ID:
		return -EOPNOTSUPP;	/* clocks the kernel cannot sleep on */
	}
	if (clock_read(clk, &base) < 0)
		return IT_RUN_ORIGINAL;
	if ((e = sandbox_timespec(t, req, &ns)) < 0)
		return e;
	if (flags & TIMER_ABSTIME)
		/* ns is a time of clock clk: the same distance from now;
		 * an absolute sleep writes no rem. */
		return yield(t, ns > base ? ns - base : 0, clk,
		    (it_gp_timespec){ 0 });
	return yield(t, ns, clk, rem);
}

static long
sb_times(struct it_task *t, it_gp_tms buf)
{
	struct tms	 z;
	uint64_t	 up = sandbox_now() - epoch_ns() + BOOT_NS;
	int		 e;

	memset(&z, 0, sizeof(z));
	if (buf.addr != 0 && (e = it_write_tms(t, buf, &z)) < 0)
		return e;
	return (long)(up / CLOCK_TICK_NS);
}

static long
sb_getrusage(struct it_task *t, int who, it_gp_rusage ru)
{
	struct rusage	 z;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN &&
	    who != RUSAGE_THREAD)
		return -EINVAL;
	memset(&z, 0, sizeof(z));
	return it_write_rusage(t, ru, &z);
}

/* The realtime clock reads ns from now on. */
static void
set_realtime(uint64_t ns)
{
	sandbox_set_rtoff((int64_t)(ns - sandbox_now()));
}

static long
sb_clock_settime(struct it_task *t, int clk, it_gp_timespec tp)
{
	uint64_t	 ns;
	int		 e;

	switch (clk) {
	case CLOCK_REALTIME:
		if ((e = sandbox_timespec(t, tp, &ns)) < 0)
			return e;
		set_realtime(ns);
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID:
		return -EINVAL;		/* not settable, as the kernel says */
	}
	/* A CPU-time clock of a pid, or a dynamic (PTP) clock: EPERM, never
	 * the host's. */
	return clk < 0 ? -EPERM : -EINVAL;
}

static long
sb_settimeofday(struct it_task *t, it_gp_timeval tv, it_gp_timezone tz)
{
	struct timeval	 v;
	int		 e;

	/* The kernel's time zone is the host's: not the sandbox's to set. */
	if (tz.addr != 0)
		return -EPERM;
	if (tv.addr == 0)
		return 0;
	if ((e = it_read_timeval(t, tv, &v)) < 0)
		return e;
	if (v.tv_sec < 0 || v.tv_usec < 0 || v.tv_usec >= 1000000)
		return -EINVAL;
	set_realtime((uint64_t)v.tv_sec * NS + (uint64_t)v.tv_usec * 1000);
	return 0;
}

/* The state of an unsynchronised clock at the virtual time. */
#define ADJ_OFFSET_SS_READ	0xa001

static long
adjtime_read(struct it_task *t, it_gp_timex buf)
{
	struct timex	 x;
	uint64_t	 ns = realtime();
	int		 e;

	if ((e = it_read_timex(t, buf, &x)) < 0)
		return e;
	if (x.modes != 0 && x.modes != ADJ_OFFSET_SS_READ)
		return -EPERM;		/* as without CAP_SYS_TIME */
	memset(&x, 0, sizeof(x));
	x.status = STA_UNSYNC;
	x.maxerror = x.esterror = 16000000;
	x.constant = 2;
	x.precision = 1;
	x.tolerance = 32768000;
	x.tick = 10000;
	x.time.tv_sec = (time_t)(ns / NS);
	x.time.tv_usec = (suseconds_t)(ns % NS / 1000);
	if ((e = it_write_timex(t, buf, &x)) < 0)
		return e;
	return TIME_ERROR;
}

static long
sb_adjtimex(struct it_task *t, it_gp_timex buf)
{
	return adjtime_read(t, buf);
}

static long
sb_clock_adjtime(struct it_task *t, int clk, it_gp_timex buf)
{
	struct timex	 x;
	int		 e;

	if (clk == CLOCK_REALTIME)
		return adjtime_read(t, buf);
	if (clk >= 0)
		return -EOPNOTSUPP;
	/* A dynamic clock (a PTP device): read it, never adjust it. */
	if ((e = it_read_timex(t, buf, &x)) < 0)
		return e;
	return x.modes == 0 ? IT_RUN_ORIGINAL : -EPERM;
}

const struct it_table sandbox_time = {
	.clock_settime = sb_clock_settime,
	.settimeofday = sb_settimeofday,
	.adjtimex = sb_adjtimex,
	.clock_adjtime = sb_clock_adjtime,
	.clock_gettime = sb_clock_gettime,
	.clock_getres = sb_clock_getres,
	.gettimeofday = sb_gettimeofday,
	.time = sb_time,
	.nanosleep = sb_nanosleep,
	.clock_nanosleep = sb_clock_nanosleep,
	.times = sb_times,
	.getrusage = sb_getrusage,
};
