/*
 * costack: a coroutine (makecontext) on a 6 KiB stack of its own makes a
 * TCP connection to itself: socket, bind, listen, getsockname, connect,
 * accept, send, recv, recvfrom, recvmsg, sendto.  The memory just below
 * that stack is filled with a pattern; a tracer that put scratch data
 * below the stack pointer would change it.  Prints what the coroutine
 * saw and how many bytes below its stack changed (0, as natively);
 * with -x, does it all again after an execve of itself.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#define BELOW	(64 * 1024)
#define STACK	(6 * 1024)
#define PATTERN	0xa5

static unsigned char	 mem[BELOW + STACK] __attribute__((aligned(16)));
static ucontext_t	 main_ctx, co_ctx;
static char		 result[256];

static void
co(void)
{
	struct sockaddr_in	 a = { .sin_family = AF_INET };
	struct sockaddr_in	 from;
	socklen_t		 len = sizeof(a);
	struct iovec		 iov;
	struct msghdr		 m;
	char			 buf[16];
	int			 l, c, s;
	ssize_t			 n1, n2, n3;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((l = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    bind(l, (struct sockaddr *)&a, sizeof(a)) == -1 ||
	    listen(l, 1) == -1 ||
	    getsockname(l, (struct sockaddr *)&a, &len) == -1 ||
	    (c = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
	    connect(c, (struct sockaddr *)&a, sizeof(a)) == -1 ||
	    (s = accept(l, NULL, NULL)) == -1) {
		snprintf(result, sizeof(result), "setup failed: %m");
		return;
	}
	(void)send(c, "hello", 5, 0);
	n1 = recv(s, buf, 5, MSG_WAITALL);
	(void)sendto(s, "abc", 3, 0, NULL, 0);
	len = sizeof(from);
	n2 = recvfrom(c, buf, 3, MSG_WAITALL, (struct sockaddr *)&from, &len);
	(void)send(c, "xy", 2, 0);
	iov.iov_base = buf;
	iov.iov_len = 2;
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	n3 = recvmsg(s, &m, MSG_WAITALL);
	snprintf(result, sizeof(result), "recv %zd recvfrom %zd recvmsg %zd",
	    n1, n2, n3);
	close(s);
	close(c);
	close(l);
}

static size_t
changed_below(void)
{
	size_t	 i, n = 0;

	for (i = 0; i < BELOW; i++)
		n += mem[i] != PATTERN;
	return n;
}

int
main(int argc, char *argv[])
{
	size_t	 changed;

	memset(mem, PATTERN, sizeof(mem));
	if (getcontext(&co_ctx) == -1) {
		perror("costack: getcontext");
		return 2;
	}
	co_ctx.uc_stack.ss_sp = mem + BELOW;
	co_ctx.uc_stack.ss_size = STACK;
	co_ctx.uc_link = &main_ctx;
	makecontext(&co_ctx, co, 0);
	if (swapcontext(&main_ctx, &co_ctx) == -1) {
		perror("costack: swapcontext");
		return 2;
	}
	changed = changed_below();
	printf("%s\n", result);
	printf("below the stack: %zu bytes changed\n", changed);
	fflush(stdout);
	/* Once more in a new image: scratch memory of the old one is gone. */
	if (argc == 2 && strcmp(argv[1], "-x") == 0 && changed == 0)
		execl(argv[0], argv[0], (char *)NULL);
	return changed != 0;
}
