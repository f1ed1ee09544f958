/*
 * Which trace lines are shown: strace's -e status=, -z, -Z, -P PATH and
 * -e signal= (the -e trace= set is decided earlier, by the seccomp
 * filter and the engine).  A call's line is kept or dropped when it is
 * complete, at its exit stop: whether it failed is only known there.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "decode_impl.h"
#include "decode_fdpath.h"
#include "../engine/task.h"

static struct decode_opts	opts;

void
decode_configure(const struct decode_opts *o)
{
	opts = *o;
}

const struct decode_opts *
decode_options(void)
{
	return &opts;
}

int
decode_shows_signal(int sig)
{
	if (sig < 1 || sig > 64)
		return 1;
	return !((opts.do_hidesig >> (sig - 1)) & 1);
}

static int
path_selected(const char *p)
{
	size_t	 i;

	for (i = 0; i < opts.do_npaths; i++)
		if (strcmp(opts.do_paths[i], p) == 0)
			return 1;
	return 0;
}

/*
 * -P: does argument i name a selected path?  A path as the program
 * wrote it, or a descriptor whose /proc link is one (read at entry, so
 * close(3) still sees what 3 was).
 */
static int
arg_touches(struct dctx *c, int i)
{
	const struct argdesc	*a = &c->c_d->s_args[i];
	char			 buf[DEC_PATHMAX];
	int			 fd = (int)c->c_args[i];
	long			 n;

	switch (a->a_kind) {
	case DK_PATH:
		if (c->c_args[i] == 0)
			return 0;
		n = it_mem_read_str(c->c_t, (it_gp_str){ c->c_args[i] }, buf,
		    sizeof(buf));
		return n >= 0 && path_selected(buf);
	case DK_FD:
	case DK_DIRFD:
		if (fd < 0 && !(a->a_kind == DK_DIRFD && fd == AT_FDCWD))
			return 0;
		return fdpath_read(c->c_t->t_tid, fd, buf, sizeof(buf)) == 0 &&
		    path_selected(buf);
	}
	return 0;
}

int
decode_path_hidden(struct dctx *c)
{
	int	 i, n;

	if (opts.do_npaths == 0)
		return 0;
	n = c->c_d->s_name != NULL ? c->c_d->s_nargs : 0;
	for (i = 0; i < n; i++)
		if (arg_touches(c, i))
			return 0;
	return 1;
}

/*
 * -e status=, -z, -Z: is a finished line shown?  Only its exit can tell,
 * so output that prints a call's entry half early ("<unfinished ...>",
 * the live output's splitting) must turn that off while
 * decode_exit_decides() says a filter waits for the exit: this is where
 * its "no early entry" flag is to be honoured.
 */
int
decode_exit_decides(void)
{
	return opts.do_status != 0;
}

int
decode_status_shown(int returned, int detached, long result)
{
	unsigned	 st;

	if (opts.do_status == 0)
		return 1;
	if (detached)
		st = DSTATUS_DETACHED;
	else if (!returned)
		st = DSTATUS_UNFINISHED;
	else if (result < 0 && result >= -4095)
		st = DSTATUS_FAILED;
	else
		st = DSTATUS_SUCCESSFUL;
	return (opts.do_status & st) != 0;
}
