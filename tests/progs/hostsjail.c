/*
 * hostsjail DIR NAME: chroot to DIR, then sethostname(NAME).  A hostile
 * program's way to point the sandbox's /etc/hosts at another file: in
 * DIR, "etc" may be a symbolic link that means something else to a
 * process outside the chroot (tests/it/hosts.sh).
 */
#include <err.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	if (argc != 3)
		errx(2, "usage: hostsjail dir name");
	if (chroot(argv[1]) == -1 || chdir("/") == -1)
		err(1, "%s", argv[1]);
	if (sethostname(argv[2], strlen(argv[2])) == -1)
		err(1, "sethostname");
	return 0;
}
