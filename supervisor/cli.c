/*
 * The command line: isotrace [-cChTtVv] [-e trace=set] [--json] ...
 * [-o file] [--] command [args ...].  Errors before the command starts go
 * through err(3) with status 125 (or 126/127 for the command itself), as
 * env(1) does.
 */
#include <sys/stat.h>
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/log.h"
#include "../worker/decode/stamp.h"
#include "../worker/decode/decode.h"
#include "filter.h"
#include "opts.h"
#include "supervisor.h"

#define USAGE	"usage: isotrace [-cCfhqTtVvxyZz] [-E var[=val]] [-e expr] " \
		"[--json] [-P path] [--sandbox] [--sandbox-pids mode] " \
		"[--verify] [--schedule mode] [--chaos] [--cpus n] " \
		"[--epoch time] [--seed n] [--uid uid] " \
		"[-o file] [-s strsize] [-u user] [--] command [args ...]\n" \
		"       isotrace [-cCfqTtvxyZz] [-e expr] [-P path] [-o file] " \
		"[-s strsize] -p pid[,pid ...]\n"

/* Long options without a short one. */
enum { OPT_EPOCH = 256, OPT_SECCOMP, OPT_FORMAT, OPT_SANDBOX_PIDS, OPT_CPUS,
    OPT_SCHEDULE, OPT_CHAOS };

/* -c prints only the summary, -C the trace lines too. */
enum summary { SUMMARY_NONE, SUMMARY_ONLY, SUMMARY_AND_TRACE };

static void __attribute__((noreturn))
usage(int status)
{
	fputs(USAGE, status ? stderr : stdout);
	if (status == 0)
		fputs("\n"
		    "  -v, --verbose      print every system call and its result\n"
		    "  -f                 follow children (always on: accepted "
		    "for strace)\n"
		    "  -ff                with -v and -o FILE: each process's "
		    "trace in FILE.PID\n"
		    "  -e trace=SET, --trace=SET\n"
		    "                     print only the calls of SET: names, "
		    "?name,\n"
		    "                     %CLASS (%file %process %network "
		    "%signal\n"
		    "                     %memory %ipc %desc %creds %clock %stat\n"
		    "                     %lstat %fstat %%stat %statfs %fstatfs "
		    "%%statfs\n"
		    "                     %pure), /REGEX, all, none; !SET for "
		    "all others\n"
		    "  -e signal=SET      which signals' \"--- SIG... ---\" "
		    "lines print:\n"
		    "                     names (with or without SIG), "
		    "numbers, all,\n"
		    "                     none; !SET for all others\n"
		    "  -e status=SET      which calls print by how they ended: "
		    "successful,\n"
		    "                     failed, unfinished, unavailable, "
		    "detached, all,\n"
		    "                     none; !SET for all others\n"
		    "  -z                 only calls that succeeded "
		    "(-e status=successful)\n"
		    "  -Z                 only calls that failed "
		    "(-e status=failed)\n"
		    "  -P PATH            only calls that touch PATH, by name "
		    "or descriptor\n"
		    "                     (repeatable)\n"
		    "  -y                 print the paths of file descriptors: "
		    "3</etc/passwd>\n"
		    "  -yy                and the protocol and endpoints of "
		    "sockets\n"
		    "  -x                 print non-ASCII strings in hex; -xx "
		    "every string\n"
		    "  -q                 no attach/detach messages; -qq no "
		    "exit lines either\n"
		    "  -p, --attach=PID[,PID...]\n"
		    "                     trace running processes, their threads "
		    "and new\n"
		    "                     children; ^C detaches and leaves "
		    "them running\n"
		    "  -E VAR=VAL, -E VAR set or remove VAR in the command's "
		    "environment\n"
		    "  -u USER            run the command as USER (uid, gid, "
		    "groups; root only)\n"
		    "      --seccomp-bpf  accepted for strace's sake: the filter "
		    "is always on\n"
		    "  -c, --summary      count calls, errors and time per system "
		    "call;\n"
		    "                     print the table at exit, no trace "
		    "lines\n"
		    "  -C                 the trace lines and the -c table\n"
		    "  -t                 prefix lines with the time of day; -tt "
		    "with\n"
		    "                     microseconds, -ttt in seconds since "
		    "1970\n"
		    "  -T, --syscall-times\n"
		    "                     append the time each call took: "
		    "<0.000012>\n"
		    "      --json, --format=json\n"
		    "                     the trace as JSON lines, an object "
		    "per call,\n"
		    "                     signal and exit (implies -v); "
		    "--format=text\n"
		    "                     is the default\n"
		    "  -o, --output=FILE  write the trace and summary to FILE\n"
		    "  -s, --string-limit=N\n"
		    "                     show at most N bytes of each string "
		    "(default 32)\n"
		    "      --sandbox      run deterministically: virtual time,\n"
		    "                     identity, randomness, file times, "
		    "uname\n"
		    "      --sandbox-pids=MODE\n"
		    "                     namespace: the run's own pid, user, "
		    "mount and\n"
		    "                     UTS namespaces; translate: virtual "
		    "pids, call\n"
		    "                     by call (default: namespace if the "
		    "kernel\n"
		    "                     allows it)\n"
		    "      --verify       run twice in the sandbox and compare "
		    "the outputs\n"
		    "      --schedule=MODE\n"
		    "                     host: threads run as the host "
		    "schedules them\n"
		    "                     (default); deterministic: one "
		    "thread of the run\n"
		    "                     at a time, in an order fixed by "
		    "--seed, on one\n"
		    "                     logical clock (implies --sandbox)\n"
		    "      --chaos        --schedule=deterministic with "
		    "adversarial\n"
		    "                     priorities: races show within a few "
		    "seeds\n"
		    "      --cpus=N       sandbox CPUs: nproc, /proc/cpuinfo, "
		    "/proc/stat,\n"
		    "                     /sys/devices/system/cpu (default 2, "
		    "at most 64)\n"
		    "      --epoch=TIME   sandbox time starts at TIME (seconds "
		    "since\n"
		    "                     1970 or YYYY-MM-DD[THH:MM:SS], UTC; "
		    "default 2025-01-01)\n"
		    "      --seed=N       sandbox random stream N (default 0)\n"
		    "      --uid=UID      sandbox user and group id (default 0)"
		    "\n"
		    "  -h, --help         print this help\n"
		    "  -V, --version      print the version\n"
		    "\n"
		    "Exit status: the command's; 128+N if it was killed by "
		    "signal N;\n"
		    "125 isotrace failed, 126 command not executable, "
		    "127 not found.\n", stdout);
	exit(status);
}

