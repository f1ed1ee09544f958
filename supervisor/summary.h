/*
 * -c: the supervisor adds up the Tally messages of all workers and prints
 * strace's summary table when the traced command has ended.
 */
#ifndef SUMMARY_H
#define SUMMARY_H

#include <stdio.h>

#include "isotrace.pb-c.h"

/* Adds a (validated) Tally to the totals. */
void	summary_add(const Isotrace__Tally *);
/* The table, sorted by time (then by number), with a total line. */
void	summary_print(FILE *);

#endif
