/*
 * --verify's streaming loop: one poll over isotrace's standard input,
 * the two runs' stdin pipes, their stdout and stderr pipes and a
 * signalfd.
 *
 * Input.  What is read from standard input is kept until both runs have
 * taken it, and no more is read while one run is IN_MAX bytes behind the
 * other: memory stays bounded and nothing touches the disk.  A run that
 * closes its input (head -1, or a command that never reads and exits)
 * stops counting; when no run wants input, standard input is no longer
 * read at all, so `yes |` or `sleep 30 |` before isotrace cannot keep it
 * reading or waiting.
 *
 * Output.  Run 1's bytes are passed on as they come.  The bytes by which
 * one run is ahead of the other on a stream are kept until the other
 * writes them too; at OUT_MAX the run ahead is not read until the other
 * catches up (it waits in write(), as with a slow terminal).  The first
 * difference is remembered and the stream is then only drained.  If
 * isotrace's own output is closed, run 1's pipe is closed there (it gets
 * EPIPE or SIGPIPE, as it would natively) and run 2 is read up to the same
 * byte and then cut too.
 *
 * Waits between the runs cannot block both forever: a deterministic
 * program's output is a function of the input it has read, so the run
 * ahead on output is never the one behind on input.  A program that is
 * not deterministic can still make the runs wait on each other; after
 * STALL_MS with nothing moving and a bound in force, the stream held is
 * given up as differing, or the run behind on input has its input cut
 * (it reads an early end), and the verdict says so.
 */
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "../common/log.h"
#include "verify.h"

#define IN_MAX		(4U << 20)
#define OUT_MAX		(4U << 20)
#define CHUNK		65536
#define STALL_MS	10000
#define NOCUT		UINT64_MAX

/* Bytes b_data[b_off, b_off + b_len). */
struct buf {
	char	*b_data;
	size_t	 b_off, b_len, b_cap;
};

struct stream {
	const char	*s_what;
	int		 s_fd[2];
	int		 s_pass;	/* run 1's bytes go on to it; -1 */
	uint64_t	 s_off[2];	/* bytes read from each run */
	uint64_t	 s_cut;		/* where isotrace's output closed */
	struct buf	 s_ahead;	/* run s_lead's bytes the other has
					   not written yet */
	int		 s_lead;
	char		 s_diff[200];	/* the first difference, said */
};

struct input {
	int		 i_fd;		/* standard input; -1 once done */
	int		 i_to[2];	/* the runs' pipes; -1 once closed */
	uint64_t	 i_sent[2];
	uint64_t	 i_read;
	struct buf	 i_buf;		/* bytes [i_read - b_len, i_read) */
	char		 i_cut[200];	/* a run's input cut, said */
};

static void
buf_add(struct buf *b, const char *d, size_t n)
{
	char	*p;
	size_t	 cap;

	if (b->b_off > 0 && b->b_off + b->b_len + n > b->b_cap) {
		memmove(b->b_data, b->b_data + b->b_off, b->b_len);
		b->b_off = 0;
	}
	if (b->b_len + n > b->b_cap) {
		cap = b->b_cap == 0 ? CHUNK : b->b_cap;
		while (cap < b->b_len + n)
			cap *= 2;
		if ((p = realloc(b->b_data, cap)) == NULL)
			verify_fatal("realloc");
		b->b_data = p;
		b->b_cap = cap;
	}
	memcpy(b->b_data + b->b_off + b->b_len, d, n);
	b->b_len += n;
}

static void
buf_drop(struct buf *b, size_t n)
{
	b->b_off += n;
	b->b_len -= n;
	if (b->b_len == 0)
		b->b_off = 0;
}

static void
buf_free(struct buf *b)
{
	free(b->b_data);
	memset(b, 0, sizeof(*b));
}

static void
show_byte(char *out, size_t len, int c)
{
	if (c == EOF)
		snprintf(out, len, "end of output");
	else if (c >= ' ' && c < 0x7f)
		snprintf(out, len, "0x%02x '%c'", c, c);
	else
		snprintf(out, len, "0x%02x", c);
}

