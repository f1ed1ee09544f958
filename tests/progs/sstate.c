/*
 * sstate: a parent that wakes its child through a shared futex once the
 * child shows as asleep (state S in /proc/PID/stat), without changing
 * the futex word, and prints how many waiters the wake found:
 *	woken: 1
 * Natively the child is asleep only in its futex wait, so the wake finds
 * it.  A child parked asleep by a tracer looks asleep before it reaches
 * its wait: the wake finds nobody ("woken: 0") and is lost.
 */
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/futex.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static char
state(pid_t pid)
{
	char	 path[64], buf[512], *p;
	FILE	*f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((f = fopen(path, "r")) == NULL)
		return '?';
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	if (p == NULL || (p = strrchr(buf, ')')) == NULL)
		return '?';
	return p[2];
}

int
main(void)
{
	struct timespec	 ms = { 0, 1000000 };
	int		*word;
	long		 n = -1;
	pid_t		 pid;
	int		 i;

	word = mmap(NULL, sizeof(*word), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (word == MAP_FAILED)
		return 1;
	*word = 0;
	if ((pid = fork()) == 0) {
		syscall(SYS_futex, word, FUTEX_WAIT, 0, NULL, NULL, 0);
		_exit(0);
	}
	for (i = 0; i < 700 && n < 1; i++) {
		if (state(pid) == 'S')
			n = syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL,
			    NULL, 0);
		if (n < 1)
			nanosleep(&ms, NULL);
		if (n == 0)
			break;
	}
	printf("woken: %ld\n", n);
	/* Whatever happened, the child must end. */
	*word = 1;
	syscall(SYS_futex, word, FUTEX_WAKE, 1, NULL, NULL, 0);
	waitpid(pid, NULL, 0);
	return 0;
}
