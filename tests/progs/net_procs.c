/*
 * net_procs: TCP and UDP echo between two processes over 127.0.0.1.
 * The parent binds a TCP listener and a UDP socket to port 0 and forks;
 * the child (which inherits both) accepts one connection and echoes what
 * it reads in upper case, then echoes three UDP datagrams back to their
 * sender.  The parent also binds a second listener after the fork, which
 * the child connects to once the parent tells it the port through a pipe.
 *
 * Ports change from run to run: they are printed only with -a (for
 * --sandbox, where they do not).
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <ctype.h>
#include <err.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int	 show_addrs;

static const char *
addr(const struct sockaddr_in *sin)
{
	static char	 buf[64];
	char		 ip[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &sin->sin_addr, ip, sizeof(ip));
	snprintf(buf, sizeof(buf), "%s:%u", ip, ntohs(sin->sin_port));
	return buf;
}

static int
bound(int type, struct sockaddr_in *sin)
{
	socklen_t	 len = sizeof(*sin);
	int		 fd;

	if ((fd = socket(AF_INET, type, 0)) == -1)
		err(1, "socket");
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)sin, sizeof(*sin)) == -1)
		err(1, "bind");
	if (type == SOCK_STREAM && listen(fd, 4) == -1)
		err(1, "listen");
	if (getsockname(fd, (struct sockaddr *)sin, &len) == -1)
		err(1, "getsockname");
	return fd;
}

static void
upcase(char *s, size_t n)
{
	for (; n > 0; s++, n--)
		*s = (char)toupper((unsigned char)*s);
}

static void
child(int lfd, int ufd, int rpipe)
{
	struct sockaddr_in	 peer;
	socklen_t		 len = sizeof(peer);
	char			 buf[256];
	ssize_t			 n;
	int			 fd, i;
	in_port_t		 port;

	if ((fd = accept(lfd, (struct sockaddr *)&peer, &len)) == -1)
		err(1, "child: accept");
	close(lfd);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		upcase(buf, (size_t)n);
		if (write(fd, buf, (size_t)n) != n)
			err(1, "child: write");
	}
	close(fd);

	for (i = 0; i < 3; i++) {
		len = sizeof(peer);
		if ((n = recvfrom(ufd, buf, sizeof(buf), 0,
		    (struct sockaddr *)&peer, &len)) < 0)
			err(1, "child: recvfrom");
		upcase(buf, (size_t)n);
		if (sendto(ufd, buf, (size_t)n, 0, (struct sockaddr *)&peer,
		    len) != n)
			err(1, "child: sendto");
	}

	/* the parent's second listener, bound after the fork */
	if (read(rpipe, &port, sizeof(port)) != sizeof(port))
		errx(1, "child: no port");
	memset(&peer, 0, sizeof(peer));
	peer.sin_family = AF_INET;
	peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	peer.sin_port = port;
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		err(1, "child: socket");
	if (connect(fd, (struct sockaddr *)&peer, sizeof(peer)) == -1)
		err(1, "child: connect");
	if (write(fd, "from the child", 14) != 14)
		err(1, "child: write");
	close(fd);
	_exit(0);
}

int
main(int argc, char *argv[])
{
	static const char *const lines[] = { "first line\n", "second\n" };
	static const char *const dgrams[] = { "alpha", "beta", "gamma" };
	struct sockaddr_in	 tcp, udp, me, from, l2;
	socklen_t		 len;
	char			 buf[256];
	ssize_t			 n;
	size_t			 i;
	int			 lfd, ufd, fd, l2fd, st, p[2];
	pid_t			 pid;

	show_addrs = argc > 1 && strcmp(argv[1], "-a") == 0;
	closefrom(3);		/* fd numbers as in the trace tests */
	setvbuf(stdout, NULL, _IOLBF, 0);
	lfd = bound(SOCK_STREAM, &tcp);
	ufd = bound(SOCK_DGRAM, &udp);
	if (show_addrs) {
		printf("tcp listener %s\n", addr(&tcp));
		printf("udp socket %s\n", addr(&udp));
	}
	if (pipe(p) == -1)
		err(1, "pipe");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		close(p[1]);
		child(lfd, ufd, p[0]);
	}
	close(p[0]);
	close(lfd);

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		err(1, "socket");
	if (connect(fd, (struct sockaddr *)&tcp, sizeof(tcp)) == -1)
		err(1, "connect");
	len = sizeof(me);
	if (getsockname(fd, (struct sockaddr *)&me, &len) == -1)
		err(1, "getsockname");
	if (show_addrs)
		printf("tcp client %s\n", addr(&me));
	for (i = 0; i < 2; i++) {
		if (write(fd, lines[i], strlen(lines[i])) !=
		    (ssize_t)strlen(lines[i]))
			err(1, "write");
		if ((n = read(fd, buf, sizeof(buf) - 1)) <= 0)
			err(1, "read");
		buf[n] = '\0';
		printf("tcp echo: %s", buf);
	}
	close(fd);

	/* a fresh socket: its address is picked by the first sendto */
	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		err(1, "socket");
	for (i = 0; i < 3; i++) {
		if (sendto(fd, dgrams[i], strlen(dgrams[i]), 0,
		    (struct sockaddr *)&udp, sizeof(udp)) < 0)
			err(1, "sendto");
		len = sizeof(from);
		if ((n = recvfrom(fd, buf, sizeof(buf) - 1, 0,
		    (struct sockaddr *)&from, &len)) < 0)
			err(1, "recvfrom");
		buf[n] = '\0';
		printf("udp echo: %s from the child's socket: %s\n", buf,
		    from.sin_port == udp.sin_port ? "yes" : "no");
	}
	len = sizeof(me);
	if (getsockname(fd, (struct sockaddr *)&me, &len) == -1)
		err(1, "getsockname");
	if (show_addrs)
		printf("udp client %s\n", addr(&me));
	close(fd);

	l2fd = bound(SOCK_STREAM, &l2);
	if (show_addrs)
		printf("second listener %s\n", addr(&l2));
	if (write(p[1], &l2.sin_port, sizeof(l2.sin_port)) !=
	    sizeof(l2.sin_port))
		err(1, "write pipe");
	len = sizeof(from);
	if ((fd = accept(l2fd, (struct sockaddr *)&from, &len)) == -1)
		err(1, "accept");
	if (show_addrs)
		printf("accepted %s\n", addr(&from));
	n = 0;
	for (ssize_t r; (r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0;)
		n += r;
	buf[n] = '\0';
	printf("second listener got \"%s\"\n", buf);
	close(fd);
	if (waitpid(pid, &st, 0) != pid)
		err(1, "waitpid");
	printf("child exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	return 0;
}
