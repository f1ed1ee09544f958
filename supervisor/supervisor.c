/*
 * The supervisor: forks one worker per traced process, hands new processes
 * to them, reports the root command's status.  It never traces.
 *
 * One event loop (poll) over a signalfd and one SOCK_SEQPACKET socket per
 * worker.  Workers are reused: one whose process has ended says hello and
 * waits as a spare (at most SPARES_MAX), and one is forked ahead after the
 * first hand-off, so a hand-off costs a message, not a fork.  A worker
 * that dies is an ordinary event: its
 * tracee died with it (PTRACE_O_EXITKILL), the rest of the tree runs on.
 * A worker that sends garbage is killed and dropped the same way.
 */
#include <sys/prctl.h>
#include <sys/queue.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "../proto/channel.h"
#include "merge.h"
#include "../worker/sandbox/sandbox.h"
#include "../worker/engine/park.h"
#include "summary.h"
#include "supervisor.h"

struct worker {
	TAILQ_ENTRY(worker)	 w_entry;
	pid_t			 w_pid;
	int			 w_fd;		/* -1 once the peer is gone */
	pid_t			 w_traced;	/* 0: none, -1: root starting */
	int			 w_ready;	/* said hello, no adopt since */
	char			 w_comm[CHANNEL_COMM_MAX + 1];
	int			 w_reaped;
	int			 w_attach;	/* -p: w_traced ran before us */
	struct merge_src	*w_src;		/* its trace ring */
	pid_t			 w_parker;	/* adopting: the worker whose
						   fork waits for our word */
};

/* A parked process waiting for a worker that has said hello. */
struct pending {
	TAILQ_ENTRY(pending)	 p_entry;
	struct channel_handoff	 p_h;
	pid_t			 p_from;	/* the worker that parked it */
	unsigned char		 p_state[CHANNEL_STATE_MAX];
};

static TAILQ_HEAD(, worker)	 workers = TAILQ_HEAD_INITIALIZER(workers);
static TAILQ_HEAD(, pending)	 pendings = TAILQ_HEAD_INITIALIZER(pendings);
static const struct worker_opts	*opts;
static struct worker		*root_worker;
static pid_t			 root_pid;
static int			 root_status = -1;	/* wait status */
static int			 sigfd = -1;
static int			 detaching;	/* -p: ^C or SIGTERM came */
static int			 attach_failed;	/* -p: a process was not seized */

/* -p: how often a detach request is repeated while workers trace. */
#define DETACH_RETRY_MS	50
static sigset_t			 early;		/* to forward once root_pid is known */

static void	 forward_early(void);

/* Idle workers kept for hand-offs; more than this are let go. */
#define SPARES_MAX	2

static void
close_peer(struct worker *w)
{
	if (w->w_fd != -1)
		close(w->w_fd);
	w->w_fd = -1;
}

/*
 * Forks a worker: the root (spawning the command), one attaching to a
 * running process (-p), or a spare.  A spare that cannot be forked
 * (EAGAIN under RLIMIT_NPROC) is NULL: the forks waiting for it fail,
 * the rest of the tree runs on.
 */
