#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "../common/log.h"
#include "output.h"

#define OUTBUF	65536

static int		 out_fd = -1;
static const char	*out_name;
static size_t		 out_block;	/* 0: a write per line */
static int		 out_failed;
static char		 out_buf[OUTBUF];
static size_t		 out_len;

void
output_init(int fd, const char *name, size_t block)
{
	out_fd = fd;
	out_name = name;
	out_block = block < sizeof(out_buf) ? block : sizeof(out_buf);
}

static void
put(const char *s, size_t len)
{
	ssize_t	 n;

	while (len > 0 && !out_failed) {
		if ((n = write(out_fd, s, len)) == -1) {
			if (errno == EINTR)
				continue;
			log_warn("%s: trace output lost", out_name);
			out_failed = 1;
			return;
		}
		s += n;
		len -= (size_t)n;
	}
}

void
output_line(const char *s, size_t len)
{
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

void
output_flush(void)
{
	if (out_len > 0)
		put(out_buf, out_len);
	out_len = 0;
}
