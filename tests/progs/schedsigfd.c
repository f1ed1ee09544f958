/*
 * schedsigfd: a signalfd, alone and in an epoll set, waited for while
 * its signal is pending or comes from another thread.  A signalfd is
 * ready for the process that polls it, so a scheduler that asks from
 * elsewhere must not take its own answer for the thread's.
 *
 * 1. SIGUSR1 (blocked) is sent to the process, then an epoll set that
 *    watches the signalfd and a timerfd is waited for: the signalfd
 *    comes first.
 * 2. A thread writes an eventfd three times, 10 ms apart, then sends
 *    SIGUSR1; the main thread reads whatever the set says is ready,
 *    the signalfd with a blocking read, until it has the signal and
 *    three timer ticks.
 * Each line says what was seen; a wait of 2 s with nothing says
 * "timeout".
 */
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static int	 efd;

static void *
writer(void *arg)
{
	struct timespec	 d = { 0, 10000000 };
	uint64_t	 one = 1;
	int		 i;

	(void)arg;
	for (i = 0; i < 3; i++) {
		nanosleep(&d, NULL);
		if (write(efd, &one, sizeof(one)) != sizeof(one))
			perror("write");
	}
	kill(getpid(), SIGUSR1);
	return NULL;
}

static void
add(int ep, int fd)
{
	struct epoll_event	 e = { .events = EPOLLIN, .data.fd = fd };

	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &e);
}

int
main(void)
{
	struct itimerspec	 its = { { 0, 50000000 }, { 0, 50000000 } };
	struct signalfd_siginfo	 si;
	struct epoll_event	 out[4];
	pthread_t		 th;
	sigset_t		 s;
	uint64_t		 v;
	int			 sfd, tfd, ep, n, i, sig = 0, ev = 0;
	int			 ticks = 0;

	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	sfd = signalfd(-1, &s, 0);
	efd = eventfd(0, 0);
	tfd = timerfd_create(CLOCK_MONOTONIC, 0);
	ep = epoll_create1(0);
	add(ep, sfd);
	add(ep, efd);
	add(ep, tfd);
	timerfd_settime(tfd, 0, &its, NULL);

	kill(getpid(), SIGUSR1);
	n = epoll_wait(ep, out, 4, 2000);
	printf("1: %d ready, first %s\n", n, n < 1 ? "none" :
	    out[0].data.fd == sfd ? "signalfd" : "other");
	if (n >= 1 && out[0].data.fd == sfd &&
	    read(sfd, &si, sizeof(si)) == sizeof(si))
		printf("1: signal %u\n", si.ssi_signo);

	pthread_create(&th, NULL, writer, NULL);
	while (!sig || ticks < 3) {
		if ((n = epoll_wait(ep, out, 4, 2000)) <= 0) {
			printf("2: timeout (events %d signal %d)\n", ev, sig);
			break;
		}
		for (i = 0; i < n; i++) {
			if (out[i].data.fd == efd) {
				if (read(efd, &v, sizeof(v)) == sizeof(v))
					ev += (int)v;
			} else if (out[i].data.fd == tfd) {
				if (read(tfd, &v, sizeof(v)) == sizeof(v))
					ticks += (int)v;
			} else if (read(sfd, &si, sizeof(si)) == sizeof(si))
				sig = (int)si.ssi_signo;
		}
	}
	pthread_join(th, NULL);
	printf("2: events %d signal %d, ticks %s\n", ev, sig,
	    ticks >= 3 ? "3 or more" : "fewer than 3");
	return 0;
}
