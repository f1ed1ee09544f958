/*
 * Signals and the sets that come with them: signal numbers, the sigprocmask
 * "how", signalfd flags, and the wait family's options and id types.
 *
 * Only the classic signals have names; real-time signals are printed by the
 * decoder as SIGRTMIN+n, so they are not listed.  Aliases (SIGIOT, SIGPOLL,
 * SIGCLD) are left out so each number has one name.
 */
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>

#include "../xlat.h"

const struct xlat it_xlat_signal[] = {
	XLAT(SIGHUP),
	XLAT(SIGINT),
	XLAT(SIGQUIT),
	XLAT(SIGILL),
	XLAT(SIGTRAP),
	XLAT(SIGABRT),
	XLAT(SIGBUS),
	XLAT(SIGFPE),
	XLAT(SIGKILL),
	XLAT(SIGUSR1),
	XLAT(SIGSEGV),
	XLAT(SIGUSR2),
	XLAT(SIGPIPE),
	XLAT(SIGALRM),
	XLAT(SIGTERM),
	XLAT(SIGSTKFLT),
	XLAT(SIGCHLD),
	XLAT(SIGCONT),
	XLAT(SIGSTOP),
	XLAT(SIGTSTP),
	XLAT(SIGTTIN),
	XLAT(SIGTTOU),
	XLAT(SIGURG),
	XLAT(SIGXCPU),
	XLAT(SIGXFSZ),
	XLAT(SIGVTALRM),
	XLAT(SIGPROF),
	XLAT(SIGWINCH),
	XLAT(SIGIO),
	XLAT(SIGPWR),
	XLAT(SIGSYS),
	XLAT_END
};

/* rt_sigprocmask's first argument. */
const struct xlat it_xlat_sig_how[] = {
	XLAT(SIG_BLOCK),
	XLAT(SIG_UNBLOCK),
	XLAT(SIG_SETMASK),
	XLAT_END
};

/* signalfd4 flags. */
const struct xlat it_xlat_sfd[] = {
	XLAT(SFD_NONBLOCK),
	XLAT(SFD_CLOEXEC),
	XLAT_END
};

/*
 * wait4 and waitid options.  WSTOPPED has WUNTRACED's value; strace
 * prints it as WSTOPPED, and so does this table.
 */
const struct xlat it_xlat_wait[] = {
	XLAT(WNOHANG),
	XLAT(WSTOPPED),
	XLAT(WEXITED),
	XLAT(WCONTINUED),
	XLAT(WNOWAIT),
	XLAT(__WNOTHREAD),
	XLAT(__WALL),
	XLAT(__WCLONE),
	XLAT_END
};

/* waitid's idtype (glibc declares these as enumerators, not macros). */
const struct xlat it_xlat_idtype[] = {
	XLAT(P_ALL),
	XLAT(P_PID),
	XLAT(P_PGID),
	XLAT(P_PIDFD),
	XLAT_END
};
