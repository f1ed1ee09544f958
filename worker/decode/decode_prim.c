/*
 * The decoder's primitives: the line buffer, quoting, numbers, flag sets,
 * signals, and bounded reads of guest memory.  Every read goes through
 * it_mem_read(), which fails with -EFAULT instead of faulting, so a bad
 * pointer prints as its address.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "decode_impl.h"
#include "decode_fdpath.h"
#include "../engine/task.h"

#define STRVMAX		32	/* elements of an argv shown */

size_t	decode_strsize = 32;

void
decode_set_strsize(size_t n)
{
	decode_strsize = n;
}

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
	if (sb->sb_len >= sb->sb_cap)
		sb->sb_len = sb->sb_cap - 1;
}

void
sbuf_puts(struct sbuf *sb, const char *s)
{
	sbuf_printf(sb, "%s", s);
}

static void
sbuf_putc(struct sbuf *sb, char c)
{
	if (sb->sb_len + 1 < sb->sb_cap) {
		sb->sb_buf[sb->sb_len++] = c;
		sb->sb_buf[sb->sb_len] = '\0';
	}
}

/* Printed as a C escape rather than as itself (-x: not a reason for hex). */
static int
plain(unsigned char c)
{
	return c >= ' ' && c < 0x7f;
}

static int
named_escape(unsigned char c)
{
	return c != '\0' && strchr("\n\t\r\v\f", c) != NULL;
}

/* One byte of a quoted string; esc: more bytes to escape (octal). */
static void
quote_byte(struct sbuf *sb, const unsigned char *s, size_t i, size_t end,
    const char *esc)
{
	unsigned char c = s[i];

	switch (c) {
	case '"':  sbuf_puts(sb, "\\\""); return;
	case '\\': sbuf_puts(sb, "\\\\"); return;
	case '\n': sbuf_puts(sb, "\\n"); return;
	case '\t': sbuf_puts(sb, "\\t"); return;
	case '\r': sbuf_puts(sb, "\\r"); return;
	case '\v': sbuf_puts(sb, "\\v"); return;
	case '\f': sbuf_puts(sb, "\\f"); return;
	}
	if (plain(c) && (esc == NULL || strchr(esc, c) == NULL))
		sbuf_putc(sb, (char)c);
	else if (i + 1 < end && s[i + 1] >= '0' && s[i + 1] <= '7')
		sbuf_printf(sb, "\\%03o", c);
	else
		sbuf_printf(sb, "\\%o", c);
}

/*
 * C-style quoting; at most max bytes, then "..." if more existed.  -xx
 * prints every byte as \xHH, -x does so for a string whose shown part
 * has a byte that is neither printable ASCII nor a named escape, as
 * strace decides.
 */
void
sbuf_quote(struct sbuf *sb, const unsigned char *s, size_t len, size_t max,
    int complete)
{
	size_t	 i, end = len < max ? len : max;
	int	 hex = decode_options()->do_hex > 1;

	for (i = 0; !hex && decode_options()->do_hex && i < end; i++)
		hex = !plain(s[i]) && !named_escape(s[i]);
	sbuf_putc(sb, '"');
	for (i = 0; i < end; i++) {
		if (hex)
			sbuf_printf(sb, "\\x%02x", s[i]);
		else
			quote_byte(sb, s, i, end, NULL);
	}
	sbuf_putc(sb, '"');
	if (len > max || !complete)
		sbuf_puts(sb, "...");
}

void
sbuf_quote_bare(struct sbuf *sb, const char *s, const char *esc)
{
	size_t	 i, len = strlen(s);

	for (i = 0; i < len; i++)
		quote_byte(sb, (const unsigned char *)s, i, len, esc);
}

void
dput_addr(struct sbuf *sb, uint64_t v)
{
	if (v == 0)
		sbuf_puts(sb, "NULL");
	else
		sbuf_printf(sb, "%#llx", (unsigned long long)v);
}

int
dfetch(struct dctx *c, uint64_t addr, void *buf, size_t len)
{
	if (addr == 0) {
		sbuf_puts(c->c_sb, "NULL");
		return -1;
	}
	if (it_mem_read(c->c_t, addr, buf, len) < 0) {
		dput_addr(c->c_sb, addr);
		return -1;
	}
	return 0;
}

void
dput_flags(struct sbuf *sb, int set, uint64_t v)
{
	char	 buf[1024];

	xlat_flags(buf, sizeof(buf), xlat_set(set), v);
	sbuf_puts(sb, buf);
}

int
dput_enum_known(struct sbuf *sb, int set, uint64_t v)
{
	const char	*name = xlat_name(xlat_set(set), v);

	if (name == NULL)
		return 0;
	sbuf_puts(sb, name);
	return 1;
}

