/*
 * The -c table, in strace's layout:
 *
 * % time     seconds  usecs/call     calls    errors syscall
 * ------ ----------- ----------- --------- --------- ----------------
 *  62.50    0.000010          10         1           openat
 *  ...
 * ------ ----------- ----------- --------- --------- ----------------
 * 100.00    0.000016           1        13         1 total
 *
 * An errors cell is blank when there were none; usecs/call is rounded
 * down.  Times are what the workers measured between entry and exit
 * stops (worker/decode/stamp.c), the way strace -w measures them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <isotrace/isotrace.h>

#include "summary.h"

static struct summary_row	 totals[IT_NR_MAX];

#define RULE	"------ ----------- ----------- --------- --------- " \
		"----------------\n"

void
summary_add(const Isotrace__Tally *m)
{
	const Isotrace__SyscallCount	*c;
	size_t				 i;

	for (i = 0; i < m->n_counts; i++) {
		c = m->counts[i];
		totals[c->nr].sr_calls += c->calls;
		totals[c->nr].sr_errors += c->errors;
		totals[c->nr].sr_nsec += c->nsec;
	}
}

static int
by_time(const void *a, const void *b)
{
	const struct summary_row	*x = a, *y = b;

	if (x->sr_nsec != y->sr_nsec)
		return x->sr_nsec > y->sr_nsec ? -1 : 1;
	return x->sr_nr < y->sr_nr ? -1 : x->sr_nr > y->sr_nr;
}

static void
row(FILE *f, const char *name, double percent, const struct summary_row *t)
{
	char	 errors[24] = "";

	if (t->sr_errors > 0)
		snprintf(errors, sizeof(errors), "%llu",
		    (unsigned long long)t->sr_errors);
	fprintf(f, "%6.2f %11.6f %11llu %9llu %9s %s\n", percent,
	    (double)t->sr_nsec / 1e9,
	    (unsigned long long)(t->sr_calls ? t->sr_nsec / 1000 /
	    t->sr_calls : 0), (unsigned long long)t->sr_calls, errors, name);
}

size_t
summary_rows(struct summary_row *rows, struct summary_row *sum)
{
	size_t		 n = 0;
	long		 nr;

	memset(sum, 0, sizeof(*sum));
	sum->sr_nr = -1;
	for (nr = 0; nr < IT_NR_MAX; nr++) {
		if (totals[nr].sr_calls == 0)
			continue;
		rows[n] = totals[nr];
		rows[n++].sr_nr = nr;
		sum->sr_calls += totals[nr].sr_calls;
		sum->sr_errors += totals[nr].sr_errors;
		sum->sr_nsec += totals[nr].sr_nsec;
	}
	qsort(rows, n, sizeof(rows[0]), by_time);
	return n;
}

void
summary_print(FILE *f)
{
	struct summary_row	 rows[IT_NR_MAX], sum;
	size_t			 n, i;

	n = summary_rows(rows, &sum);
	fprintf(f, "%% time     seconds  usecs/call     calls    errors "
	    "syscall\n" RULE);
	for (i = 0; i < n; i++)
		row(f, it_sysname(rows[i].sr_nr), sum.sr_nsec ?
		    100.0 * (double)rows[i].sr_nsec / (double)sum.sr_nsec : 0,
		    &rows[i]);
	fputs(RULE, f);
	row(f, "total", 100, &sum);
	fflush(f);
}
