/*
 * The virtual start time of every process of the run, for the stat files
 * of /proc (procpid.c).  A worker knows only its own process's clock, so
 * each writes its process's start into a table the supervisor maps
 * shared before it forks any worker, and the reader of another process's
 * file looks it up there.  No lock: a slot is claimed by swapping its pid
 * for -1 and published by storing the pid back.  The table is also the
 * list of the run's processes that a sleep looks at (runbusy.c), with
 * each one's worker and host start time (a number taken again since is
 * another process).
 */
#include <stdio.h>
#include <unistd.h>

#include "../../common/log.h"
#include "sandbox.h"

#define NS		1000000000ULL
#define SLOTS		1024

/* One process of the run: its pids and its virtual start time. */
struct slot {
	int32_t		 s_pid;		/* host pid; 0 free, -1 being set */
	int32_t		 s_nspid;	/* in the run's namespace, or 0 */
	int32_t		 s_worker;	/* its worker's pid */
	uint64_t	 s_started;
	uint64_t	 s_host;	/* the host's start time, in ticks */
};

static struct slot	*slots;

void
pstart_setup(void)
{
	if (slots != NULL)
		return;
	slots = shared_map(SLOTS * sizeof(*slots));
}

/* A pid used again: the slots of its earlier processes are stale. */
static void
forget_others(uint32_t mine, int32_t pid, int32_t nspid)
{
	int32_t		 p;
	uint32_t	 i;

	for (i = 0; i < SLOTS; i++) {
		p = __atomic_load_n(&slots[i].s_pid, __ATOMIC_ACQUIRE);
		if (i != mine && p > 0 && (p == pid ||
		    (nspid > 0 && slots[i].s_nspid == nspid)))
			(void)__atomic_compare_exchange_n(&slots[i].s_pid, &p,
			    0, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
	}
}

/*
 * The traced process pid starts (or is handed to this worker): its start
 * time goes into its slot, probed from pid's place on.  A slot is claimed
 * by swapping its pid for -1, so two workers never write one slot.
 */
void
pstart_register(pid_t pid)
{
	char			 path[64];
	struct runbusy_stat	 st;
	int32_t			 old, nspid = 0;
	uint32_t		 i, k;

	if (slots == NULL)
		return;		/* no supervisor: a unit test */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (runbusy_stat(path, &st) < 0)
		st.rs_start = 0;
	if (sandbox_pidns()) {
		snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
		nspid = (int32_t)procpid_status_last(path, "NStgid:");
	}
	for (k = 0; k < SLOTS; k++) {
		i = ((uint32_t)pid + k) % SLOTS;
		old = __atomic_load_n(&slots[i].s_pid, __ATOMIC_ACQUIRE);
		if ((old == 0 || old == pid || shared_gone(old)) &&
		    __atomic_compare_exchange_n(&slots[i].s_pid, &old, -1, 0,
		    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
			slots[i].s_nspid = nspid;
			slots[i].s_worker = (int32_t)getpid();
			slots[i].s_started = sandbox_started();
			slots[i].s_host = st.rs_start;
			__atomic_store_n(&slots[i].s_pid, pid,
			    __ATOMIC_RELEASE);
			forget_others(i, pid, nspid);
			return;
		}
	}
	log_debug("pid %d: no slot for its start time", (int)pid);
}

/* The virtual start time of the run's process pid (its namespace's pid
 * when the run has one); the epoch for one not found. */
uint64_t
pstart_of(long pid)
{
	uint64_t	 v;
	int32_t		 p;
	uint32_t	 i;

	for (i = 0; slots != NULL && i < SLOTS; i++) {
		if ((p = __atomic_load_n(&slots[i].s_pid, __ATOMIC_ACQUIRE))
		    <= 0 || (sandbox_pidns() ? slots[i].s_nspid : p) != pid)
			continue;
		v = slots[i].s_started;
		if (__atomic_load_n(&slots[i].s_pid, __ATOMIC_ACQUIRE) == p)
			return v;
	}
	return (uint64_t)sandbox_config()->sc_epoch * NS;
}

/*
 * fn for each process of the run: its host pid, its worker's pid and its
 * host start time (field 22 of its /proc stat line).  fn returns 1 for a
 * process it found gone: its slot is free then, and no later call pays
 * for a look at it (a shell's loop leaves one for each command it ran).
 */
void
pstart_each(int (*fn)(pid_t, pid_t, unsigned long long, void *), void *arg)
{
	int32_t		 p, w;
	uint64_t	 host;
	uint32_t	 i;

	for (i = 0; slots != NULL && i < SLOTS; i++) {
		if ((p = __atomic_load_n(&slots[i].s_pid, __ATOMIC_ACQUIRE))
		    <= 0)
			continue;
		w = slots[i].s_worker;
		host = slots[i].s_host;
		if (__atomic_load_n(&slots[i].s_pid, __ATOMIC_ACQUIRE) == p &&
		    fn(p, w, host, arg))
			(void)__atomic_compare_exchange_n(&slots[i].s_pid, &p,
			    0, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED);
	}
}
