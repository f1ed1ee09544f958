/*
 * The worker's event loop.  Every ptrace stop of every traced thread
 * arrives through one waitpid(-1, __WALL); each is handled and the thread
 * resumed at once, so a thread blocked in a syscall (which runs in the
 * tracee, never here) holds up nobody else.
 *
 * A trapped syscall costs one stop (the seccomp stop) when its handler
 * emulates it or just lets it run, two when its result is wanted
 * (--verbose, it_task_on_exit): the second is the exit stop reached with
 * PTRACE_SYSCALL.
 */
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <linux/audit.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/log.h"
#include "../../proto/channel.h"
#include "attach.h"
#include "engine.h"
#include "guard.h"
#include "sigwait.h"
#include "handoff.h"
#include "../sysdesc.h"
#include "layer.h"
#include "park.h"
#include "schedule.h"
#include "../seccomp.h"
#include "../table_impl.h"
#include "task.h"
#include "../auxv.h"
#include "../compat.h"
#include "waitstop.h"

static struct it_table	 table;
static int		 exit_stops;	/* a layer wants PTRACE_EVENT_EXIT */
static int		 chan = -1;	/* to the supervisor */
static pid_t		 self;		/* the traced process (tgid) */
static int		 report_exit;	/* self is the root command */
static int		 strict;	/* a layer's closed world */
static unsigned		 nwaiting;	/* tasks with T_PARKWAIT */
static int		 nofilter;	/* -p: no seccomp filter, every call
					   stops at entry and exit */
static int		 exit_noted;	/* self's "+++ exited" is out */
static uint8_t		 handled[IT_NR_MAX];	/* slots not passthru */
static struct engine_host host;	/* worker.c's, see engine_host() */

_Static_assert(IT_LAYER_STATE_MAX <= TASK_PSTATE_MAX, "state fits a task");
_Static_assert(LAYER_MAX <= 8 * sizeof(unsigned), "a bit per layer");

static int
noreturn(long nr)
{
	return sysdesc_noreturn(nr);
}

/* A call's entry to the observers: T_WATCH, t_watchers, if one wants
 * its exit. */
static void
call_entry(struct it_task *t, long nr, int i386)
{
	const struct it_layer	*l;

	t->t_watchers = 0;
	LAYER_EACH(l, l_call_entry)
		if (l->l_call_entry(t, nr, t->t_args, i386))
			t->t_watchers |= 1U << l_i;
	if (t->t_watchers != 0)
		t->t_flags |= T_WATCH;
}

/* The exit of a T_WATCH call, to the observers that watch it. */
static void
call_exit(struct it_task *t, long result)
{
	const struct it_layer	*l;

	if (!(t->t_flags & T_WATCH))
		return;
	t->t_flags &= ~T_WATCH;
	LAYER_EACH(l, l_call_exit)
		if (t->t_watchers & (1U << l_i))
			l->l_call_exit(t, t->t_nr, t->t_args, result);
}

/* The pending call of t ends with no result. */
static void
call_gone(struct it_task *t)
{
	const struct it_layer	*l;

	LAYER_EACH(l, l_call_gone)
		l->l_call_gone(t);
}

void
engine_trace_exit(pid_t pid, int st)
{
	const struct it_layer	*l;

	LAYER_EACH(l, l_process_end)
		l->l_process_end(pid, st);
}

unsigned long
engine_ptrace_opts(int no_filter)
{
	return (no_filter ? WORKER_PTRACE_OPTS_NOFILTER : WORKER_PTRACE_OPTS) |
	    (exit_stops ? PTRACE_O_TRACEEXIT : 0);
}

struct exiting {
	pid_t	 x_tgid;
	int	 x_all;		/* every thread is at its exit */
	int	 x_st;		/* the leader's status */
};

static void
check_exiting(struct it_task *t, void *arg)
{
	struct exiting	*x = arg;

	if (t->t_tgid != x->x_tgid)
		return;
	if (!(t->t_flags & T_EXITING))
		x->x_all = 0;
	else if (t->t_tid == x->x_tgid)
		x->x_st = t->t_exitst;
}

/*
 * PTRACE_EVENT_EXIT: the thread is about to die.  Its call ends here
 * ("= ?"), and once every thread of the process is at this point the
 * process's end is printed now, not when it is reaped: reaping it lets
 * its parent's wait4 return, which that parent's worker may see (and
 * stamp) before this worker is back from waitpid to stamp the exit, so
 * the parent's wait4 would come first.  (A SIGKILL'd task makes no exit
 * stop; its end is printed when it is reaped.)
 */
