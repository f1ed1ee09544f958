/*
 * The run's table for --schedule=deterministic and --chaos (schedule.h):
 * which threads exist, which can go on, who holds the turn, the clock.
 *
 * A slot is a thread of the run, numbered in the order threads were
 * made: the creator's worker fills it at the creator's fork or clone
 * event, which happens in the creator's turn, so the numbering is the
 * same on every run whatever the host did.  A process handed to a new
 * worker is found there by its host tid.
 *
 * The turn passes at the end of a step: the thread that held it stopped
 * (at its next call, a signal, an event) and was handled.  Its worker
 * picks the next slot and, if that slot is another worker's, sends that
 * worker SCHED_SIG, which it takes with sigtimedwait along with the
 * SIGCHLD of its tracees' stops (schedwait.c).
 */
#include <sys/wait.h>
#include <sched.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "../../common/log.h"
#include "shared.h"
#include "schedtab.h"
#include "task.h"

struct sched_run	*sched_run;
static int		 me = -1;	/* index in r_workers */
static struct sched_hooks hooks;

void
sched_hooks(const struct sched_hooks *h)
{
	hooks = *h;
}

long
sched_call(struct it_task *t)
{
	return hooks.sh_call != NULL ? hooks.sh_call(t) : SCHED_CALL_RUN;
}

void
sched_on_exit(struct it_task *t, long (*fn)(struct it_task *, long, void *),
    void *arg)
{
	t->t_sched_fn = fn;
	t->t_sched_arg = arg;
}

void
sched_publish(struct it_task *t)
{
	if (hooks.sh_step != NULL)
		hooks.sh_step(t);
	else
		sched_run->r_io++;
}

void
sched_timers_due(void)
{
	if (hooks.sh_timers != NULL)
		hooks.sh_timers();
}

void
sched_setup(enum sched_mode mode, uint64_t seed)
{
	pthread_mutexattr_t	 a;
	int			 i;

	if (mode == SCHED_HOST || sched_run != NULL)
		return;
	sched_run = shared_map(sizeof(*sched_run));
	if (pthread_mutexattr_init(&a) != 0 ||
	    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED) != 0 ||
	    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST) != 0 ||
	    pthread_mutex_init(&sched_run->r_lock, &a) != 0)
		fatalx("sched: shared lock");
	pthread_mutexattr_destroy(&a);
	sched_run->r_mode = mode;
	sched_run->r_seed = seed;
	sched_run->r_rng = seed ^ 0x5ced5ced5ced5cedULL;
	sched_run->r_turn = 0;	/* the root's first thread */
	sched_run->r_low = 1024;	/* schedpick.c's PRIO_LOW */
	for (i = 0; i < SCHED_SLOTS; i++)
		sched_run->r_slots[i].s_worker = -1;
}

int
sched_on(void)
{
	return sched_run != NULL;
}

static unsigned		*hazard_word;

unsigned
sched_hazards(void)
{
	return sched_run != NULL ? sched_run->r_hazards : 0;
}

void
sched_count_hazards(unsigned *w)
{
	hazard_word = w;
}

void
sched_hazard(void)
{
	__atomic_add_fetch(&sched_run->r_hazards, 1, __ATOMIC_RELAXED);
	if (hazard_word != NULL)
		__atomic_add_fetch(hazard_word, 1, __ATOMIC_RELAXED);
}

void
sched_lock(void)
{
	/* A worker that died holding it (a crash) left the table as its
	 * last change made it: each change is whole before the next. */
	if (pthread_mutex_lock(&sched_run->r_lock) == EOWNERDEAD)
		pthread_mutex_consistent(&sched_run->r_lock);
}

void
sched_unlock(void)
{
	pthread_mutex_unlock(&sched_run->r_lock);
}

void
sched_signalled(void)
{
	if (sched_run != NULL)
		__atomic_add_fetch(&sched_run->r_sig, 1, __ATOMIC_RELEASE);
}

uint64_t
sched_clock(void)
{
	return __atomic_load_n(&sched_run->r_clock, __ATOMIC_ACQUIRE);
}

void
sched_clock_to(uint64_t ns)
{
	if (ns > sched_run->r_clock)
		__atomic_store_n(&sched_run->r_clock, ns, __ATOMIC_RELEASE);
}

void
sched_clock_init(uint64_t ns)
{
	sched_lock();
	if (sched_run->r_clock == 0)
		sched_run->r_clock = ns;
	sched_unlock();
}

int
sched_me(void)
{
	pid_t	 pid;
	int	 i, zero;

	if (me >= 0)
		return me;
	pid = getpid();
	for (i = 0; i < SCHED_WORKERS; i++) {
		zero = 0;
		if (__atomic_compare_exchange_n(
		    &sched_run->r_workers[i].w_pid, &zero, (int32_t)pid, 0,
		    __ATOMIC_ACQ_REL, __ATOMIC_RELAXED) ||
		    sched_run->r_workers[i].w_pid == pid)
			return me = i;
	}
	fatalx("sched: more than %d workers", SCHED_WORKERS);
}

