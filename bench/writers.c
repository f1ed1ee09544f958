/*
 * Multi-threaded syscall workload: T threads (default 4), each opening
 * /dev/null and writing N 64-byte blocks to it (default 50000).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK	64
#define MAXTHR	64

static long nwrites = 50000;

static void *
writer(void *arg)
{
	char buf[BLOCK];
	long i;
	int fd;

	memset(buf, 'a' + (int)(long)arg, sizeof(buf));
	if ((fd = open("/dev/null", O_WRONLY | O_CLOEXEC)) == -1) {
		perror("writers: /dev/null");
		return (void *)1;
	}
	for (i = 0; i < nwrites; i++) {
		ssize_t n = write(fd, buf, sizeof(buf));

		if (n == -1 && errno == EINTR) {
			i--;
			continue;
		}
		if (n != (ssize_t)sizeof(buf)) {
			perror("writers: write");
			close(fd);
			return (void *)1;
		}
	}
	close(fd);
	return NULL;
}

int
main(int argc, char *argv[])
{
	pthread_t tid[MAXTHR];
	long i, nthreads = 4;
	int rc = 0, err;

	if (argc > 1)
		nthreads = strtol(argv[1], NULL, 10);
	if (argc > 2)
		nwrites = strtol(argv[2], NULL, 10);
	if (nthreads < 1 || nthreads > MAXTHR || nwrites < 0) {
		fprintf(stderr, "usage: writers [threads [writes]]\n");
		return 2;
	}
	for (i = 0; i < nthreads; i++) {
		if ((err = pthread_create(&tid[i], NULL, writer,
		    (void *)i)) != 0) {
			fprintf(stderr, "writers: pthread_create: %s\n",
			    strerror(err));
			return 1;
		}
	}
	for (i = 0; i < nthreads; i++) {
		void *ret;

		pthread_join(tid[i], &ret);
		if (ret != NULL)
			rc = 1;
	}
	return rc;
}
