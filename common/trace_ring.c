/*
 * The trace ring (trace_ring.h): the mapping, and the worker's side.
 */
#include <sys/mman.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "trace_ring.h"

static struct trace_ring	*mine;		/* this worker's ring */
static int			 out_fd = -1;	/* for trace_ring_flush_all */
static int			 wake_fd = -1;

/* A shared anonymous mapping: inherited by the worker forked next. */
struct trace_ring *
trace_ring_create(void)
{
	struct trace_ring	*r;

	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		return NULL;
	/* Not started yet: nothing can come stamped before its start. */
	r->r_hdr.rh_idle = 1;
	return r;
}

void
trace_ring_destroy(struct trace_ring *r)
{
	if (r != NULL)
		munmap(r, sizeof(*r));
}

uint64_t
trace_ring_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

size_t
trace_rec_tail(const struct trace_rec *r)
{
	size_t	 tail = r->tr_tail;

	if (tail + 2 <= r->tr_linelen && memcmp(r->tr_text + tail, ", ", 2) == 0)
		tail += 2;
	return tail;
}

struct trace_rec *
trace_ring_at(struct trace_ring *r, uint64_t pos)
{
	return (struct trace_rec *)(r->r_data + pos % TRACE_RING_SIZE);
}

void
trace_ring_attach(struct trace_ring *r, int fd, int wake)
{
	mine = r;
	out_fd = fd;
	wake_fd = wake;
	trace_ring_busy();
}

struct trace_ring *
trace_ring_attached(void)
{
	return mine;
}

void
trace_ring_idle(void)
{
	if (mine != NULL)
		__atomic_store_n(&mine->r_hdr.rh_idle, 1, __ATOMIC_RELEASE);
}

