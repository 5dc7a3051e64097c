// A program that uses the POSIX calls a portable third-party program
// reaches for: regular expressions, glob, fnmatch, scandir, popen,
// posix_spawn, stdio locks, symbolic and hard links, chmod, chown, the
// clocks and the calendar, umask, fcntl, fsync, truncate, realpath,
// sysconf, the utime family, getrlimit/setrlimit, a deep recursion (4 MiB
// of stack) and a large heap. Built with the host's gcc and with tools/cc;
// run on the host and inside the system in a folder holding the same
// files, both runs must print the same. Errors are printed by name (the
// numbers and strerror texts differ between C libraries).
// Usage: posix_check DIR   (DIR holds a.txt, b.txt, c.log and sub/)
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <regex.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

extern char **environ;
static char dir[512];

static const char *err_name(int e)
{
    switch (e) {
    case 0: return "ok";
    case ENOENT: return "ENOENT";
    case EEXIST: return "EEXIST";
    case ELOOP: return "ELOOP";
    case EINVAL: return "EINVAL";
    case EPERM: return "EPERM";
    case EISDIR: return "EISDIR";
    case ENOTDIR: return "ENOTDIR";
    case EBADF: return "EBADF";
    default: return "other";
    }
}

// dir/name in a static buffer (one of two, so two can be in use).
static const char *at(const char *name)
{
    static char bufs[2][700];
    static int which;
    which ^= 1;
    snprintf(bufs[which], sizeof(bufs[which]), "%s/%s", dir, name);
    return bufs[which];
}

static void check_regex(void)
{
    const char *subjects[] = { "abc123", "ABC", "cab", "abd9x", "", "zzz" };
    regex_t re, ri;
    regmatch_t m[3];
    if (regcomp(&re, "^([a-c]+)([0-9]*)$", REG_EXTENDED) || regcomp(&ri, "B+", REG_EXTENDED | REG_ICASE | REG_NOSUB)) {
        printf("regcomp failed\n");
        return;
    }
    for (int i = 0; i < 6; i++) {
        int r = regexec(&re, subjects[i], 3, m, 0);
        printf("regex '%s': %s", subjects[i], r == 0 ? "match" : r == REG_NOMATCH ? "no match" : "error");
        if (r == 0)
            printf(" [%d,%d) [%d,%d)", (int)m[1].rm_so, (int)m[1].rm_eo, (int)m[2].rm_so, (int)m[2].rm_eo);
        printf(", icase B+: %s\n", regexec(&ri, subjects[i], 0, NULL, 0) == 0 ? "yes" : "no");
    }
    regfree(&re);
    regfree(&ri);
    regex_t bad;
    int r = regcomp(&bad, "a(b", REG_EXTENDED);
    printf("regcomp 'a(b': %s\n", r == 0 ? "accepted" : "rejected");
    if (r == 0)
        regfree(&bad);
}

static void check_glob_fnmatch(void)
{
    glob_t g;
    int r = glob(at("*.txt"), 0, NULL, &g);
    printf("glob *.txt: %d match(es)", r == 0 ? (int)g.gl_pathc : 0);
    for (size_t i = 0; r == 0 && i < g.gl_pathc; i++)
        printf(" %s", g.gl_pathv[i] + strlen(dir) + 1);
    printf("\n");
    if (r == 0)
        globfree(&g);
    r = glob(at("*.none"), 0, NULL, &g);
    printf("glob *.none: %s\n", r == GLOB_NOMATCH ? "no match" : "unexpected");
    if (glob(at("[ab].*"), 0, NULL, &g) == 0) {
        printf("glob [ab].*: %d\n", (int)g.gl_pathc);
        globfree(&g);
    }
    const char *pats[][2] = { { "*.c", "main.c" }, { "*.c", "dir/main.c" }, { "a?c", "abc" },
                              { "[!x]*", "xyz" }, { "*", ".hidden" }, { "d/*", "d/f" } };
    for (int i = 0; i < 6; i++)
        printf("fnmatch %s %s: %d %d\n", pats[i][0], pats[i][1],
               fnmatch(pats[i][0], pats[i][1], 0) == 0,
               fnmatch(pats[i][0], pats[i][1], FNM_PATHNAME | FNM_PERIOD) == 0);
}

