/*
 * What a handler can do to its stopped thread besides reading memory:
 * change the call's arguments, ask for its result, or run other syscalls
 * in the thread first.
 *
 * Injection at a seccomp stop costs one stop: the call number and
 * arguments are swapped for the injected ones and PTRACE_SYSCALL runs it to
 * its exit stop.  A second injection starts from that exit stop, so the
 * syscall instruction is re-executed (pc rewound), which passes through an
 * entry stop and, if the filter traps that number, a seccomp stop.
 */
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <errno.h>
#include <signal.h>

#include "../../common/log.h"
#include "inject_exec.h"
#include "task.h"
#include "waitstop.h"

void
it_task_set_arg(struct it_task *t, int idx, uint64_t value)
{
	if (idx < 0 || idx > 5)
		return;
	t->t_flags |= T_ARGSET;
	if (t->t_injected) {
		arch_set_arg(&t->t_saved, idx, value);
		return;
	}
	if (task_load_regs(t) < 0)
		return;
	arch_set_arg(&t->t_regs, idx, value);
	t->t_flags |= T_DIRTY;
}

void
it_task_set_nr(struct it_task *t, long nr)
{
	if (t->t_stop != STOP_SECCOMP && !t->t_injected)
		return;
	t->t_flags |= T_ARGSET;
	if (t->t_injected) {
		/* finish() re-runs the call from these registers. */
		arch_set_sysno(&t->t_saved, nr);
		return;
	}
	if (task_load_regs(t) < 0)
		return;
	arch_set_sysno(&t->t_regs, nr);
	t->t_flags |= T_DIRTY;
}

void
it_task_on_exit(struct it_task *t, it_exit_fn fn, void *arg)
{
	t->t_exit_fn = fn;
	t->t_exit_arg = arg;
}

/*
 * Waits for t's next syscall exit stop.  Entry and seccomp stops on the
 * way are passed; a signal that arrives is kept in t_sig and delivered when
 * the handler is done, so the injected call cannot be disturbed by it.
 *
 * It waits for any thread, not only t: a thread-group leader's death is
 * reported only after its other threads', which only this tracer reaps.
 * Statuses of other threads are deferred to the engine.  An exec event
 * under t's tid means another thread exec'ed and took the leader's tid:
 * t is gone (T_DEAD, t_lost -1) and the engine handles the exec.
 */
static int
wait_exit_stop(struct it_task *t)
{
	struct __ptrace_syscall_info	 info;
	pid_t				 pid;
	int				 st, sig;

	for (;;) {
		if ((pid = waitstop_any(&st)) == -1) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (pid != t->t_tid) {
			task_defer(pid, st);
			continue;
		}
		if (!WIFSTOPPED(st)) {
			t->t_flags |= T_DEAD;
			t->t_lost = st;
			return -ESRCH;
		}
		if ((st >> 16) == PTRACE_EVENT_EXEC) {
			task_defer(pid, st);
			t->t_flags |= T_DEAD;
			t->t_lost = -1;
			return -ESRCH;
		}
		sig = WSTOPSIG(st);
		if (sig == (SIGTRAP | 0x80)) {
			if (ptrace(PTRACE_GET_SYSCALL_INFO, t->t_tid,
			    (void *)sizeof(info), &info) == -1)
				return -errno;
			if (info.op == PTRACE_SYSCALL_INFO_EXIT)
				return 0;
		} else if ((st >> 16) == 0 && sig != SIGTRAP)
			t->t_sig = sig;
		if (ptrace(PTRACE_SYSCALL, t->t_tid, NULL, NULL) == -1)
			return -errno;
	}
}

long
it_task_syscall(struct it_task *t, long nr, uint64_t a0, uint64_t a1,
    uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct regs	 r;
	int		 e;

	if (t->t_flags & T_DEAD)
		return -ESRCH;
	if (t->t_stop != STOP_SECCOMP && t->t_stop != STOP_SYSEXIT)
		return -EINVAL;
	if ((e = task_load_regs(t)) < 0)
		return e;
	if (!t->t_injected) {
		/* Entry registers, with any arguments the handler changed. */
		t->t_saved = t->t_regs;
		t->t_injected = 1;
	}
	if (t->t_stop == STOP_SYSEXIT && (t->t_nr == IT_SYS_execve ||
	    t->t_nr == IT_SYS_execveat) && arch_result(&t->t_saved) == 0) {
		/* No syscall instruction before the new image's entry. */
		uint64_t a[6] = { a0, a1, a2, a3, a4, a5 };

		return inject_exec_syscall(t, nr, a);
	}
	r = t->t_saved;
	if (t->t_stop == STOP_SYSEXIT)
		arch_rewind_syscall(&r, nr);
	arch_set_sysno(&r, nr);
	arch_set_arg(&r, 0, a0);
	arch_set_arg(&r, 1, a1);
	arch_set_arg(&r, 2, a2);
	arch_set_arg(&r, 3, a3);
	arch_set_arg(&r, 4, a4);
	arch_set_arg(&r, 5, a5);
	t->t_flags &= ~(T_REGS | T_DIRTY);
	if (ptrace(PTRACE_SETREGS, t->t_tid, NULL, &r.r) == -1 ||
	    ptrace(PTRACE_SYSCALL, t->t_tid, NULL, NULL) == -1)
		return -errno;
	if ((e = wait_exit_stop(t)) < 0)
		return e;
	t->t_stop = STOP_SYSEXIT;
	if ((e = task_load_regs(t)) < 0)
		return e;
	return arch_result(&t->t_regs);
}
