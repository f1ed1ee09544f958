/*
 * -c: the supervisor adds up the Tally messages of all workers and prints
 * strace's summary table when the traced command has ended.
 */
#ifndef SUMMARY_H
#define SUMMARY_H

#include <stdint.h>
#include <stdio.h>

#include "isotrace.pb-c.h"

struct summary_row {
	long		 sr_nr;		/* -1: the total */
	uint64_t	 sr_calls, sr_errors, sr_nsec;
};

/* Adds a (validated) Tally to the totals. */
void	summary_add(const Isotrace__Tally *);
/* The rows of the calls made, sorted by time (then by number), into
 * rows[IT_NR_MAX]; their count.  sum gets the totals. */
size_t	summary_rows(struct summary_row *rows, struct summary_row *sum);
/* The table, with a total line. */
void	summary_print(FILE *);
/* --json: the same as one JSON object on a line (summary_json.c). */
void	summary_print_json(FILE *);

#endif
