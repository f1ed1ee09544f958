/*
 * -e trace=SET: the classes equal tests/sysclass.expected (strace's
 * classes, checked against strace itself by tests/it/filters.sh), the
 * parser selects what each form names, and the worker's seccomp filter
 * then stops exactly the selected calls (plus what the table handles),
 * run through the BPF interpreter.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sys/ioctl.h>
#include <linux/audit.h>
#include <errno.h>

#include "../../common/sysclass.h"
#include "../../supervisor/filter.h"
#include "bpf_sim.h"
#include "engine.h"
#include "guard.h"
#include "layer.h"
#include "seccomp.h"
#include "sigwait.h"
#include "table_impl.h"
#include "worker.h"

#define EXPECTED	"tests/sysclass.expected"

static long
nr_of(const char *name)
{
	long	 nr;

	for (nr = 0; nr < IT_NR_MAX; nr++)
		if (it_sysname(nr) != NULL && strcmp(it_sysname(nr), name) == 0)
			return nr;
	return -1;
}

/* sel from one -e set, which must parse. */
static void
select_set(uint8_t sel[IT_NR_MAX], const char *set)
{
	char	 err[256];

	if (filter_apply(sel, set, 1, err, sizeof(err)) != 0)
		fail_msg("'%s': %s", set, err);
}

/* The selection is exactly the space-separated names. */
static void
assert_selects(const uint8_t sel[IT_NR_MAX], const char *names)
{
	uint8_t	 want[IT_NR_MAX] = { 0 };
	char	*copy = strdup(names), *p = copy, *n;
	long	 nr;

	assert_non_null(copy);
	while ((n = strsep(&p, " ")) != NULL) {
		if (*n == '\0')
			continue;
		if ((nr = nr_of(n)) < 0)
			fail_msg("no syscall %s in the table", n);
		want[nr] = 1;
	}
	free(copy);
	for (nr = 0; nr < IT_NR_MAX; nr++)
		if (!sel[nr] != !want[nr])
			fail_msg("%s: %s, expected %s", it_sysname(nr),
			    sel[nr] ? "selected" : "not selected",
			    want[nr] ? "selected" : "not");
}

static void
test_classes_equal_expected(void **state)
{
	FILE	*f;
	char	*line = NULL, *sp;
	size_t	 cap = 0;
	ssize_t	 n;
	uint8_t	 sel[IT_NR_MAX];
	int	 classes = 0;

	(void)state;
	if ((f = fopen(EXPECTED, "r")) == NULL)
		fail_msg("%s: %s (run from the source root)", EXPECTED,
		    strerror(errno));
	while ((n = getline(&line, &cap, f)) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (line[0] != '%' || (sp = strchr(line, ' ')) == NULL)
			continue;
		*sp = '\0';
		select_set(sel, line);
		assert_selects(sel, sp + 1);
		classes++;
	}
	free(line);
	fclose(f);
	assert_int_equal(classes, 17);
}

static void
test_class_names(void **state)
{
	(void)state;
	assert_int_equal(sysclass_lookup("net"), SC_NETWORK);
	assert_int_equal(sysclass_lookup("%stat"), SC_STAT_LIKE);
	assert_int_equal(sysclass_lookup("files"), 0);
	assert_int_equal(sysclass_of(IT_SYS_openat), SC_DESC | SC_FILE);
	assert_int_equal(sysclass_of(IT_SYS_getppid), SC_PURE);
	assert_int_equal(sysclass_of(IT_SYS_sched_yield), 0);
	assert_int_equal(sysclass_of(-1), 0);
	assert_int_equal(sysclass_of(IT_NR_MAX), 0);
}

