/*
 * --json objects (worker/jsonl.c) from hand-made decoder events: every
 * object dumps to a line that jansson reads back, with the decoder's
 * spans as its values, even when a span holds bytes that are not UTF-8.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <signal.h>

#include "decode.h"
#include "jsonl.h"
#include "note.h"

/* The object as a line, read back by jansson's parser. */
static json_t *
round_trip(json_t *o)
{
	json_error_t	 e;
	json_t		*back;
	char		*s;

	assert_non_null(o);
	s = json_dumps(o, JSON_COMPACT);
	assert_non_null(s);
	assert_null(strchr(s, '\n'));
	back = json_loads(s, JSON_ALLOW_NUL, &e);
	if (back == NULL)
		fail_msg("%s: %s", s, e.text);
	free(s);
	json_decref(o);
	return back;
}

/* An event over line, whose spans are found by their text. */
static void
span_of(const char *line, const char *text, struct decode_span *sp,
    const char *name)
{
	const char	*p = strstr(line, text);

	assert_non_null(p);
	sp->ds_name = name;
	sp->ds_off = (size_t)(p - line);
	sp->ds_len = strlen(text);
}

static void
test_call(void **state)
{
	static const char	 line[] = "[pid 7] openat(AT_FDCWD, \"a\\\"b\\n\", "
				    "O_RDONLY) = -1 ENOENT (No such file or "
				    "directory)\n";
	struct decode_event	 ev = { .de_tid = 8, .de_tgid = 7, .de_nr = 257,
				    .de_sysno = 257, .de_name = "openat",
				    .de_line = line, .de_len = sizeof(line) - 1,
				    .de_nargs = 3, .de_result = -2,
				    .de_returned = 1,
				    .de_when = 1700000000123456789ULL };
	json_t			*o;

	(void)state;
	span_of(line, "AT_FDCWD", &ev.de_args[0], "dirfd");
	span_of(line, "\"a\\\"b\\n\"", &ev.de_args[1], "pathname");
	span_of(line, "O_RDONLY", &ev.de_args[2], "flags");
	span_of(line, "-1 ENOENT (No such file or directory)", &ev.de_ret,
	    NULL);
	o = round_trip(jsonl_call(&ev));
	assert_string_equal(json_string_value(json_object_get(o, "type")),
	    "syscall");
	assert_int_equal(json_integer_value(json_object_get(o, "pid")), 7);
	assert_int_equal(json_integer_value(json_object_get(o, "tid")), 8);
	assert_true(json_real_value(json_object_get(o, "time")) ==
	    1700000000.123456);
	assert_string_equal(json_string_value(json_object_get(
	    json_object_get(o, "args"), "pathname")), "\"a\\\"b\\n\"");
	assert_string_equal(json_string_value(json_object_get(o, "errno")),
	    "ENOENT");
	assert_string_equal(json_string_value(json_object_get(o, "error")),
	    "No such file or directory");
	assert_int_equal(json_integer_value(json_object_get(o, "result")), -2);
	json_decref(o);
}

/* A span the decoder never makes: raw bytes, not UTF-8, and a NUL. */
static void
test_not_utf8(void **state)
{
	static const char	 line[] = "[pid 7] syscall_0x1f4(\"\xff\xfe\0\x80\""
				    ") = ?\n";
	struct decode_event	 ev = { .de_tid = 7, .de_tgid = 7, .de_nr = -1,
				    .de_sysno = 500, .de_line = line,
				    .de_len = sizeof(line) - 1, .de_nargs = 1 };
	json_t			*o;

	(void)state;
	ev.de_call = (struct decode_span){ NULL, 8, 13 };
	ev.de_args[0] = (struct decode_span){ NULL, 22, 6 };
	ev.de_ret = (struct decode_span){ NULL, 32, 1 };
	o = round_trip(jsonl_call(&ev));
	assert_string_equal(json_string_value(json_object_get(o, "name")),
	    "syscall_0x1f4");
	assert_int_equal(json_integer_value(json_object_get(o, "nr")), 500);
	assert_int_equal(json_string_length(json_object_get(
	    json_object_get(o, "args"), "arg0")), 15);
	assert_memory_equal(json_string_value(json_object_get(
	    json_object_get(o, "args"), "arg0")), "\"\\377\\376\0\\200\"", 15);
	assert_string_equal(json_string_value(json_object_get(o, "retval")),
	    "?");
	assert_null(json_object_get(o, "result"));
	assert_null(json_object_get(o, "duration"));
	json_decref(o);
}

static void
test_notes(void **state)
{
	static const char	 line[] = "[pid 9] --- SIGCHLD {si_signo=SIGCHLD}"
				    " ---\n";
	struct note		 n = { .n_type = NOTE_SIGNAL, .n_tid = 9,
				    .n_tgid = 9, .n_signo = SIGCHLD,
				    .n_line = line, .n_len = sizeof(line) - 1,
				    .n_signame = { 12, 7 },
				    .n_info = { 20, 18 } };
	json_t			*o;

	(void)state;
	o = round_trip(jsonl_note(&n));
	assert_string_equal(json_string_value(json_object_get(o, "signal")),
	    "SIGCHLD");
	assert_string_equal(json_string_value(json_object_get(o, "siginfo")),
	    "{si_signo=SIGCHLD}");
	assert_int_equal(json_integer_value(json_object_get(o, "signo")),
	    SIGCHLD);
	json_decref(o);
	n = (struct note){ .n_type = NOTE_EXIT, .n_tid = 9, .n_tgid = 9,
	    .n_status = 3, .n_line = "", .n_len = 0 };
	o = round_trip(jsonl_note(&n));
	assert_string_equal(json_string_value(json_object_get(o, "type")),
	    "exit");
	assert_int_equal(json_integer_value(json_object_get(o, "status")), 3);
	assert_null(json_object_get(o, "signal"));
	json_decref(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_call),
		cmocka_unit_test(test_not_utf8),
		cmocka_unit_test(test_notes),
	};

	return cmocka_run_group_tests_name("jsonl", tests, NULL, NULL);
}
