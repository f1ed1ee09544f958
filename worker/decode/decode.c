/*
 * --verbose: one line per syscall, "[pid N] name(args) = result", in
 * strace's notation.  Arguments the kernel reads are printed at entry
 * (execve's strings would be gone at exit), those it writes at exit.
 * Each argument is rendered by decode_arg() alone: by its kind from
 * syscalls.def (decode_prim.c), through a struct printer (decode_struct.c
 * and friends), or by a per-call rule where one argument gives another its
 * meaning (decode_special.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "decode_impl.h"
#include "decode_fdpath.h"
#include "output.h"
#include "stamp.h"
#include "../engine/task.h"

#define LINEMAX		(4 * DEC_PATHMAX)
#define TAILROOM	512	/* kept for ") = result" of a long line */

/* The kernel's restart codes, which strerror() does not know. */
static const struct {
	int		 r_errno;
	const char	*r_text;
} restarts[] = {
	{ 512, "To be restarted if SA_RESTART is set" },
	{ 513, "To be restarted" },
	{ 514, "To be restarted if no handler" },
	{ 516, "Interrupted by signal" },
};

const char *
decode_errno_name(int e)
{
	return xlat_name(it_xlat_errno, (uint64_t)e);
}

void
decode_result(struct sbuf *sb, const struct argdesc *ret, long r)
{
	const char	*name;
	size_t		 i;

	if (r < 0 && r >= -4095) {
		if ((name = decode_errno_name((int)-r)) == NULL) {
			sbuf_printf(sb, "-1 E%ld (Unknown error %ld)", -r, -r);
			return;
		}
		for (i = 0; i < sizeof(restarts) / sizeof(restarts[0]); i++)
			if (restarts[i].r_errno == -r) {
				sbuf_printf(sb, "? %s (%s)", name,
				    restarts[i].r_text);
				return;
			}
		sbuf_printf(sb, "-1 %s (%s)", name, strerror((int)-r));
		return;
	}
	switch (ret->a_kind) {
	case DK_ADDR:
	case DK_HEX:
	case DK_PTR:
		sbuf_printf(sb, "%#lx", r);
		break;
	case DK_MODE:
		dput_mode(sb, (unsigned)r);
		break;
	case DK_UID:
	case DK_GID:
		sbuf_printf(sb, "%u", (unsigned)r);
		break;
	default:
		sbuf_printf(sb, "%ld", r);
		break;
	}
}

static const struct sysdesc *
desc(long nr)
{
	static const struct sysdesc unknown = { NULL, 6, { DK_LONG, 0, NULL },
	    { { DK_HEX, 0, NULL }, { DK_HEX, 0, NULL }, { DK_HEX, 0, NULL },
	      { DK_HEX, 0, NULL }, { DK_HEX, 0, NULL }, { DK_HEX, 0, NULL } } };

	if (nr >= 0 && nr < IT_NR_MAX && sysdescs[nr].s_name != NULL)
		return &sysdescs[nr];
	return &unknown;
}

static const struct dspecial *
special(const struct dctx *c)
{
	return c->c_d->s_name != NULL ? decode_special(c->c_nr) : NULL;
}

void
decode_arg(struct dctx *c, int i)
{
	const struct dspecial	*sp = special(c);

	if (i < 0 || i >= 6)
		return;
	if (sp != NULL && sp->ds_arg != NULL && sp->ds_arg(c, i))
		return;
	decode_arg_kind(c, &c->c_d->s_args[i], i);
}

void
decode_retval(struct dctx *c)
{
	const struct dspecial	*sp = special(c);
	long			 r = c->c_result;

	if ((r >= 0 || r < -4095) && sp != NULL && sp->ds_result != NULL)
		sp->ds_result(c);
	else {
		decode_result(c->c_sb, &c->c_d->s_ret, r);
		/* -y: a new descriptor's path, as strace shows it. */
		if (c->c_d->s_ret.a_kind == DK_FD && r >= 0 && r <= INT32_MAX)
			fdpath_put(c, (int)r);
	}
}

