// Minimal host test harness. Tests are declared with TEST(name) { ... } and
// register themselves; CHECK* record the first failure and keep going. The
// binary prints "ok <binary>.<test>" or "not ok <binary>.<test>: <message>"
// per test and exits 1 if any test failed.
#ifndef CHECK_H
#define CHECK_H
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct check_test { const char *name; void (*fn)(void); };
static struct check_test check_tests_[256];
static int check_ntests_, check_failed_;
static char check_msg_[512];

static void __attribute__((format(printf, 3, 4)))
check_fail_(const char *file, int line, const char *fmt, ...)
{
    if (check_failed_++)
        return;                          // keep only the first message
    int n = snprintf(check_msg_, sizeof check_msg_, "%s:%d: ", file, line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(check_msg_ + n, sizeof check_msg_ - n, fmt, ap);
    va_end(ap);
}

#define CHECK(c) do { if (!(c)) check_fail_(__FILE__, __LINE__, "CHECK(%s) failed", #c); } while (0)
#define CHECK_EQ(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); if (a_ != b_) \
    check_fail_(__FILE__, __LINE__, "CHECK_EQ(%s, %s) failed: %lld != %lld", #a, #b, a_, b_); } while (0)
#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); if (strcmp(a_, b_)) \
    check_fail_(__FILE__, __LINE__, "CHECK_STR(%s, %s) failed: \"%s\" != \"%s\"", #a, #b, a_, b_); } while (0)

#define TEST(name) \
    static void test_##name(void); \
    __attribute__((constructor)) static void register_##name(void) \
    { check_tests_[check_ntests_++] = (struct check_test){ #name, test_##name }; } \
    static void test_##name(void)

int main(int argc, char **argv)
{
    const char *bin = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    int bad = 0;
    (void)argc;
    for (int i = 0; i < check_ntests_; i++) {
        check_failed_ = 0;
        check_tests_[i].fn();
        if (check_failed_)
            printf("not ok %s.%s: %s\n", bin, check_tests_[i].name, check_msg_);
        else
            printf("ok %s.%s\n", bin, check_tests_[i].name);
        fflush(stdout);
        bad |= check_failed_ != 0;
    }
    return bad;
}

#endif
