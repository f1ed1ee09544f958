/*
 * The sandbox table: passthru, with the slots of each sandbox family
 * (one file per family, as strace splits its decoders) laid over it.
 */
#include "../table_impl.h"
#include "sandbox.h"

void
sandbox_table(struct it_table *t)
{
	static const struct it_table *const families[] = {
		&sandbox_time, &sandbox_identity, &sandbox_random_table,
		&sandbox_metadata, &sandbox_devices, &sandbox_pids,
		&sandbox_timeouts, &sandbox_net, &sandbox_netmsg, &sandbox_netif,
		&sandbox_cpu,
	};
	size_t	 i;

	*t = it_passthru;
	for (i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		table_overlay(t, families[i]);
	if (cpu_can_fault())
		table_overlay(t, &sandbox_cpuid);
}
