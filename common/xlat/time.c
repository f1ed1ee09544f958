/*
 * Clocks and timers: clock ids, interval timer kinds, and the flags of
 * POSIX timers, clock_nanosleep and timerfd.
 */
#include <time.h>
#include <sys/time.h>
#include <sys/timerfd.h>

#include "../xlat.h"

/*
 * Clock ids.  Negative ids name a process or thread CPU clock or a
 * dynamic (PTP) clock by fd; the decoder prints those itself.
 */
const struct xlat it_xlat_clock[] = {
	XLAT(CLOCK_REALTIME),
	XLAT(CLOCK_MONOTONIC),
	XLAT(CLOCK_PROCESS_CPUTIME_ID),
	XLAT(CLOCK_THREAD_CPUTIME_ID),
	XLAT(CLOCK_MONOTONIC_RAW),
	XLAT(CLOCK_REALTIME_COARSE),
	XLAT(CLOCK_MONOTONIC_COARSE),
	XLAT(CLOCK_BOOTTIME),
	XLAT(CLOCK_REALTIME_ALARM),
	XLAT(CLOCK_BOOTTIME_ALARM),
	XLAT(CLOCK_TAI),
	XLAT_END
};

/* getitimer/setitimer's which (glibc's are enumerators). */
const struct xlat it_xlat_itimer[] = {
	XLAT(ITIMER_REAL),
	XLAT(ITIMER_VIRTUAL),
	XLAT(ITIMER_PROF),
	XLAT_END
};

/* timer_settime and clock_nanosleep flags. */
const struct xlat it_xlat_timer[] = {
	XLAT(TIMER_ABSTIME),
	XLAT_END
};

/* timerfd_create flags. */
const struct xlat it_xlat_tfd[] = {
	XLAT(TFD_CLOEXEC),
	XLAT(TFD_NONBLOCK),
	XLAT_END
};

/* timerfd_settime flags. */
const struct xlat it_xlat_tfd_settime[] = {
	XLAT(TFD_TIMER_ABSTIME),
	XLAT(TFD_TIMER_CANCEL_ON_SET),
	XLAT_END
};
