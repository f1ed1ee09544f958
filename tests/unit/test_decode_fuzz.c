/*
 * The decoder against hostile input: for every syscall of the table, many
 * rounds of random register values, at entry and at exit with random
 * results, pointing at memory built to catch over-reads:
 *
 *	edge	a page of non-zero bytes (no NUL: no string ends there),
 *		followed by
 *	guard	a PROT_NONE page, so anything read across the edge fails;
 *	maze	a page of words that are themselves such pointers (iovecs,
 *		msghdrs, argv arrays and sigaction handlers that lead to the
 *		edge, the guard or nowhere);
 *
 * plus NULL, small numbers, kernel addresses and random 64-bit values.
 * The "guest" is this very process (process_vm_readv on our own pid), so
 * the reads are real and the guard page really faults for them.  The test
 * passes when nothing crashes (it runs under ASan and UBSan in CI, which
 * turn a host-side overrun into a failure) and every line comes out whole:
 * "[pid N] name(...) = result", one line, under the line cap.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "decode_impl.h"
#include "output.h"
#include "task.h"

#define PAGE		4096
#define U(p)		((uint64_t)(uintptr_t)(p))
#define ROUNDS		100

static uint64_t		 rng = 0x9e3779b97f4a7c15ULL;
static unsigned char	*edge, *guard, *maze;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A pointer that is interesting to dereference. */
static uint64_t
nasty_ptr(void)
{
	switch (next() % 9) {
	case 0:	return 0;
	case 1:	return U(edge) + PAGE - 1 - next() % 96;
	case 2:	return U(edge) + next() % PAGE;
	case 3:	return U(guard) + next() % PAGE;
	case 4:	return U(maze) + (next() % (PAGE / 8)) * 8;
	case 5:	return U(maze) + PAGE - 8 * (1 + next() % 8);
	case 6:	return next() % 4096;
	case 7:	return 0xffffffffffff0000ULL | next();
	default: return next();
	}
}

/* A register value: a pointer, a small or signed number, or noise. */
static uint64_t
nasty_arg(void)
{
	switch (next() % 6) {
	case 0:
	case 1:	return nasty_ptr();
	case 2:	return next() % 64;
	case 3:	return (uint64_t)-(int64_t)(next() % 200);
	case 4:	return next() & 0xffffffffULL;
	default: return next();
	}
}

static long
nasty_result(void)
{
	switch (next() % 6) {
	case 0:	return 0;
	case 1:	return (long)(next() % 64);
	case 2:	return -(long)(1 + next() % 133);
	case 3:	return -(long)(512 + next() % 5);
	case 4:	return (long)(next() & 0x7fffffff);
	default: return (long)next();
	}
}

static int
setup(void **state)
{
	unsigned char	*p;
	size_t		 k;
	int		 fd;

	(void)state;
	p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	maze = p;
	edge = p + PAGE;
	guard = p + 2 * PAGE;
	for (k = 0; k < PAGE; k++)
		edge[k] = (unsigned char)(1 + next() % 255);
	if (mprotect(guard, PAGE, PROT_NONE) == -1)
		return -1;
	for (k = 0; k < PAGE / 8; k++) {
		uint64_t v = k % 4 == 3 ? next() % 64 : nasty_ptr();

		memcpy(maze + 8 * k, &v, 8);
	}
	if ((fd = open("/dev/null", O_WRONLY)) == -1)
		return -1;
	output_init(fd, "/dev/null", 0);
	return 0;
}

static void
check_line(const struct it_task *t, long nr)
{
	const char	*nl = memchr(t->t_line, '\n', 4 * 4096);
	const char	*eq = strstr(t->t_line, ") = ");

	if (nl == NULL || strncmp(t->t_line, "[pid ", 5) != 0 ||
	    eq == NULL || eq > nl)
		fail_msg("syscall %ld: malformed line: %.200s", nr, t->t_line);
}

static void
fuzz_one(struct it_task *t, long nr, int i386)
{
	uint64_t	 args[6];
	int		 k, r;

	for (r = 0; r < ROUNDS; r++) {
		for (k = 0; k < 6; k++)
			args[k] = nasty_arg();
		t->t_nr = nr;
		memcpy(t->t_args, args, sizeof(args));
		decode_entry(t, nr, args, i386);
		if (r % 7 == 6) {
			decode_noreturn(t);
			check_line(t, nr);
			continue;
		}
		decode_exit(t, nr, args, nasty_result());
		check_line(t, nr);
	}
}

static void
test_fuzz_table(void **state)
{
	struct it_task	*t;
	long		 nr;

	(void)state;
	t = task_add(getpid(), getpid(), 0);
	assert_non_null(t);
	for (nr = 0; nr < IT_NR_MAX; nr++)
		if (sysdescs[nr].s_name != NULL)
			fuzz_one(t, nr, 0);
	/* Numbers the table does not have, and int 0x80 calls. */
	fuzz_one(t, IT_NR_MAX + 5, 0);
	fuzz_one(t, 11, 1);
	task_remove(t);
}

/* The string cut (-s) at its extremes, with strings whose NUL is the
 * last byte before the guard page. */
static void
test_fuzz_strsize(void **state)
{
	static const size_t	 sizes[] = { 0, 1, 4095, 4096, 1 << 20 };
	struct it_task		*t;
	size_t			 k;
	long			 nr;

	(void)state;
	t = task_add(getpid(), getpid(), 0);
	assert_non_null(t);
	/* Now strings end exactly at the guard page. */
	edge[PAGE - 1] = '\0';
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		decode_set_strsize(sizes[k]);
		for (nr = 0; nr < 64; nr++)
			if (sysdescs[nr].s_name != NULL)
				fuzz_one(t, nr, 0);
	}
	decode_set_strsize(32);
	task_remove(t);
}

/* The printers of values the kernel hands over whole (a siginfo at a
 * signal stop, a wait status, a mask), fed noise. */
static void
test_fuzz_values(void **state)
{
	char		 buf[4096];
	struct sbuf	 sb;
	siginfo_t	 si;
	uint64_t	 w;
	size_t		 k;
	int		 r;

	(void)state;
	for (r = 0; r < 20000; r++) {
		for (k = 0; k < sizeof(si); k += 8) {
			w = next();
			memcpy((char *)&si + k, &w, sizeof(si) - k < 8 ?
			    sizeof(si) - k : 8);
		}
		if (r % 2)
			si.si_signo = (int)(next() % 70);
		if (r % 3)
			si.si_code = (int)(next() % 12) - 6;
		sb = (struct sbuf){ buf, 0, sizeof(buf) };
		dput_siginfo_val(&sb, &si);
		dput_wait_status(&sb, (int)next());
		w = next();
		dput_sigmask(&sb, &w, 64);
		dput_signal(&sb, (int)next());
		dput_file_mode(&sb, (unsigned)next());
		dput_enum(&sb, (int)(next() % IT_X_COUNT), next());
		dput_flags(&sb, (int)(next() % IT_X_COUNT), next());
		dput_time_comment(&sb, (long long)next(), (long)(next() %
		    1000000000), 9);
		assert_true(sb.sb_len < sizeof(buf));
		assert_non_null(memchr(buf, '\0', sizeof(buf)));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fuzz_table),
		cmocka_unit_test(test_fuzz_strsize),
		cmocka_unit_test(test_fuzz_values),
	};

	return cmocka_run_group_tests_name("decode_fuzz", tests, setup, NULL);
}