static void
on_exit_stop(struct it_task *t)
{
	const struct it_layer	*l;
	struct exiting		 x = { t->t_tgid, 1, 0 };
	unsigned long		 msg;

	if (ptrace(PTRACE_GETEVENTMSG, t->t_tid, NULL, &msg) == -1)
		return;
	t->t_flags |= T_EXITING;
	t->t_exitst = (int)msg;
	x.x_st = t->t_exitst;
	LAYER_EACH(l, l_exit_stop)
		l->l_exit_stop(t);
	t->t_flags &= ~(T_INSYSCALL | T_WATCH);
	task_foreach(check_exiting, &x);
	if (x.x_all && t->t_tgid == self && !exit_noted) {
		exit_noted = 1;
		engine_trace_exit(self, x.x_st);
	}
}

static void
task_gone(struct it_task *t, int st)
{
	const struct it_layer	*l;

	if (t->t_flags & T_PARKWAIT)
		nwaiting--;
	/* The supervisor needs the command's status, however it ended. */
	if (t->t_tid == self && report_exit &&
	    channel_send_exited(chan, self, st) < 0)
		log_warn("report exit of %d", (int)self);
	call_gone(t);
	LAYER_EACH(l, l_gone)
		l->l_gone(t);
	if (t->t_tid == t->t_tgid && !(t->t_tid == self && exit_noted))
		engine_trace_exit(t->t_tid, st);
	sched_gone(t, st);
	task_remove(t);
}

/*
 * t vanished while its handler waited on it (inject.c): it died, or
 * (t_lost -1) an exec by another thread took its tid, an event the engine
 * handles next from the deferred statuses.
 */
static void
lost(struct it_task *t)
{
	t->t_flags &= ~(T_DEAD | T_REGS | T_DIRTY);
	if (t->t_lost != -1)
		task_gone(t, t->t_lost);
}

/* Resumes t after its handler returned ret (see isotrace.h). */
static void
finish(struct it_task *t, long ret)
{
	struct regs	 r;

	if (t->t_stop == STOP_SYSEXIT) {
		/* Injections moved the thread to an exit stop: back to the
		 * entry registers, then either re-run the call or return. */
		r = t->t_saved;
		if (ret == IT_RUN_ORIGINAL) {
			/* The number a handler may have changed
			 * (it_task_set_nr after an injection). */
			t->t_reissue_pc = arch_pc(&r);
			t->t_reissue_nr = arch_sysno(&r);
			arch_rewind_syscall(&r, t->t_reissue_nr);
			t->t_flags |= T_REISSUE;
		} else {
			arch_set_result(&r, ret);
			call_exit(t, ret);
		}
		t->t_regs = r;
		t->t_flags |= T_REGS | T_DIRTY;
	} else if (ret == IT_RUN_ORIGINAL) {
		if (noreturn(t->t_nr)) {
			/* Not counted: strace -c leaves exit calls out. */
			if (t->t_flags & T_WATCH)
				call_gone(t);
			t->t_flags &= ~T_WATCH;
		} else if ((t->t_flags & (T_WATCH | T_ARGSET)) ||
		    t->t_exit_fn != NULL)
			t->t_flags |= T_INSYSCALL;
	} else if (task_load_regs(t) == 0) {
		/* Number -1: the kernel skips the call and returns rax. */
		arch_set_sysno(&t->t_regs, -1);
		arch_set_result(&t->t_regs, ret);
		t->t_flags |= T_DIRTY;
		call_exit(t, ret);
	}
	task_resume(t);
}

/*
 * A syscall's entry: a seccomp stop, or (-p, no filter) a syscall-entry
 * stop.  The ABI comes from the arch and the number the kernel reports,
 * never from the seccomp data a program's own filter controls.
 */
