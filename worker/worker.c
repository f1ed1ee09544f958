/*
 * A worker's life: start the command or adopt a handed-off process, name
 * itself in ps(1), then run the engine until its process is gone.
 */
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/socket.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/prctl.h>

#include "../common/log.h"
#include "../common/trace_ring.h"
#include "../proto/channel.h"
#include "engine/attach.h"
#include "engine/engine.h"
#include "engine/handoff.h"
#include "engine/layer.h"
#include "decode/output.h"
#include "seccomp.h"
#include "worker.h"

static int		 chan = -1;	/* to the supervisor */
static int		 verbose;
static pid_t		 self;		/* the traced process (tgid) */
static char		 self_comm[16];
static const char	*crash_comm;	/* fault injection, see crash_check */
static long		 crash_at = -1;
static int		 crash_garbage;	/* send garbage instead of dying */

static pid_t		 supervisor;	/* our parent, while it lives */

static int		 serve(void);

/*
 * The supervisor is gone: nobody will report this process's end, adopt
 * its children or read its trace.  Everything this worker traces dies
 * with it (and with the worker, by PTRACE_O_EXITKILL), and so does the
 * child it parked and nobody adopted yet (were this worker killed
 * outright, that child would kill itself at the end of the park,
 * park.c): nothing runs on untraced.  Called from a signal handler:
 * async-signal-safe only.
 */
void
worker_supervisor_died(void)
{
	pid_t	 child = handoff_parked();

	/* First the trace lines the supervisor had not written yet: a
	 * written line survives any death of isotrace. */
	trace_ring_flush_all();
	output_flush();		/* -ff: this worker's own file */
	/* A process attached with -p ran before isotrace: it is let go
	 * (no PTRACE_O_EXITKILL), not killed. */
	if (self > 0 && !engine_lets_go())
		kill(self, SIGKILL);
	if (child > 0)
		kill(child, SIGKILL);
	_exit(EXIT_INTERNAL);
}

static void
on_parent_death(int sig)
{
	(void)sig;
	/* Anyone can send the signal; only an orphan acts on it. */
	if (getppid() != supervisor)
		worker_supervisor_died();
}

int
worker_watch_supervisor(pid_t parent)
{
	struct sigaction	 sa;

	supervisor = parent;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_parent_death;
	sa.sa_flags = SA_RESTART;
	sigfillset(&sa.sa_mask);
	if (sigaction(WORKER_PDEATHSIG, &sa, NULL) == -1 ||
	    prctl(PR_SET_PDEATHSIG, WORKER_PDEATHSIG) == -1)
		return -1;
	/* It may have died before the prctl. */
	return getppid() == parent ? 0 : -1;
}

int
worker_channel(void)
{
	return chan;
}

/* "isotrace: worker PID (comm)" in ps(1), kept current across execve. */
const char *
worker_comm(void)
{
	return self_comm;
}

void
worker_title(void)
{
	char	 path[64];
	ssize_t	 n;
	int	 fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)self);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	n = read(fd, self_comm, sizeof(self_comm) - 1);
	close(fd);
	self_comm[n > 0 ? n : 0] = '\0';
	self_comm[strcspn(self_comm, "\n")] = '\0';
	setproctitle("worker %d (%s)", (int)self, self_comm);
	if (chan != -1 && channel_send_traced(chan, self, self_comm) < 0)
		log_warn("report exec of %d", (int)self);
}

/*
 * Fault injection for the crash-isolation tests: ISOTRACE_CRASH=COMM:N
 * makes the worker of the process named COMM die of SIGSEGV at its Nth
 * ptrace stop; COMM:N:garbage makes it send the supervisor a malformed
 * record there instead.
 */
static void
crash_setup(void)
{
	const char	*v = getenv("ISOTRACE_CRASH");
	char		*colon;

	if (v == NULL || (crash_comm = strdup(v)) == NULL)
		return;
	crash_at = 1;
	if ((colon = strchr(crash_comm, ':')) != NULL) {
		*colon = '\0';
		crash_at = strtol(colon + 1, &colon, 10);
		crash_garbage = strcmp(colon, ":garbage") == 0;
	}
}

void
worker_crash_check(void)
{
	static const char	 garbage[] = "\xff\x01 not a protobuf record";

	if (crash_at > 0 && strcmp(self_comm, crash_comm) == 0 &&
	    --crash_at == 0) {
		if (crash_garbage) {
			/* A bug that talks nonsense: the supervisor must drop
			 * this worker, not trust or crash on it. */
			(void)send(chan, garbage, sizeof(garbage), MSG_NOSIGNAL);
			return;
		}
		signal(SIGSEGV, SIG_DFL);	/* past any sanitizer's handler */
		raise(SIGSEGV);
	}
}


