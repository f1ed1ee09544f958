/*
 * forkcount: a layer of lifecycle hooks only, built as a third party
 * builds a tool (the installed headers and library, nothing else).  It
 * handles no call and traps nothing: each process it sees created and
 * each execve it sees succeed is one line appended to $FORKCOUNT_LOG
 * ("fork PID" or "exec PID"), written by whichever worker sees it.
 * The per-process state counts the process's own forks, carried from
 * worker to worker: each "fork" line also says the creator's count so
 * far, which only a state that moved with the child can know.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <isotrace/isotrace.h>

struct fc_state {
	unsigned	fc_forks;	/* this process's children so far */
	unsigned	fc_depth;	/* generations below the command */
};

static const struct it_layer	forkcount;

static void
fc_log(const char *what, pid_t pid, unsigned a, unsigned b)
{
	const char	*path = getenv("FORKCOUNT_LOG");
	char		 line[96];
	int		 fd, n;

	if (path == NULL)
		return;
	n = snprintf(line, sizeof(line), "%s %d %u %u\n", what, (int)pid, a,
	    b);
	/* O_APPEND: workers of the run write at once, a line each. */
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0644)) == -1)
		return;
	(void)write(fd, line, (size_t)n);
	close(fd);
}

static void
fc_fork(struct it_task *child, void *state)
{
	struct fc_state	*parent = it_layer_state(&forkcount);
	struct fc_state	*c = state;

	parent->fc_forks++;
	c->fc_forks = 0;
	c->fc_depth = parent->fc_depth + 1;
	fc_log("fork", it_task_pid(child), c->fc_depth, parent->fc_forks);
}

static int
fc_exec(struct it_task *t, unsigned char random16[16])
{
	struct fc_state	*s = it_layer_state(&forkcount);

	(void)random16;
	fc_log("exec", it_task_pid(t), s->fc_depth, s->fc_forks);
	return 0;
}

static const struct it_layer	forkcount = {
	.l_name = "forkcount",
	.l_statesize = sizeof(struct fc_state),
	.l_fork = fc_fork,
	.l_exec = fc_exec,
};

int
main(int argc, char *argv[])
{
	return it_main_layer(argc, argv, &forkcount);
}
