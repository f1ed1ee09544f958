/*
 * Files, directories and descriptors: open flags, *at() flags, fcntl
 * commands, xattr/rename/statx/fallocate/splice flags, inotify and
 * fanotify.
 *
 * Flag tables are scanned in order and a matched entry's bits are taken
 * out before the next is tried, so a name made of several bits (O_SYNC
 * contains O_DSYNC, O_TMPFILE contains O_DIRECTORY) comes before its parts.
 */
#include <fcntl.h>
#include <stdio.h>		/* RENAME_* */
#include <unistd.h>		/* CLOSE_RANGE_* */
#include <sys/fanotify.h>
#include <sys/file.h>		/* LOCK_* */
#include <sys/inotify.h>
#include <sys/stat.h>		/* STATX_* */
#include <sys/uio.h>		/* RWF_* */
#include <sys/xattr.h>

#include "../xlat.h"

/*
 * glibc defines O_LARGEFILE as 0 on x86_64 because userspace never needs
 * to ask for it, but the kernel sets the real bit on every 64-bit open and
 * F_GETFL reports it, so the table needs the kernel's value.
 */
#undef O_LARGEFILE
#define O_LARGEFILE	0100000

const struct xlat it_xlat_open[] = {
	XLAT_M(O_RDONLY, O_ACCMODE),
	XLAT_M(O_WRONLY, O_ACCMODE),
	XLAT_M(O_RDWR, O_ACCMODE),
	XLAT(O_CREAT),
	XLAT(O_EXCL),
	XLAT(O_NOCTTY),
	XLAT(O_TRUNC),
	XLAT(O_APPEND),
	XLAT(O_NONBLOCK),
	XLAT(O_SYNC),
	XLAT(O_DSYNC),
	XLAT(O_DIRECT),
	XLAT(O_LARGEFILE),
	XLAT(O_NOFOLLOW),
	XLAT(O_NOATIME),
	XLAT(O_CLOEXEC),
	XLAT(O_PATH),
	XLAT(O_TMPFILE),
	XLAT(O_DIRECTORY),
	{ O_ASYNC, 0, "FASYNC" },	/* strace's name for it */
	XLAT_END
};

/*
 * Flags of the *at() calls.  Several AT_ names reuse a bit with a meaning
 * that depends on the call (AT_EACCESS and AT_HANDLE_FID are AT_REMOVEDIR's
 * bit); this table keeps the names that apply to the calls using K_FLAGS(at)
 * and faccessat2 has its own table.  AT_FDCWD is a dirfd value, not a flag,
 * and AT_STATX_SYNC_AS_STAT is 0, so neither is here.
 */
const struct xlat it_xlat_at[] = {
	XLAT(AT_SYMLINK_NOFOLLOW),
	XLAT(AT_REMOVEDIR),
	XLAT(AT_SYMLINK_FOLLOW),
	XLAT(AT_NO_AUTOMOUNT),
	XLAT(AT_EMPTY_PATH),
	XLAT(AT_STATX_FORCE_SYNC),
	XLAT(AT_STATX_DONT_SYNC),
#ifdef AT_RECURSIVE
	XLAT(AT_RECURSIVE),
#endif
	XLAT_END
};

/* faccessat2's flags, where AT_REMOVEDIR's bit means AT_EACCESS. */
const struct xlat it_xlat_faccessat[] = {
	XLAT(AT_EACCESS),
	XLAT(AT_SYMLINK_NOFOLLOW),
	XLAT(AT_EMPTY_PATH),
	XLAT_END
};

/* access mode: F_OK is "no bit set", shown only when none of R/W/X is. */
const struct xlat it_xlat_access[] = {
	XLAT_M(F_OK, R_OK | W_OK | X_OK),
	XLAT(R_OK),
	XLAT(W_OK),
	XLAT(X_OK),
	XLAT_END
};

const struct xlat it_xlat_whence[] = {
	XLAT(SEEK_SET),
	XLAT(SEEK_CUR),
	XLAT(SEEK_END),
	XLAT(SEEK_DATA),
	XLAT(SEEK_HOLE),
	XLAT_END
};

