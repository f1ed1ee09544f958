/*
 * JSON lines (jsonl.h).  Every value is the text the --verbose line shows
 * (the decoder's spans), so the two outputs can never disagree; jansson
 * does the escaping.  The decoder quotes guest bytes as C escapes, which
 * leaves its text ASCII, but a string jansson refuses as UTF-8 is still
 * kept: its high bytes are written the decoder's way, as \ooo.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode.h"
#include "jsonl.h"
#include "note.h"
#include "output.h"
#include "stamp.h"

#define LINE_GUESS	8192	/* most objects are dumped into this */

static int	 timed;

static void
sink_call(const struct decode_event *ev)
{
	jsonl_write(jsonl_call(ev));
}

static void
sink_note(const struct note *n)
{
	jsonl_write(jsonl_note(n));
}

void
jsonl_init(int call_times)
{
	timed = call_times;
	stamp_want_wall();
	decode_set_sink(sink_call);
	note_set_sink(sink_note);
}

static json_t *
text(const char *s, size_t len)
{
	json_t	*v;
	char	*esc;
	size_t	 i, n = 0;

	if ((v = json_stringn(s, len)) != NULL)
		return v;
	if ((esc = malloc(len * 4 + 1)) == NULL)
		return json_null();
	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] < 0x80)
			esc[n++] = s[i];
		else
			n += (size_t)snprintf(esc + n, 5, "\\%03o",
			    (unsigned char)s[i]);
	}
	v = json_stringn(esc, n);
	free(esc);
	return v != NULL ? v : json_null();
}

static json_t *
span(const char *line, size_t off, size_t len)
{
	return text(line + off, len);
}

/* ns as seconds with microseconds: exact in a double to 2^53 us. */
static json_t *
seconds(uint64_t ns)
{
	return json_real((double)(ns / 1000) / 1e6);
}

/* "type", "pid", "tid", "time": the head of every object. */
static json_t *
head(const char *type, pid_t tgid, pid_t tid, uint64_t when)
{
	json_t	*o = json_object();

	json_object_set_new(o, "type", json_string(type));
	json_object_set_new(o, "pid", json_integer(tgid));
	json_object_set_new(o, "tid", json_integer(tid));
	json_object_set_new(o, "time", seconds(when));
	return o;
}

/*
 * A failed call's result reads "-1 ENOENT (No such file or directory)",
 * or "? ERESTARTSYS (To be restarted...)": its errno name and text are
 * taken from there, as printed.
 */
static void
put_error(json_t *o, const char *r, size_t len)
{
	const char	*end = r + len, *name, *sp;

	if ((name = memchr(r, ' ', len)) == NULL)
		return;
	name++;
	if ((sp = memchr(name, ' ', (size_t)(end - name))) == NULL)
		sp = end;
	json_object_set_new(o, "errno", text(name, (size_t)(sp - name)));
	if (end - sp >= 3 && sp[1] == '(' && end[-1] == ')')
		json_object_set_new(o, "error", text(sp + 2,
		    (size_t)(end - sp - 3)));
}

json_t *
jsonl_call(const struct decode_event *ev)
{
	const struct decode_span	*s;
	json_t				*o, *args;
	char				 key[16];
	int				 i;

	o = head("syscall", ev->de_tgid, ev->de_tid, ev->de_when);
	json_object_set_new(o, "nr", json_integer(ev->de_sysno));
	json_object_set_new(o, "name", ev->de_name != NULL ?
	    json_string(ev->de_name) :
	    span(ev->de_line, ev->de_call.ds_off, ev->de_call.ds_len));
	args = json_object();
	for (i = 0; i < ev->de_nargs; i++) {
		s = &ev->de_args[i];
		if (s->ds_name == NULL)
			snprintf(key, sizeof(key), "arg%d", i);
		json_object_set_new(args, s->ds_name != NULL ? s->ds_name :
		    key, span(ev->de_line, s->ds_off, s->ds_len));
	}
	json_object_set_new(o, "args", args);
	json_object_set_new(o, "retval", span(ev->de_line, ev->de_ret.ds_off,
	    ev->de_ret.ds_len));
	if (!ev->de_returned)
		return o;
	json_object_set_new(o, "result", json_integer(ev->de_result));
	if (ev->de_result < 0 && ev->de_result >= -4095)
		put_error(o, ev->de_line + ev->de_ret.ds_off,
		    ev->de_ret.ds_len);
	if (timed)
		json_object_set_new(o, "duration", seconds(ev->de_spent));
	return o;
}

static const char *const note_types[] = {
	[NOTE_SIGNAL] = "signal",
	[NOTE_STOP] = "stop",
	[NOTE_EXIT] = "exit",
	[NOTE_KILLED] = "killed",
};

json_t *
jsonl_note(const struct note *n)
{
	json_t	*o;

	o = head(note_types[n->n_type], n->n_tgid, n->n_tid, n->n_when);
	if (n->n_type == NOTE_EXIT) {
		json_object_set_new(o, "status", json_integer(n->n_status));
		return o;
	}
	json_object_set_new(o, "signal", span(n->n_line, n->n_signame.ns_off,
	    n->n_signame.ns_len));
	json_object_set_new(o, "signo", json_integer(n->n_signo));
	if (n->n_info.ns_len > 0)
		json_object_set_new(o, "siginfo", span(n->n_line,
		    n->n_info.ns_off, n->n_info.ns_len));
	if (n->n_type == NOTE_KILLED)
		json_object_set_new(o, "core_dumped",
		    json_boolean(n->n_core));
	return o;
}

void
jsonl_write(json_t *o)
{
	char		 buf[LINE_GUESS], *p = buf;
	const size_t	 flags = JSON_COMPACT | JSON_REAL_PRECISION(16);
	size_t		 n;

	if (o == NULL)
		return;
	n = json_dumpb(o, buf, sizeof(buf) - 1, flags);
	if (n > sizeof(buf) - 1) {
		if ((p = malloc(n + 1)) == NULL ||
		    json_dumpb(o, p, n, flags) != n) {
			free(p);
			json_decref(o);
			return;
		}
	}
	if (n > 0) {
		p[n++] = '\n';
		output_line(p, n);
	}
	if (p != buf)
		free(p);
	json_decref(o);
}
