/*
 * What the run's workers share: tables the supervisor maps before it
 * forks any worker (pstart.c, runwaits.c, uts.c, sched.c), and the test by which
 * a worker tells that a process that left an entry in one is gone.
 */
#include <sys/mman.h>
#include <errno.h>
#include <signal.h>

#include "../../common/log.h"
#include "shared.h"

/* len bytes of zeroes, shared with every worker forked after the call. */
void *
shared_map(size_t len)
{
	void	*p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED)
		fatal("mmap");
	return p;
}

/* Is process pid gone (its number free for another)? */
int
shared_gone(pid_t pid)
{
	return pid > 0 && kill(pid, 0) == -1 && errno == ESRCH;
}