/* fcntl commands (on x86_64 the *64 lock commands are the same numbers). */
const struct xlat it_xlat_fcntl[] = {
	XLAT(F_DUPFD),
	XLAT(F_GETFD),
	XLAT(F_SETFD),
	XLAT(F_GETFL),
	XLAT(F_SETFL),
	XLAT(F_GETLK),
	XLAT(F_SETLK),
	XLAT(F_SETLKW),
	XLAT(F_SETOWN),
	XLAT(F_GETOWN),
	XLAT(F_SETSIG),
	XLAT(F_GETSIG),
	XLAT(F_SETOWN_EX),
	XLAT(F_GETOWN_EX),
	XLAT(F_OFD_GETLK),
	XLAT(F_OFD_SETLK),
	XLAT(F_OFD_SETLKW),
	XLAT(F_SETLEASE),
	XLAT(F_GETLEASE),
	XLAT(F_NOTIFY),
#ifdef F_DUPFD_QUERY
	XLAT(F_DUPFD_QUERY),
#endif
#ifdef F_CREATED_QUERY
	XLAT(F_CREATED_QUERY),
#endif
	XLAT(F_DUPFD_CLOEXEC),
	XLAT(F_SETPIPE_SZ),
	XLAT(F_GETPIPE_SZ),
	XLAT(F_ADD_SEALS),
	XLAT(F_GET_SEALS),
	XLAT(F_GET_RW_HINT),
	XLAT(F_SET_RW_HINT),
	XLAT(F_GET_FILE_RW_HINT),
	XLAT(F_SET_FILE_RW_HINT),
#ifdef F_GETDELEG
	XLAT(F_GETDELEG),
#endif
#ifdef F_SETDELEG
	XLAT(F_SETDELEG),
#endif
	XLAT_END
};

const struct xlat it_xlat_flock[] = {
	XLAT(LOCK_SH),
	XLAT(LOCK_EX),
	XLAT(LOCK_NB),
	XLAT(LOCK_UN),
	XLAT_END
};

const struct xlat it_xlat_xattr[] = {
	XLAT(XATTR_CREATE),
	XLAT(XATTR_REPLACE),
	XLAT_END
};

const struct xlat it_xlat_rename[] = {
	XLAT(RENAME_NOREPLACE),
	XLAT(RENAME_EXCHANGE),
	XLAT(RENAME_WHITEOUT),
	XLAT_END
};

/* statx's mask: what the caller wants filled in. */
const struct xlat it_xlat_statx_mask[] = {
	XLAT(STATX_ALL),		/* BASIC_STATS|BTIME, as strace names it */
	XLAT(STATX_BASIC_STATS),
	XLAT(STATX_TYPE),
	XLAT(STATX_MODE),
	XLAT(STATX_NLINK),
	XLAT(STATX_UID),
	XLAT(STATX_GID),
	XLAT(STATX_ATIME),
	XLAT(STATX_MTIME),
	XLAT(STATX_CTIME),
	XLAT(STATX_INO),
	XLAT(STATX_SIZE),
	XLAT(STATX_BLOCKS),
	XLAT(STATX_BTIME),
#ifdef STATX_MNT_ID
	XLAT(STATX_MNT_ID),
#endif
#ifdef STATX_DIOALIGN
	XLAT(STATX_DIOALIGN),
#endif
#ifdef STATX_MNT_ID_UNIQUE
	XLAT(STATX_MNT_ID_UNIQUE),
#endif
#ifdef STATX_SUBVOL
	XLAT(STATX_SUBVOL),
#endif
#ifdef STATX_WRITE_ATOMIC
	XLAT(STATX_WRITE_ATOMIC),
#endif
#ifdef STATX_DIO_READ_ALIGN
	XLAT(STATX_DIO_READ_ALIGN),
#endif
	XLAT_END
};

/* fallocate's mode (FALLOC_FL_ALLOCATE_RANGE is 0, the plain case). */
const struct xlat it_xlat_fallocate[] = {
	XLAT(FALLOC_FL_KEEP_SIZE),
	XLAT(FALLOC_FL_PUNCH_HOLE),
	XLAT(FALLOC_FL_NO_HIDE_STALE),
	XLAT(FALLOC_FL_COLLAPSE_RANGE),
	XLAT(FALLOC_FL_ZERO_RANGE),
	XLAT(FALLOC_FL_INSERT_RANGE),
	XLAT(FALLOC_FL_UNSHARE_RANGE),
#ifdef FALLOC_FL_WRITE_ZEROES
	XLAT(FALLOC_FL_WRITE_ZEROES),
#endif
	XLAT_END
};