int
decode_nargs(const struct dctx *c)
{
	const struct dspecial	*sp = special(c);
	int			 n;

	if (sp != NULL && sp->ds_nargs != NULL) {
		n = sp->ds_nargs(c);
		return n < 0 ? 0 : n > 6 ? 6 : n;
	}
	return c->c_d->s_nargs;
}

/* Does the kernel write through argument i (so print it at exit)? */
static int
is_output(const struct argdesc *a)
{
	return a->a_kind == DK_OBUF || a->a_kind == DK_OUT ||
	    (a->a_kind == DK_INOUT && dstruct_at_exit(a->a_param));
}

int
decode_first_output(const struct dctx *c)
{
	const struct dspecial	*sp = special(c);
	int			 i, n = decode_nargs(c);

	if (sp != NULL && sp->ds_first_out != NULL) {
		i = sp->ds_first_out(c);
		return i < 0 ? 0 : i > n ? n : i;
	}
	for (i = 0; i < n; i++)
		if (is_output(&c->c_d->s_args[i]))
			break;
	return i;
}

static struct sbuf
line_buf(struct it_task *t)
{
	if (t->t_line == NULL && (t->t_line = malloc(LINEMAX)) == NULL)
		abort();
	return (struct sbuf){ t->t_line, t->t_linelen, LINEMAX - TAILROOM };
}

/* Arguments stop at LINEMAX - TAILROOM; the result always fits after. */
static void
close_args(struct sbuf *sb)
{
	if (sb->sb_len + 1 >= sb->sb_cap) {
		sb->sb_cap = LINEMAX;
		sbuf_puts(sb, "...");
	}
	sb->sb_cap = LINEMAX;
	sbuf_puts(sb, ") = ");
}

static void
print_args(struct dctx *c, int from, int to)
{
	int	 i;

	for (i = from; i < to; i++) {
		if (i)
			sbuf_puts(c->c_sb, ", ");
		c->c_t->t_span[i][0] = (uint16_t)c->c_sb->sb_len;
		decode_arg(c, i);
		c->c_t->t_span[i][1] = (uint16_t)(c->c_sb->sb_len -
		    c->c_t->t_span[i][0]);
	}
}

/*
 * Through the trace ring a call goes out as its entry half, then its
 * whole line with the head of its resumed form: the supervisor prints the
 * whole line when nothing came between, else "[pid N] read(3,
 * <unfinished ...>" and later "[pid N] <... read resumed>...", as strace.
 * With -t the resumed half has the time of the exit.
 */
/* Bytes appended without printf: these run at every call. */
static void
put_bytes(struct sbuf *sb, const char *s, size_t len)
{
	if (sb->sb_len + len < sb->sb_cap) {
		memcpy(sb->sb_buf + sb->sb_len, s, len);
		sb->sb_len += len;
	}
}

/* The tid of a line's "[pid N] " prefix. */
static pid_t
line_tid(const char *line)
{
	return (pid_t)strtol(line + 5, NULL, 10);
}

static void
write_line(const struct decode_event *ev)
{
	char		 buf[256];
	struct sbuf	 sb = { buf, 0, sizeof(buf) };
	const char	*end;

	if (!output_live() || ev->de_exit_off == 0 ||
	    (end = memchr(ev->de_line, ']', ev->de_len)) == NULL) {
		output_line(ev->de_line, ev->de_len);
		return;
	}
	/* "[pid N] ", the time of the exit (-t), "<... name resumed>".  The
	 * entry's prefix, unless an exec changed the thread's tid since. */
	if (line_tid(ev->de_line) == ev->de_tid)
		put_bytes(&sb, ev->de_line, (size_t)(end - ev->de_line) + 2);
	else
		sbuf_printf(&sb, "[pid %d] ", (int)ev->de_tid);
	(void)stamp_prefix(&sb);
	put_bytes(&sb, "<... ", 5);
	put_bytes(&sb, ev->de_line + ev->de_call.ds_off, ev->de_call.ds_len);
	put_bytes(&sb, " resumed>", 9);
	output_exit(ev->de_tid, ev->de_line, ev->de_len, ev->de_exit_off,
	    sb.sb_buf, sb.sb_len);
}

