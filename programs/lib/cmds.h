// The commands that are both a program in /bin and a builtin of the
// shell: one implementation, called by programs/printf.c, test.c and
// echo.c and by the shell (servers/shell/builtins2.c). Each takes the
// whole argument vector (argv[0] is the command's name as typed, which
// names it in messages: "printf: ...", "[: ..."), writes its output to
// out_fd and its messages to err_fd, never exits, and returns the exit
// status.
#ifndef CMDS_H
#define CMDS_H

// printf FORMAT [ARGUMENT...] (programs/lib/printf_cmd.c).
int printf_cmd(int argc, char **argv, int out_fd, int err_fd);

// test EXPRESSION, or [ EXPRESSION ] when argv[0]'s name is "["
// (programs/lib/test_cmd.c). Writes nothing to out_fd.
int test_cmd(int argc, char **argv, int out_fd, int err_fd);

// echo [-n] [ARG...] (programs/lib/echo_cmd.c).
int echo_cmd(int argc, char **argv, int out_fd, int err_fd);

#endif
