/*
 * sock: tries socket() in three families and opens one file, for the
 * nonet example (which denies AF_INET/AF_INET6 with EACCES and logs each
 * openat path).  Prints "FAMILY: ok" or "FAMILY: -1 ENAME".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void
try(const char *name, int domain, int type)
{
	int fd = socket(domain, type, 0);

	if (fd < 0) {
		printf("%s: -1 %s\n", name, strerrorname_np(errno));
	} else {
		printf("%s: ok\n", name);
		close(fd);
	}
}

int
main(void)
{
	int fd;

	try("AF_INET", AF_INET, SOCK_STREAM);
	try("AF_INET6", AF_INET6, SOCK_DGRAM);
	try("AF_UNIX", AF_UNIX, SOCK_STREAM);
	fd = open("/dev/null", O_RDONLY);
	printf("open /dev/null: %s\n", fd < 0 ? strerrorname_np(errno) : "ok");
	return 0;
}
