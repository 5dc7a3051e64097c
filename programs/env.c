// env: prints the environment, one NAME=value per line.
// Usage: env
#include <stdio.h>

extern char **environ;

int main(void)
{
    for (char **e = environ; e && *e; e++)
        puts(*e);
    return 0;
}