static struct worker *
worker_fork(int root, pid_t attach)
{
	struct worker	*w, *o;
	pid_t		 self = getpid();
	int		 sv[2];
	size_t		 i;
	sigset_t	 none;

	if ((w = calloc(1, sizeof(*w))) == NULL)
		fatal("calloc");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1)
		fatal("socketpair");
	w->w_src = merge_add();
	switch (w->w_pid = fork()) {
	case -1:
		if (root)
			fatal("fork");
		log_debug("fork: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		free(w);
		return NULL;
	case 0:
		/* Without the supervisor nobody reports the status: the
		 * worker, and with it every tracee (EXITKILL), goes too,
		 * once it has written the trace it still holds. */
		merge_child(w->w_src);
		if (worker_watch_supervisor(self) == -1)
			_exit(EXIT_INTERNAL);
		close(sv[0]);
		close(sigfd);
		TAILQ_FOREACH(o, &workers, w_entry)
			if (o->w_fd != -1)
				close(o->w_fd);
		/* A signal to isotrace's process group (timeout(1), kill 0,
		 * a hangup) must not kill the workers: that would kill
		 * every tracee with them.  The tracees get it themselves. */
		for (i = 0; i < NWORKER_IGNORED; i++)
			signal(worker_ignored[i], SIG_IGN);
		/* Until the worker's handler is in place (a -p detach request
		 * is repeated until it is heard). */
		signal(WORKER_DETACH_SIG, SIG_IGN);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		_exit(attach > 0 ? worker_attach_main(opts, sv[1], attach) :
		    root ? worker_main(opts, sv[1]) :
		    worker_adopt_main(opts, sv[1]));
	}
	close(sv[1]);
	w->w_fd = sv[0];
	TAILQ_INSERT_TAIL(&workers, w, w_entry);
	return w;
}

static int
alive(const struct worker *w)
{
	return w->w_fd != -1 && !w->w_reaped;
}

/* The end of a hand-off, to the worker holding the parent's fork. */
static void
done(pid_t parker, pid_t child, int error)
{
	struct worker	*w;

	TAILQ_FOREACH(w, &workers, w_entry)
		if (w->w_pid == parker && alive(w)) {
			if (channel_send_handoff_done(w->w_fd,
			    ISOTRACE__ENVELOPE__PAYLOAD_HANDOFF_DONE, child,
			    error) < 0)
				log_warn("worker %d: handoff done",
				    (int)w->w_pid);
			return;
		}
}

/* No worker for p: its process dies and its parent's fork fails. */
static void
refuse(struct pending *p)
{
	kill(p->p_h.pid, SIGKILL);
	done(p->p_from, p->p_h.pid, EAGAIN);
	free(p);
}

/* Forked, but its hello has not come yet. */
static int
starting(const struct worker *w)
{
	return alive(w) && w->w_traced == 0 && !w->w_ready;
}

static int
count(int (*pred)(const struct worker *))
{
	struct worker	*w;
	int		 n = 0;

	TAILQ_FOREACH(w, &workers, w_entry)
		n += pred(w) != 0;
	return n;
}

static int
ready(const struct worker *w)
{
	return alive(w) && w->w_ready;
}

/*
 * Gives waiting hand-offs to ready workers, and keeps one worker ready or
 * starting, so the next hand-off finds one.  Adopt goes only to a worker
 * that said hello: a hello is then never stale.
 */
static void
place(void)
{
	struct pending	*p;
	struct worker	*w;

	while ((p = TAILQ_FIRST(&pendings)) != NULL) {
		TAILQ_FOREACH(w, &workers, w_entry)
			if (ready(w))
				break;
		if (w == NULL)
			break;
		TAILQ_REMOVE(&pendings, p, p_entry);
		w->w_ready = 0;
		w->w_attach = 0;
		w->w_traced = p->p_h.pid;
		strlcpy(w->w_comm, p->p_h.comm, sizeof(w->w_comm));
		if (channel_send_handoff(w->w_fd, 1, &p->p_h) < 0) {
			log_warn("worker %d: adopt", (int)w->w_pid);
			refuse(p);
			continue;
		}
		w->w_parker = p->p_from;
		free(p);
	}
	if (count(ready) + count(starting) == 0 && worker_fork(0, 0) == NULL)
		while ((p = TAILQ_FIRST(&pendings)) != NULL) {
			TAILQ_REMOVE(&pendings, p, p_entry);
			refuse(p);
		}
}

static void
handoff(struct worker *from, const Isotrace__Handoff *h)
{
	struct pending	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		fatal("calloc");
	if (channel_handoff_from(h, &p->p_h) < 0) {
		log_warnx("worker %d: bad hand-off", (int)from->w_pid);
		free(p);
		return;
	}
	/* The message is freed after dispatch: keep a copy of the state. */
	if (p->p_h.statelen > 0)
		memcpy(p->p_state, p->p_h.state, p->p_h.statelen);
	p->p_h.state = p->p_state;
	p->p_from = from->w_pid;
	TAILQ_INSERT_TAIL(&pendings, p, p_entry);
	place();
}

