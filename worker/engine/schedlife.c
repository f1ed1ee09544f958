/*
 * The ends of threads under the deterministic schedule (schedule.h,
 * sched.c): a thread's or process's end, an exec, a vfork's parent let
 * go by its child, a worker's process done.  What the kernel does at a
 * thread's end that a held waiter would miss (the wake of its clear-tid
 * word, a vfork parent's release) is done here in the table.
 */
#include <sys/wait.h>
#include <sched.h>
#include <string.h>

#include "schedtab.h"
#include "task.h"

void
sched_vfork(struct it_task *t, pid_t child)
{
	struct sched_slot	*s;

	if (!sched_on())
		return;
	s = sched_slot_for(t);
	sched_lock();
	memset(&s->s_blk, 0, sizeof(s->s_blk));
	s->s_blk.b_kind = BK_VFORK;
	s->s_blk.b_child = child;
	s->s_blk.b_since = sched_run->r_steps;
	s->s_deadline = SCHED_NONE;
	s->s_flags &= ~SF_WOKEN;
	s->s_state = SLOT_BLOCK;
	sched_unlock();
}

void
sched_unblock(struct it_task *t)
{
	struct sched_slot	*s = sched_slot_for(t);

	sched_lock();
	if (s->s_flags & SF_WOKEN) {
		s->s_flags = 0;
		s->s_state = SLOT_RUN;
	} else
		s->s_flags &= ~SF_READY;	/* looked at: still held */
	sched_unlock();
}

/* Every waiter that a slot's end lets go: a vfork parent, and the
 * first futex waiter of its process on its clear-tid word (the kernel
 * clears it and wakes one waiter at the thread's end: pthread_join). */
static void
wake_for_end(const struct sched_slot *g)
{
	struct sched_slot	*s, *first = NULL;
	uint32_t		 i;

	for (i = 0; i < sched_run->r_run; i++) {
		s = &sched_run->r_slots[i];
		if (s->s_state != SLOT_BLOCK)
			continue;
		if (s->s_blk.b_kind == BK_VFORK &&
		    s->s_blk.b_child == g->s_tid)
			s->s_flags |= SF_WOKEN;
		if (s->s_blk.b_kind == BK_FUTEX && g->s_ctid != 0 &&
		    s->s_tgid == g->s_tgid && s->s_blk.b_addr == g->s_ctid &&
		    !(s->s_flags & SF_WOKEN) && (first == NULL ||
		    s->s_blk.b_since < first->s_blk.b_since))
			first = s;
	}
	if (first != NULL)
		first->s_flags |= SF_WOKEN;
}

void
sched_clear_tid(struct it_task *t, uint64_t addr)
{
	struct sched_slot	*s;

	if (!sched_on() || (s = sched_slot(t)) == NULL)
		return;
	sched_lock();
	s->s_ctid = addr;
	sched_unlock();
}

static void
sched_vfork_done(pid_t child)
{
	struct sched_slot	 g = { .s_tid = child, .s_tgid = -1 };

	if (!sched_on())
		return;
	sched_lock();
	wake_for_end(&g);
	sched_unlock();
}

struct sibling {
	pid_t	 sb_tgid, sb_tid;
	int	 sb_slot;
};

static void
find_sibling(struct it_task *t, void *arg)
{
	struct sibling	*sb = arg;

	if (t->t_tgid == sb->sb_tgid && t->t_tid != sb->sb_tid &&
	    t->t_sslot > 0 && (sb->sb_slot < 0 || t->t_sslot - 1 < sb->sb_slot))
		sb->sb_slot = t->t_sslot - 1;
}

/*
 * The turn's holder t is gone.  If its process is dying whole (exit_group,
 * a fatal signal), the turn stays in the process, going to each of its
 * other threads as they end, so that the next choice sees the process
 * gone, whatever the order and time in which the kernel ends them.
 */
static void
pass_from_gone(struct it_task *t, int st)
{
	struct sibling	 sb = { t->t_tgid, t->t_tid, -1 };

	if (t->t_schedran == IT_SYS_exit_group || WIFSIGNALED(st)) {
		task_foreach(find_sibling, &sb);
		if (sb.sb_slot >= 0) {
			sched_run->r_turn = sb.sb_slot;
			return;
		}
	}
	sched_pass(-1);
}

void
sched_gone(struct it_task *t, int st)
{
	struct sched_slot	*s;
	int			 i;

	if (!sched_on() || t->t_sslot == 0)
		return;
	i = t->t_sslot - 1;
	t->t_sslot = 0;
	sched_lock();
	s = &sched_run->r_slots[i];
	if (s->s_tid == t->t_tid) {
		wake_for_end(s);
		s->s_state = SLOT_FREE;
		s->s_worker = -1;
		/* A death may let a wait4 go, and sends SIGCHLD. */
		sched_run->r_io++;
		sched_run->r_sig++;
		sched_run->r_exit++;
		if (sched_run->r_turn == i)
			pass_from_gone(t, st);
	}
	sched_unlock();
}

void
sched_exec(struct it_task *t, pid_t former)
{
	struct sched_slot	*s;
	int			 i;

	if (!sched_on())
		return;
	/* Its vfork parent goes on (the kernel lets it at the exec). */
	sched_vfork_done(t->t_tid);
	if (former == t->t_tid || t->t_sslot == 0)
		return;
	sched_lock();
	/* The former leader's slot goes; the exec'ing thread's gets its
	 * new tid, the leader's. */
	if ((i = sched_slot_of_tid(t->t_tid)) >= 0 && i != t->t_sslot - 1) {
		sched_run->r_slots[i].s_state = SLOT_FREE;
		if (sched_run->r_turn == i)
			sched_run->r_turn = t->t_sslot - 1;
	}
	s = &sched_run->r_slots[t->t_sslot - 1];
	s->s_tid = t->t_tid;
	sched_unlock();
}
