/*
 * pidclash: a pid the sandbox would choose is already taken.  Without
 * TAKE, prints the pids of two children.  With TAKE=N, the first child
 * makes the next pid N (ns_last_pid, root in the run's namespace), gives
 * up its capabilities so that its own child's pid is the kernel's choice
 * (N), and keeps that child alive while the parent makes its second.
 */
#include <sys/wait.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
main(void)
{
	const char	*take = getenv("TAKE");
	pid_t		 c1, c2;
	int		 go[2], ready[2], st, fd;
	char		 c;

	if (pipe(go) == -1 || pipe(ready) == -1)
		return 1;
	if ((c1 = fork()) == 0) {
		close(go[1]);
		if (take != NULL) {
			if ((fd = open("/proc/sys/kernel/ns_last_pid",
			    O_WRONLY)) == -1 ||
			    dprintf(fd, "%d", atoi(take) - 1) < 0 ||
			    setresuid(65534, 65534, 65534) == -1)
				_exit(2);
			close(fd);
			if (fork() == 0) {
				printf("taken %d\n", (int)getpid());
				fflush(stdout);
				(void)write(ready[1], "", 1);
				(void)read(go[0], &c, 1);
				_exit(0);
			}
		} else
			(void)write(ready[1], "", 1);
		(void)read(go[0], &c, 1);
		_exit(0);
	}
	(void)read(ready[0], &c, 1);
	if ((c2 = fork()) == 0)
		_exit(0);
	printf("first %d second %d\n", (int)c1, (int)c2);
	close(go[1]);
	if (waitpid(c1, &st, 0) != c1 || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0 || waitpid(c2, &st, 0) != c2)
		return 1;
	return 0;
}
