/* cmd_doctor.c - `golint-env doctor`. */
#include "cli/cli.h"

int cmd_doctor(golint_options *o)
{
    (void)o;
    cli_error("doctor: not implemented yet");
    return EXIT_TROUBLE;
}
