/*
 * The trace merger: reads every worker's trace ring (common/trace_ring.h)
 * and writes the records to the trace output in the order of their
 * stamps, so the lines of all processes come out in the order their
 * events happened, and within MERGE_BOUND_MS of being published.
 *
 * A record is written once no worker can still publish an earlier one
 * (every ring's watermark is past its stamp), or once it has waited
 * MERGE_HOLD_NS: a worker busy for longer (a slow handler) must not hold
 * up the trace.  The merger runs at every tick of a timerfd and whenever a
 * worker with a full ring pokes the eventfd.
 *
 * A call's entry record is held back until its exit: if the exit is the
 * next record written, the call is one whole line; if anything else comes
 * first, or the hold passes (a call blocked in the kernel), the entry is
 * written as "[pid N] read(3,  <unfinished ...>" and its exit later as
 * "[pid N] <... read resumed>...", strace's notation.
 *
 * Lossless: a ring's rh_tail moves only after the write(2) of what was
 * read from it returned, so a worker that outlives a killed supervisor
 * writes exactly what was not written (trace_ring_flush_all).
 */
#include <sys/eventfd.h>
#include <sys/queue.h>
#include <sys/timerfd.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "../common/trace_ring.h"
#include "merge.h"

#define MERGE_TICK_NS	10000000ULL	/* 10 ms */
/* Held at most this long: written by the tick after, within the bound. */
#define MERGE_HOLD_NS	(MERGE_BOUND_MS * 1000000ULL - MERGE_TICK_NS)
#define OUTMAX		65536

struct merge_src {
	TAILQ_ENTRY(merge_src)	 ms_entry;
	struct trace_ring	*ms_ring;
	uint64_t		 ms_pos;	/* read, maybe not yet written */
	uint64_t		 ms_head;	/* published, as last seen */
	int			 ms_gone;	/* its worker is reaped */
	int			 ms_bad;	/* garbage in it: skipped */
};

static TAILQ_HEAD(, merge_src)	 srcs = TAILQ_HEAD_INITIALIZER(srcs);
static int			 out_fd = -1;
static const char		*out_name;
static int			 out_failed;
static char			 out_buf[OUTMAX];
static size_t			 out_len;
static int			 wake_fd = -1;
static int			 tick_fd = -1;

/* The entry record held back, its text copied out of its ring, which is
 * not given back past it (see trace_ring_flush_all). */
static struct {
	int		 h_on;
	struct merge_src *h_src;
	uint64_t	 h_pos;
	pid_t		 h_tid;
	uint64_t	 h_stamp;
	char		*h_text;
	size_t		 h_len, h_cap;
}			 held;