static void	(*sink)(const struct decode_event *) = write_line;

void
decode_set_sink(void (*fn)(const struct decode_event *))
{
	sink = fn != NULL ? fn : write_line;
}

/* An in-out length (socklen_t) is shown at exit as "[in => out]": keep
 * what the caller put there. */
static void
save_lengths(struct dctx *c)
{
	int	 i;

	c->c_t->t_dsave = 0;
	for (i = 0; i < c->c_d->s_nargs; i++)
		if (c->c_d->s_args[i].a_kind == DK_INOUT &&
		    c->c_d->s_args[i].a_param == IT_S_socklen &&
		    c->c_args[i] != 0 &&
		    it_mem_read(c->c_t, c->c_args[i], &c->c_t->t_dsave,
		    sizeof(c->c_t->t_dsave)) < 0)
			c->c_t->t_dsave = 0;
}

void
decode_entry(struct it_task *t, long nr, const uint64_t *args, int i386)
{
	struct sbuf	 sb;
	struct dctx	 c = { &sb, t, NULL, nr, args, 0, 0 };
	int		 first;

	c.c_d = desc(i386 ? -1 : nr);
	t->t_linelen = 0;
	sb = line_buf(t);
	sbuf_printf(&sb, "[pid %d] ", (int)t->t_tid);
	t->t_when = stamp_prefix(&sb);
	t->t_span[6][0] = (uint16_t)sb.sb_len;
	if (c.c_d->s_name != NULL)
		sbuf_printf(&sb, "%s(", c.c_d->s_name);
	else
		sbuf_printf(&sb, "syscall_%s%#lx(", i386 ? "i386_" : "",
		    (unsigned long)nr);
	t->t_span[6][1] = (uint16_t)(sb.sb_len - 1 - t->t_span[6][0]);
	first = decode_first_output(&c);
	print_args(&c, 0, first);
	save_lengths(&c);
	t->t_linelen = sb.sb_len;
	/* -P: decided at entry, while the descriptors are what they were. */
	if (decode_path_hidden(&c))
		t->t_flags |= T_HIDDEN;
	else
		t->t_flags &= ~T_HIDDEN;
	if (output_live() && sink == write_line &&
	    !(t->t_flags & T_HIDDEN)) {
		/* strace's split: the separator before the first argument
		 * printed at exit ends the entry's half. */
		if (first > 0 && first < decode_nargs(&c))
			put_bytes(&sb, ", ", 2);
		output_entry(t->t_tid, sb.sb_buf, sb.sb_len);
	}
	t->t_flags |= T_LINE;
	if (i386)
		t->t_flags |= T_LINE386;
	else
		t->t_flags &= ~T_LINE386;
}

