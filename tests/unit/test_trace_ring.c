/*
 * The trace ring and its merger in one process: a call whose exit comes
 * next is one whole line; a call interrupted by another line is split in
 * strace's notation; what the supervisor did not write is written by the
 * worker's flush in the same notation (whole, resumed or unfinished).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "trace_ring.h"
#include "../../supervisor/merge.h"

/* As decode.c makes them: the entry ends with the separator of the
 * arguments printed at exit; the exit's half starts at the entry's end. */
static const char	 entry[] = "[pid 5] read(3, ";
#define ENTRY_END	14
static const char	 line[] = "[pid 5] read(3, \"a\", 1) = 1\n";
static const char	 head[] = "[pid 5] <... read resumed>";

/* Everything readable from fd, as a string. */
static char *
slurp(int fd)
{
	static char	 buf[4096];
	ssize_t		 n;
	size_t		 len = 0;

	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	return buf;
}

static void
put_call(void)
{
	trace_ring_put(TR_EXIT, 5, line, sizeof(line) - 1, ENTRY_END,
	    head, sizeof(head) - 1);
}

static void
put_entry(void)
{
	trace_ring_put(TR_ENTRY, 5, entry, sizeof(entry) - 1, 0, NULL, 0);
}

static struct trace_ring	*last_ring;
static uint64_t			 last_pos;

static void
put_line(const char *s)
{
	if (last_ring != NULL)
		last_pos = last_ring->r_hdr.rh_head;
	trace_ring_put(TR_LINE, 0, s, strlen(s), 0, NULL, 0);
}

static void
corrupt_last(void)
{
	trace_ring_at(last_ring, last_pos)->tr_len = 3;
}

static uint64_t
ring_tail(void)
{
	return __atomic_load_n(&last_ring->r_hdr.rh_tail, __ATOMIC_ACQUIRE);
}

static uint64_t
ring_head(void)
{
	return last_ring->r_hdr.rh_head;
}

static void
test_merge(void **state)
{
	struct merge_src	*s;
	char			 rec[128], *got;
	size_t			 len;
	int			 p[2], i;

	(void)state;
	assert_int_equal(pipe2(p, O_NONBLOCK), 0);
	assert_int_equal(merge_init(p[1], "pipe"), 0);
	assert_non_null(s = merge_add());
	merge_child(s);		/* this process publishes into it */
	last_ring = trace_ring_attached();
	trace_ring_busy();

	/* Nothing between entry and exit: one line. */
	put_entry();
	put_call();
	merge_run(1);
	assert_string_equal(slurp(p[0]), line);

	/* Another line between them: split as strace splits it. */
	put_entry();
	put_line("[pid 6] +++ exited with 0 +++\n");
	put_call();
	merge_run(1);
	assert_string_equal(slurp(p[0]),
	    "[pid 5] read(3,  <unfinished ...>\n"
	    "[pid 6] +++ exited with 0 +++\n"
	    "[pid 5] <... read resumed>\"a\", 1) = 1\n");

	/* A call still blocked when the run ends: its entry, unfinished. */
	put_entry();
	merge_run(1);
	assert_string_equal(slurp(p[0]), "[pid 5] read(3,  <unfinished ...>\n");

	/* Records of every size wrap the ring many times (pads of 8 bytes
	 * and up at its end) and come out whole and in order. */
	for (i = 0; i < 40000; i++) {
		len = (size_t)snprintf(rec, sizeof(rec), "[pid 7] %d %.*s\n", i,
		    i % 53, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
		trace_ring_put(TR_LINE, 0, rec, len, 0, NULL, 0);
		if (i % 50 == 49) {
			merge_run(1);
			assert_true(strncmp(got = slurp(p[0]), "[pid 7] ", 8) == 0);
			assert_int_equal(atoi(got + 8), i - 49);
			assert_int_equal(strlen(got) -
			    (size_t)(strrchr(got, '\n') - got) - 1, 0);
		}
	}
	assert_true(ring_head() > 4 * (uint64_t)TRACE_RING_SIZE);

	/* A record that cannot be (a worker's bug): that ring is skipped,
	 * from then on, and its worker never waits for room. */
	put_line("[pid 6] lost\n");
	corrupt_last();
	put_line("[pid 6] after\n");
	merge_run(1);
	assert_string_equal(slurp(p[0]), "");
	put_line("[pid 6] still\n");
	merge_run(1);
	assert_string_equal(slurp(p[0]), "");
	assert_int_equal(ring_tail(), ring_head());
	close(p[0]);
	close(p[1]);
}

static void
test_flush(void **state)
{
	struct trace_ring	*r;
	int			 p[2];

	(void)state;
	assert_int_equal(pipe2(p, O_NONBLOCK), 0);
	assert_non_null(r = trace_ring_create());
	trace_ring_attach(r, p[1], -1);

	/* Entry and exit in the ring: whole. */
	put_entry();
	put_call();
	put_line("[pid 6] --- SIGCHLD ---\n");
	trace_ring_flush_all();
	assert_string_equal(slurp(p[0]), "[pid 5] read(3, \"a\", 1) = 1\n"
	    "[pid 6] --- SIGCHLD ---\n");

	/* The supervisor took the entry (and wrote it unfinished). */
	put_entry();
	r->r_hdr.rh_tail = r->r_hdr.rh_head;
	put_call();
	trace_ring_flush_all();
	assert_string_equal(slurp(p[0]),
	    "[pid 5] <... read resumed>\"a\", 1) = 1\n");

	/* No exit yet: the entry, unfinished. */
	put_entry();
	trace_ring_flush_all();
	assert_string_equal(slurp(p[0]), "[pid 5] read(3,  <unfinished ...>\n");
	assert_int_equal(r->r_hdr.rh_tail, r->r_hdr.rh_head);
	trace_ring_attach(NULL, -1, -1);
	trace_ring_destroy(r);
	close(p[0]);
	close(p[1]);
}

/* Records wrap around the ring (padding at its end) many times over and
 * all come out in order. */
static void
test_wrap(void **state)
{
	struct trace_ring	*r;
	char			 rec[200], name[] = "/tmp/it-ring.XXXXXX", *buf;
	int			 fd, i, n;
	ssize_t			 got;

	(void)state;
	assert_true((fd = mkstemp(name)) != -1);
	unlink(name);
	assert_non_null(r = trace_ring_create());
	trace_ring_attach(r, fd, -1);
	memset(rec, 'x', sizeof(rec));
	rec[sizeof(rec) - 1] = '\n';
	n = 3 * TRACE_RING_SIZE / (int)sizeof(rec);
	for (i = 0; i < n; i++) {
		snprintf(rec, sizeof(rec), "%08d", i);
		rec[8] = 'x';
		trace_ring_put(TR_LINE, 0, rec, sizeof(rec), 0, NULL, 0);
		if (i % 1000 == 999)
			trace_ring_flush_all();
	}
	trace_ring_flush_all();
	assert_int_equal(r->r_hdr.rh_tail, r->r_hdr.rh_head);
	assert_non_null(buf = malloc((size_t)n * sizeof(rec)));
	got = pread(fd, buf, (size_t)n * sizeof(rec), 0);
	assert_int_equal(got, (ssize_t)(n * sizeof(rec)));
	for (i = 0; i < n; i++) {
		snprintf(rec, sizeof(rec), "%08d", i);
		assert_memory_equal(buf + (size_t)i * sizeof(rec), rec, 8);
	}
	free(buf);
	trace_ring_attach(NULL, -1, -1);
	trace_ring_destroy(r);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_wrap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