static void
on_entry(struct it_task *t, long nr, const uint64_t *args, uint64_t pc,
    uint32_t arch)
{
	enum compat_abi	 abi = compat_abi(arch, (uint64_t)nr);
	int		 foreign = abi != COMPAT_NATIVE;
	int		 i386 = arch != AUDIT_ARCH_X86_64;
	long		 ret;

	t->t_stop = STOP_SECCOMP;
	t->t_injected = 0;
	if (t->t_flags & T_REISSUE) {
		if (pc == t->t_reissue_pc && nr == t->t_reissue_nr) {
			/* The call a handler let run after injecting others. */
			t->t_flags &= ~T_REISSUE;
			finish(t, IT_RUN_ORIGINAL);
			return;
		}
		/* A signal handler's call before it: it runs unhandled, and
		 * the pending call keeps its state. */
		task_resume(t);
		return;
	}
	if ((t->t_flags & T_AGAIN) && !foreign && pc == t->t_reissue_pc &&
	    nr == t->t_nr) {
		/* The call an exit function sent back (IT_RUN_AGAIN): to the
		 * handler again, its line (if any) still pending. */
		t->t_flags &= ~(T_AGAIN | T_ARGSET);
		t->t_exit_fn = NULL;
		finish(t, table_call(&table, t, t->t_nr, t->t_args));
		return;
	}
	t->t_flags &= ~T_AGAIN;
	t->t_nr = nr;
	memcpy(t->t_args, args, sizeof(t->t_args));
	t->t_exit_fn = NULL;
	t->t_flags &= ~T_ARGSET;
	t->t_flags &= ~T_WATCH;
	if (sched_on() && !foreign) {
		/* In its turn: a call that would block waits here, one the
		 * schedule emulates is answered (schedule.h). */
		ret = sched_call(t);
		if (ret == SCHED_CALL_BLOCKED) {
			t->t_flags |= T_SCHEDBLK;
			t->t_schedpc = pc;
			t->t_schedarch = arch;
			task_resume(t);		/* held, blocked */
			return;
		}
		t->t_flags &= ~T_SCHEDBLK;
		if (ret != SCHED_CALL_RUN) {
			call_entry(t, t->t_nr, i386);
			finish(t, ret);
			return;
		}
	}
	call_entry(t, foreign ? -1 : t->t_nr, i386);
	if (foreign) {
		/* int 0x80 and x32 calls are not the table's: they run as
		 * asked, or fail as the filter would have made them (they
		 * may come here through the program's own filter). */
		t->t_nr = -1;
		ret = IT_RUN_ORIGINAL;
		switch (compat_verdict(abi, (uint32_t)nr,
		    handled, strict)) {
		case CV_ENOSYS:
			ret = -ENOSYS;
			break;
		case CV_CLONE:
			if (t->t_args[0] & CLONE_UNTRACED) {
				ret = -EPERM;
				break;
			}
			/* FALLTHROUGH */
		case CV_FORK:
			/* The table's own slot: a layer that numbers
			 * processes sees the child whichever ABI made it. */
			ret = table_call(&table, t, compat_twin(abi,
			    (uint32_t)nr), t->t_args);
			break;
		case CV_RUN:
			break;
		}
	} else {
		/* The park page, mapped once in the parent, is inherited by
		 * every child; before a filter of the program's own, no
		 * filter can refuse it. */
		if (t->t_nr == IT_SYS_fork || t->t_nr == IT_SYS_vfork ||
		    (t->t_nr == IT_SYS_clone &&
		    !(t->t_args[0] & CLONE_THREAD)) ||
		    t->t_nr == IT_SYS_seccomp || (t->t_nr == IT_SYS_prctl &&
		    t->t_args[0] == PR_SET_SECCOMP))
			park_ensure(t);
		ret = table_call(&table, t, t->t_nr, t->t_args);
		/* Whatever the table did, isotrace's own processes stay out
		 * of reach (guard.c). */
		if (ret == IT_RUN_ORIGINAL && !(t->t_flags & T_DEAD))
			ret = guard_call(t, t->t_nr);
		if (ret == IT_RUN_ORIGINAL && !(t->t_flags & T_DEAD))
			sigwait_entry(t, t->t_nr);
	}
	if (t->t_flags & T_DEAD) {
		lost(t);
		return;
	}
	finish(t, ret);
}

/* A call held at its entry (T_SCHEDBLK) gets its turn: looked at again,
 * as if it had just stopped; a thread blocked elsewhere (a vfork's
 * parent) goes on if it was let go. */
void
engine_again(struct it_task *t)
{
	uint64_t	 args[6];

	if (!(t->t_flags & T_SCHEDBLK)) {
		sched_unblock(t);
		return;
	}
	memcpy(args, t->t_args, sizeof(args));
	on_entry(t, t->t_nr, args, t->t_schedpc, t->t_schedarch);
}

