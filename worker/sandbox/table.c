/*
 * The sandbox table: passthru, with the slots of each sandbox family
 * (one file per family, as strace splits its decoders) laid over it.
 */
#include "../table_impl.h"
#include "sandbox.h"
#include "timers.h"

void
sandbox_table(struct it_table *t)
{
	static const struct it_table *const families[] = {
		&sandbox_time, &sandbox_random_table,
		&sandbox_metadata, &sandbox_devices,
		&sandbox_timeouts, &sandbox_net, &sandbox_netmsg, &sandbox_netif,
		&sandbox_netopt,
		&sandbox_uts, &sandbox_hostguard,
		&sandbox_dirent, &sandbox_timerfd,
		&sandbox_futex, &sandbox_timers, &sandbox_itimers,
	};
	size_t	 i;

	*t = it_passthru;
	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		table_overlay(t, families[i]);
	/*
	 * In the run's own namespaces the kernel answers pids and ids
	 * itself: only forks are handled (to choose their pids), and the
	 * ids only when --uid asks for another one than uid 0 inside.
	 */
	if (sandbox_pidns()) {
		table_overlay(t, &sandbox_pidns_table);
		table_overlay(t, &sandbox_nsid);
		if (sandbox_config()->sc_uid != 0)
			table_overlay(t, &sandbox_identity);
	} else {
		table_overlay(t, &sandbox_pids);
		table_overlay(t, &sandbox_identity);
		/* The pids' ioctl (the terminal's process groups) took the
		 * slot of the interface queries: those go first again, and
		 * hand the pids' requests on (netif.c). */
		table_overlay(t, &sandbox_netif);
	}
	/* After the pids: its sched_getaffinity translates through theirs. */
	table_overlay(t, &sandbox_cpu);
	if (cpu_can_fault())
		table_overlay(t, &sandbox_cpuid);
}
