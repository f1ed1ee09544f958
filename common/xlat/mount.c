/*
 * Mounting: mount(2)'s MS_* word, umount2 and swapon flags, and the flags
 * and commands of the file-descriptor based mount API (open_tree,
 * move_mount, fsopen, fsconfig, fsmount, fspick, mount_setattr).
 *
 * glibc's <sys/mount.h> carries the new API's constants too, so the
 * kernel's <linux/mount.h> (which clashes with it on older glibc) is not
 * needed.
 */
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/swap.h>

#include "../xlat.h"

/*
 * mount(2) flags.  The top half may hold the historical magic number
 * 0xC0ED, which only says "the low half is flags"; it gets its own name
 * rather than being shown as stray bits.  MS_REC and friends are listed
 * after the propagation types so "MS_REC|MS_PRIVATE" reads naturally.
 */
const struct xlat it_xlat_mount[] = {
	XLAT_M(MS_MGC_VAL, MS_MGC_MSK),
	XLAT(MS_RDONLY),
	XLAT(MS_NOSUID),
	XLAT(MS_NODEV),
	XLAT(MS_NOEXEC),
	XLAT(MS_SYNCHRONOUS),
	XLAT(MS_REMOUNT),
	XLAT(MS_MANDLOCK),
	XLAT(MS_DIRSYNC),
#ifdef MS_NOSYMFOLLOW
	XLAT(MS_NOSYMFOLLOW),
#endif
	XLAT(MS_NOATIME),
	XLAT(MS_NODIRATIME),
	XLAT(MS_BIND),
	XLAT(MS_MOVE),
	XLAT(MS_REC),
	XLAT(MS_SILENT),
	XLAT(MS_POSIXACL),
	XLAT(MS_UNBINDABLE),
	XLAT(MS_PRIVATE),
	XLAT(MS_SLAVE),
	XLAT(MS_SHARED),
	XLAT(MS_RELATIME),
	XLAT(MS_KERNMOUNT),
	XLAT(MS_I_VERSION),
	XLAT(MS_STRICTATIME),
	XLAT(MS_LAZYTIME),
	XLAT(MS_ACTIVE),
	XLAT(MS_NOUSER),
	XLAT_END
};

/* umount2 flags. */
const struct xlat it_xlat_umount[] = {
	XLAT(MNT_FORCE),
	XLAT(MNT_DETACH),
	XLAT(MNT_EXPIRE),
	XLAT(UMOUNT_NOFOLLOW),
	XLAT_END
};

/* swapon flags; the low 15 bits are the priority and print as a number. */
const struct xlat it_xlat_swapon[] = {
	XLAT(SWAP_FLAG_PREFER),
	XLAT(SWAP_FLAG_DISCARD),
#ifdef SWAP_FLAG_DISCARD_ONCE
	XLAT(SWAP_FLAG_DISCARD_ONCE),
#endif
#ifdef SWAP_FLAG_DISCARD_PAGES
	XLAT(SWAP_FLAG_DISCARD_PAGES),
#endif
	XLAT_END
};

/* open_tree and open_tree_attr: its own flags plus path-walk AT_* bits. */
const struct xlat it_xlat_open_tree[] = {
	XLAT(OPEN_TREE_CLONE),
#ifdef OPEN_TREE_NAMESPACE
	XLAT(OPEN_TREE_NAMESPACE),
#endif
	XLAT(OPEN_TREE_CLOEXEC),
	XLAT(AT_SYMLINK_NOFOLLOW),
	XLAT(AT_NO_AUTOMOUNT),
	XLAT(AT_EMPTY_PATH),
	XLAT(AT_RECURSIVE),
	XLAT_END
};

const struct xlat it_xlat_move_mount[] = {
	XLAT(MOVE_MOUNT_F_SYMLINKS),
	XLAT(MOVE_MOUNT_F_AUTOMOUNTS),
	XLAT(MOVE_MOUNT_F_EMPTY_PATH),
	XLAT(MOVE_MOUNT_T_SYMLINKS),
	XLAT(MOVE_MOUNT_T_AUTOMOUNTS),
	XLAT(MOVE_MOUNT_T_EMPTY_PATH),
#ifdef MOVE_MOUNT_SET_GROUP
	XLAT(MOVE_MOUNT_SET_GROUP),
#endif
#ifdef MOVE_MOUNT_BENEATH
	XLAT(MOVE_MOUNT_BENEATH),
#endif
	XLAT_END
};

const struct xlat it_xlat_fsopen[] = {
	XLAT(FSOPEN_CLOEXEC),
	XLAT_END
};

/* fsconfig's command (glibc declares these as enumerators). */
const struct xlat it_xlat_fsconfig[] = {
	XLAT(FSCONFIG_SET_FLAG),
	XLAT(FSCONFIG_SET_STRING),
	XLAT(FSCONFIG_SET_BINARY),
	XLAT(FSCONFIG_SET_PATH),
	XLAT(FSCONFIG_SET_PATH_EMPTY),
	XLAT(FSCONFIG_SET_FD),
	XLAT(FSCONFIG_CMD_CREATE),
	XLAT(FSCONFIG_CMD_RECONFIGURE),
#ifdef FSCONFIG_CMD_CREATE_EXCL
	XLAT(FSCONFIG_CMD_CREATE_EXCL),
#endif
	XLAT_END
};

const struct xlat it_xlat_fsmount[] = {
	XLAT(FSMOUNT_CLOEXEC),
	XLAT_END
};

const struct xlat it_xlat_fspick[] = {
	XLAT(FSPICK_CLOEXEC),
	XLAT(FSPICK_SYMLINK_NOFOLLOW),
	XLAT(FSPICK_NO_AUTOMOUNT),
	XLAT(FSPICK_EMPTY_PATH),
	XLAT_END
};

/*
 * MOUNT_ATTR_* (fsmount's attr_flags, struct mount_attr's attr_set and
 * attr_clr).  Atime handling is a field: RELATIME is its zero value and
 * is left unnamed, the other two are matched within the field.
 */
const struct xlat it_xlat_mount_attr[] = {
	XLAT_M(MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME),
	XLAT_M(MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME),
	XLAT(MOUNT_ATTR_RDONLY),
	XLAT(MOUNT_ATTR_NOSUID),
	XLAT(MOUNT_ATTR_NODEV),
	XLAT(MOUNT_ATTR_NOEXEC),
	XLAT(MOUNT_ATTR_NODIRATIME),
	XLAT(MOUNT_ATTR_IDMAP),
#ifdef MOUNT_ATTR_NOSYMFOLLOW
	XLAT(MOUNT_ATTR_NOSYMFOLLOW),
#endif
	XLAT_END
};