static void
on_seccomp(struct it_task *t)
{
	struct __ptrace_syscall_info	 info;

	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->t_tid, (void *)sizeof(info),
	    &info) <= 0 || info.op != PTRACE_SYSCALL_INFO_SECCOMP) {
		task_resume(t);
		return;
	}
	on_entry(t, (long)info.seccomp.nr, info.seccomp.args,
	    info.instruction_pointer, info.arch);
}

/* The kernel's own results for a call to be restarted (never seen by a
 * program; <linux/errno.h> of the kernel tree, not of the uapi). */
#define ERESTARTSYS	512
#define ERESTARTNOINTR	513
#define ERESTARTNOHAND	514

/*
 * A call interrupted by a signal is restarted by the kernel with the
 * registers it left, after the handler: a handler that changed the
 * arguments (a virtual pid made real) must see the originals again.
 */
static void
restore_args(struct it_task *t, long result)
{
	int	 i;

	t->t_flags &= ~T_ARGSET;
	if ((result != -ERESTARTSYS && result != -ERESTARTNOINTR &&
	    result != -ERESTARTNOHAND) || task_load_regs(t) < 0)
		return;
	for (i = 0; i < 6; i++)
		arch_set_arg(&t->t_regs, i, t->t_args[i]);
	/* The kernel restarts the number in orig_rax (it_task_set_nr). */
	arch_set_sysno(&t->t_regs, t->t_nr);
	t->t_flags |= T_DIRTY;
}

/* IT_RUN_AGAIN: the thread re-executes its syscall instruction with the
 * program's own number and arguments. */
static void
run_again(struct it_task *t)
{
	int	 i;

	if (task_load_regs(t) < 0)
		return;
	t->t_reissue_pc = arch_pc(&t->t_regs);	/* as a seccomp stop says */
	arch_rewind_syscall(&t->t_regs, t->t_nr);
	for (i = 0; i < 6; i++)
		arch_set_arg(&t->t_regs, i, t->t_args[i]);
	t->t_flags |= T_DIRTY | T_AGAIN;
}

static void
on_sysexit(struct it_task *t)
{
	struct __ptrace_syscall_info	 info;
	it_exit_fn			 fn = t->t_exit_fn;
	long				 result, r2;

	if (!(t->t_flags & T_INSYSCALL) ||
	    ptrace(PTRACE_GET_SYSCALL_INFO, t->t_tid, (void *)sizeof(info),
	    &info) <= 0 || info.op != PTRACE_SYSCALL_INFO_EXIT) {
		t->t_flags &= ~T_INSYSCALL;
		task_resume(t);
		return;
	}
	t->t_flags &= ~T_INSYSCALL;
	t->t_stop = STOP_SYSEXIT;
	t->t_injected = 0;
	result = info.exit.rval;
	if (t->t_flags & T_ARGSET)
		restore_args(t, result);
	if (fn != NULL) {
		t->t_exit_fn = NULL;
		r2 = fn(t, result, t->t_exit_arg);
		if (t->t_flags & T_DEAD) {
			lost(t);
			return;
		}
		if (r2 == IT_RUN_AGAIN && !t->t_injected) {
			run_again(t);
			task_resume(t);
			return;
		}
		if (t->t_injected) {
			t->t_regs = t->t_saved;
			t->t_flags |= T_REGS | T_DIRTY;
		}
		if (r2 != result || t->t_injected) {
			if (task_load_regs(t) == 0) {
				arch_set_result(&t->t_regs, r2);
				t->t_flags |= T_DIRTY;
			}
		}
		result = r2;
	}
	call_exit(t, result);
	task_resume(t);
}

/* x32 numbers carry this bit; the table knows none of them. */
#define X32_SYSCALL_BIT	0x40000000

/*
 * -p: with no filter of ours, every call stops at its entry and its exit
 * (PTRACE_SYSCALL); the kernel says which.
 */
static void
on_syscall_stop(struct it_task *t)
{
	struct __ptrace_syscall_info	 info;

	if (ptrace(PTRACE_GET_SYSCALL_INFO, t->t_tid, (void *)sizeof(info),
	    &info) <= 0) {
		task_resume(t);
		return;
	}
	if (info.op == PTRACE_SYSCALL_INFO_EXIT) {
		on_sysexit(t);
		return;
	}
	if (info.op != PTRACE_SYSCALL_INFO_ENTRY) {
		task_resume(t);
		return;
	}
	on_entry(t, (long)info.entry.nr, info.entry.args,
	    info.instruction_pointer, info.arch);
}

