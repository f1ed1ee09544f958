/*
 * The calls that arm and read timers: alarm, getitimer and setitimer
 * (ITIMER_REAL; the CPU-time ITIMER_VIRTUAL and ITIMER_PROF are the
 * kernel's), and the POSIX timers of the wall and monotonic clocks.  They
 * run on the virtual clock (timers.c); timer_create and timer_delete also
 * run in the kernel, whose timer is never armed, so that ids, limits and
 * errors stay its own.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../common/log.h"
#include "../engine/task.h"
#include "sandbox.h"
#include "timers.h"


/* SIGEV_THREAD_ID's thread, as the program names it (glibc spells the
 * field sigev_notify_thread_id only in new versions). */
#define SEV_TID(sev)	((sev)->_sigev_un._tid)

static int
tv_valid(const struct timeval *tv)
{
	return tv->tv_sec >= 0 && tv->tv_usec >= 0 && tv->tv_usec < 1000000;
}

static struct vtimer *
itimer(void)
{
	struct vtimer	*v;

	if ((v = timers_find(VT_ITIMER, 0)) == NULL &&
	    (v = timers_new(VT_ITIMER)) != NULL) {
		v->v_clock = CLOCK_MONOTONIC;
		v->v_notify = SIGEV_SIGNAL;
		v->v_signo = SIGALRM;
	}
	return v;
}

/* ITIMER_REAL's value as getitimer gives it. */
static void
itimer_get(struct itimerval *iv)
{
	struct vtimer		*v = timers_find(VT_ITIMER, 0);
	struct itimerspec	 its;

	memset(iv, 0, sizeof(*iv));
	if (v == NULL)
		return;
	timers_get(v, &its);
	iv->it_value.tv_sec = its.it_value.tv_sec;
	iv->it_value.tv_usec = its.it_value.tv_nsec / 1000;
	iv->it_interval.tv_sec = its.it_interval.tv_sec;
	iv->it_interval.tv_usec = its.it_interval.tv_nsec / 1000;
	/* The kernel never reports an armed timer as 0 left. */
	if (v->v_deadline != 0 && iv->it_value.tv_sec == 0 &&
	    iv->it_value.tv_usec == 0)
		iv->it_value.tv_usec = 1;
}

static int
itimer_set(const struct itimerval *iv)
{
	struct vtimer		*v;
	struct itimerspec	 its;

	if ((v = itimer()) == NULL)
		return -EAGAIN;
	its.it_value = (struct timespec){ iv->it_value.tv_sec,
	    iv->it_value.tv_usec * 1000 };
	its.it_interval = (struct timespec){ iv->it_interval.tv_sec,
	    iv->it_interval.tv_usec * 1000 };
	timers_set(v, 0, &its);
	return 0;
}

static long
sb_getitimer(struct it_task *t, int which, it_gp_itimerval cur)
{
	struct itimerval	 iv;

	if (which != ITIMER_REAL)
		return IT_RUN_ORIGINAL;
	itimer_get(&iv);
	return it_write_itimerval(t, cur, &iv);
}

static long
sb_setitimer(struct it_task *t, int which, it_gp_itimerval new_value,
    it_gp_itimerval old_value)
{
	struct itimerval	 iv, old;
	int			 e;

	if (which != ITIMER_REAL)
		return IT_RUN_ORIGINAL;
	/* A NULL new value disarms, as Linux has always taken it. */
	memset(&iv, 0, sizeof(iv));
	if (new_value.addr != 0 && it_read_itimerval(t, new_value, &iv) < 0)
		return -EFAULT;
	if (!tv_valid(&iv.it_value) || !tv_valid(&iv.it_interval))
		return -EINVAL;
	itimer_get(&old);
	if ((e = itimer_set(&iv)) < 0)
		return e;
	if (old_value.addr != 0 && it_write_itimerval(t, old_value, &old) < 0)
		return -EFAULT;
	return 0;
}

static long
sb_alarm(struct it_task *t, unsigned int seconds)
{
	struct itimerval	 iv, old;
	long			 left;

	(void)t;
	memset(&iv, 0, sizeof(iv));
	iv.it_value.tv_sec = (int)seconds < 0 ? INT_MAX : (time_t)seconds;
	itimer_get(&old);
	if (itimer_set(&iv) < 0)
		return 0;
	/* The seconds left, rounded as the kernel rounds them. */
	left = (long)old.it_value.tv_sec;
	if ((left == 0 && old.it_value.tv_usec != 0) ||
	    old.it_value.tv_usec >= 500000)
		left++;
	return left;
}

struct tid_match {
	pid_t	 tm_view;
	pid_t	 tm_host;
};

/* The tid by which the program knows thread t. */
static pid_t
view_tid(const struct it_task *t)
{
	char	 path[64], buf[4096], *p, *e;
	long	 v = -1;

	if (!sandbox_pidns())
		return t->t_vtid != 0 ? t->t_vtid : sandbox_ids()->id_vpid;
	/* In the run's namespace: the last number of NSpid. */
	(void)snprintf(path, sizeof(path), "/proc/%d/status", (int)t->t_tid);
	if (task_proc_read(path, buf, sizeof(buf)) < 0 ||
	    (p = strstr(buf, "\nNSpid:")) == NULL)
		return -1;
	for (p += 7; *p != '\n' && *p != '\0'; p = e) {
		v = strtol(p, &e, 10);
		if (e == p)
			break;
	}
	return (pid_t)v;
}

