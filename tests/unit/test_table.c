/*
 * The syscall table against the kernel's own list: every __NR_ in
 * <asm/unistd_64.h> has a table line with the same number and name, and
 * the views generated from the table agree with each other.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <asm/unistd_64.h>
#include <errno.h>

#include "decode.h"
#include "table_impl.h"

#ifndef UNISTD_HEADER
#define UNISTD_HEADER	"/usr/include/x86_64-linux-gnu/asm/unistd_64.h"
#endif

static void
test_matches_kernel_header(void **state)
{
	char		 line[256], name[128];
	long		 nr;
	unsigned	 n = 0;
	FILE		*f;

	(void)state;
	if ((f = fopen(UNISTD_HEADER, "r")) == NULL)
		fail_msg("%s: cannot open", UNISTD_HEADER);
	while (fgets(line, sizeof(line), f) != NULL) {
		if (sscanf(line, "#define __NR_%127s %ld", name, &nr) != 2)
			continue;
		n++;
		if (it_sysname(nr) == NULL)
			fail_msg("__NR_%s (%ld) missing from the table", name,
			    nr);
		if (strcmp(it_sysname(nr), name) != 0)
			fail_msg("%ld is %s in the kernel, %s in the table", nr,
			    name, it_sysname(nr));
	}
	fclose(f);
	assert_true(n > 350);
	/* Spot checks at compile time of the header's own macros. */
	assert_int_equal(IT_SYS_read, __NR_read);
	assert_int_equal(IT_SYS_openat, __NR_openat);
	assert_int_equal(IT_SYS_clone3, __NR_clone3);
	assert_int_equal(IT_SYS_futex_waitv, __NR_futex_waitv);
}

static void
test_views_agree(void **state)
{
	long	 nr;
	int	 i, seen = 0;

	(void)state;
	for (nr = 0; nr < IT_NR_MAX; nr++) {
		const struct sysdesc *d = &sysdescs[nr];

		if (d->s_name == NULL)
			continue;
		seen++;
		assert_true(d->s_nargs <= 6);
		for (i = 0; i < d->s_nargs; i++) {
			assert_non_null(d->s_args[i].a_name);
			assert_true(d->s_args[i].a_kind > DK_NONE &&
			    d->s_args[i].a_kind < DK_NORET);
			/* An input buffer's length is the next argument. */
			if (d->s_args[i].a_kind == DK_IBUF)
				assert_true(i + 1 < d->s_nargs);
		}
	}
	assert_true(seen > 360);
	assert_int_equal(sysdescs[IT_SYS_exit_group].s_ret.a_kind, DK_NORET);
	assert_string_equal(sysdescs[IT_SYS_write].s_args[1].a_name, "buf");
	assert_int_equal(sysdescs[IT_SYS_write].s_args[1].a_kind, DK_IBUF);
}

static long
deny_getppid(struct it_task *t)
{
	(void)t;
	return -EPERM;
}

static void
test_traps_follow_slots(void **state)
{
	static const struct it_table tool = { .getppid = deny_getppid };
	struct it_table		 t;
	uint8_t			 trap[IT_NR_MAX];
	long			 nr;

	(void)state;
	table_complete(&t, NULL);
	table_traps(&t, trap);
	for (nr = 0; nr < IT_NR_MAX; nr++)
		assert_int_equal(trap[nr], 0);

	table_complete(&t, &tool);
	table_traps(&t, trap);
	for (nr = 0; nr < IT_NR_MAX; nr++)
		assert_int_equal(trap[nr], nr == IT_SYS_getppid);
	assert_ptr_equal(t.read, it_passthru.read);
	assert_int_equal(table_call(&t, NULL, IT_SYS_getppid, NULL), -EPERM);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_matches_kernel_header),
		cmocka_unit_test(test_views_agree),
		cmocka_unit_test(test_traps_follow_slots),
	};

	return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
