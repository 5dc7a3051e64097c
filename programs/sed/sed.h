// sed's script: the parsed commands (programs/sed/script.c) that
// programs/sed.c runs.
#ifndef SED_H
#define SED_H
#include <regex.h>
#include <stddef.h>

enum { A_NONE, A_LINE, A_LAST, A_RE };

struct addr {
    int type;
    unsigned long n;
    regex_t *re;            // NULL with A_RE: the last regex used
};

struct cmd {
    struct addr a1, a2;
    int neg, active;        // '!'; inside the range
    char name;
    regex_t *re;            // s: NULL means the last regex used
    char *repl;             // s: replacement text (escapes kept)
    int global, print;      // s: g and p flags
    unsigned long nth;      // s: replace from the nth match (1 default)
    unsigned char *map;     // y: 256 entries
    char *text;             // a, i, c: the text; : b t T: the label
    size_t end;             // '{': index of its '}'; b t T: of the label
};

extern struct cmd *cmds;
extern size_t ncmds;
extern int opt_E;                   // -E: extended regular expressions

// Parses script into cmds; reports a bad one ("sed: -e expression #1,
// char N: what") and exits with status 1.
void sed_parse(const char *script);

// malloc that reports and exits (status 4) when memory runs out.
void *sed_alloc(size_t n);

#endif
