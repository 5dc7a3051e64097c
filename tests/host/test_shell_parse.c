// Host tests for the shell's tokenizer, word expansion and parser
// (servers/shell/lex.c and parse.c, which do no I/O).
#include "lex.c"
#include "parse.c"
#include "check.h"

// ---- helpers ----

// The token types of a line, as a string of one letter each:
// w word, | & ; < > and: A &&, O ||, D >>, G >&, E end, X error.
static const char *types(const char *line)
{
    static char out[64];
    static const char letters[] = {
        [T_END] = 'E', [T_WORD] = 'w', [T_PIPE] = '|', [T_AND] = 'A', [T_OR] = 'O',
        [T_SEMI] = ';', [T_AMP] = '&', [T_LESS] = '<', [T_GREAT] = '>',
        [T_DGREAT] = 'D', [T_GREATAND] = 'G', [T_ERROR] = 'X',
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

// The i-th token's text.
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

// The lexer's error for a line, or "" if none.
static const char *lex_error(const char *line)
{
    struct lexer lx;
    lex_init(&lx, line);
    while (lex_next(&lx).type != T_END)
        if (lx.err)
            return lx.err;
    return "";
}

static const char *fake_lookup(const char *name, void *ctx)
{
    (void)ctx;
    if (!strcmp(name, "X")) return "ex";
    if (!strcmp(name, "LONG_NAME_1")) return "long";
    if (!strcmp(name, "SP")) return "a b";
    if (!strcmp(name, "?")) return "3";
    if (!strcmp(name, "$")) return "77";
    if (!strcmp(name, "HOME")) return "/home/u";
    return NULL;
}

static int quoted;

// Expands a raw word with fake_lookup; the result stays valid until the
// next call.
static const char *X(const char *raw)
{
    static char *last;
    free(last);
    last = expand_word(raw, fake_lookup, NULL, &quoted);
    return last;
}

static struct cmdlist L;
static char err[128];

// Parses a line into L (freeing the previous); returns parse_line's result.
static int P(const char *line)
{
    free_cmdlist(&L);
    return parse_line(line, &L, err, sizeof err);
}

#define CMD(i, p, c) (&L.items[i].pipes[p].cmds[c])

// ---- lexer ----

TEST(operators)
{
    CHECK_STR(types(""), "E");
    CHECK_STR(types("   \t "), "E");
    CHECK_STR(types("a|b||c&&d;e&f"), "w|wOwAw;w&wE");
    CHECK_STR(types("a<b>c>>d>&e"), "w<w>wDwGwE");
    CHECK_STR(types("a | b"), "w|wE");
    CHECK_STR(types("|||"), "O|E");
    CHECK_STR(types(";;"), ";;E");
    CHECK_STR(types("&&&"), "A&E");
}

TEST(words)
{
    CHECK_STR(types("echo hello   world"), "wwwE");
    CHECK_STR(tok("echo hello   world", 2), "world");
    CHECK_STR(types("echo 'a b' \"c d\" e\\ f"), "wwwwE");
    CHECK_STR(tok("echo 'a b' \"c d\" e\\ f", 1), "'a b'");
    CHECK_STR(tok("echo 'a b' \"c d\" e\\ f", 2), "\"c d\"");
    CHECK_STR(tok("echo 'a b' \"c d\" e\\ f", 3), "e\\ f");
    CHECK_STR(types("'a|b'\"c;d\"e\\&f"), "wE");       // quoted operators stay in the word
    CHECK_STR(types("x'a'\"b\"y"), "wE");
    CHECK_STR(types("echo ${A} $B"), "wwwE");
    CHECK_STR(tok("a=\"1 2\"", 0), "a=\"1 2\"");
    CHECK_STR(types("echo \"${X}|\""), "wwE");
}

TEST(comments)
{
    CHECK_STR(types("# all comment"), "E");
    CHECK_STR(types("echo a # b | c"), "wwE");
    CHECK_STR(types("echo a#b"), "wwE");                 // # inside a word is not a comment
    CHECK_STR(types("echo '#'"), "wwE");
}

TEST(io_numbers)
{
    struct lexer lx;
    lex_init(&lx, "cmd 2>err 1>>out 0<in 2>&1 x2>y");
    CHECK_EQ(lex_next(&lx).type, T_WORD);
    struct token t = lex_next(&lx);
    CHECK_EQ(t.type, T_GREAT);
    CHECK_EQ(t.fd, 2);
    CHECK_EQ(lex_next(&lx).type, T_WORD);
    t = lex_next(&lx);
    CHECK_EQ(t.type, T_DGREAT);
    CHECK_EQ(t.fd, 1);
    lex_next(&lx);
    t = lex_next(&lx);
    CHECK_EQ(t.type, T_LESS);
    CHECK_EQ(t.fd, 0);
    lex_next(&lx);
    t = lex_next(&lx);
    CHECK_EQ(t.type, T_GREATAND);
    CHECK_EQ(t.fd, 2);
    CHECK_STR(tok("cmd 2>err 1>>out 0<in 2>&1 x2>y", 7), "2>&");
    CHECK_STR(tok("cmd 2>err 1>>out 0<in 2>&1 x2>y", 8), "1");
    CHECK_STR(tok("cmd 2>err 1>>out 0<in 2>&1 x2>y", 9), "x2");   // not an io number
    t = lex_next(&lx);
    t = lex_next(&lx);
    t = lex_next(&lx);
    CHECK_EQ(t.type, T_GREAT);
    CHECK_EQ(t.fd, -1);
    CHECK_STR(types("echo 2 > f"), "ww>wE");             // "2 >" is a word and an operator
}

TEST(lex_errors)
{
    CHECK_STR(lex_error("echo 'abc"), "unterminated '");
    CHECK_STR(lex_error("echo \"abc"), "unterminated \"");
    CHECK_STR(lex_error("echo \"a\\\""), "unterminated \"");
    CHECK_STR(lex_error("echo ${abc"), "missing '}'");
    CHECK_STR(lex_error("echo \"${abc\""), "missing '}'");
    CHECK_STR(lex_error("echo ${a b}"), "bad substitution");
    CHECK_STR(lex_error("echo ${}"), "bad substitution");
    CHECK_STR(lex_error("echo ${1a}"), "bad substitution");
    CHECK_STR(lex_error("echo ${?} ${A_1} '\"' \"'\" \\' \\\""), "");
    CHECK_STR(lex_error("echo trailing\\"), "");
    CHECK_STR(types("a 'b"), "wX");
    struct lexer lx;
    lex_init(&lx, "'");
    CHECK_EQ(lex_next(&lx).type, T_ERROR);
    CHECK_EQ(lex_next(&lx).type, T_ERROR);               // it stays failed
}

TEST(assignment_names)
{
    CHECK_EQ(assignment_name_len("A=1"), 1);
    CHECK_EQ(assignment_name_len("_a9=\"x y\""), 3);
    CHECK_EQ(assignment_name_len("A="), 1);
    CHECK_EQ(assignment_name_len("=1"), 0);
    CHECK_EQ(assignment_name_len("9A=1"), 0);
    CHECK_EQ(assignment_name_len("'A'=1"), 0);
    CHECK_EQ(assignment_name_len("A-B=1"), 0);
    CHECK_EQ(assignment_name_len("echo"), 0);
}

// ---- expansion ----

TEST(expand_plain_and_quotes)
{
    CHECK_STR(X("hello"), "hello");
    CHECK_EQ(quoted, 0);
    CHECK_STR(X("'a b'"), "a b");
    CHECK_EQ(quoted, 1);
    CHECK_STR(X("\"a b\""), "a b");
    CHECK_EQ(quoted, 1);
    CHECK_STR(X("''"), "");
    CHECK_EQ(quoted, 1);
    CHECK_STR(X("a\\ b"), "a b");
    CHECK_STR(X("\\$X"), "$X");
    CHECK_STR(X("'$X'"), "$X");
    CHECK_STR(X("'a\\b'"), "a\\b");                     // no escapes in '...'
    CHECK_STR(X("\"a\\b\""), "a\\b");                   // \ before an ordinary char stays
    CHECK_STR(X("\"a\\\"b\\$c\\\\d\""), "a\"b$c\\d");
    CHECK_STR(X("x'y'\"z\"w"), "xyzw");
    CHECK_STR(X("'it'\\''s'"), "it's");
    CHECK_STR(X("end\\"), "end\\");
}

TEST(expand_variables)
{
    CHECK_STR(X("$X"), "ex");
    CHECK_EQ(quoted, 0);
    CHECK_STR(X("${X}y"), "exy");
    CHECK_STR(X("$Xy"), "");                            // $Xy is another (unset) name
    CHECK_STR(X("a$X.b"), "aex.b");
    CHECK_STR(X("\"[$X]\""), "[ex]");
    CHECK_STR(X("\"${LONG_NAME_1}\""), "long");
    CHECK_STR(X("$LONG_NAME_1$X"), "longex");
    CHECK_STR(X("$?"), "3");
    CHECK_STR(X("${?}"), "3");
    CHECK_STR(X("$$"), "77");
    CHECK_STR(X("\"$?\""), "3");
    CHECK_STR(X("$SP"), "a b");                         // no field splitting
    CHECK_STR(X("$UNSET"), "");
    CHECK_EQ(quoted, 0);
    CHECK_STR(X("\"$UNSET\""), "");
    CHECK_EQ(quoted, 1);
    CHECK_STR(X("$"), "$");
    CHECK_STR(X("a$ b"), "a$ b");
    CHECK_STR(X("\"$\""), "$");
    CHECK_STR(X("$-"), "$-");
}

TEST(expand_tilde)
{
    CHECK_STR(X("~"), "/home/u");
    CHECK_STR(X("~/d"), "/home/u/d");
    CHECK_STR(X("~x"), "~x");
    CHECK_STR(X("a~"), "a~");
    CHECK_STR(X("'~'"), "~");
    CHECK_STR(X("\"~\""), "~");
}

// ---- parser ----

TEST(simple_command)
{
    CHECK_EQ(P("echo hello world"), 0);
    CHECK_EQ(L.n, 1);
    CHECK_EQ(L.items[0].npipes, 1);
    CHECK_EQ(L.items[0].pipes[0].ncmds, 1);
    struct command *c = CMD(0, 0, 0);
    CHECK_EQ(c->nwords, 3);
    CHECK_STR(c->words[0], "echo");
    CHECK_STR(c->words[2], "world");
    CHECK(c->words[3] == NULL);
    CHECK_EQ(c->nredirs, 0);
    CHECK_EQ(c->nassign, 0);
    CHECK_EQ(L.items[0].bg, 0);
    CHECK_STR(L.items[0].text, "echo hello world");
}

TEST(empty_lines)
{
    CHECK_EQ(P(""), 0);
    CHECK_EQ(L.n, 0);
    CHECK_EQ(P("   "), 0);
    CHECK_EQ(L.n, 0);
    CHECK_EQ(P("# nothing"), 0);
    CHECK_EQ(L.n, 0);
}

TEST(pipelines)
{
    CHECK_EQ(P("a | b x | c | d"), 0);
    CHECK_EQ(L.n, 1);
    CHECK_EQ(L.items[0].npipes, 1);
    CHECK_EQ(L.items[0].pipes[0].ncmds, 4);
    CHECK_STR(CMD(0, 0, 1)->words[1], "x");
    CHECK_STR(CMD(0, 0, 3)->words[0], "d");
}

TEST(precedence)
{
    // ; and & separate and-or lists; && and || join pipelines; | binds tightest
    CHECK_EQ(P("a | b && c || d e ; f & g"), 0);
    CHECK_EQ(L.n, 3);
    struct andor *a = &L.items[0];
    CHECK_EQ(a->npipes, 3);
    CHECK_EQ(a->pipes[0].ncmds, 2);
    CHECK_EQ(a->pipes[1].ncmds, 1);
    CHECK_EQ(a->ops[0], T_AND);
    CHECK_EQ(a->ops[1], T_OR);
    CHECK_EQ(a->bg, 0);
    CHECK_STR(a->text, "a | b && c || d e");
    CHECK_EQ(L.items[1].bg, 1);
    CHECK_STR(L.items[1].text, "f");
    CHECK_EQ(L.items[2].bg, 0);
    CHECK_STR(L.items[2].text, "g");
}

TEST(background)
{
    CHECK_EQ(P("sleep 10 &"), 0);
    CHECK_EQ(L.n, 1);
    CHECK_EQ(L.items[0].bg, 1);
    CHECK_STR(L.items[0].text, "sleep 10");
    CHECK_EQ(P("a && b &"), 0);
    CHECK_EQ(L.items[0].bg, 1);
    CHECK_EQ(L.items[0].npipes, 2);
    CHECK_EQ(P("a&b&"), 0);
    CHECK_EQ(L.n, 2);
    CHECK(L.items[0].bg && L.items[1].bg);
    CHECK_EQ(P("a;"), 0);
    CHECK_EQ(L.n, 1);
    CHECK_EQ(L.items[0].bg, 0);
}

TEST(redirections)
{
    CHECK_EQ(P("cat < in > out 2>>log x 2>&1"), 0);
    struct command *c = CMD(0, 0, 0);
    CHECK_EQ(c->nwords, 2);
    CHECK_STR(c->words[1], "x");
    CHECK_EQ(c->nredirs, 4);
    CHECK_EQ(c->redirs[0].kind, R_IN);
    CHECK_EQ(c->redirs[0].fd, 0);
    CHECK_STR(c->redirs[0].word, "in");
    CHECK_EQ(c->redirs[1].kind, R_OUT);
    CHECK_EQ(c->redirs[1].fd, 1);
    CHECK_STR(c->redirs[1].word, "out");
    CHECK_EQ(c->redirs[2].kind, R_APPEND);
    CHECK_EQ(c->redirs[2].fd, 2);
    CHECK_EQ(c->redirs[3].kind, R_DUP);
    CHECK_EQ(c->redirs[3].fd, 2);
    CHECK_STR(c->redirs[3].word, "1");
    CHECK_EQ(P(">f"), 0);                               // a command of redirections only
    CHECK_EQ(CMD(0, 0, 0)->nwords, 0);
    CHECK_EQ(CMD(0, 0, 0)->nredirs, 1);
    CHECK_EQ(P("a < 'my file' | b >> \"$X\""), 0);
    CHECK_STR(CMD(0, 0, 0)->redirs[0].word, "'my file'");
    CHECK_EQ(CMD(0, 0, 1)->redirs[0].kind, R_APPEND);
    CHECK_STR(CMD(0, 0, 1)->redirs[0].word, "\"$X\"");
}

TEST(assignments)
{
    CHECK_EQ(P("A=1 B='2 3' cmd C=4"), 0);
    struct command *c = CMD(0, 0, 0);
    CHECK_EQ(c->nwords, 4);
    CHECK_EQ(c->nassign, 2);
    CHECK_STR(c->words[1], "B='2 3'");
    CHECK_EQ(P("A=1"), 0);
    CHECK_EQ(CMD(0, 0, 0)->nassign, 1);
    CHECK_EQ(P("A=1 >f B=2"), 0);                       // redirections don't end them
    CHECK_EQ(CMD(0, 0, 0)->nassign, 2);
    CHECK_EQ(P("echo A=1"), 0);
    CHECK_EQ(CMD(0, 0, 0)->nassign, 0);
}

// A syntax error: parse_line fails with this reason and leaves L empty.
static void bad(const char *line, const char *why)
{
    CHECK_EQ(P(line), -1);
    CHECK_STR(err, why);
    CHECK_EQ(L.n, 0);
}

TEST(syntax_errors)
{
    bad("| x", "unexpected '|'");
    bad("a |", "unexpected end of line");
    bad("a | | b", "unexpected '|'");
    bad("a >", "missing file name after '>'");
    bad("a >>", "missing file name after '>>'");
    bad("a <", "missing file name after '<'");
    bad("a > | b", "unexpected '|'");
    bad("a 2>&", "missing file name after '>&'");
    bad(";;", "unexpected ';'");
    bad("a;;", "unexpected ';'");
    bad("a & ; b", "unexpected ';'");
    bad("&", "unexpected '&'");
    bad("a &&", "unexpected end of line");
    bad("a || && b", "unexpected '&&'");
    bad("&& a", "unexpected '&&'");
    bad("echo 'x", "unterminated '");
    bad("a | echo \"x", "unterminated \"");
    bad("echo ${x", "missing '}'");
    bad("echo ${x-y}", "bad substitution");
    bad("a && b | c > 'd", "unterminated '");
}

TEST(parse_again_after_errors)
{
    bad("a |", "unexpected end of line");
    CHECK_EQ(P("a | b"), 0);
    CHECK_STR(err, "");
    CHECK_EQ(L.items[0].pipes[0].ncmds, 2);
    free_cmdlist(&L);                                   // leaves nothing for ASan
}