/* Everything but the first tracee is common to both kinds of worker. */
static void
setup(const struct worker_opts *o, int fd, struct sock_fprog *prog)
{
	chan = fd;
	static const struct engine_host	 host = {
		.eh_comm = worker_comm,
		.eh_exec = worker_title,
		.eh_stop = worker_crash_check,
	};

	verbose = o->wo_verbose;
	engine_host(&host);
	if (engine_init(o, fd, prog) < 0)
		fatalx("seccomp filter too large");
	if (o->wo_nattach > 0)
		attach_setup(o->wo_decode.do_quiet > 0);
	crash_setup();
}

int
worker_main(const struct worker_opts *o, int fd)
{
	struct sock_fprog	 prog;

	setup(o, fd, &prog);
	self = spawn_command(o, &prog);
	free(prog.filter);
	if (layer_start(self, NULL, 0, IT_START_ROOT) < 0)
		fatalx("layers refuse %d", (int)self);
	engine_trace(self, 1, 0);
	if (verbose)
		output_open(self);
	strlcpy(self_comm, o->wo_argv[0], sizeof(self_comm));
	setproctitle("worker %d (%s)", (int)self, self_comm);
	if (channel_send_traced(chan, self, self_comm) < 0)
		fatal("traced");
	engine_loop();
	return serve();
}

/*
 * Waits for hand-offs and traces each adopted process to its end, for as
 * long as the supervisor wants this worker: reusing a worker spares a fork
 * and an exit per traced process.  Hello says "ready"; a closed channel
 * (or one that cannot take the hello: the supervisor is finishing) ends
 * the worker.
 */
static int
serve(void)
{
	Isotrace__Envelope	*env;
	struct channel_handoff	 h;
	int			 e, st;

	for (;;) {
		setproctitle("worker (spare)");
		if (channel_send_hello(chan, getpid()) < 0)
			return 0;
		/* Closed, or reset with our hello unread: we are not wanted. */
		output_idle();
		e = channel_recv(chan, &env);
		output_busy();
		if (e == -ECONNRESET)
			return 0;
		if (e < 0) {
			errno = -e;
			fatal("adopt");
		}
		if (env == NULL)
			return 0;
		if (env->payload_case != ISOTRACE__ENVELOPE__PAYLOAD_ADOPT ||
		    channel_handoff_from(env->adopt, &h) < 0)
			fatalx("protocol error: expected a hand-off");
		self = h.pid;
		strlcpy(self_comm, h.comm, sizeof(self_comm));
		/* h.state lives in env. */
		if (layer_start(h.pid, h.state, h.statelen,
		    IT_START_ADOPTED) < 0)
			fatalx("hand-off of %d: bad layer state", (int)self);
		channel_free(env);
		e = handoff_adopt(&h, &st);
		/* The parent's fork waits for this word (handoff.c). */
		if (channel_send_handoff_done(chan,
		    ISOTRACE__ENVELOPE__PAYLOAD_ADOPTED, self,
		    e < 0 ? EAGAIN : 0) < 0)
			log_warn("adopted %d", (int)self);
		switch (e) {
		case 0:
			engine_trace(self, 0, h.nofilter);
			if (verbose)
				output_open(self);
			setproctitle("worker %d (%s)", (int)self, self_comm);
			engine_loop();
			break;
		case 1:
			/* Killed while parked: only SIGKILL gets there. */
			if (verbose) {
				output_open(self);
				engine_trace_exit(self, st);
				output_close();
				output_flush();
			}
			break;
		default:
			log_warn("adopt %d", (int)self);
			kill(self, SIGKILL);
			break;
		}
	}
}

int
worker_attach_main(const struct worker_opts *o, int fd, pid_t pid)
{
	struct sock_fprog	 prog;
	int			 e;

	setup(o, fd, &prog);
	free(prog.filter);
	self = pid;
	if (layer_start(pid, NULL, 0, IT_START_ATTACHED) < 0)
		fatalx("layers refuse %d", (int)pid);
	if (verbose)
		output_open(pid);
	if ((e = engine_attach(pid)) < 0) {
		log_warnx("attach %d: %s", (int)pid, strerror(-e));
		return EXIT_INTERNAL;
	}
	worker_title();
	engine_loop();
	return serve();
}

int
worker_adopt_main(const struct worker_opts *o, int fd)
{
	struct sock_fprog	 prog;

	setup(o, fd, &prog);
	free(prog.filter);
	return serve();
}
