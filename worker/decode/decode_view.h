/*
 * The decode view of the argument kinds: each K_* token of syscalls.def
 * becomes "kind, parameter" for struct argdesc.  Included only by
 * worker/sysdesc.c, between the type view's #undefs and syscalls.def.
 */
#define K_INT		DK_INT, 0
#define K_UINT		DK_UINT, 0
#define K_LONG		DK_LONG, 0
#define K_ULONG		DK_ULONG, 0
#define K_SIZE		DK_SIZE, 0
#define K_OFF		DK_OFF, 0
#define K_HEX		DK_HEX, 0
#define K_MODE		DK_MODE, 0
#define K_FD		DK_FD, 0
#define K_DIRFD		DK_DIRFD, 0
#define K_PID		DK_PID, 0
#define K_UID		DK_UID, 0
#define K_GID		DK_GID, 0
#define K_SIG		DK_SIG, 0
#define K_CLOCK		DK_CLOCK, 0
#define K_FLAGS(set)	DK_FLAGS, IT_X_##set
#define K_LFLAGS(set)	DK_LFLAGS, IT_X_##set
#define K_ENUM(set)	DK_ENUM, IT_X_##set
#define K_ADDR		DK_ADDR, 0
#define K_PTR		DK_PTR, 0
#define K_STR		DK_STR, 0
#define K_PATH		DK_PATH, 0
#define K_STRV		DK_STRV, 0
#define K_IBUF		DK_IBUF, 0
#define K_OBUF		DK_OBUF, 0
#define K_IN(s)		DK_IN, IT_S_##s
#define K_OUT(s)	DK_OUT, IT_S_##s
#define K_INOUT(s)	DK_INOUT, IT_S_##s
#define K_NORET		DK_NORET, 0
