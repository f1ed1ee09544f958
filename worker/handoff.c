/*
 * Moving a new process to its own worker: "park, detach, seize".
 *
 * The old worker catches the child at its first stop, makes it re-execute
 * its own syscall instruction as pause() with every blockable signal
 * blocked, and detaches: the child sleeps, running none of its own code
 * and no signal handler, until the new worker seizes it, interrupts the
 * pause and puts back its registers and signal mask.  The traced parent
 * sees nothing of this (no stop, no SIGCHLD, no wait status).
 *
 * This pause() carries SECCOMP_PARK_MAGIC in its first argument register,
 * which the filter lets through untrapped (seccomp.c): a detached child's
 * trapped syscall would fail with ENOSYS and let it run on untraced.
 */
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "../proto/channel.h"
#include "engine.h"
#include "handoff.h"
#include "seccomp.h"
#include "task.h"
#include "worker.h"

int
handoff_park(struct it_task *t, pid_t parent, const char *comm,
    const void *state, size_t statelen, int nofilter, int chan)
{
	struct channel_handoff	 h = { .pid = t->t_tid, .parent = parent,
	    .state = state, .statelen = statelen, .nofilter = nofilter };
	struct regs		 r;
	unsigned char		 insn[2];
	uint64_t		 all = ~0ULL;
	long			 nr;
	int			 e;

	if ((e = task_load_regs(t)) < 0)
		return e;
	if (ptrace(PTRACE_GETSIGMASK, t->t_tid, (void *)sizeof(h.sigmask),
	    &h.sigmask) == -1)
		return -errno;
	/* The instruction that made the fork: syscall (0f 05) or
	 * int 0x80 (cd 80), both two bytes, each with its own pause. */
	if ((e = it_mem_read(t, arch_pc(&t->t_regs) - 2, insn, 2)) < 0)
		return e;
	r = t->t_regs;
	if (insn[0] == 0x0f && insn[1] == 0x05) {
		nr = IT_SYS_pause;
		arch_set_arg(&r, 0, SECCOMP_PARK_MAGIC);
	} else if (insn[0] == 0xcd && insn[1] == 0x80) {
		nr = SECCOMP_I386_PAUSE;
		arch_set_compat_arg0(&r, (uint32_t)SECCOMP_PARK_MAGIC);
	} else
		return -ENOEXEC;

	h.regs = t->t_regs.r;
	/* A child has its parent's name until it execs. */
	strlcpy(h.comm, comm, sizeof(h.comm));
	arch_set_pc(&r, arch_pc(&r) - ARCH_SYSCALL_INSN_LEN);
	arch_set_result(&r, nr);
	arch_set_sysno(&r, -1);
	if (ptrace(PTRACE_SETREGS, t->t_tid, NULL, &r.r) == -1 ||
	    ptrace(PTRACE_SETSIGMASK, t->t_tid, (void *)sizeof(all), &all) == -1)
		return -errno;
	if (ptrace(PTRACE_DETACH, t->t_tid, NULL, NULL) == -1)
		return -errno;
	if ((e = channel_send_handoff(chan, 0, &h)) < 0) {
		/* Nobody will adopt it: it must not sleep forever. */
		kill(t->t_tid, SIGKILL);
		return e;
	}
	return 0;
}

/* Group-stop signals: a parked child stopped by one stays stopped. */
static int
stopsig(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	    sig == SIGTTOU;
}

/*
 * The process was killed while parked or during the adoption (its parent
 * may kill it at any time): a race, not an error.  Once seized, its end
 * is ours to collect.
 */
static int
gone(pid_t pid, int seized, int *wstatus)
{
	int	 st;

	*wstatus = SIGKILL;
	if (!seized)
		kill(pid, SIGKILL);	/* exiting, or held by another tracer */
	if (seized)
		while (waitpid(pid, &st, __WALL) == pid)
			if (WIFEXITED(st) || WIFSIGNALED(st)) {
				*wstatus = st;
				break;
			}
	return 1;
}

int
handoff_adopt(const struct channel_handoff *h, int *wstatus)
{
	struct user_regs_struct	 regs = h->regs;
	uint64_t		 mask = h->sigmask;
	int			 st, group_stop;

	if (ptrace(PTRACE_SEIZE, h->pid, NULL,
	    (void *)engine_ptrace_opts(h->nofilter)) == -1)
		return errno == ESRCH || errno == EPERM ?
		    gone(h->pid, 0, wstatus) : -errno;
	if (ptrace(PTRACE_INTERRUPT, h->pid, NULL, NULL) == -1)
		return errno == ESRCH ? gone(h->pid, 1, wstatus) : -errno;
	for (;;) {
		if (waitpid(h->pid, &st, __WALL) == -1) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!WIFSTOPPED(st)) {
			*wstatus = st;		/* killed while parked */
			return 1;
		}
		if ((st >> 16) == PTRACE_EVENT_STOP)
			break;
		/* A signal arrived before the interrupt: pass it on. */
		if (ptrace(PTRACE_CONT, h->pid, NULL,
		    (void *)(long)WSTOPSIG(st)) == -1)
			return gone(h->pid, 1, wstatus);
	}
	group_stop = stopsig(WSTOPSIG(st));
	if (ptrace(PTRACE_SETREGS, h->pid, NULL, &regs) == -1 ||
	    ptrace(PTRACE_SETSIGMASK, h->pid, (void *)sizeof(mask), &mask) == -1 ||
	    ptrace(group_stop ? PTRACE_LISTEN : h->nofilter ? PTRACE_SYSCALL :
	    PTRACE_CONT, h->pid, NULL, NULL) == -1)
		return errno == ESRCH ? gone(h->pid, 1, wstatus) : -errno;
	return 0;
}
