/*
 * parkfilter errno|kill: a program whose own seccomp filter refuses
 * (EPERM) or kills on every call that waits: pause, sched_yield,
 * nanosleep, clock_nanosleep, rt_sigsuspend, and on mmap (a call a
 * tracer could inject in a new process).  Then it forks a child that
 * forks a grandchild, and prints
 *	child: traced=yes|no
 *	grandchild: traced=yes|no
 *	child: exited N | killed by SIG
 * Natively nothing is traced and the child exits 0.  Under isotrace both
 * are traced: a tracer that parks new processes in one of those calls
 * lets them run on untraced, or sees them die of SIGSYS.
 */
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NR(n, ret)							\
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (n), 0, 1),			\
	BPF_STMT(BPF_RET | BPF_K, (ret))

static int
install(unsigned int act)
{
	struct sock_filter	 insn[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		NR(SYS_pause, act),
		NR(SYS_sched_yield, act),
		NR(SYS_nanosleep, act),
		NR(SYS_clock_nanosleep, act),
		NR(SYS_rt_sigsuspend, act),
		NR(SYS_mmap, act),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog	 prog = { sizeof(insn) / sizeof(insn[0]), insn };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return -1;
	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

static const char *
traced(void)
{
	char	 line[256];
	long	 pid = -1;
	FILE	*f;

	if ((f = fopen("/proc/self/status", "r")) == NULL)
		return "?";
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "TracerPid: %ld", &pid) == 1)
			break;
	fclose(f);
	return pid > 0 ? "yes" : "no";
}

int
main(int argc, char *argv[])
{
	pid_t	 pid, g;
	int	 st;

	if (argc != 2 || install(strcmp(argv[1], "kill") == 0 ?
	    SECCOMP_RET_KILL_PROCESS : SECCOMP_RET_ERRNO | EPERM) == -1)
		return 2;
	fflush(stdout);
	if ((pid = fork()) == -1) {
		printf("fork: %s\n", strerrorname_np(errno));
		return 1;
	}
	if (pid == 0) {
		printf("child: traced=%s\n", traced());
		fflush(stdout);
		if ((g = fork()) == 0) {
			printf("grandchild: traced=%s\n", traced());
			fflush(stdout);
			_exit(0);
		}
		_exit(g > 0 && waitpid(g, &st, 0) == g ? 0 : 3);
	}
	if (waitpid(pid, &st, 0) != pid)
		return 1;
	if (WIFEXITED(st))
		printf("child: exited %d\n", WEXITSTATUS(st));
	else
		printf("child: killed by SIG%s\n", sigabbrev_np(WTERMSIG(st)));
	return 0;
}
