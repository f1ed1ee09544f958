/*
 * The sandbox's per-process state.  A child's stream is keyed by its
 * parent's key and the parent's fork count, so a process gets the same
 * numbers on every run as long as processes fork in the same order.
 */
#include <errno.h>
#include <string.h>

#include "../engine/schedule.h"
#include "sandbox.h"
#include "timers.h"

/* Each time read advances the clock so that two reads are never equal
 * (programs divide by elapsed time) yet runs stay identical. */
#define TIME_STEP_NS	1000

struct pstate {
	uint64_t	 p_key;		/* identity of the process's lineage */
	uint64_t	 p_clock;	/* ns since the epoch */
	uint64_t	 p_rng;		/* splitmix64 state */
	uint64_t	 p_forks;
	int64_t		 p_rtoff;	/* realtime - p_clock, clock_settime */
	uint64_t	 p_slept;	/* of p_clock, in sleeps and waits */
	struct sandbox_ids p_ids;
};

static uint64_t			 started;	/* p_clock at creation */
static uint64_t			 det_cpu;	/* one clock: its steps */

_Static_assert(sizeof(struct pstate) <= SANDBOX_STATE_MAX, "state fits");

static struct sandbox_config	 cfg = { .sc_epoch = SANDBOX_EPOCH,
				    .sc_cpus = SANDBOX_CPUS };
static struct pstate		 ps;

/* splitmix64: small, fast, good enough to stand in for randomness. */
static uint64_t
mix(uint64_t *s)
{
	uint64_t	 z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
sandbox_configure(const struct sandbox_config *c)
{
	cfg = *c;
	if (cfg.sc_cpus == 0 || cfg.sc_cpus > SANDBOX_CPUS_MAX)
		cfg.sc_cpus = SANDBOX_CPUS;
}

const struct sandbox_config *
sandbox_config(void)
{
	return &cfg;
}

static void
start(uint64_t key, uint64_t clock)
{
	ps.p_key = key;
	ps.p_rng = key;
	ps.p_clock = clock;
	ps.p_forks = 0;
	ps.p_rtoff = 0;
	ps.p_slept = 0;
	started = clock;
	det_cpu = 0;
	devices_forget();
}

void
sandbox_root(pid_t pid)
{
	uint64_t	 s = cfg.sc_seed;

	start(mix(&s), (uint64_t)cfg.sc_epoch * 1000000000ULL);
	if (sched_on())
		sched_clock_init(ps.p_clock);
	pids_root(&ps.p_ids, pid);
	timers_start(pid, ps.p_clock);
}

/* The key of the n-th child. */
static uint64_t
child_key(uint64_t n)
{
	uint64_t	 s = ps.p_key ^ n;

	return mix(&s);
}

uint64_t
sandbox_next_child_key(void)
{
	return child_key(ps.p_forks + 1);
}

size_t
sandbox_fork(void *buf, pid_t pid)
{
	struct pstate	 child;

	devices_forget();	/* its pool's fds are the child's too now */
	memset(&child, 0, sizeof(child));
	child.p_key = child_key(++ps.p_forks);
	child.p_rng = child.p_key;
	child.p_clock = ps.p_clock;	/* a child starts at its parent's time */
	child.p_forks = 0;
	child.p_rtoff = ps.p_rtoff;	/* and its setting of the clock */
	pids_fork(&ps.p_ids, &child.p_ids, pid, child.p_key);
	memcpy(buf, &child, sizeof(child));
	return sizeof(child);
}

int
sandbox_adopt(const void *buf, size_t len, pid_t pid)
{
	struct pstate	 p;

	if (len < sizeof(p))
		return -EINVAL;
	memcpy(&p, buf, sizeof(p));
	start(p.p_key, p.p_clock);
	ps.p_rtoff = p.p_rtoff;
	ps.p_ids = p.p_ids;
	pids_adopt(&ps.p_ids, pid);
	timers_start(pid, ps.p_clock);	/* a fork's child has no timers */
	return 0;
}

struct sandbox_ids *
sandbox_ids(void)
{
	return &ps.p_ids;
}

uint64_t
sandbox_derive(uint64_t salt)
{
	uint64_t	 s = ps.p_key ^ salt;

	return mix(&s);
}

uint64_t
sandbox_started(void)
{
	return started;
}

uint64_t
sandbox_now(void)
{
	/* Under the deterministic schedule one clock is the run's. */
	if (sched_on()) {
		sched_clock_to(sched_clock() + TIME_STEP_NS);
		det_cpu += TIME_STEP_NS;
		ps.p_clock = sched_clock();
		timers_moved(ps.p_clock);
		return ps.p_clock;
	}
	ps.p_clock += TIME_STEP_NS;
	timers_moved(ps.p_clock);	/* the timers it passed fire */
	return ps.p_clock;
}

int64_t
sandbox_rtoff(void)
{
	return ps.p_rtoff;
}

void
sandbox_set_rtoff(int64_t off)
{
	ps.p_rtoff = off;
}

void
sandbox_sleep(uint64_t ns)
{
	if (sched_on()) {
		sched_clock_to(sched_clock() + ns);
		ps.p_slept += ns;
		ps.p_clock = sched_clock();
		timers_moved(ps.p_clock);
		return;
	}
	ps.p_clock += ns;
	ps.p_slept += ns;
	timers_moved(ps.p_clock);
}

void
sandbox_sleep_until(uint64_t ns)
{
	if (sched_on()) {
		sched_clock_to(ns);
		ps.p_clock = sched_clock();
		timers_moved(ps.p_clock);
		return;
	}
	if (ns > ps.p_clock) {
		ps.p_slept += ns - ps.p_clock;
		ps.p_clock = ns;
	}
	timers_moved(ps.p_clock);
}

void
sandbox_stepped(uint64_t ns)
{
	det_cpu += ns;
}

uint64_t
sandbox_slept(void)
{
	/* Under one clock a process's CPU time is its own steps'. */
	if (sched_on())
		return ps.p_clock - started - det_cpu;
	return ps.p_slept;
}

void
sandbox_random(void *buf, size_t len)
{
	unsigned char	*p = buf;
	uint64_t	 v;
	size_t		 n;

	while (len > 0) {
		v = mix(&ps.p_rng);
		n = len < sizeof(v) ? len : sizeof(v);
		memcpy(p, &v, n);
		p += n;
		len -= n;
	}
}
