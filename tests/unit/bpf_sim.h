/* A userspace interpreter of classic BPF, enough for seccomp filters. */
#ifndef BPF_SIM_H
#define BPF_SIM_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdint.h>

/* Runs prog on data; returns the filter's verdict, or a value with
 * BPF_SIM_FAULT set when the program is invalid (bad jump, bad load, no
 * return). */
#define BPF_SIM_FAULT	0xdead0000U
uint32_t	bpf_sim_run(const struct sock_fprog *,
		    const struct seccomp_data *);

#endif