/* Seconds since 1970, or a UTC date YYYY-MM-DD[THH:MM:SS]. */
static int64_t
parse_epoch(const char *s)
{
	const char	*errstr, *end;
	struct tm	 tm;
	long long	 v;

	v = strtonum(s, 0, 253402300799LL, &errstr);
	if (errstr == NULL)
		return v;
	memset(&tm, 0, sizeof(tm));
	if (((end = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)) == NULL ||
	    *end != '\0') && (memset(&tm, 0, sizeof(tm)),
	    (end = strptime(s, "%Y-%m-%d", &tm)) == NULL || *end != '\0'))
		errx(EXIT_INTERNAL, "--epoch %s: not seconds nor "
		    "YYYY-MM-DD[THH:MM:SS]", s);
	return (int64_t)timegm(&tm);
}

/* -e trace=SET, or -e SET, -e signal=SET, -e status=SET. */
static int
trace_option(struct worker_opts *o, const char *arg, int first)
{
	char		 why[256];
	const char	*set = arg, *eq;

	if ((eq = strchr(arg, '=')) != NULL) {
		if (strncmp(arg, "signal=", 7) == 0 ||
		    strncmp(arg, "signals=", 8) == 0) {
			opts_signal_set(&o->wo_decode, eq + 1);
			return 0;
		}
		if (strncmp(arg, "status=", 7) == 0) {
			opts_status_set(&o->wo_decode, eq + 1);
			return 0;
		}
		if (strncmp(arg, "trace=", 6) != 0)
			errx(EXIT_INTERNAL, "-e %.*s: unsupported qualifier "
			    "(trace=, signal=, status=)", (int)(eq - arg), arg);
		set = eq + 1;
	}
	if (filter_apply(o->wo_select, set, first, why, sizeof(why)) < 0)
		errx(EXIT_INTERNAL, "-e trace=%s: %s", set, why);
	return 1;
}

