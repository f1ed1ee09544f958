/*
 * System V and POSIX IPC: keys, the permission bits that share a word
 * with the flags, semaphore operations and message queue attributes.
 */
#include <sys/ipc.h>
#include <sys/sem.h>
#include <mqueue.h>

#include "decode_impl.h"
#include "../engine/task.h"

#define A(c, i)		((c)->c_args[i])

/* A key: IPC_PRIVATE, or the number in hex. */
static int
ipc_key_arg(struct dctx *c, int i)
{
	int	 last = c->c_d->s_nargs - 1;

	if (i == 0) {
		if ((int)A(c, 0) == IPC_PRIVATE)
			sbuf_puts(c->c_sb, "IPC_PRIVATE");
		else
			sbuf_printf(c->c_sb, "%#x", (unsigned)A(c, 0));
		return 1;
	}
	if (i != last)
		return 0;
	/* The flags' low nine bits are the new object's permissions. */
	if ((unsigned)A(c, i) & ~0777u) {
		dput_flags(c->c_sb, IT_X_ipc_get, (unsigned)A(c, i) & ~0777u);
		sbuf_puts(c->c_sb, "|");
	}
	dput_mode(c->c_sb, (unsigned)A(c, i) & 0777u);
	return 1;
}

/* semctl's fourth argument is a union; strace shows it as a pointer. */
static int
semctl_arg(struct dctx *c, int i)
{
	if (i != 3)
		return 0;
	dput_addr(c->c_sb, A(c, 3));
	return 1;
}

void
dput_sembuf(struct dctx *c, uint64_t addr, int i)
{
	struct it_k_sembuf	 sb;
	size_t			 k, n = (size_t)A(c, i + 1);

	if (n > 0 && it_mem_read(c->c_t, addr, &sb, sizeof(sb)) < 0) {
		dput_addr(c->c_sb, addr);
		return;
	}
	sbuf_puts(c->c_sb, "[");
	for (k = 0; k < n && k < 32; k++) {
		if (it_mem_read(c->c_t, addr + k * sizeof(sb), &sb,
		    sizeof(sb)) < 0)
			break;
		sbuf_printf(c->c_sb, "%s{sem_num=%u, sem_op=%d, sem_flg=",
		    k ? ", " : "", sb.sem_num, sb.sem_op);
		dput_flags(c->c_sb, IT_X_ipc_msg, (unsigned short)sb.sem_flg);
		sbuf_puts(c->c_sb, "}");
	}
	if (n > 32)
		sbuf_puts(c->c_sb, ", ...");
	sbuf_puts(c->c_sb, "]");
}

void
dput_mq_attr(struct dctx *c, uint64_t addr, int i)
{
	struct mq_attr	 a;

	(void)i;
	if (dfetch(c, addr, &a, sizeof(a)) < 0)
		return;
	sbuf_puts(c->c_sb, "{mq_flags=");
	if (a.mq_flags == 0)
		sbuf_puts(c->c_sb, "0");
	else
		dput_flags(c->c_sb, IT_X_open, (unsigned long)a.mq_flags);
	sbuf_printf(c->c_sb, ", mq_maxmsg=%ld, mq_msgsize=%ld, "
	    "mq_curmsgs=%ld}", a.mq_maxmsg, a.mq_msgsize, a.mq_curmsgs);
}

const struct dspecial dspecial_ipc[IT_NR_MAX] = {
	[IT_SYS_semget] = { .ds_arg = ipc_key_arg },
	[IT_SYS_shmget] = { .ds_arg = ipc_key_arg },
	[IT_SYS_msgget] = { .ds_arg = ipc_key_arg },
	[IT_SYS_semctl] = { .ds_arg = semctl_arg },
};
