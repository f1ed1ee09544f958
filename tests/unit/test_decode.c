/*
 * The decoder's printing primitives: quoting, results and errno names,
 * flag sets printed from their xlat tables.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>

#include "xlat.h"
#include "decode.h"

static const char *
quoted(const char *s, size_t len, size_t max)
{
	static char	 buf[256];
	struct sbuf	 sb = { buf, 0, sizeof(buf) };

	buf[0] = '\0';
	sbuf_quote(&sb, (const unsigned char *)s, len, max, 1);
	return buf;
}

static void
test_quote(void **state)
{
	(void)state;
	assert_string_equal(quoted("hello\n", 6, 32), "\"hello\\n\"");
	assert_string_equal(quoted("a\"b\\c\t", 6, 32), "\"a\\\"b\\\\c\\t\"");
	assert_string_equal(quoted("\0011", 2, 32), "\"\\0011\"");
	assert_string_equal(quoted("\001x", 2, 32), "\"\\1x\"");
	assert_string_equal(quoted("abcdef", 6, 3), "\"abc\"...");
	assert_string_equal(quoted("", 0, 32), "\"\"");
}

static const char *
result(int kind, long r)
{
	static char	 buf[256];
	struct sbuf	 sb = { buf, 0, sizeof(buf) };
	struct argdesc	 d = { (uint8_t)kind, 0, NULL };

	buf[0] = '\0';
	decode_result(&sb, &d, r);
	return buf;
}

static void
test_result(void **state)
{
	(void)state;
	assert_string_equal(result(DK_LONG, 6), "6");
	assert_string_equal(result(DK_LONG, -ENOENT),
	    "-1 ENOENT (No such file or directory)");
	assert_string_equal(result(DK_FD, -EFAULT), "-1 EFAULT (Bad address)");
	assert_string_equal(result(DK_ADDR, 0x7f0000001000L), "0x7f0000001000");
	assert_string_equal(result(DK_MODE, 022), "022");
	assert_string_equal(result(DK_LONG, -512),
	    "? ERESTARTSYS (To be restarted if SA_RESTART is set)");
	assert_string_equal(decode_errno_name(EAGAIN), "EAGAIN");
}

static const char *
flags(enum xlat_set s, uint64_t v)
{
	static char	 buf[512];

	xlat_flags(buf, sizeof(buf), xlat_set(s), v);
	return buf;
}

static void
test_flags(void **state)
{
	(void)state;
	assert_string_equal(flags(IT_X_open, O_RDONLY), "O_RDONLY");
	assert_string_equal(flags(IT_X_open, O_WRONLY | O_CREAT | O_TRUNC),
	    "O_WRONLY|O_CREAT|O_TRUNC");
	assert_string_equal(flags(IT_X_open, O_RDWR | O_CLOEXEC),
	    "O_RDWR|O_CLOEXEC");
	assert_string_equal(flags(IT_X_prot, PROT_READ | PROT_WRITE),
	    "PROT_READ|PROT_WRITE");
	assert_string_equal(flags(IT_X_prot, 0), "PROT_NONE");
	assert_string_equal(flags(IT_X_mmap, MAP_PRIVATE | MAP_ANONYMOUS),
	    "MAP_PRIVATE|MAP_ANONYMOUS");
	assert_string_equal(flags(IT_X_clone, CLONE_VM | 0x4000000000000000ULL),
	    "CLONE_VM|0x4000000000000000");
	assert_string_equal(xlat_name(it_xlat_signal, SIGTERM), "SIGTERM");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_result),
		cmocka_unit_test(test_flags),
	};

	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
