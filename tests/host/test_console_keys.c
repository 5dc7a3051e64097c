// Host tests of the key decoding full-screen programs share
// (programs/lib/term.c): bytes written into a pipe come out as keys.
#include <sys/wait.h>
#include "check.h"
#include "../../programs/lib/term.c"

// The keys term_key reads from the bytes s (then end of input).
static const char *keys_of(const char *s, size_t n)
{
    static char out[256];
    int p[2];
    size_t k = 0;
    if (pipe(p) < 0)
        return "<pipe>";
    if (write(p[1], s, n) != (ssize_t)n)
        return "<write>";
    close(p[1]);
    for (int key; (key = term_key(p[0])) != KEY_EOF && k < sizeof out - 8;)
        k += (size_t)snprintf(out + k, sizeof out - k, key >= 0x100 ? "<%x>" : "%c", key);
    close(p[0]);
    out[k] = 0;
    return out;
}

#define KEYS(lit) keys_of(lit, sizeof(lit) - 1)

TEST(plain_bytes)
{
    CHECK_STR(KEYS("ab\r"), "ab\r");
}

TEST(csi_and_ss3_arrows)
{
    CHECK_STR(KEYS("\x1b[A\x1b[B\x1b[C\x1b[D"), "<100><101><102><103>");
    CHECK_STR(KEYS("\x1bOA\x1bOH\x1bOF"), "<100><104><105>");
}

TEST(tilde_keys)
{
    CHECK_STR(KEYS("\x1b[1~\x1b[2~\x1b[3~\x1b[4~\x1b[5~\x1b[6~\x1b[7~\x1b[8~"),
              "<104><106><107><105><108><109><104><105>");
}

TEST(modifiers_are_ignored)
{
    CHECK_STR(KEYS("\x1b[1;5Ax"), "<100>x");
    CHECK_STR(KEYS("\x1b[3;2~"), "<107>");
}

TEST(lone_and_unknown_escapes)
{
    CHECK_STR(KEYS("\x1b"), "<10a>");
    CHECK_STR(KEYS("\x1bx"), "<10a>x");         // Alt-x: Esc, then the x
    CHECK_STR(KEYS("\x1b[Zq"), "<10a>q");       // unknown: swallowed whole
    CHECK_STR(KEYS("\x1b[99~q"), "<10a>q");
}

// A sequence whose bytes come apart (a busy machine passes them on one at
// a time) is still one key.
TEST(slow_sequence_is_one_key)
{
    int p[2];
    CHECK(pipe(p) == 0);
    pid_t child = fork();
    if (child == 0) {
        const char *parts[] = { "\x1b", "[", "D", "\x1b", "O", "A" };
        for (int i = 0; i < 6; i++) {
            usleep(150000);
            if (write(p[1], parts[i], 1) != 1)
                _exit(1);
        }
        _exit(0);
    }
    close(p[1]);
    CHECK_EQ(term_key(p[0]), KEY_LEFT);
    CHECK_EQ(term_key(p[0]), KEY_UP);
    CHECK_EQ(term_key(p[0]), KEY_EOF);
    close(p[0]);
    int st;
    waitpid(child, &st, 0);
}
