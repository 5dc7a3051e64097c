// wordexp and wordfree over the shell (newlib's need bash --wordexp and
// fork). The words are checked here for the characters POSIX forbids
// unquoted (| & ; < > ( ) { } newline: WRDE_BADCHAR) and, under
// WRDE_NOCMD, for command substitution (WRDE_CMDSUB); then
//     sh -c "printf '%s\0' x WORDS"
// expands them (parameters, $(...), $((...)), ~, globbing, field
// splitting, quote removal: all the shell's own rules) and prints each
// resulting field followed by a NUL; the leading x keeps an expansion to
// no fields apart from one empty field. A non-zero exit of the shell gives
// WRDE_BADVAL under WRDE_UNDEF (which runs "set -u" first), else
// WRDE_SYNTAX. The shell's standard error is the caller's under
// WRDE_SHOWERR and closed otherwise.
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wordexp.h>
#include <sys/wait.h>
#include "osapi.h"

pid_t spawn_own_pgid(void);
extern char **environ;

// Skips a $( ... ) or $(( ... )) starting at s[i] == '$'; the index of the
// closing parenthesis, or -1 when it is missing.
static long skip_subst(const char *s, long i)
{
    int depth = 0;
    for (i++; s[i]; i++) {
        if (s[i] == '\'') {
            const char *end = strchr(s + i + 1, '\'');
            if (!end)
                return -1;
            i = end - s;
        } else if (s[i] == '(') {
            depth++;
        } else if (s[i] == ')' && --depth == 0) {
            return i;
        }
    }
    return -1;
}

// The index of the quote closing the one at s[i] (same character), or -1.
static long closing(const char *s, long i)
{
    const char *end = strchr(s + i + 1, s[i]);
    return end ? end - s : -1;
}

// WRDE_BADCHAR, WRDE_CMDSUB, WRDE_SYNTAX or 0 for the words as written.
static int words_check(const char *s, int flags)
{
    int dq = 0;
    for (long i = 0; s[i]; i++) {
        char c = s[i];
        int cmd = c == '`' || (c == '$' && s[i + 1] == '(' && s[i + 2] != '(');
        if (cmd && (flags & WRDE_NOCMD))
            return WRDE_CMDSUB;
        if (c == '\\' && s[i + 1])
            i++;
        else if ((c == '\'' && !dq) || c == '`')
            i = closing(s, i);
        else if (c == '"')
            dq = !dq;
        else if (c == '$' && s[i + 1] == '(')
            i = skip_subst(s, i);
        else if (!dq && strchr("|&;<>(){}\n", c))
            return WRDE_BADCHAR;
        if (i < 0)
            return WRDE_SYNTAX;
    }
    return dq ? WRDE_SYNTAX : 0;
}

// Reads fd to its end into a malloc'd buffer; its length, or -1.
static long read_all(int fd, char **out)
{
    size_t len = 0, cap = 256;
    char *buf = malloc(cap);
    for (ssize_t n = 1; buf && n > 0;) {
        if (len == cap) {
            char *bigger = realloc(buf, cap *= 2);
            if (!bigger)
                break;
            buf = bigger;
        }
        n = read(fd, buf + len, cap - len);
        if (n < 0) {
            free(buf);
            return -1;
        }
        len += (size_t)n;
        if (n == 0) {
            *out = buf;
            return (long)len;
        }
    }
    free(buf);
    return -1;
}

// Runs the shell over words; its output in *out (length returned) and
// its wait status in *status. -1 when it could not be run.
static long shell_expand(const char *words, int flags, char **out, int *status)
{
    const char *prefix = (flags & WRDE_UNDEF) ? "set -u; printf '%s\\0' x " : "printf '%s\\0' x ";
    char *script = malloc(strlen(prefix) + strlen(words) + 1);
    int p[2];
    if (!script || pipe(p) < 0) {
        free(script);
        return -1;
    }
    strcat(strcpy(script, prefix), words);
    char *argv[] = { "sh", "-c", script, NULL };
    int fds[3] = { -1, p[1], (flags & WRDE_SHOWERR) ? 2 : -1 };
    const char *sh = access("/bin/sh", X_OK) == 0 ? "/bin/sh" : "/boot/bin/sh";
    pid_t pid = os_spawn(sh, argv, environ, fds, 0, spawn_own_pgid());
    close(p[1]);
    free(script);
    long n = pid < 0 ? -1 : read_all(p[0], out);
    close(p[0]);
    if (pid >= 0 && waitpid(pid, status, 0) < 0)
        *status = -1;
    if (pid >= 0 && n < 0)
        return -1;
    return pid < 0 ? -1 : n;
}

// Appends the NUL-ended fields of buf (after the first) to we.
static int words_store(wordexp_t *we, const char *buf, long len, int flags)
{
    size_t n = 0, offs = (flags & WRDE_DOOFFS) ? we->we_offs : 0;
    for (long i = 0; i < len; i++)
        n += buf[i] == 0;
    n = n ? n - 1 : 0;                       // the leading x
    size_t old = (flags & WRDE_APPEND) ? we->we_wordc : 0;
    char **v = realloc((flags & WRDE_APPEND) ? we->we_wordv : NULL, (offs + old + n + 1) * sizeof(*v));
    if (!v)
        return WRDE_NOSPACE;
    for (size_t i = 0; i < offs && !(flags & WRDE_APPEND); i++)
        v[i] = NULL;
    const char *p = buf + strlen(buf) + 1;
    we->we_wordv = v;
    we->we_wordc = old;
    for (size_t i = 0; i < n; i++, p += strlen(p) + 1) {
        v[offs + old + i] = strdup(p);
        if (!v[offs + old + i])
            return WRDE_NOSPACE;             // wordfree frees what was stored
        we->we_wordc++;
        v[offs + old + i + 1] = NULL;
    }
    v[offs + old + n] = NULL;
    return 0;
}

int wordexp(const char *__restrict words, wordexp_t *__restrict we, int flags)
{
    char *out = NULL;
    int status = 0, saved = errno;
    if (flags & WRDE_REUSE)
        wordfree(we);
    if (!(flags & WRDE_APPEND)) {
        we->we_wordc = 0;
        we->we_wordv = NULL;
        if (!(flags & WRDE_DOOFFS))
            we->we_offs = 0;
    }
    int e = words_check(words, flags);
    if (e)
        return e;
    long len = shell_expand(words, flags, &out, &status);
    errno = saved;
    if (len < 0)
        return WRDE_NOSPACE;
    if (!WIFEXITED(status) || WEXITSTATUS(status) || len == 0 || out[len - 1]) {
        free(out);
        return (flags & WRDE_UNDEF) ? WRDE_BADVAL : WRDE_SYNTAX;
    }
    e = words_store(we, out, len, flags);
    free(out);
    return e;
}

void wordfree(wordexp_t *we)
{
    if (!we || !we->we_wordv)
        return;
    for (size_t i = we->we_offs; i < we->we_offs + we->we_wordc; i++)
        free(we->we_wordv[i]);
    free(we->we_wordv);
    we->we_wordv = NULL;
    we->we_wordc = 0;
}
