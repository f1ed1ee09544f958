/*
 * For views of syscalls.def that need only a syscall's number and name:
 * define SYS_EACH(nr, name), include this, then syscalls.def, then
 * sys_undef.h, and #undef SYS_EACH.
 */
#define SYS0(nr, name, ...)	SYS_EACH(nr, name)
#define SYS1(nr, name, ...)	SYS_EACH(nr, name)
#define SYS2(nr, name, ...)	SYS_EACH(nr, name)
#define SYS3(nr, name, ...)	SYS_EACH(nr, name)
#define SYS4(nr, name, ...)	SYS_EACH(nr, name)
#define SYS5(nr, name, ...)	SYS_EACH(nr, name)
#define SYS6(nr, name, ...)	SYS_EACH(nr, name)
