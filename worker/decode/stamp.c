/*
 * Line times (stamp.h).  The time a call takes is measured by the worker
 * between the call's entry stop and its exit stop (CLOCK_MONOTONIC), as
 * strace -T measures it: it includes the two stops, some microseconds,
 * not only the kernel's own time.
 */
#include <stdio.h>
#include <time.h>

#include "decode.h"
#include "stamp.h"
#include "../engine/task.h"

static enum stamp_clock	 clock_kind;
static int		 show_spent;
static int		 want_wall;	/* --json: every line has its time */

void
stamp_configure(enum stamp_clock c, int spent)
{
	clock_kind = c;
	show_spent = spent;
	if (c != STAMP_NONE)
		tzset();	/* before the first line, not within it */
}

void
stamp_want_wall(void)
{
	want_wall = 1;
}

uint64_t
stamp_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

uint64_t
stamp_prefix(struct sbuf *sb)
{
	struct timespec	 ts;
	struct tm	 tm;
	char		 hms[16];
	uint64_t	 wall;

	if (clock_kind == STAMP_NONE && !want_wall)
		return 0;
	clock_gettime(CLOCK_REALTIME, &ts);
	wall = (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
	switch (clock_kind) {
	case STAMP_NONE:
		break;
	case STAMP_EPOCH:
		sbuf_printf(sb, "%lld.%06ld ", (long long)ts.tv_sec,
		    ts.tv_nsec / 1000);
		break;
	default:
		localtime_r(&ts.tv_sec, &tm);
		strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
		if (clock_kind == STAMP_MICRO)
			sbuf_printf(sb, "%s.%06ld ", hms, ts.tv_nsec / 1000);
		else
			sbuf_printf(sb, "%s ", hms);
		break;
	}
	return wall;
}

void
stamp_suffix(struct sbuf *sb, const struct it_task *t)
{
	if (!show_spent)
		return;
	sbuf_printf(sb, " <%llu.%06llu>",
	    (unsigned long long)(t->t_spent / 1000000000),
	    (unsigned long long)(t->t_spent % 1000000000 / 1000));
}
