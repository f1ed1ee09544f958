/*
 * Parsing of -e trace=SET (see filter.h), as strace reads it.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/sysclass.h"
#include "filter.h"

static long
lookup(const char *name)
{
	const char	*s;
	long		 nr;

	for (nr = 0; nr < IT_NR_MAX; nr++)
		if ((s = it_sysname(nr)) != NULL && strcmp(s, name) == 0)
			return nr;
	return -1;
}

/* Marks the calls one token names in tok[]; 0 or -1 with err set. */
static int
token(const char *t, uint8_t tok[IT_NR_MAX], char *err, size_t errlen)
{
	regex_t		 re;
	uint32_t	 bits;
	long		 nr;
	int		 e;

	if (strcmp(t, "all") == 0 || strcmp(t, "none") == 0) {
		for (nr = 0; nr < IT_NR_MAX; nr++)
			tok[nr] |= t[0] == 'a' && it_sysname(nr) != NULL;
		return 0;
	}
	if (t[0] == '%') {
		if ((bits = sysclass_lookup(t + 1)) == 0) {
			snprintf(err, errlen, "unknown class '%s' (one of %s)",
			    t, sysclass_names());
			return -1;
		}
		for (nr = 0; nr < IT_NR_MAX; nr++)
			tok[nr] |= (sysclass_of(nr) & bits) != 0;
		return 0;
	}
	if (t[0] == '/') {
		if ((e = regcomp(&re, t + 1, REG_EXTENDED | REG_NOSUB)) != 0) {
			size_t n;

			n = (size_t)snprintf(err, errlen, "'%s': ", t + 1);
			regerror(e, &re, err + (n < errlen ? n : errlen - 1),
			    n < errlen ? errlen - n : 1);
			return -1;
		}
		for (nr = 0; nr < IT_NR_MAX; nr++)
			tok[nr] |= it_sysname(nr) != NULL &&
			    regexec(&re, it_sysname(nr), 0, NULL, 0) == 0;
		regfree(&re);
		return 0;
	}
	if ((nr = lookup(t[0] == '?' ? t + 1 : t)) >= 0)
		tok[nr] = 1;
	else if (t[0] != '?') {
		snprintf(err, errlen, "unknown system call '%s'", t);
		return -1;
	}
	return 0;
}

int
filter_apply(uint8_t sel[IT_NR_MAX], const char *set, int first, char *err,
    size_t errlen)
{
	uint8_t	 tok[IT_NR_MAX] = { 0 };
	char	*copy, *p, *t;
	int	 negate = set[0] == '!', rc = 0;
	long	 nr;

	if ((copy = strdup(set + negate)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (p = copy; rc == 0 && (t = strsep(&p, ",")) != NULL;)
		if (*t != '\0')
			rc = token(t, tok, err, errlen);
	free(copy);
	if (rc != 0)
		return -1;
	for (nr = 0; nr < IT_NR_MAX; nr++) {
		if (first)
			sel[nr] = negate && it_sysname(nr) != NULL;
		if (tok[nr])
			sel[nr] = !negate;
	}
	return 0;
}
