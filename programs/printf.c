// printf: prints its arguments under control of a format.
// usage: printf FORMAT [ARGUMENT...]
// The shell's builtin printf is the same code: see programs/lib/printf_cmd.c
// for the formats it knows.
#include "cmds.h"

int main(int argc, char **argv)
{
    return printf_cmd(argc, argv, 1, 2);
}
