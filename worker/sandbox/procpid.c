/*
 * The per-process files of /proc as a run of the sandbox shows them:
 * stat, statm, status, sched, schedstat, io and mountinfo (its numbers
 * devnums.c's) of every process and thread of the run (/proc/self,
 * /proc/thread-self, /proc/PID, /proc/PID/task/TID).  Each is the kernel's text with the fields that
 * tell the host's time, load or machine replaced:
 *
 *   start time	the process's virtual creation time (pstart.c's table
 *		for another process; the run's init, isotrace's own,
 *		started at the epoch)
 *   CPU times	the reader's own: the virtual time it has run; another
 *		process's: 0 (its clock moves on its own schedule, which a
 *		reader could only catch at a random moment)
 *   faults, context switches, the CPU it last ran on, I/O delays, bytes
 *		the storage moved: 0
 *   state	the reader runs, every other process sleeps (state())
 *   Cpus_allowed, Mems_allowed: the --cpus machine's, with one node
 *   Seccomp	the sandbox's own filter is not counted (TracerPid stays
 *		the kernel's: tests read it to see that a child is traced)
 *   memory	the kernel's sizes (the same program without ASLR maps the
 *		same), its resident set without file pages (resident()),
 *		and the init's, whose memory is isotrace's: 0
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../common/log.h"
#include "sandbox.h"

#define NS		1000000000ULL
#define TICK_NS		(NS / 100)	/* USER_HZ */

