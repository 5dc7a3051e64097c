// wc: counts lines, words and bytes.
// usage: wc [-l] [-w] [-c] [file...]    no file, or "-", means standard input
// Without options all three counts are shown, always in the order lines,
// words, bytes. Each count is right-aligned in 7 columns and separated by a
// space, then the name; a "total" line follows when there are several files.
// Like GNU wc, one option on standard input (no file operands) prints just
// the bare number. A word is a run of printable characters up to white
// space; other bytes neither start nor end a word (as GNU wc in the C locale).
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "optscan.h"

struct counts {
    unsigned long long lines, words, bytes;
};

static int opt_l, opt_w, opt_c;
static int width = 7;

static int is_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static int is_print(unsigned char c)
{
    return c > ' ' && c < 0x7f;
}

static int count(int fd, struct counts *c)
{
    unsigned char buf[4096];
    int in_word = 0;

    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n == 0)
            return 0;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        c->bytes += (unsigned long long)n;
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n')
                c->lines++;
            if (is_space(buf[i])) {
                in_word = 0;
            } else if (is_print(buf[i]) && !in_word) {
                in_word = 1;
                c->words++;
            }
        }
    }
}

static void print(const struct counts *c, const char *name)
{
    const char *sep = "";

    if (opt_l) {
        printf("%s%*llu", sep, width, c->lines);
        sep = " ";
    }
    if (opt_w) {
        printf("%s%*llu", sep, width, c->words);
        sep = " ";
    }
    if (opt_c)
        printf("%s%*llu", sep, width, c->bytes);
    if (name)
        printf(" %s", name);
    putchar('\n');
}

int main(int argc, char **argv)
{
    int i = 1, status = 0;
    struct counts total = { 0, 0, 0 };

    struct optscan s;
    optscan_init(&s, argc, argv);
    for (int c; (c = optscan_next(&s)) != 0;) {
        if (c == 'l') {
            opt_l = 1;
        } else if (c == 'w') {
            opt_w = 1;
        } else if (c == 'c') {
            opt_c = 1;
        } else {
            fprintf(stderr, "wc: unknown option -%c\nusage: wc [-l] [-w] [-c] [file...]\n", c);
            return 1;
        }
    }
    i = s.i;
    if (!opt_l && !opt_w && !opt_c)
        opt_l = opt_w = opt_c = 1;

    if (i == argc) {
        struct counts c = { 0, 0, 0 };
        if (opt_l + opt_w + opt_c == 1)
            width = 0;
        if (count(0, &c) < 0) {
            fprintf(stderr, "wc: standard input: %s\n", strerror(errno));
            return 1;
        }
        print(&c, NULL);
        return 0;
    }

    int nfiles = argc - i;
    for (; i < argc; i++) {
        struct counts c = { 0, 0, 0 };
        int fd = 0;
        if (strcmp(argv[i], "-") != 0 && (fd = open(argv[i], O_RDONLY)) < 0) {
            fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        int r = count(fd, &c);
        int err = errno;
        if (fd != 0)
            close(fd);
        if (r < 0) {
            fprintf(stderr, "wc: %s: %s\n", argv[i], strerror(err));
            status = 1;
        }
        print(&c, argv[i]);
        total.lines += c.lines;
        total.words += c.words;
        total.bytes += c.bytes;
    }
    if (nfiles > 1)
        print(&total, "total");
    return status;
}
