/* cmd_env.c - `golint-env env`. */
#include "cli/cli.h"

int cmd_env(golint_options *o)
{
    (void)o;
    cli_error("env: not implemented yet");
    return EXIT_TROUBLE;
}
