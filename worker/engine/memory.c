/*
 * Guest memory.  process_vm_readv/writev move bulk data at several GB/s
 * and refuse pages the tracee cannot itself access as asked: exactly the
 * kernel's own rule for a system call's copy_to_user/copy_from_user.  So
 * every read, and every write of a call's result, goes through them: a
 * result aimed at a read-only or PROT_NONE page is EFAULT, as natively.
 * Only it_mem_poke() writes where the program could not (code, RELRO),
 * through /proc/PID/mem and the kernel's forced access, for what a tool
 * does on its own account.  A bad address is -EFAULT, never a fault in
 * the worker.
 */
#include <sys/uio.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "task.h"

#define PAGE	4096UL

static int
procmem_write(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	char	 path[64];
	ssize_t	 n;
	size_t	 done = 0;
	int	 fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", (int)tid);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) == -1)
		return -EFAULT;
	while (done < len) {
		n = pwrite(fd, (const char *)buf + done, len - done,
		    (off_t)(addr + done));
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	close(fd);
	return done == len ? 0 : -EFAULT;
}

/* Addresses that no mapping can hold (and that pread's off_t would turn
 * negative) fail here. */
static int
bad_range(uint64_t addr, size_t len)
{
	return addr + len < addr || addr + len > (1ULL << 47);
}

int
it_mem_read(struct it_task *t, uint64_t addr, void *dst, size_t len)
{
	struct iovec	 local = { dst, len };
	struct iovec	 remote = { (void *)(uintptr_t)addr, len };

	if (len == 0)
		return 0;
	if (bad_range(addr, len))
		return -EFAULT;
	if (process_vm_readv(t->t_tid, &local, 1, &remote, 1, 0) ==
	    (ssize_t)len)
		return 0;
	return -EFAULT;
}

/*
 * process_vm_writev stops at the first page it cannot write and reports
 * what it wrote before it, as copy_to_user does for a system call.  An
 * address past the 47-bit user space is simply not writable.
 */
long
it_mem_write_part(struct it_task *t, uint64_t addr, const void *src,
    size_t len)
{
	struct iovec	 local = { (void *)(uintptr_t)src, len };
	struct iovec	 remote = { (void *)(uintptr_t)addr, len };
	ssize_t		 n;

	if (len == 0)
		return 0;
	if (addr >= (1ULL << 47))
		return -EFAULT;
	if (bad_range(addr, len))
		remote.iov_len = local.iov_len = (1ULL << 47) - addr;
	if ((n = process_vm_writev(t->t_tid, &local, 1, &remote, 1, 0)) <= 0)
		return -EFAULT;
	return n;
}

int
it_mem_write(struct it_task *t, uint64_t addr, const void *src, size_t len)
{
	long	 n;

	if (len == 0)
		return 0;
	if (bad_range(addr, len))
		return -EFAULT;
	n = it_mem_write_part(t, addr, src, len);
	return n == (long)len ? 0 : -EFAULT;
}

int
it_mem_poke(struct it_task *t, uint64_t addr, const void *src, size_t len)
{
	if (len == 0)
		return 0;
	if (bad_range(addr, len))
		return -EFAULT;
	if (it_mem_write(t, addr, src, len) == 0)
		return 0;
	return procmem_write(t->t_tid, addr, src, len);
}

/* Reads page by page, so a string that ends just before an unmapped page
 * is read whole. */
long
it_mem_read_str(struct it_task *t, it_gp_str s, char *dst, size_t cap)
{
	uint64_t	 addr = s.addr;
	size_t		 done = 0, chunk;
	char		*nul;

	if (cap == 0)
		return -ENAMETOOLONG;
	while (done < cap - 1) {
		chunk = PAGE - (addr + done) % PAGE;
		if (chunk > cap - 1 - done)
			chunk = cap - 1 - done;
		if (it_mem_read(t, addr + done, dst + done, chunk) < 0) {
			dst[done] = '\0';
			return -EFAULT;
		}
		if ((nul = memchr(dst + done, '\0', chunk)) != NULL)
			return nul - dst;
		done += chunk;
	}
	dst[done] = '\0';
	return -ENAMETOOLONG;
}