/*
 * Hands a new process (at its first stop, its creator's event seen) to a
 * worker of its own; on failure it stays traced here.  -EAGAIN: nobody
 * could take it and it was killed.
 */
static int
park(struct it_task *t)
{
	int	 st;

	switch (handoff_park(t, self, host.eh_comm != NULL ?
	    host.eh_comm() : "", t->t_pstate, t->t_pstatelen, nofilter, chan,
	    &st)) {
	case 0:
		task_remove(t);
		return 0;
	case 1:
		/* Killed before it could be parked. */
		t->t_flags &= ~T_PARKWAIT;
		task_gone(t, st);
		return 0;
	case 2:
		log_debug("pid %d: no worker", (int)t->t_tid);
		task_remove(t);
		return -EAGAIN;
	}
	log_debug("pid %d: kept here", (int)t->t_tid);
	t->t_flags &= ~(T_NEW | T_PARKWAIT);
	task_resume(t);
	return 0;
}

/* The exit of a fork whose child nobody could adopt. */
static long
fork_failed(struct it_task *t, long result, void *arg)
{
	(void)t;
	(void)result;
	(void)arg;
	return -EAGAIN;
}

static void
first_stop_hooks(struct it_task *t)
{
	const struct it_layer	*l;

	LAYER_EACH(l, l_first_stop)
		l->l_first_stop(t);
}

/* The layers' states for a new process c, in its t_pstate. */
static void
fork_state(struct it_task *c)
{
	c->t_pstatelen = layer_fork(c, c->t_pstate, sizeof(c->t_pstate));
	c->t_flags |= T_STATE;
}

/*
 * The new process's first stop, when it has not come before its
 * creator's event: it comes at once (an auto-attached task stops before
 * its first instruction), and the creator waits for it, so that its fork
 * returns only once the child is in its own worker's hands.  0: c is at
 * its first stop; -1: it is gone or stopped otherwise (its status goes
 * back to the engine, which parks it when its stop comes).
 */
static int
first_stop(struct it_task *c)
{
	int	 st;

	/* An injection's wait may have set it aside already (inject.c). */
	if (!task_take_deferred(c->t_tid, &st))
		while (waitpid(c->t_tid, &st, __WALL) == -1)
			if (errno != EINTR)
				return -1;
	if (!WIFSTOPPED(st) || (st >> 16) != PTRACE_EVENT_STOP) {
		task_defer(c->t_tid, st);
		return -1;
	}
	/* What on_stop does at a new task's first stop. */
	first_stop_hooks(c);
	return 0;
}

/* A new thread at its first stop: 1 if a layer keeps it there (its
 * creator resumes it). */
static int
thread_started(struct it_task *t)
{
	const struct it_layer	*l;
	int			 held = 0;

	t->t_flags &= ~T_NEW;
	LAYER_EACH(l, l_thread_start)
		held |= l->l_thread_start(t);
	return held;
}

/*
 * The creator's fork/vfork/clone event.  A new process's per-process
 * state is taken here, in the creator's own order of forks (the child's
 * first stop may come before or after, in any order with its siblings').
 */
static void
on_new_child(struct it_task *t, int event)
{
	const struct it_layer	*l;
	struct it_task		*c;
	unsigned long		 msg;
	pid_t			 child, tgid;

	if (ptrace(PTRACE_GETEVENTMSG, t->t_tid, NULL, &msg) == -1)
		return;
	child = (pid_t)msg;
	if ((c = task_find(child)) == NULL) {
		tgid = child;
		/* A thread may be gone (with its /proc entry) before its
		 * creator's event: a trapped clone's flags still tell. */
		if (event == PTRACE_EVENT_CLONE &&
		    (tgid = task_read_tgid(child)) < 0)
			tgid = t->t_nr == IT_SYS_clone &&
			    (t->t_args[0] & CLONE_THREAD) ? t->t_tgid : child;
		c = task_add(child, tgid, T_NEW);
	}
	sched_new_task(t, child, c->t_tgid);
	if (event == PTRACE_EVENT_VFORK)
		sched_vfork(t, child);
	if (c->t_tgid == self) {
		LAYER_EACH(l, l_thread)
			l->l_thread(c);
		/* Under the deterministic schedule the new thread is held
		 * now, in its creator's turn, not whenever its first stop
		 * would have come (schedule.h). */
		if (sched_on() && (c->t_flags & T_NEW) && first_stop(c) == 0 &&
		    !thread_started(c))
			task_resume(c);
		return;
	}
	if (c->t_flags & T_STATE)
		return;
	fork_state(c);
	if (c->t_flags & T_PARKWAIT)
		nwaiting--;
	else if (first_stop(c) < 0)
		return;
	if (park(c) == -EAGAIN) {
		/* As the kernel's fork without a process to spare. */
		t->t_exit_fn = fork_failed;
		t->t_flags |= T_INSYSCALL;
	}
}

