/*
 * Per-process syscall counts for -c (tally.h).
 */
#include <stdlib.h>
#include <string.h>

#include <isotrace/isotrace.h>

#include "../../proto/channel.h"
#include "tally.h"

static struct channel_tally	 counts[IT_NR_MAX];
static size_t			 ncounted;	/* numbers with calls */

void
tally_add(long nr, long result, uint64_t ns)
{
	struct channel_tally	*c;

	if (nr < 0 || nr >= IT_NR_MAX)
		return;
	c = &counts[nr];
	if (c->calls++ == 0)
		ncounted++;
	/* As strace counts them: a result in the errno range. */
	if (result < 0 && result >= -4095)
		c->errors++;
	c->nsec += ns;
}

int
tally_send(int chan)
{
	struct channel_tally	 list[IT_NR_MAX];
	size_t			 n = 0;
	long			 nr;
	int			 rc;

	if (ncounted == 0)
		return 0;
	for (nr = 0; nr < IT_NR_MAX; nr++)
		if (counts[nr].calls > 0) {
			list[n] = counts[nr];
			list[n++].nr = (uint32_t)nr;
		}
	rc = channel_send_tally(chan, list, n);
	memset(counts, 0, sizeof(counts));
	ncounted = 0;
	return rc;
}
