/* cmd_diff_env.c - `golint-env diff-env`. */
#include "cli/cli.h"

int cmd_diff_env(golint_options *o)
{
    (void)o;
    cli_error("diff-env: not implemented yet");
    return EXIT_TROUBLE;
}