/*
 * An unknown value prints as strace does, "0x3039" and a comment naming
 * the set by its prefix (CLOCK_???): the
 * prefix is that of the set's first name, up to its first underscore.
 */
void
dput_enum(struct sbuf *sb, int set, uint64_t v)
{
	const struct xlat	*x = xlat_set(set);
	const char		*us;

	if (dput_enum_known(sb, set, v))
		return;
	sbuf_printf(sb, "%#x", (unsigned)v);
	if (x != NULL && x->x_name != NULL &&
	    (us = strchr(x->x_name, '_')) != NULL)
		sbuf_printf(sb, " /* %.*s???" " */", (int)(us - x->x_name + 1),
		    x->x_name);
}

void
dput_mode(struct sbuf *sb, unsigned mode)
{
	sbuf_printf(sb, "%#03o", mode);
}

void
dput_signal(struct sbuf *sb, int sig)
{
	const char	*name = xlat_name(it_xlat_signal, (uint64_t)sig);

	if (name != NULL)
		sbuf_puts(sb, name);
	else if (sig == 32)
		sbuf_puts(sb, "SIGRTMIN");
	else if (sig > 32 && sig <= 64)
		sbuf_printf(sb, "SIGRT_%d", sig - 32);
	else
		sbuf_printf(sb, "%d", sig);
}

/* A mask of nsig signals as strace prints it: [USR1 TERM], or ~[...] for
 * the complement when most are set. */
void
dput_sigmask(struct sbuf *sb, const uint64_t *words, size_t nsig)
{
	size_t		 i, n = 0;
	int		 inv, first = 1;
	char		 tmp[32];
	struct sbuf	 ts;

	for (i = 1; i <= nsig; i++)
		n += (words[(i - 1) / 64] >> ((i - 1) % 64)) & 1;
	inv = n * 2 > nsig;
	sbuf_puts(sb, inv ? "~[" : "[");
	for (i = 1; i <= nsig; i++) {
		int set = (words[(i - 1) / 64] >> ((i - 1) % 64)) & 1;

		if (set == inv)
			continue;
		ts = (struct sbuf){ tmp, 0, sizeof(tmp) };
		tmp[0] = '\0';
		dput_signal(&ts, (int)i);
		sbuf_printf(sb, "%s%s", first ? "" : " ",
		    strncmp(tmp, "SIG", 3) == 0 ? tmp + 3 : tmp);
		first = 0;
	}
	sbuf_puts(sb, "]");
}

void
dput_sigset(struct dctx *c, uint64_t addr, size_t size)
{
	uint64_t	 w[1] = { 0 };

	if (size > sizeof(w))
		size = sizeof(w);
	if (size == 0) {
		dput_addr(c->c_sb, addr);
		return;
	}
	if (dfetch(c, addr, w, size) < 0)
		return;
	dput_sigmask(c->c_sb, w, size * 8);
}

void
dput_string(struct dctx *c, uint64_t addr, size_t max)
{
	char	 buf[DEC_PATHMAX + 2];
	long	 n;

	if (addr == 0) {
		sbuf_puts(c->c_sb, "NULL");
		return;
	}
	n = it_mem_read_str(c->c_t, (it_gp_str){ addr }, buf,
	    max + 2 < sizeof(buf) ? max + 2 : sizeof(buf));
	/* A string that runs into unreadable memory is the address, as the
	 * kernel would fail on it too. */
	if (n == -EFAULT) {
		dput_addr(c->c_sb, addr);
		return;
	}
	if (n < 0)
		n = (long)strlen(buf);
	sbuf_quote(c->c_sb, (unsigned char *)buf, (size_t)n, max, 1);
}

void
dput_bytes(struct dctx *c, uint64_t addr, size_t len)
{
	unsigned char	 buf[DEC_PATHMAX];
	size_t		 max = decode_strsize < sizeof(buf) ?
			    decode_strsize : sizeof(buf);
	size_t		 n = len < max ? len : max;

	if (addr == 0 && len != 0) {
		sbuf_puts(c->c_sb, "NULL");
		return;
	}
	if (it_mem_read(c->c_t, addr, buf, n) < 0) {
		dput_addr(c->c_sb, addr);
		return;
	}
	sbuf_quote(c->c_sb, buf, len, max, 1);
}

/* An array of count ints: [3, 4]. */
void
dput_int_array(struct dctx *c, uint64_t addr, size_t count, int sign)
{
	int	 v[64];
	size_t	 i;

	if (count > 64)
		count = 64;
	if (dfetch(c, addr, v, count * sizeof(int)) < 0)
		return;
	sbuf_puts(c->c_sb, "[");
	for (i = 0; i < count; i++)
		sbuf_printf(c->c_sb, sign ? "%s%d" : "%s%u", i ? ", " : "",
		    v[i]);
	sbuf_puts(c->c_sb, "]");
}

