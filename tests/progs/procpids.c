/*
 * procpids: pids that travel outside a call's arguments.  Lines "check
 * ..." state a relation (the same natively and under the sandbox); lines
 * "value ..." print the numbers (the same on every sandboxed run).
 *
 * /proc/self, /proc/<getpid()>, /proc/<child>, a ps-like walk of /proc,
 * /proc/self/status, /proc/self/task, SCM_CREDENTIALS, F_GETOWN,
 * signalfd's ssi_pid, process_vm_readv and kcmp on a child, pidfd_open and
 * pidfd_send_signal, and a thread's tid in /proc.
 */
#include <sys/socket.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
check(const char *what, int ok)
{
	printf("check %s %s\n", what, ok ? "ok" : "FAILED");
}

/* Field n (1-based) of /proc/PID/stat, after the command name. */
static long
stat_field(pid_t pid, int n)
{
	char	 path[64], buf[1024], *p;
	FILE	*f;
	int	 i;
	long	 v = -1;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return -1;
	if (fgets(buf, sizeof(buf), f) != NULL && (p = strrchr(buf, ')'))) {
		if (n == 1)
			v = atol(buf);
		else {
			p += 2;		/* ") " then the state, field 3 */
			for (i = 3; i < n && p != NULL; i++)
				if ((p = strchr(p, ' ')) != NULL)
					p++;
			if (p != NULL)
				v = atol(p);
		}
	}
	fclose(f);
	return v;
}

/* The last number of a "Key:" line of /proc/self/status. */
static long
status_field(const char *key)
{
	char	 buf[512], *p;
	FILE	*f;
	long	 v = -1;
	size_t	 n = strlen(key);

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return -1;
	while (fgets(buf, sizeof(buf), f) != NULL)
		if (strncmp(buf, key, n) == 0 && buf[n] == ':') {
			buf[strcspn(buf, "\n")] = '\0';
			p = strrchr(buf, '\t');
			v = atol(p != NULL ? p + 1 : buf + n + 1);
		}
	fclose(f);
	return v;
}

static volatile long	 secret = 0x5eed;
static pid_t		 thread_tid;

static void *
thread_main(void *arg)
{
	char	 path[64];

	(void)arg;
	thread_tid = (pid_t)syscall(SYS_gettid);
	snprintf(path, sizeof(path), "/proc/self/task/%d", (int)thread_tid);
	check("thread's /proc/self/task/<gettid()>", access(path, F_OK) == 0);
	return NULL;
}

int
main(void)
{
	pid_t		 me = getpid(), child, seen = 0;
	char		 buf[64], c;
	struct dirent	*de;
	DIR		*d;
	int		 go[2], sv[2], one = 1, sfd, pfd;
	long		 got = 0;
	struct iovec	 local = { &got, sizeof(got) };
	struct iovec	 remote = { (void *)&secret, sizeof(secret) };
	struct msghdr	 mh;
	union {
		struct cmsghdr	 h;
		char		 b[CMSG_SPACE(sizeof(struct ucred))];
	} cm;
	struct iovec	 iov = { &c, 1 };
	struct ucred	 uc;
	struct signalfd_siginfo si;
	sigset_t	 set;
	pthread_t	 th;
	ssize_t		 n;
	int		 st;

	setvbuf(stdout, NULL, _IONBF, 0);
	n = readlink("/proc/self", buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	check("/proc/self is getpid()", atol(buf) == me);
	check("/proc/<getpid()>/stat pid", stat_field(me, 1) == me);
	check("/proc/<getpid()>/stat ppid", stat_field(me, 4) == getppid());
	check("status Pid", status_field("Pid") == me);
	check("status PPid", status_field("PPid") == getppid());
	check("status NSpid", status_field("NSpid") == me);
	check("status Tgid", status_field("Tgid") == me);

	/* A child that waits, so that its /proc entry can be read. */
	secret = 0x5eed + 1;
	if (pipe(go) == -1 || socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == -1)
		return 1;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if ((sfd = signalfd(-1, &set, 0)) == -1)
		return 1;
	/* SCM_CREDENTIALS: the kernel fills them in for every message. */
	(void)setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	if ((child = fork()) == 0) {
		secret = 0xc0ffee;
		(void)send(sv[1], "x", 1, 0);
		(void)read(go[0], &c, 1);
		kill(getppid(), SIGUSR1);
		(void)read(go[0], &c, 1);
		_exit(0);
	}
	check("/proc/<child>/stat pid", stat_field(child, 1) == child);
	check("/proc/<child>/stat ppid", stat_field(child, 4) == me);
	if ((d = opendir("/proc")) != NULL) {
		while ((de = readdir(d)) != NULL)
			if (atol(de->d_name) > 0 &&
			    stat_field(atol(de->d_name), 4) == me)
				seen = (pid_t)atol(de->d_name);
		closedir(d);
	}
	check("a walk of /proc finds the child", seen == child);

	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = cm.b;
	mh.msg_controllen = sizeof(cm.b);
	memset(&uc, 0, sizeof(uc));
	if (recvmsg(sv[0], &mh, 0) == 1 && CMSG_FIRSTHDR(&mh) != NULL)
		memcpy(&uc, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(uc));
	check("SCM_CREDENTIALS pid is the child", uc.pid == child);
	check("SCM_CREDENTIALS uid", uc.uid == getuid());

	check("F_SETOWN getpid()", fcntl(go[1], F_SETOWN, me) == 0);
	check("F_GETOWN", fcntl(go[1], F_GETOWN) == me);

	check("process_vm_readv(child)",
	    process_vm_readv(child, &local, 1, &remote, 1, 0) ==
	    (ssize_t)sizeof(got) && got == 0xc0ffee);
	check("kcmp(me, child, KCMP_VM) is 'different'",
	    syscall(SYS_kcmp, me, child, 1 /* KCMP_VM */, 0, 0) > 0);
	pfd = (int)syscall(SYS_pidfd_open, child, 0);
	check("pidfd_open(child)", pfd >= 0);

	(void)write(go[1], "", 1);
	check("signalfd ssi_pid is the child",
	    read(sfd, &si, sizeof(si)) == sizeof(si) &&
	    (pid_t)si.ssi_pid == child);
	check("pidfd_send_signal(child, 0)",
	    syscall(SYS_pidfd_send_signal, pfd, 0, NULL, 0) == 0);
	(void)write(go[1], "", 1);
	check("waitpid(child)", waitpid(child, &st, 0) == child &&
	    WIFEXITED(st));

	pthread_create(&th, NULL, thread_main, NULL);
	pthread_join(th, NULL);
	check("the thread's tid is not the pid", thread_tid != me);

	printf("value pid %d ppid %d child %d thread %d\n", (int)me,
	    (int)getppid(), (int)child, (int)thread_tid);
	return 0;
}
