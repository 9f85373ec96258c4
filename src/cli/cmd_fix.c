/* cmd_fix.c - `golint-env fix`. */
#include "cli/cli.h"

int cmd_fix(golint_options *o)
{
    (void)o;
    cli_error("fix: not implemented yet");
    return EXIT_TROUBLE;
}
