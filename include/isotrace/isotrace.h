/*
 * isotrace public interface: write system call handlers in C.
 *
 * A tool is a struct it_table with one typed function pointer per x86_64
 * system call (generated from syscalls.def), filled by field name:
 *
 *	static long
 *	deny_socket(struct it_task *t, int domain, unsigned int type, int protocol)
 *	{
 *		return domain == AF_INET ? -EACCES : IT_RUN_ORIGINAL;
 *	}
 *	static const struct it_table mytool = { .socket = deny_socket };
 *	int main(int argc, char **argv) { return it_main(argc, argv, &mytool); }
 *
 * Slots left NULL inherit the passthru table, which lets the kernel run the
 * call untouched.  A syscall whose slot is still the passthru default is not
 * trapped at all (seccomp lets it through), so it costs nothing.
 *
 * A handler runs in the worker while the calling thread is stopped at the
 * syscall's entry.  It returns
 *	- a value >= 0, or -errno: the call is not run; the thread sees that
 *	  result (emulation);
 *	- IT_RUN_ORIGINAL: the kernel runs the call, with any arguments changed
 *	  by it_task_set_arg(); it_task_on_exit() can then see and change the
 *	  result.
 * Guest memory is reached only through it_mem_*() and the typed
 * it_read_<struct>()/it_write_<struct>(), which return -EFAULT for a bad
 * address instead of faulting the worker.  it_task_syscall() runs a syscall
 * inside the stopped thread; it must not block (a call that can block runs
 * as the original call instead, so one thread never stalls the others).
 *
 * A tool that must also follow processes (fork, exec, signals, exit) and
 * keep per-process state, or own descriptors, is a layer: see
 * <isotrace/layer.h> and it_main_layer().
 */
#ifndef ISOTRACE_ISOTRACE_H
#define ISOTRACE_ISOTRACE_H

/* struct statx, struct mmsghdr and friends are GNU extensions of glibc. */
#ifndef _GNU_SOURCE
#error "isotrace.h needs _GNU_SOURCE: compile with -D_GNU_SOURCE"
#endif

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/times.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <mqueue.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <utime.h>

#define IT_VERSION	"0.1.0"

/* Returned by a handler: let the kernel run the (possibly changed) call. */
#define IT_RUN_ORIGINAL	((long)INT64_MIN)
/* Returned by an exit function (it_task_on_exit): the thread makes the
 * call again as the program made it, and it comes to the table again. */
#define IT_RUN_AGAIN	((long)INT64_MIN + 1)

/* A guest address that is never followed (mmap's addr, brk). */
typedef uint64_t it_gaddr;
/* A guest pointer to bytes of no fixed type. */
typedef struct { uint64_t addr; } it_gptr;
/* A guest pointer to a NUL-terminated string. */
typedef struct { uint64_t addr; } it_gp_str;

/* Kernel layouts that glibc does not export as such. */
typedef struct { unsigned long sig[1]; } it_k_sigset;
struct it_k_sigaction {
	uint64_t	ks_handler;	/* sa_handler etc. are glibc macros */
	uint64_t	ks_flags;
	uint64_t	ks_restorer;
	it_k_sigset	ks_mask;
};
struct it_k_dirent64 {
	uint64_t	d_ino;
	int64_t		d_off;
	uint16_t	d_reclen;
	uint8_t		d_type;
	char		d_name[];
};
struct it_k_user_desc {
	uint32_t	entry_number, base_addr, limit, flags;
};
struct it_k_robust_list_head {
	uint64_t	list, futex_offset, list_op_pending;
};
struct it_k_clone_args {
	uint64_t	flags, pidfd, child_tid, parent_tid, exit_signal;
	uint64_t	stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};
struct it_k_open_how {
	uint64_t	flags, mode, resolve;
};
struct it_k_mount_attr {
	uint64_t	attr_set, attr_clr, propagation, userns_fd;
};
struct it_k_rseq {
	uint32_t	cpu_id_start, cpu_id;
	uint64_t	rseq_cs;
	uint32_t	flags, node_id, mm_cid;
};
struct it_k_file_handle {
	uint32_t	handle_bytes;
	int32_t		handle_type;
};
struct it_k_cap_header {
	uint32_t	version;
	int32_t		pid;
};
struct it_k_cap_data {
	uint32_t	effective, permitted, inheritable;
};
struct it_k_sembuf {
	uint16_t	sem_num;
	int16_t		sem_op, sem_flg;
};
struct it_k_io_event {
	uint64_t	data, obj;
	int64_t		res, res2;
};
struct it_k_iocb {
	uint64_t	aio_data;
	uint32_t	aio_key, aio_rw_flags;
	uint16_t	aio_lio_opcode;
	int16_t		aio_reqprio;
	uint32_t	aio_fildes;
	uint64_t	aio_buf, aio_nbytes;
	int64_t		aio_offset;
	uint64_t	aio_reserved2;
	uint32_t	aio_flags, aio_resfd;
};
struct it_k_perf_event_attr {
	uint32_t	type, size;
	uint64_t	config;
};
struct it_k_sched_attr {
	uint32_t	size, sched_policy;
	uint64_t	sched_flags;
	int32_t		sched_nice;
	uint32_t	sched_priority;
	uint64_t	sched_runtime, sched_deadline, sched_period;
};

