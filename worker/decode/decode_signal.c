/*
 * Signals: masks, dispositions, siginfo, alternate stacks, sigevents, and
 * the "--- SIGCHLD {...} ---" line of a signal about to be delivered.
 */
#include <sys/ptrace.h>
#include <signal.h>
#include <string.h>

#include "decode_impl.h"
#include "note.h"
#include "stamp.h"
#include "../engine/task.h"

#define SA_RESTORER_BIT	0x04000000

/* A sigset argument; its size is the sigsetsize argument when the call
 * has one (the next argument, or the last for the *pwait calls). */
void
dput_sigset_arg(struct dctx *c, uint64_t addr, int i)
{
	size_t	 size = 8;
	int	 k;

	for (k = i + 1; k < c->c_d->s_nargs; k++)
		if (c->c_d->s_args[k].a_kind == DK_SIZE) {
			size = (size_t)c->c_args[k];
			break;
		}
	dput_sigset(c, addr, size);
}

void
dput_sigaction(struct dctx *c, uint64_t addr, int i)
{
	struct it_k_sigaction	 sa;

	(void)i;
	if (dfetch(c, addr, &sa, sizeof(sa)) < 0)
		return;
	sbuf_puts(c->c_sb, "{sa_handler=");
	if (sa.ks_handler == (uint64_t)(uintptr_t)SIG_DFL)
		sbuf_puts(c->c_sb, "SIG_DFL");
	else if (sa.ks_handler == (uint64_t)(uintptr_t)SIG_IGN)
		sbuf_puts(c->c_sb, "SIG_IGN");
	else
		dput_addr(c->c_sb, sa.ks_handler);
	sbuf_puts(c->c_sb, ", sa_mask=");
	dput_sigmask(c->c_sb, sa.ks_mask.sig, 64);
	sbuf_puts(c->c_sb, ", sa_flags=");
	dput_flags(c->c_sb, IT_X_sa_flags, sa.ks_flags);
	if (sa.ks_flags & SA_RESTORER_BIT) {
		sbuf_puts(c->c_sb, ", sa_restorer=");
		dput_addr(c->c_sb, sa.ks_restorer);
	}
	sbuf_puts(c->c_sb, "}");
}

static void
put_code(struct sbuf *sb, const siginfo_t *si)
{
	int	 set = -1;

	if (si->si_code > 0 && si->si_signo == SIGCHLD)
		set = IT_X_cld_code;
	else if (si->si_code > 0 && si->si_signo == SIGSEGV)
		set = IT_X_segv_code;
	if (set >= 0 && dput_enum_known(sb, set, (unsigned)si->si_code))
		return;
	if (!dput_enum_known(sb, IT_X_si_code, (unsigned)si->si_code))
		sbuf_printf(sb, "%d", si->si_code);
}

/* Clock ticks of a child's CPU time, with the seconds they make (the
 * kernel counts in USER_HZ, 100 on x86_64). */
static void
put_ticks(struct sbuf *sb, const char *name, unsigned long v)
{
	sbuf_printf(sb, ", %s=%lu", name, v);
	if (v != 0)
		sbuf_printf(sb, " /* %lu.%02lu s */", v / 100, v % 100);
}

/* What follows si_code depends on who sent the signal and why. */
void
dput_siginfo_val(struct sbuf *sb, const siginfo_t *si)
{
	if (si->si_signo == 0) {
		sbuf_puts(sb, "{}");
		return;
	}
	sbuf_puts(sb, "{si_signo=");
	dput_signal(sb, si->si_signo);
	sbuf_puts(sb, ", si_code=");
	put_code(sb, si);
	if (si->si_errno != 0)
		sbuf_printf(sb, ", si_errno=%d", si->si_errno);
	if (si->si_code <= 0 && si->si_code != SI_TIMER &&
	    si->si_code != SI_KERNEL) {
		sbuf_printf(sb, ", si_pid=%d, si_uid=%u", si->si_pid,
		    si->si_uid);
		if (si->si_code == SI_QUEUE && (si->si_int != 0 ||
		    si->si_ptr != NULL))
			sbuf_printf(sb, ", si_int=%d, si_ptr=%p", si->si_int,
			    si->si_ptr);
	} else if (si->si_code == SI_TIMER) {
		sbuf_printf(sb, ", si_timerid=%#x, si_overrun=%d",
		    si->si_timerid, si->si_overrun);
	} else if (si->si_signo == SIGCHLD) {
		sbuf_printf(sb, ", si_pid=%d, si_uid=%u, si_status=",
		    si->si_pid, si->si_uid);
		if (si->si_code == CLD_EXITED)
			sbuf_printf(sb, "%d", si->si_status);
		else
			dput_signal(sb, si->si_status);
		put_ticks(sb, "si_utime", (unsigned long)si->si_utime);
		put_ticks(sb, "si_stime", (unsigned long)si->si_stime);
	} else if (si->si_signo == SIGSEGV || si->si_signo == SIGBUS ||
	    si->si_signo == SIGILL || si->si_signo == SIGFPE ||
	    si->si_signo == SIGTRAP) {
		sbuf_puts(sb, ", si_addr=");
		dput_addr(sb, (uint64_t)(uintptr_t)si->si_addr);
	} else if (si->si_signo == SIGSYS) {
		sbuf_printf(sb, ", si_call_addr=%p, si_syscall=%d, "
		    "si_arch=%#x", si->si_call_addr, si->si_syscall,
		    si->si_arch);
	}
	sbuf_puts(sb, "}");
}

