// test, [: evaluates a condition; exit status 0 if true, 1 if false, 2 on
// an error.
// usage: test EXPRESSION     [ EXPRESSION ]
// The shell's builtins test and [ are the same code: see
// programs/lib/test_cmd.c for the expressions it knows.
#include "cmds.h"

int main(int argc, char **argv)
{
    return test_cmd(argc, argv, 1, 2);
}