void
sched_give(int i)
{
	struct sched_worker	*w;
	int			 wi;

	__atomic_store_n(&sched_run->r_turn, i, __ATOMIC_SEQ_CST);
	if (i < 0 || (wi = sched_run->r_slots[i].s_worker) < 0 || wi == me)
		return;
	w = &sched_run->r_workers[wi];
	sched_run->r_switches++;
	/* Blocked there, the signal waits for its sigtimedwait; a worker
	 * that spins sees the turn (schedwait.c's spin). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&w->w_spinning, __ATOMIC_SEQ_CST))
		return;
	if (kill(w->w_pid, SCHED_SIG) == -1 && errno != ESRCH)
		log_warn("sched: wake worker %d", (int)w->w_pid);
}

/* The lowest free slot, filled for tid. */
static int
slot_new(pid_t tid, pid_t tgid, int worker)
{
	struct sched_slot	*s;
	int			 i;

	for (i = 0; i < SCHED_SLOTS; i++)
		if (sched_run->r_slots[i].s_state == SLOT_FREE)
			break;
	if (i == SCHED_SLOTS)
		fatalx("sched: more than %d threads", SCHED_SLOTS);
	s = &sched_run->r_slots[i];
	memset(s, 0, sizeof(*s));
	s->s_state = SLOT_RUN;
	s->s_tid = tid;
	s->s_tgid = tgid;
	s->s_worker = worker;
	s->s_deadline = SCHED_NONE;
	sched_prio_new(s);
	if ((uint32_t)i >= sched_run->r_run)
		sched_run->r_run = (uint32_t)i + 1;
	return i;
}

int
sched_slot_of_tid(pid_t tid)
{
	uint32_t	 i;

	for (i = 0; i < sched_run->r_run; i++)
		if (sched_run->r_slots[i].s_state != SLOT_FREE &&
		    sched_run->r_slots[i].s_tid == tid)
			return (int)i;
	return -1;
}

struct sched_slot *
sched_slot(const struct it_task *t)
{
	return t->t_sslot > 0 ? &sched_run->r_slots[t->t_sslot - 1] : NULL;
}

void
sched_trace(struct it_task *t, int root)
{
	struct sched_worker	*w;
	int			 i;

	if (!sched_on())
		return;
	sched_lock();
	w = &sched_run->r_workers[sched_me()];
	w->w_tgid = t->t_tgid;
	w->w_timer = SCHED_NONE;
	if ((i = sched_slot_of_tid(t->t_tid)) < 0)
		i = slot_new(t->t_tid, t->t_tgid, me);
	sched_run->r_slots[i].s_worker = me;
	sched_run->r_slots[i].s_state = SLOT_RUN;
	t->t_sslot = i + 1;
	t->t_schednext = -1;
	/* The root runs already (spawn.c let it go to its execve); an
	 * adopted process waits at a stop for its turn (handoff.c). */
	if (!root)
		t->t_flags |= T_SCHED;
	else
		sched_running(t);	/* its first step is under way */
	sched_unlock();
}

void
sched_new_task(struct it_task *creator, pid_t tid, pid_t tgid)
{
	int	 i;

	if (!sched_on())
		return;
	sched_lock();
	/*
	 * A thread is this worker's: out of the schedule until its creator
	 * lets it go (pids.c holds it until its clone has returned).  A
	 * process is its own worker's, which finds the slot by tid when it
	 * adopts it, maybe after the turn has come to it: it can go on at
	 * once, for its creator's worker may see it adopted before the new
	 * worker has come here, and the turn waits for it.
	 */
	if ((i = sched_slot_of_tid(tid)) < 0) {
		i = slot_new(tid, tgid, tgid == creator->t_tgid ? me : -1);
		if (tgid == creator->t_tgid)
			sched_run->r_slots[i].s_state = SLOT_STOPPED;
		/* clone(flags, stack, parent_tid, child_tid, tls): the
		 * thread's word to clear (clone3 is refused, ENOSYS). */
		if (creator->t_nr == IT_SYS_clone &&
		    (creator->t_args[0] & CLONE_CHILD_CLEARTID))
			sched_run->r_slots[i].s_ctid = creator->t_args[3];
	}
	sched_unlock();
}

/* The slot of a task this worker traces, filled on first sight. */
struct sched_slot *
sched_slot_for(struct it_task *t)
{
	int	 i;

	if (t->t_sslot == 0) {
		sched_lock();
		if ((i = sched_slot_of_tid(t->t_tid)) < 0)
			i = slot_new(t->t_tid, t->t_tgid, sched_me());
		sched_run->r_slots[i].s_worker = sched_me();
		sched_unlock();
		t->t_sslot = i + 1;
	}
	return &sched_run->r_slots[t->t_sslot - 1];
}

void
sched_hold(struct it_task *t)
{
	struct sched_slot	*s = sched_slot_for(t);

	t->t_flags |= T_SCHED;
	t->t_schednext = t->t_stop == STOP_SECCOMP ? t->t_nr : -1;
	sched_lock();
	if (s->s_state != SLOT_BLOCK)
		s->s_state = SLOT_RUN;
	sched_unlock();
}

void
sched_stopped(struct it_task *t)
{
	struct sched_slot	*s;

	if (!sched_on())
		return;
	s = sched_slot_for(t);
	t->t_flags &= ~T_SCHED;
	sched_lock();
	s->s_state = SLOT_STOPPED;
	/* A wait4(WUNTRACED) may go on; its parent has a SIGCHLD. */
	sched_run->r_io++;
	sched_run->r_sig++;
	sched_run->r_exit++;
	sched_unlock();
	/* Stopped with the turn, it will make no stop to end its step. */
	sched_step_stopped(t);
}

void
sched_done(void)
{
	if (!sched_on() || me < 0)
		return;
	sched_lock();
	sched_run->r_workers[me].w_timer = SCHED_NONE;
	/* Its entry is free for the next worker: a spare claims one again
	 * at its next process, and a worker beyond the spares exits. */
	__atomic_store_n(&sched_run->r_workers[me].w_pid, 0, __ATOMIC_RELEASE);
	me = -1;
	sched_unlock();
}
