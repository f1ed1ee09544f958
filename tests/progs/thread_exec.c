/*
 * thread_exec: execve() from a thread that is not the thread-group leader.
 *
 * The main thread prints "before exec" and blocks in pthread_join(); a
 * second thread sleeps 20 ms (so the leader is surely blocked) and
 * execs /proc/self/exe with "--after PID".  The new image checks that it
 * kept the pid and is single-threaded, then prints "exec from thread ok".
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static char pidbuf[32];

static void *
execer(void *arg)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	char *args[] = { arg, "--after", pidbuf, NULL };

	nanosleep(&ts, NULL);
	execve("/proc/self/exe", args, environ);
	perror("thread_exec: execve");
	_exit(2);
}

static int
thread_count(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	int n = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Threads: %d", &n) == 1)
			break;
	fclose(f);
	return n;
}

int
main(int argc, char **argv)
{
	pthread_t t;

	if (argc == 3 && strcmp(argv[1], "--after") == 0) {
		printf("pid preserved: %s\n",
		    atol(argv[2]) == (long)getpid() ? "yes" : "no");
		printf("threads after exec: %d\n", thread_count());
		printf("exec from thread ok\n");
		return 0;
	}
	snprintf(pidbuf, sizeof(pidbuf), "%ld", (long)getpid());
	printf("before exec\n");
	fflush(stdout);
	if (pthread_create(&t, NULL, execer, argv[0]) != 0) {
		perror("thread_exec: pthread_create");
		return 2;
	}
	pthread_join(t, NULL);
	printf("pthread_join returned: exec did not replace the process\n");
	return 1;
}
