// Host tests for the shell's pure parts: the tokenizer, the parser (as an
// S-expression dump of the tree), syntax errors and incomplete input, and
// $((...)) arithmetic (servers/shell/lex.c, parse.c, arith.c, vars.c).
#include <stdarg.h>
#include "lex.c"
#include "parse.c"
#include "arith.c"
#include "vars.c"
#include "check.h"

int last_status;
pid_t last_bg_pid;

void fdprintf(int fd, const char *fmt, ...)
{
    (void)fd, (void)fmt;
}

// ---- helpers ----

// The token types of a text, one letter each: w word, n newline, | & ; ( )
// A &&, O ||, S ;;, < > D >>, G >&, L <&, C >|, R <>, H <<, T <<-, E end, X error.
static const char *types(const char *line)
{
    static char out[64];
    static const char letters[] = {
        [T_END] = 'E', [T_WORD] = 'w', [T_NEWLINE] = 'n', [T_PIPE] = '|', [T_AND] = 'A',
        [T_OR] = 'O', [T_SEMI] = ';', [T_DSEMI] = 'S', [T_AMP] = '&', [T_LPAREN] = '(',
        [T_RPAREN] = ')', [T_LESS] = '<', [T_GREAT] = '>', [T_DGREAT] = 'D', [T_GREATAND] = 'G',
        [T_LESSAND] = 'L', [T_CLOBBER] = 'C', [T_LESSGREAT] = 'R', [T_DLESS] = 'H',
        [T_DLESSDASH] = 'T', [T_ERROR] = 'X',
    };
    struct lexer lx;
    size_t n = 0;
    lex_init(&lx, line);
    for (;;) {
        struct token t = lex_next(&lx);
        out[n++] = letters[t.type];
        if (t.type == T_END || t.type == T_ERROR || n == sizeof out - 1)
            break;
    }
    out[n] = 0;
    return out;
}

static const char *tok(const char *line, int i)
{
    static char out[128];
    struct lexer lx;
    struct token t;
    lex_init(&lx, line);
    do
        t = lex_next(&lx);
    while (i--);
    snprintf(out, sizeof out, "%.*s", (int)t.len, t.start);
    return out;
}

static char dump_buf[2048];

static void out(const char *fmt, ...)
{
    size_t n = strlen(dump_buf);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dump_buf + n, sizeof dump_buf - n, fmt, ap);
    va_end(ap);
}

static void dump(const struct node *n);

static void dump_words(char **w, int k)
{
    for (int i = 0; i < k; i++)
        out(i ? " %s" : "%s", w[i]);
}

// The tree as an S-expression, e.g. (and (cmd a) (cmd b)).
static void dump(const struct node *n)
{
    static const char *const names[] = {
        [N_CMD] = "cmd", [N_PIPE] = "pipe", [N_AND] = "and", [N_OR] = "or", [N_NOT] = "not",
        [N_SEQ] = "seq", [N_BG] = "bg", [N_SUBSHELL] = "sub", [N_GROUP] = "group", [N_IF] = "if",
        [N_WHILE] = "while", [N_UNTIL] = "until", [N_FOR] = "for", [N_CASE] = "case", [N_FUNC] = "func",
    };
    if (!n) {
        out("-");
        return;
    }
    out("(%s", names[n->type]);
    if (n->type == N_CMD) {
        out(" ");
        dump_words(n->words, n->nwords);
    }
    if (n->name)
        out(" [%s]", n->name);
    if (n->type == N_FOR && n->has_in) {
        out(" in ");
        dump_words(n->words, n->nwords);
    }
    for (int i = 0; i < n->nitems; i++) {
        out(" {");
        dump_words(n->items[i].pats, n->items[i].npats);
        out(": ");
        dump(n->items[i].body);
        out("}");
    }
    for (int i = 0; i < n->nredirs; i++)
        out(" <r%d fd%d %s%s%s>", n->redirs[i].kind, n->redirs[i].fd, n->redirs[i].word,
            n->redirs[i].body ? " body=" : "", n->redirs[i].body ? n->redirs[i].body : "");
    const struct node *kids[] = { n->a, n->b, n->c };
    for (int i = 0; i < 3; i++)
        if (kids[i] || (n->type == N_IF && i == 2 && 0))
            out(" "), dump(kids[i]);
    out(")");
}

static char err[160];

// Parses text completely (at_eof): the dump, or "ERR: reason".
static const char *T(const char *text)
{
    struct node *n;
    dump_buf[0] = 0;
    if (parse_line(text, &n, err, sizeof err))
        return snprintf(dump_buf, sizeof dump_buf, "ERR: %s", err), dump_buf;
    dump(n);
    free_node(n);
    return dump_buf;
}

// What parse_next says of text that more could follow.
static enum parse_result R(const char *text)
{
    struct parser ps;
    struct node *n;
    parser_init(&ps, text, 0, err, sizeof err);
    enum parse_result r = parse_next(&ps, &n);
    free_node(n);
    free(ps.pending);
    return r;
}

