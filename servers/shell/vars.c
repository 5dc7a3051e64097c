// Shell variables. Each has a name, a value and an exported flag; the
// exported ones make up the environment of the programs the shell starts.
// The shell's own environment is imported (and exported) at start.
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <stdio.h>
#include <unistd.h>
#include "shell.h"

struct var {
    char *name, *value;     // value NULL: declared by `export NAME` only
    int exported;
};

static struct var *vars;
static int nvars;

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        abort();
    return d;
}

int valid_name(const char *s, size_t len)
{
    if (!len || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return 0;
    for (size_t i = 1; i < len; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
            return 0;
    return 1;
}

static struct var *find(const char *name)
{
    for (int i = 0; i < nvars; i++)
        if (!strcmp(vars[i].name, name))
            return &vars[i];
    return NULL;
}

// Finds a variable or adds an unset, unexported one.
static struct var *find_or_add(const char *name)
{
    struct var *v = find(name);
    if (v)
        return v;
    struct var *nv = realloc(vars, (size_t)(nvars + 1) * sizeof *vars);
    if (!nv)
        abort();
    vars = nv;
    v = &vars[nvars++];
    *v = (struct var){ xstrdup(name), NULL, 0 };
    return v;
}

// Imports NAME=value strings as exported variables.
void vars_init(char **env)
{
    for (; env && *env; env++) {
        const char *eq = strchr(*env, '=');
        if (!eq || !valid_name(*env, (size_t)(eq - *env)))
            continue;
        char *name = strndup(*env, (size_t)(eq - *env));
        if (!name)
            abort();
        var_set(name, eq + 1);
        var_export(name);
        free(name);
    }
}

const char *var_get(const char *name)
{
    struct var *v = find(name);
    return v ? v->value : NULL;
}

int var_set(const char *name, const char *value)
{
    if (!valid_name(name, strlen(name)))
        return -1;
    struct var *v = find_or_add(name);
    free(v->value);
    v->value = xstrdup(value);
    return 0;
}

int var_export(const char *name)
{
    if (!valid_name(name, strlen(name)))
        return -1;
    find_or_add(name)->exported = 1;
    return 0;
}

void var_unset(const char *name)
{
    struct var *v = find(name);
    if (!v)
        return;
    free(v->name);
    free(v->value);
    *v = vars[--nvars];
}

// Is NAME=... among the extra assignments?
static int overridden(const char *name, char **extra, int nextra)
{
    size_t n = strlen(name);
    for (int i = 0; i < nextra; i++)
        if (!strncmp(extra[i], name, n) && extra[i][n] == '=')
            return 1;
    return 0;
}

static char *join(const char *name, const char *value)
{
    size_t n = strlen(name), m = strlen(value);
    char *s = malloc(n + m + 2);
    if (!s)
        abort();
    memcpy(s, name, n);
    s[n] = '=';
    memcpy(s + n + 1, value, m + 1);
    return s;
}

char **build_envp(char **extra, int nextra)
{
    char **env = malloc((size_t)(nvars + nextra + 1) * sizeof *env);
    int n = 0;
    if (!env)
        abort();
    for (int i = 0; i < nvars; i++)
        if (vars[i].exported && vars[i].value && !overridden(vars[i].name, extra, nextra))
            env[n++] = join(vars[i].name, vars[i].value);
    for (int i = 0; i < nextra; i++)
        env[n++] = xstrdup(extra[i]);
    env[n] = NULL;
    return env;
}

void free_envp(char **envp)
{
    for (char **e = envp; *e; e++)
        free(*e);
    free(envp);
}

// `export` with no arguments: lists the exported variables.
void vars_print_exported(int fd)
{
    for (int i = 0; i < nvars; i++)
        if (vars[i].exported)
            fdprintf(fd, "export %s%s%s\n", vars[i].name,
                     vars[i].value ? "=" : "", vars[i].value ? vars[i].value : "");
}

int var_is_exported(const char *name)
{
    struct var *v = find(name);
    return v && v->exported;
}

void vars_each(void (*fn)(const char *name, const char *value, int exported, void *ctx), void *ctx)
{
    for (int i = 0; i < nvars; i++)
        fn(vars[i].name, vars[i].value, vars[i].exported, ctx);
}

// ---- local variables: each function call has a frame of saved values ----

struct saved_var {
    char *name, *value;     // value NULL: was unset
    int exported;
    int frame;
};
static struct saved_var *saved;
static int nsaved, frame;

void vars_push_frame(void) { frame++; }

// local NAME: the variable's value is saved, to be put back when the
// function returns.
void var_local(const char *name)
{
    if (!frame)
        return;
    for (int i = 0; i < nsaved; i++)
        if (saved[i].frame == frame && !strcmp(saved[i].name, name))
            return;
    if (!(saved = realloc(saved, (size_t)(nsaved + 1) * sizeof *saved)))
        abort();
    struct var *v = find(name);
    saved[nsaved++] = (struct saved_var){ xstrdup(name), v && v->value ? xstrdup(v->value) : NULL,
                                          v && v->exported, frame };
}

void vars_pop_frame(void)
{
    while (nsaved && saved[nsaved - 1].frame == frame) {
        struct saved_var *s = &saved[--nsaved];
        if (s->value) {
            var_set(s->name, s->value);
            if (s->exported)
                var_export(s->name);
        } else {
            var_unset(s->name);
        }
        free(s->name);
        free(s->value);
    }
    frame--;
}

// ---- positional parameters ----

char *arg0;
char **posv;
int posc;

char **strv_copy(char **v, int n)
{
    char **c = calloc((size_t)n + 1, sizeof(char *));
    if (!c)
        abort();
    for (int i = 0; i < n; i++)
        c[i] = xstrdup(v[i]);
    return c;
}

void pos_set(char **argv, int argc)
{
    char **old = posv;
    int oldc = posc;
    posv = strv_copy(argv, argc);
    posc = argc;
    for (int i = 0; i < oldc; i++)
        free(old[i]);
    free(old);
}

void pos_swap(char ***v, int *c)
{
    char **tv = posv;
    int tc = posc;
    posv = *v;
    posc = *c;
    *v = tv;
    *c = tc;
}

// `set` without arguments: every variable, quoted so it can be read back.
void vars_print_all(int fd)
{
    for (int i = 0; i < nvars; i++) {
        if (!vars[i].value)
            continue;
        fdprintf(fd, "%s='", vars[i].name);
        for (const char *s = vars[i].value; *s; s++)
            fdprintf(fd, *s == '\'' ? "'\\''" : "%c", *s);
        fdprintf(fd, "'\n");
    }
}