/* The last number of a status line such as "NStgid:\t5327\t1000". */
long
procpid_status_last(const char *path, const char *key)
{
	char	 line[256], *p;
	size_t	 klen = strlen(key);
	long	 v = -1;
	FILE	*f;

	if ((f = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, klen) == 0) {
			p = strrchr(line, '\t');
			v = strtol(p != NULL ? p + 1 : line + klen, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* Virtual ns since boot, as CLOCK_BOOTTIME reads it, of a virtual time. */
static uint64_t
since_boot(uint64_t v)
{
	return v - (uint64_t)sandbox_config()->sc_epoch * NS + SANDBOX_BOOT_NS;
}

static long
page_kb(void)
{
	return sysconf(_SC_PAGESIZE) / 1024;
}

/* Which file of which process: what a /proc name asks for. */
struct target {
	long		 tg_pid;	/* as the reader names it */
	long		 tg_tid;	/* a task's, or 0 */
	const char	*tg_file;	/* "stat", "status", "sched"... */
	int		 tg_self;	/* the reader's own process */
	int		 tg_init;	/* the namespace's init: isotrace's */
	long		 tg_anon_kb;	/* its resident memory (resident()) */
	long		 tg_shmem_kb;
};

/* The reader's pid and tid as it knows them: in the run's namespace,
 * the last of NStgid and NSpid; without it /proc names the host's. */
void
procpid_own_ids(struct it_task *t, long *pid, long *tid)
{
	char	 path[64];

	*pid = it_task_pid(t);
	*tid = it_task_tid(t);
	if (!sandbox_pidns())
		return;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)it_task_tid(t));
	*pid = procpid_status_last(path, "NStgid:");
	*tid = procpid_status_last(path, "NSpid:");
}

static int
number(const char **p, long *n)
{
	char	*end;

	if (**p < '0' || **p > '9')
		return -1;
	*n = strtol(*p, &end, 10);
	*p = end;
	return *n > 0 ? 0 : -1;
}

static int
parse(struct it_task *t, const char *path, struct target *tg)
{
	static const char *const files[] = { "stat", "status", "schedstat",
	    "sched", "statm", "io", "mountinfo" };
	const char	*p = path + 6, *slash;
	long		 pid, tid;
	size_t		 i;

	/* Most names are not ours: look at the file's name first. */
	if (strncmp(path, "/proc/", 6) != 0 ||
	    (slash = strrchr(path, '/')) == NULL)
		return -1;
	memset(tg, 0, sizeof(*tg));
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (strcmp(slash + 1, files[i]) == 0)
			tg->tg_file = files[i];
	if (tg->tg_file == NULL)
		return -1;
	if (strncmp(p, "self/", 5) == 0 || strncmp(p, "thread-self/", 12) ==
	    0) {
		procpid_own_ids(t, &pid, &tid);
		tg->tg_pid = pid;
		if (p[0] == 't')
			tg->tg_tid = tid;
		p = strchr(p, '/') + 1;
	} else if (number(&p, &tg->tg_pid) < 0 || *p++ != '/')
		return -1;
	else
		procpid_own_ids(t, &pid, &tid);
	if (tg->tg_tid == 0 && strncmp(p, "task/", 5) == 0) {
		p += 5;
		if (number(&p, &tg->tg_tid) < 0 || *p++ != '/')
			return -1;
	}
	if (p != slash + 1)
		return -1;
	tg->tg_self = tg->tg_pid == pid;
	tg->tg_init = sandbox_pidns() && tg->tg_pid == 1;
	return 0;
}

/* Reads the kernel's file of the target, as the reader would see it. */
static ssize_t
host_read(struct it_task *t, const struct target *tg, char *buf, size_t size)
{
	char	 path[128], task[32] = "";
	ssize_t	 n;
	int	 fd;

	if (tg->tg_tid != 0)
		snprintf(task, sizeof(task), "/task/%ld", tg->tg_tid);
	/* In the run's pid namespace, its own /proc (seen through the
	 * process's root) names the pids as the process knows them. */
	if (sandbox_pidns())
		snprintf(path, sizeof(path), "/proc/%d/root/proc/%ld%s/%s",
		    (int)it_task_tid(t), tg->tg_pid, task, tg->tg_file);
	else
		snprintf(path, sizeof(path), "/proc/%ld%s/%s", tg->tg_pid,
		    task, tg->tg_file);
	/* (the program may have mounted a /proc of its own, with links) */
	if ((fd = rootwalk_path(it_task_tid(t), path, O_RDONLY)) == -1)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

static uint64_t
cpu_ticks(const struct target *tg)
{
	return tg->tg_self ?
	    (sandbox_now() - sandbox_started()) / TICK_NS : 0;
}

/*
 * The state letter: the reader runs; any other process of the run is
 * waiting, as in one schedule where the reader alone runs, so whether it
 * is on a CPU (R), in a disk wait (D) or stopped by its worker (t) at
 * that instant, which no run controls, reads as sleeping.  What the
 * program decides (stopped by a signal, a zombie) stays.
 */
static char
state(const struct target *tg, char kernel)
{
	if (tg->tg_self)
		return kernel == 't' ? 'R' : kernel;
	return kernel == 'R' || kernel == 'D' || kernel == 't' ? 'S' :
	    kernel;
}

static const char *
state_name(char c)
{
	static const struct {
		char		 s_c;
		const char	*s_name;
	} names[] = {
		{ 'R', "R (running)" }, { 'S', "S (sleeping)" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].s_c == c)
			return names[i].s_name;
	return NULL;
}

/*
 * The stat line.  Field 2, the command, may hold spaces and parentheses:
 * fields are counted after its last ')'.
 */
static void
stat_line(const struct target *tg, char *line, char *buf, size_t size,
    size_t *len)
{
	char		*p, *f, *save;
	uint64_t	 start;
	int		 field;

	start = since_boot(tg->tg_self ? sandbox_started() :
	    pstart_of(tg->tg_pid)) / TICK_NS;
	if ((p = strrchr(line, ')')) == NULL)
		return;
	*++p = '\0';
	procfs_add(buf, size, len, "%s", line);
	for (field = 3, f = strtok_r(p + 1, " \n", &save); f != NULL;
	    field++, f = strtok_r(NULL, " \n", &save)) {
		if (field == 3)
			procfs_add(buf, size, len, " %c", state(tg, f[0]));
		else if (field == 14)
			procfs_add(buf, size, len, " %llu",
			    (unsigned long long)cpu_ticks(tg));
		else if ((field >= 10 && field <= 17) || field == 39 ||
		    (field >= 42 && field <= 44) ||
		    (tg->tg_init && field == 23))
			procfs_add(buf, size, len, " 0");
		else if (field == 24)
			procfs_add(buf, size, len, " %ld", (tg->tg_anon_kb +
			    tg->tg_shmem_kb) / page_kb());
		else if (field == 22)
			procfs_add(buf, size, len, " %llu", (unsigned long long)start);
		else
			procfs_add(buf, size, len, " %s", f);
	}
	procfs_add(buf, size, len, "\n");
}

/* Each "Key:\tvalue" line of status, some values replaced. */
static void
status_text(const struct target *tg, char *text, char *buf, size_t size,
    size_t *len)
{
	static const char *const zero[] = { "voluntary_ctxt_switches",
	    "nonvoluntary_ctxt_switches" };
	static const char *const mem[] = { "VmPeak", "VmSize", "VmLck",
	    "VmPin", "VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem",
	    "VmData", "VmStk", "VmExe", "VmLib", "VmPTE", "VmSwap" };
	char		*line, *save, *v, key[64], mask[64];
	uint32_t	 n = sandbox_config()->sc_cpus;
	long		 filters = 0;
	size_t		 i, klen;
	int		 done;

	/* The sandbox's own filter is the first: not the program's. */
	if ((v = strstr(text, "\nSeccomp_filters:")) != NULL)
		filters = strtol(v + 17, NULL, 10);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if ((v = strchr(line, ':')) == NULL ||
		    (klen = (size_t)(v - line)) >= sizeof(key)) {
			procfs_add(buf, size, len, "%s\n", line);
			continue;
		}
		memcpy(key, line, klen);
		key[klen] = '\0';
		done = 1;
		if (strcmp(key, "State") == 0 && v[1] == '\t' &&
		    state(tg, v[2]) != v[2] &&
		    state_name(state(tg, v[2])) != NULL)
			procfs_add(buf, size, len, "State:\t%s\n",
			    state_name(state(tg, v[2])));
		else if (strcmp(key, "Cpus_allowed") == 0) {
			sysfs_cpu_mask(mask, sizeof(mask), n, 0, n - 1);
			procfs_add(buf, size, len, "Cpus_allowed:\t%s\n", mask);
		} else if (strcmp(key, "Cpus_allowed_list") == 0)
			procfs_add(buf, size, len, n == 1 ? "%s:\t0\n" :
			    "%s:\t0-%u\n", key, n - 1);
		else if (strcmp(key, "Mems_allowed") == 0)
			procfs_add(buf, size, len, "Mems_allowed:\t1\n");
		else if (strcmp(key, "Mems_allowed_list") == 0)
			procfs_add(buf, size, len, "Mems_allowed_list:\t0\n");
		else if (strcmp(key, "Seccomp_filters") == 0)
			procfs_add(buf, size, len, "Seccomp_filters:\t%ld\n",
			    filters > 0 ? filters - 1 : 0);
		else if (strcmp(key, "Seccomp") == 0 && filters == 1)
			procfs_add(buf, size, len, "Seccomp:\t0\n");
		else if (strcmp(key, "VmRSS") == 0 || strcmp(key, "VmHWM") == 0)
			procfs_add(buf, size, len, "%s:\t%8ld kB\n", key,
			    tg->tg_anon_kb + tg->tg_shmem_kb);
		else if (strcmp(key, "RssFile") == 0)
			procfs_add(buf, size, len, "%s:\t%8d kB\n", key, 0);
		else
			done = 0;
		for (i = 0; !done && i < sizeof(zero) / sizeof(zero[0]); i++)
			if (strcmp(key, zero[i]) == 0) {
				procfs_add(buf, size, len, "%s:\t0\n", key);
				done = 1;
			}
		for (i = 0; !done && tg->tg_init &&
		    i < sizeof(mem) / sizeof(mem[0]); i++)
			if (strcmp(key, mem[i]) == 0) {
				procfs_add(buf, size, len, "%s:\t%8d kB\n", key, 0);
				done = 1;
			}
		if (!done)
			procfs_add(buf, size, len, "%s\n", line);
	}
}

/*
 * The scheduler's debug file: "name : value" lines of clocks, run times,
 * averages and migrations, which no two runs share.  They read 0 (in the
 * file's own notation), but the run time, the reader's virtual one, and
 * what the program chose or the host's scheduler is set to (its weight,
 * policy, priority, slice, preferred node).
 */
static void
sched_text(const struct target *tg, char *text, char *buf, size_t size,
    size_t *len)
{
	static const char *const kept[] = { "se.load.weight", "policy",
	    "prio", "se.slice", "numa_preferred_nid" };
	char		*line, *save, *colon, *v, key[64];
	uint64_t	 ns;
	size_t		 i, klen;
	int		 keep, width;

	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if ((colon = strstr(line, " : ")) == NULL ||
		    (klen = strcspn(line, " ")) >= sizeof(key)) {
			procfs_add(buf, size, len, "%s\n", line);
			continue;
		}
		memcpy(key, line, klen);
		key[klen] = '\0';
		for (keep = 0, i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
			keep |= strcmp(key, kept[i]) == 0;
		v = colon + 3 + strspn(colon + 3, " ");
		if (keep) {
			procfs_add(buf, size, len, "%s\n", line);
			continue;
		}
		width = (int)strlen(colon + 3);
		ns = strcmp(key, "se.sum_exec_runtime") == 0 ?
		    cpu_ticks(tg) * TICK_NS : 0;
		procfs_add(buf, size, len, "%.*s : ", (int)(colon - line), line);
		if (strchr(v, '.') != NULL)	/* milliseconds */
			procfs_add(buf, size, len, "%*llu.%06llu", width - 7,
			    (unsigned long long)(ns / 1000000),
			    (unsigned long long)(ns % 1000000));
		else
			procfs_add(buf, size, len, "%*d", width, 0);
		procfs_add(buf, size, len, "\n");
	}
}

/*
 * The I/O counters: the bytes and calls the program asked for are its
 * own; those the storage saw depend on what the host's page cache held.
 */
static void
io_text(char *text, char *buf, size_t size, size_t *len)
{
	char	*line, *save;

	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (strncmp(line, "read_bytes:", 11) == 0 ||
		    strncmp(line, "write_bytes:", 12) == 0 ||
		    strncmp(line, "cancelled_write_bytes:", 22) == 0)
			procfs_add(buf, size, len, "%.*s 0\n",
			    (int)strcspn(line, ":") + 1, line);
		else
			procfs_add(buf, size, len, "%s\n", line);
}

static long
kb_of(const char *text, const char *key)
{
	const char	*p = strstr(text, key);

	return p != NULL ? strtol(p + strlen(key), NULL, 10) : 0;
}

/*
 * The resident set: the process's anonymous and shared pages, which the
 * program's own touches decide.  Its file pages are left out: the kernel
 * maps at each fault the pages around it that the host's page cache
 * happens to hold, a few dozen more or less from run to run.
 */
static void
resident(struct it_task *t, struct target *tg)
{
	struct target	 st = *tg;
	char		 text[8192];

	tg->tg_anon_kb = tg->tg_shmem_kb = 0;
	st.tg_file = "status";
	if (tg->tg_init || host_read(t, &st, text, sizeof(text)) <= 0)
		return;
	tg->tg_anon_kb = kb_of(text, "\nRssAnon:");
	tg->tg_shmem_kb = kb_of(text, "\nRssShmem:");
}

/* statm, in pages: size, resident, shared, text, lib, data, dirty. */
static void
statm_text(const struct target *tg, char *text, char *buf, size_t size,
    size_t *len)
{
	char	*f, *save;
	int	 field;

	for (field = 1, f = strtok_r(text, " \n", &save); f != NULL;
	    field++, f = strtok_r(NULL, " \n", &save))
		if (tg->tg_init)
			procfs_add(buf, size, len, "%s0", field > 1 ? " " : "");
		else if (field == 2 || field == 3)
			procfs_add(buf, size, len, " %ld", ((field == 2 ?
			    tg->tg_anon_kb : 0) + tg->tg_shmem_kb) / page_kb());
		else
			procfs_add(buf, size, len, "%s%s", field > 1 ? " " : "", f);
	procfs_add(buf, size, len, "\n");
}

size_t
procpid_content(struct it_task *t, const char *path, char *buf, size_t size)
{
	struct target	 tg;
	char		 text[8192];
	size_t		 len = 0;
	uint64_t	 cpu;

	if (parse(t, path, &tg) < 0)
		return 0;
	if (strcmp(tg.tg_file, "mountinfo") == 0) {
		/* (a host with many mounts: longer than the others) */
		static char	 table[65536];

		if (host_read(t, &tg, table, sizeof(table)) <= 0)
			return 0;
		return devnums_mountinfo(it_task_tid(t), table, buf, size);
	}
	if (host_read(t, &tg, text, sizeof(text)) <= 0)
		return 0;
	if (strncmp(tg.tg_file, "stat", 4) == 0)
		resident(t, &tg);
	if (strcmp(tg.tg_file, "stat") == 0)
		stat_line(&tg, text, buf, size, &len);
	else if (strcmp(tg.tg_file, "status") == 0)
		status_text(&tg, text, buf, size, &len);
	else if (strcmp(tg.tg_file, "sched") == 0)
		sched_text(&tg, text, buf, size, &len);
	else if (strcmp(tg.tg_file, "io") == 0)
		io_text(text, buf, size, &len);
	else if (strcmp(tg.tg_file, "statm") == 0)
		statm_text(&tg, text, buf, size, &len);
	else {
		/* schedstat: time on the CPU, waiting for it, slices */
		cpu = cpu_ticks(&tg) * TICK_NS;
		procfs_add(buf, size, &len, "%llu 0 %d\n", (unsigned long long)cpu,
		    cpu > 0);
	}
	return len;
}

/* The host file a virtual one stands for, for fstat. */
int
procpid_host_path(struct it_task *t, const char *path, char *out,
    size_t size)
{
	struct target	 tg;
	char		 task[32] = "";

	if (parse(t, path, &tg) < 0)
		return -1;
	if (tg.tg_tid != 0)
		snprintf(task, sizeof(task), "/task/%ld", tg.tg_tid);
	if (sandbox_pidns())
		snprintf(out, size, "/proc/%d/root/proc/%ld%s/%s",
		    (int)it_task_tid(t), tg.tg_pid, task, tg.tg_file);
	else
		snprintf(out, size, "/proc/%ld%s/%s", tg.tg_pid, task,
		    tg.tg_file);
	return 0;
}
