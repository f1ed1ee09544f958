/*
 * oracle_time: clocks, sleeps and timer descriptors, for
 * tests/it/oracle.sh.  The clock calls go through syscall(): glibc would
 * answer them from the vDSO, which strace never sees and isotrace hides.
 */
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

int
main(void)
{
	struct timespec		 ts, rem;
	struct timeval		 tv;
	struct itimerspec	 its = { { 0, 0 }, { 50, 0 } }, old;
	struct tms		 tms;
	time_t			 t;
	int			 fd;

	syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts);
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
	syscall(SYS_clock_getres, CLOCK_MONOTONIC, &ts);
	syscall(SYS_clock_getres, CLOCK_PROCESS_CPUTIME_ID, &ts);
	syscall(SYS_gettimeofday, &tv, NULL);
	syscall(SYS_time, &t);
	syscall(SYS_time, NULL);
	times(&tms);
	ts = (struct timespec){ 0, 1000 };
	nanosleep(&ts, &rem);
	clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, NULL);
	syscall(SYS_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL);
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	timerfd_settime(fd, 0, &its, &old);
	its.it_value.tv_sec = 0;
	timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL);
	timerfd_gettime(fd, &old);
	close(fd);
	syscall(SYS_clock_gettime, 12345, &ts);
	return 0;
}
