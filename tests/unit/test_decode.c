/*
 * The decoder's printing primitives: quoting, results and errno names,
 * flag sets printed from their xlat tables.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mman.h>

#include <mqueue.h>
#include <poll.h>
#include <sys/ipc.h>
#include <termios.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "xlat.h"
#include "decode.h"
#include "output.h"
#include "task.h"

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

/* -x: hex when a shown byte is neither printable nor a named escape;
 * -xx: always.  -y's bare paths escape '<' and '>'. */
static void
test_quote_hex(void **state)
{
	struct decode_opts	 o;
	static char		 buf[64];
	struct sbuf		 sb = { buf, 0, sizeof(buf) };

	(void)state;
	memset(&o, 0, sizeof(o));
	o.do_hex = 1;
	decode_configure(&o);
	assert_string_equal(quoted("a\001\n", 3, 32), "\"\\x61\\x01\\x0a\"");
	assert_string_equal(quoted("a\tb\n", 4, 32), "\"a\\tb\\n\"");
	assert_string_equal(quoted("abc\001", 4, 3), "\"abc\"...");
	o.do_hex = 2;
	decode_configure(&o);
	assert_string_equal(quoted("ab", 2, 32), "\"\\x61\\x62\"");
	o.do_hex = 0;
	decode_configure(&o);
	sbuf_quote_bare(&sb, "/t/a>b", "<>");
	assert_string_equal(buf, "/t/a\\76b");
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

/*
 * Whole lines, decoded from this process's own memory (the guest is us:
 * the decoder reads it with process_vm_readv like any tracee's).
 */
static const char *
line(long nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
    long result)
{
	static char	 buf[1024];
	uint64_t	 args[6] = { a0, a1, a2, a3, 0, 0 };
	struct it_task	*t = task_add(getpid(), getpid(), 0);
	const char	*body, *nl;

	assert_non_null(t);
	t->t_nr = nr;
	decode_entry(t, nr, args, 0);
	decode_exit(t, nr, args, result);
	body = strchr(t->t_line, ']') + 2;
	nl = strchr(body, '\n');
	snprintf(buf, sizeof(buf), "%.*s", (int)(nl - body), body);
	task_remove(t);
	return buf;
}

#define U(p)	((uint64_t)(uintptr_t)(p))

static void
test_lines(void **state)
{
	struct sockaddr_in	 in = { .sin_family = AF_INET,
				    .sin_port = htons(80) };
	struct pollfd		 pfd[2] = { { 3, POLLIN, POLLIN },
				    { 4, POLLOUT, 0 } };
	uint64_t		 mask = (1ULL << (SIGUSR1 - 1)) |
				    (1ULL << (SIGTERM - 1));
	int			 status = 3 << 8, fds[2] = { 5, 6 };
	const char		*s = "a long string of more than eight bytes";
	struct mq_attr		 mq = { 0, 4, 64, 0, { 0 } };
	uint32_t		 tmodes[4] = { ICRNL | IXON, OPOST | ONLCR,
				    B38400 | CS8 | CREAD, ISIG | ICANON | ECHO |
				    ECHOE | ECHOK | IEXTEN | ECHOCTL | ECHOKE };

	(void)state;
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_string_equal(line(IT_SYS_connect, 3, U(&in), sizeof(in), 0, 0),
	    "connect(3, {sa_family=AF_INET, sin_port=htons(80), "
	    "sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0");
	assert_string_equal(line(IT_SYS_rt_sigprocmask, SIG_BLOCK, U(&mask),
	    0, 8, 0), "rt_sigprocmask(SIG_BLOCK, [USR1 TERM], NULL, 8) = 0");
	assert_string_equal(line(IT_SYS_fcntl, 3, F_SETFL, O_NONBLOCK, 0, 0),
	    "fcntl(3, F_SETFL, O_RDONLY|O_NONBLOCK) = 0");
	assert_string_equal(line(IT_SYS_fcntl, 3, F_GETFD, 0, 0, 1),
	    "fcntl(3, F_GETFD) = 0x1 (flags FD_CLOEXEC)");
	assert_string_equal(line(IT_SYS_wait4, 42, U(&status), 0, 0, 42),
	    "wait4(42, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 42");
	assert_string_equal(line(IT_SYS_poll, U(pfd), 2, 0, 0, 1),
	    "poll([{fd=3, events=POLLIN}, {fd=4, events=POLLOUT}], 2, 0) = 1 "
	    "([{fd=3, revents=POLLIN}])");
	assert_string_equal(line(IT_SYS_pipe2, U(fds), O_CLOEXEC, 0, 0, 0),
	    "pipe2([5, 6], O_CLOEXEC) = 0");
	assert_string_equal(line(IT_SYS_openat, (uint64_t)AT_FDCWD, U("/x"),
	    O_RDONLY, 0, -ENOENT), "openat(AT_FDCWD, \"/x\", O_RDONLY) = "
	    "-1 ENOENT (No such file or directory)");
	assert_string_equal(line(IT_SYS_clone, CLONE_VM | SIGCHLD, 0, 0, 0,
	    7), "clone(child_stack=NULL, flags=CLONE_VM|SIGCHLD) = 7");
	assert_string_equal(line(IT_SYS_ioctl, 1, TCGETS, U(tmodes), 0, 0),
	    "ioctl(1, TCGETS, {c_iflag=ICRNL|IXON, c_oflag=NL0|CR0|TAB0|BS0|"
	    "VT0|FF0|OPOST|ONLCR, c_cflag=B38400|CS8|CREAD, c_lflag=ISIG|"
	    "ICANON|ECHO|ECHOE|ECHOK|IEXTEN|ECHOCTL|ECHOKE, ...}) = 0");
	assert_string_equal(line(IT_SYS_semget, 0, 1, IPC_CREAT | 0600, 0, 5),
	    "semget(IPC_PRIVATE, 1, IPC_CREAT|0600) = 5");
	assert_string_equal(line(IT_SYS_mq_open, U("q"), O_RDWR | O_CREAT,
	    0600, U(&mq), 3), "mq_open(\"q\", O_RDWR|O_CREAT, 0600, "
	    "{mq_flags=0, mq_maxmsg=4, mq_msgsize=64, mq_curmsgs=0}) = 3");
	decode_set_strsize(8);
	assert_string_equal(line(IT_SYS_write, 1, U(s), strlen(s), 0, 3),
	    "write(1, \"a long s\"..., 38) = 3");
	decode_set_strsize(32);
	/* A pointer into nowhere is printed as itself. */
	assert_string_equal(line(IT_SYS_connect, 3, 8, 16, 0, -EFAULT),
	    "connect(3, 0x8, 16) = -1 EFAULT (Bad address)");
}

/* The pieces a structured output gets: each argument on its own. */
static char	 spans[8][256];

static void
keep_spans(const struct decode_event *ev)
{
	int	 i;

	for (i = 0; i < ev->de_nargs; i++)
		snprintf(spans[i], sizeof(spans[i]), "%s=%.*s",
		    ev->de_args[i].ds_name, (int)ev->de_args[i].ds_len,
		    ev->de_line + ev->de_args[i].ds_off);
	snprintf(spans[7], sizeof(spans[7]), "%s -> %.*s", ev->de_name,
	    (int)ev->de_ret.ds_len, ev->de_line + ev->de_ret.ds_off);
}

static void
test_spans(void **state)
{
	int	 fds[2] = { 7, 8 };

	(void)state;
	decode_set_sink(keep_spans);
	line(IT_SYS_socketpair, AF_UNIX, SOCK_STREAM, 0, U(fds), 0);
	decode_set_sink(NULL);
	assert_string_equal(spans[0], "domain=AF_UNIX");
	assert_string_equal(spans[1], "type=SOCK_STREAM");
	assert_string_equal(spans[2], "protocol=0");
	assert_string_equal(spans[3], "sv=[7, 8]");
	assert_string_equal(spans[7], "socketpair -> 0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_quote_hex),
		cmocka_unit_test(test_result),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_spans),
	};

	output_init(-1, "none", 0);

	return cmocka_run_group_tests_name("decode", tests, NULL, NULL);
}
