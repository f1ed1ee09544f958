/*
 * racy: a bank with a lost-update bug, to be found with isotrace --chaos.
 *
 *	make build/examples/racy
 *	build/examples/racy				(fails rarely)
 *	for s in $(seq 1 20); do
 *		isotrace --chaos --seed=$s build/examples/racy >/dev/null ||
 *		    { echo "seed $s"; break; }
 *	done
 *	isotrace --chaos --seed=S build/examples/racy	(the same failure
 *							 every time)
 *
 * Four tellers share one account.  Each deposits a few amounts with a
 * read-modify-write that is not atomic: it reads the balance, reads the
 * clock to time-stamp the deposit, then stores the balance it read plus
 * its amount, and writes an audit line.  If another teller stores
 * between the read and the write, one deposit is lost.
 *
 * Natively the window is some tens of nanoseconds (the clock is read
 * without entering the kernel), so the bug shows only now and then
 * (about one run in 70 on a 2-CPU machine).  isotrace's scheduler
 * switches threads at system-call boundaries, exactly where the window
 * is: under --chaos some seed puts a switch inside it, and the same
 * seed replays the same interleaving, so the failure can be debugged.
 *
 * Prints the audit trail and the final balance; exits 1, saying so, when
 * the balance is not the sum of the deposits.  Built as a plain program
 * (it does not use libisotrace).
 */
#include <err.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TELLERS	4
#define ROUNDS	5
#define START	100

/* volatile: every access is a real load or store, as in a shared record. */
static volatile long	balance = START;

static const long	amounts[TELLERS] = { 10, 20, 30, 40 };

/* One write(2) per line: lines of different tellers never mix. */
static void __attribute__((format(printf, 1, 2)))
say(const char *fmt, ...)
{
	va_list	 ap;
	char	 line[128];
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(line))
		(void)write(STDOUT_FILENO, line, (size_t)n);
}

static void *
teller(void *arg)
{
	struct timespec	 stamp;
	long		 id = (long)arg, seen;
	int		 i;

	for (i = 0; i < ROUNDS; i++) {
		seen = balance;				/* read */
		/*
		 * The race window: the deposit is time-stamped between the
		 * read and the write.  Natively clock_gettime is answered
		 * in user space by the vDSO in some tens of nanoseconds,
		 * so another teller rarely stores in between; under
		 * isotrace --sandbox it is a real system call, a point
		 * where the scheduler may hand the turn to another thread.
		 */
		clock_gettime(CLOCK_REALTIME, &stamp);
		balance = seen + amounts[id];		/* write */
		say("teller %ld: balance %ld + %ld at %lld.%09ld\n", id, seen,
		    amounts[id], (long long)stamp.tv_sec, stamp.tv_nsec);
	}
	return NULL;
}

int
main(void)
{
	struct timespec	 stamp;
	pthread_t	 t[TELLERS];
	long		 i, want = START;
	int		 e;

	/*
	 * The first call of clock_gettime binds its symbol and touches the
	 * vDSO: microseconds, which would make the window wide in the
	 * first round.  Natively the bug should be rare, as real ones are.
	 */
	clock_gettime(CLOCK_REALTIME, &stamp);
	for (i = 0; i < TELLERS; i++) {
		want += ROUNDS * amounts[i];
		if ((e = pthread_create(&t[i], NULL, teller, (void *)i)) != 0)
			errx(2, "pthread_create: %s", strerror(e));
	}
	for (i = 0; i < TELLERS; i++)
		pthread_join(t[i], NULL);
	say("final balance %ld, expected %ld\n", balance, want);
	if (balance != want) {
		say("racy: lost update: %ld deposited but the balance grew "
		    "by %ld\n", want - START, balance - START);
		return 1;
	}
	return 0;
}
