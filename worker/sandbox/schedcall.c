/*
 * The calls that may block, under the deterministic schedule (schedule.h).
 * At its entry, in its turn, such a call is looked at before the table
 * sees it: if it can complete now it runs as usual (it will not block:
 * nothing else runs meanwhile); if not, the thread leaves the runnable
 * set with what it waits for (schedtab.h), and its call comes back here
 * when the schedule gives it the turn again: woken, timed out, ready, or
 * interrupted by a signal.
 *
 * The waits nothing but the schedule can end are emulated whole, never
 * reach the kernel, and move only the run's logical clock: sleeps, and
 * futex waits and wakes (a wake lets go the waiters the table knows, in
 * the order they began to wait).  A call the kernel runs and that times
 * out (poll, select, epoll) runs with its timeout made zero once the
 * clock has reached its deadline, so its result is the kernel's.
 */
#include <sys/file.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/futex.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sched.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../engine/schedtab.h"
#include "../engine/task.h"
#include "sandbox.h"
#include "timers.h"

#define NS		1000000000ULL
#define POLLFDS_MAX	1024
#ifndef MSG_DONTWAIT
#define MSG_DONTWAIT	0x40
#endif

uint64_t
schedcall_after(uint64_t ns)
{
	uint64_t	 now = sched_clock();

	return ns > SCHED_NONE - now ? SCHED_NONE - 1 : now + ns;
}

/* t waits (b filled but for the bookkeeping) until deadline. */
long
schedcall_block(struct it_task *t, const struct sched_block *b, uint64_t deadline)
{
	struct sched_slot	*s = sched_slot(t);

	sched_lock();
	s->s_blk = *b;
	s->s_blk.b_since = sched_run->r_steps;
	s->s_blk.b_io = sched_gen(b->b_kind);
	s->s_blk.b_sig = sched_run->r_sig;
	s->s_deadline = deadline;
	s->s_flags = 0;		/* nothing from a former wait */
	s->s_state = SLOT_BLOCK;
	sched_unlock();
	return SCHED_CALL_BLOCKED;
}

/* Can a call on fd wait for events ev?  1 if it would block now.  A
 * read or write (io) of a non-blocking descriptor never waits; a poll,
 * select or epoll wait on one does. */
static int
fd_would_block(struct it_task *t, int fd, short ev, int io)
{
	int		 c, fl, r;

	if ((c = reach_getfd(t->t_tid, fd)) == -1)
		return 0;	/* the call fails at once */
	r = !schedfd_ready(t->t_tid, c, fd, ev) && (!io || (fl = fcntl(c,
	    F_GETFL)) == -1 || !(fl & O_NONBLOCK));
	close(c);
	return r;
}

/*
 * A read, write, send, receive or accept on fd.  On a socket, a timeout
 * set with SO_RCVTIMEO or SO_SNDTIMEO is the wait's deadline (then it
 * fails with EAGAIN, as the kernel's), and a datagram send never waits:
 * the sandbox's virtual UDP drops what a full queue cannot take, and a
 * program's own AF_UNIX datagram socket rarely fills.
 */
static long
fd_call(struct it_task *t, int fd, short ev, int timedout)
{
	struct sched_block	 b = { .b_kind = BK_FDS, .b_nfd = 1 };
	struct timeval		 tv;
	socklen_t		 len;
	uint64_t		 deadline = SCHED_NONE;
	int			 c, type, r;

	if (timedout)
		return -EAGAIN;
	if (!fd_would_block(t, fd, ev, 1) ||
	    (c = reach_getfd(t->t_tid, fd)) == -1)
		return SCHED_CALL_RUN;
	r = 1;
	len = sizeof(type);
	if (getsockopt(c, SOL_SOCKET, SO_TYPE, &type, &len) == 0) {
		len = sizeof(tv);
		if (ev == POLLOUT && type == SOCK_DGRAM)
			r = 0;
		else if (getsockopt(c, SOL_SOCKET, ev == POLLOUT ?
		    SO_SNDTIMEO : SO_RCVTIMEO, &tv, &len) == 0 &&
		    (tv.tv_sec > 0 || tv.tv_usec > 0))
			deadline = schedcall_after((uint64_t)tv.tv_sec * NS +
			    (uint64_t)tv.tv_usec * 1000);
	}
	close(c);
	if (!r)
		return SCHED_CALL_RUN;
	b.b_fd[0] = fd;
	b.b_ev[0] = ev;
	return schedcall_block(t, &b, deadline);
}

