/*
 * threadjoin: twenty no-op threads, each created and joined in turn.  A
 * thread that exits before its creator's pthread_create has returned
 * clears its tid word (CLONE_CHILD_CLEARTID) early; pthread_join must
 * still return.
 */
#include <pthread.h>
#include <stdio.h>

static void *
noop(void *arg)
{
	return arg;
}

int
main(void)
{
	pthread_t	 th;
	int		 i;

	for (i = 0; i < 20; i++) {
		if (pthread_create(&th, NULL, noop, NULL) != 0 ||
		    pthread_join(th, NULL) != 0)
			return 1;
	}
	puts("joined 20");
	return 0;
}