/* fadvise64 advice; x86_64 uses the generic numbering (DONTNEED is 4). */
const struct xlat it_xlat_fadvise[] = {
	XLAT(POSIX_FADV_NORMAL),
	XLAT(POSIX_FADV_RANDOM),
	XLAT(POSIX_FADV_SEQUENTIAL),
	XLAT(POSIX_FADV_WILLNEED),
	XLAT(POSIX_FADV_DONTNEED),
	XLAT(POSIX_FADV_NOREUSE),
	XLAT_END
};

const struct xlat it_xlat_sync_file_range[] = {
	XLAT(SYNC_FILE_RANGE_WAIT_BEFORE),
	XLAT(SYNC_FILE_RANGE_WRITE),
	XLAT(SYNC_FILE_RANGE_WAIT_AFTER),
	XLAT_END
};

/* splice, tee and vmsplice flags. */
const struct xlat it_xlat_splice[] = {
	XLAT(SPLICE_F_MOVE),
	XLAT(SPLICE_F_NONBLOCK),
	XLAT(SPLICE_F_MORE),
	XLAT(SPLICE_F_GIFT),
	XLAT_END
};

/* preadv2/pwritev2 per-call flags. */
const struct xlat it_xlat_rwf[] = {
	XLAT(RWF_HIPRI),
	XLAT(RWF_DSYNC),
	XLAT(RWF_SYNC),
	XLAT(RWF_NOWAIT),
	XLAT(RWF_APPEND),
#ifdef RWF_NOAPPEND
	XLAT(RWF_NOAPPEND),
#endif
#ifdef RWF_ATOMIC
	XLAT(RWF_ATOMIC),
#endif
#ifdef RWF_DONTCACHE
	XLAT(RWF_DONTCACHE),
#endif
	XLAT_END
};

/* inotify_add_watch's event mask and watch options. */
const struct xlat it_xlat_inotify[] = {
	XLAT(IN_ACCESS),
	XLAT(IN_MODIFY),
	XLAT(IN_ATTRIB),
	XLAT(IN_CLOSE_WRITE),
	XLAT(IN_CLOSE_NOWRITE),
	XLAT(IN_OPEN),
	XLAT(IN_MOVED_FROM),
	XLAT(IN_MOVED_TO),
	XLAT(IN_CREATE),
	XLAT(IN_DELETE),
	XLAT(IN_DELETE_SELF),
	XLAT(IN_MOVE_SELF),
	XLAT(IN_UNMOUNT),
	XLAT(IN_Q_OVERFLOW),
	XLAT(IN_IGNORED),
	XLAT(IN_ONLYDIR),
	XLAT(IN_DONT_FOLLOW),
	XLAT(IN_EXCL_UNLINK),
#ifdef IN_MASK_CREATE
	XLAT(IN_MASK_CREATE),
#endif
	XLAT(IN_MASK_ADD),
	XLAT(IN_ISDIR),
	XLAT(IN_ONESHOT),
	XLAT_END
};

const struct xlat it_xlat_inotify_init[] = {
	XLAT(IN_NONBLOCK),
	XLAT(IN_CLOEXEC),
	XLAT_END
};

/*
 * fanotify_init flags.  The notification class is a two-bit field whose
 * zero value (FAN_CLASS_NOTIF) is the default and is left unnamed.
 */
