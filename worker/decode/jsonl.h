/*
 * --json: the trace as JSON Lines, one object per call, signal, stop and
 * exit, built with jansson from the pieces the decoder hands over
 * (decode_event, note).  The schema is in isotrace(1), JSON OUTPUT.
 */
#ifndef JSONL_H
#define JSONL_H

#include <jansson.h>

struct decode_event;
struct note;

/* Routes the decoder's calls and notes to JSON lines on the trace;
 * timed: the calls' durations are measured (the worker times every
 * call under --json). */
void	jsonl_init(int timed);
/* The objects, for the sinks and the unit tests; the caller owns them. */
json_t	*jsonl_call(const struct decode_event *);
json_t	*jsonl_note(const struct note *);
/* obj as one line, '\n' included, written whole to the trace. */
void	jsonl_write(json_t *obj);

#endif
