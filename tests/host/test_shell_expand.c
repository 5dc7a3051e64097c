// Host tests for word expansion (servers/shell/expand.c, param.c with
// lex.c, arith.c and vars.c): parameters and their ${...} forms, field
// splitting on IFS, "$@", quote removal, globbing in a scratch folder,
// patterns for case, here-document bodies. $(...) is stubbed: it returns
// "<" + the command + ">" and two newlines, which expansion must strip.
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lex.c"
#include "arith.c"
#include "vars.c"
#include "param.c"
#include "expand.c"
#include "check.h"

int last_status = 3, subst_status;
pid_t last_bg_pid, shell_pid = 77;
int opt_e, opt_x, opt_u, opt_f;
static int errors;

void fdprintf(int fd, const char *fmt, ...) { (void)fd, (void)fmt; errors++; }
void err_prefix(void) {}

char *command_output(const char *text)
{
    char *s = malloc(strlen(text) + 5);
    sprintf(s, "<%s>", text);
    return s;
}

// The fields of raw words, joined with '|'.
static const char *F(const char *raw)
{
    static char out[1024];
    struct strv sv = { 0 };
    char *w[] = { (char *)raw };
    out[0] = 0;
    if (expand_fields(w, 1, &sv))
        return "ERROR";
    for (int i = 0; i < sv.n; i++) {
        if (i)
            strcat(out, "|");
        strcat(out, sv.v[i]);
    }
    strv_free(&sv);
    return out;
}

static const char *S(const char *raw)
{
    static char *last;
    free(last);
    return last = expand_str(raw);
}

static void setup(void)
{
    static char *args[] = { "one", "two words", "" };
    var_set("x", "abc");
    var_set("sp", "  a  b  ");
    var_set("e", "");
    var_set("HOME", "/home/u");
    var_set("file", "archive.tar.gz");
    var_unset("IFS");
    var_unset("u");
    pos_set(args, 3);
    free(arg0);
    arg0 = strdup("sh");
}

TEST(parameters)
{
    setup();
    CHECK_STR(F("${x}y"), "abcy");
    CHECK_STR(S("$? $$ $# $0 $1"), "3 77 3 sh one");
    CHECK_STR(S("${#x} ${#1} ${#}"), "3 3 3");
    CHECK_STR(S("$u-${u}-${u-dflt}-${u:-dflt}-${e-set}-${e:-empty}"), "--dflt-dflt--empty");
    CHECK_STR(S("${x+alt}-${u+alt}-${e:+alt}-${x:+alt}"), "alt---alt");
    CHECK_STR(S("${u=new} $u"), "new new");
    CHECK_STR(S("${file%.*} ${file%%.*} ${file#*.} ${file##*.}"), "archive.tar archive tar.gz gz");
    CHECK_STR(S("${file%\"*\"}"), "archive.tar.gz");        // a quoted * is literal
    CHECK_STR(S("${x#\"a\"}"), "bc");
    CHECK_STR(S("$ lone $"), "$ lone $");
    CHECK_STR(S("~/f ~ a~"), "/home/u/f ~ a~");
    CHECK_STR(S("$((1 + 2 * $#))"), "7");
}

TEST(parameter_errors)
{
    setup();
    errors = 0;
    CHECK_STR(F("${u?not here}"), "ERROR");
    CHECK_EQ(errors, 1);
    CHECK_STR(F("${x!}"), "ERROR");
    opt_u = 1;
    CHECK_STR(F("$u"), "ERROR");
    CHECK_STR(F("${u:-fine}"), "fine");
    CHECK_STR(F("$@"), "one|two|words");
    opt_u = 0;
}

TEST(splitting_and_quotes)
{
    setup();
    CHECK_STR(F("$sp"), "a|b");
    CHECK_STR(F("\"$sp\""), "  a  b  ");
    CHECK_STR(F("x${sp}y"), "x|a|b|y");
    CHECK_STR(F("$e"), "");
    CHECK_STR(F("\"$e\""), "");
    CHECK_EQ(strlen(F("''")), 0);
    CHECK_STR(F("'a  b'\"c  $x\"\\ d"), "a  bc  abc d");
    CHECK_STR(F("\"a\\$x\\\"\\q\""), "a$x\"\\q");
    var_set("IFS", ":");
    var_set("p", "a:b::c:");
    CHECK_STR(F("$p"), "a|b||c");
    var_set("IFS", "");
    CHECK_STR(F("$sp"), "  a  b  ");
    var_unset("IFS");
}

TEST(positional_lists)
{
    setup();
    CHECK_STR(F("\"$@\""), "one|two words|");
    CHECK_STR(F("\"[$@]\""), "[one|two words|]");
    CHECK_STR(F("$@"), "one|two|words");
    CHECK_STR(F("\"$*\""), "one two words ");
    CHECK_STR(S("$@"), "one two words ");      // an assignment joins them
    pos_set(NULL, 0);
    struct strv sv = { 0 };
    char *w[] = { "\"$@\"" };
    expand_fields(w, 1, &sv);
    CHECK_EQ(sv.n, 0);                        // "$@" with no parameters: no field
    strv_free(&sv);
}

TEST(command_substitution)
{
    setup();
    CHECK_STR(F("$(echo hi)"), "<echo|hi>");
    CHECK_STR(F("\"$(echo hi)\""), "<echo hi>");
    CHECK_STR(F("`echo \\`x\\``"), "<echo|`x`>");
}

TEST(globbing)
{
    char dir[] = "/tmp/shglobXXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char old[512];
    CHECK(getcwd(old, sizeof old) != NULL);
    CHECK_EQ(chdir(dir), 0);
    const char *names[] = { "a.c", "b.c", "c.h", ".hidden.c", "x y.c" };
    for (int i = 0; i < 5; i++)
        fclose(fopen(names[i], "w"));
    mkdir("sub", 0755);
    setup();
    CHECK_STR(F("*.c"), "a.c|b.c|x y.c");
    CHECK_STR(F("?.[ch]"), "a.c|b.c|c.h");
    CHECK_STR(F("[!a]*.c"), "b.c|x y.c");
    CHECK_STR(F("\"*\".c"), "*.c");
    CHECK_STR(F("\\*.c"), "*.c");
    CHECK_STR(F("*.none"), "*.none");
    CHECK_STR(F("s*/"), "sub/");
    var_set("pat", "*.h");
    CHECK_STR(F("$pat"), "c.h");
    CHECK_STR(F("\"$pat\""), "*.h");
    opt_f = 1;
    CHECK_STR(F("*.c"), "*.c");
    opt_f = 0;
    for (int i = 0; i < 5; i++)
        unlink(names[i]);
    rmdir("sub");
    CHECK_EQ(chdir(old), 0);
    rmdir(dir);
}

TEST(patterns_and_heredocs)
{
    setup();
    char *p = expand_pattern("a*\"*\"[x]'?'$x");
    CHECK_STR(p, "a*\\*[x]\\?abc");
    free(p);
    char *h = expand_heredoc("x=$x '$x' \\$x \"q\" $((2+3))\\\nend\n");
    CHECK_STR(h, "x=abc 'abc' $x \"q\" 5end\n");
    free(h);
}