/* The result is ret_len bytes at ret_off; the arguments' spans are in t. */
static void
emit_line(struct it_task *t, struct dctx *c, size_t exit_off, size_t ret_off,
    size_t ret_len, int returned)
{
	struct sbuf		*sb = c->c_sb;
	struct decode_event	 ev;
	int			 i;

	if ((t->t_flags & T_HIDDEN) || !decode_status_shown(returned,
	    (t->t_flags & T_DETACHING) != 0, c->c_result)) {
		t->t_linelen = 0;
		t->t_flags &= ~(T_LINE | T_LINE386 | T_HIDDEN);
		return;
	}

	if (sb->sb_len + 1 >= sb->sb_cap)
		sb->sb_len = sb->sb_cap - 2;
	memset(&ev, 0, sizeof(ev));
	ev.de_tid = t->t_tid;
	ev.de_tgid = t->t_tgid;
	ev.de_nr = c->c_d->s_name != NULL ? c->c_nr : -1;
	ev.de_sysno = c->c_nr;
	ev.de_name = c->c_d->s_name;
	ev.de_call.ds_off = t->t_span[6][0];
	ev.de_call.ds_len = t->t_span[6][1];
	ev.de_nargs = decode_nargs(c);
	for (i = 0; i < ev.de_nargs; i++) {
		ev.de_args[i].ds_name = c->c_d->s_args[i].a_name;
		ev.de_args[i].ds_off = t->t_span[i][0];
		ev.de_args[i].ds_len = t->t_span[i][1];
	}
	ev.de_ret.ds_off = ret_off;
	ev.de_ret.ds_len = ret_len;
	ev.de_result = c->c_result;
	ev.de_returned = returned;
	ev.de_when = t->t_when;
	ev.de_spent = returned ? t->t_spent : 0;
	sb->sb_buf[sb->sb_len++] = '\n';
	ev.de_line = sb->sb_buf;
	ev.de_len = sb->sb_len;
	ev.de_exit_off = exit_off;
	sink(&ev);
	t->t_linelen = 0;
	t->t_flags &= ~(T_LINE | T_LINE386);
}

void
decode_exit(struct it_task *t, long nr, const uint64_t *args, long result)
{
	struct sbuf	 sb;
	struct dctx	 c = { &sb, t, NULL, nr, args, 0, 0 };
	size_t		 ret_off, ret_len, exit_off;
	int		 from, to;

	if (!(t->t_flags & T_LINE))
		return;
	c.c_d = desc(t->t_flags & T_LINE386 ? -1 : nr);
	sb = line_buf(t);
	exit_off = sb.sb_len;
	/* Which arguments came at entry is decided from the entry's view. */
	from = decode_first_output(&c);
	to = decode_nargs(&c);
	c.c_result = result;
	c.c_exiting = 1;
	print_args(&c, from, to);
	close_args(&sb);
	ret_off = sb.sb_len;
	decode_retval(&c);
	ret_len = sb.sb_len - ret_off;
	stamp_suffix(&sb, t);		/* -T: after the result, not in it */
	emit_line(t, &c, exit_off, ret_off, ret_len, 1);
}

void
decode_noreturn(struct it_task *t)
{
	struct sbuf	 sb;
	struct dctx	 c = { &sb, t, NULL, t->t_nr, t->t_args, 0, 0 };
	size_t		 exit_off;
	int		 from, to;

	if (!(t->t_flags & T_LINE))
		return;
	c.c_d = desc(t->t_flags & T_LINE386 ? -1 : t->t_nr);
	sb = line_buf(t);
	exit_off = sb.sb_len;
	from = decode_first_output(&c);
	to = decode_nargs(&c);
	/* Arguments the call would have filled: their addresses. */
	c.c_result = -EINTR;
	c.c_exiting = 1;
	print_args(&c, from, to);
	close_args(&sb);
	sbuf_puts(&sb, "?");
	emit_line(t, &c, exit_off, sb.sb_len - 1, 1, 0);
}

/* -p: a call still in progress when its thread is detached. */
void
decode_detached(struct it_task *t)
{
	struct sbuf	 sb;
	struct dctx	 c = { &sb, t, NULL, t->t_nr, t->t_args, 0, 0 };
	size_t		 exit_off;

	if (!(t->t_flags & T_LINE))
		return;
	c.c_d = desc(t->t_flags & T_LINE386 ? -1 : t->t_nr);
	sb = line_buf(t);
	sb.sb_cap = LINEMAX;
	c.c_result = -EINTR;
	t->t_flags |= T_DETACHING;
	exit_off = sb.sb_len;
	sbuf_puts(&sb, " <detached ...>");
	emit_line(t, &c, exit_off, sb.sb_len, 0, 0);
	t->t_flags &= ~T_DETACHING;
}