/* A relative timespec at addr in ns: 0; 1 if there is none (NULL); -1
 * if the kernel refuses it (the call then runs, and fails, as it is). */
int
schedcall_rel_ns(struct it_task *t, uint64_t addr, uint64_t *ns)
{
	if (addr == 0)
		return 1;
	if (sandbox_timespec(t, (it_gp_timespec){ addr }, ns) < 0)
		return -1;
	return 0;
}

static void
zero_timespec(struct it_task *t, uint64_t addr)
{
	struct timespec	 z = { 0, 0 };

	(void)it_write_timespec(t, (it_gp_timespec){ addr }, &z);
}

void
schedcall_set_arg(struct it_task *t, int i, uint64_t v)
{
	t->t_args[i] = v;
	it_task_set_arg(t, i, v);
}

/*
 * epoll_pwait2's timeout is the program's constant (the kernel never
 * writes it, unlike ppoll's and pselect6's): a zero one in scratch memory
 * stands for it.  Without scratch, the call waits its own timeout.
 */
static void
zero_timeout(struct it_task *t, int i)
{
	static const struct timespec	 z = { 0, 0 };
	uint64_t			 at;

	if (t->t_args[i] == 0 || (at = it_task_scratch(t, sizeof(z))) == 0 ||
	    it_mem_write(t, at, &z, sizeof(z)) < 0)
		return;
	schedcall_set_arg(t, i, at);
}

/*
 * poll and ppoll: the descriptors of fds[0..n) ready for their events
 * (1), or not, their first SCHED_FDS in b (more: b watches none, and its
 * worker looks again at every change).
 */
static int
pollfds_ready(struct it_task *t, uint64_t fds, uint64_t n,
    struct sched_block *b)
{
	struct pollfd	 p;
	uint64_t	 i;

	b->b_kind = n > SCHED_FDS ? BK_ANY : BK_FDS;
	for (i = 0; i < n && i < POLLFDS_MAX; i++) {
		if (it_mem_read(t, fds + i * sizeof(p), &p, sizeof(p)) < 0)
			return 1;
		if (p.fd < 0)
			continue;
		if (!fd_would_block(t, p.fd, (short)(p.events | POLLERR |
		    POLLHUP), 0))
			return 1;
		if (b->b_nfd < SCHED_FDS) {
			b->b_fd[b->b_nfd] = p.fd;
			b->b_ev[b->b_nfd++] = (short)(p.events | POLLERR |
			    POLLHUP);
		}
	}
	return 0;
}

static int
fdsets_ready(struct it_task *t, int nfds, uint64_t r, uint64_t w,
    uint64_t e, struct sched_block *b)
{
	fd_set		 s[3];
	uint64_t	 a[3] = { r, w, e };
	short		 ev[3] = { POLLIN, POLLOUT, POLLPRI };
	int		 fd, k;

	if (nfds < 0 || nfds > FD_SETSIZE)
		return 1;
	for (k = 0; k < 3; k++) {
		FD_ZERO(&s[k]);
		if (a[k] != 0 && it_mem_read(t, a[k], &s[k],
		    (size_t)(nfds + 7) / 8) < 0)
			return 1;
	}
	b->b_kind = BK_FDS;
	for (fd = 0; fd < nfds; fd++)
		for (k = 0; k < 3; k++) {
			if (a[k] == 0 || !FD_ISSET(fd, &s[k]))
				continue;
			if (!fd_would_block(t, fd, ev[k], 0))
				return 1;
			if (b->b_nfd == SCHED_FDS)
				b->b_kind = BK_ANY;
			else {
				b->b_fd[b->b_nfd] = fd;
				b->b_ev[b->b_nfd++] = ev[k];
			}
		}
	return 0;
}

/* A signal mask argument (ppoll, pselect6's, epoll_pwait, sigsuspend). */
void
schedcall_wait_mask(struct it_task *t, uint64_t addr, struct sched_block *b)
{
	uint64_t	 m;

	if (addr != 0 && it_mem_read(t, addr, &m, sizeof(m)) == 0) {
		b->b_maskmode = BM_MASK;
		b->b_mask = m;
	}
}

