/*
 * schedpollnb: poll, select and epoll_wait on the read end of a
 * non-blocking pipe that another thread writes 10 ms later, one round
 * each.  A non-blocking descriptor makes reads and writes return at
 * once, not waits for it: each wait must wait for the write, as
 * natively.  Prints what each wait and the read after it saw.
 */
#include <sys/epoll.h>
#include <sys/select.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static int	 p[2];

static void *
writer(void *arg)
{
	struct timespec	 d = { 0, 10000000 };
	int		 i;

	(void)arg;
	for (i = 0; i < 3; i++) {
		nanosleep(&d, NULL);
		if (write(p[1], "abc" + i, 1) != 1)
			perror("write");
	}
	return NULL;
}

static void
drain(const char *how, int n)
{
	char	 c = '?';

	if (read(p[0], &c, 1) != 1)
		c = '-';
	printf("%s: %d ready, read %c\n", how, n, c);
}

int
main(void)
{
	struct epoll_event	 e = { .events = EPOLLIN }, out;
	struct pollfd		 pf;
	pthread_t		 th;
	fd_set			 r;
	int			 ep;

	if (pipe2(p, O_NONBLOCK) == -1 || (ep = epoll_create1(0)) == -1)
		return 1;
	e.data.fd = p[0];
	epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &e);
	pthread_create(&th, NULL, writer, NULL);
	pf.fd = p[0];
	pf.events = POLLIN;
	drain("poll", poll(&pf, 1, -1));
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	drain("select", select(p[0] + 1, &r, NULL, NULL, NULL));
	drain("epoll", epoll_wait(ep, &out, 1, -1));
	pthread_join(th, NULL);
	return 0;
}