/* A worker whose process is gone says hello again: it is a spare now. */
static void
hello(struct worker *w)
{
	w->w_traced = 0;
	w->w_ready = 1;
	w->w_comm[0] = '\0';
	place();
	if (w->w_ready && count(ready) > SPARES_MAX)
		close_peer(w);		/* it ends at the closed channel */
}

/* A peer that breaks the protocol is a bug: it and its tracee go. */
static void
drop(struct worker *w, const char *why)
{
	log_warnx("worker %d (pid %d): %s; dropped", (int)w->w_pid,
	    (int)w->w_traced, why);
	kill(w->w_pid, SIGKILL);
	close_peer(w);
}

static void
dispatch(struct worker *w)
{
	Isotrace__Envelope	*env;
	int			 e;

	if ((e = channel_recv(w->w_fd, &env)) < 0) {
		if (e == -EAGAIN || e == -EINTR)
			return;
		errno = -e;
		drop(w, strerror(-e));
		return;
	}
	if (env == NULL) {
		close_peer(w);		/* the worker is done */
		return;
	}
	switch (env->payload_case) {
	case ISOTRACE__ENVELOPE__PAYLOAD_HELLO:
		hello(w);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_TRACED:
		w->w_traced = env->traced->pid;
		if (w == root_worker) {
			root_pid = w->w_traced;
			forward_early();
		}
		strlcpy(w->w_comm, env->traced->comm, sizeof(w->w_comm));
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_EXITED:
		if (env->exited->pid == root_pid)
			root_status = env->exited->wait_status;
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_HANDOFF:
		handoff(w, env->handoff);
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_ADOPTED:
		if (w->w_parker == 0 || env->adopted->pid != w->w_traced) {
			drop(w, "unexpected adopted");
			break;
		}
		done(w->w_parker, env->adopted->pid, env->adopted->error);
		w->w_parker = 0;
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_NET_SOCKET:
	case ISOTRACE__ENVELOPE__PAYLOAD_NET_LOOKUP:
	case ISOTRACE__ENVELOPE__PAYLOAD_NET_BIND:
	case ISOTRACE__ENVELOPE__PAYLOAD_NET_CONNECT:
		if ((e = netreg_request(w->w_fd, env)) < 0) {
			errno = -e;
			drop(w, strerror(-e));
		}
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_TALLY:
		if (opts->wo_summary)
			summary_add(env->tally);
		else
			drop(w, "summary without -c");
		break;
	case ISOTRACE__ENVELOPE__PAYLOAD_PID_CLAIM:
	case ISOTRACE__ENVELOPE__PAYLOAD_PID_LOOKUP:
	case ISOTRACE__ENVELOPE__PAYLOAD_PID_RELEASE:
		if ((e = pids_request(w->w_fd, env)) < 0) {
			errno = -e;
			drop(w, strerror(-e));
		}
		break;
	default:
		drop(w, "unexpected message");
		break;
	}
	channel_free(env);
}