/* A comment with the date, 1970-01-01T00:00:01.000000002+0000, after a
 * time value; digits is 9 for nanoseconds, 6 for microseconds, 0 for
 * none. */
void
dput_time_comment(struct sbuf *sb, long long sec, long nsec, int digits)
{
	struct tm	 tm;
	time_t		 t = (time_t)sec;
	char		 date[64], zone[16];

	if (localtime_r(&t, &tm) == NULL ||
	    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm) == 0 ||
	    strftime(zone, sizeof(zone), "%z", &tm) == 0)
		return;
	if (digits == 0)
		sbuf_printf(sb, " /* %s%s */", date, zone);
	else
		sbuf_printf(sb, " /* %s.%0*ld%s */", date, digits, nsec,
		    zone);
}

static void
dput_strv(struct dctx *c, uint64_t addr, int count_only)
{
	uint64_t	 p;
	size_t		 i;

	if (addr == 0) {
		sbuf_puts(c->c_sb, "NULL");
		return;
	}
	if (count_only) {
		for (i = 0; i < 65536 &&
		    it_mem_read(c->c_t, addr + i * 8, &p, 8) == 0 && p; i++)
			;
		sbuf_printf(c->c_sb, "%#llx /* %zu var%s */",
		    (unsigned long long)addr, i, i == 1 ? "" : "s");
		return;
	}
	sbuf_puts(c->c_sb, "[");
	for (i = 0;; i++) {
		if (it_mem_read(c->c_t, addr + i * 8, &p, 8) < 0) {
			sbuf_printf(c->c_sb, "%s%#llx", i ? ", " : "",
			    (unsigned long long)(addr + i * 8));
			break;
		}
		if (p == 0)
			break;
		if (i == STRVMAX) {
			sbuf_puts(c->c_sb, ", ...");
			break;
		}
		if (i)
			sbuf_puts(c->c_sb, ", ");
		dput_string(c, p, decode_strsize);
	}
	sbuf_puts(c->c_sb, "]");
}

/* The generic rules: an argument printed from its kind alone. */
void
decode_arg_kind(struct dctx *c, const struct argdesc *a, int i)
{
	struct sbuf	*sb = c->c_sb;
	uint64_t	 v = c->c_args[i];
	dstruct_fn	 fn;

	switch (a->a_kind) {
	case DK_INT:
	case DK_PID:
		sbuf_printf(sb, "%d", (int)v);
		break;
	case DK_FD:
		sbuf_printf(sb, "%d", (int)v);
		fdpath_put(c, (int)v);
		break;
	case DK_UINT:
		sbuf_printf(sb, "%u", (unsigned)v);
		break;
	case DK_UID:
	case DK_GID:
		if ((int)v == -1)
			sbuf_puts(sb, "-1");
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
		dput_mode(sb, (unsigned)v);
		break;
	case DK_DIRFD:
		if ((int)v == -100)
			sbuf_puts(sb, "AT_FDCWD");
		else
			sbuf_printf(sb, "%d", (int)v);
		fdpath_put(c, (int)v);
		break;
	case DK_SIG:
		dput_signal(sb, (int)v);
		break;
	case DK_CLOCK:
		dput_enum(sb, IT_X_clock, (unsigned)v);
		break;
	case DK_FLAGS:
		dput_flags(sb, a->a_param, (unsigned)v);
		break;
	case DK_LFLAGS:
		dput_flags(sb, a->a_param, v);
		break;
	case DK_ENUM:
		dput_enum(sb, a->a_param, (unsigned)v);
		break;
	case DK_STR:
		dput_string(c, v, decode_strsize);
		break;
	case DK_PATH:
		dput_string(c, v, DEC_PATHMAX);
		break;
	case DK_STRV:
		dput_strv(c, v, a->a_name != NULL &&
		    strcmp(a->a_name, "envp") == 0);
		break;
	case DK_IBUF:
		dput_bytes(c, v, i < 5 ? (size_t)c->c_args[i + 1] : 0);
		break;
	case DK_OBUF:
		if (c->c_result < 0 || !c->c_exiting)
			dput_addr(sb, v);
		else
			dput_bytes(c, v, (size_t)c->c_result);
		break;
	case DK_IN:
	case DK_OUT:
	case DK_INOUT:
		fn = dstruct_printer(a->a_param);
		if (fn == NULL || v == 0 || (a->a_kind != DK_IN &&
		    c->c_exiting && c->c_result < 0))
			dput_addr(sb, v);
		else
			fn(c, v, i);
		break;
	default:
		dput_addr(sb, v);
		break;
	}
}
