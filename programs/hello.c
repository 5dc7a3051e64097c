// hello: prints "hello, world".
// usage: hello
#include <stdio.h>

int main(void)
{
    return puts("hello, world") < 0 ? 1 : 0;
}
