/*
 * futex under the deterministic schedule (schedule.h): waits and wakes
 * never reach the kernel, so which waiter a wake lets go, and when, is
 * the schedule's.  A wait whose word already differs runs (the kernel
 * answers EAGAIN at once); else the thread blocks on (its process, the
 * word's address).  A wake lets go, in the order they began to wait, at
 * most its count of the waiters of the same process and address whose
 * bits match, and answers how many.  A waiter on a word shared between
 * processes (no FUTEX_PRIVATE_FLAG) is also let go when its word
 * changes, which covers a wake from another process, whose address of
 * the word may differ.  A thread's end wakes its process's waiters, as
 * the kernel's wake of its tid word does (pthread_join).
 *
 * The priority-inheritance operations and futex_waitv run in the kernel
 * as they are; one that blocks there is cut by the real-time fallback.
 */
#include <linux/futex.h>
#include <errno.h>
#include <stdint.h>
#include <time.h>

#include "../engine/schedtab.h"
#include "../engine/task.h"
#include "sandbox.h"

#define NS		1000000000ULL

/* Wakes at most n waiters of (tgid, addr) with bits: how many. */
static long
wake(pid_t tgid, uint64_t addr, uint32_t bits, long n)
{
	struct sched_slot	*s, *first;
	long			 woken = 0;
	uint32_t		 i;

	while (woken < n) {
		first = NULL;
		for (i = 0; i < sched_run->r_run; i++) {
			s = &sched_run->r_slots[i];
			if (s->s_state != SLOT_BLOCK ||
			    s->s_blk.b_kind != BK_FUTEX ||
			    (s->s_flags & SF_WOKEN) || s->s_tgid != tgid ||
			    s->s_blk.b_addr != addr ||
			    !(s->s_blk.b_bits & bits))
				continue;
			if (first == NULL ||
			    s->s_blk.b_since < first->s_blk.b_since)
				first = s;
		}
		if (first == NULL)
			break;
		first->s_flags |= SF_WOKEN;
		woken++;
	}
	return woken;
}

/* Whether slot s waits on (tgid, addr), not yet woken. */
static int
waits_on(const struct sched_slot *s, pid_t tgid, uint64_t addr)
{
	return s->s_state == SLOT_BLOCK && s->s_blk.b_kind == BK_FUTEX &&
	    !(s->s_flags & SF_WOKEN) && s->s_tgid == tgid &&
	    s->s_blk.b_addr == addr;
}

/* Moves at most n waiters of (tgid, from) to wait on to, in the order
 * they began to wait (the kernel's queue): how many.  Onto the same
 * word each stays where it is, counted. */
static long
requeue(pid_t tgid, uint64_t from, uint64_t to, long n)
{
	struct sched_slot	*s, *first;
	long			 moved = 0;
	uint32_t		 i;

	if (from == to) {
		for (i = 0; i < sched_run->r_run && moved < n; i++)
			if (waits_on(&sched_run->r_slots[i], tgid, from))
				moved++;
		return moved;
	}
	while (moved < n) {
		first = NULL;
		for (i = 0; i < sched_run->r_run; i++) {
			s = &sched_run->r_slots[i];
			if (waits_on(s, tgid, from) && (first == NULL ||
			    s->s_blk.b_since < first->s_blk.b_since))
				first = s;
		}
		if (first == NULL)
			break;
		first->s_blk.b_addr = to;
		moved++;
	}
	return moved;
}