static int only_txt(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return n > 4 && !strcmp(d->d_name + n - 4, ".txt");
}

static void check_scandir(void)
{
    struct dirent **names;
    int n = scandir(dir, &names, only_txt, alphasort);
    printf("scandir *.txt:");
    for (int i = 0; i < n; i++) {
        printf(" %s", names[i]->d_name);
        free(names[i]);
    }
    printf(" (%d)\n", n);
    if (n >= 0)
        free(names);
}

static void check_popen(void)
{
    char line[200];
    FILE *p = popen("echo hello from the shell", "r");
    if (!p || !fgets(line, sizeof(line), p)) {
        printf("popen r failed\n");
        return;
    }
    int st = pclose(p);
    printf("popen r: %s", line);
    printf("pclose: exited %d status %d\n", WIFEXITED(st), WEXITSTATUS(st));
    snprintf(line, sizeof(line), "cat > %s", at("popen_out"));
    p = popen(line, "w");
    if (!p) {
        printf("popen w failed\n");
        return;
    }
    fprintf(p, "line one\nline two\n");
    st = pclose(p);
    FILE *f = fopen(at("popen_out"), "r");
    int lines = 0;
    while (f && fgets(line, sizeof(line), f))
        lines++;
    if (f)
        fclose(f);
    printf("popen w: status %d, file has %d lines\n", WEXITSTATUS(st), lines);
    unlink(at("popen_out"));
}

