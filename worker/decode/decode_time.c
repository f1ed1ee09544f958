/*
 * Time structures: timespec, timeval, itimerval, itimerspec, utimbuf.
 * Absolute times that set a file's timestamps carry a date comment, as
 * strace prints them.
 */
#include <sys/time.h>
#include <time.h>
#include <utime.h>

#include "decode_impl.h"

void
dput_timespec_val(struct sbuf *sb, long long sec, long long nsec)
{
	sbuf_printf(sb, "{tv_sec=%lld, tv_nsec=%lld}", sec, nsec);
}

void
dput_timeval_val(struct sbuf *sb, long long sec, long long usec)
{
	sbuf_printf(sb, "{tv_sec=%lld, tv_usec=%lld}", sec, usec);
}

void
dput_timespec(struct dctx *c, uint64_t addr, int i)
{
	struct timespec	 ts;

	(void)i;
	if (dfetch(c, addr, &ts, sizeof(ts)) == 0)
		dput_timespec_val(c->c_sb, ts.tv_sec, ts.tv_nsec);
}

void
dput_timeval(struct dctx *c, uint64_t addr, int i)
{
	struct timeval	 tv;

	(void)i;
	if (dfetch(c, addr, &tv, sizeof(tv)) == 0)
		dput_timeval_val(c->c_sb, tv.tv_sec, tv.tv_usec);
}

void
dput_itimerval(struct dctx *c, uint64_t addr, int i)
{
	struct itimerval it;

	(void)i;
	if (dfetch(c, addr, &it, sizeof(it)) < 0)
		return;
	sbuf_puts(c->c_sb, "{it_interval=");
	dput_timeval_val(c->c_sb, it.it_interval.tv_sec,
	    it.it_interval.tv_usec);
	sbuf_puts(c->c_sb, ", it_value=");
	dput_timeval_val(c->c_sb, it.it_value.tv_sec, it.it_value.tv_usec);
	sbuf_puts(c->c_sb, "}");
}

void
dput_itimerspec(struct dctx *c, uint64_t addr, int i)
{
	struct itimerspec it;

	(void)i;
	if (dfetch(c, addr, &it, sizeof(it)) < 0)
		return;
	sbuf_puts(c->c_sb, "{it_interval=");
	dput_timespec_val(c->c_sb, it.it_interval.tv_sec,
	    it.it_interval.tv_nsec);
	sbuf_puts(c->c_sb, ", it_value=");
	dput_timespec_val(c->c_sb, it.it_value.tv_sec, it.it_value.tv_nsec);
	sbuf_puts(c->c_sb, "}");
}

void
dput_utimbuf(struct dctx *c, uint64_t addr, int i)
{
	struct utimbuf	 u;

	(void)i;
	if (dfetch(c, addr, &u, sizeof(u)) < 0)
		return;
	sbuf_printf(c->c_sb, "{actime=%lld", (long long)u.actime);
	dput_time_comment(c->c_sb, u.actime, 0, 0);
	sbuf_printf(c->c_sb, ", modtime=%lld", (long long)u.modtime);
	dput_time_comment(c->c_sb, u.modtime, 0, 0);
	sbuf_puts(c->c_sb, "}");
}

/* utimensat's and utimes' pair of times, each with its date; the
 * UTIME_NOW and UTIME_OMIT markers print by name. */
void
dput_time_pair(struct dctx *c, uint64_t addr, int micro)
{
	struct timespec	 ts[2];
	struct timeval	 tv[2];
	long long	 sec, frac;
	int		 k;

	if (micro ? dfetch(c, addr, tv, sizeof(tv)) :
	    dfetch(c, addr, ts, sizeof(ts)))
		return;
	sbuf_puts(c->c_sb, "[");
	for (k = 0; k < 2; k++) {
		sec = micro ? tv[k].tv_sec : ts[k].tv_sec;
		frac = micro ? tv[k].tv_usec : ts[k].tv_nsec;
		if (k)
			sbuf_puts(c->c_sb, ", ");
		if (!micro && frac == UTIME_NOW) {
			sbuf_puts(c->c_sb, "UTIME_NOW");
			continue;
		}
		if (!micro && frac == UTIME_OMIT) {
			sbuf_puts(c->c_sb, "UTIME_OMIT");
			continue;
		}
		if (micro)
			dput_timeval_val(c->c_sb, sec, frac);
		else
			dput_timespec_val(c->c_sb, sec, frac);
		dput_time_comment(c->c_sb, sec, (long)frac, micro ? 6 : 9);
	}
	sbuf_puts(c->c_sb, "]");
}