/* Every other task is gone: no creator's event will come for the new
 * processes still waiting, so they are parked with what state there is. */
static void
park_waiting(struct it_task *t, void *arg)
{
	(void)arg;
	if (!(t->t_flags & T_PARKWAIT))
		return;
	nwaiting--;
	fork_state(t);
	(void)park(t);
}

/*
 * After an execve from a non-leader thread, the exec'ing thread takes the
 * leader's tid; the old leader vanishes without an exit report.
 */
static struct it_task *
on_exec(struct it_task *t)
{
	const struct it_layer	*l;
	struct it_task		*f;
	unsigned long		 former;
	unsigned char		 random16[16];
	int			 e, random = 0;

	if (ptrace(PTRACE_GETEVENTMSG, t->t_tid, NULL, &former) == 0 &&
	    (pid_t)former != t->t_tid &&
	    (f = task_find((pid_t)former)) != NULL) {
		pid_t tid = t->t_tid;

		LAYER_EACH(l, l_exec_leader)
			l->l_exec_leader(f, t);
		task_remove(t);
		task_rename(f, tid);
		t = f;
	}
	t->t_tgid = t->t_tid;
	sched_exec(t, (pid_t)former);
	scratch_exec();
	park_known(0);		/* a new address space */
	if (host.eh_exec != NULL)
		host.eh_exec();
	LAYER_EACH(l, l_exec)
		random |= l->l_exec(t, random16);
	if ((e = task_load_regs(t)) < 0 ||
	    (e = auxv_rewrite(t, arch_sp(&t->t_regs),
	    random ? random16 : NULL)) < 0)
		log_debug("pid %d: auxv left as it is: %s", (int)t->t_tid,
		    strerror(-e));
	return t;
}

/*
 * rdtsc (0f 31) and rdtscp (0f 01 f9) under PR_TSC_SIGSEGV: a layer's
 * l_rdtsc gives the counter (and CPU 0 for rdtscp); the engine steps over
 * the instruction and drops the fault.  Any other SIGSEGV is the
 * program's.
 */
static int
tsc_emulate(struct it_task *t)
{
	const struct it_layer	*l, *by = NULL;
	unsigned char		 insn[3];
	siginfo_t		 si;
	uint64_t		 pc, tsc;
	int			 len;

	LAYER_EACH(l, l_rdtsc)
		by = l;
	if (by == NULL)
		return 0;

	/* A SIGSEGV sent by kill() is the program's, wherever it stopped. */
	if (ptrace(PTRACE_GETSIGINFO, t->t_tid, NULL, &si) == -1 ||
	    si.si_code != SI_KERNEL || task_load_regs(t) < 0)
		return 0;
	pc = arch_pc(&t->t_regs);
	if (it_mem_read(t, pc, insn, 2) < 0)
		return 0;
	if (insn[0] == 0x0f && insn[1] == 0x31)
		len = 2;
	else if (insn[0] == 0x0f && insn[1] == 0x01 &&
	    it_mem_read(t, pc, insn, 3) == 0 && insn[2] == 0xf9)
		len = 3;
	else
		return 0;
	if (!by->l_rdtsc(t, &tsc))
		return 0;
	arch_set_tsc(&t->t_regs, tsc, len == 3);
	arch_set_pc(&t->t_regs, pc + (uint64_t)len);
	t->t_flags |= T_DIRTY;
	return 1;
}

/* A SIGSEGV of t that a layer's l_fault answers (cpuid faulting). */
static int
fault_answered(struct it_task *t)
{
	const struct it_layer	*l;

	LAYER_EACH(l, l_fault)
		if (l->l_fault(t))
			return 1;
	return 0;
}

