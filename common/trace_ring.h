/*
 * The trace ring: how a worker's --verbose records reach the supervisor,
 * which merges the rings of every worker in the order the events happened
 * (supervisor/merge.c) and writes them to the trace output.
 *
 * One ring per worker, a MAP_SHARED mapping the supervisor makes before it
 * forks the worker (spares included): the worker only appends (rh_head),
 * the supervisor only consumes (rh_tail), so no lock is needed.  A record
 * is stamped with the CLOCK_MONOTONIC time at which waitpid returned the
 * stop that produced it: a child's exit is reaped by its worker before its
 * parent's wait4 can return, so these stamps respect causality across
 * workers.
 *
 * Watermark: a worker sets rh_idle before it blocks (in waitpid, or as a
 * spare), and on waking clears it, then takes the stop's stamp and stores
 * it in rh_stamp.  An idle worker can publish nothing stamped before the
 * merger's "now"; a busy one nothing before rh_stamp.  Both sides put a
 * full fence between the flag and the clock, so a merger that still sees
 * rh_idle set read its clock before the worker read its own.
 *
 * Lossless: the supervisor advances rh_tail only after the write(2) of a
 * record returned; a worker whose supervisor died writes the records still
 * in its ring (trace_ring_flush_all) before it goes.  A full ring makes the
 * worker wait (it pokes the supervisor's eventfd), never drop.
 */
#ifndef TRACE_RING_H
#define TRACE_RING_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#define TRACE_RING_SIZE		(1U << 19)	/* bytes of records */
#define TRACE_RING_RECMAX	(TRACE_RING_SIZE / 4)

struct trace_ring_hdr {
	uint64_t	 rh_head;	/* bytes published (worker) */
	uint64_t	 rh_tail;	/* bytes written out (supervisor) */
	uint64_t	 rh_stamp;	/* stamp of the stop being handled */
	uint32_t	 rh_idle;	/* 1: blocked, publishing nothing */
	uint32_t	 rh_pad;
};

struct trace_ring {
	struct trace_ring_hdr	 r_hdr;
	char			 r_data[TRACE_RING_SIZE];
};

enum trace_rec_kind {
	TR_PAD,		/* skip to the end of the ring */
	TR_LINE,	/* a whole line (a note, a JSON object, a call) */
	TR_ENTRY,	/* a call's first half, "[pid N] read(3" */
	TR_EXIT,	/* the same call's whole line, then its resumed head */
};

/*
 * A record, 8-byte aligned in the ring, never split at its end (a TR_PAD,
 * of which only tr_len and tr_kind exist, fills the end instead).  TR_EXIT:
 * tr_text holds the whole line (tr_linelen bytes), its exit half starting
 * at tr_tail, then "[pid N] <... read resumed>" (the rest of tr_textlen).
 */
struct trace_rec {
	uint32_t	 tr_len;	/* the whole record, padded */
	uint16_t	 tr_kind;
	uint16_t	 tr_pad;
	int32_t		 tr_tid;
	uint32_t	 tr_textlen;
	uint32_t	 tr_linelen;
	uint32_t	 tr_tail;
	uint64_t	 tr_stamp;
	char		 tr_text[];
};

/* Both sides. */
struct trace_ring	*trace_ring_create(void);
void			 trace_ring_destroy(struct trace_ring *);
uint64_t		 trace_ring_now(void);
/* Where a TR_EXIT's resumed half goes on in its line: after its exit
 * half's leading ", ", which its entry's "<unfinished ...>" line shows. */
size_t			 trace_rec_tail(const struct trace_rec *);
/* The record at offset pos (mod size) of r. */
struct trace_rec	*trace_ring_at(struct trace_ring *, uint64_t pos);

/*
 * The worker's side.  trace_ring_attach names this worker's ring, fd the
 * trace output (for trace_ring_flush_all) and wake the supervisor's
 * eventfd, poked when the ring is full.
 */
void	trace_ring_attach(struct trace_ring *, int fd, int wake);
/* This worker's ring, NULL if it has none (-ff, no -v). */
struct trace_ring	*trace_ring_attached(void);
/* Before blocking / right after waking: see the watermark above. */
void	trace_ring_idle(void);
void	trace_ring_busy(void);
/* Appends a record stamped with the current stop's time: its text is
 * line (linelen bytes) then more (TR_EXIT's resumed head). */
void	trace_ring_put(enum trace_rec_kind, pid_t tid, const char *line,
	    size_t linelen, size_t tail, const char *more, size_t morelen);
/*
 * The supervisor is gone: write what it did not, in the ring's order,
 * straight to the trace output.  Async-signal-safe (called from the
 * worker's parent-death signal handler).
 */
void	trace_ring_flush_all(void);

/* Writes all of s to fd (EINTR retried); 0, or -1 with errno.
 * Async-signal-safe. */
int	trace_write(int fd, const char *s, size_t len);

#endif
