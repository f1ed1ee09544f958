/*
 * Layers: the unit of extension.  A run is a stack of layers (the CLI
 * stacks them: --sandbox, then a tool's, then the observers -v, -c, -T,
 * --json want); the engine knows none of them by name.
 *
 * A layer is a typed per-call table (struct it_table, filled by field
 * name; a higher layer's slot wins over a lower one's) plus lifecycle
 * hooks, and a per-process state of l_statesize bytes that the engine
 * keeps for it: zeroed for the command, copied from the creator's at a
 * fork (before l_fork, which may change the child's copy), and carried
 * as opaque bytes when the child is handed to a worker of its own.  A
 * worker traces one process at a time, so the "current" process is the
 * one it_layer_state() answers for.
 *
 * Every hook is optional and runs in the worker, while the thread it is
 * given is stopped (a ptrace stop), so a hook costs that thread's time
 * only: keep it short, never block.  Unless said otherwise a hook may
 * read and write guest memory (it_mem_*) but not inject calls
 * (it_task_syscall), which only a call's handler may do.
 *
 *	l_start		a process starts being traced: the command
 *			(IT_START_ROOT), a child handed over
 *			(IT_START_ADOPTED, state as its creator left it),
 *			or one attached with -p (IT_START_ATTACHED).
 *			Returns 0, or -1 when the state is unusable (the
 *			worker gives up).  Before the process runs.
 *	l_fork		the creator's fork/vfork/clone event of a new
 *			process, in the creator's order of forks: state is
 *			the child's copy.  The child is stopped, not yet
 *			handed over; the creator is at its event stop.
 *	l_thread	a new thread of the traced process, at its
 *			creator's event (it may not have run yet).
 *	l_first_stop	a new task's first stop (process or thread).
 *	l_thread_start	a new thread at its first stop: 1 keeps it stopped
 *			(the layer resumes it later), 0 lets it run.
 *	l_exec_leader	execve by a non-leader thread: execing takes the
 *			leader's tid; leader is the task that stays.
 *	l_exec		after a successful execve (the new image's first
 *			stop): random16, if the layer fills it, becomes
 *			the new program's AT_RANDOM bytes (return 1).
 *	l_signal	a signal about to be delivered to t.
 *	l_gone		a thread or process is gone (reaped, or forgotten).
 *	l_rdtsc		an rdtsc/rdtscp fault (PR_TSC_SIGSEGV): return 1
 *			and the value of the counter to answer it; the
 *			engine steps over the instruction.
 *	l_fault		any other SIGSEGV of t about to be delivered: 1 when
 *			the layer answered the faulting instruction (and
 *			stepped over it: CPUID faulting), 0 to deliver it.
 *
 * Observers see calls without changing them; each costs an exit stop
 * (PTRACE_SYSCALL) for the calls whose entry hook returns nonzero:
 *	l_traps		adds the calls the layer wants to see to trap[]
 *			(by number); returns 1 when it wants every call.
 *	l_call_entry	a watched call's entry, before the table's handler.
 *	l_call_exit	its exit, with the result the thread sees.
 *	l_call_gone	the pending call ends with no result (exit, exec).
 *	l_exit_stop	a thread is about to exit (PTRACE_EVENT_EXIT); a
 *			layer with this hook makes every thread stop there.
 *	l_process_end	a traced process has ended with wait status st.
 *	l_group_stop	t enters a group-stop on sig.
 *	l_detach	t is let go (-p, detaching), its call pending.
 *	l_idle		the worker is about to sleep in waitpid (1) or has
 *			work again (0): what is buffered can be published.
 *	l_done		the worker's process and its threads are all gone;
 *			chan is the supervisor's channel (internal layers).
 */
#ifndef ISOTRACE_LAYER_H
#define ISOTRACE_LAYER_H

#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

struct it_task;
struct it_table;

enum it_start {
	IT_START_ROOT,
	IT_START_ADOPTED,
	IT_START_ATTACHED,
};

/* What the per-process states of a stack may take in all. */
#define IT_LAYER_STATE_MAX	1024

