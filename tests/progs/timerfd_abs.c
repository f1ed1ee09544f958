/*
 * timerfd_abs: a timerfd armed for an absolute time 0.2 s ahead of the
 * clock the program reads (CLOCK_MONOTONIC, then CLOCK_REALTIME).  Prints
 * whether the timer is still armed for about that long, and how many
 * times it fired when read: the same natively and in the sandbox.
 */
#include <sys/timerfd.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static void
one(int clk, const char *name)
{
	struct itimerspec	 its = { { 0, 0 }, { 0, 0 } }, cur;
	struct timespec		 now;
	uint64_t		 n = 0;
	double			 left;
	int			 fd;

	if ((fd = timerfd_create(clk, 0)) == -1 ||
	    clock_gettime(clk, &now) == -1) {
		perror(name);
		return;
	}
	its.it_value = now;
	its.it_value.tv_nsec += 200000000;
	if (its.it_value.tv_nsec >= 1000000000) {
		its.it_value.tv_sec++;
		its.it_value.tv_nsec -= 1000000000;
	}
	if (timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL) == -1 ||
	    timerfd_gettime(fd, &cur) == -1) {
		perror(name);
		return;
	}
	left = cur.it_value.tv_sec + cur.it_value.tv_nsec / 1e9;
	printf("%s armed %s\n", name, left > 0.1 && left <= 0.2 ? "yes" : "no");
	if (read(fd, &n, sizeof(n)) != sizeof(n))
		perror("read");
	printf("%s fired %llu\n", name, (unsigned long long)n);
	close(fd);
}

int
main(void)
{
	one(CLOCK_MONOTONIC, "monotonic");
	one(CLOCK_REALTIME, "realtime");
	return 0;
}