static long A(const char *expr)
{
    long v = -999999;
    char e[64];
    if (arith_eval(expr, &v, e, sizeof e))
        return -999999;
    return v;
}

// ---- lexer ----

TEST(operators)
{
    CHECK_STR(types(""), "E");
    CHECK_STR(types("a|b||c&&d;e&f"), "w|wOwAw;w&wE");
    CHECK_STR(types("a<b>c>>d>&e<&f>|g<>h"), "w<w>wDwGwLwCwRwE");
    CHECK_STR(types("cat <<E <<-F"), "wHwTwE");
    CHECK_STR(types("(a);;b\nc"), "(w)SwnwE");
    CHECK_STR(types("2>err 1>&2"), ">wGwE");
}

TEST(words)
{
    CHECK_STR(types("echo 'a b' \"c d\" e\\ f"), "wwwwE");
    CHECK_STR(tok("echo 'a b' \"c d\" e\\ f", 3), "e\\ f");
    CHECK_STR(types("'a|b'\"c;d\"e\\&f"), "wE");
    CHECK_STR(tok("echo $(a | b; c) x", 1), "$(a | b; c)");
    CHECK_STR(tok("echo $((1 + (2*3))) x", 1), "$((1 + (2*3)))");
    CHECK_STR(tok("echo `a | b` x", 1), "`a | b`");
    CHECK_STR(tok("echo ${x:-a b} x", 1), "${x:-a b}");
    CHECK_STR(tok("echo \"$(echo \")\")\" x", 1), "\"$(echo \")\")\"");
    CHECK_STR(types("echo a # comment | x"), "wwE");
    CHECK_STR(types("echo a\\\nb"), "wwE");
}

TEST(lex_errors)
{
    CHECK_STR(types("echo 'abc"), "wX");
    CHECK_STR(types("echo \"abc"), "wX");
    CHECK_STR(types("echo $(abc"), "wX");
    CHECK_STR(types("echo ${abc"), "wX");
    CHECK_STR(types("echo `abc"), "wX");
}

// ---- parser ----

TEST(simple_lists)
{
    CHECK_STR(T("a b c"), "(cmd a b c)");
    CHECK_STR(T("a | b | c"), "(pipe (pipe (cmd a) (cmd b)) (cmd c))");
    CHECK_STR(T("a && b || c"), "(or (and (cmd a) (cmd b)) (cmd c))");
    CHECK_STR(T("a; b & c"), "(seq (seq (cmd a) (bg (cmd b))) (cmd c))");
    CHECK_STR(T("! a | b"), "(not (pipe (cmd a) (cmd b)))");
    CHECK_STR(T("X=1 Y=2 cmd"), "(cmd X=1 Y=2 cmd)");
    CHECK_STR(T("a\nb\n"), "(seq (cmd a) (cmd b))");
    CHECK_STR(T("a |\n b"), "(pipe (cmd a) (cmd b))");
}

TEST(redirections)
{
    CHECK_STR(T("a > f 2>&1 < g"), "(cmd a <r1 fd1 f> <r6 fd2 1> <r0 fd0 g>)");
    CHECK_STR(T("a >> f 3<> g >| h <&0"), "(cmd a <r2 fd1 f> <r4 fd3 g> <r3 fd1 h> <r5 fd0 0>)");
    CHECK_STR(T("cat <<E\nhello $x\nE\n"), "(cmd cat <r7 fd0 E body=hello $x\n>)");
    CHECK_STR(T("cat <<-'E'\n\tone\n\tE\necho"), "(seq (cmd cat <r7 fd0 E body=one\n>) (cmd echo))");
    CHECK_STR(T("cat <<A <<B\na\nA\nb\nB\n"), "(cmd cat <r7 fd0 A body=a\n> <r7 fd0 B body=b\n>)");
}

TEST(compound)
{
    CHECK_STR(T("if a; then b; fi"), "(if (cmd a) (cmd b))");
    CHECK_STR(T("if a; then b; elif c; then d; else e; fi"), "(if (cmd a) (cmd b) (if (cmd c) (cmd d) (cmd e)))");
    CHECK_STR(T("while a\ndo\n b\ndone"), "(while (cmd a) (cmd b))");
    CHECK_STR(T("until a; do b; done > f"), "(until <r1 fd1 f> (cmd a) (cmd b))");
    CHECK_STR(T("for x in 1 2; do echo $x; done"), "(for [x] in 1 2 (cmd echo $x))");
    CHECK_STR(T("for x; do echo; done"), "(for [x] (cmd echo))");
    CHECK_STR(T("case $a in x|y) b;; (*) c;; esac"), "(case [$a] {x y: (cmd b)} {*: (cmd c)})");
    CHECK_STR(T("case a in\n x) ;;\nesac"), "(case [a] {x: -})");
    CHECK_STR(T("{ a; b; }"), "(group (seq (cmd a) (cmd b)))");
    CHECK_STR(T("(a; b) | c"), "(pipe (sub [a; b] (seq (cmd a) (cmd b))) (cmd c))");
    CHECK_STR(T("f() { echo hi; }"), "(func [f] (group (cmd echo hi)))");
    CHECK_STR(T("f ()\n{\n a\n}"), "(func [f] (group (cmd a)))");
    CHECK_STR(T("echo if then"), "(cmd echo if then)");
}

