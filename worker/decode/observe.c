/*
 * The observers as one layer: the trace lines (-v, -e trace=, --json),
 * the counts (-c, -C) and the call times (-T).  They see a call at its
 * entry and its exit and change nothing; a call they watch costs its exit
 * stop, a call they do not watch (-e trace=) is not trapped for them.
 */
#include <string.h>

#include "../../common/log.h"
#include "decode.h"
#include "decode_fdpath.h"
#include "jsonl.h"
#include "../engine/layer.h"
#include "note.h"
#include "observe.h"
#include "output.h"
#include "stamp.h"
#include "tally.h"
#include "../engine/task.h"
#include "../worker.h"

static int		 printing;	/* trace lines: -v, -e trace=, -C */
static int		 counting;	/* -c, -C */
static int		 timing;	/* a call's time is wanted: -T, -c */
static const uint8_t	*selected;	/* -e trace=: by number; NULL: all */

/* A number outside the table (int 0x80, x32: nr -1) is watched only when
 * every call is. */
static int
observe_traps(uint8_t trap[])
{
	long	 nr;

	if (selected == NULL)
		return 1;
	for (nr = 0; nr < IT_NR_MAX; nr++)
		trap[nr] |= selected[nr];
	return 0;
}

static int
observe_entry(struct it_task *t, long nr, const uint64_t *args, int i386)
{
	if (selected != NULL && (nr < 0 || nr >= IT_NR_MAX || !selected[nr]))
		return 0;
	if (timing)
		t->t_entered = stamp_now();
	if (printing)
		decode_entry(t, nr, args, i386);
	return 1;
}

static void
observe_exit(struct it_task *t, long nr, const uint64_t *args, long result)
{
	if (timing)
		t->t_spent = stamp_now() - t->t_entered;
	if (counting)
		tally_add(nr, result, t->t_spent);
	if (printing)
		decode_exit(t, nr, args, result);
}

static void
observe_exec_leader(struct it_task *leader, struct it_task *execing)
{
	/* The leader's call ends here, as strace shows it; the exec's
	 * exit will come under the leader's tid. */
	decode_noreturn(execing);
	note_superseded(execing->t_tid, leader->t_tid);
}

static void
observe_signal(struct it_task *t, int sig)
{
	decode_signal(t, sig);
}

static void
observe_detach(struct it_task *t)
{
	if (t->t_flags & T_LINE)
		decode_detached(t);
}

static void
observe_idle(int idle)
{
	if (idle)
		output_idle();
	else
		output_busy();
}

static void
observe_done(int chan)
{
	output_flush();
	output_close();
	/* Before the hello that makes this worker a spare: the supervisor
	 * prints the summary once every worker is a spare. */
	if (counting && tally_send(chan) < 0)
		log_warn("summary");
}

static struct it_layer	 observe_layer = {
	.l_name = "observe",
	.l_traps = observe_traps,
	.l_call_entry = observe_entry,
	.l_call_exit = observe_exit,
	.l_done = observe_done,
};

const struct it_layer *
observe_setup(const struct worker_opts *o)
{
	decode_configure(&o->wo_decode);
	stamp_configure((enum stamp_clock)o->wo_stamp, o->wo_spent);
	printing = o->wo_verbose;
	counting = o->wo_summary;
	timing = counting || o->wo_spent || o->wo_json;
	selected = o->wo_filtered ? o->wo_select : NULL;
	if (!printing && !counting)
		return NULL;
	/* The hooks of the trace's lines; -c alone needs none of them. */
	observe_layer.l_detach = printing ? observe_detach : NULL;
	observe_layer.l_idle = printing ? observe_idle : NULL;
	observe_layer.l_call_gone = printing ? decode_noreturn : NULL;
	observe_layer.l_exit_stop = printing ? decode_noreturn : NULL;
	observe_layer.l_process_end = printing ? note_exit : NULL;
	observe_layer.l_exec_leader = printing ? observe_exec_leader : NULL;
	observe_layer.l_group_stop = printing ? decode_group_stop : NULL;
	observe_layer.l_signal = printing ? observe_signal : NULL;
	if (printing) {
		output_init(o->wo_trace_fd, o->wo_trace_name,
		    o->wo_trace_block);
		/* -z, -Z, -e status=: a line's fate is known at its exit. */
		output_hold_entries(o->wo_hold_entry ||
		    decode_exit_decides());
		if (o->wo_ff_base != NULL)
			output_per_process(o->wo_ff_base);
		if (o->wo_json)
			jsonl_init(timing);
	}
	return &observe_layer;
}
