// poweroff: turns the machine off (under QEMU, QEMU exits with status 0).
// usage: poweroff
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <osapi.h>

int main(void)
{
    os_poweroff();
    // Only reached if the power-off request failed.
    fprintf(stderr, "poweroff: os_poweroff: %s\n", strerror(errno));
    return 1;
}
