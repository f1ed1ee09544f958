/* The worker's use of handler tables (worker/table.c). */
#ifndef TABLE_IMPL_H
#define TABLE_IMPL_H

#include <stdint.h>

#include <isotrace/isotrace.h>

/* A tool's table with its empty slots taken from passthru. */
void	table_complete(struct it_table *, const struct it_table *);
/* Copies every filled slot of src over dst. */
void	table_overlay(struct it_table *dst, const struct it_table *src);
/* trap[nr] = 1 where the slot is not the passthru default. */
void	table_traps(const struct it_table *, uint8_t trap[IT_NR_MAX]);
/* Whether t fills nr's slot with a handler of its own. */
int	table_handles(const struct it_table *, long nr);
/* Calls slot nr with the raw arguments converted to its types. */
long	table_call(const struct it_table *, struct it_task *, long nr,
	    const uint64_t *args);

#endif
