/*
 * strace's syscall classes, from include/isotrace/sysclass.def: an array
 * keyed by syscall number, filled by name.
 */
#include <stddef.h>
#include <string.h>

#include <isotrace/isotrace.h>

#include "sysclass.h"

static const uint32_t classes[IT_NR_MAX] = {
#define CLASS(name, bits)	[IT_SYS_##name] = (bits),
#include <isotrace/sysclass.def>
#undef CLASS
};

static const struct {
	const char	*c_name;
	uint32_t	 c_bit;
} names[] = {
	{ "desc",	SC_DESC },
	{ "file",	SC_FILE },
	{ "process",	SC_PROCESS },
	{ "network",	SC_NETWORK },
	{ "net",	SC_NETWORK },	/* strace's short name */
	{ "signal",	SC_SIGNAL },
	{ "memory",	SC_MEMORY },
	{ "ipc",	SC_IPC },
	{ "creds",	SC_CREDS },
	{ "clock",	SC_CLOCK },
	{ "stat",	SC_STAT },
	{ "lstat",	SC_LSTAT },
	{ "fstat",	SC_FSTAT },
	{ "%stat",	SC_STAT_LIKE },
	{ "statfs",	SC_STATFS },
	{ "fstatfs",	SC_FSTATFS },
	{ "%statfs",	SC_STATFS_LIKE },
	{ "pure",	SC_PURE },
};

uint32_t
sysclass_of(long nr)
{
	if (nr < 0 || nr >= IT_NR_MAX)
		return 0;
	return classes[nr];
}

uint32_t
sysclass_lookup(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(names[i].c_name, name) == 0)
			return names[i].c_bit;
	return 0;
}

const char *
sysclass_names(void)
{
	return "%desc, %file, %process, %network (%net), %signal, %memory, "
	    "%ipc, %creds, %clock, %stat, %lstat, %fstat, %%stat, %statfs, "
	    "%fstatfs, %%statfs, %pure";
}
