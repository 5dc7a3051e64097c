// Host tests for the shell's line editor (servers/shell/edit.c, pure
// logic): keys in, the line and the screen updates out.
#include <stdlib.h>
#include "edit.c"
#include "check.h"

static struct editor E;
static struct history H;
static char screen[4096];

// Feeds keys; returns the last result. The output is kept in screen.
static enum edit_result keys(const char *k)
{
    enum edit_result r = ED_MORE;
    screen[0] = 0;
    for (; *k; k++) {
        r = edit_key(&E, (unsigned char)*k);
        strncat(screen, E.out, E.out_len);
        E.out_len = 0;
    }
    return r;
}

static char **fake_complete(const char *word, int command, int *n, void *ctx)
{
    static const char *const cmds[] = { "cat", "cd", "chmod", "echo", NULL };
    static const char *const files[] = { "notes.txt", "numbers/", "main.c", NULL };
    const char *const *src = command ? cmds : files;
    char **v = calloc(8, sizeof(char *));
    (void)ctx;
    *n = 0;
    for (int i = 0; src[i]; i++)
        if (!strncmp(src[i], word, strlen(word)))
            v[(*n)++] = strdup(src[i]);
    return v;
}

static void begin(void) { edit_begin(&E, "$ ", &H, fake_complete, NULL); }

TEST(typing_echoes_like_the_console)
{
    begin();
    CHECK_EQ(keys("echo hi"), ED_MORE);
    CHECK_STR(screen, "echo hi");
    CHECK_EQ(keys("\r"), ED_DONE);
    CHECK_STR(screen, "\r\n");
    CHECK_STR(E.buf, "echo hi");
    begin();
    keys("echoo\x7f\x7f\x7fho x");
    CHECK_STR(E.buf, "echo x");
    CHECK_STR(screen, "echoo\b \b\b \b\b \bho x");
    CHECK_EQ(keys("\n"), ED_DONE);
}

TEST(cursor_moves_and_inserts)
{
    begin();
    keys("ac\x1b[Db");
    CHECK_STR(E.buf, "abc");
    CHECK_EQ(E.cur, 2);
    CHECK_STR(screen, "ac\x1b[1D\r$ abc\x1b[K\x1b[1D");
    keys("\x1b[H>");
    CHECK_STR(E.buf, ">abc");
    keys("\x1b[F<");
    CHECK_STR(E.buf, ">abc<");
    keys("\x01\x1b[3~");               // ^A, delete
    CHECK_STR(E.buf, "abc<");
    keys("\x05\x1b[1~\x1b[C\x7f");     // end, home, right, backspace
    CHECK_STR(E.buf, "bc<");
    keys("\x1b[4~\x1b[D\x0b");         // end, left, ^K
    CHECK_STR(E.buf, "bc");
    keys("\x15");                      // ^U
    CHECK_STR(E.buf, "");
    keys("xy\x1bOD\x1bOC\x1b[C\x1b[C");  // moves past the end do nothing
    CHECK_EQ(E.cur, 2);
}

TEST(control_keys)
{
    begin();
    CHECK_EQ(keys("\x04"), ED_EOF);
    begin();
    CHECK_EQ(keys("ab\x01\x04"), ED_MORE);   // ^D deletes under the cursor
    CHECK_STR(E.buf, "b");
    CHECK_EQ(keys("\x03"), ED_CANCEL);
    CHECK_STR(screen, "^C\r\n");
    CHECK_STR(E.buf, "");
}

TEST(history)
{
    for (int i = 0; i < H.n; i++)
        free(H.lines[i]);
    H.n = 0;
    history_add(&H, "first");
    history_add(&H, "second");
    history_add(&H, "second");               // a repeat is not kept
    history_add(&H, "");
    CHECK_EQ(H.n, 2);
    begin();
    keys("new");
    keys("\x1b[A");
    CHECK_STR(E.buf, "second");
    CHECK_STR(screen, "\r$ second\x1b[K");
    keys("\x1b[A\x1b[A");
    CHECK_STR(E.buf, "first");
    keys("\x1b[B");
    CHECK_STR(E.buf, "second");
    keys("\x1b[B");
    CHECK_STR(E.buf, "new");                 // back to what was being typed
    keys("\x1b[A x");
    CHECK_STR(E.buf, "second x");
    for (int i = 0; i < HIST_MAX + 10; i++) {
        char s[16];
        snprintf(s, sizeof s, "l%d", i);
        history_add(&H, s);
    }
    CHECK_EQ(H.n, HIST_MAX);
    CHECK_STR(H.lines[HIST_MAX - 1], "l109");
    CHECK_STR(H.lines[0], "l10");
}

TEST(tab_completion)
{
    begin();
    keys("ech\t");
    CHECK_STR(E.buf, "echo ");
    CHECK_STR(screen, "echo ");
    keys("n\t");
    CHECK_STR(E.buf, "echo n");              // notes.txt and numbers/: nothing certain
    keys("\t");
    CHECK_STR(screen, "\r\nnotes.txt  numbers/\r\n\r$ echo n\x1b[K");
    keys("u\t");
    CHECK_STR(E.buf, "echo numbers/");       // a folder: no space after it
    begin();
    keys("c\t");
    CHECK_STR(E.buf, "c");
    keys("h\t");
    CHECK_STR(E.buf, "chmod ");
    begin();
    keys("ls | ca\t");
    CHECK_STR(E.buf, "ls | cat ");           // a command after |
    keys("ma\t");
    CHECK_STR(E.buf, "ls | cat main.c ");
}

TEST(long_lines_are_cut_not_overflowed)
{
    begin();
    for (int i = 0; i < EDIT_MAX + 50; i++)
        edit_key(&E, 'x'), E.out_len = 0;
    CHECK_EQ(E.len, EDIT_MAX - 1);
    CHECK_EQ(keys("\r"), ED_DONE);
}
