/*
 * tracer_attack: a traced program that turns on its tracers.
 *	tracer_attack calls	every call that could signal, trace, read or
 *				reschedule a process, aimed at the tracer
 *				(TracerPid) and at the tracer's parent; prints
 *				"CALL TARGET: result" (an errno name or ok)
 *	tracer_attack stop	kill(tracer, SIGSTOP), then "after"
 *	tracer_attack kill	kill(tracer, SIGKILL), then "after"
 *	tracer_attack group SIG	kill(0, SIG) with a handler: "got SIG"
 *	tracer_attack all	a child pauses; kill(-1, SIGKILL); how the
 *				child ended and "survived"
 * Only ever run it under isotrace, or "group" and "all" in a session and
 * a pid namespace of their own: it would stop or kill its parent.
 */
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t	 got;

static long
status_field(pid_t pid, const char *name)
{
	char	 path[64], line[256];
	size_t	 n = strlen(name);
	long	 v = -1;
	FILE	*f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, name, n) == 0 && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

static void
show(const char *call, const char *who, long r)
{
	printf("%s %s: %s\n", call, who, r == -1 ? strerrorname_np(errno) :
	    "ok");
}

static void
attack(pid_t pid, const char *who)
{
	struct iovec	 l, rv;
	struct rlimit	 rl = { 1, 1 };
	cpu_set_t	 cpus;
	siginfo_t	 si;
	char		 buf[8], path[64];
	int		 fd;

	show("kill", who, kill(pid, SIGSTOP));
	show("tkill", who, syscall(SYS_tkill, pid, SIGSTOP));
	show("tgkill", who, syscall(SYS_tgkill, pid, pid, SIGSTOP));
	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	show("rt_sigqueueinfo", who, syscall(SYS_rt_sigqueueinfo, pid,
	    SIGSTOP, &si));
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	show("pidfd_open", who, fd);
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "/proc/%d", (int)pid);
	if ((fd = open(path, O_RDONLY | O_DIRECTORY)) >= 0) {
		show("pidfd_send_signal", who, syscall(SYS_pidfd_send_signal,
		    fd, SIGSTOP, NULL, 0));
		close(fd);
	}
	show("ptrace", who, ptrace(PTRACE_SEIZE, pid, NULL, NULL));
	l = (struct iovec){ buf, sizeof(buf) };
	rv = (struct iovec){ (void *)&got, sizeof(buf) };
	show("process_vm_readv", who, process_vm_readv(pid, &l, 1, &rv, 1,
	    0));
	show("prlimit", who, prlimit(pid, RLIMIT_NOFILE, &rl, NULL));
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	show("sched_setaffinity", who, sched_setaffinity(pid, sizeof(cpus),
	    &cpus));
	show("setpriority", who, setpriority(PRIO_PROCESS, pid, 19));
}

static void
on_sig(int sig)
{
	got = sig;
}

int
main(int argc, char **argv)
{
	pid_t	 tracer = (pid_t)status_field(getpid(), "TracerPid"), child;
	int	 st, sig;
	long	 r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return 2;
	if (tracer <= 0 && strcmp(argv[1], "group") != 0 &&
	    strcmp(argv[1], "all") != 0) {
		printf("not traced\n");
		return 2;
	}
	if (strcmp(argv[1], "calls") == 0) {
		attack(tracer, "tracer");
		attack((pid_t)status_field(tracer, "PPid"), "tracer's parent");
	} else if (strcmp(argv[1], "stop") == 0) {
		show("kill STOP", "tracer", kill(tracer, SIGSTOP));
	} else if (strcmp(argv[1], "kill") == 0) {
		show("kill KILL", "tracer", kill(tracer, SIGKILL));
	} else if (strcmp(argv[1], "group") == 0 && argc == 3) {
		sig = atoi(argv[2]);
		signal(sig, on_sig);
		r = kill(0, sig);
		while (got == 0)
			usleep(1000);
		printf("kill(0, %d) = %ld, got %d\n", sig, r, (int)got);
	} else if (strcmp(argv[1], "all") == 0) {
		if ((child = fork()) == 0) {
			pause();
			_exit(0);
		}
		usleep(50000);
		show("kill(-1, SIGKILL)", "everyone", kill(-1, SIGKILL));
		if (waitpid(child, &st, 0) == child && WIFSIGNALED(st))
			printf("child: killed by SIG%s\n",
			    sigabbrev_np(WTERMSIG(st)));
	} else
		return 2;
	/* Still here, and so is the tracer: no signal took it. */
	usleep(20000);
	if (tracer > 0)
		printf("after: tracer %s\n", kill(tracer, 0) == 0 ||
		    errno == EPERM ? "alive" : "gone");
	else
		printf("after: tracer alive\n");
	return 0;
}