/* The stopped thread a handler works on; opaque. */
struct it_task;

/* Who is calling. */
pid_t	it_task_tid(const struct it_task *);
pid_t	it_task_pid(const struct it_task *);	/* thread group id */

/*
 * Guest memory.  Each returns 0 (or a length) on success and -EFAULT when
 * any byte of the range is unmapped; nothing is partially reported as done.
 * Reads and writes reach only what the kernel would reach for a system
 * call of the program: a write to a read-only or PROT_NONE page is
 * -EFAULT, so an emulated result fails where the real call would.
 */
int	it_mem_read(struct it_task *, uint64_t addr, void *dst, size_t len);
int	it_mem_write(struct it_task *, uint64_t addr, const void *src,
	    size_t len);
/* Writes as much as the kernel's copy_to_user would: the bytes before
 * the first page the program cannot write; their count, or -EFAULT when
 * that is none (getrandom's and read's partial results). */
long	it_mem_write_part(struct it_task *, uint64_t addr, const void *src,
	    size_t len);
/* A debugger's forced write, read-only pages included (through
 * /proc/PID/mem): for a tool's own changes, never for a call's result. */
int	it_mem_poke(struct it_task *, uint64_t addr, const void *src,
	    size_t len);
/* Copies a string of at most cap-1 bytes and a NUL; returns its length,
 * -EFAULT, or -ENAMETOOLONG when no NUL came within cap-1 bytes. */
long	it_mem_read_str(struct it_task *, it_gp_str, char *dst, size_t cap);

/* Arguments of the call being handled, for IT_RUN_ORIGINAL. */
void	it_task_set_arg(struct it_task *, int idx, uint64_t value);
/* The number of the call to run instead, for IT_RUN_ORIGINAL at a seccomp
 * stop.  The filter judges the new number again: one it traps runs, one it
 * refuses fails.  A call the kernel restarts is the program's again. */
void	it_task_set_nr(struct it_task *, long nr);

/* Runs syscall nr in the stopped thread now and returns its result
 * (-errno on failure).  Never a call that can block.  Works in a handler
 * and in its exit callback, that of a successful execve included (the
 * new image's vDSO lends its syscall instruction). */
long	it_task_syscall(struct it_task *, long nr, uint64_t a0, uint64_t a1,
	    uint64_t a2, uint64_t a3, uint64_t a4, uint64_t a5);

/* Guest memory for len (at most 16 KiB) bytes of arguments that a
 * handler makes up (a sockaddr for an injected call, say): a mapping of
 * the thread's own that isotrace made (by an injected mmap, the first
 * time), never the program's memory; so call it where it_task_syscall()
 * may be called.  Valid until the thread's next handled call.  0 when
 * none could be made. */
uint64_t it_task_scratch(struct it_task *, size_t len);

/* After IT_RUN_ORIGINAL: called with the kernel's result once the call
 * returns; what it returns is what the thread sees. */
typedef long (*it_exit_fn)(struct it_task *, long result, void *arg);
void	it_task_on_exit(struct it_task *, it_exit_fn, void *arg);

/* Typed guest pointers and their accessors, one pair per structs.def line. */
#define STRUCT(name, ctype)						\
	typedef struct { uint64_t addr; } it_gp_##name;			\
	static inline int						\
	it_read_##name(struct it_task *t, it_gp_##name p, ctype *v)	\
	{								\
		return it_mem_read(t, p.addr, v, sizeof(*v));		\
	}								\
	static inline int						\
	it_write_##name(struct it_task *t, it_gp_##name p,		\
	    const ctype *v)						\
	{								\
		return it_mem_write(t, p.addr, v, sizeof(*v));		\
	}
#include <isotrace/structs.def>
#undef STRUCT

#include <isotrace/table.h>
#include <isotrace/layer.h>

/*
 * Runs the isotrace command line (options, command, exit status) with the
 * given table; NULL means plain passthru.  Returns the exit status.
 */
int	it_main(int argc, char *argv[], const struct it_table *);

#endif
