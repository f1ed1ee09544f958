/*
 * Names of virtual sockets (common/vnet.c): made and read back, and what
 * is not one of them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <sys/socket.h>

#include "vnet.h"

static const uint8_t	 lo4[16] = { [10] = 0xff, [11] = 0xff, [12] = 127,
			     [15] = 1 };
static const uint8_t	 any6[16];

static void
test_round_trip(void **state)
{
	char		 name[VNET_NAME_MAX + 1];
	uint8_t		 addr[16];
	unsigned int	 port;
	int		 n, type;

	(void)state;
	n = vnet_name(name, sizeof(name), "4242", SOCK_STREAM, lo4, 8000);
	assert_string_equal(name,
	    "isotrace-4242-s-00000000000000000000ffff7f000001-8000");
	assert_int_equal(n, (int)strlen(name));
	assert_int_equal(vnet_parse(name, (size_t)n, &type, addr, &port), 0);
	assert_int_equal(type, SOCK_STREAM);
	assert_memory_equal(addr, lo4, 16);
	assert_int_equal(port, 8000);

	n = vnet_name(name, sizeof(name), "1", SOCK_DGRAM, any6, 65535);
	assert_int_equal(vnet_parse(name, (size_t)n, &type, addr, &port), 0);
	assert_int_equal(type, SOCK_DGRAM);
	assert_memory_equal(addr, any6, 16);
	assert_int_equal(port, 65535);
	/* a one-digit port is the shortest name */
	n = vnet_name(name, sizeof(name), "1", SOCK_DGRAM, lo4, 9);
	assert_int_equal(vnet_parse(name, (size_t)n, &type, addr, &port), 0);
	assert_int_equal(port, 9);
	/* too small a buffer */
	assert_int_equal(vnet_name(name, 20, "1", SOCK_DGRAM, any6, 1), -1);
}

static void
test_not_names(void **state)
{
	static const char *const bad[] = {
		"",
		"isotrace",
		"other-4242-s-00000000000000000000ffff7f000001-8000",
		"isotrace-4242-x-00000000000000000000ffff7f000001-8000",
		"isotrace-4242-s-00000000000000000000ffff7f00000-8000",
		"isotrace-4242-s-00000000000000000000ffff7f0000g1-8000",
		"isotrace-4242-s-00000000000000000000ffff7f000001-65536",
		"isotrace-4242-s-00000000000000000000ffff7f000001-",
		"isotrace-4242-s-00000000000000000000ffff7f000001-80x",
		"isotrace-4242-s-00000000000000000000ffff7f000001:8000",
	};
	uint8_t		 addr[16];
	unsigned int	 port;
	size_t		 i;
	int		 type;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(vnet_parse(bad[i], strlen(bad[i]), &type,
		    addr, &port), -1);
}

static void
test_classes(void **state)
{
	uint8_t	 a[16];

	(void)state;
	assert_true(vnet_is_v4(lo4));
	assert_true(vnet_is_loopback(lo4));
	assert_false(vnet_is_any(lo4));
	assert_true(vnet_is_any(any6));
	assert_false(vnet_is_v4(any6));
	memcpy(a, lo4, 16);
	memset(a + 12, 0, 4);			/* 0.0.0.0 */
	assert_true(vnet_is_any(a));
	a[12] = 10;				/* 10.0.0.0 */
	assert_false(vnet_is_loopback(a));
	memset(a, 0, 16);
	a[15] = 1;				/* ::1 */
	assert_true(vnet_is_loopback(a));
	assert_false(vnet_is_v4(a));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_not_names),
		cmocka_unit_test(test_classes),
	};

	return cmocka_run_group_tests_name("vnet", tests, NULL, NULL);
}
