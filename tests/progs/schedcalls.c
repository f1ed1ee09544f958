/*
 * schedcalls CASE: calls the deterministic schedule holds or answers
 * itself, each printing what a program sees, the same natively and
 * under --schedule=deterministic (tests/it/schedcalls.sh).
 *
 *	signalfd	a signalfd read waits for a child's SIGCHLD, then
 *			for a signal the process sends itself
 *	pingpong	two processes pass a byte 200 times over two pipes
 *	eintr		a sleep cut by an alarm: EINTR, the time left
 *	alarm		pause until an alarm; a second alarm during a poll
 *	spawn		posix_spawn (a vfork: the parent waits for the
 *			child's exec) of "echo spawned", then waitpid
 *	condvar		a condition waited for with a timeout, then signalled
 *	requeue		FUTEX_CMP_REQUEUE of two waiters: one woken, one moved
 *	locks		a child holds a flock, then an fcntl lock, 300 ms
 *			each; its parent waits for each (LOCK_EX, F_SETLKW)
 */
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/futex.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static void
on_alarm(int sig)
{
	(void)sig;
}

static int
signalfd_case(void)
{
	struct signalfd_siginfo	 si;
	sigset_t		 m;
	pid_t			 c;
	int			 fd;

	sigemptyset(&m);
	sigaddset(&m, SIGCHLD);
	sigaddset(&m, SIGUSR1);
	sigprocmask(SIG_BLOCK, &m, NULL);
	if ((fd = signalfd(-1, &m, 0)) == -1)
		return 1;
	if ((c = fork()) == 0) {
		usleep(10000);
		_exit(3);
	}
	if (read(fd, &si, sizeof(si)) != sizeof(si))
		return 1;
	printf("signal %u status %d\n", si.ssi_signo, si.ssi_status);
	kill(getpid(), SIGUSR1);
	if (read(fd, &si, sizeof(si)) != sizeof(si))
		return 1;
	printf("signal %u\n", si.ssi_signo);
	return waitpid(c, NULL, 0) != c;
}

