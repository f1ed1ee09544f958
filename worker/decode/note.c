/*
 * Notes (note.h): the exit line is built here; the signal lines, which
 * need the decoder's signal printers, in decode_signal.c.
 */
#include <sys/wait.h>
#include <string.h>

#include "decode.h"
#include "note.h"
#include "output.h"
#include "stamp.h"

static void
write_note(const struct note *n)
{
	output_line(n->n_line, n->n_len);
}

static void	(*sink)(const struct note *) = write_note;

void
note_set_sink(void (*fn)(const struct note *))
{
	sink = fn != NULL ? fn : write_note;
}

/* -e signal= hides signal and stop lines, -qq the exit lines (strace
 * keeps "+++ killed by" even then). */
void
note_emit(const struct note *n)
{
	switch (n->n_type) {
	case NOTE_SIGNAL:
	case NOTE_STOP:
		if (!decode_shows_signal(n->n_signo))
			return;
		break;
	case NOTE_EXIT:
		if (decode_options()->do_quiet >= 2)
			return;
		break;
	case NOTE_KILLED:
		break;
	}
	sink(n);
}

void
note_superseded(pid_t leader, pid_t by)
{
	char		 buf[160];
	struct sbuf	 sb = { buf, 0, sizeof(buf) };

	if (sink != write_note)
		return;
	sbuf_printf(&sb, "[pid %d] ", (int)leader);
	(void)stamp_prefix(&sb);
	sbuf_printf(&sb, "+++ superseded by execve in pid %d +++\n", (int)by);
	output_line(buf, sb.sb_len);
}

void
note_exit(pid_t pid, int st)
{
	char		 buf[160];
	struct sbuf	 sb = { buf, 0, sizeof(buf) };
	struct note	 n;

	memset(&n, 0, sizeof(n));
	n.n_tid = n.n_tgid = pid;
	sbuf_printf(&sb, "[pid %d] ", (int)pid);
	n.n_when = stamp_prefix(&sb);
	if (WIFEXITED(st)) {
		n.n_type = NOTE_EXIT;
		n.n_status = WEXITSTATUS(st);
		sbuf_printf(&sb, "+++ exited with %d +++\n", n.n_status);
	} else {
		n.n_type = NOTE_KILLED;
		n.n_signo = WTERMSIG(st);
		n.n_core = WCOREDUMP(st) != 0;
		sbuf_puts(&sb, "+++ killed by ");
		n.n_signame.ns_off = sb.sb_len;
		sbuf_printf(&sb, "SIG%s", sigabbrev_np(n.n_signo) ? : "?");
		n.n_signame.ns_len = sb.sb_len - n.n_signame.ns_off;
		sbuf_printf(&sb, "%s +++\n", n.n_core ? " (core dumped)" : "");
	}
	n.n_line = buf;
	n.n_len = sb.sb_len;
	note_emit(&n);
}