void
dput_siginfo(struct dctx *c, uint64_t addr, int i)
{
	siginfo_t	 si;

	(void)i;
	if (dfetch(c, addr, &si, sizeof(si)) == 0)
		dput_siginfo_val(c->c_sb, &si);
}

void
dput_stack(struct dctx *c, uint64_t addr, int i)
{
	stack_t	 ss;

	(void)i;
	if (dfetch(c, addr, &ss, sizeof(ss)) < 0)
		return;
	sbuf_puts(c->c_sb, "{ss_sp=");
	dput_addr(c->c_sb, (uint64_t)(uintptr_t)ss.ss_sp);
	sbuf_puts(c->c_sb, ", ss_flags=");
	dput_flags(c->c_sb, IT_X_ss_flags, (unsigned)ss.ss_flags);
	sbuf_printf(c->c_sb, ", ss_size=%zu}", ss.ss_size);
}

void
dput_sigevent(struct dctx *c, uint64_t addr, int i)
{
	struct sigevent	 ev;

	(void)i;
	if (dfetch(c, addr, &ev, sizeof(ev)) < 0)
		return;
	sbuf_puts(c->c_sb, "{");
	if (ev.sigev_value.sival_ptr != NULL)
		sbuf_printf(c->c_sb, "sigev_value={sival_int=%d, "
		    "sival_ptr=%p}, ", ev.sigev_value.sival_int,
		    ev.sigev_value.sival_ptr);
	if (ev.sigev_notify == SIGEV_SIGNAL ||
	    ev.sigev_notify == SIGEV_THREAD_ID) {
		sbuf_puts(c->c_sb, "sigev_signo=");
		dput_signal(c->c_sb, ev.sigev_signo);
		sbuf_puts(c->c_sb, ", ");
	}
	sbuf_puts(c->c_sb, "sigev_notify=");
	dput_enum(c->c_sb, IT_X_sigev_notify, (unsigned)ev.sigev_notify);
	if (ev.sigev_notify == SIGEV_THREAD_ID)
		sbuf_printf(c->c_sb, ", sigev_notify_thread_id=%d",
		    ev._sigev_un._tid);
	sbuf_puts(c->c_sb, "}");
}

/* "[pid N] " and the time; the note's line is then built in buf. */
static void
note_start(struct note *n, struct sbuf *sb, struct it_task *t,
    enum note_type type, int sig)
{
	memset(n, 0, sizeof(*n));
	n->n_type = type;
	n->n_tid = t->t_tid;
	n->n_tgid = t->t_tgid;
	n->n_signo = sig;
	sb->sb_buf[0] = '\0';
	sbuf_printf(sb, "[pid %d] ", (int)t->t_tid);
	n->n_when = stamp_prefix(sb);
}

static void
note_signame(struct note *n, struct sbuf *sb)
{
	n->n_signame.ns_off = sb->sb_len;
	dput_signal(sb, n->n_signo);
	n->n_signame.ns_len = sb->sb_len - n->n_signame.ns_off;
}

static void
note_finish(struct note *n, struct sbuf *sb)
{
	sbuf_puts(sb, " ---\n");
	n->n_line = sb->sb_buf;
	n->n_len = sb->sb_len;
	note_emit(n);
}

void
decode_signal(struct it_task *t, int sig)
{
	char		 buf[512];
	struct sbuf	 sb = { buf, 0, sizeof(buf) };
	struct note	 n;
	siginfo_t	 si;

	note_start(&n, &sb, t, NOTE_SIGNAL, sig);
	sbuf_puts(&sb, "--- ");
	note_signame(&n, &sb);
	if (ptrace(PTRACE_GETSIGINFO, t->t_tid, NULL, &si) == 0) {
		sbuf_puts(&sb, " ");
		n.n_info.ns_off = sb.sb_len;
		dput_siginfo_val(&sb, &si);
		n.n_info.ns_len = sb.sb_len - n.n_info.ns_off;
	}
	note_finish(&n, &sb);
}

void
decode_group_stop(struct it_task *t, int sig)
{
	char		 buf[128];
	struct sbuf	 sb = { buf, 0, sizeof(buf) };
	struct note	 n;

	note_start(&n, &sb, t, NOTE_STOP, sig);
	sbuf_puts(&sb, "--- stopped by ");
	note_signame(&n, &sb);
	note_finish(&n, &sb);
}
