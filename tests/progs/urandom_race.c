/*
 * urandom_race: the main thread and three others keep opening
 * /dev/urandom (under --sandbox each open is an injection in the tracer)
 * while a fifth thread exits the whole process.  The tracer must see the
 * process end, not hang waiting for a leader that died in the middle of an
 * injection.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static void *
opener(void *arg)
{
	int	 fd;

	(void)arg;
	for (;;)
		if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) >= 0)
			close(fd);
	return NULL;
}

static long	 spins = 2000000;

static void *
exiter(void *arg)
{
	volatile long	 spin;

	(void)arg;
	for (spin = 0; spin < spins; spin++)
		;
	printf("exiting\n");
	fflush(stdout);
	exit(0);
}

int
main(int argc, char *argv[])
{
	pthread_t	 t;
	int		 i;

	if (argc > 1)
		spins = atol(argv[1]);
	for (i = 0; i < 3; i++)
		if (pthread_create(&t, NULL, opener, NULL) != 0)
			return 1;
	if (pthread_create(&t, NULL, exiter, NULL) != 0)
		return 1;
	opener(NULL);
	return 1;
}