static void
differs(struct stream *s, uint64_t off, int c1, int c2)
{
	char	 a[32], b[32];

	show_byte(a, sizeof(a), c1);
	show_byte(b, sizeof(b), c2);
	snprintf(s->s_diff, sizeof(s->s_diff), "verify: %s differs at byte "
	    "%llu: run 1 has %s, run 2 has %s", s->s_what,
	    (unsigned long long)off, a, b);
	buf_free(&s->s_ahead);
}

static void
close_fd(int *fd)
{
	if (*fd != -1)
		close(*fd);
	*fd = -1;
}

/* Run 1's bytes, on to isotrace's own output. */
static void
pass_on(struct stream *s, const char *d, size_t n)
{
	ssize_t	 w;
	size_t	 done = 0;

	while (done < n) {
		if ((w = write(s->s_pass, d + done, n - done)) == -1) {
			if (errno == EINTR)
				continue;
			/* Closed (EPIPE) or failing: both runs are cut at
			 * this byte. */
			s->s_pass = -1;
			s->s_cut = s->s_off[0] + n;
			return;
		}
		done += (size_t)w;
	}
}

/* Both runs' ends are in, or the one behind is at its end: what the
 * other has more of is a difference. */
static void
stream_end(struct stream *s)
{
	const struct buf	*a = &s->s_ahead;
	int			 c;

	if (s->s_diff[0] != '\0' || a->b_len == 0)
		return;
	c = (unsigned char)a->b_data[a->b_off];
	differs(s, s->s_off[!s->s_lead], s->s_lead == 0 ? c : EOF,
	    s->s_lead == 0 ? EOF : c);
}

static void
stream_settle(struct stream *s)
{
	if (s->s_ahead.b_len > 0 && s->s_fd[!s->s_lead] == -1)
		stream_end(s);
}

static void
stream_take(struct stream *s, int r, const char *d, size_t n)
{
	struct buf	*a = &s->s_ahead;
	const char	*p;
	size_t		 i, m;

	if (r == 0 && s->s_pass != -1) {
		pass_on(s, d, n);
		/* Run 2's bytes past the cut are not compared. */
		if (s->s_cut != NOCUT && s->s_lead == 1 &&
		    s->s_off[1] > s->s_cut) {
			a->b_len -= (size_t)(s->s_off[1] - s->s_cut);
			s->s_off[1] = s->s_cut;
		}
		if (s->s_cut != NOCUT && s->s_off[1] >= s->s_cut)
			close_fd(&s->s_fd[1]);
	}
	if (s->s_cut != NOCUT)
		n = s->s_off[r] >= s->s_cut ? 0 :
		    (size_t)(s->s_cut - s->s_off[r]) < n ?
		    (size_t)(s->s_cut - s->s_off[r]) : n;
	if (s->s_diff[0] == '\0') {
		if (a->b_len == 0 || s->s_lead == r) {
			buf_add(a, d, n);
			s->s_lead = r;
		} else {
			m = n < a->b_len ? n : a->b_len;
			p = a->b_data + a->b_off;
			for (i = 0; i < m && p[i] == d[i]; i++)
				;
			if (i < m)
				differs(s, s->s_off[r] + i,
				    (unsigned char)(r == 0 ? d[i] : p[i]),
				    (unsigned char)(r == 0 ? p[i] : d[i]));
			else {
				buf_drop(a, m);
				if (n > m) {
					buf_add(a, d + m, n - m);
					s->s_lead = r;
				}
			}
		}
	}
	s->s_off[r] += n;
	if (s->s_cut != NOCUT && s->s_off[r] >= s->s_cut)
		close_fd(&s->s_fd[r]);
	stream_settle(s);
}

/* Reads what run r wrote on s; 0 at its end (or nothing more now, when
 * drain is set: the run is over and only what it left is read). */
static void
stream_read(struct stream *s, int r, int drain)
{
	char	 d[CHUNK];
	ssize_t	 n;

	if ((n = read(s->s_fd[r], d, sizeof(d))) > 0) {
		stream_take(s, r, d, (size_t)n);
		return;
	}
	if (n == -1 && (errno == EINTR || (errno == EAGAIN && !drain)))
		return;
	close_fd(&s->s_fd[r]);
	stream_settle(s);
}

static int
held(const struct stream *s, int r)
{
	return s->s_diff[0] == '\0' && s->s_lead == r &&
	    s->s_ahead.b_len >= OUT_MAX;
}

