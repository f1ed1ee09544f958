/*
 * Where --verbose lines go.  Normally into this worker's trace ring
 * (common/trace_ring.h): the supervisor merges every worker's records in
 * event order and writes them, within a bounded delay.  With -ff -o FILE
 * the worker writes FILE.PID itself, a block at a time and whenever it is
 * about to block.  A trace that cannot be written (a full disk) is
 * reported once and then dropped: the traced command runs on unaffected.
 */
#ifndef OUTPUT_H
#define OUTPUT_H

#include <sys/types.h>
#include <stddef.h>

/* block > 0: collect whole lines and write up to block bytes at once. */
void	output_init(int fd, const char *name, size_t block);
/* -ff: each traced process's lines go to base.PID of its own. */
void	output_per_process(const char *base);
void	output_open(pid_t);
void	output_close(void);
/* A whole line (a note, a JSON object, a call seen only at its exit). */
void	output_line(const char *, size_t);
/* Through the ring only: does a call's entry go out before its exit? */
int	output_live(void);
void	output_hold_entries(int);
/* A call's first half, and its whole line at exit (its exit half from
 * tail on, "[pid N] <... name resumed>" in head). */
void	output_entry(pid_t tid, const char *, size_t);
void	output_exit(pid_t tid, const char *line, size_t len, size_t tail,
	    const char *head, size_t headlen);
void	output_flush(void);
/* Around every blocking wait: the ring's watermark, and -ff's flush. */
void	output_idle(void);
void	output_busy(void);

#endif
