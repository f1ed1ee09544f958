/*
 * pids: every way a pid reaches a program, checked for coherence.  Lines
 * "check ..." state a relation (the same natively and under the sandbox);
 * lines "value ..." print the pids themselves (the same on every sandboxed
 * run, different natively).
 *
 * Covers getpid, gettid, getppid, fork and clone results, wait4 and waitid
 * (argument, result, si_pid), kill, tgkill and pthread_kill, the si_pid of
 * SIGCHLD and of a signal sent by kill(), rt_sigtimedwait, getpgrp,
 * setpgid, getpgid, getsid, setsid, and set_tid_address.
 */
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t	 chld_pid, usr1_pid;

static void
on_chld(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	chld_pid = si->si_pid;
}

static void
on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	usr1_pid = si->si_pid;
}

/* Waits until process real (a real pid: /proc knows no other) blocks in
 * syscall nr; 0, or -1 after about a second. */
static int
await_syscall(const char *real, int nr)
{
	char	 path[64], buf[32];
	FILE	*f;
	int	 i, cur;

	snprintf(path, sizeof(path), "/proc/%s/syscall", real);
	for (i = 0; i < 100000; i++) {
		if ((f = fopen(path, "r")) == NULL)
			return -1;
		cur = fgets(buf, sizeof(buf), f) != NULL ? atoi(buf) : -1;
		fclose(f);
		if (cur == nr)
			return 0;
		sched_yield();
	}
	return -1;
}

static void
check(const char *what, int ok)
{
	printf("check %s %s\n", what, ok ? "ok" : "FAILED");
}

static pid_t	 thread_tid;
static pthread_mutex_t	 mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 cv = PTHREAD_COND_INITIALIZER;
static int	 got_usr2;

static void
on_usr2(int sig)
{
	(void)sig;
	got_usr2 = 1;
}

static void *
thread_main(void *arg)
{
	sigset_t	 set;
	int		 sig;

	(void)arg;
	pthread_mutex_lock(&mu);
	thread_tid = (pid_t)syscall(SYS_gettid);
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigwait(&set, &sig);		/* pthread_kill from main */
	return NULL;
}