struct it_layer {
	const char		*l_name;
	const struct it_table	*l_table;	/* NULL: handles no call */
	size_t			 l_statesize;	/* per-process bytes */
	/* A closed world: a call with no x86_64 twin (i386, x32) fails
	 * and kill(-1) reaches only the run (the sandbox sets it). */
	int			 l_strict;
	/* Its futex slot needs only the calls that can wait with a
	 * timeout (FUTEX_WAIT, FUTEX_WAIT_BITSET, FUTEX_LOCK_PI,
	 * FUTEX_LOCK_PI2, FUTEX_WAIT_REQUEUE_PI with a timeout pointer).
	 * When every layer that handles futex says so, the lock traffic
	 * runs without a stop (the sandbox sets it). */
	int			 l_futex_timed;
	/* Calls its table fails with ENOSYS whatever their arguments (a
	 * list ending in -1).  When every layer that handles one says so,
	 * the filter fails it without a stop: glibc's rseq at every
	 * process start under the sandbox (cpu.c). */
	const int		*l_enosys;
	/* The ioctl requests its ioctl handler does anything with (a list
	 * ending in 0; the handler lets the others run).  When every layer
	 * that handles ioctl has one, the filter stops only those: isatty's
	 * TCGETS then costs no stop. */
	const uint32_t		*l_ioctls;

	int	(*l_start)(pid_t, void *state, enum it_start);
	void	(*l_fork)(struct it_task *child, void *state);
	void	(*l_thread)(struct it_task *);
	void	(*l_first_stop)(struct it_task *);
	int	(*l_thread_start)(struct it_task *);
	void	(*l_exec_leader)(struct it_task *leader,
		    struct it_task *execing);
	int	(*l_exec)(struct it_task *, unsigned char random16[16]);
	void	(*l_signal)(struct it_task *, int sig);
	void	(*l_gone)(struct it_task *);
	int	(*l_rdtsc)(struct it_task *, uint64_t *tsc);
	int	(*l_fault)(struct it_task *);

	int	(*l_traps)(uint8_t trap[]);
	int	(*l_call_entry)(struct it_task *, long nr,
		    const uint64_t *args, int i386);
	void	(*l_call_exit)(struct it_task *, long nr,
		    const uint64_t *args, long result);
	void	(*l_call_gone)(struct it_task *);
	void	(*l_exit_stop)(struct it_task *);
	void	(*l_process_end)(pid_t, int st);
	void	(*l_group_stop)(struct it_task *, int sig);
	void	(*l_detach)(struct it_task *);
	void	(*l_idle)(int idle);
	void	(*l_done)(int chan);
};

/*
 * Descriptors a tool owns.  it_fd_memfd() makes one in t's process (by
 * injection: call it where it_task_syscall() may be called, in a handler
 * at a call's entry): a memfd named name ("memfd:" + name in
 * /proc/PID/fd), of size bytes that are never written (a sparse
 * placeholder: lseek, SEEK_END and the file offset work natively, and the
 * offset is shared by dup()s and forks as the kernel shares it), with
 * flags as memfd_create's (MFD_CLOEXEC).  It attaches obj (len <=
 * IT_FD_OBJ_MAX bytes) and returns the descriptor, or -errno.
 *
 * it_fd_object() answers, for any descriptor of t's process, the object
 * of the tool's file it refers to, or NULL.  The answer follows the file,
 * not the number: a dup, dup2, dup3 or fcntl(F_DUPFD*) copy refers to it,
 * a closed descriptor (close, close_range, close-on-exec at execve) does
 * not, and a child of a fork, in whatever worker, sees its parent's
 * objects (they travel with the per-process states).  It costs a stat of
 * /proc/TID/fd/FD: call it in the handlers of the calls the tool serves
 * (read, pread64, fstat...), whose slots the tool fills; every call of
 * the program reaches them, the tool's descriptor or not.
 */
#define IT_FD_OBJ_MAX	16
#define IT_FD_MAX	24	/* a process's tool files at once */
long		 it_fd_memfd(struct it_task *, const char *name,
		    unsigned int flags, uint64_t size, const void *obj,
		    size_t len);
const void	*it_fd_object(struct it_task *, int fd);

/* The current process's state of layer l (l_statesize bytes). */
void	*it_layer_state(const struct it_layer *);

/*
 * it_main with a tool's layer: stacked above --sandbox's and below the
 * observers'.
 */
int	it_main_layer(int argc, char *argv[], const struct it_layer *);

#endif
