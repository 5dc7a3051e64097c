// du: the disk space that files and folders take.
// usage: du [-a] [-s] [-d N] [-h] [-k] [path...]
// Sizes are in 1024-byte blocks (the blocks the file system gave the
// file, as GNU du), or with -h rounded up to K, M, G (one decimal below
// 10). A folder counts its own blocks and all below it; a file with
// several links counts once. Without -a only folders are listed (and
// file operands); -s lists only the operands, -d N only N levels below
// them. No path means ".".
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "lines.h"
#include "optscan.h"
#include "prog.h"
#include "walk.h"

#define USAGE "[-a] [-s] [-d N] [-h] [-k] [path...]"

static int opt_a, opt_s, opt_h;
static long max_depth = -1;         // -d: list only this deep (-s: 0)

struct du_state {
    unsigned long long *sums;   // bytes per depth of the current path
    int depth_cap;
    struct seen { dev_t dev; ino_t ino; int used; } *seen;   // open hash set
    size_t nseen, seen_cap;
};

static int hash_all;

// The slot of (dev, ino) in the set: where it is, or the free one to use.
static size_t seen_slot(const struct du_state *s, dev_t dev, ino_t ino)
{
    size_t i = ((size_t)ino * 2654435761u + (size_t)dev) & (s->seen_cap - 1);
    while (s->seen[i].used && (s->seen[i].dev != dev || s->seen[i].ino != ino))
        i = (i + 1) & (s->seen_cap - 1);
    return i;
}

// Doubles the set (its size stays a power of two).
static void seen_grow(struct du_state *s)
{
    struct du_state bigger = *s;
    bigger.seen_cap = s->seen_cap ? s->seen_cap * 2 : 256;
    bigger.seen = calloc(bigger.seen_cap, sizeof(*bigger.seen));
    if (!bigger.seen) {
        prog_warn("out of memory");
        exit(1);
    }
    for (size_t i = 0; i < s->seen_cap; i++)
        if (s->seen[i].used)
            bigger.seen[seen_slot(&bigger, s->seen[i].dev, s->seen[i].ino)] = s->seen[i];
    free(s->seen);
    s->seen = bigger.seen;
    s->seen_cap = bigger.seen_cap;
}

// Prints bytes like GNU du -h: "0", "512", "4.0K", "12K", "1.5M" (rounded up).
static void print_human(unsigned long long bytes)
{
    static const char units[] = "KMGTPE";
    if (bytes < 1024) {
        printf("%llu", bytes);
        return;
    }
    int u = 0;
    unsigned long long scale = 1024;
    while (bytes / scale >= 1024 && units[u + 1])
        u++, scale *= 1024;
    unsigned long long tenths = (bytes * 10 + scale - 1) / scale;   // rounded up
    if (tenths < 100) {
        printf("%llu.%llu%c", tenths / 10, tenths % 10, units[u]);
        return;
    }
    unsigned long long whole = (bytes + scale - 1) / scale;
    if (whole >= 1024 && units[u + 1])
        printf("1.0%c", units[u + 1]);
    else
        printf("%llu%c", whole, units[u]);
}

static void print_size(unsigned long long bytes, const char *path)
{
    if (opt_h)
        print_human(bytes);
    else
        printf("%llu", (bytes + 1023) / 1024);
    printf("\t%s\n", path);
}

// Whether this file was counted already; remembers it. Only files with
// several links are remembered, or everything when there are several
// operands (so that "du a a/b" counts a/b once, as GNU du).
static int seen_before(struct du_state *s, const struct stat *st)
{
    if (!hash_all && (S_ISDIR(st->st_mode) || st->st_nlink < 2))
        return 0;
    if (2 * (s->nseen + 1) > s->seen_cap)
        seen_grow(s);
    size_t i = seen_slot(s, st->st_dev, st->st_ino);
    if (s->seen[i].used)
        return 1;
    s->seen[i].used = 1;
    s->seen[i].dev = st->st_dev;
    s->seen[i].ino = st->st_ino;
    s->nseen++;
    return 0;
}

static int du_enter(struct walk *w, const char *path, const struct stat *st, int depth)
{
    struct du_state *s = w->ctx;
    (void)path;
    if (depth >= s->depth_cap) {
        s->depth_cap = depth * 2 + 16;
        s->sums = realloc(s->sums, (size_t)s->depth_cap * sizeof(*s->sums));
        if (!s->sums) {
            prog_warn("out of memory");
            exit(1);
        }
    }
    if (seen_before(s, st))
        return 1;                   // counted already: neither added nor listed
    s->sums[depth] = (unsigned long long)st->st_blocks * 512;
    return 0;
}

// After a path's entries: adds its total to its folder's and prints it.
static void du_leave(struct walk *w, const char *path, const struct stat *st, int depth)
{
    struct du_state *s = w->ctx;
    unsigned long long total = s->sums[depth];
    if (depth > 0)
        s->sums[depth - 1] += total;
    if (depth == 0 || ((max_depth < 0 || depth <= max_depth) && (opt_a || S_ISDIR(st->st_mode))))
        print_size(total, path);
}

// Parses the options (exits on bad ones); returns the first path's index.
static int du_options(int argc, char **argv)
{
    struct optscan s;
    optscan_init(&s, argc, argv);
    for (int c; (c = optscan_next(&s)) != 0;) {
        if (c == 'a' || c == 's' || c == 'h') {
            *(c == 'a' ? &opt_a : c == 's' ? &opt_s : &opt_h) = 1;
        } else if (c == 'k') {
            opt_h = 0;
        } else if (c == 'd') {
            const char *arg = optscan_value(&s);
            if (!arg)
                prog_usage(USAGE, 1);
            max_depth = (long)num_arg_ulong(arg, "maximum depth", 1);
        } else {
            prog_warn("unknown option -%c", c);
            prog_usage(USAGE, 1);
        }
    }
    return s.i;
}

int main(int argc, char **argv)
{
    struct du_state s = { NULL, 0, NULL, 0, 0 };
    struct walk w = { du_enter, du_leave, -1, 0, 0, &s };
    prog_init(argv[0]);
    int i = du_options(argc, argv);
    if (opt_a && opt_s) {
        prog_warn("cannot both summarize and show all entries");
        prog_usage(USAGE, 1);
    }
    if (opt_s && max_depth > 0) {
        prog_warn("warning: summarizing conflicts with --max-depth=%ld", max_depth);
        prog_usage(USAGE, 1);
    }
    if (opt_s)
        max_depth = 0;
    hash_all = argc - i > 1;
    if (i == argc)
        walk_tree(&w, ".");
    for (; i < argc; i++)
        walk_tree(&w, argv[i]);
    fflush(stdout);
    return w.errors ? 1 : 0;
}
