/*
 * random_gen: prints what a program would take from its environment to be
 * different on every run: random bytes, the AT_RANDOM bytes, clocks, ids,
 * heap and stack addresses, the node name, a file's time, and the same
 * from a child.  Under isotrace --sandbox two runs print the same bytes.
 */
#include <sys/auxv.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

static void
hex(const char *what, const unsigned char *p, size_t n)
{
	size_t	 i;

	printf("%s ", what);
	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
	printf("\n");
}

static void
report(const char *who)
{
	unsigned char	 buf[16];
	struct timespec	 rt, mono;

	if (getrandom(buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
		printf("%s getrandom failed\n", who);
	else
		hex(who, buf, sizeof(buf));
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	printf("%s realtime %lld.%09ld monotonic %lld.%09ld\n", who,
	    (long long)rt.tv_sec, rt.tv_nsec, (long long)mono.tv_sec,
	    mono.tv_nsec);
}

int
main(int argc, char *argv[])
{
	struct utsname	 u;
	struct stat	 st;
	char		*heap = malloc(100);
	int		 stack;
	unsigned	 aux;
	pid_t		 pid;

	(void)argc;
	hex("at_random", (const unsigned char *)getauxval(AT_RANDOM), 16);
	report("parent");
	printf("time %lld\n", (long long)time(NULL));
	printf("tsc %llu %llu\n", (unsigned long long)__rdtsc(),
	    (unsigned long long)__rdtscp(&aux));
	printf("uid %u gid %u euid %u\n", (unsigned)getuid(),
	    (unsigned)getgid(), (unsigned)geteuid());
	printf("heap %p stack %p\n", (void *)heap, (void *)&stack);
	uname(&u);
	printf("nodename %s\n", u.nodename);
	if (stat(argv[0], &st) == 0)
		printf("mtime %lld\n", (long long)st.st_mtime);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		report("child");
		return 0;
	}
	waitpid(pid, NULL, 0);
	report("after");
	free(heap);
	return 0;
}
