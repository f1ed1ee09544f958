/*
 * scratchreuse: a process whose worker traced another process before
 * must not have its memory written by the sandbox.  Child A's thread
 * makes a timed wait (the sandbox writes its deadline to scratch memory
 * of its own), then A ends; child B, likely traced by A's worker, maps a
 * region where A's scratch was (no ASLR: the same layout), and its
 * thread makes the same wait.  B's region must read back unchanged.
 */
#include <sys/mman.h>
#include <sys/wait.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define REGION	(64 * 1024)

static pthread_mutex_t	 m = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 c = PTHREAD_COND_INITIALIZER;

static void *
timedwait(void *arg)
{
	struct timespec	 ts;

	(void)arg;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&m);
	while (pthread_cond_timedwait(&c, &m, &ts) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&m);
	return NULL;
}

static int
child(int check)
{
	pthread_t	 t;
	unsigned char	*p;
	size_t		 i, bad = 0;

	if (pthread_create(&t, NULL, timedwait, NULL) != 0)
		return 2;
	pthread_join(t, NULL);
	if (!check)
		return 0;
	/* Where the first thread's stack and scratch were. */
	p = mmap(NULL, REGION, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 2;
	memset(p, 0xa5, REGION);
	if (pthread_create(&t, NULL, timedwait, NULL) != 0)
		return 2;
	pthread_join(t, NULL);
	for (i = 0; i < REGION; i++)
		if (p[i] != 0xa5)
			bad++;
	printf("changed bytes %zu\n", bad);
	fflush(stdout);
	return bad != 0;
}

int
main(int argc, char *argv[])
{
	int	 i, n = argc > 1 ? atoi(argv[1]) : 5, st, worst = 0;
	pid_t	 pid;

	for (i = 0; i < n; i++) {
		fflush(stdout);
		if ((pid = fork()) == -1)
			return 2;
		if (pid == 0)
			_exit(child(i % 2));
		if (waitpid(pid, &st, 0) == -1 || !WIFEXITED(st))
			return 2;
		if (WEXITSTATUS(st) > worst)
			worst = WEXITSTATUS(st);
	}
	return worst;
}
