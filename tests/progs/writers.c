/*
 * writers: writers [T [N]]	T threads (default 4) each write 64 bytes of
 * 'x' to /dev/null N times (default 1000); prints "done", or what went
 * wrong.  With -v, the trace has exactly T*N such write lines.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int fd;
static long n = 1000;
static char buf[64];

static void *
writer(void *arg)
{
	(void)arg;
	for (long i = 0; i < n; i++)
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			return (void *)1;
	return NULL;
}

int
main(int argc, char **argv)
{
	long t = argc > 1 ? atol(argv[1]) : 4;
	pthread_t th[256];
	int bad = 0;

	if (argc > 2)
		n = atol(argv[2]);
	if (t < 1 || t > 256 || n < 0) {
		fprintf(stderr, "usage: writers [T(1-256) [N]]\n");
		return 2;
	}
	memset(buf, 'x', sizeof(buf));
	fd = open("/dev/null", O_WRONLY);
	if (fd < 0) {
		perror("writers: /dev/null");
		return 2;
	}
	for (long i = 0; i < t; i++)
		if (pthread_create(&th[i], NULL, writer, NULL) != 0) {
			perror("writers: pthread_create");
			return 2;
		}
	for (long i = 0; i < t; i++) {
		void *r;

		pthread_join(th[i], &r);
		bad |= r != NULL;
	}
	printf(bad ? "short write\n" : "done\n");
	return bad;
}