/* Sends run r what it has not had yet; closes its pipe at the input's
 * end, or when it no longer reads (EPIPE). */
static void
input_feed(struct input *in, int r)
{
	uint64_t	 start = in->i_read - in->i_buf.b_len;
	ssize_t		 w;

	while (in->i_to[r] != -1 && in->i_sent[r] < in->i_read) {
		w = write(in->i_to[r], in->i_buf.b_data + in->i_buf.b_off +
		    (in->i_sent[r] - start), in->i_read - in->i_sent[r]);
		if (w == -1) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN)
				close_fd(&in->i_to[r]);
			return;
		}
		in->i_sent[r] += (uint64_t)w;
	}
	if (in->i_fd == -1 && in->i_to[r] != -1)
		close_fd(&in->i_to[r]);
}

/* Forgets what every run still reading has had; stops reading when no
 * run reads any more. */
static void
input_trim(struct input *in)
{
	uint64_t	 low = in->i_read;
	int		 r;

	for (r = 0; r < 2; r++)
		if (in->i_to[r] != -1 && in->i_sent[r] < low)
			low = in->i_sent[r];
	buf_drop(&in->i_buf, (size_t)(low - (in->i_read - in->i_buf.b_len)));
	if (in->i_to[0] == -1 && in->i_to[1] == -1)
		in->i_fd = -1;
}

static void
input_read(struct input *in)
{
	char	 d[CHUNK];
	ssize_t	 n;
	int	 r;

	if ((n = read(in->i_fd, d, sizeof(d))) > 0) {
		buf_add(&in->i_buf, d, (size_t)n);
		in->i_read += (uint64_t)n;
	} else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
		if (n == -1 && errno != EBADF)
			log_warn("verify: standard input");
		in->i_fd = -1;
	}
	for (r = 0; r < 2; r++)
		input_feed(in, r);
}

static void
reap(struct verify_run r[2])
{
	pid_t	 pid;
	int	 st, i;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		for (i = 0; i < 2; i++)
			if (r[i].vr_pid == pid) {
				r[i].vr_pid = 0;
				r[i].vr_status = WIFEXITED(st) ?
				    WEXITSTATUS(st) : 128 + WTERMSIG(st);
			}
}

/* Nothing moved for STALL_MS while a bound held a run back: release. */
static void
stall(struct stream s[2], struct input *in)
{
	int	 i, r, slow, freed = 0;

	/* An output let go unblocks its writer, which may then read on:
	 * the input is cut only when no output was held. */
	for (i = 0; i < 2; i++)
		for (r = 0; r < 2; r++)
			if (held(&s[i], r)) {
				snprintf(s[i].s_diff, sizeof(s[i].s_diff),
				    "verify: %s: run %d got %u bytes ahead of "
				    "run %d and waited; not compared further",
				    s[i].s_what, r + 1, OUT_MAX, !r + 1);
				buf_free(&s[i].s_ahead);
				freed = 1;
			}
	if (freed || in->i_fd == -1 || in->i_buf.b_len < IN_MAX ||
	    in->i_to[0] == -1 || in->i_to[1] == -1)
		return;
	slow = in->i_sent[0] < in->i_sent[1] ? 0 : 1;
	snprintf(in->i_cut, sizeof(in->i_cut), "verify: run %d stopped "
	    "reading its input %u bytes behind run %d: its input was cut "
	    "there", slow + 1, IN_MAX, !slow + 1);
	close_fd(&in->i_to[slow]);
	input_trim(in);
}

