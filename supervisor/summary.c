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
 * stops (worker/stamp.c), the way strace -w measures them.
 */
#include <stdint.h>
#include <stdlib.h>

#include <isotrace/isotrace.h>

#include "summary.h"

struct total {
	long		 t_nr;
	uint64_t	 t_calls, t_errors, t_nsec;
};

static struct total	 totals[IT_NR_MAX];

#define RULE	"------ ----------- ----------- --------- --------- " \
		"----------------\n"

void
summary_add(const Isotrace__Tally *m)
{
	const Isotrace__SyscallCount	*c;
	size_t				 i;

	for (i = 0; i < m->n_counts; i++) {
		c = m->counts[i];
		totals[c->nr].t_calls += c->calls;
		totals[c->nr].t_errors += c->errors;
		totals[c->nr].t_nsec += c->nsec;
	}
}

static int
by_time(const void *a, const void *b)
{
	const struct total	*x = a, *y = b;

	if (x->t_nsec != y->t_nsec)
		return x->t_nsec > y->t_nsec ? -1 : 1;
	return x->t_nr < y->t_nr ? -1 : x->t_nr > y->t_nr;
}

static void
row(FILE *f, const char *name, double percent, const struct total *t)
{
	char	 errors[24] = "";

	if (t->t_errors > 0)
		snprintf(errors, sizeof(errors), "%llu",
		    (unsigned long long)t->t_errors);
	fprintf(f, "%6.2f %11.6f %11llu %9llu %9s %s\n", percent,
	    (double)t->t_nsec / 1e9,
	    (unsigned long long)(t->t_calls ? t->t_nsec / 1000 / t->t_calls :
	    0), (unsigned long long)t->t_calls, errors, name);
}

void
summary_print(FILE *f)
{
	struct total	 rows[IT_NR_MAX], sum = { 0 };
	size_t		 n = 0, i;
	long		 nr;

	for (nr = 0; nr < IT_NR_MAX; nr++) {
		if (totals[nr].t_calls == 0)
			continue;
		rows[n] = totals[nr];
		rows[n++].t_nr = nr;
		sum.t_calls += totals[nr].t_calls;
		sum.t_errors += totals[nr].t_errors;
		sum.t_nsec += totals[nr].t_nsec;
	}
	qsort(rows, n, sizeof(rows[0]), by_time);
	fprintf(f, "%% time     seconds  usecs/call     calls    errors "
	    "syscall\n" RULE);
	for (i = 0; i < n; i++)
		row(f, it_sysname(rows[i].t_nr), sum.t_nsec ?
		    100.0 * (double)rows[i].t_nsec / (double)sum.t_nsec : 0,
		    &rows[i]);
	fputs(RULE, f);
	row(f, "total", 100, &sum);
	fflush(f);
}