static long
wait_call(struct it_task *t, int cmd, int op, int timedout)
{
	struct sched_block	 b = { .b_kind = BK_FUTEX };
	struct sched_slot	*s = sched_slot(t);
	uint64_t		*a = t->t_args, ns = SCHED_NONE, now;
	uint32_t		 v;
	int			 clk;

	if (timedout)
		return -ETIMEDOUT;
	if (cmd == FUTEX_WAIT_BITSET && (uint32_t)a[5] == 0)
		return SCHED_CALL_RUN;		/* EINVAL */
	if (cmd == FUTEX_WAIT && (op & FUTEX_CLOCK_REALTIME))
		return SCHED_CALL_RUN;		/* ENOSYS */
	if (it_mem_read(t, a[0], &v, sizeof(v)) < 0 || v != (uint32_t)a[2])
		return SCHED_CALL_RUN;		/* EFAULT or EAGAIN */
	if (a[3] != 0) {
		if (sandbox_timespec(t, (it_gp_timespec){ a[3] }, &ns) < 0)
			return SCHED_CALL_RUN;	/* EINVAL or EFAULT */
		if (cmd == FUTEX_WAIT_BITSET) {
			clk = op & FUTEX_CLOCK_REALTIME ? CLOCK_REALTIME :
			    CLOCK_MONOTONIC;
			if (deadline_left(clk, ns, &ns) < 0)
				return SCHED_CALL_RUN;
		}
		if (ns == 0)
			return -ETIMEDOUT;
		now = sched_clock();
		ns = ns > SCHED_NONE - 1 - now ? SCHED_NONE - 1 : now + ns;
	}
	b.b_addr = a[0];
	b.b_val = v;
	b.b_bits = cmd == FUTEX_WAIT_BITSET ? (uint32_t)a[5] : ~0U;
	b.b_shared = !(op & FUTEX_PRIVATE_FLAG);
	sched_lock();
	s->s_blk = b;
	s->s_blk.b_since = sched_run->r_steps;
	s->s_blk.b_io = sched_run->r_io;
	s->s_blk.b_sig = sched_run->r_sig;
	s->s_deadline = ns;
	s->s_flags = 0;		/* nothing from a former wait */
	s->s_state = SLOT_BLOCK;
	sched_unlock();
	return SCHED_CALL_BLOCKED;
}

long
schedfutex_call(struct it_task *t, int timedout, int signalled)
{
	uint64_t	*a = t->t_args;
	int		 op = (int)a[1], cmd = op & FUTEX_CMD_MASK;
	long		 n = 0, q;
	uint32_t	 v;

	/* A word not 4-aligned: the kernel answers EINVAL to every op. */
	if (a[0] & 3)
		return SCHED_CALL_RUN;
	switch (cmd) {
	case FUTEX_WAIT:
	case FUTEX_WAIT_BITSET:
		if (signalled)
			return -EINTR;
		return wait_call(t, cmd, op, timedout);
	case FUTEX_WAKE:
	case FUTEX_WAKE_BITSET:
		if (cmd == FUTEX_WAKE_BITSET && (uint32_t)a[5] == 0)
			return SCHED_CALL_RUN;	/* EINVAL */
		sched_lock();
		/* The kernel counts after each wake: 0 or less wakes one. */
		n = wake(t->t_tgid, a[0], cmd == FUTEX_WAKE ? ~0U :
		    (uint32_t)a[5], (int)a[2] > 0 ? (long)(int)a[2] : 1);
		if (!(op & FUTEX_PRIVATE_FLAG))
			sched_run->r_io++;	/* other processes' words */
		sched_unlock();
		return n;
	case FUTEX_REQUEUE:
	case FUTEX_CMP_REQUEUE:
		if ((int)a[2] < 0 || (int)a[3] < 0)
			return -EINVAL;
		if (cmd == FUTEX_CMP_REQUEUE && (it_mem_read(t, a[0], &v,
		    sizeof(v)) < 0 || v != (uint32_t)a[5]))
			return SCHED_CALL_RUN;	/* EFAULT or EAGAIN */
		sched_lock();
		n = wake(t->t_tgid, a[0], ~0U, (long)(int)a[2]);
		q = requeue(t->t_tgid, a[0], a[4], (long)(int)a[3]);
		sched_unlock();
		return cmd == FUTEX_CMP_REQUEUE ? n + q : n;
	case FUTEX_WAKE_OP:
		/* The kernel does the operation on the second word; the
		 * waiters of both look again (a wake they need not is
		 * one a futex waiter must expect). */
		sched_lock();
		(void)wake(t->t_tgid, a[0], ~0U, (long)(int)a[2]);
		(void)wake(t->t_tgid, a[4], ~0U, (long)(int)a[3]);
		sched_run->r_io++;
		sched_unlock();
		return SCHED_CALL_RUN;
	}
	return SCHED_CALL_RUN;
}

long
schedfutex_woken(struct it_task *t)
{
	(void)t;
	return 0;
}
