/*
 * Moving a new process to its own worker: "park, detach, seize".
 *
 * The old worker catches the child at its first stop, blocks every
 * signal, makes it run the park (park.c: a spin on a page of the worker's
 * code that no program's filter can deny, and that ends in the child's
 * death if nobody adopts it) and detaches: the child runs none of its own
 * code and no signal handler until the new worker seizes it, interrupts
 * it and puts back its registers and signal mask.  The traced parent sees
 * nothing of this (no stop, no SIGCHLD, no wait status).
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

#include "../../common/log.h"
#include "../../proto/channel.h"
#include "engine.h"
#include "handoff.h"
#include "schedule.h"
#include "park.h"
#include "task.h"

/* The child parked and not yet adopted, for worker_supervisor_died. */
static volatile pid_t	 parked;

pid_t
handoff_parked(void)
{
	return parked;
}

/*
 * Waits for the supervisor's word on the hand-off of pid: 0 (adopted) or
 * a positive errno.  Nothing else comes to a worker that traces (rpc.h).
 */
static int
wait_done(int chan, pid_t pid)
{
	Isotrace__Envelope	*env;
	int			 e;

	do
		e = channel_recv(chan, &env);
	while (e == -EINTR);
	if (e < 0 || env == NULL)
		return EAGAIN;		/* the supervisor is gone */
	if (env->payload_case != ISOTRACE__ENVELOPE__PAYLOAD_HANDOFF_DONE ||
	    env->handoff_done->pid != pid)
		fatalx("protocol error: expected the end of a hand-off");
	e = env->handoff_done->error;
	channel_free(env);
	return e;
}

int
handoff_park(struct it_task *t, pid_t parent, const char *comm,
    const void *state, size_t statelen, int nofilter, int chan,
    int *wstatus)
{
	struct channel_handoff	 h = { .pid = t->t_tid, .parent = parent,
	    .state = state, .statelen = statelen, .nofilter = nofilter };
	struct regs		 r;
	unsigned char		 insn[2];
	uint64_t		 all = ~0ULL;
	int			 e, compat;

	if ((e = task_load_regs(t)) < 0)
		return e;
	if (ptrace(PTRACE_GETSIGMASK, t->t_tid, (void *)sizeof(h.sigmask),
	    &h.sigmask) == -1)
		return -errno;
	/* The instruction that made the fork: syscall (0f 05) or
	 * int 0x80 (cd 80), both two bytes; the park page is mapped by
	 * running it again as mmap. */
	if ((e = it_mem_read(t, arch_pc(&t->t_regs) - 2, insn, 2)) < 0)
		return e;
	if (insn[0] == 0x0f && insn[1] == 0x05 && !arch_is_compat(&t->t_regs))
		compat = 0;
	else if (insn[0] == 0xcd && insn[1] == 0x80)
		compat = 1;
	else
		return -ENOEXEC;
	h.regs = t->t_regs.r;
	/* A child has its parent's name until it execs. */
	strlcpy(h.comm, comm, sizeof(h.comm));
	if (ptrace(PTRACE_SETSIGMASK, t->t_tid, (void *)sizeof(all), &all) ==
	    -1)
		return -errno;
	*wstatus = -1;
	if ((e = park_prepare(t, parent, compat, &h.park_page, &h.stopped,
	    wstatus)) < 0) {
		if (*wstatus != -1)
			return 1;	/* its end was seen */
		/* Back as it was: it stays traced here (or it is dying, and
		 * its end comes to the engine). */
		if ((ptrace(PTRACE_SETREGS, t->t_tid, NULL, &h.regs) == -1 ||
		    ptrace(PTRACE_SETSIGMASK, t->t_tid,
		    (void *)sizeof(h.sigmask), &h.sigmask) == -1) &&
		    errno != ESRCH)
			log_warn("pid %d: restore", (int)t->t_tid);
		t->t_flags &= ~(T_REGS | T_DIRTY);
		return e;
	}
	r = t->t_regs;
	park_regs(t, &r, h.park_page);
	if (ptrace(PTRACE_SETREGS, t->t_tid, NULL, &r.r) == -1)
		return -errno;
	t->t_flags &= ~(T_REGS | T_DIRTY);
	/* A SIGSTOP that came during the mmap stops it, parked. */
	parked = t->t_tid;
	if (ptrace(PTRACE_DETACH, t->t_tid, NULL,
	    (void *)(long)(h.stopped ? SIGSTOP : 0)) == -1) {
		parked = 0;
		return -errno;
	}
	if ((e = channel_send_handoff(chan, 0, &h)) < 0 ||
	    wait_done(chan, t->t_tid) != 0) {
		/* Nobody adopted it: it must not wait for nothing. */
		kill(t->t_tid, SIGKILL);
		parked = 0;
		return 2;
	}
	parked = 0;
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
	struct regs		 r = { h->regs };
	uint64_t		 mask = h->sigmask;
	int			 st, event, group_stop;

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
		/* The interrupt, or the park's yield trapped by the filter
		 * (under -v): either stop can take the registers back. */
		event = st >> 16;
		if (event == PTRACE_EVENT_STOP || event == PTRACE_EVENT_SECCOMP)
			break;
		/* A signal arrived before the interrupt (SIGSTOP: every
		 * other is blocked): pass it on. */
		if (ptrace(PTRACE_CONT, h->pid, NULL,
		    (void *)(long)WSTOPSIG(st)) == -1)
			return gone(h->pid, 1, wstatus);
	}
	group_stop = event == PTRACE_EVENT_STOP && stopsig(WSTOPSIG(st));
	park_known(h->park_page);
	/* No syscall to run or restart: at a seccomp stop the park's yield
	 * is skipped, and the child returns from its fork as it was. */
	arch_set_sysno(&r, -1);
	if (ptrace(PTRACE_SETREGS, h->pid, NULL, &r.r) == -1 ||
	    ptrace(PTRACE_SETSIGMASK, h->pid, (void *)sizeof(mask), &mask) == -1)
		return errno == ESRCH ? gone(h->pid, 1, wstatus) : -errno;
	/* Under the deterministic schedule it goes on at its turn. */
	if (sched_on() && !group_stop)
		return 0;
	if (ptrace(group_stop ? PTRACE_LISTEN : h->nofilter ? PTRACE_SYSCALL :
	    PTRACE_CONT, h->pid, NULL, NULL) == -1)
		return errno == ESRCH ? gone(h->pid, 1, wstatus) : -errno;
	return 0;
}
