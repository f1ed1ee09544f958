/*
 * loopback: pushes MIB mebibytes through a TCP connection on 127.0.0.1
 * from a child process to its parent, in 256 KiB writes, and checks the
 * count.  Every byte goes through read()/write() on the socket, which
 * neither isotrace nor --sandbox should ever stop.
 *
 *	loopback [MIB]		(1024)
 */
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK	(256 * 1024)

static char	 buf[CHUNK];

int
main(int argc, char *argv[])
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	long long		 total, got = 0;
	ssize_t			 n;
	int			 lfd, fd, st;
	pid_t			 pid;

	total = (argc > 1 ? atoll(argv[1]) : 1024) * 1024 * 1024;
	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		err(1, "socket");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(lfd, 1) == -1 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &len) == -1)
		err(1, "listen");
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		close(lfd);
		if ((fd = socket(AF_INET, SOCK_STREAM, 0)) == -1 ||
		    connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == -1)
			err(1, "connect");
		memset(buf, 'x', sizeof(buf));
		for (; got < total; got += n)
			if ((n = write(fd, buf, total - got < CHUNK ?
			    (size_t)(total - got) : CHUNK)) <= 0)
				err(1, "write");
		_exit(0);
	}
	if ((fd = accept(lfd, NULL, NULL)) == -1)
		err(1, "accept");
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		got += n;
	if (n < 0)
		err(1, "read");
	if (waitpid(pid, &st, 0) != pid || st != 0)
		errx(1, "writer failed");
	if (got != total)
		errx(1, "got %lld bytes of %lld", got, total);
	return 0;
}