static void
tid_match(struct it_task *t, void *arg)
{
	struct tid_match	*m = arg;

	if (m->tm_host == 0 && view_tid(t) == m->tm_view)
		m->tm_host = t->t_tid;
}

/* The host tid of the thread the program calls view, or 0. */
static pid_t
host_tid(pid_t view)
{
	struct tid_match	 m = { view, 0 };

	task_foreach(tid_match, &m);
	return m.tm_host;
}

/* What timer_create's entry saw, for its exit. */
struct creating {
	int		 c_clock, c_notify, c_signo, c_default;
	pid_t		 c_tid;
	uint64_t	 c_value;
	uint64_t	 c_idp;
};

static long
created(struct it_task *t, long r, void *arg)
{
	struct creating	*c = arg;
	struct vtimer	*v;
	int		 id;

	if (r == 0 && it_read_int(t, (it_gp_int){ c->c_idp }, &id) == 0) {
		if ((v = timers_new(VT_POSIX)) == NULL)
			log_warn("timer %d of %d: too many, left in real time",
			    id, (int)it_task_pid(t));
		else {
			v->v_id = id;
			v->v_clock = c->c_clock;
			v->v_notify = c->c_notify;
			v->v_signo = c->c_signo;
			v->v_tid = c->c_tid;
			v->v_value = c->c_default ? (uint64_t)id : c->c_value;
		}
	}
	free(c);
	return r;
}

static long
sb_timer_create(struct it_task *t, int clk, it_gp_sigevent sevp,
    it_gp_int idp)
{
	struct creating	*c;
	struct sigevent	 sev;
	it_gp_sigevent	 moved;
	int64_t		 off;

	if (timers_clock(clk, &off) < 0 ||
	    (c = calloc(1, sizeof(*c))) == NULL)
		return IT_RUN_ORIGINAL;
	c->c_clock = clk;
	c->c_idp = idp.addr;
	if (sevp.addr == 0) {
		c->c_notify = SIGEV_SIGNAL;
		c->c_signo = SIGALRM;
		c->c_default = 1;
	} else if (it_read_sigevent(t, sevp, &sev) == 0) {
		c->c_notify = sev.sigev_notify;
		c->c_signo = sev.sigev_signo;
		c->c_value = (uint64_t)(uintptr_t)sev.sigev_value.sival_ptr;
		if (sev.sigev_notify == SIGEV_THREAD_ID &&
		    (c->c_tid = host_tid(SEV_TID(&sev))) != 0 &&
		    !sandbox_pidns() && c->c_tid != SEV_TID(&sev)) {
			/* A virtual tid: the kernel checks the host's. */
			SEV_TID(&sev) = c->c_tid;
			if ((moved.addr = it_task_scratch(t, sizeof(sev))) != 0 &&
			    it_write_sigevent(t, moved, &sev) == 0)
				it_task_set_arg(t, 1, moved.addr);
		}
	} else {
		free(c);
		return IT_RUN_ORIGINAL;		/* the kernel's EFAULT */
	}
	it_task_on_exit(t, created, c);
	return IT_RUN_ORIGINAL;
}

static long
sb_timer_settime(struct it_task *t, int id, unsigned int flags,
    it_gp_itimerspec new_value, it_gp_itimerspec old_value)
{
	struct itimerspec	 its;
	struct vtimer		*v;

	if ((v = timers_find(VT_POSIX, id)) == NULL)
		return IT_RUN_ORIGINAL;
	if (it_read_itimerspec(t, new_value, &its) < 0)
		return -EFAULT;
	if (!timers_valid(&its))
		return -EINVAL;
	return timers_settime(t, v, (flags & TIMER_ABSTIME) != 0, &its,
	    old_value);
}

static long
sb_timer_gettime(struct it_task *t, int id, it_gp_itimerspec cur)
{
	struct itimerspec	 its;
	struct vtimer		*v;

	if ((v = timers_find(VT_POSIX, id)) == NULL)
		return IT_RUN_ORIGINAL;
	timers_get(v, &its);
	return it_write_itimerspec(t, cur, &its);
}

static long
sb_timer_getoverrun(struct it_task *t, int id)
{
	struct vtimer	*v;

	(void)t;
	if ((v = timers_find(VT_POSIX, id)) == NULL)
		return IT_RUN_ORIGINAL;
	return v->v_overrun_last;
}

static long
sb_timer_delete(struct it_task *t, int id)
{
	struct vtimer	*v;

	(void)t;
	if ((v = timers_find(VT_POSIX, id)) != NULL)
		timers_free(v);
	return IT_RUN_ORIGINAL;
}

const struct it_table sandbox_itimers = {
	.getitimer = sb_getitimer,
	.setitimer = sb_setitimer,
	.alarm = sb_alarm,
	.timer_create = sb_timer_create,
	.timer_settime = sb_timer_settime,
	.timer_gettime = sb_timer_gettime,
	.timer_getoverrun = sb_timer_getoverrun,
	.timer_delete = sb_timer_delete,
};