static void
on_stop(pid_t pid, int st)
{
	const struct it_layer	*l;
	struct it_task		*t = task_find(pid);
	int			 sig = WSTOPSIG(st), event = (unsigned)st >> 16;
	pid_t			 tgid;

	if (t == NULL) {
		/* A new task's first stop, before its creator's event. */
		if ((tgid = task_read_tgid(pid)) < 0)
			tgid = pid;
		t = task_add(pid, tgid, T_NEW);
	}
	if (sig == (SIGTRAP | 0x80)) {
		if (nofilter)
			on_syscall_stop(t);
		else
			on_sysexit(t);
		return;
	}
	switch (event) {
	case PTRACE_EVENT_SECCOMP:
		on_seccomp(t);
		return;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		on_new_child(t, event);
		break;
	case PTRACE_EVENT_EXEC:
		t = on_exec(t);
		break;
	case PTRACE_EVENT_EXIT:
		if (exit_stops)
			on_exit_stop(t);
		break;
	case PTRACE_EVENT_STOP:
		if (t->t_flags & T_ATTACHED) {
			if (attach_first_stop(t, sig))
				return;
			break;
		}
		if (t->t_flags & T_NEW)
			first_stop_hooks(t);
		if ((t->t_flags & T_NEW) && t->t_tgid != self) {
			/* A new process: to a worker of its own, once its
			 * creator's event has given it its state. */
			if (t->t_flags & T_STATE)
				(void)park(t);
			else {
				t->t_flags |= T_PARKWAIT;
				nwaiting++;
			}
			return;
		}
		if (t->t_flags & T_NEW) {
			if (thread_started(t))
				return;		/* resumed by its creator */
		} else if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
		    sig == SIGTTOU) {
			/* A group-stop: stay stopped, but let SIGCONT and
			 * SIGKILL through (PTRACE_CONT would run it on). */
			LAYER_EACH(l, l_group_stop)
				l->l_group_stop(t, sig);
			if (ptrace(PTRACE_LISTEN, pid, NULL, NULL) == 0 ||
			    errno == ESRCH) {
				sched_stopped(t);
				return;
			}
			/* EIO: the kernel's last report of it was no
			 * group-stop after all; left stopped it would hang,
			 * so it runs on (a real group-stop re-stops it). */
			if (errno != EIO)
				log_warn("listen %d", (int)pid);
			log_debug("pid %d: listen: %s", (int)pid,
			    strerror(errno));
			break;
		}
		break;
	case 0:
		/* A signal-delivery-stop: deliver it, unless it is the fault
		 * of an rdtsc or another instruction a layer answers. */
		if (sig == SIGSEGV && (tsc_emulate(t) || fault_answered(t)))
			break;
		/* An ignored signal natively never wakes a sigtimedwait. */
		if (sigwait_spurious(t, sig))
			break;
		t->t_sig = sig;
		LAYER_EACH(l, l_signal)
			l->l_signal(t, sig);
		break;
	}
	task_resume(t);
}

static void
on_wait(pid_t pid, int st)
{
	struct it_task	*t;

	if (WIFSTOPPED(st)) {
		on_stop(pid, st);
		return;
	}
	if (!WIFEXITED(st) && !WIFSIGNALED(st))
		return;
	if ((t = task_find(pid)) != NULL)
		task_gone(t, st);
}

int
engine_init(const struct worker_opts *o, int fd, struct sock_fprog *prog)
{
	const struct it_layer	*l;
	uint8_t			 trap[IT_NR_MAX];
	uint32_t		 ioctls[64] = { 0 };
	int			 all = 0, limits;
	long			 nr;

	chan = fd;
	stack_build(o);
	strict = layer_strict();
	exit_stops = 0;
	LAYER_EACH(l, l_exit_stop)
		exit_stops = 1;
	/* Each layer's slots over the ones below. */
	layer_table(&table);
	/* Only what the table handles and what is watched stops here. */
	table_traps(&table, handled);
	limits = handled[IT_SYS_prlimit64];
	/* isotrace's own processes are out of reach on every ABI: an
	 * i386 or x32 twin of a guarded call gets ENOSYS (compat.c). */
	guard_init(strict);
	guard_traps(handled);
	memcpy(trap, handled, sizeof(trap));
	/* Only the futex calls that can wait with a timeout, if that is
	 * all the layers handling it need (layer.h); an observer that
	 * wants them all sets 1 again. */
	if (trap[IT_SYS_futex] && layer_futex_timed())
		trap[IT_SYS_futex] = SECCOMP_TRAP_TIMED;
	/* glibc reads its stack limit at every start: when only the guard
	 * wants prlimit64, which lets reads run, reads run unstopped. */
	if (trap[IT_SYS_prlimit64] && !limits)
		trap[IT_SYS_prlimit64] = SECCOMP_TRAP_SETLIMIT;
	for (nr = 0; nr < IT_NR_MAX; nr++)
		if (trap[nr] == 1 && layer_enosys(nr))
			trap[nr] = SECCOMP_TRAP_ENOSYS;
	/* Only the requests the layers act on (layer.h). */
	if (trap[IT_SYS_ioctl] == 1 && layer_ioctls(ioctls,
	    sizeof(ioctls) / sizeof(ioctls[0])) == 0)
		trap[IT_SYS_ioctl] = SECCOMP_TRAP_IOCTL;
	sigwait_traps(trap);
	LAYER_EACH(l, l_traps)
		all |= l->l_traps(trap);
	/* Every call is a point where the turn may pass (schedule.h). */
	if (sched_on())
		all = 1;
	/* clone3 reaches the table only if the table has its own handler
	 * (which keeps CLONE_UNTRACED out); else the filter refuses it. */
	trap[IT_SYS_clone3] = table.clone3 != it_passthru.clone3;
	if (seccomp_build(trap, handled, all, strict, ioctls, prog) < 0)
		return -1;
	return 0;
}