static int
pingpong_case(void)
{
	int	 a[2], b[2], i, st;
	char	 c = 'x';
	pid_t	 p;

	if (pipe(a) == -1 || pipe(b) == -1 || (p = fork()) == -1)
		return 1;
	if (p == 0) {
		for (i = 0; i < 200; i++)
			if (read(a[0], &c, 1) != 1 || write(b[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	for (i = 0; i < 200; i++)
		if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1)
			return 1;
	waitpid(p, &st, 0);
	printf("200 round trips, child status %d\n", WEXITSTATUS(st));
	return 0;
}

static int
eintr_case(void)
{
	struct timespec	 req = { 10, 0 }, rem = { 0, 0 };
	int		 r;

	signal(SIGALRM, on_alarm);
	alarm(2);
	r = nanosleep(&req, &rem);
	printf("nanosleep %d %s, %ld s left\n", r, r ? strerror(errno) : "",
	    (long)(rem.tv_sec + (rem.tv_nsec >= 500000000)));
	return 0;
}

static int
alarm_case(void)
{
	struct pollfd	 p;
	int		 fd[2], r;

	signal(SIGALRM, on_alarm);
	alarm(1);
	r = pause();
	printf("pause %d %s\n", r, strerror(errno));
	if (pipe(fd) == -1)
		return 1;
	p.fd = fd[0];
	p.events = POLLIN;
	alarm(1);
	r = poll(&p, 1, 5000);
	printf("poll %d %s\n", r, r < 0 ? strerror(errno) : "");
	return 0;
}

static int
spawn_case(void)
{
	char	*argv[] = { "echo", "spawned", NULL };
	pid_t	 p;
	int	 st;

	if (posix_spawnp(&p, "echo", NULL, NULL, argv, environ) != 0)
		return 1;
	if (waitpid(p, &st, 0) != p)
		return 1;
	printf("child status %d\n", WEXITSTATUS(st));
	return 0;
}

static pthread_mutex_t	 mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 cv = PTHREAD_COND_INITIALIZER;
static int		 ready;

static void *
signaller(void *a)
{
	usleep(300000);
	pthread_mutex_lock(&mu);
	ready = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	return a;
}

static int
condvar_case(void)
{
	struct timespec	 at;
	pthread_t	 t;
	int		 r, timeouts = 0;

	pthread_create(&t, NULL, signaller, NULL);
	pthread_mutex_lock(&mu);
	while (!ready) {
		clock_gettime(CLOCK_REALTIME, &at);
		at.tv_nsec += 100000000;
		if (at.tv_nsec >= 1000000000) {
			at.tv_sec++;
			at.tv_nsec -= 1000000000;
		}
		if ((r = pthread_cond_timedwait(&cv, &mu, &at)) == ETIMEDOUT)
			timeouts++;
	}
	pthread_mutex_unlock(&mu);
	pthread_join(t, NULL);
	printf("signalled after %d timeouts\n", timeouts);
	return 0;
}

static uint32_t	 w1, w2;

static long
futex(uint32_t *w, int op, uint32_t v, void *t, uint32_t *w2p, uint32_t v3)
{
	return syscall(SYS_futex, w, op, v, t, w2p, v3);
}

static void *
waiter(void *a)
{
	futex(&w1, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
	__atomic_add_fetch(&w2, 0, __ATOMIC_SEQ_CST);
	return a;
}

static int
requeue_case(void)
{
	pthread_t	 t[2];
	long		 r;

	pthread_create(&t[0], NULL, waiter, NULL);
	pthread_create(&t[1], NULL, waiter, NULL);
	usleep(100000);		/* both wait */
	r = futex(&w1, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)1L, &w2, 0);
	printf("requeue %ld\n", r);
	usleep(100000);
	r = futex(&w2, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	printf("wake %ld\n", r);
	pthread_join(t[0], NULL);
	pthread_join(t[1], NULL);
	puts("joined");
	return 0;
}

static int
locks_case(void)
{
	struct flock	 fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	char		 path[] = "/tmp/schedcalls.XXXXXX";
	int		 fd, cfd, p[2], st;
	char		 c;
	pid_t		 pid;

	/* flock's locks are a description's: each opens its own. */
	if ((fd = mkstemp(path)) == -1 || (cfd = open(path, O_RDWR)) == -1 ||
	    pipe(p) == -1)
		return 1;
	unlink(path);
	if ((pid = fork()) == 0) {
		close(fd);
		fd = cfd;
		if (flock(fd, LOCK_EX) == -1)
			_exit(1);
		(void)write(p[1], "1", 1);
		usleep(300000);
		puts("child: flock released");
		flock(fd, LOCK_UN);
		if (fcntl(fd, F_SETLKW, &fl) == -1)
			_exit(1);
		(void)write(p[1], "2", 1);
		usleep(300000);
		puts("child: fcntl lock released");
		_exit(0);
	}
	close(cfd);
	if (read(p[0], &c, 1) != 1 || flock(fd, LOCK_EX) == -1)
		return 1;
	puts("parent: flock taken");
	flock(fd, LOCK_UN);
	if (read(p[0], &c, 1) != 1 || fcntl(fd, F_SETLKW, &fl) == -1)
		return 1;
	puts("parent: fcntl lock taken");
	waitpid(pid, &st, 0);
	return WEXITSTATUS(st);
}

int
main(int argc, char *argv[])
{
	static const struct {
		const char	*name;
		int		(*fn)(void);
	} cases[] = {
		{ "signalfd", signalfd_case }, { "pingpong", pingpong_case },
		{ "eintr", eintr_case }, { "alarm", alarm_case },
		{ "spawn", spawn_case }, { "condvar", condvar_case },
		{ "requeue", requeue_case }, { "locks", locks_case },
	};
	size_t	 i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; argc == 2 && i < sizeof(cases) / sizeof(cases[0]); i++)
		if (strcmp(argv[1], cases[i].name) == 0)
			return cases[i].fn();
	fprintf(stderr, "usage: schedcalls case\n");
	return 2;
}
