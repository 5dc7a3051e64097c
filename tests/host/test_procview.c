// Host tests for programs/lib/procview.c: top's CPU share and rates, its
// ordering, and the columns of `ps -l` and `top`.
#include "../../programs/lib/procview.c"
#include "check.h"

static char buf[256];

static struct pv_proc proc(int pid, unsigned long ticks, unsigned long calls,
                           unsigned long served)
{
    return (struct pv_proc){ .pid = pid, .ppid = 1, .prio = 10, .base_prio = 10,
                             .restarts = -1, .ticks = ticks, .calls = calls,
                             .served = served, .name = "x" };
}

TEST(pct10_of_elapsed)
{
    CHECK_EQ(pv_pct10(1000, 1000), 1000);       // one CPU all the time
    CHECK_EQ(pv_pct10(2000, 1000), 2000);       // two CPUs
    CHECK_EQ(pv_pct10(0, 1000), 0);
    CHECK_EQ(pv_pct10(1, 1000), 1);             // 0.1%
    CHECK_EQ(pv_pct10(517, 1034), 500);
    CHECK_EQ(pv_pct10(1, 3), 333);              // rounded
    CHECK_EQ(pv_pct10(2, 3), 667);
    CHECK_EQ(pv_pct10(5, 0), 0);                // no time: no share, no division
}

TEST(rate_per_second)
{
    CHECK_EQ(pv_rate(500, 1000), 500);
    CHECK_EQ(pv_rate(500, 2000), 250);
    CHECK_EQ(pv_rate(1, 3000), 0);
    CHECK_EQ(pv_rate(1, 1999), 1);              // rounded
    CHECK_EQ(pv_rate(7, 0), 0);
}

TEST(rates_match_pids_in_any_order)
{
    struct pv_proc old[] = { proc(3, 100, 10, 0), proc(1, 50, 0, 40), proc(7, 0, 0, 0) };
    struct pv_proc cur[] = { proc(1, 60, 0, 240), proc(3, 600, 510, 0), proc(9, 250, 5, 5) };
    pv_rates(old, 3, cur, 3, 1000);
    CHECK_EQ(cur[0].pct10, 10);
    CHECK_EQ(cur[0].served_ps, 200);
    CHECK_EQ(cur[1].pct10, 500);
    CHECK_EQ(cur[1].calls_ps, 500);
    CHECK_EQ(cur[1].served_ps, 0);
    CHECK_EQ(cur[2].pct10, 250);                // new: counts from 0
    CHECK_EQ(cur[2].calls_ps, 5);
}

TEST(reused_pid_counts_from_zero)
{
    struct pv_proc old[] = { proc(4, 9000, 300, 300) };
    struct pv_proc cur[] = { proc(4, 100, 400, 20) };   // ticks went back: another process
    pv_rates(old, 1, cur, 1, 500);
    CHECK_EQ(cur[0].pct10, 200);
    CHECK_EQ(cur[0].calls_ps, 800);
    CHECK_EQ(cur[0].served_ps, 40);
}

TEST(sorted_by_cpu_then_pid)
{
    struct pv_proc p[] = { proc(5, 0, 0, 0), proc(2, 0, 0, 0), proc(9, 0, 0, 0),
                           proc(1, 0, 0, 0) };
    p[0].pct10 = 10;
    p[2].pct10 = 990;
    p[3].pct10 = 10;
    pv_sort_by_cpu(p, 4);
    CHECK_EQ(p[0].pid, 9);
    CHECK_EQ(p[1].pid, 1);
    CHECK_EQ(p[2].pid, 5);
    CHECK_EQ(p[3].pid, 2);
    pv_sort_by_pid(p, 4);
    CHECK_EQ(p[0].pid, 1);
    CHECK_EQ(p[3].pid, 9);
}

TEST(time_format)
{
    pv_fmt_time(buf, sizeof buf, 0);
    CHECK_STR(buf, "0:00.000");
    pv_fmt_time(buf, sizeof buf, 1234);
    CHECK_STR(buf, "0:01.234");
    pv_fmt_time(buf, sizeof buf, 59999);
    CHECK_STR(buf, "0:59.999");
    pv_fmt_time(buf, sizeof buf, 60000);
    CHECK_STR(buf, "1:00.000");
    pv_fmt_time(buf, sizeof buf, 7265004);
    CHECK_STR(buf, "121:05.004");
}

TEST(prio_and_pct_format)
{
    pv_fmt_prio(buf, sizeof buf, 10, 10);
    CHECK_STR(buf, "10");
    pv_fmt_prio(buf, sizeof buf, 10, 12);
    CHECK_STR(buf, "10/12");
    pv_fmt_pct(buf, sizeof buf, 0);
    CHECK_STR(buf, "0.0");
    pv_fmt_pct(buf, sizeof buf, 1234);
    CHECK_STR(buf, "123.4");
}

TEST(long_line_under_its_header)
{
    struct pv_proc p = proc(12, 1234, 56, 7890);
    p.ppid = 3;
    p.base_prio = 8;
    p.prio = 12;
    p.cpu = 1;
    p.pages = 42;
    p.restarts = 2;
    snprintf(p.name, sizeof p.name, "fs");
    pv_line_long(buf, sizeof buf, &p);
    CHECK_STR(buf, "   12     3  8/12 S   1  0:01.234        56      7890     42        2 fs");
    CHECK_EQ(strlen(buf), strlen(pv_long_header) - strlen("NAME") + strlen("fs"));
    p.restarts = -1;
    p.running = 1;
    pv_line_long(buf, sizeof buf, &p);
    CHECK(strstr(buf, " R ") != NULL);
    CHECK(strstr(buf, "        - fs") != NULL);
}

TEST(top_line_under_its_header)
{
    struct pv_proc p = proc(40, 61000, 0, 0);
    p.pct10 = 998;
    p.calls_ps = 1500;
    p.served_ps = 3;
    p.pages = 9;
    p.running = 1;
    snprintf(p.name, sizeof p.name, "spin");
    pv_line_top(buf, sizeof buf, &p);
    CHECK_STR(buf, "   40     1    10 R   0  99.8 1:01.000    1500        3     9        - spin");
    CHECK_EQ(strlen(buf), strlen(pv_top_header) - strlen("NAME") + strlen("spin"));
}