static void
record_ignored(int sig, sigset_t *was_ignored)
{
	struct sigaction	 old;

	if (sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN)
		sigaddset(was_ignored, sig);
}

static void
ignore_signal(int sig)
{
	signal(sig, SIG_IGN);
}

int
it_main(int argc, char *argv[], const struct it_table *tool)
{
	static struct it_layer	 l = { .l_name = "tool" };

	if (tool == NULL)
		return it_main_layer(argc, argv, NULL);
	l.l_table = tool;
	return it_main_layer(argc, argv, &l);
}

int
it_main_layer(int argc, char *argv[], const struct it_layer *tool)
{
	static const struct option longopts[] = {
		{ "format",	required_argument,	NULL, OPT_FORMAT },
		{ "help",	no_argument,		NULL, 'h' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "output",	required_argument,	NULL, 'o' },
		{ "summary",	no_argument,		NULL, 'c' },
		{ "string-limit", required_argument,	NULL, 's' },
		{ "summary-only", no_argument,		NULL, 'c' },
		{ "syscall-times", no_argument,		NULL, 'T' },
		{ "trace",	required_argument,	NULL, 'e' },
		{ "attach",	required_argument,	NULL, 'p' },
		{ "chaos",	no_argument,		NULL, OPT_CHAOS },
		{ "cpus",	required_argument,	NULL, OPT_CPUS },
		{ "epoch",	required_argument,	NULL, OPT_EPOCH },
		{ "seccomp-bpf", no_argument,		NULL, OPT_SECCOMP },
		{ "sandbox",	no_argument,		NULL, 'S' },
		{ "sandbox-pids", required_argument,	NULL, OPT_SANDBOX_PIDS },
		{ "schedule",	required_argument,	NULL, OPT_SCHEDULE },
		{ "seed",	required_argument,	NULL, 'R' },
		{ "uid",	required_argument,	NULL, 'U' },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "verify",	no_argument,		NULL, 'F' },
		{ "version",	no_argument,		NULL, 'V' },
		{ NULL,		0,			NULL, 0 }
	};
	static struct worker_opts o;	/* wo_select is large */
	enum summary		 summary = SUMMARY_NONE;
	const char		*errstr;
	char			 path[PATH_MAX];
	int			 verify = 0, verbose = 0, filtered = 0;
	int			 stamp = STAMP_NONE, follow = 0;
	const char		*outfile = NULL;
	struct stat		 sb;
	struct decode_opts	*d;
	size_t			 i;
	int			 ch, e;

	o.wo_layer = tool;
	o.wo_trace_fd = -1;
	o.wo_sandbox_config.sc_epoch = SANDBOX_EPOCH;
	o.wo_sandbox_config.sc_cpus = SANDBOX_CPUS;
	/* getopt's messages name argv[0]: the tool's name, not its path. */
	if (argc > 0 && strrchr(argv[0], '/') != NULL)
		argv[0] = strrchr(argv[0], '/') + 1;
	/* '+': options end at the command, whose own options are its own. */
	while ((ch = getopt_long(argc, argv, "+cCe:E:fhp:P:qTtu:VvxyZzo:s:",
	    longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(0);
		case 'V':
			printf("isotrace %s\n", IT_VERSION);
			exit(0);
		case 'v':
			verbose = 1;
			break;
		case 'c':
			if (summary == SUMMARY_NONE)
				summary = SUMMARY_ONLY;
			break;
		case 'C':
			summary = SUMMARY_AND_TRACE;
			break;
		case 'e':
			if (trace_option(&o, optarg, filtered == 0))
				filtered++;
			break;
		case 'E':
			opts_setenv(&o, optarg);
			break;
		case 'p':
			opts_attach(&o, optarg);
			break;
		case 'P':
			opts_path(&o.wo_decode, optarg);
			break;
		case 'q':
			o.wo_decode.do_quiet++;
			break;
		case 'u':
			opts_user(&o, optarg);
			break;
		case 'x':
			o.wo_decode.do_hex++;
			break;
		case 'y':
			o.wo_decode.do_fdpath++;
			break;
		case 'z':
			opts_status_add(&o.wo_decode, DSTATUS_SUCCESSFUL);
			break;
		case 'Z':
			opts_status_add(&o.wo_decode, DSTATUS_FAILED);
			break;
		case OPT_SECCOMP:
			break;
		case 't':
			if (stamp < STAMP_EPOCH)
				stamp++;
			break;
		case 'T':
			o.wo_spent = 1;
			break;
		case 'j':
			o.wo_json = 1;
			break;
		case 'f':
			follow++;
			break;
		case OPT_FORMAT:
			if (strcmp(optarg, "json") == 0)
				o.wo_json = 1;
			else if (strcmp(optarg, "text") == 0)
				o.wo_json = 0;
			else
				errx(EXIT_INTERNAL, "--format=%s: not json nor "
				    "text", optarg);
			break;
		case 'o':
			outfile = optarg;
			break;
		case 's':
			decode_set_strsize((size_t)strtonum(optarg, 0, 1 << 20,
			    &errstr));
			if (errstr != NULL)
				errx(EXIT_INTERNAL, "-s %s: %s", optarg, errstr);
			break;
		case 'S':
			o.wo_sandbox = 1;
			break;
		case 'F':
			o.wo_sandbox = verify = 1;
			break;
		case OPT_CPUS:
			o.wo_sandbox_config.sc_cpus = strtonum(optarg, 1,
			    SANDBOX_CPUS_MAX, &errstr);
			if (errstr != NULL)
				errx(EXIT_INTERNAL, "--cpus %s: %s", optarg,
				    errstr);
			break;
		case OPT_SANDBOX_PIDS:
			if (strcmp(optarg, "namespace") == 0)
				o.wo_sandbox_config.sc_pids =
				    SANDBOX_PIDS_NAMESPACE;
			else if (strcmp(optarg, "translate") == 0)
				o.wo_sandbox_config.sc_pids =
				    SANDBOX_PIDS_TRANSLATE;
			else
				errx(EXIT_INTERNAL, "--sandbox-pids=%s: not "
				    "namespace nor translate", optarg);
			break;
		case OPT_EPOCH:
			o.wo_sandbox_config.sc_epoch = parse_epoch(optarg);
			break;
		case OPT_SCHEDULE:
			if (strcmp(optarg, "host") == 0)
				o.wo_schedule = SCHED_HOST;
			else if (strcmp(optarg, "deterministic") == 0 ||
			    strcmp(optarg, "det") == 0)
				o.wo_schedule = SCHED_DETERMINISTIC;
			else if (strcmp(optarg, "chaos") == 0)
				o.wo_schedule = SCHED_CHAOS;
			else
				errx(EXIT_INTERNAL, "--schedule=%s: not host, "
				    "deterministic nor chaos", optarg);
			if (o.wo_schedule != SCHED_HOST)
				o.wo_sandbox = 1;
			break;
		case OPT_CHAOS:
			o.wo_schedule = SCHED_CHAOS;
			o.wo_sandbox = 1;
			break;
		case 'R':
			o.wo_sandbox_config.sc_seed = strtonum(optarg, 0,
			    LLONG_MAX, &errstr);
			if (errstr != NULL)
				errx(EXIT_INTERNAL, "--seed %s: %s", optarg,
				    errstr);
			break;
		case 'U':
			o.wo_sandbox_config.sc_uid = o.wo_sandbox_config.sc_gid =
			    strtonum(optarg, 0, UINT32_MAX - 1, &errstr);
			if (errstr != NULL)
				errx(EXIT_INTERNAL, "--uid %s: %s", optarg,
				    errstr);
			break;
		default:
			usage(EXIT_INTERNAL);
		}
	}
	argc -= optind;
	argv += optind;
	if (o.wo_nattach > 0) {
		if (argc > 0)
			errx(EXIT_INTERNAL, "-p and a command: give one or "
			    "the other");
		if (o.wo_sandbox)
			errx(EXIT_INTERNAL, "--sandbox cannot attach to a "
			    "running process (-p): its time, pids and network "
			    "were real before it was traced");
		if (o.wo_user != NULL || o.wo_nsetenv > 0)
			errx(EXIT_INTERNAL, "-u and -E are for a command isotrace "
			    "starts, not for -p");
	} else if (argc == 0)
		usage(EXIT_INTERNAL);
	/* As strace: -e trace= prints (only those calls), -c only counts. */
	o.wo_filtered = filtered > 0;
	o.wo_summary = summary != SUMMARY_NONE;
	/* So do the options that only shape trace lines, and -p: tracing a
	 * running process is for its trace. */
	d = &o.wo_decode;
	if (d->do_fdpath || d->do_hex || d->do_status || d->do_hidesig ||
	    d->do_npaths || o.wo_nattach)
		verbose = 1;
	o.wo_verbose = (verbose || filtered || o.wo_json) &&
	    summary != SUMMARY_ONLY;
	if (summary == SUMMARY_AND_TRACE)
		o.wo_verbose = 1;
	o.wo_stamp = stamp;
	if (verify && (o.wo_summary || stamp != STAMP_NONE || o.wo_spent ||
	    o.wo_json))
		errx(EXIT_INTERNAL, "--verify compares two runs: -c, -C, -t, "
		    "-T and --json would make them differ");

	if (o.wo_sandbox &&
	    o.wo_sandbox_config.sc_pids == SANDBOX_PIDS_AUTO) {
		/* Said once: the run is still deterministic, but pids that
		 * travel outside a call's arguments (/proc) stay real. */
		if (spawn_namespace_works())
			o.wo_sandbox_config.sc_pids = SANDBOX_PIDS_NAMESPACE;
		else {
			warnx("--sandbox: no user namespaces here; pids are "
			    "translated call by call");
			o.wo_sandbox_config.sc_pids = SANDBOX_PIDS_TRANSLATE;
		}
	}

	if (o.wo_nattach > 0)
		;
	else if ((e = command_resolve(argv[0], path, sizeof(path))) != 0) {
		if (e == ENOENT && strchr(argv[0], '/') == NULL)
			errx(127, "%s: command not found", argv[0]);
		errno = e;
		err(e == ENOENT ? 127 : 126, "%s", argv[0]);
	}
	o.wo_path = path;
	o.wo_argv = argv;

	if (outfile != NULL && follow >= 2) {
		/* -ff: strace's FILE.PID, written by each worker; the -c
		 * table goes to stderr. */
		o.wo_ff_base = outfile;
		o.wo_trace_fd = STDERR_FILENO;
		o.wo_trace_name = "stderr";
	} else if (outfile != NULL) {
		o.wo_trace_fd = open(outfile, O_WRONLY | O_CREAT | O_TRUNC |
		    O_CLOEXEC, 0666);
		if (o.wo_trace_fd == -1)
			err(EXIT_INTERNAL, "%s", outfile);
		o.wo_trace_name = outfile;
		/* A file takes large blocks; a pipe or device whole lines up
		 * to PIPE_BUF, which the kernel keeps from mixing. */
		o.wo_trace_block = fstat(o.wo_trace_fd, &sb) == 0 &&
		    S_ISREG(sb.st_mode) ? 65536 : PIPE_BUF;
	} else {
		o.wo_trace_fd = STDERR_FILENO;
		o.wo_trace_name = "stderr";
	}

	/*
	 * ^C and ^\ reach the traced command through the terminal; isotrace
	 * outlives it to report its status.  A closed trace pipe is a write
	 * error to report, not a reason to die.
	 */
	sigemptyset(&o.wo_ignored);
	sigprocmask(SIG_SETMASK, NULL, &o.wo_sigmask);
	for (i = 0; i < NWORKER_IGNORED; i++)
		record_ignored(worker_ignored[i], &o.wo_ignored);
	record_ignored(WORKER_DETACH_SIG, &o.wo_ignored);
	/* With -p, ^C and ^\\ are for isotrace: they detach (supervisor.c). */
	if (o.wo_nattach == 0) {
		ignore_signal(SIGINT);
		ignore_signal(SIGQUIT);
	}
	ignore_signal(SIGPIPE);
	return verify ? verify_run(&o) : supervisor_run(&o);
}
