/*
 * Absolute timerfd deadlines.  A program computes an absolute deadline
 * from the clock it reads, the virtual one: handed to the kernel as it is
 * (a time near the epoch, or 100 s after a virtual boot), it is long past
 * on the host's clock and the timer fires at once.  The deadline is moved
 * to the host's clock at the same distance from now, so the timer fires
 * after as long as the program asked.  (As every timer, it then fires in
 * real time: see the man page's CAVEATS.)
 */
#include <sys/timerfd.h>
#include <stdio.h>
#include <time.h>

#include "sandbox.h"

#define NS	1000000000ULL

/* The clock timerfd fd was made with, from its fdinfo; -1 if unknown. */
static int
fd_clock(pid_t tid, int fd)
{
	char	 path[64], line[128];
	FILE	*f;
	int	 clk = -1;

	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)tid, fd);
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "clockid: %d", &clk) == 1)
			break;
	fclose(f);
	return clk;
}

static long
sb_timerfd_settime(struct it_task *t, int fd, unsigned int flags,
    it_gp_itimerspec new_value, it_gp_itimerspec old_value)
{
	struct itimerspec	 its;
	struct timespec		 real;
	uint64_t		 now, at, left, host;
	it_gp_itimerspec	 moved;
	int			 clk;

	(void)old_value;
	/* Anything the kernel would refuse, or disarm, goes to it as is. */
	if (!(flags & TFD_TIMER_ABSTIME) ||
	    it_read_itimerspec(t, new_value, &its) < 0 ||
	    its.it_value.tv_sec < 0 || its.it_value.tv_nsec < 0 ||
	    its.it_value.tv_nsec >= (long)NS ||
	    (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0) ||
	    (clk = fd_clock(it_task_tid(t), fd)) < 0 ||
	    sandbox_clock(clk, &now) < 0 || clock_gettime(clk, &real) == -1)
		return IT_RUN_ORIGINAL;
	at = (uint64_t)its.it_value.tv_sec * NS + (uint64_t)its.it_value.tv_nsec;
	left = at > now ? at - now : 1;		/* past: at once, as asked */
	host = (uint64_t)real.tv_sec * NS + (uint64_t)real.tv_nsec + left;
	its.it_value.tv_sec = (time_t)(host / NS);
	its.it_value.tv_nsec = (long)(host % NS);
	if ((moved.addr = it_task_scratch(t, sizeof(its))) == 0 ||
	    it_write_itimerspec(t, moved, &its) < 0)
		return IT_RUN_ORIGINAL;
	it_task_set_arg(t, 2, moved.addr);
	return IT_RUN_ORIGINAL;
}

const struct it_table sandbox_timerfd = {
	.timerfd_settime = sb_timerfd_settime,
};
