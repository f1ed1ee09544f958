/*
 * Memory: protections, mmap/mremap/msync flags, madvise advice, locking,
 * NUMA policies, protection keys, memfd and userfaultfd flags.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <linux/mempolicy.h>
#include <linux/userfaultfd.h>

#include "../xlat.h"

/*
 * A few x86_64 ABI values newer than the glibc these sources are built
 * against.  The kernel numbers are fixed forever, so spelling them out is
 * safe; a newer header's own definition wins.
 */
#ifndef MAP_DROPPABLE
#define MAP_DROPPABLE		0x08
#endif
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE		25
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE	101
#endif
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL	102
#endif
#ifndef MADV_GUARD_REMOVE
#define MADV_GUARD_REMOVE	103
#endif
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL		0x0008U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC		0x0010U
#endif

/* PROT_NONE is "none of R/W/X", shown only for that case. */
const struct xlat it_xlat_prot[] = {
	XLAT_M(PROT_NONE, PROT_READ | PROT_WRITE | PROT_EXEC),
	XLAT(PROT_READ),
	XLAT(PROT_WRITE),
	XLAT(PROT_EXEC),
	XLAT(PROT_GROWSDOWN),
	XLAT(PROT_GROWSUP),
	XLAT_END
};

/*
 * mmap flags.  The mapping type is a 4-bit field and prints first; the
 * huge page size (bits 26..31 with MAP_HUGETLB) is left to the decoder's
 * leftover hex.
 */
const struct xlat it_xlat_mmap[] = {
	XLAT_M(MAP_SHARED, MAP_TYPE),
	XLAT_M(MAP_PRIVATE, MAP_TYPE),
	XLAT_M(MAP_SHARED_VALIDATE, MAP_TYPE),
	XLAT_M(MAP_DROPPABLE, MAP_TYPE),
	XLAT(MAP_FIXED),
	XLAT(MAP_ANONYMOUS),
	XLAT(MAP_32BIT),
	XLAT(MAP_GROWSDOWN),
	XLAT(MAP_DENYWRITE),
	XLAT(MAP_EXECUTABLE),
	XLAT(MAP_LOCKED),
	XLAT(MAP_NORESERVE),
	XLAT(MAP_POPULATE),
	XLAT(MAP_NONBLOCK),
	XLAT(MAP_STACK),
	XLAT(MAP_HUGETLB),
	XLAT(MAP_SYNC),
	XLAT(MAP_FIXED_NOREPLACE),
#ifdef MAP_UNINITIALIZED
	XLAT(MAP_UNINITIALIZED),
#endif
	XLAT_END
};

const struct xlat it_xlat_mremap[] = {
	XLAT(MREMAP_MAYMOVE),
	XLAT(MREMAP_FIXED),
	XLAT(MREMAP_DONTUNMAP),
	XLAT_END
};

const struct xlat it_xlat_msync[] = {
	XLAT(MS_ASYNC),
	XLAT(MS_INVALIDATE),
	XLAT(MS_SYNC),
	XLAT_END
};

/* madvise and process_madvise advice. */
const struct xlat it_xlat_madvise[] = {
	XLAT(MADV_NORMAL),
	XLAT(MADV_RANDOM),
	XLAT(MADV_SEQUENTIAL),
	XLAT(MADV_WILLNEED),
	XLAT(MADV_DONTNEED),
	XLAT(MADV_FREE),
	XLAT(MADV_REMOVE),
	XLAT(MADV_DONTFORK),
	XLAT(MADV_DOFORK),
	XLAT(MADV_MERGEABLE),
	XLAT(MADV_UNMERGEABLE),
	XLAT(MADV_HUGEPAGE),
	XLAT(MADV_NOHUGEPAGE),
	XLAT(MADV_DONTDUMP),
	XLAT(MADV_DODUMP),
	XLAT(MADV_WIPEONFORK),
	XLAT(MADV_KEEPONFORK),
	XLAT(MADV_COLD),
	XLAT(MADV_PAGEOUT),
	XLAT(MADV_POPULATE_READ),
	XLAT(MADV_POPULATE_WRITE),
	XLAT(MADV_DONTNEED_LOCKED),
	XLAT(MADV_COLLAPSE),
	XLAT(MADV_HWPOISON),
	XLAT(MADV_SOFT_OFFLINE),
	XLAT(MADV_GUARD_INSTALL),
	XLAT(MADV_GUARD_REMOVE),
	XLAT_END
};

/* mlock2 flags. */
const struct xlat it_xlat_mlock[] = {
	XLAT(MLOCK_ONFAULT),
	XLAT_END
};

const struct xlat it_xlat_mlockall[] = {
	XLAT(MCL_CURRENT),
	XLAT(MCL_FUTURE),
	XLAT(MCL_ONFAULT),
	XLAT_END
};

/*
 * NUMA policy modes (mbind, set_mempolicy).  The mode word may carry
 * MPOL_F_STATIC_NODES and friends in its high bits; those make it an
 * unknown value here and the decoder prints it in hex.
 */
const struct xlat it_xlat_mempolicy[] = {
	XLAT(MPOL_DEFAULT),
	XLAT(MPOL_PREFERRED),
	XLAT(MPOL_BIND),
	XLAT(MPOL_INTERLEAVE),
	XLAT(MPOL_LOCAL),
	XLAT(MPOL_PREFERRED_MANY),
	XLAT_END
};

/* mbind and move_pages flags. */
const struct xlat it_xlat_mbind[] = {
	XLAT(MPOL_MF_STRICT),
	XLAT(MPOL_MF_MOVE),
	XLAT(MPOL_MF_MOVE_ALL),
	XLAT_END
};

const struct xlat it_xlat_get_mempolicy[] = {
	XLAT(MPOL_F_NODE),
	XLAT(MPOL_F_ADDR),
	XLAT(MPOL_F_MEMS_ALLOWED),
	XLAT_END
};

/* pkey_alloc's access rights. */
const struct xlat it_xlat_pkey_access[] = {
	XLAT(PKEY_DISABLE_ACCESS),
	XLAT(PKEY_DISABLE_WRITE),
	XLAT_END
};

const struct xlat it_xlat_memfd[] = {
	XLAT(MFD_CLOEXEC),
	XLAT(MFD_ALLOW_SEALING),
	XLAT(MFD_HUGETLB),
	XLAT(MFD_NOEXEC_SEAL),
	XLAT(MFD_EXEC),
	XLAT_END
};

/* userfaultfd flags: open flags plus its own. */
const struct xlat it_xlat_uffd[] = {
	XLAT(O_CLOEXEC),
	XLAT(O_NONBLOCK),
	XLAT(UFFD_USER_MODE_ONLY),
	XLAT_END
};