/* The descriptor waits: poll, ppoll, select, pselect6, epoll_wait,
 * epoll_pwait, epoll_pwait2.  Timed out: the same, with no timeout. */
static long
fds_wait(struct it_task *t, int timedout)
{
	struct sched_block	 b = { 0 };
	uint64_t		*a = t->t_args, ns = 0, m[2];
	int			 none = 0;
	long			 nr = t->t_nr;

	switch (nr) {
	case IT_SYS_poll:
		if (timedout)
			schedcall_set_arg(t, 2, 0);
		if (timedout || (int)a[2] == 0 || pollfds_ready(t, a[0],
		    a[1], &b))
			return SCHED_CALL_RUN;
		none = (int)a[2] < 0;
		ns = (uint64_t)(int)a[2] * 1000000ULL;
		break;
	case IT_SYS_ppoll:
		if (timedout)
			zero_timespec(t, a[2]);
		if ((none = schedcall_rel_ns(t, a[2], &ns)) < 0)
			return SCHED_CALL_RUN;
		if (timedout || (!none && ns == 0) || pollfds_ready(t, a[0],
		    a[1], &b))
			return SCHED_CALL_RUN;
		schedcall_wait_mask(t, a[3], &b);
		break;
	case IT_SYS_select:
	case IT_SYS_pselect6:
		if (timedout) {
			if (nr == IT_SYS_select) {
				struct timeval	 z = { 0, 0 };

				(void)it_write_timeval(t,
				    (it_gp_timeval){ a[4] }, &z);
			} else
				zero_timespec(t, a[4]);
			return SCHED_CALL_RUN;
		}
		if (nr == IT_SYS_select) {
			struct timeval	 tv;

			none = a[4] == 0;
			if (!none && (it_read_timeval(t, (it_gp_timeval){
			    a[4] }, &tv) < 0 || tv.tv_sec < 0 ||
			    tv.tv_usec < 0))
				return SCHED_CALL_RUN;	/* EFAULT, EINVAL */
			if (!none)
				ns = (uint64_t)tv.tv_sec * NS +
				    (uint64_t)tv.tv_usec * 1000;
		} else {
			if ((none = schedcall_rel_ns(t, a[4], &ns)) < 0)
				return SCHED_CALL_RUN;
			/* Its sixth argument: { const sigset_t *, size }. */
			if (a[5] != 0 && it_mem_read(t, a[5], m,
			    sizeof(m)) == 0)
				schedcall_wait_mask(t, m[0], &b);
		}
		if ((!none && ns == 0) || fdsets_ready(t, (int)a[0], a[1],
		    a[2], a[3], &b))
			return SCHED_CALL_RUN;
		break;
	default:	/* the epoll waits */
		if (timedout) {
			if (nr == IT_SYS_epoll_pwait2)
				zero_timeout(t, 3);
			else
				schedcall_set_arg(t, 3, 0);
			return SCHED_CALL_RUN;
		}
		if (nr == IT_SYS_epoll_pwait2) {
			if ((none = schedcall_rel_ns(t, a[3], &ns)) < 0)
				return SCHED_CALL_RUN;
		} else {
			none = (int)a[3] < 0;
			ns = (uint64_t)(int)a[3] * 1000000ULL;
		}
		if ((!none && ns == 0) || !fd_would_block(t, (int)a[0],
		    POLLIN, 0))
			return SCHED_CALL_RUN;
		if (nr != IT_SYS_epoll_wait)
			schedcall_wait_mask(t, a[4], &b);
		b.b_kind = BK_FDS;
		b.b_nfd = 1;
		b.b_fd[0] = (int)a[0];
		b.b_ev[0] = POLLIN;
		break;
	}
	return schedcall_block(t, &b, none ? SCHED_NONE : schedcall_after(ns));
}

