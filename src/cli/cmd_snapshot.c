/* cmd_snapshot.c - `golint-env snapshot`. */
#include "cli/cli.h"

int cmd_snapshot(golint_options *o)
{
    (void)o;
    cli_error("snapshot: not implemented yet");
    return EXIT_TROUBLE;
}
