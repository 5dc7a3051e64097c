// echo: prints its arguments separated by single spaces, then a newline.
// usage: echo [-n] [arg...]      -n: leave out the trailing newline
// The shell's builtin echo is the same code (programs/lib/echo_cmd.c).
#include "cmds.h"

int main(int argc, char **argv)
{
    return echo_cmd(argc, argv, 1, 2);
}
