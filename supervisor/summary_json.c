/*
 * The -c summary under --json: one last object, {"type":"summary", ...},
 * so that the whole output stays JSON lines.  Its rows are the table's,
 * in its order (by time), "percent" rounded to two decimals as there.
 */
#include <time.h>

#include <jansson.h>

#include <isotrace/isotrace.h>

#include "summary.h"

static json_t *
row(const struct summary_row *r, const struct summary_row *sum)
{
	json_t	*o = json_object();

	if (r->sr_nr >= 0) {
		json_object_set_new(o, "name",
		    json_string(it_sysname(r->sr_nr)));
		json_object_set_new(o, "nr", json_integer(r->sr_nr));
	}
	json_object_set_new(o, "calls", json_integer((json_int_t)r->sr_calls));
	json_object_set_new(o, "errors",
	    json_integer((json_int_t)r->sr_errors));
	json_object_set_new(o, "seconds",
	    json_real((double)(r->sr_nsec / 1000) / 1e6));
	if (r->sr_nr >= 0)
		json_object_set_new(o, "percent", json_real(sum->sr_nsec ?
		    (double)((10000 * r->sr_nsec + sum->sr_nsec / 2) /
		    sum->sr_nsec) / 100 : 0));
	return o;
}

void
summary_print_json(FILE *f)
{
	struct summary_row	 rows[IT_NR_MAX], sum;
	struct timespec		 ts;
	json_t			*o, *calls;
	size_t			 n, i;

	n = summary_rows(rows, &sum);
	clock_gettime(CLOCK_REALTIME, &ts);
	o = json_object();
	json_object_set_new(o, "type", json_string("summary"));
	json_object_set_new(o, "time", json_real((double)ts.tv_sec +
	    (double)(ts.tv_nsec / 1000) / 1e6));
	calls = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(calls, row(&rows[i], &sum));
	json_object_set_new(o, "syscalls", calls);
	json_object_set_new(o, "total", row(&sum, &sum));
	json_dumpf(o, f, JSON_COMPACT | JSON_REAL_PRECISION(16));
	fputc('\n', f);
	json_decref(o);
	fflush(f);
}
