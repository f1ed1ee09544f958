/*
 * oracle_mem: mappings, protections, advice and locks, for
 * tests/it/oracle.sh.
 */
#include <sys/mman.h>
#include <sys/syscall.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(void)
{
	unsigned char	 vec[4];
	char		*p, *q;
	void		*brk0;
	int		 fd;

	brk0 = sbrk(0);
	(void)brk0;
	p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(p, 1, 4096);
	mprotect(p + 4096, 4096, PROT_NONE);
	mprotect(p + 4096, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
	madvise(p, 4096, MADV_DONTNEED);
	madvise(p, 4096, MADV_WILLNEED);
	mincore(p, 4 * 4096, vec);
	msync(p, 4096, MS_ASYNC);
	mlock(p, 4096);
	munlock(p, 4096);
	mlock2(p, 4096, MLOCK_ONFAULT);
	munlock(p, 4096);
	q = mremap(p, 4 * 4096, 8 * 4096, MREMAP_MAYMOVE);
	munmap(q, 8 * 4096);
	p = mmap(NULL, 4096, PROT_READ,
	    MAP_SHARED | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	munmap(p, 4096);
	fd = memfd_create("oracle-mem", 0);
	ftruncate(fd, 8192);
	p = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
	munmap(p, 8192);
	close(fd);
	p = mmap((void *)0x10000, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
	    MAP_FIXED_NOREPLACE, -1, 0);
	munmap(p, 4096);
	mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 1000, 0);
	munmap((void *)0x1001, 4096);
	mlockall(MCL_FUTURE);
	munlockall();
	syscall(SYS_membarrier, 0, 0, 0);
	syscall(SYS_brk, 0);
	return 0;
}
