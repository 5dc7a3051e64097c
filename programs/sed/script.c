// Parsing sed's script into commands (see sed.h).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "prog.h"
#include "sed.h"

struct cmd *cmds;
size_t ncmds;
int opt_E;
static const char *script, *sp;     // the whole script and the parse position

static void __attribute__((noreturn)) bad_script(const char *what)
{
    prog_warn("-e expression #1, char %ld: %s", (long)(sp - script), what);
    exit(1);
}

void *sed_alloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        prog_warn("out of memory");
        exit(4);
    }
    return p;
}

static void skip_spaces(void)
{
    while (*sp == ' ' || *sp == '\t')
        sp++;
}

// Reads text up to the unescaped delimiter d (consumed). "\d" becomes d,
// "\n" a newline; with keep, other escapes stay as they are.
static char *delimited(char d, int keep)
{
    char *out = sed_alloc(strlen(sp) + 1), *o = out;
    while (*sp && *sp != d) {
        if (*sp == '\\' && sp[1]) {
            sp++;
            if (*sp == d)
                *o++ = d;
            else if (*sp == 'n')
                *o++ = '\n';
            else {
                if (keep)
                    *o++ = '\\';
                *o++ = *sp;
            }
        } else if (*sp == '\n' && !keep) {
            break;
        } else {
            *o++ = *sp;
        }
        sp++;
    }
    if (*sp != d)
        bad_script("unterminated address regex or command");
    sp++;
    *o = 0;
    return out;
}

// Compiles a regex for an address or s (an empty one: NULL, the last used).
static regex_t *compile(const char *text, int icase)
{
    if (!*text)
        return NULL;
    regex_t *re = sed_alloc(sizeof(*re));
    int e = regcomp(re, text, (opt_E ? REG_EXTENDED : 0) | (icase ? REG_ICASE : 0));
    if (e) {
        char msg[128];
        regerror(e, re, msg, sizeof msg);
        bad_script(msg);
    }
    return re;
}

// Parses one address at sp, if there is one.
static void parse_addr(struct addr *a)
{
    if (*sp >= '0' && *sp <= '9') {
        a->type = A_LINE;
        a->n = strtoul(sp, (char **)&sp, 10);
    } else if (*sp == '$') {
        a->type = A_LAST;
        sp++;
    } else if (*sp == '/' || *sp == '\\') {
        char d = *sp == '\\' ? *++sp : '/';
        if (!d || d == '\n' || d == '\\')
            bad_script("unexpected delimiter");
        sp++;
        char *text = delimited(d, 1);
        a->type = A_RE;
        a->re = compile(text, 0);
        free(text);
    }
}

// Parses the s command's parts after 's'.
static void parse_s(struct cmd *c)
{
    char d = *sp++;
    if (!d || d == '\n' || d == '\\')
        bad_script("unterminated `s' command");
    char *re = delimited(d, 1);
    c->repl = delimited(d, 1);
    int icase = 0;
    c->nth = 1;
    for (;; sp++) {
        if (*sp == 'g')
            c->global = 1;
        else if (*sp == 'p')
            c->print = 1;
        else if (*sp == 'I' || *sp == 'i')
            icase = 1;
        else if (*sp >= '1' && *sp <= '9')
            c->nth = strtoul(sp, (char **)&sp, 10), sp--;
        else
            break;
    }
    c->re = compile(re, icase);
    free(re);
}

// Parses y/abc/xyz/ after 'y'.
static void parse_y(struct cmd *c)
{
    char d = *sp++;
    if (!d || d == '\n' || d == '\\')
        bad_script("unterminated `y' command");
    char *from = delimited(d, 0), *to = delimited(d, 0);
    if (strlen(from) != strlen(to))
        bad_script("strings for `y' command are different lengths");
    c->map = sed_alloc(256);
    for (int i = 0; i < 256; i++)
        c->map[i] = (unsigned char)i;
    for (size_t i = 0; from[i]; i++)
        c->map[(unsigned char)from[i]] = (unsigned char)to[i];
    free(from);
    free(to);
}