static void
reap(void)
{
	struct worker	*w;
	pid_t		 pid;
	int		 st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		TAILQ_FOREACH(w, &workers, w_entry)
			if (w->w_pid == pid)
				break;
		if (w == NULL)
			continue;
		/* What it sent before dying (its process's name after an
		 * exec, the root's status) comes first; a dead peer's socket
		 * ends in EOF, so this does not block. */
		while (w->w_fd != -1)
			dispatch(w);
		w->w_reaped = 1;
		merge_gone(w->w_src);
		if (w == root_worker && root_status == -1 && WIFSIGNALED(st))
			root_status = SIGKILL;	/* as EXITKILL killed it */
		if (opts->wo_nattach > 0 && WIFEXITED(st) &&
		    WEXITSTATUS(st) == EXIT_INTERNAL)
			attach_failed = 1;
		/* Adopted but not yet seized, its process would sleep
		 * parked forever; seized, EXITKILL has killed it already.
		 * A process attached with -p was never ours to kill: the
		 * kernel has let it go (no EXITKILL). */
		if (w->w_traced > 0 && !w->w_attach)
			kill(w->w_traced, SIGKILL);
		if (w->w_parker != 0)
			done(w->w_parker, w->w_traced, EAGAIN);
		w->w_parker = 0;
		if (WIFSIGNALED(st) && w->w_traced > 0)
			log_warnx("worker for pid %d (%s) died (SIG%s); "
			    "process %s", (int)w->w_traced, w->w_comm,
			    sigabbrev_np(WTERMSIG(st)) ? : "?",
			    w->w_attach ? "detached" : "killed");
		else if (WIFSIGNALED(st) || WEXITSTATUS(st) != 0)
			log_debug("worker %d ended: status %#x", (int)pid, st);
	}
}

/* A signal to isotrace is meant for the command (signals.c). */
static void
forward(int sig)
{
	if (root_pid <= 0) {
		/* The command's pid comes with its worker's first message. */
		sigaddset(&early, sig);
		return;
	}
	if (root_status == -1 && kill(root_pid, sig) == -1)
		log_debug("forward signal %d to %d", sig, (int)root_pid);
	/* A held thread's wait looks at its signals again (sched.c). */
	sched_signalled();
}

static void
forward_early(void)
{
	int	 sig;

	for (sig = 1; sig < NSIG; sig++)
		if (sigismember(&early, sig) == 1) {
			sigdelset(&early, sig);
			forward(sig);
		}
}

/*
 * -p: every worker lets its process go.  Sent again at each turn of the
 * loop until none is tracing: a worker may get it just before it sleeps
 * in waitpid, or adopt a new process after it.
 */
static void
ask_detach(void)
{
	struct worker	*w;

	TAILQ_FOREACH(w, &workers, w_entry)
		if (alive(w))
			kill(w->w_pid, WORKER_DETACH_SIG);
}

static void
on_signal(void)
{
	struct signalfd_siginfo	 si;

	while (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (signals_action(&si, opts->wo_nattach > 0)) {
		case SIGNALS_REAP:
			reap();
			break;
		case SIGNALS_DETACH:
			/* As strace -p: the processes run on untraced. */
			detaching = 1;
			ask_detach();
			break;
		case SIGNALS_FORWARD:
			forward((int)si.ssi_signo);
			break;
		case SIGNALS_SUSPEND:
			(void)kill(getpid(), SIGSTOP);
			break;
		case SIGNALS_DROP:
			break;
		}
	}
}

/* Workers still tracing, or processes waiting for one; spares do not
 * count. */
static int
busy(void)
{
	struct worker	*w, *next;
	int		 n = TAILQ_EMPTY(&pendings) ? 0 : 1;

	for (w = TAILQ_FIRST(&workers); w != NULL; w = next) {
		next = TAILQ_NEXT(w, w_entry);
		if (w->w_reaped && w->w_fd == -1) {
			TAILQ_REMOVE(&workers, w, w_entry);
			if (w == root_worker)
				root_worker = NULL;
			free(w);
		} else if (w->w_traced != 0)
			n++;
	}
	return n;
}

/* Where the trace goes, after what the workers wrote there. */
static void
print_summary(const struct worker_opts *o)
{
	FILE	*f;
	int	 fd;

	if ((fd = dup(o->wo_trace_fd)) == -1 || (f = fdopen(fd, "w")) ==
	    NULL) {
		log_warn("%s: summary", o->wo_trace_name);
		if (fd != -1)
			close(fd);
		return;
	}
	if (o->wo_json)
		summary_print_json(f);
	else
		summary_print(f);
	if (fclose(f) == EOF)
		log_warn("%s: summary", o->wo_trace_name);
}