static long
dispatch(struct it_task *t, int timedout, int signalled)
{
	uint64_t	*a = t->t_args;

	switch (t->t_nr) {
	case IT_SYS_clone:
	case IT_SYS_clone3:
	case IT_SYS_fork:
	case IT_SYS_vfork:
		return schedproc_new_task(t);
	case IT_SYS_read:
	case IT_SYS_readv:
	case IT_SYS_accept:
	case IT_SYS_accept4:
		return fd_call(t, (int)a[0], POLLIN, timedout);
	case IT_SYS_recvfrom:
	case IT_SYS_recvmmsg:
		return a[3] & MSG_DONTWAIT ? SCHED_CALL_RUN :
		    fd_call(t, (int)a[0], POLLIN, timedout);
	case IT_SYS_recvmsg:
		return a[2] & MSG_DONTWAIT ? SCHED_CALL_RUN :
		    fd_call(t, (int)a[0], POLLIN, timedout);
	case IT_SYS_write:
	case IT_SYS_writev:
		return fd_call(t, (int)a[0], POLLOUT, timedout);
	case IT_SYS_sendto:
	case IT_SYS_sendmmsg:
		return a[3] & MSG_DONTWAIT ? SCHED_CALL_RUN :
		    fd_call(t, (int)a[0], POLLOUT, timedout);
	case IT_SYS_sendmsg:
		return a[2] & MSG_DONTWAIT ? SCHED_CALL_RUN :
		    fd_call(t, (int)a[0], POLLOUT, timedout);
	case IT_SYS_poll:
	case IT_SYS_ppoll:
	case IT_SYS_select:
	case IT_SYS_pselect6:
	case IT_SYS_epoll_wait:
	case IT_SYS_epoll_pwait:
	case IT_SYS_epoll_pwait2:
		return fds_wait(t, timedout);
	case IT_SYS_nanosleep:
	case IT_SYS_clock_nanosleep:
		return schedproc_sleep(t, timedout, signalled);
	case IT_SYS_futex:
		return schedfutex_call(t, timedout, signalled);
	case IT_SYS_wait4:
	case IT_SYS_waitid:
		return schedproc_wait(t);
	case IT_SYS_flock:
	case IT_SYS_fcntl:
		return schedproc_lock(t);
	case IT_SYS_open:
	case IT_SYS_openat: {
		struct sched_block	 fb;

		return schedfifo_call(t, &fb) ? schedcall_block(t, &fb, SCHED_NONE) :
		    SCHED_CALL_RUN;
	}
	case IT_SYS_set_tid_address:
		sched_clear_tid(t, a[0]);
		return SCHED_CALL_RUN;
	case IT_SYS_pause:
	case IT_SYS_rt_sigsuspend:
	case IT_SYS_rt_sigtimedwait:
		return schedproc_signal(t, timedout);
	}
	return SCHED_CALL_RUN;
}

long
schedcall_call(struct it_task *t)
{
	struct sched_slot	*s = sched_slot(t);
	struct sched_block	 b;
	uint32_t		 flags = 0;
	int			 again = (t->t_flags & T_SCHEDBLK) != 0;
	uint64_t		 deadline;
	long			 r;

	if (s == NULL)
		return SCHED_CALL_RUN;
	deadline = s->s_deadline;
	if (schedfifo_fix(t, &b)) {
		sched_lock();
		s->s_flags = 0;
		sched_unlock();
		return schedcall_block(t, &b, SCHED_NONE);
	}
	if (again) {
		sched_lock();
		flags = s->s_flags;
		s->s_flags = 0;
		s->s_state = SLOT_RUN;
		sched_unlock();
		/* Interrupted: the kernel's call sees the signal and ends
		 * (a sleep or futex wait, emulated, says so itself). */
		if (!(flags & (SF_WOKEN | SF_TIMEDOUT)) &&
		    sched_signal_ready(t->t_tid, &s->s_blk)) {
			if (t->t_nr == IT_SYS_nanosleep ||
			    t->t_nr == IT_SYS_clock_nanosleep ||
			    t->t_nr == IT_SYS_futex)
				return dispatch(t, 0, 1);
			return SCHED_CALL_RUN;
		}
		if (flags & SF_WOKEN)
			return schedfutex_woken(t);
	}
	r = dispatch(t, (flags & SF_TIMEDOUT) != 0, 0);
	/* Held again (a timer fired, a look found it not ready after all):
	 * its deadline is still the one it first had, not one counted
	 * again from now. */
	if (again && r == SCHED_CALL_BLOCKED && deadline < s->s_deadline) {
		sched_lock();
		s->s_deadline = deadline;
		sched_unlock();
	}
	return r;
}