// Reads a, i or c's text: "a text", "a\text" or "a\<newline>text", up to
// an unescaped newline; "\<newline>" continues it on the next line.
static void parse_text(struct cmd *c)
{
    skip_spaces();
    if (*sp == '\\') {
        sp++;
        if (*sp == '\n')
            sp++;
    }
    char *o = c->text = sed_alloc(strlen(sp) + 1);
    for (; *sp && *sp != '\n'; sp++) {
        if (*sp == '\\' && sp[1])
            sp++;
        *o++ = *sp;
    }
    *o = 0;
}

// Reads the label of : b t T (up to a newline or ';'; none: NULL).
static void parse_label(struct cmd *c)
{
    skip_spaces();
    size_t n = strcspn(sp, ";\n");
    while (n && (sp[n - 1] == ' ' || sp[n - 1] == '\t'))
        n--;
    if (c->name == ':' && n == 0)
        bad_script("\":\" lacks a label");
    c->text = n ? strndup(sp, n) : NULL;
    if (n && !c->text)
        bad_script("out of memory");
    sp += n;
}

// Points each b, t and T at its label's command (no label: the end).
static void resolve_labels(void)
{
    for (size_t i = 0; i < ncmds; i++) {
        struct cmd *c = &cmds[i];
        if (!strchr("btT", c->name))
            continue;
        c->end = ncmds;
        for (size_t j = 0; c->text && j < ncmds; j++)
            if (cmds[j].name == ':' && strcmp(cmds[j].text, c->text) == 0)
                c->end = j;
        if (c->text && c->end == ncmds) {
            prog_warn("can't find label for jump to `%s'", c->text);
            exit(4);                // as GNU sed
        }
    }
}

// After a command: only blanks, then ';', a newline, '}', '#' or the end.
static void command_end(void)
{
    skip_spaces();
    if (*sp == ';' || *sp == '\n')
        sp++;
    else if (*sp && *sp != '}' && *sp != '#')
        bad_script("extra characters after command");
}

// Parses the command's letter and arguments into c.
static void parse_command(struct cmd *c, size_t *open, size_t *nopen)
{
    c->name = *sp ? *sp++ : 0;
    switch (c->name) {
    case 's': parse_s(c); break;
    case 'y': parse_y(c); break;
    case 'p': case 'd': case 'q': case '=': case 'n': case 'N': case 'P': case 'D':
    case 'h': case 'H': case 'g': case 'G': case 'x': break;
    case 'a': case 'i': case 'c':
        parse_text(c);
        return;
    case ':': case 'b': case 't': case 'T':
        if (c->name == ':' && c->a1.type != A_NONE)
            bad_script(": doesn't want any addresses");
        parse_label(c);
        break;
    case '{':
        open[(*nopen)++] = ncmds;
        return;
    case '}':
        if (*nopen == 0 || c->a1.type != A_NONE)
            bad_script("unexpected `}'");
        cmds[open[--(*nopen)]].end = ncmds;
        break;
    case 0: bad_script("missing command");
    default: {
        static char msg[] = "unknown command: `?'";
        msg[sizeof msg - 3] = c->name;
        sp--;
        bad_script(msg);
    }
    }
    command_end();
}

// Parses the whole script into cmds.
void sed_parse(const char *text)
{
    script = text;
    size_t cap = 16, *open = sed_alloc(strlen(script) * sizeof(*open) + 1), nopen = 0;
    cmds = sed_alloc(cap * sizeof(*cmds));
    for (sp = script;;) {
        while (*sp == ' ' || *sp == '\t' || *sp == '\n' || *sp == ';')
            sp++;
        if (*sp == '#') {
            sp += strcspn(sp, "\n");
            continue;
        }
        if (!*sp)
            break;
        if (ncmds == cap)
            cmds = realloc(cmds, (cap *= 2) * sizeof(*cmds));
        if (!cmds)
            bad_script("out of memory");
        struct cmd *c = &cmds[ncmds];
        memset(c, 0, sizeof(*c));
        parse_addr(&c->a1);
        if (c->a1.type != A_NONE && *sp == ',') {
            sp++;
            parse_addr(&c->a2);
            if (c->a2.type == A_NONE)
                bad_script("unexpected `,'");
        }
        skip_spaces();
        while (*sp == '!')
            c->neg = 1, sp++, skip_spaces();
        parse_command(c, open, &nopen);
        ncmds++;
    }
    if (nopen)
        bad_script("unmatched `{'");
    free(open);
    resolve_labels();
}