static void
test_parse(void **state)
{
	uint8_t	 sel[IT_NR_MAX];
	char	 err[256];
	long	 nr, n;

	(void)state;
	select_set(sel, "openat,close");
	assert_selects(sel, "openat close");
	select_set(sel, "?no_such_call,getppid,");
	assert_selects(sel, "getppid");
	select_set(sel, "/^(rt_)?sigp");
	assert_selects(sel, "rt_sigprocmask rt_sigpending");
	select_set(sel, "%ipc,getpid");
	assert_selects(sel, "getpid msgctl msgget msgrcv msgsnd semctl "
	    "semget semop semtimedop shmat shmctl shmdt shmget");
	select_set(sel, "none");
	assert_selects(sel, "");

	/* '!' takes the complement of the whole list. */
	select_set(sel, "!openat,close");
	for (nr = 0, n = 0; nr < IT_NR_MAX; nr++) {
		if (it_sysname(nr) == NULL)
			assert_false(sel[nr]);
		else if (nr == IT_SYS_openat || nr == IT_SYS_close)
			assert_false(sel[nr]);
		else
			assert_true(sel[nr]);
		n += sel[nr];
	}
	assert_true(n > 300);
	select_set(sel, "!all");
	assert_selects(sel, "");

	/* Later sets add, or ('!') take away. */
	select_set(sel, "%clock");
	assert_int_equal(filter_apply(sel, "!clock_settime,settimeofday,"
	    "adjtimex,clock_adjtime", 0, err, sizeof(err)), 0);
	assert_int_equal(filter_apply(sel, "getpid", 0, err, sizeof(err)), 0);
	assert_selects(sel, "clock_gettime clock_getres gettimeofday time "
	    "getpid");

	/* Errors leave a reason. */
	assert_int_equal(filter_apply(sel, "openat,opneat", 1, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "unknown system call 'opneat'");
	assert_int_equal(filter_apply(sel, "%files", 1, err, sizeof(err)),
	    -1);
	assert_non_null(strstr(err, "unknown class '%files'"));
	assert_int_equal(filter_apply(sel, "/(", 1, err, sizeof(err)), -1);
	assert_true(strncmp(err, "'(': ", 5) == 0);
}

/* Arguments with which a call stops if it can: a timed futex wait (a
 * timeout pointer in args[3]), a prlimit64 that sets a limit, an ioctl
 * the sandbox acts on (seccomp.c). */
static uint32_t
stopping(const struct sock_fprog *p, uint32_t nr)
{
	struct seccomp_data	 d = { .nr = (int)nr, .arch = AUDIT_ARCH_X86_64 };

	if (nr == IT_SYS_futex)
		d.args[3] = 0x1000;
	if (nr == IT_SYS_prlimit64)
		d.args[2] = 0x1000;
	if (nr == IT_SYS_ioctl)
		d.args[1] = TIOCGPGRP;
	return bpf_sim_run(p, &d);
}

/* The same calls with arguments no handler acts on. */
static uint32_t
idle(const struct sock_fprog *p, uint32_t nr)
{
	struct seccomp_data	 d = { .nr = (int)nr, .arch = AUDIT_ARCH_X86_64 };

	if (nr == IT_SYS_prlimit64)
		d.args[3] = 0x1000;	/* a read of the caller's limit */
	if (nr == IT_SYS_ioctl)
		d.args[1] = TCGETS;	/* isatty */
	return bpf_sim_run(p, &d);
}

/* engine_init's filter traps exactly trap[] (clone3 aside), every
 * process creation (seccomp.c) and the calls trapped in every mode
 * (guard.c, sigwait.c). */
static void	assert_filter_traps_idle(struct worker_opts *,
		    const uint8_t [IT_NR_MAX], const int *);

static void
assert_filter_traps(struct worker_opts *o, const uint8_t want_trap[IT_NR_MAX])
{
	assert_filter_traps_idle(o, want_trap, NULL);
}

/* And idle_run[] the calls that run without a stop when idle(). */
static void
assert_filter_traps_idle(struct worker_opts *o,
    const uint8_t want_trap[IT_NR_MAX], const int *idle_run)
{
	struct sock_fprog	 p;
	uint8_t			 trap[IT_NR_MAX];
	uint32_t		 nr, want, got;

	assert_int_equal(engine_init(o, -1, &p), 0);
	memcpy(trap, want_trap, sizeof(trap));
	guard_traps(trap);
	sigwait_traps(trap);
	for (nr = 0; nr < IT_NR_MAX; nr++) {
		if (nr == IT_SYS_clone3)
			continue;
		want = trap[nr] || nr == IT_SYS_clone || nr == IT_SYS_fork ||
		    nr == IT_SYS_vfork || nr == IT_SYS_seccomp ?
		    SECCOMP_RET_TRACE : SECCOMP_RET_ALLOW;
		got = stopping(&p, nr);
		/* A call every layer fails with ENOSYS fails in the filter
		 * (layer.h), unless an observer wants it. */
		if (want == SECCOMP_RET_TRACE && layer_enosys(nr) &&
		    !(o->wo_select[nr] && (o->wo_verbose || o->wo_summary)))
			want = SECCOMP_RET_ERRNO | ENOSYS;
		if (got != want)
			fail_msg("%s (%u): verdict %#x, want %#x",
			    it_sysname(nr) ? : "?", nr, got, want);
	}
	for (; idle_run != NULL && *idle_run != -1; idle_run++)
		if ((got = idle(&p, (uint32_t)*idle_run)) != SECCOMP_RET_ALLOW)
			fail_msg("%s idle: verdict %#x, want allow",
			    it_sysname(*idle_run), got);
	free(p.filter);
}

static void
test_filter_traps_selection(void **state)
{
	static struct worker_opts	 o;
	uint8_t				 trap[IT_NR_MAX] = { 0 };
	struct it_table			 sandbox;
	long				 nr;

	(void)state;
	o.wo_trace_fd = -1;
	o.wo_verbose = o.wo_filtered = 1;
	select_set(o.wo_select, "openat");
	trap[IT_SYS_openat] = 1;
	assert_filter_traps_idle(&o, trap, (const int []){ IT_SYS_prlimit64,
	    -1 });

	/* -c alone counts only the selected calls as well. */
	o.wo_verbose = 0;
	o.wo_summary = 1;
	select_set(o.wo_select, "%clock");
	memset(trap, 0, sizeof(trap));
	for (nr = 0; nr < IT_NR_MAX; nr++)
		trap[nr] = (sysclass_of(nr) & SC_CLOCK) != 0;
	assert_filter_traps(&o, trap);

	/* The sandbox's handlers stop too: the union of both sets. */
	o.wo_sandbox = 1;
	o.wo_sandbox_config.sc_epoch = SANDBOX_EPOCH;
	sandbox_table(&sandbox);
	table_traps(&sandbox, trap);
	for (nr = 0; nr < IT_NR_MAX; nr++)
		trap[nr] |= (sysclass_of(nr) & SC_CLOCK) != 0;
	assert_true(trap[IT_SYS_uname] && trap[IT_SYS_clock_gettime]);
	assert_false(trap[IT_SYS_openat] && trap[IT_SYS_write]);
	/* Not glibc's start-up calls: isatty, rseq (and its stack limit
	 * but where pids are translated, as here). */
	assert_true(trap[IT_SYS_rseq] && trap[IT_SYS_ioctl]);
	assert_filter_traps_idle(&o, trap, (const int []){ IT_SYS_ioctl, -1 });

	/* In the run's own pid namespace no call stops for its pids: only
	 * forks do (their pids are chosen), and clone3 (refused). */
	o.wo_sandbox_config.sc_pids = SANDBOX_PIDS_NAMESPACE;
	sandbox_configure(&o.wo_sandbox_config);
	sandbox_table(&sandbox);
	table_traps(&sandbox, trap);
	assert_false(trap[IT_SYS_getpid] || trap[IT_SYS_getppid] ||
	    trap[IT_SYS_gettid] || trap[IT_SYS_kill] || trap[IT_SYS_wait4] ||
	    trap[IT_SYS_getuid] || trap[IT_SYS_process_vm_readv]);
	assert_true(trap[IT_SYS_clone] && trap[IT_SYS_fork] &&
	    trap[IT_SYS_vfork] && trap[IT_SYS_clone3]);
	sandbox_configure(&(struct sandbox_config){ .sc_pids =
	    SANDBOX_PIDS_TRANSLATE });
	sandbox_table(&sandbox);
	table_traps(&sandbox, trap);
	assert_true(trap[IT_SYS_getppid] && trap[IT_SYS_process_vm_readv] &&
	    trap[IT_SYS_getuid] && !trap[IT_SYS_clone3]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes_equal_expected),
		cmocka_unit_test(test_class_names),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_filter_traps_selection),
	};

	return cmocka_run_group_tests_name("filter", tests, NULL, NULL);
}
