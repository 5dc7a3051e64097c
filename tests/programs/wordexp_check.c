// wordexp and wordfree as a third-party program uses them: field
// splitting, quotes, parameters, arithmetic, command substitution, the
// characters refused unquoted, WRDE_NOCMD, WRDE_UNDEF, WRDE_DOOFFS and
// WRDE_APPEND. Built with the host's gcc and with tools/cc; both runs must
// print the same. Inside the system wordexp runs the shell ("sh -c" with
// printf), so this also checks the shell's expansions.
#include <stdio.h>
#include <stdlib.h>
#include <wordexp.h>

static void show(const char *words, int flags, const char *label)
{
    wordexp_t we;
    int r = wordexp(words, &we, flags);
    printf("[%s]%s: %d", words, label, r);
    if (r == 0) {
        printf(" %zu:", we.we_wordc);
        for (size_t k = 0; k < we.we_wordc; k++)
            printf(" <%s>", we.we_wordv[k]);
        wordfree(&we);
    }
    printf("\n");
}

int main(void)
{
    const char *tests[] = { "a b  c", "'one word' \"two $HOME\" three\\ four", "$((6*7)) x$((1+1))y",
                            "", "   ", "$(echo sub)", "a|b", "'a|b'", "a;b", "\"unterminated",
                            "`echo x`", "$NOPE_UNSET_VAR z", "{x}", NULL };
    setenv("HOME", "/home/me", 1);
    for (int i = 0; tests[i]; i++) {
        show(tests[i], 0, "");
        show(tests[i], WRDE_NOCMD, " nocmd");
    }
    show("$NOPE_UNSET_VAR", WRDE_UNDEF, " undef");
    wordexp_t we;
    we.we_offs = 2;
    int r = wordexp("x y", &we, WRDE_DOOFFS);
    if (r == 0)
        r = wordexp("z", &we, WRDE_DOOFFS | WRDE_APPEND);
    if (r == 0) {
        printf("offs and append: %zu words: %s %s %s %s %s\n", we.we_wordc, we.we_wordv[0] ? "?" : "null",
               we.we_wordv[1] ? "?" : "null", we.we_wordv[2], we.we_wordv[3], we.we_wordv[4]);
        wordfree(&we);
    } else {
        printf("offs and append: %d\n", r);
    }
    return 0;
}
