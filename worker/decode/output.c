#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "../../common/log.h"
#include "../../common/trace_ring.h"
#include "output.h"

#define OUTBUF	65536

static int		 out_fd = -1;
static const char	*out_name;
static size_t		 out_block;	/* 0: a write per line */
static int		 out_failed;
static char		 out_buf[OUTBUF];
static size_t		 out_len;
static const char	*per_base;	/* -ff -o base */
static char		 per_name[4096];
static int		 hold_entry;	/* see output_live */

void
output_init(int fd, const char *name, size_t block)
{
	out_fd = fd;
	out_name = name;
	out_block = block < sizeof(out_buf) ? block : sizeof(out_buf);
}

void
output_per_process(const char *base)
{
	per_base = base;
	out_block = sizeof(out_buf);
}

/* -ff: the real pid names the file, as strace -ff names it. */
void
output_open(pid_t pid)
{
	if (per_base == NULL)
		return;
	output_close();
	snprintf(per_name, sizeof(per_name), "%s.%d", per_base, (int)pid);
	out_name = per_name;
	out_failed = 0;
	if ((out_fd = open(per_name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0666)) == -1) {
		log_warn("%s", per_name);
		out_failed = 1;
	}
}

void
output_close(void)
{
	if (per_base == NULL || out_fd == -1)
		return;
	output_flush();
	close(out_fd);
	out_fd = -1;
}

static void
put(const char *s, size_t len)
{
	if (out_failed || trace_write(out_fd, s, len) == 0)
		return;
	log_warn("%s: trace output lost", out_name);
	out_failed = 1;
}

void
output_line(const char *s, size_t len)
{
	if (trace_ring_attached() != NULL) {
		trace_ring_put(TR_LINE, 0, s, len, 0, NULL, 0);
		return;
	}
	if (out_fd == -1 || out_failed)
		return;
	if (out_block == 0) {
		put(s, len);
		return;
	}
	if (out_len + len > out_block)
		output_flush();
	if (len > out_block) {
		put(s, len);
		return;
	}
	memcpy(out_buf + out_len, s, len);
	out_len += len;
}

/*
 * A call's entry goes out on its own (to become "<unfinished ...>" when
 * something comes between it and its exit) only through the ring, and
 * not under --json.  An option that decides at a call's exit whether its
 * line is printed at all (a filter on the result) must hold entries back
 * too: it sets wo_hold_entry, and each call is then one whole line at its
 * exit.
 */
int
output_live(void)
{
	return trace_ring_attached() != NULL && !hold_entry;
}

void
output_hold_entries(int hold)
{
	hold_entry = hold;
}

void
output_entry(pid_t tid, const char *s, size_t len)
{
	trace_ring_put(TR_ENTRY, tid, s, len, 0, NULL, 0);
}

void
output_exit(pid_t tid, const char *line, size_t len, size_t tail,
    const char *head, size_t headlen)
{
	trace_ring_put(TR_EXIT, tid, line, len, tail, head, headlen);
}

void
output_flush(void)
{
	if (out_len > 0)
		put(out_buf, out_len);
	out_len = 0;
}

void
output_idle(void)
{
	output_flush();
	trace_ring_idle();
}

void
output_busy(void)
{
	trace_ring_busy();
}
