/*
 * The threads in a real yield of a sleep (deadline.c, quiesce.c).  Each
 * comes back to a call boundary of its own, where the clock moves and a
 * timer that is due fires, at a point of the program that does not
 * depend on the host: while one is yielding, timerwait.c's real-time
 * backstop stays unarmed, or a yield that a loaded host runs late would
 * see the timer fire inside it instead (a 2 ms yield that lasts the 10 ms
 * left to an interval timer).
 */
#include "../engine/task.h"
#include "sandbox.h"

#define YIELDS_MAX	64

struct yielding {
	pid_t		 y_tid;
	it_exit_fn	 y_fn;		/* the yield's own exit */
	void		*y_arg;
};
static struct yielding	 yields[YIELDS_MAX];

static long
yield_over(struct it_task *t, long r, void *arg)
{
	struct yielding	*y = arg, was = *y;

	y->y_tid = 0;
	return was.y_fn(t, r, was.y_arg);
}

void
yielding_on_exit(struct it_task *t, it_exit_fn fn, void *arg)
{
	struct yielding	*y, *slot = NULL;

	for (y = yields; y < yields + YIELDS_MAX; y++)
		if (y->y_tid == it_task_tid(t) || (slot == NULL &&
		    y->y_tid == 0))
			slot = y;
	if (slot == NULL) {		/* the backstop may fire: as before */
		it_task_on_exit(t, fn, arg);
		return;
	}
	*slot = (struct yielding){ it_task_tid(t), fn, arg };
	it_task_on_exit(t, yield_over, slot);
}

int
yielding_any(void)
{
	const struct yielding	*y;

	for (y = yields; y < yields + YIELDS_MAX; y++)
		if (y->y_tid != 0)
			return 1;
	return 0;
}

/* A thread killed in its yield never comes to the exit. */
void
yielding_gone(struct it_task *t)
{
	struct yielding	*y;

	for (y = yields; y < yields + YIELDS_MAX; y++)
		if (y->y_tid == it_task_tid(t))
			y->y_tid = 0;
}
