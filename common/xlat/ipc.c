/*
 * System V IPC: get flags, message flags, shmat flags, and the control
 * commands of shmctl, semctl and msgctl.
 *
 * The three *ctl calls reuse the same small numbers for different
 * commands (11 is SHM_LOCK, GETPID and MSG_STAT), so each has its own
 * table holding the IPC_* commands they share plus their own.
 */
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "../xlat.h"

/*
 * shmget/semget/msgget flags.  The low nine bits are permissions and are
 * left to the decoder's leftover part; the SHM_* bits only mean something
 * to shmget.
 */
const struct xlat it_xlat_ipc_get[] = {
	XLAT(IPC_CREAT),
	XLAT(IPC_EXCL),
	XLAT(SHM_HUGETLB),
	XLAT(SHM_NORESERVE),
	XLAT_END
};

/* msgsnd/msgrcv flags. */
const struct xlat it_xlat_ipc_msg[] = {
	XLAT(IPC_NOWAIT),
	XLAT(MSG_NOERROR),
	XLAT(MSG_EXCEPT),
	XLAT(MSG_COPY),
	XLAT_END
};

const struct xlat it_xlat_shmat[] = {
	XLAT(SHM_RDONLY),
	XLAT(SHM_RND),
	XLAT(SHM_REMAP),
	XLAT(SHM_EXEC),
	XLAT_END
};

const struct xlat it_xlat_shmctl[] = {
	XLAT(IPC_RMID),
	XLAT(IPC_SET),
	XLAT(IPC_STAT),
	XLAT(IPC_INFO),
	XLAT(SHM_LOCK),
	XLAT(SHM_UNLOCK),
	XLAT(SHM_STAT),
	XLAT(SHM_INFO),
	XLAT(SHM_STAT_ANY),
	XLAT_END
};

const struct xlat it_xlat_semctl[] = {
	XLAT(IPC_RMID),
	XLAT(IPC_SET),
	XLAT(IPC_STAT),
	XLAT(IPC_INFO),
	XLAT(GETPID),
	XLAT(GETVAL),
	XLAT(GETALL),
	XLAT(GETNCNT),
	XLAT(GETZCNT),
	XLAT(SETVAL),
	XLAT(SETALL),
	XLAT(SEM_STAT),
	XLAT(SEM_INFO),
	XLAT(SEM_STAT_ANY),
	XLAT_END
};

const struct xlat it_xlat_msgctl[] = {
	XLAT(IPC_RMID),
	XLAT(IPC_SET),
	XLAT(IPC_STAT),
	XLAT(IPC_INFO),
	XLAT(MSG_STAT),
	XLAT(MSG_INFO),
	XLAT(MSG_STAT_ANY),
	XLAT_END
};
