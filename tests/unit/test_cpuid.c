/*
 * The sandbox's fixed CPU (worker/sandbox/cpu.c): what CPUID answers and
 * what /proc/cpuinfo's flags say of it, which must agree; no rdrand, no
 * rdseed, and the CPU count of --cpus; the CPU masks of /sys (sysfs.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "sandbox/sandbox.h"

enum { EAX, EBX, ECX, EDX };

static void
configure(uint32_t cpus)
{
	struct sandbox_config	 c = { .sc_epoch = SANDBOX_EPOCH,
				    .sc_cpus = cpus };

	sandbox_configure(&c);
}

static void
test_vendor_and_brand(void **state)
{
	uint32_t	 r[4], b[13];
	char		 v[13];
	int		 i;

	(void)state;
	configure(2);
	cpu_cpuid(0, 0, r);
	assert_int_equal(r[EAX], cpu_level());
	memcpy(v, &r[EBX], 4);
	memcpy(v + 4, &r[EDX], 4);
	memcpy(v + 8, &r[ECX], 4);
	v[12] = '\0';
	assert_string_equal(v, "GenuineIntel");
	assert_string_equal(v, cpu_vendor());
	cpu_cpuid(0x80000000, 0, r);
	assert_true(r[EAX] >= 0x80000004);
	for (i = 0; i < 3; i++)
		cpu_cpuid(0x80000002 + (uint32_t)i, 0, b + 4 * i);
	b[12] = 0;
	assert_string_equal((char *)b, "isotrace virtual CPU @ 2.00GHz");
	assert_string_equal((char *)b, cpu_brand());
}

static void
test_no_random_instructions(void **state)
{
	uint32_t	 r[4];

	(void)state;
	cpu_cpuid(1, 0, r);
	assert_false(r[ECX] & 1U << 30);	/* RDRAND */
	assert_true(r[ECX] & 1U << 20);		/* SSE4.2 */
	assert_false(r[ECX] & 1U << 28);	/* no AVX */
	assert_false(r[ECX] & 1U << 27);	/* nor OSXSAVE */
	assert_true(r[EDX] & 1U << 26);		/* SSE2 */
	/* leaf 7 (RDSEED in ebx bit 18) is past the maximum: all zero */
	cpu_cpuid(7, 0, r);
	assert_int_equal(r[EAX] | r[EBX] | r[ECX] | r[EDX], 0);
	cpu_cpuid(0x40000000, 0, r);
	assert_int_equal(r[EAX] | r[EBX] | r[ECX] | r[EDX], 0);
	/* family 6 model 0x55 stepping 4, as /proc/cpuinfo says */
	cpu_cpuid(1, 0, r);
	assert_int_equal((r[EAX] >> 8) & 0xf, cpu_family());
	assert_int_equal(((r[EAX] >> 4) & 0xf) | ((r[EAX] >> 12) & 0xf0),
	    cpu_model());
	assert_int_equal(r[EAX] & 0xf, cpu_stepping());
}

static void
test_cpus(void **state)
{
	uint32_t	 r[4];

	(void)state;
	configure(3);
	cpu_cpuid(1, 0, r);
	assert_int_equal((r[EBX] >> 16) & 0xff, 3);
	assert_int_equal(r[EBX] >> 24, 0);	/* APIC id: CPU 0 */
	/* L3, subleaf 3: 16 ways x 64-byte lines x 16384 sets, shared by
	 * the 3 CPUs; subleaf 4: no more caches */
	cpu_cpuid(4, 3, r);
	assert_int_equal(r[EAX] & 0x1f, 3);
	assert_int_equal((r[EAX] >> 5) & 7, 3);
	assert_int_equal(((r[EAX] >> 14) & 0xfff) + 1, 3);
	assert_int_equal((((r[EBX] >> 22) & 0x3ff) + 1) *
	    ((r[EBX] & 0xfff) + 1) * (r[ECX] + 1), 16 << 20);
	cpu_cpuid(4, 4, r);
	assert_int_equal(r[EAX] & 0x1f, 0);
	configure(2);
}

/* Every flag cpuinfo prints is a bit CPUID sets, and the other way. */
static void
test_flags_agree(void **state)
{
	static const struct { uint32_t leaf; int reg, bit; const char *name; }
	    some[] = {
		{ 1, EDX, 0, "fpu" }, { 1, EDX, 26, "sse2" },
		{ 1, ECX, 20, "sse4_2" }, { 1, ECX, 23, "popcnt" },
		{ 0x80000001, EDX, 29, "lm" }, { 0x80000001, EDX, 27, "rdtscp" },
	};
	char		 buf[1024], word[32];
	uint32_t	 r[4], l1[4], e1[4];
	size_t		 len = 0, i;
	int		 bits = 0, words = 0, off = 0, n;

	(void)state;
	cpu_flags(buf, sizeof(buf), &len);
	buf[len] = '\0';
	assert_null(strstr(buf, "rdrand"));
	assert_null(strstr(buf, "rdseed"));
	for (i = 0; i < sizeof(some) / sizeof(some[0]); i++) {
		snprintf(word, sizeof(word), " %s ", some[i].name);
		strlcat(buf, " ", sizeof(buf));
		assert_non_null(strstr(buf, word));
		buf[strlen(buf) - 1] = '\0';
		cpu_cpuid(some[i].leaf, 0, r);
		assert_true(r[some[i].reg] & 1U << some[i].bit);
	}
	while (sscanf(buf + off, "%31s%n", word, &n) == 1) {
		words++;
		off += n;
	}
	cpu_cpuid(1, 0, l1);
	cpu_cpuid(0x80000001, 0, e1);
	for (i = 0; i < 32; i++)
		bits += !!(l1[ECX] & 1U << i) + !!(l1[EDX] & 1U << i) +
		    !!(e1[ECX] & 1U << i) + !!(e1[EDX] & 1U << i);
	assert_int_equal(words, bits);
}

/* sysfs.c's masks are the kernel's: 32-bit words, as wide as n needs. */
static void
test_sysfs_masks(void **state)
{
	static const struct {
		uint32_t	 n, first, last;
		const char	*mask;
	} cases[] = {
		{ 1, 0, 0, "1" }, { 2, 0, 1, "3" }, { 3, 2, 2, "4" },
		{ 8, 0, 7, "ff" }, { 32, 0, 31, "ffffffff" },
		{ 40, 0, 39, "ff,ffffffff" }, { 40, 39, 39, "80,00000000" },
		{ 64, 0, 0, "00000000,00000001" },
	};
	struct cpu_cache	 c;
	char			 buf[64];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sysfs_cpu_mask(buf, sizeof(buf), cases[i].n, cases[i].first,
		    cases[i].last);
		assert_string_equal(buf, cases[i].mask);
	}
	/* the caches sysfs.c shows are leaf 4's */
	for (i = 0; cpu_cache((uint32_t)i, &c) == 0; i++)
		;
	assert_int_equal(i, 4);
	assert_int_equal(cpu_cache(3, &c), 0);
	assert_int_equal(c.cc_level, 3);
	assert_true(c.cc_shared);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vendor_and_brand),
		cmocka_unit_test(test_no_random_instructions),
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_flags_agree),
		cmocka_unit_test(test_sysfs_masks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