/* Per-process state starts afresh here: a worker is reused. */
void
engine_trace(pid_t pid, int root, int no_filter)
{
	self = pid;
	report_exit = root;
	/* The spare scratch mappings were the last process's. */
	scratch_exec();
	engine_nofilter(no_filter);
	exit_noted = 0;
	guard_process(pid);
	sched_trace(task_add(pid, pid, 0), root);
}

void
engine_host(const struct engine_host *h)
{
	host = *h;
}

int
engine_lets_go(void)
{
	return nofilter;
}

void
engine_nofilter(int on)
{
	nofilter = on;
	task_trace_all(on);
}

int
engine_attach(pid_t pid)
{
	self = pid;
	report_exit = 0;
	engine_nofilter(1);
	exit_noted = 0;
	guard_process(pid);
	return attach_process(pid);
}

/* A new process waiting for its creator's event is stopped already: no
 * interrupt would report it.  Untouched yet, it is let go as it is. */
static void
release_waiting(struct it_task *t, void *arg)
{
	(void)arg;
	if (!(t->t_flags & T_PARKWAIT))
		return;
	nwaiting--;
	t->t_flags &= ~T_PARKWAIT;
	attach_release(t, (PTRACE_EVENT_STOP << 16) | (SIGSTOP << 8) | 0x7f);
	task_remove(t);
}

/* -p, detaching: every status is a task to let go or one that ended. */
static void
on_detach_wait(pid_t pid, int st)
{
	struct it_task	*t = task_find(pid);

	if (!WIFSTOPPED(st)) {
		if (t != NULL && (WIFEXITED(st) || WIFSIGNALED(st)))
			task_gone(t, st);
		return;
	}
	if (t == NULL)		/* a new task's first stop */
		t = task_add(pid, pid, T_NEW);
	if (t->t_flags & T_PARKWAIT) {
		nwaiting--;
		t->t_flags &= ~T_PARKWAIT;
	}
	attach_release(t, st);
	task_remove(t);
}

static void
forget(struct it_task *t, void *arg)
{
	const struct it_layer	*l;

	(void)arg;
	LAYER_EACH(l, l_gone)
		l->l_gone(t);
	task_remove(t);
}

void
engine_loop(void)
{
	const struct it_layer	*l;
	pid_t	 pid;
	int	 st, detaching = 0;

	while (task_count() > 0) {
		if (!detaching && attach_requested()) {
			detaching = 1;
			task_foreach(release_waiting, NULL);
			attach_interrupt_all();
			continue;
		}
		if (task_undefer(&pid, &st))
			;
		else if ((pid = sched_on() ? sched_wait(&st) :
		    waitstop_any(&st)) == -1) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			fatal("waitpid");
		}
		if (host.eh_stop != NULL)
			host.eh_stop();
		if (detaching) {
			on_detach_wait(pid, st);
			continue;
		}
		on_wait(pid, st);
		if (nwaiting > 0 && nwaiting == task_count())
			task_foreach(park_waiting, NULL);
	}
	/* Tasks that vanished unreported, and statuses left over, must not
	 * haunt the next process this worker adopts. */
	task_foreach(forget, NULL);
	while (task_undefer(&pid, &st))
		;
	sched_done();
	LAYER_EACH(l, l_done)
		l->l_done(chan);
}
