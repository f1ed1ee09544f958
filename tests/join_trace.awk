# tests/join_trace.awk: a --verbose trace with every call whole again.
#
# isotrace, like strace, splits a call that another line interrupted (or
# that blocked) into "[pid N] read(3,  <unfinished ...>" and, later,
# "[pid N] <... read resumed>"x", 1) = 1".  This puts the halves back
# together, at the place of the entry: "[pid N] read(3, "x", 1) = 1".
# A resumed half with no entry of the same call before it is printed as
# "UNPAIRED: line", which no trace pattern accepts; an entry still open
# at the end (a call the process died in) stays "... <unfinished ...>".
# After "+++ superseded by execve in pid B +++" (a non-leader thread B
# exec'd), B's open call resumes under the leader's tid.
BEGIN {
	n = 0	# a number: out[open[tid]] must find out[0]
}
{
	if (!match($0, /^\[pid +[0-9]+\] /)) {
		out[n++] = $0
		next
	}
	tid = substr($0, 1, RLENGTH)
	rest = substr($0, RLENGTH + 1)
	if (match(rest, /\+\+\+ superseded by execve in pid [0-9]+ \+\+\+$/)) {
		# The exec'ing thread's call resumes under this tid.
		by = "[pid " substr(rest, RSTART + 32, RLENGTH - 36) "] "
		if (by in open) {
			open[tid] = open[by]
			delete open[by]
		}
		out[n++] = $0
		next
	}
	if (rest ~ / <unfinished \.\.\.>$/) {
		if (tid in open)
			out[open[tid]] = "UNPAIRED: " out[open[tid]]
		open[tid] = n
		out[n++] = substr($0, 1, length($0) - 17)
		next
	}
	if (match(rest, /<\.\.\. [a-z_][a-z0-9_]* resumed>/)) {
		name = substr(rest, RSTART + 5, RLENGTH - 14)
		if (!(tid in open) || index(out[open[tid]], name "(") == 0) {
			out[n++] = "UNPAIRED: " $0
			next
		}
		out[open[tid]] = out[open[tid]] substr(rest, RSTART + RLENGTH)
		delete open[tid]
		next
	}
	out[n++] = $0
}
END {
	for (t in open)
		out[open[t]] = out[open[t]] " <unfinished ...>"
	for (i = 0; i < n; i++)
		print out[i]
}
