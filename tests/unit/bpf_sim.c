/*
 * Interprets the subset of classic BPF the seccomp verifier accepts and
 * our generator uses: absolute word loads from seccomp_data, and with a
 * K operand the and, the conditional jumps, ja and ret.  Anything else is
 * a fault, so a generator bug shows up as a failing test instead of a
 * kernel EINVAL at run time.
 */
#include <stddef.h>
#include <string.h>

#include "bpf_sim.h"

uint32_t
bpf_sim_run(const struct sock_fprog *prog, const struct seccomp_data *d)
{
	uint32_t	 a = 0, w;
	size_t		 pc = 0;
	unsigned	 steps = 0;

	while (pc < prog->len && steps++ < 100000) {
		const struct sock_filter *f = &prog->filter[pc];
		int taken;

		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k % 4 != 0 || f->k + 4 > sizeof(*d))
				return BPF_SIM_FAULT | 1;
			memcpy(&w, (const char *)d + f->k, 4);
			a = w;
			pc++;
			continue;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= f->k;
			pc++;
			continue;
		case BPF_RET | BPF_K:
			return f->k;
		case BPF_JMP | BPF_JA:
			pc += 1 + f->k;
			continue;
		case BPF_JMP | BPF_JEQ | BPF_K:
			taken = a == f->k;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			taken = a >= f->k;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			taken = a > f->k;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			taken = (a & f->k) != 0;
			break;
		default:
			return BPF_SIM_FAULT | 2;
		}
		pc += 1 + (taken ? f->jt : f->jf);
	}
	return BPF_SIM_FAULT | 3;
}