// Runs argv with stdin from in (or inherited) and stdout to out; the exit
// status, or -1 with the spawn error printed.
static int spawn_to(char *const argv[], const char *in, const char *out)
{
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int st;
    posix_spawn_file_actions_init(&fa);
    if (in)
        posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int e = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (e) {
        printf("posix_spawnp %s: %s\n", argv[0], err_name(e));
        return -1;
    }
    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void print_file(const char *label, const char *path)
{
    char line[200];
    FILE *f = fopen(path, "r");
    while (f && fgets(line, sizeof(line), f))
        printf("%s: %s", label, line);
    if (f)
        fclose(f);
}

static void check_spawn(void)
{
    char *echo[] = { "echo", "spawned", "with", "args", NULL };
    char *cat[] = { "cat", NULL };
    char *fail[] = { "false", NULL };
    printf("spawn echo: status %d\n", spawn_to(echo, NULL, at("spawn_out")));
    print_file("spawn echo output", at("spawn_out"));
    printf("spawn cat < a.txt: status %d\n", spawn_to(cat, at("a.txt"), at("spawn_out")));
    print_file("spawn cat output", at("spawn_out"));
    printf("spawn false: status %d\n", spawn_to(fail, NULL, at("spawn_out")));
    pid_t pid;
    char *none[] = { "/no/such/program", NULL };
    printf("spawn missing: %s\n", err_name(posix_spawn(&pid, none[0], NULL, NULL, none, environ)));
    unlink(at("spawn_out"));
}

static void check_links(void)
{
    struct stat st, lst;
    char buf[100];
    int e = symlink("a.txt", at("l1")) ? errno : 0;
    printf("symlink l1 -> a.txt: %s\n", err_name(e));
    ssize_t n = readlink(at("l1"), buf, sizeof(buf) - 1);
    buf[n < 0 ? 0 : n] = 0;
    printf("readlink l1: %zd '%s'\n", n, buf);
    stat(at("a.txt"), &st);
    long long size = (long long)st.st_size;
    int ls = lstat(at("l1"), &lst), s = stat(at("l1"), &st);
    printf("lstat l1: %d link %d size %lld; stat l1: %d regular %d size %lld (a.txt %lld)\n", ls,
           S_ISLNK(lst.st_mode), (long long)lst.st_size, s, S_ISREG(st.st_mode), (long long)st.st_size, size);
    symlink("nowhere", at("dangling"));
    printf("stat dangling: %s, lstat dangling: %s\n", err_name(stat(at("dangling"), &st) ? errno : 0),
           err_name(lstat(at("dangling"), &st) ? errno : 0));
    symlink("loop2", at("loop1"));
    symlink("loop1", at("loop2"));
    printf("stat loop1: %s\n", err_name(stat(at("loop1"), &st) ? errno : 0));
    printf("readlink a.txt: %s\n", err_name(readlink(at("a.txt"), buf, sizeof(buf)) < 0 ? errno : 0));
    printf("symlink over a.txt: %s\n", err_name(symlink("x", at("a.txt")) ? errno : 0));
    printf("link a.txt hard: %s\n", err_name(link(at("a.txt"), at("hard")) ? errno : 0));
    stat(at("hard"), &st);
    printf("nlink after link: %d\n", (int)st.st_nlink);
    printf("link again: %s, link missing: %s, link dir: %s\n",
           err_name(link(at("a.txt"), at("hard")) ? errno : 0),
           err_name(link(at("missing"), at("h2")) ? errno : 0),
           err_name(link(at("sub"), at("subhard")) ? errno : 0));
    unlink(at("hard"));
    stat(at("a.txt"), &st);
    printf("nlink after unlink: %d\n", (int)st.st_nlink);
    DIR *d = opendir(dir);
    struct dirent *de;
    int lnk = 0;
    while (d && (de = readdir(d)))
        lnk += de->d_type == DT_LNK;
    if (d)
        closedir(d);
    printf("readdir: %d entries of type DT_LNK\n", lnk);
    const char *links[] = { "l1", "dangling", "loop1", "loop2" };
    for (int i = 0; i < 4; i++)
        unlink(at(links[i]));
    printf("after unlink, lstat l1: %s\n", err_name(lstat(at("l1"), &st) ? errno : 0));
}

static void check_chmod(void)
{
    struct stat st;
    chmod(at("b.txt"), 04751);
    stat(at("b.txt"), &st);
    printf("chmod 4751: %04o\n", (unsigned)(st.st_mode & 07777));
    int fd = open(at("b.txt"), O_RDONLY);
    fchmod(fd, 0600);
    fstat(fd, &st);
    close(fd);
    printf("fchmod 600: %04o regular %d\n", (unsigned)(st.st_mode & 07777), S_ISREG(st.st_mode));
    chmod(at("sub"), 0700);
    stat(at("sub"), &st);
    printf("chmod dir 700: %04o dir %d\n", (unsigned)(st.st_mode & 07777), S_ISDIR(st.st_mode));
    printf("chmod missing: %s\n", err_name(chmod(at("missing"), 0644) ? errno : 0));
    chmod(at("b.txt"), 0644);
    chmod(at("sub"), 0755);
}

// A path under dir as realpath gives it, relative to dir's own real path.
static void show_real(const char *name)
{
    static char base[4096];
    char got[4096];
    if (!base[0] && !realpath(dir, base))
        strcpy(base, "?");
    char *r = realpath(at(name), got);
    size_t n = strlen(base);
    printf("realpath %s: %s\n", name, !r ? err_name(errno)
           : strncmp(got, base, n) ? got : got[n] ? got + n + 1 : ".");
}

static void check_files(void)
{
    struct stat st;
    umask(022);
    mode_t old = umask(027);
    int fd = open(at("masked"), O_WRONLY | O_CREAT | O_EXCL, 0666);
    fstat(fd, &st);
    printf("umask 027, open 0666: %04o; umask was %03o\n", (unsigned)(st.st_mode & 0777), (unsigned)old);
    mkdir(at("mdir"), 0777);
    stat(at("mdir"), &st);
    printf("mkdir 0777: %04o\n", (unsigned)(st.st_mode & 0777));
    umask(old);
    write(fd, "12345", 5);
    printf("fcntl GETFL: wronly %d append %d\n", (fcntl(fd, F_GETFL) & O_ACCMODE) == O_WRONLY,
           (fcntl(fd, F_GETFL) & O_APPEND) != 0);
    fcntl(fd, F_SETFL, O_APPEND);
    lseek(fd, 0, SEEK_SET);
    write(fd, "678", 3);
    fstat(fd, &st);
    printf("after F_SETFL O_APPEND and a write at 0: size %lld, append %d\n", (long long)st.st_size,
           (fcntl(fd, F_GETFL) & O_APPEND) != 0);
    int d = fcntl(fd, F_DUPFD, 10);
    printf("F_DUPFD 10: %s, GETFD %d", d >= 10 ? "10 or above" : "below 10", fcntl(d, F_GETFD));
    fcntl(d, F_SETFD, FD_CLOEXEC);
    printf(", after SETFD %d, bad fd %s\n", fcntl(d, F_GETFD), err_name(fcntl(40, F_GETFD) < 0 ? errno : 0));
    printf("fsync: %d, fsync bad fd: %s\n", fsync(fd), err_name(fsync(41) ? errno : 0));
    close(d);
    close(fd);
    truncate(at("masked"), 2);
    stat(at("masked"), &st);
    printf("truncate to 2: %lld\n", (long long)st.st_size);
    unlink(at("masked"));
    rmdir(at("mdir"));
    symlink("sub", at("tosub"));
    symlink("tosub/../a.txt", at("via"));
    symlink("/no/such/place", at("nowhere"));
    symlink("self", at("self"));
    const char *names[] = { "a.txt", "tosub", "via", "sub/../b.txt", "nowhere", "self", "missing", "a.txt/x" };
    for (int i = 0; i < 8; i++)
        show_real(names[i]);
    unlink(at("tosub"));
    unlink(at("via"));
    unlink(at("nowhere"));
    unlink(at("self"));
    printf("sysconf pagesize %ld, phys pages > 0: %d, pathconf NAME_MAX %ld\n", sysconf(_SC_PAGESIZE),
           sysconf(_SC_PHYS_PAGES) > 0, pathconf(dir, _PC_NAME_MAX));
}

static void check_times(void)
{
    struct stat st;
    struct timeval tv[2] = { { 1000000000, 0 }, { 1500000000, 0 } };
    printf("utimes: %d", utimes(at("c.log"), tv));
    stat(at("c.log"), &st);
    printf(", atime %lld mtime %lld\n", (long long)st.st_atime, (long long)st.st_mtime);
    struct utimbuf ub = { 1100000000, 1200000000 };
    utime(at("c.log"), &ub);
    stat(at("c.log"), &st);
    printf("utime: atime %lld mtime %lld\n", (long long)st.st_atime, (long long)st.st_mtime);
    struct timespec ts[2] = { { 0, UTIME_OMIT }, { 1300000000, 0 } };
    int fd = open(at("c.log"), O_RDONLY);
    printf("futimens with UTIME_OMIT: %d", futimens(fd, ts));
    close(fd);
    stat(at("c.log"), &st);
    printf(", atime %lld mtime %lld\n", (long long)st.st_atime, (long long)st.st_mtime);
    symlink("c.log", at("clink"));
    ts[0] = (struct timespec){ 1400000000, 0 };
    utimensat(AT_FDCWD, at("clink"), ts, 0);
    stat(at("c.log"), &st);
    printf("utimensat through a link: atime %lld mtime %lld\n", (long long)st.st_atime, (long long)st.st_mtime);
    unlink(at("clink"));
    utime(at("c.log"), NULL);
    stat(at("c.log"), &st);
    long d = (long)(time(NULL) - st.st_mtime);   // Linux: time() may lag a file's stamp a tick
    printf("utime NULL: now %d, missing: %s\n", d >= -1 && d <= 2,
           err_name(utime(at("missing"), NULL) ? errno : 0));
}

static void check_owners(void)
{
    struct stat st;
    chmod(at("b.txt"), 06755);
    printf("chown 5:6: %d", chown(at("b.txt"), 5, 6));
    stat(at("b.txt"), &st);
    printf(", owner %d group %d mode %04o\n", (int)st.st_uid, (int)st.st_gid, (unsigned)(st.st_mode & 07777));
    chmod(at("sub"), 06755);
    chown(at("sub"), 7, -1);
    stat(at("sub"), &st);
    printf("chown dir 7:-1: owner %d group %d mode %04o\n", (int)st.st_uid, (int)st.st_gid,
           (unsigned)(st.st_mode & 07777));
    symlink("b.txt", at("blink"));
    lchown(at("blink"), 9, 9);
    lstat(at("blink"), &st);
    printf("lchown: link %d:%d", (int)st.st_uid, (int)st.st_gid);
    stat(at("blink"), &st);
    printf(", target %d:%d\n", (int)st.st_uid, (int)st.st_gid);
    int fd = open(at("b.txt"), O_RDONLY);
    fchown(fd, 0, 0);
    fstat(fd, &st);
    close(fd);
    printf("fchown 0:0: %d:%d, chown missing: %s\n", (int)st.st_uid, (int)st.st_gid,
           err_name(chown(at("missing"), 0, 0) ? errno : 0));
    unlink(at("blink"));
    chown(at("sub"), 0, 0);
    chmod(at("sub"), 0755);
    chmod(at("b.txt"), 0644);
}

static void check_locks(void)
{
    flockfile(stdout);
    flockfile(stdout);
    printf("flockfile twice, ftrylockfile: %d\n", ftrylockfile(stdout));
    funlockfile(stdout);
    funlockfile(stdout);
    funlockfile(stdout);
    printf("unlocked\n");
}

static void check_time(void)
{
    struct timeval tv;
    char buf[100];
    gettimeofday(&tv, NULL);
    time_t now = time(NULL);
    long diff = (long)(now - tv.tv_sec);         // Linux: time() is the coarser clock
    printf("time and gettimeofday agree: %d, after 2024: %d, usec in range: %d\n",
           diff >= -1 && diff <= 1, now > 1704067200, tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    time_t t = 1700000000;
    setenv("TZ", "UTC0", 1);
    tzset();
    strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Z %Y | %F %T | %j %u %p", localtime(&t));
    printf("localtime UTC: %s\n", buf);
    setenv("TZ", "EST5", 1);
    tzset();
    struct tm local = *localtime(&t);
    strftime(buf, sizeof(buf), "%F %T %Z", &local);
    printf("localtime EST5: %s, mktime back: %d\n", buf, mktime(&local) == t);
    strftime(buf, sizeof(buf), "%F %T", gmtime(&t));
    printf("gmtime: %s\n", buf);
    t = 951782400;                                      // 2000-02-29
    strftime(buf, sizeof(buf), "%A %d %B %Y", gmtime(&t));
    printf("leap day: %s\n", buf);
}

// Recursion with a 256-byte frame: about 4 MiB of stack at depth 16000.
static unsigned long deep(int n)
{
    volatile unsigned char frame[256];
    frame[n % 256] = (unsigned char)n;
    return n == 0 ? 0 : deep(n - 1) + frame[n % 256];
}

static void check_rlimits(void)
{
    struct rlimit nofile, stack, as, core = { 0, 0 };
    getrlimit(RLIMIT_NOFILE, &nofile);
    getrlimit(RLIMIT_STACK, &stack);
    getrlimit(RLIMIT_AS, &as);
    printf("rlimits: files %d, stack at least 4 MiB %d, memory at least 128 MiB %d, core 0: %d\n",
           nofile.rlim_cur >= 20 && nofile.rlim_cur <= nofile.rlim_max, stack.rlim_cur >= (4u << 20),
           as.rlim_cur >= (128u << 20), setrlimit(RLIMIT_CORE, &core));
    getrlimit(RLIMIT_CORE, &core);
    printf("core limit now %lu, bad resource: %s\n", (unsigned long)core.rlim_cur,
           err_name(getrlimit(99, &core) ? errno : 0));
}

static void check_memory(void)
{
    printf("recursion 16000 deep (4 MiB of stack): %lu\n", deep(16000));
    size_t size = 128u << 20;
    unsigned char *p = malloc(size);
    if (!p) {
        printf("malloc 128 MiB: refused\n");
        return;
    }
    for (size_t i = 0; i < size; i += 4096)
        p[i] = (unsigned char)(i >> 12);
    unsigned long sum = 0;
    for (size_t i = 0; i < size; i += 4096)
        sum += p[i];
    free(p);
    printf("malloc 128 MiB: ok, checksum %lu\n", sum);
}

int main(int argc, char **argv)
{
    if (argc != 2 || strlen(argv[1]) > 400) {
        fprintf(stderr, "usage: posix_check DIR\n");
        return 2;
    }
    strcpy(dir, argv[1]);
    setvbuf(stdout, NULL, _IOLBF, 0);
    check_regex();
    check_glob_fnmatch();
    check_scandir();
    check_popen();
    check_spawn();
    check_links();
    check_chmod();
    check_files();
    check_times();
    check_owners();
    check_locks();
    check_rlimits();
    check_time();
    check_memory();
    return 0;
}