void
trace_ring_busy(void)
{
	if (mine == NULL)
		return;
	__atomic_store_n(&mine->r_hdr.rh_idle, 0, __ATOMIC_RELAXED);
	/* The flag before the clock: pairs with the merger's fence. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&mine->r_hdr.rh_stamp, trace_ring_now(),
	    __ATOMIC_RELEASE);
}

static size_t
padded(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* Room for need bytes at head; waits for the supervisor if the ring is
 * full.  Returns the head to write at. */
static uint64_t
reserve(size_t need)
{
	struct trace_ring_hdr	*h = &mine->r_hdr;
	uint64_t		 head = h->rh_head, tail, one = 1;
	struct timespec		 nap = { 0, 500000 };
	size_t			 left;
	struct trace_rec	*pad;

	for (;;) {
		tail = __atomic_load_n(&h->rh_tail, __ATOMIC_ACQUIRE);
		left = TRACE_RING_SIZE - head % TRACE_RING_SIZE;
		/* A record never wraps: pad to the end first. */
		if (head - tail + need + (left < need ? left : 0) <=
		    TRACE_RING_SIZE)
			break;
		if (wake_fd != -1)
			(void)write(wake_fd, &one, sizeof(one));
		nanosleep(&nap, NULL);
	}
	if (left < need) {
		/* As little as 8 bytes may be left: a pad is its first two
		 * fields only, and nobody reads more of it. */
		pad = trace_ring_at(mine, head);
		pad->tr_len = (uint32_t)left;
		pad->tr_kind = TR_PAD;
		head += left;
	}
	return head;
}

void
trace_ring_put(enum trace_rec_kind kind, pid_t tid, const char *line,
    size_t linelen, size_t tail, const char *more, size_t morelen)
{
	struct trace_rec	*rec;
	uint64_t		 head;
	size_t			 need, textlen;

	if (mine == NULL)
		return;
	/* Never more than a quarter of the ring (a huge JSON object). */
	if (sizeof(*rec) + linelen + morelen > TRACE_RING_RECMAX) {
		morelen = 0;
		if (kind == TR_EXIT)
			kind = TR_LINE;
		if (sizeof(*rec) + linelen > TRACE_RING_RECMAX)
			linelen = TRACE_RING_RECMAX - sizeof(*rec);
	}
	textlen = linelen + morelen;
	need = padded(sizeof(*rec) + textlen);
	head = reserve(need);
	rec = trace_ring_at(mine, head);
	rec->tr_len = (uint32_t)need;
	rec->tr_kind = (uint16_t)kind;
	rec->tr_pad = 0;
	rec->tr_tid = tid;
	rec->tr_textlen = (uint32_t)textlen;
	rec->tr_linelen = (uint32_t)linelen;
	rec->tr_tail = (uint32_t)tail;
	rec->tr_stamp = __atomic_load_n(&mine->r_hdr.rh_stamp,
	    __ATOMIC_RELAXED);
	memcpy(rec->tr_text, line, linelen);
	if (morelen > 0)
		memcpy(rec->tr_text + linelen, more, morelen);
	__atomic_store_n(&mine->r_hdr.rh_head, head + need, __ATOMIC_RELEASE);
}

int
trace_write(int fd, const char *s, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(fd, s, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		s += n;
		len -= (size_t)n;
	}
	return 0;
}

static void
put_all(const char *s, size_t len)
{
	(void)trace_write(out_fd, s, len);
}

/* Does a TR_EXIT of tid follow pos?  Then its whole line says it all. */
static int
completed(uint64_t pos, uint64_t head, pid_t tid)
{
	struct trace_rec	*rec;

	for (; pos < head; pos += rec->tr_len) {
		rec = trace_ring_at(mine, pos);
		if (rec->tr_kind == TR_EXIT && rec->tr_tid == tid)
			return 1;
		if (rec->tr_kind == TR_ENTRY && rec->tr_tid == tid)
			return 0;
	}
	return 0;
}

#define FLUSH_OPEN	64	/* calls whose entry is in the ring */

/*
 * The supervisor never moves rh_tail past the entry of a call it holds
 * back, so an exit whose entry is no longer in the ring had its entry
 * written as "<unfinished ...>": it is written resumed.  One whose entry
 * is still here is written whole, and an entry with no exit unfinished.
 */
void
trace_ring_flush_all(void)
{
	static const char	 unfinished[] = " <unfinished ...>\n";
	struct trace_rec	*rec;
	uint64_t		 pos, head;
	pid_t			 open[FLUSH_OPEN];
	size_t			 nopen = 0, i;

	if (mine == NULL || out_fd == -1)
		return;
	head = __atomic_load_n(&mine->r_hdr.rh_head, __ATOMIC_ACQUIRE);
	pos = __atomic_load_n(&mine->r_hdr.rh_tail, __ATOMIC_ACQUIRE);
	for (; pos < head; pos += rec->tr_len) {
		rec = trace_ring_at(mine, pos);
		switch (rec->tr_kind) {
		case TR_LINE:
			put_all(rec->tr_text, rec->tr_textlen);
			break;
		case TR_EXIT:
			for (i = 0; i < nopen && open[i] != rec->tr_tid; i++)
				;
			if (i < nopen || nopen == FLUSH_OPEN) {
				if (i < nopen)
					open[i] = open[--nopen];
				put_all(rec->tr_text, rec->tr_linelen);
				break;
			}
			put_all(rec->tr_text + rec->tr_linelen,
			    rec->tr_textlen - rec->tr_linelen);
			i = trace_rec_tail(rec);
			put_all(rec->tr_text + i, rec->tr_linelen - i);
			break;
		case TR_ENTRY:
			if (completed(pos + rec->tr_len, head, rec->tr_tid)) {
				if (nopen < FLUSH_OPEN)
					open[nopen++] = rec->tr_tid;
				break;
			}
			put_all(rec->tr_text, rec->tr_textlen);
			put_all(unfinished, sizeof(unfinished) - 1);
			break;
		}
	}
	__atomic_store_n(&mine->r_hdr.rh_tail, head, __ATOMIC_RELEASE);
}
