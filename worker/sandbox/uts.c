/*
 * The run's host and domain names.  sethostname and setdomainname set
 * them for every process of the run, as in a UTS namespace of its own:
 * uname, gethostname (uname underneath) and /proc/sys/kernel/{hostname,
 * domainname} (devices.c) read them back; the host's are never touched.
 * The kernel's release and version are fixed: uname's, and those of the
 * /proc files that tell them (a program that checks the kernel through
 * /proc would otherwise see the host's).
 *
 * The names live in a page the supervisor maps shared before it forks
 * any worker, so every worker of the run sees one copy; a sequence count
 * (odd while a write is under way) lets a reader retry a torn read.  A
 * table used without the supervisor (a unit test) maps one of its own.
 */
#include <errno.h>
#include <string.h>

#include "../../common/log.h"
#include "sandbox.h"

#define UTS_LEN		64	/* __NEW_UTS_LEN */

struct uts {
	unsigned int	 u_seq;
	char		 u_node[UTS_LEN + 1];
	char		 u_domain[UTS_LEN + 1];
};

static struct uts	*uts;

void
sandbox_uts_init(void)
{
	if (uts != NULL)
		return;
	uts = shared_map(sizeof(*uts));
	strlcpy(uts->u_node, SANDBOX_UTS_NODE, sizeof(uts->u_node));
	strlcpy(uts->u_domain, "(none)", sizeof(uts->u_domain));
}

void
sandbox_uts_get(char node[UTS_LEN + 1], char domain[UTS_LEN + 1])
{
	unsigned int	 s;

	sandbox_uts_init();
	do {
		while ((s = __atomic_load_n(&uts->u_seq, __ATOMIC_ACQUIRE)) & 1)
			;
		memcpy(node, uts->u_node, UTS_LEN + 1);
		memcpy(domain, uts->u_domain, UTS_LEN + 1);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
	} while (__atomic_load_n(&uts->u_seq, __ATOMIC_RELAXED) != s);
	node[UTS_LEN] = domain[UTS_LEN] = '\0';
}

/* Sets one name from the program's bytes, as the kernel does: at most 64
 * bytes, not necessarily NUL-terminated. */
static long
set_name(struct it_task *t, it_gptr name, int len, int domain)
{
	char		 buf[UTS_LEN + 1], old[UTS_LEN + 1];
	unsigned int	 s;

	if (len < 0 || len > UTS_LEN)
		return -EINVAL;
	sandbox_uts_init();
	memset(buf, 0, sizeof(buf));
	if (len > 0 && it_mem_read(t, name.addr, buf, (size_t)len) < 0)
		return -EFAULT;
	/* One writer at a time: take the count from even to odd. */
	do {
		s = __atomic_load_n(&uts->u_seq, __ATOMIC_RELAXED) & ~1U;
	} while (!__atomic_compare_exchange_n(&uts->u_seq, &s, s + 1, 0,
	    __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
	memcpy(old, domain ? uts->u_domain : uts->u_node, sizeof(old));
	memcpy(domain ? uts->u_domain : uts->u_node, buf, sizeof(buf));
	__atomic_store_n(&uts->u_seq, s + 2, __ATOMIC_RELEASE);
	/* The name resolves as the old one did (hosts.c). */
	if (!domain)
		hosts_rename(it_task_tid(t), old, buf);
	return 0;
}

static long
sb_sethostname(struct it_task *t, it_gptr name, size_t len)
{
	return set_name(t, name, (int)len, 0);
}

static long
sb_setdomainname(struct it_task *t, it_gptr name, size_t len)
{
	return set_name(t, name, (int)len, 1);
}

/* The text of a /proc file that names the kernel; 0 if path is none. */
size_t
sandbox_uts_file(const char *path, char *buf, size_t size)
{
	static const struct {
		const char	*f_path;
		const char	*f_text;
	} files[] = {
		{ "/proc/sys/kernel/ostype", "Linux\n" },
		{ "/proc/sys/kernel/osrelease", SANDBOX_UTS_RELEASE "\n" },
		{ "/proc/sys/kernel/version", SANDBOX_UTS_VERSION "\n" },
		{ "/proc/version", "Linux version " SANDBOX_UTS_RELEASE
		    " (isotrace@sandbox) (gcc, GNU ld) " SANDBOX_UTS_VERSION
		    "\n" },
	};
	size_t	 i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (strcmp(path, files[i].f_path) == 0)
			return strlcpy(buf, files[i].f_text, size) < size ?
			    strlen(buf) : 0;
	return 0;
}

const struct it_table sandbox_uts = {
	.sethostname = sb_sethostname,
	.setdomainname = sb_setdomainname,
};