const struct xlat it_xlat_fan_init[] = {
	XLAT_M(FAN_CLASS_CONTENT, FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT),
	XLAT_M(FAN_CLASS_PRE_CONTENT,
	    FAN_CLASS_CONTENT | FAN_CLASS_PRE_CONTENT),
	XLAT(FAN_CLOEXEC),
	XLAT(FAN_NONBLOCK),
	XLAT(FAN_UNLIMITED_QUEUE),
	XLAT(FAN_UNLIMITED_MARKS),
	XLAT(FAN_ENABLE_AUDIT),
#ifdef FAN_REPORT_PIDFD
	XLAT(FAN_REPORT_PIDFD),
#endif
	XLAT(FAN_REPORT_TID),
	XLAT(FAN_REPORT_FID),
	XLAT(FAN_REPORT_DIR_FID),
	XLAT(FAN_REPORT_NAME),
#ifdef FAN_REPORT_TARGET_FID
	XLAT(FAN_REPORT_TARGET_FID),
#endif
#ifdef FAN_REPORT_FD_ERROR
	XLAT(FAN_REPORT_FD_ERROR),
#endif
#ifdef FAN_REPORT_MNT
	XLAT(FAN_REPORT_MNT),
#endif
	XLAT_END
};

/*
 * fanotify_mark flags.  The object type is a field too (inode, mount,
 * filesystem); the inode case is 0 and left unnamed.
 */
#define IT_FAN_MARK_TYPE	(FAN_MARK_MOUNT | FAN_MARK_FILESYSTEM)
const struct xlat it_xlat_fan_mark[] = {
#ifdef FAN_MARK_MNTNS
	XLAT_M(FAN_MARK_MNTNS, IT_FAN_MARK_TYPE),
#endif
	XLAT_M(FAN_MARK_MOUNT, IT_FAN_MARK_TYPE),
	XLAT_M(FAN_MARK_FILESYSTEM, IT_FAN_MARK_TYPE),
	XLAT(FAN_MARK_ADD),
	XLAT(FAN_MARK_REMOVE),
	XLAT(FAN_MARK_FLUSH),
	XLAT(FAN_MARK_DONT_FOLLOW),
	XLAT(FAN_MARK_ONLYDIR),
	XLAT(FAN_MARK_IGNORED_MASK),
	XLAT(FAN_MARK_IGNORED_SURV_MODIFY),
#ifdef FAN_MARK_EVICTABLE
	XLAT(FAN_MARK_EVICTABLE),
#endif
#ifdef FAN_MARK_IGNORE
	XLAT(FAN_MARK_IGNORE),
#endif
	XLAT_END
};

/* fanotify event mask (64 bits wide in the syscall). */
const struct xlat it_xlat_fan_event[] = {
	XLAT(FAN_ACCESS),
	XLAT(FAN_MODIFY),
	XLAT(FAN_ATTRIB),
	XLAT(FAN_CLOSE_WRITE),
	XLAT(FAN_CLOSE_NOWRITE),
	XLAT(FAN_OPEN),
	XLAT(FAN_MOVED_FROM),
	XLAT(FAN_MOVED_TO),
	XLAT(FAN_CREATE),
	XLAT(FAN_DELETE),
	XLAT(FAN_DELETE_SELF),
	XLAT(FAN_MOVE_SELF),
	XLAT(FAN_OPEN_EXEC),
	XLAT(FAN_Q_OVERFLOW),
#ifdef FAN_FS_ERROR
	XLAT(FAN_FS_ERROR),
#endif
	XLAT(FAN_OPEN_PERM),
	XLAT(FAN_ACCESS_PERM),
	XLAT(FAN_OPEN_EXEC_PERM),
#ifdef FAN_PRE_ACCESS
	XLAT(FAN_PRE_ACCESS),
#endif
#ifdef FAN_MNT_ATTACH
	XLAT(FAN_MNT_ATTACH),
#endif
#ifdef FAN_MNT_DETACH
	XLAT(FAN_MNT_DETACH),
#endif
	XLAT(FAN_EVENT_ON_CHILD),
#ifdef FAN_RENAME
	XLAT(FAN_RENAME),
#endif
	XLAT(FAN_ONDIR),
	XLAT_END
};

/* dup3 and memfd_secret: the only flag they take. */
const struct xlat it_xlat_cloexec[] = {
	XLAT(O_CLOEXEC),
	XLAT_END
};

/* pipe2 flags. */
const struct xlat it_xlat_pipe[] = {
	XLAT(O_NONBLOCK),
	XLAT(O_DIRECT),
	XLAT(O_CLOEXEC),
	XLAT_END
};

const struct xlat it_xlat_close_range[] = {
	XLAT(CLOSE_RANGE_UNSHARE),
	XLAT(CLOSE_RANGE_CLOEXEC),
	XLAT_END
};
