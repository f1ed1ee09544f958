/*
 * --sandbox as a layer: its table, and the lifecycle hooks by which the
 * virtual pids, clocks and random streams follow forks, threads, execs,
 * signals and hand-offs.  The sandbox keeps its own per-process state
 * (state.c); what the engine carries is the child's export of it.
 */
#include <string.h>

#include "../fault.h"
#include "../engine/layer.h"
#include "../engine/task.h"
#include "../engine/schedule.h"
#include "sandbox.h"
#include "timers.h"

static struct it_table	 table;

static int
layer_start_sb(pid_t pid, void *state, enum it_start how)
{
	switch (how) {
	case IT_START_ROOT:
		sandbox_root(pid);
		pstart_register(pid);
		break;
	case IT_START_ADOPTED:
		if (sandbox_adopt(state, SANDBOX_STATE_MAX, pid) < 0)
			return -1;
		pstart_register(pid);
		break;
	case IT_START_ATTACHED:
		break;
	}
	return 0;
}

static void
layer_fork_sb(struct it_task *c, void *state)
{
	(void)sandbox_fork(state, c->t_tid);
}

static void
layer_thread_sb(struct it_task *c)
{
	/* A thread's virtual tid is given once, at the first of its
	 * creator's event and its own first stop. */
	if (c->t_vtid == 0)
		sandbox_new_thread(c);
}

static void
layer_exec_leader_sb(struct it_task *leader, struct it_task *execing)
{
	/* The exec'ing thread's number is free from now on. */
	reach_forget(it_task_tid(execing));
	sandbox_exec_leader(leader, leader->t_tid);
}

static int
layer_exec_sb(struct it_task *t, unsigned char random16[16])
{
	(void)t;
	timers_exec();		/* execve deletes the POSIX timers */
	sandbox_random(random16, 16);
	return 1;
}

static void
layer_signal_sb(struct it_task *t, int sig)
{
	sandbox_signal(t);
	timers_signal(t, sig);
}

static void
layer_gone_sb(struct it_task *t)
{
	reach_forget(it_task_tid(t));
	sandbox_task_gone(t);
	quiesce_gone(t);	/* no sleep waits for a thread gone */
	deadline_gone(t);
}

static int
layer_rdtsc_sb(struct it_task *t, uint64_t *tsc)
{
	(void)t;
	*tsc = sandbox_now();	/* a 1 GHz counter */
	return 1;
}

static const struct it_layer	 sandbox_layer = {
	.l_name = "sandbox",
	.l_table = &table,
	.l_statesize = SANDBOX_STATE_MAX,
	.l_strict = 1,
	.l_futex_timed = 1,
	.l_enosys = sandbox_cpu_enosys,
	.l_ioctls = sandbox_ioctls,
	.l_start = layer_start_sb,
	.l_fork = layer_fork_sb,
	.l_thread = layer_thread_sb,
	.l_first_stop = sandbox_first_stop,
	.l_thread_start = sandbox_thread_start,
	.l_exec_leader = layer_exec_leader_sb,
	.l_exec = layer_exec_sb,
	.l_signal = layer_signal_sb,
	.l_gone = layer_gone_sb,
	.l_rdtsc = layer_rdtsc_sb,
	.l_fault = fault_cpuid,
	.l_idle = timers_idle,
};

const struct it_layer *
sandbox_layer_setup(const struct sandbox_config *c)
{
	static const struct sched_hooks	 hooks = {
		.sh_call = schedcall_call,
		.sh_step = schedclock_step,
		.sh_timers = schedclock_timers,
	};

	sandbox_configure(c);
	sandbox_table(&table);
	sched_hooks(&hooks);
	return &sandbox_layer;
}