int
main(void)
{
	struct sigaction	 sa;
	pthread_t		 th;
	siginfo_t		 si;
	sigset_t		 set;
	pid_t			 me = getpid(), child, w, tid;
	int			 st, p[2];
	char			 c;

	memset(&sa, 0, sizeof(sa));
	sa.sa_flags = SA_SIGINFO;
	sa.sa_sigaction = on_chld;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_sigaction = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGUSR2, on_usr2);

	printf("value pid %d ppid %d\n", (int)me, (int)getppid());
	check("gettid == getpid in main", syscall(SYS_gettid) == me);
	check("set_tid_address returns gettid",
	    syscall(SYS_set_tid_address, NULL) == me);
	check("kill(self, 0)", kill(me, 0) == 0);
	kill(me, SIGUSR1);
	check("si_pid of kill(self) is getpid", usr1_pid == me);

	/* A child: fork's result, its getpid and getppid, wait4, SIGCHLD. */
	pipe(p);
	if ((child = fork()) == 0) {
		char msg[64];
		int n = snprintf(msg, sizeof(msg), "%d %d", (int)getpid(),
		    (int)getppid());
		write(p[1], msg, (size_t)n);
		_exit(7);
	}
	close(p[1]);
	{
		char buf[64] = "";
		int cpid = 0, cppid = 0;

		read(p[0], buf, sizeof(buf) - 1);
		sscanf(buf, "%d %d", &cpid, &cppid);
		check("child's getpid is fork's result", cpid == child);
		check("child's getppid is parent's getpid", cppid == me);
	}
	close(p[0]);
	w = waitpid(child, &st, 0);
	check("waitpid(child) returns child", w == child);
	check("child exited 7", WIFEXITED(st) && WEXITSTATUS(st) == 7);
	check("SIGCHLD si_pid is child", chld_pid == child);
	printf("value child %d\n", (int)child);

	/* kill() of a child by its pid, waitid with P_PID. */
	pipe(p);
	if ((child = fork()) == 0) {
		close(p[0]);
		write(p[1], "r", 1);
		pause();
		_exit(0);
	}
	close(p[1]);
	read(p[0], &c, 1);
	close(p[0]);
	check("kill(child, SIGTERM)", kill(child, SIGTERM) == 0);
	memset(&si, 0, sizeof(si));
	check("waitid(P_PID, child)", waitid(P_PID, child, &si, WEXITED) == 0);
	check("waitid si_pid is child", si.si_pid == child);
	check("SIGCHLD si_pid is the killed child", chld_pid == child);
	check("child killed by SIGTERM", si.si_code == CLD_KILLED &&
	    si.si_status == SIGTERM);
	check("kill(reaped child, 0) fails", kill(child, 0) == -1);
	printf("value child %d\n", (int)child);

	/* A wait interrupted by a signal (SA_RESTART) is restarted by the
	 * kernel with the arguments it had. */
	{
		char real[32] = "";

		readlink("/proc/self", real, sizeof(real) - 1);
		sa.sa_flags = SA_SIGINFO | SA_RESTART;
		sa.sa_sigaction = on_usr1;
		sigaction(SIGUSR1, &sa, NULL);
		usr1_pid = 0;
		if ((child = fork()) == 0) {
			if (await_syscall(real, SYS_wait4) < 0)
				_exit(1);
			kill(getppid(), SIGUSR1);
			_exit(5);
		}
		w = waitpid(child, &st, 0);
		check("waitpid restarted after a signal returns child",
		    w == child);
		check("child exited 5", w == child && WIFEXITED(st) &&
		    WEXITSTATUS(st) == 5);
		check("si_pid of the child's kill is child", usr1_pid == child);
	}

	/* Process groups and sessions. */
	if ((child = fork()) == 0) {
		pid_t sid = setsid();

		_exit(sid == getpid() && getsid(0) == getpid() &&
		    getpgrp() == getpid() ? 0 : 1);
	}
	waitpid(child, &st, 0);
	check("setsid in a child gives its pid", WIFEXITED(st) &&
	    WEXITSTATUS(st) == 0);
	if ((child = fork()) == 0) {
		pause();
		_exit(0);
	}
	check("setpgid(child, child)", setpgid(child, child) == 0);
	check("getpgid(child) is child", getpgid(child) == child);
	check("kill(-pgid, SIGKILL)", kill(-child, SIGKILL) == 0);
	check("wait4(-pgid) returns child", waitpid(-child, &st, 0) == child);
	check("child killed by SIGKILL", WIFSIGNALED(st) &&
	    WTERMSIG(st) == SIGKILL);
	printf("value pgrp-child %d\n", (int)child);
	printf("value pgrp %d sid %d\n", (int)getpgrp(), (int)getsid(0));
	check("getpgid(0) is getpgrp", getpgid(0) == getpgrp());

	/* A thread: its tid, tgkill to it, pthread_kill. */
	pthread_mutex_lock(&mu);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_create(&th, NULL, thread_main, NULL);
	while (thread_tid == 0)
		pthread_cond_wait(&cv, &mu);
	tid = thread_tid;
	pthread_mutex_unlock(&mu);
	check("thread tid differs from pid", tid != me);
	check("tgkill(pid, tid, 0)", syscall(SYS_tgkill, me, tid, 0) == 0);
	check("pthread_kill(thread, SIGUSR2)", pthread_kill(th, SIGUSR2) == 0);
	pthread_join(th, NULL);
	printf("value thread %d\n", (int)tid);

	/* The credentials of a socket's peer. */
	{
		struct ucred uc;
		socklen_t len = sizeof(uc);
		int sv[2];

		socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
		check("SO_PEERCRED pid is getpid", getsockopt(sv[0],
		    SOL_SOCKET, SO_PEERCRED, &uc, &len) == 0 && uc.pid == me);
		close(sv[0]);
		close(sv[1]);
	}

	/* rt_sigtimedwait reports the sender. */
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(me, SIGUSR1);
	memset(&si, 0, sizeof(si));
	check("sigtimedwait", sigwaitinfo(&set, &si) == SIGUSR1);
	check("sigtimedwait si_pid is getpid", si.si_pid == me);
	return 0;
}
