/*
 * oracle_proc: identities, limits, scheduling and process life, for
 * tests/it/oracle.sh.  Children are made and reaped one at a time, so the
 * order of events never depends on scheduling.
 */
#include <sys/types.h>
#include <linux/capability.h>
#include <sys/fsuid.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
main(void)
{
	struct rlimit	 rl;
	struct rusage	 ru;
	struct utsname	 un;
	struct sched_param sp;
	siginfo_t	 si;
	cpu_set_t	 cpus;
	gid_t		 groups[64];
	uid_t		 r, e, s;
	gid_t		 gr, ge, gs;
	char		 name[16];
	pid_t		 pid;
	int		 status;

	getpid();
	getppid();
	gettid();
	getuid();
	geteuid();
	getgid();
	getegid();
	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	getgroups(64, groups);
	setuid(getuid());
	setgid(getgid());
	setreuid(-1, -1);
	setregid(-1, -1);
	setresuid(-1, -1, -1);
	setresgid(-1, -1, -1);
	setfsuid(-1);
	setfsgid(-1);
	getpgrp();
	getpgid(0);
	getsid(0);
	uname(&un);
	getrlimit(RLIMIT_NOFILE, &rl);
	setrlimit(RLIMIT_NOFILE, &rl);
	prlimit(0, RLIMIT_STACK, NULL, &rl);
	getrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_NAME, "oracle-proc");
	prctl(PR_GET_NAME, name);
	prctl(PR_GET_DUMPABLE);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
	prctl(PR_CAPBSET_READ, CAP_KILL);
	prctl(PR_SET_DUMPABLE, 1);
	prctl(PR_GET_KEEPCAPS);
	sched_yield();
	sched_getscheduler(0);
	sched_getparam(0, &sp);
	sched_get_priority_max(SCHED_FIFO);
	sched_get_priority_min(SCHED_RR);
	sched_getaffinity(0, sizeof(cpus), &cpus);
	getpriority(PRIO_PROCESS, 0);
	setpriority(PRIO_PROCESS, 0, getpriority(PRIO_PROCESS, 0));
	personality(0xffffffff);
	umask(077);

	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		getpgrp();
		_exit(3);
	}
	wait4(pid, &status, 0, &ru);

	pid = fork();
	if (pid == 0) {
		setsid();
		getsid(0);
		_exit(0);
	}
	waitid(P_PID, pid, &si, WEXITED);

	pid = vfork();
	if (pid == 0) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
	wait4(pid, &status, 0, NULL);

	pid = fork();
	if (pid == 0) {
		kill(getpid(), SIGKILL);
		_exit(1);
	}
	waitpid(pid, &status, 0);
	wait4(-1, &status, WNOHANG, NULL);
	getrusage(RUSAGE_SELF, &ru);
	personality(PER_LINUX);
	return 0;
}
