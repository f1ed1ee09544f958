/*
 * --verbose: one line per syscall, "[pid N] name(args) = result", printed
 * by argument kind (see decode.h).  Arguments the kernel reads are printed
 * at entry (execve's strings would be gone at exit), those it writes at
 * exit, as strace does.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/xlat.h"
#include "decode.h"
#include "output.h"
#include "stamp.h"
#include "task.h"

#define STRMAX		32	/* bytes of a string or buffer shown */
#define STRVMAX		32	/* elements of an argv shown */
#define LINEMAX		4096

void
sbuf_printf(struct sbuf *sb, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (sb->sb_len >= sb->sb_cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(sb->sb_buf + sb->sb_len, sb->sb_cap - sb->sb_len, fmt,
	    ap);
	va_end(ap);
	if (n > 0)
		sb->sb_len += (size_t)n;
	if (sb->sb_len > sb->sb_cap)
		sb->sb_len = sb->sb_cap;
}

static void
sbuf_putc(struct sbuf *sb, char c)
{
	if (sb->sb_len + 1 < sb->sb_cap) {
		sb->sb_buf[sb->sb_len++] = c;
		sb->sb_buf[sb->sb_len] = '\0';
	}
}

/* C-style quoting; at most max bytes, then "..." if more existed. */
void
sbuf_quote(struct sbuf *sb, const unsigned char *s, size_t len, size_t max,
    int complete)
{
	size_t	 i;

	sbuf_putc(sb, '"');
	for (i = 0; i < len && i < max; i++) {
		unsigned char c = s[i];

		switch (c) {
		case '"':  sbuf_printf(sb, "\\\""); break;
		case '\\': sbuf_printf(sb, "\\\\"); break;
		case '\n': sbuf_printf(sb, "\\n"); break;
		case '\t': sbuf_printf(sb, "\\t"); break;
		case '\r': sbuf_printf(sb, "\\r"); break;
		case '\v': sbuf_printf(sb, "\\v"); break;
		case '\f': sbuf_printf(sb, "\\f"); break;
		default:
			if (c >= ' ' && c < 0x7f)
				sbuf_putc(sb, (char)c);
			else if (i + 1 < len && i + 1 < max &&
			    s[i + 1] >= '0' && s[i + 1] <= '7')
				sbuf_printf(sb, "\\%03o", c);
			else
				sbuf_printf(sb, "\\%o", c);
		}
	}
	sbuf_putc(sb, '"');
	if (len > max || !complete)
		sbuf_printf(sb, "...");
}

static void
print_addr(struct sbuf *sb, uint64_t v)
{
	if (v == 0)
		sbuf_printf(sb, "NULL");
	else
		sbuf_printf(sb, "%#llx", (unsigned long long)v);
}

static void
print_string(struct sbuf *sb, struct it_task *t, uint64_t addr, size_t max)
{
	char	 buf[LINEMAX];
	long	 n;

	if (addr == 0) {
		sbuf_printf(sb, "NULL");
		return;
	}
	n = it_mem_read_str(t, (it_gp_str){ addr }, buf,
	    max + 2 < sizeof(buf) ? max + 2 : sizeof(buf));
	if (n == -EFAULT) {
		print_addr(sb, addr);
		return;
	}
	if (n < 0)
		n = (long)strlen(buf);
	sbuf_quote(sb, (unsigned char *)buf, (size_t)n, max, 1);
}

static void
print_bytes(struct sbuf *sb, struct it_task *t, uint64_t addr, size_t len)
{
	unsigned char	 buf[STRMAX];
	size_t		 n = len < STRMAX ? len : STRMAX;

	if (it_mem_read(t, addr, buf, n) < 0) {
		print_addr(sb, addr);
		return;
	}
	sbuf_quote(sb, buf, len, STRMAX, 1);
}

static void
print_strv(struct sbuf *sb, struct it_task *t, uint64_t addr, int count_only)
{
	uint64_t	 p;
	size_t		 i;

	if (addr == 0) {
		sbuf_printf(sb, "NULL");
		return;
	}
	if (count_only) {
		for (i = 0; it_mem_read(t, addr + i * 8, &p, 8) == 0 && p; i++)
			;
		sbuf_printf(sb, "%#llx /* %zu var%s */",
		    (unsigned long long)addr, i, i == 1 ? "" : "s");
		return;
	}
	sbuf_putc(sb, '[');
	for (i = 0;; i++) {
		if (it_mem_read(t, addr + i * 8, &p, 8) < 0) {
			sbuf_printf(sb, "%s%#llx", i ? ", " : "",
			    (unsigned long long)(addr + i * 8));
			break;
		}
		if (p == 0)
			break;
		if (i == STRVMAX) {
			sbuf_printf(sb, ", ...");
			break;
		}
		if (i)
			sbuf_printf(sb, ", ");
		print_string(sb, t, p, STRMAX);
	}
	sbuf_putc(sb, ']');
}

static void
print_signal(struct sbuf *sb, int sig)
{
	const char	*name = xlat_name(it_xlat_signal, (uint64_t)sig);

	if (name != NULL)
		sbuf_printf(sb, "%s", name);
	else if (sig >= SIGRTMIN && sig <= SIGRTMAX)
		sbuf_printf(sb, "SIGRT_%d", sig - SIGRTMIN);
	else
		sbuf_printf(sb, "%d", sig);
}

static void
print_flags(struct sbuf *sb, int set, uint64_t v)
{
	char	 buf[512];

	if (set == IT_X_clone && (v & 0xff) != 0) {
		/* The low byte of clone's flags is the exit signal. */
		if (v & ~0xffULL) {
			xlat_flags(buf, sizeof(buf), xlat_set(set),
			    v & ~0xffULL);
			sbuf_printf(sb, "%s|", buf);
		}
		print_signal(sb, (int)(v & 0xff));
		return;
	}
	xlat_flags(buf, sizeof(buf), xlat_set(set), v);
	sbuf_printf(sb, "%s", buf);
}

static void
print_arg(struct sbuf *sb, struct it_task *t, const struct argdesc *a,
    const uint64_t *args, int i, long result)
{
	uint64_t	 v = args[i];
	const char	*name;

	switch (a->a_kind) {
	case DK_INT:
	case DK_FD:
	case DK_PID:
		sbuf_printf(sb, "%d", (int)v);
		break;
	case DK_UINT:
		sbuf_printf(sb, "%u", (unsigned)v);
		break;
	case DK_UID:
	case DK_GID:
		if ((int)v == -1)
			sbuf_printf(sb, "-1");
		else
			sbuf_printf(sb, "%u", (unsigned)v);
		break;
	case DK_LONG:
	case DK_OFF:
		sbuf_printf(sb, "%lld", (long long)v);
		break;
	case DK_ULONG:
	case DK_SIZE:
		sbuf_printf(sb, "%llu", (unsigned long long)v);
		break;
	case DK_HEX:
		sbuf_printf(sb, "%#llx", (unsigned long long)v);
		break;
	case DK_MODE:
		sbuf_printf(sb, (unsigned)v ? "0%o" : "0", (unsigned)v);
		break;
	case DK_DIRFD:
		if ((int)v == AT_FDCWD)
			sbuf_printf(sb, "AT_FDCWD");
		else
			sbuf_printf(sb, "%d", (int)v);
		break;
	case DK_SIG:
		print_signal(sb, (int)v);
		break;
	case DK_CLOCK:
		if ((name = xlat_name(it_xlat_clock, (unsigned)v)) != NULL)
			sbuf_printf(sb, "%s", name);
		else
			sbuf_printf(sb, "%d", (int)v);
		break;
	case DK_FLAGS:
		print_flags(sb, a->a_param, (unsigned)v);
		break;
	case DK_LFLAGS:
		print_flags(sb, a->a_param, v);
		break;
	case DK_ENUM:
		if ((name = xlat_name(xlat_set(a->a_param), (unsigned)v)) !=
		    NULL)
			sbuf_printf(sb, "%s", name);
		else
			sbuf_printf(sb, "%#x /* %s_??? */", (unsigned)v,
			    "UNKNOWN");
		break;
	case DK_STR:
		print_string(sb, t, v, STRMAX);
		break;
	case DK_PATH:
		print_string(sb, t, v, LINEMAX / 2);
		break;
	case DK_STRV:
		print_strv(sb, t, v, a->a_name != NULL &&
		    strcmp(a->a_name, "envp") == 0);
		break;
	case DK_IBUF:
		print_bytes(sb, t, v, i < 5 ? (size_t)args[i + 1] : 0);
		break;
	case DK_OBUF:
		if (result < 0)
			print_addr(sb, v);
		else
			print_bytes(sb, t, v, (size_t)result);
		break;
	default:
		print_addr(sb, v);
		break;
	}
}

const char *
decode_errno_name(int e)
{
	return xlat_name(it_xlat_errno, (uint64_t)e);
}

void
decode_result(struct sbuf *sb, const struct argdesc *ret, long r)
{
	const char	*name;

	if (r < 0 && r >= -4095) {
		if ((name = decode_errno_name((int)-r)) == NULL)
			sbuf_printf(sb, "-1 E%ld (Unknown error %ld)", -r, -r);
		else if (-r >= 512)
			sbuf_printf(sb, "? %s (To be restarted)", name);
		else
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
		sbuf_printf(sb, r ? "0%lo" : "0", r);
		break;
	default:
		sbuf_printf(sb, "%ld", r);
		break;
	}
}

static struct sbuf
line_buf(struct it_task *t)
{
	if (t->t_line == NULL && (t->t_line = malloc(LINEMAX)) == NULL)
		abort();
	return (struct sbuf){ t->t_line, t->t_linelen, LINEMAX };
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

/* open's mode means something only when the call may create a file. */
static int
mode_unused(const struct sysdesc *d, const uint64_t *args, int i)
{
	const struct argdesc	*prev;

	if (i == 0 || d->s_args[i].a_kind != DK_MODE)
		return 0;
	prev = &d->s_args[i - 1];
	return prev->a_kind == DK_FLAGS && prev->a_param == IT_X_open &&
	    (args[i - 1] & (O_CREAT | __O_TMPFILE)) == 0;
}

/*
 * Where the entry half of a line stops: at the first argument the kernel
 * writes (printed at exit), or before an open mode that means nothing.
 */
static int
first_output(const struct sysdesc *d, const uint64_t *args)
{
	int	 i;

	for (i = 0; i < d->s_nargs; i++)
		if (dkind_is_output(d->s_args[i].a_kind) ||
		    mode_unused(d, args, i))
			break;
	return i;
}

void
decode_entry(struct it_task *t, long nr, const uint64_t *args, int i386)
{
	const struct sysdesc	*d = desc(i386 ? -1 : nr);
	struct sbuf		 sb;
	int			 i;

	t->t_linelen = 0;
	sb = line_buf(t);
	sbuf_printf(&sb, "[pid %d] ", (int)t->t_tid);
	stamp_prefix(&sb);
	if (d->s_name != NULL)
		sbuf_printf(&sb, "%s(", d->s_name);
	else
		sbuf_printf(&sb, "syscall_%s%#lx(", i386 ? "i386_" : "",
		    (unsigned long)nr);
	for (i = 0; i < first_output(d, args); i++) {
		if (i)
			sbuf_printf(&sb, ", ");
		print_arg(&sb, t, &d->s_args[i], args, i, 0);
	}
	t->t_linelen = sb.sb_len;
	t->t_flags |= T_LINE;
}

static void
emit_line(struct it_task *t, struct sbuf *sb)
{
	if (sb->sb_len + 1 >= sb->sb_cap)
		sb->sb_len = sb->sb_cap - 2;
	sb->sb_buf[sb->sb_len++] = '\n';
	output_line(sb->sb_buf, sb->sb_len);
	t->t_linelen = 0;
	t->t_flags &= ~T_LINE;
}

void
decode_exit(struct it_task *t, long nr, const uint64_t *args, long result)
{
	const struct sysdesc	*d = desc(nr);
	struct sbuf		 sb;
	int			 i;

	if (!(t->t_flags & T_LINE))
		return;
	sb = line_buf(t);
	for (i = first_output(d, args); i < d->s_nargs; i++) {
		if (mode_unused(d, args, i))
			continue;
		if (i)
			sbuf_printf(&sb, ", ");
		print_arg(&sb, t, &d->s_args[i], args, i, result);
	}
	sbuf_printf(&sb, ") = ");
	decode_result(&sb, &d->s_ret, result);
	stamp_suffix(&sb, t);
	emit_line(t, &sb);
}

void
decode_noreturn(struct it_task *t)
{
	const struct sysdesc	*d = desc(t->t_nr);
	struct sbuf		 sb;
	int			 i;

	if (!(t->t_flags & T_LINE))
		return;
	sb = line_buf(t);
	/* Arguments the call would have filled: their addresses. */
	for (i = first_output(d, t->t_args); i < d->s_nargs; i++) {
		if (mode_unused(d, t->t_args, i))
			continue;
		if (i)
			sbuf_printf(&sb, ", ");
		print_arg(&sb, t, &d->s_args[i], t->t_args, i, -1);
	}
	sbuf_printf(&sb, ") = ?");
	emit_line(t, &sb);
}
