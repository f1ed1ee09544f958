/*
 * The trace lines that are not syscalls: a signal delivered, a thread
 * stopped, a process gone.  Like decode_event for a call, a note carries
 * its text line and the facts in it, so a structured output (--json) can
 * take it in pieces; the default sink writes the line.
 */
#ifndef NOTE_H
#define NOTE_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

enum note_type {
	NOTE_SIGNAL,		/* --- SIGCHLD {si_signo=...} --- */
	NOTE_STOP,		/* --- stopped by SIGSTOP --- */
	NOTE_EXIT,		/* +++ exited with 0 +++ */
	NOTE_KILLED,		/* +++ killed by SIGKILL +++ */
};

struct note {
	enum note_type	 n_type;
	pid_t		 n_tid;
	pid_t		 n_tgid;
	uint64_t	 n_when;	/* CLOCK_REALTIME ns; 0: unknown */
	int		 n_signo;	/* delivered, stopping or killing */
	int		 n_status;	/* NOTE_EXIT: the exit status */
	int		 n_core;	/* NOTE_KILLED: a core was dumped */
	const char	*n_line;	/* the text line, '\n' included */
	size_t		 n_len;
	struct note_span {
		size_t	 ns_off, ns_len;
	}		 n_signame;	/* "SIGCHLD", in n_line */
	struct note_span n_info;	/* the siginfo "{...}"; len 0: none */
};

void	note_set_sink(void (*)(const struct note *));
void	note_emit(const struct note *);
/* "+++ superseded by execve in pid B +++" for the thread group leader
 * whose tid a non-leader thread B takes by its execve (text only: it
 * tells a reader why B's call resumes under another tid). */
void	note_superseded(pid_t leader, pid_t by);
/* "+++ exited with N +++" or "+++ killed by SIGX +++" of process pid. */
void	note_exit(pid_t pid, int wstatus);

#endif
