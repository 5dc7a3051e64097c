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

// Variable lookup for expand_word, with the special parameters.
const char *var_lookup(const char *name, void *ctx)
{
    static char num[24];
    (void)ctx;
    if (!strcmp(name, "?"))
        snprintf(num, sizeof num, "%d", last_status);
    else if (!strcmp(name, "$"))
        snprintf(num, sizeof num, "%d", (int)getpid());
    else if (!strcmp(name, "!"))
        snprintf(num, sizeof num, last_bg_pid ? "%d" : "", (int)last_bg_pid);
    else if (!strcmp(name, "#"))
        return "0";
    else if (!strcmp(name, "0"))
        return "sh";
    else
        return var_get(name);
    return num;
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