int
merge_init(int fd, const char *name)
{
	struct itimerspec	 it = {
		{ 0, MERGE_TICK_NS }, { 0, MERGE_TICK_NS }
	};

	out_fd = fd;
	out_name = name;
	if ((wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1 ||
	    (tick_fd = timerfd_create(CLOCK_MONOTONIC,
	    TFD_NONBLOCK | TFD_CLOEXEC)) == -1 ||
	    timerfd_settime(tick_fd, 0, &it, NULL) == -1)
		return -1;
	return 0;
}

int
merge_active(void)
{
	return out_fd != -1;
}

int
merge_wake_fd(void)
{
	return wake_fd;
}

int
merge_tick_fd(void)
{
	return tick_fd;
}

struct merge_src *
merge_add(void)
{
	struct merge_src	*s;

	if (!merge_active())
		return NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		fatal("calloc");
	if ((s->ms_ring = trace_ring_create()) == NULL)
		fatal("trace ring");
	TAILQ_INSERT_TAIL(&srcs, s, ms_entry);
	return s;
}

/* In a new worker: its own ring only, and nothing of the merger's. */
void
merge_child(struct merge_src *mine)
{
	struct merge_src	*s;

	TAILQ_FOREACH(s, &srcs, ms_entry)
		if (s != mine)
			trace_ring_destroy(s->ms_ring);
	if (mine != NULL)
		trace_ring_attach(mine->ms_ring, out_fd, wake_fd);
	close(tick_fd);
}

void
merge_gone(struct merge_src *s)
{
	if (s != NULL)
		s->ms_gone = 1;
}

static void
put(const char *s, size_t len)
{
	if (out_failed || trace_write(out_fd, s, len) == 0)
		return;
	log_warn("%s: trace output lost", out_name);
	out_failed = 1;
}

/* Writes the buffer, then lets the workers reuse what it came from. */
static void
flush(void)
{
	struct merge_src	*s, *next;

	if (out_len > 0)
		put(out_buf, out_len);
	out_len = 0;
	for (s = TAILQ_FIRST(&srcs); s != NULL; s = next) {
		next = TAILQ_NEXT(s, ms_entry);
		__atomic_store_n(&s->ms_ring->r_hdr.rh_tail,
		    held.h_on && held.h_src == s ? held.h_pos : s->ms_pos,
		    __ATOMIC_RELEASE);
		if (s->ms_gone && s->ms_pos == s->ms_head &&
		    !(held.h_on && held.h_src == s)) {
			TAILQ_REMOVE(&srcs, s, ms_entry);
			trace_ring_destroy(s->ms_ring);
			free(s);
		}
	}
}

static void
out(const char *s, size_t len)
{
	if (out_len + len > sizeof(out_buf))
		flush();
	if (len > sizeof(out_buf)) {
		put(s, len);
		return;
	}
	memcpy(out_buf + out_len, s, len);
	out_len += len;
}

static void
release_held(void)
{
	static const char	 unfinished[] = " <unfinished ...>\n";

	if (!held.h_on)
		return;
	out(held.h_text, held.h_len);
	out(unfinished, sizeof(unfinished) - 1);
	held.h_on = 0;
}

static void
hold(struct merge_src *s, const struct trace_rec *r)
{
	if (r->tr_textlen > held.h_cap) {
		free(held.h_text);
		held.h_cap = r->tr_textlen;
		if ((held.h_text = malloc(held.h_cap)) == NULL)
			fatal("malloc");
	}
	memcpy(held.h_text, r->tr_text, r->tr_textlen);
	held.h_len = r->tr_textlen;
	held.h_tid = r->tr_tid;
	held.h_stamp = r->tr_stamp;
	held.h_src = s;
	held.h_pos = s->ms_pos;
	held.h_on = 1;
}

static void
emit(struct merge_src *s, const struct trace_rec *r)
{
	size_t	 tail;

	/* A record's line goes out in one write(2), never torn. */
	if (out_len + r->tr_textlen + held.h_len + 32 > sizeof(out_buf))
		flush();
	if (held.h_on && !(r->tr_kind == TR_EXIT && r->tr_tid == held.h_tid))
		release_held();
	switch (r->tr_kind) {
	case TR_LINE:
		out(r->tr_text, r->tr_textlen);
		break;
	case TR_ENTRY:
		hold(s, r);
		break;
	case TR_EXIT:
		if (held.h_on) {
			/* Nothing came between: one line, as today. */
			held.h_on = 0;
			out(r->tr_text, r->tr_linelen);
			break;
		}
		/* Its entry went out unfinished (held.h_tid's or lost). */
		out(r->tr_text + r->tr_linelen, r->tr_textlen - r->tr_linelen);
		tail = trace_rec_tail(r);
		out(r->tr_text + tail, r->tr_linelen - tail);
		break;
	}
}

/*
 * A worker is not trusted to be sane: a record that does not fit where it
 * is (a bug, a stray write) makes the merger skip that ring from then on,
 * as a worker sending garbage is dropped, instead of reading out of it.
 */
static int
sane(const struct merge_src *s, const struct trace_rec *r)
{
	size_t	 off = s->ms_pos % TRACE_RING_SIZE;

	/* A pad may be 8 bytes long: only its length and kind are read. */
	if (s->ms_head - s->ms_pos > TRACE_RING_SIZE)
		return 0;
	if (r->tr_kind == TR_PAD)
		return r->tr_len == TRACE_RING_SIZE - off;
	return off + sizeof(*r) <= TRACE_RING_SIZE &&
	    r->tr_len >= sizeof(*r) && r->tr_len % 8 == 0 &&
	    off + r->tr_len <= TRACE_RING_SIZE && r->tr_kind <= TR_EXIT &&
	    r->tr_textlen <= r->tr_len - sizeof(*r) &&
	    r->tr_linelen <= r->tr_textlen && r->tr_tail <= r->tr_linelen;
}

/* The next record of s, padding skipped; NULL if none is published. */
static struct trace_rec *
peek(struct merge_src *s)
{
	struct trace_rec	*r;

	while (!s->ms_bad && s->ms_pos < s->ms_head) {
		r = trace_ring_at(s->ms_ring, s->ms_pos);
		if (!sane(s, r)) {
			log_warnx("a worker's trace ring is corrupt; its trace "
			    "is dropped");
			s->ms_bad = 1;
			break;
		}
		if (r->tr_kind != TR_PAD)
			return r;
		s->ms_pos += r->tr_len;
	}
	if (s->ms_bad)
		s->ms_pos = s->ms_head;	/* the worker must not wait */
	return NULL;
}

void
merge_run(int final)
{
	struct merge_src	*s, *min;
	struct trace_rec	*r, *rmin;
	struct trace_ring_hdr	*h;
	uint64_t		 now, mark = UINT64_MAX, wm, v;

	if (!merge_active())
		return;
	/* Both are counters: read, they stop waking poll. */
	if (read(wake_fd, &v, sizeof(v)) == -1 && errno != EAGAIN)
		log_debug("merge: eventfd: %s", strerror(errno));
	if (read(tick_fd, &v, sizeof(v)) == -1 && errno != EAGAIN)
		log_debug("merge: timerfd: %s", strerror(errno));
	now = trace_ring_now();
	/* The clock before the flags: pairs with trace_ring_busy(). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	TAILQ_FOREACH(s, &srcs, ms_entry) {
		h = &s->ms_ring->r_hdr;
		if (s->ms_gone)
			wm = UINT64_MAX;
		else if (__atomic_load_n(&h->rh_idle, __ATOMIC_ACQUIRE))
			wm = now;
		else
			wm = __atomic_load_n(&h->rh_stamp, __ATOMIC_ACQUIRE);
		/* After the flag: an idle worker's records are all here. */
		s->ms_head = __atomic_load_n(&h->rh_head, __ATOMIC_ACQUIRE);
		if (wm < mark)
			mark = wm;
	}
	for (;;) {
		min = NULL;
		rmin = NULL;
		TAILQ_FOREACH(s, &srcs, ms_entry)
			if ((r = peek(s)) != NULL &&
			    (rmin == NULL || r->tr_stamp < rmin->tr_stamp)) {
				min = s;
				rmin = r;
			}
		if (rmin == NULL || (!final && rmin->tr_stamp > mark &&
		    now - rmin->tr_stamp < MERGE_HOLD_NS))
			break;
		emit(min, rmin);
		min->ms_pos += rmin->tr_len;
	}
	/* A call blocked in the kernel shows its entry within the bound. */
	if (held.h_on && (final || now - held.h_stamp >= MERGE_HOLD_NS))
		release_held();
	flush();
}
