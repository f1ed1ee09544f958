/*
 * abi32: a 32-bit static program without libc (as --32, ld -m elf_i386)
 * that makes, through int $0x80, the calls a sandbox must keep virtual:
 * time, getpid, getrandom, socketcall(SYS_SOCKET), then a clone with
 * CLONE_UNTRACED and a fork.  Prints one line per call, "NAME: ok" or
 * "NAME: -ERRNO", and the fork child's exit status as waitpid saw it.
 * Natively all succeed.  Under isotrace the untraced clone fails (EPERM,
 * -1); under isotrace --sandbox time, getpid, getrandom and socket fail
 * with ENOSYS (-38) instead of reading the host's clock, pid, entropy
 * and network, and so does waitpid (its twin wait4 has virtual pids).
 */
	.set	SYS_exit, 1
	.set	SYS_fork, 2
	.set	SYS_write, 4
	.set	SYS_waitpid, 7
	.set	SYS_time, 13
	.set	SYS_getpid, 20
	.set	SYS_socketcall, 102
	.set	SYS_clone, 120
	.set	SYS_exit_group, 252
	.set	SYS_getrandom, 355
	.set	CLONE_UNTRACED_SIGCHLD, 0x00800011

	.data
name_time:	.asciz	"time"
name_getpid:	.asciz	"getpid"
name_random:	.asciz	"getrandom"
name_socket:	.asciz	"socket"
name_clone:	.asciz	"clone_untraced"
name_fork:	.asciz	"fork"
name_status:	.asciz	"fork status"
name_wait:	.asciz	"waitpid"
colon:		.asciz	": "
ok:		.asciz	"ok"
minus:		.asciz	"-"
newline:	.asciz	"\n"
sockargs:	.long	2, 1, 0		/* AF_INET, SOCK_STREAM, 0 */

	.bss
random:		.space	16
status:		.space	4
digits:		.space	12

	.text
	.globl	_start
_start:
	movl	$SYS_time, %eax
	xorl	%ebx, %ebx
	int	$0x80
	movl	$name_time, %esi
	call	report

	movl	$SYS_getpid, %eax
	int	$0x80
	movl	$name_getpid, %esi
	call	report

	movl	$SYS_getrandom, %eax
	movl	$random, %ebx
	movl	$16, %ecx
	xorl	%edx, %edx
	int	$0x80
	movl	$name_random, %esi
	call	report

	movl	$SYS_socketcall, %eax
	movl	$1, %ebx		/* SYS_SOCKET */
	movl	$sockargs, %ecx
	int	$0x80
	movl	$name_socket, %esi
	call	report

	/* clone(flags, newsp 0: the child runs on a copy of this stack) */
	movl	$SYS_clone, %eax
	movl	$CLONE_UNTRACED_SIGCHLD, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	xorl	%esi, %esi
	xorl	%edi, %edi
	int	$0x80
	testl	%eax, %eax
	jz	child
	movl	%eax, %ebp
	movl	$name_clone, %esi
	call	report
	testl	%ebp, %ebp
	js	1f
	movl	$SYS_waitpid, %eax
	movl	%ebp, %ebx
	xorl	%ecx, %ecx
	xorl	%edx, %edx
	int	$0x80
1:
	movl	$SYS_fork, %eax
	int	$0x80
	testl	%eax, %eax
	jz	forked
	movl	%eax, %ebp
	movl	$name_fork, %esi
	call	report
	movl	$SYS_waitpid, %eax
	movl	%ebp, %ebx
	movl	$status, %ecx
	xorl	%edx, %edx
	int	$0x80
	movl	$name_wait, %esi
	call	report
	movl	$name_status, %esi
	call	puts
	movl	$colon, %esi
	call	puts
	movzbl	status+1, %eax
	call	putnum
	movl	$newline, %esi
	call	puts
	movl	$SYS_exit_group, %eax
	xorl	%ebx, %ebx
	int	$0x80

child:
	movl	$SYS_exit, %eax
	xorl	%ebx, %ebx
	int	$0x80
forked:
	movl	$SYS_exit, %eax
	movl	$7, %ebx
	int	$0x80

/* report: "NAME: ok" or "NAME: -ERRNO" for the result in eax, name in esi */
report:
	pushl	%eax
	call	puts
	movl	$colon, %esi
	call	puts
	popl	%eax
	cmpl	$-4095, %eax
	jae	2f
	movl	$ok, %esi
	call	puts
	jmp	3f
2:	negl	%eax
	pushl	%eax
	movl	$minus, %esi
	call	puts
	popl	%eax
	call	putnum
3:	movl	$newline, %esi
	call	puts
	ret

/* puts: writes the string at esi */
puts:
	movl	%esi, %edx
4:	cmpb	$0, (%edx)
	je	5f
	incl	%edx
	jmp	4b
5:	subl	%esi, %edx
	movl	$SYS_write, %eax
	movl	$1, %ebx
	movl	%esi, %ecx
	int	$0x80
	ret

/* putnum: writes eax (unsigned) in decimal */
putnum:
	movl	$digits+11, %esi
	movb	$0, (%esi)
	movl	$10, %ecx
6:	xorl	%edx, %edx
	divl	%ecx
	addb	$'0', %dl
	decl	%esi
	movb	%dl, (%esi)
	testl	%eax, %eax
	jnz	6b
	call	puts
	ret