static int
on_signal(int sigfd, struct verify_run r[2])
{
	struct signalfd_siginfo	 si;
	int			 i;

	while (read(sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		if (si.ssi_signo == SIGCHLD) {
			reap(r);
			continue;
		}
		/* The runs' supervisors take their workers and processes
		 * with them. */
		for (i = 0; i < 2; i++)
			if (r[i].vr_pid > 0)
				kill(r[i].vr_pid, SIGKILL);
		for (i = 0; i < 2; i++)
			if (r[i].vr_pid > 0)
				while (waitpid(r[i].vr_pid, NULL, 0) == -1 &&
				    errno == EINTR)
					;
		return (int)si.ssi_signo;
	}
	return 0;
}

int
verify_io(struct verify_run r[2], int infd, int sigfd, int *sig)
{
	struct stream	 s[2];
	struct input	 in;
	struct pollfd	 pfd[8];
	int		 map[8], i, k, n, over, hold, diff = 0;

	memset(s, 0, sizeof(s));
	memset(&in, 0, sizeof(in));
	*sig = 0;
	s[0].s_what = "stdout";
	s[1].s_what = "stderr";
	s[0].s_pass = STDOUT_FILENO;
	s[1].s_pass = STDERR_FILENO;
	in.i_fd = infd;
	for (k = 0; k < 2; k++) {
		s[0].s_fd[k] = r[k].vr_out;
		s[1].s_fd[k] = r[k].vr_err;
		in.i_to[k] = r[k].vr_in;
		s[k].s_cut = NOCUT;
	}
	for (i = 0; i < 2; i++)
		for (k = 0; k < 2; k++)
			(void)fcntl(s[i].s_fd[k], F_SETFL, O_NONBLOCK);
	for (k = 0; k < 2; k++)
		if (in.i_to[k] != -1)
			(void)fcntl(in.i_to[k], F_SETFL, O_NONBLOCK);
	if (in.i_fd == -1)
		for (k = 0; k < 2; k++)
			close_fd(&in.i_to[k]);

	for (;;) {
		over = r[0].vr_pid == 0 && r[1].vr_pid == 0;
		if (over) {
			/* The runs and everything they traced are gone:
			 * what is in the pipes is all there is. */
			for (i = 0; i < 2; i++)
				for (k = 0; k < 2; k++)
					while (s[i].s_fd[k] != -1)
						stream_read(&s[i], k, 1);
			break;
		}
		n = 0;
		hold = 0;
		pfd[n] = (struct pollfd){ .fd = sigfd, .events = POLLIN };
		map[n++] = -1;
		if (in.i_fd != -1 && in.i_buf.b_len < IN_MAX) {
			pfd[n] = (struct pollfd){ .fd = in.i_fd,
			    .events = POLLIN };
			map[n++] = 0;
		} else if (in.i_fd != -1)
			hold = 1;
		for (k = 0; k < 2; k++)
			if (in.i_to[k] != -1) {
				pfd[n] = (struct pollfd){ .fd = in.i_to[k],
				    .events = in.i_sent[k] < in.i_read ?
				    POLLOUT : 0 };
				map[n++] = 1 + k;
			}
		for (i = 0; i < 2; i++)
			for (k = 0; k < 2; k++) {
				if (s[i].s_fd[k] == -1)
					continue;
				if (held(&s[i], k)) {
					hold = 1;
					continue;
				}
				pfd[n] = (struct pollfd){ .fd = s[i].s_fd[k],
				    .events = POLLIN };
				map[n++] = 3 + i * 2 + k;
			}
		if ((k = poll(pfd, (nfds_t)n, hold ? STALL_MS : -1)) == -1) {
			if (errno == EINTR)
				continue;
			verify_fatal("poll");
		}
		if (k == 0) {
			stall(s, &in);
			continue;
		}
		for (i = 0; i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (map[i] == -1) {
				if ((*sig = on_signal(sigfd, r)) != 0)
					goto out;
			} else if (map[i] == 0)
				input_read(&in);
			else if (map[i] <= 2) {
				if (pfd[i].revents & (POLLERR | POLLHUP))
					close_fd(&in.i_to[map[i] - 1]);
				else
					input_feed(&in, map[i] - 1);
			} else
				stream_read(&s[(map[i] - 3) / 2],
				    (map[i] - 3) % 2, 0);
		}
		input_trim(&in);
	}
	for (i = 0; i < 2; i++) {
		stream_end(&s[i]);
		if (s[i].s_diff[0] != '\0') {
			log_warnx("%s", s[i].s_diff);
			diff = 1;
		}
	}
	if (in.i_cut[0] != '\0') {
		log_warnx("%s", in.i_cut);
		diff = 1;
	}
out:
	for (i = 0; i < 2; i++) {
		close_fd(&s[i].s_fd[0]);
		close_fd(&s[i].s_fd[1]);
		close_fd(&in.i_to[i]);
		buf_free(&s[i].s_ahead);
	}
	buf_free(&in.i_buf);
	return diff;
}
