/*
 * The decoder's view of syscalls.def: what each argument is, for printing
 * (--verbose) and for anything else that must know an argument's nature
 * without its C type.
 */
#ifndef DECODE_H
#define DECODE_H

#include <stddef.h>
#include <stdint.h>

#include <isotrace/isotrace.h>

enum dkind {
	DK_NONE,
	DK_INT, DK_UINT, DK_LONG, DK_ULONG, DK_SIZE, DK_OFF, DK_HEX, DK_MODE,
	DK_FD, DK_DIRFD, DK_PID, DK_UID, DK_GID, DK_SIG, DK_CLOCK,
	DK_FLAGS, DK_LFLAGS, DK_ENUM,
	DK_ADDR, DK_PTR, DK_STR, DK_PATH, DK_STRV, DK_IBUF, DK_OBUF,
	DK_IN, DK_OUT, DK_INOUT,
	DK_NORET
};

enum it_struct_id {
#define STRUCT(name, ctype)	IT_S_##name,
#include <isotrace/structs.def>
#undef STRUCT
	IT_S_COUNT
};

struct argdesc {
	uint8_t		 a_kind;	/* enum dkind */
	uint16_t	 a_param;	/* xlat set or struct id */
	const char	*a_name;
};

struct sysdesc {
	const char	*s_name;	/* NULL: no syscall of this number */
	uint8_t		 s_nargs;
	struct argdesc	 s_ret;
	struct argdesc	 s_args[6];
};

extern const struct sysdesc sysdescs[IT_NR_MAX];

struct it_task;

/*
 * A line is built in two halves, like a syscall: decode_entry() prints the
 * name and the arguments the kernel reads, decode_exit() the arguments it
 * wrote and the result.  Both append to the task's line buffer.
 */
void	decode_entry(struct it_task *, long nr, const uint64_t *args,
	    int i386);
void	decode_exit(struct it_task *, long nr, const uint64_t *args,
	    long result);
/* For calls that never return (exit_group) or tasks that vanished. */
void	decode_noreturn(struct it_task *);
/* -p: the pending line of a thread being detached, "<detached ...>". */
void	decode_detached(struct it_task *);
/* "--- SIGCHLD {si_signo=...} ---" for a signal about to be delivered. */
void	decode_signal(struct it_task *, int sig);
/* "--- stopped by SIGSTOP ---" when a thread enters a group-stop. */
void	decode_group_stop(struct it_task *, int sig);
/* -s N: bytes of a string or buffer shown before "...". */
void	decode_set_strsize(size_t);

/* -e status=SET: which ends of a call are shown, by strace's names. */
#define DSTATUS_SUCCESSFUL	0x01	/* returned, not an error */
#define DSTATUS_FAILED		0x02	/* returned -1 (an errno) */
#define DSTATUS_UNFINISHED	0x04	/* never returned (exit_group) */
#define DSTATUS_UNAVAILABLE	0x08	/* returned, result unknown */
#define DSTATUS_DETACHED	0x10	/* in progress at a detach */
#define DSTATUS_ALL		0x1f

/* strace's output options, the same in every worker. */
struct decode_opts {
	int		 do_fdpath;	/* -y 1: fd paths; -yy 2: sockets too */
	int		 do_hex;	/* -x 1: non-ASCII strings in hex;
					   -xx 2: every string */
	unsigned	 do_status;	/* DSTATUS_* shown; 0: all */
	uint64_t	 do_hidesig;	/* -e signal=: bit N-1: SIGN hidden */
	int		 do_quiet;	/* -q 1: no attach/detach messages;
					   -qq 2: no exit lines either */
	char		**do_paths;	/* -P: only calls touching these */
	size_t		 do_npaths;
};
void	decode_configure(const struct decode_opts *);
const struct decode_opts	*decode_options(void);
/* -e signal=: is a "--- SIG... ---" line of sig shown? */
int	decode_shows_signal(int sig);

/* Printing primitives, exposed for the unit tests. */
struct sbuf {
	char	*sb_buf;
	size_t	 sb_len, sb_cap;
};
void	sbuf_printf(struct sbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	sbuf_puts(struct sbuf *, const char *);
void	sbuf_quote(struct sbuf *, const unsigned char *, size_t len,
	    size_t max, int complete);
/* The same without the quotes, with the bytes of esc escaped too (-y's
 * paths escape '<' and '>'); never in hex. */
void	sbuf_quote_bare(struct sbuf *, const char *, const char *esc);
void	decode_result(struct sbuf *, const struct argdesc *, long result);
const char	*decode_errno_name(int);

/*
 * One call seen by the decoder.  Every argument is rendered on its own by
 * decode_arg() (so a structured output can put each in a field of its
 * own), the result by decode_retval().  c_exiting is 0 at the entry stop
 * (only arguments the kernel reads are meaningful) and 1 at the exit stop.
 */
struct dctx {
	struct sbuf		*c_sb;
	struct it_task		*c_t;
	const struct sysdesc	*c_d;
	long			 c_nr;
	const uint64_t		*c_args;
	long			 c_result;
	int			 c_exiting;
};

void	decode_arg(struct dctx *, int i);

/*
 * A finished line, for whoever wants it in pieces (a structured output):
 * every argument's text and the result's are spans of de_line.  The
 * default sink writes de_line to the trace.
 */
struct decode_event {
	pid_t		 de_tid;
	pid_t		 de_tgid;
	long		 de_nr;		/* -1: not a known call */
	long		 de_sysno;	/* the number as called (int 0x80 too) */
	const char	*de_name;	/* NULL: see de_call */
	const char	*de_line;	/* the text line, '\n' included */
	size_t		 de_len;
	size_t		 de_exit_off;	/* where the exit's half starts */
	int		 de_nargs;
	struct decode_span {
		const char	*ds_name;	/* the argument's name */
		size_t		 ds_off, ds_len;
	}		 de_args[6], de_ret;	/* de_ret: "?" for none */
	struct decode_span de_call;	/* the name the line shows */
	long		 de_result;
	int		 de_returned;	/* 0: the call did not return */
	uint64_t	 de_when;	/* entry, CLOCK_REALTIME ns; 0: unknown */
	uint64_t	 de_spent;	/* ns from entry to exit, if timed */
};
void	decode_set_sink(void (*)(const struct decode_event *));
void	decode_retval(struct dctx *);
/* How many arguments the line shows, and the first printed at exit. */
int	decode_nargs(const struct dctx *);
int	decode_first_output(const struct dctx *);

#endif