TEST(syntax_errors)
{
    CHECK_STR(T("if a; b; fi"), "ERR: expected 'then'");
    CHECK_STR(T("if a; then b"), "ERR: expected 'fi'");
    CHECK_STR(T("while a; b; done"), "ERR: expected 'do'");
    CHECK_STR(T("for 1 in a; do b; done"), "ERR: expected a variable name after 'for'");
    CHECK_STR(T("case a in x) b; esa"), "ERR: expected ';;' or 'esac'");
    CHECK_STR(T("{ a"), "ERR: expected '}'");
    CHECK_STR(T("(a"), "ERR: expected ')'");
    CHECK_STR(T("a |"), "ERR: expected a command");
    CHECK_STR(T("| a"), "ERR: unexpected '|'");
    CHECK_STR(T("a > "), "ERR: expected a file name after '>'");
    CHECK_STR(T("fi"), "ERR: unexpected 'fi'");
    CHECK_STR(T("a && && b"), "ERR: unexpected '&&'");
    CHECK_STR(T("echo 'x"), "ERR: unterminated '");
    CHECK_STR(T("then"), "ERR: unexpected 'then'");
}

TEST(incomplete_input)
{
    CHECK_EQ(R("if true\n"), P_MORE);
    CHECK_EQ(R("if true; then\n echo\n"), P_MORE);
    CHECK_EQ(R("echo 'abc\n"), P_MORE);
    CHECK_EQ(R("cat <<E\nline\n"), P_MORE);
    CHECK_EQ(R("f() {\n"), P_MORE);
    CHECK_EQ(R("a |\n"), P_MORE);
    CHECK_EQ(R("if true; then echo; fi\n"), P_OK);
    CHECK_EQ(R("fi\n"), P_ERR);
    CHECK_EQ(R("\n\n"), P_EOF);
}

TEST(line_numbers)
{
    struct parser ps;
    struct node *n;
    parser_init(&ps, "a\n\nb\nif x\nthen y; fi\n", 1, err, sizeof err);
    CHECK_EQ(parse_next(&ps, &n), P_OK);
    CHECK_EQ(n->line, 1);
    free_node(n);
    CHECK_EQ(parse_next(&ps, &n), P_OK);
    CHECK_EQ(n->line, 3);
    free_node(n);
    CHECK_EQ(parse_next(&ps, &n), P_OK);
    CHECK_EQ(n->line, 4);
    free_node(n);
    CHECK_EQ(parse_next(&ps, &n), P_EOF);
    free(ps.pending);
    parser_init(&ps, "a\nif x; y; fi\n", 1, err, sizeof err);
    parse_next(&ps, &n);
    free_node(n);
    CHECK_EQ(parse_next(&ps, &n), P_ERR);
    CHECK_EQ(parser_line(&ps), 2);
    free(ps.pending);
}

// ---- arithmetic ----

TEST(arithmetic)
{
    CHECK_EQ(A("1 + 2 * 3"), 7);
    CHECK_EQ(A("(1 + 2) * 3"), 9);
    CHECK_EQ(A("-7 / 2"), -3);
    CHECK_EQ(A("-7 % 2"), -1);
    CHECK_EQ(A("1 << 10 | 3"), 1027);
    CHECK_EQ(A("6 & 3 ^ 1"), 3);
    CHECK_EQ(A("!0 + ~0"), 0);
    CHECK_EQ(A("3 > 2 && 2 >= 2 && 1 < 2 && 2 <= 2 && 1 != 2 && 2 == 2"), 1);
    CHECK_EQ(A("0 || 0"), 0);
    CHECK_EQ(A("1 ? 10 : 20"), 10);
    CHECK_EQ(A("0 ? 10 : 0 ? 20 : 30"), 30);
    CHECK_EQ(A("0x1f + 010"), 39);
    CHECK_EQ(A(""), 0);
    CHECK_EQ(A("1 / 0"), -999999);
    CHECK_EQ(A("1 +"), -999999);
    CHECK_EQ(A("(1"), -999999);
    CHECK_EQ(A("0 && 1 / 0"), 0);
}

TEST(arithmetic_variables)
{
    var_set("n", "5");
    CHECK_EQ(A("n * 2"), 10);
    CHECK_EQ(A("n += 3"), 8);
    CHECK_STR(var_get("n"), "8");
    CHECK_EQ(A("m = n - 1"), 7);
    CHECK_STR(var_get("m"), "7");
    CHECK_EQ(A("unset_var + 1"), 1);
    CHECK_EQ(A("n <<= 1"), 16);
    CHECK_EQ(A("0 && (n = 100)"), 0);
    CHECK_STR(var_get("n"), "16");
    var_set("s", "abc");
    CHECK_EQ(A("s + 1"), -999999);
}