int
supervisor_run(const struct worker_opts *o)
{
	struct pollfd	*pfd = NULL;
	struct worker	*w, **pw = NULL;
	sigset_t	 mask;
	size_t		 n, cap = 0, first;

	opts = o;
	/* The trace goes through the merger, unless -ff splits it. */
	if (o->wo_verbose && o->wo_ff_base == NULL &&
	    merge_init(o->wo_trace_fd, o->wo_trace_name) == -1)
		fatal("trace merger");
	/*
	 * Not dumpable, and so are the workers it forks: an unprivileged
	 * traced program cannot ptrace them or open their /proc/PID/mem;
	 * a privileged one is refused by the worker (worker/engine/guard.c).
	 */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1)
		log_warn("prctl PR_SET_DUMPABLE");
	/* The run's host name is one for all its workers (uts.c). */
	if (o->wo_sandbox) {
		sandbox_uts_init();
		pstart_setup();	/* the start times (pstart.c) */
		runwaits_setup();	/* the timed waits (runwaits.c) */
		/* The run's turns and clock (sched.c). */
		sched_setup((enum sched_mode)o->wo_schedule,
		    o->wo_sandbox_config.sc_seed);
	}
	park_calibrate();	/* inherited by every worker */
	signals_set(&mask);
	sigemptyset(&early);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) == -1 ||
	    (sigfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC)) == -1)
		fatal("signalfd");

	if (o->wo_sandbox)
		ftimes_setup();	/* shared by every worker of the run */

	/* The first spare is forked at the first hand-off: a command that
	 * never forks should not pay for one. */
	if (o->wo_nattach > 0)
		for (n = 0; n < o->wo_nattach; n++) {
			w = worker_fork(0, o->wo_attach[n]);
			w->w_traced = o->wo_attach[n];
			w->w_attach = 1;
		}
	else {
		root_worker = w = worker_fork(1, 0);
		w->w_traced = -1;  /* the root: its pid comes with Traced */
	}

	while (busy() > 0) {
		n = 0;
		TAILQ_FOREACH(w, &workers, w_entry)
			n++;
		if (n + 3 > cap) {
			cap = (n + 3) * 2;
			pfd = reallocarray(pfd, cap, sizeof(*pfd));
			pw = reallocarray(pw, cap, sizeof(*pw));
			if (pfd == NULL || pw == NULL)
				fatal("reallocarray");
		}
		pfd[0] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
		n = 1;
		if (merge_active()) {
			pfd[n++] = (struct pollfd){ .fd = merge_tick_fd(),
			    .events = POLLIN };
			pfd[n++] = (struct pollfd){ .fd = merge_wake_fd(),
			    .events = POLLIN };
		}
		first = n;
		TAILQ_FOREACH(w, &workers, w_entry) {
			pw[n] = w;
			pfd[n++] = (struct pollfd){ .fd = w->w_fd,
			    .events = POLLIN };
		}
		if (poll(pfd, n, detaching ? DETACH_RETRY_MS : -1) == -1) {
			if (errno == EINTR)
				continue;
			fatal("poll");
		}
		if (detaching)
			ask_detach();
		if (pfd[0].revents)
			on_signal();
		while (--n >= first)
			if (pfd[n].revents && pw[n]->w_fd != -1)
				dispatch(pw[n]);
		if (first > 1 && (pfd[1].revents || pfd[2].revents))
			merge_run(0);
	}
	/* Only spares are left: closing their socket ends them. */
	TAILQ_FOREACH(w, &workers, w_entry)
		close_peer(w);
	while (wait(NULL) > 0 || errno == EINTR)
		;
	merge_run(1);
	free(pfd);
	free(pw);
	if (o->wo_summary)
		print_summary(o);
	/* As strace -p: 0 once every process is gone or let go. */
	if (o->wo_nattach > 0)
		return attach_failed ? EXIT_INTERNAL : 0;
	if (root_status == -1)
		return EXIT_INTERNAL;
	if (WIFSIGNALED(root_status))
		return 128 + WTERMSIG(root_status);
	return WEXITSTATUS(root_status);
}
