/* The isotrace command: the CLI with the passthru table. */
#include <isotrace/isotrace.h>

int
main(int argc, char *argv[])
{
	return it_main(argc, argv, NULL);
}
