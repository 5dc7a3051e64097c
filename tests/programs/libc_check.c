// A program that exercises newlib as an ordinary user program would:
// formatted output, the heap, sorting, number parsing, maths and reading
// a file with stdio. Built for the host and with tools/cc; both runs must
// print the same. Usage: libc_check FILE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <errno.h>

static long usec_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000l + ts.tv_nsec / 1000;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    printf("%d %s %f %e %g %x\n", -42, "str", 3.14159, 12345.678, 0.0001234, 0xbeefu);
    printf("%5d|%-5d|%05.1f|%.3e|%10.4g\n", 7, 7, 2.25, -1e-10, 123456789.0);
    int *v = malloc(5 * sizeof(int));
    for (int i = 0; i < 5; i++)
        v[i] = (i * 37) % 11 - 5;
    v = realloc(v, 1000 * sizeof(int));
    for (int i = 5; i < 1000; i++)
        v[i] = (i * 7919) % 1009 - 500;
    qsort(v, 1000, sizeof(int), cmp_int);
    long sum = 0;
    for (int i = 0; i < 1000; i++)
        sum += (long)v[i] * (i % 7);
    printf("sorted: %d %d %d sum %ld\n", v[0], v[500], v[999], sum);
    free(v);
    char *end;
    double d = strtod("  -6.02214076e23xyz", &end);
    printf("strtod: %.8e rest '%s'\n", d, end);
    printf("math: %.10f %.10f %.10f\n", sin(1.0), sqrt(2.0), exp(1.5));
    char buf[64];
    snprintf(buf, sizeof(buf), "[%8.3f|%-6s|%c]", -1.5, "ab", 'z');
    printf("snprintf: %s\n", buf);
    long t0 = usec_now();
    usleep(20000);
    struct timespec ts = { 0, 15000000 }, bad = { 0, 1000000000 };
    int r = nanosleep(&ts, NULL);
    long slept = usec_now() - t0;
    printf("sleep: %s, nanosleep %d\n", slept >= 34000 ? "at least 35 ms" : "too short", r);
    r = nanosleep(&bad, NULL);
    printf("nanosleep(1e9 ns): %d %s\n", r, r ? strerror(errno) : "");
    FILE *f = argc > 1 ? fopen(argv[1], "r") : NULL;
    if (!f) {
        printf("fopen failed\n");
        return 1;
    }
    char line[128];
    int n = 0;
    while (fgets(line, sizeof(line), f))
        printf("line %d: %s", ++n, line);
    fclose(f);
    return 0;
}
