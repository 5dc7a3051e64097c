// edit: a small full-screen text editor for the console (serial or VGA).
// usage: edit FILE
// Arrow keys, Home/End and PgUp/PgDn move; typed characters are inserted;
// Backspace and Delete erase; Enter splits the line; ^S saves (a new file
// is created then); ^Q quits, and asks for a second ^Q when there are
// unsaved changes. The bottom row is a status line. Tabs show as spaces to
// the next multiple of 8. Output is plain VT100 (cursor position, erase to
// end of line, reverse video), so it works on the serial console and on
// the VGA screen alike.
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "prog.h"
#include "term.h"

#define CTRL(c) ((c) & 0x1f)
#define TAB 8

struct line {
    char *s;
    int len, cap;
};

static struct {
    struct line *lines;
    int nlines, cap;
    int cy, cx;                  // cursor: line, byte in it
    int top, left;               // first line and screen column shown
    int rows, cols;              // the screen; the last row is the status
    int dirty, quit_asked, is_new;
    const char *path;
    char msg[160];               // shown on the status line until the next key
    int kbd;
} ed;

static struct {
    char *buf;
    size_t len, cap;
} out;

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n);
    if (!p) {
        term_restore();
        prog_warn("out of memory");
        exit(1);
    }
    return p;
}

// Appends to the output buffer (written out once per screen update).
static void out_add(const char *s, size_t n)
{
    if (out.len + n > out.cap) {
        out.cap = (out.len + n) * 2;
        out.buf = xrealloc(out.buf, out.cap);
    }
    memcpy(out.buf + out.len, s, n);
    out.len += n;
}

static void out_str(const char *s)
{
    out_add(s, strlen(s));
}

static void out_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void out_printf(const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    out_add(tmp, n < (int)sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static void out_flush(void)
{
    size_t done = 0;
    while (done < out.len) {
        ssize_t n = write(1, out.buf + done, out.len - done);
        if (n <= 0)
            break;
        done += (size_t)n;
    }
    out.len = 0;
}

static void set_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void set_msg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ed.msg, sizeof ed.msg, fmt, ap);
    va_end(ap);
}

// Makes room for n more bytes in line l.
static void line_reserve(struct line *l, int n)
{
    if (l->len + n + 1 > l->cap) {
        l->cap = (l->len + n + 1) * 2;
        l->s = xrealloc(l->s, (size_t)l->cap);
    }
}

// Inserts a line holding s[0..n) before line at.
static void line_insert(int at, const char *s, int n)
{
    if (ed.nlines == ed.cap) {
        ed.cap = ed.cap ? ed.cap * 2 : 64;
        ed.lines = xrealloc(ed.lines, (size_t)ed.cap * sizeof *ed.lines);
    }
    memmove(ed.lines + at + 1, ed.lines + at, (size_t)(ed.nlines - at) * sizeof *ed.lines);
    struct line *l = &ed.lines[at];
    *l = (struct line){ NULL, 0, 0 };
    line_reserve(l, n);
    memcpy(l->s, s, (size_t)n);
    l->len = n;
    ed.nlines++;
}

static void line_delete(int at)
{
    free(ed.lines[at].s);
    memmove(ed.lines + at, ed.lines + at + 1, (size_t)(ed.nlines - at - 1) * sizeof *ed.lines);
    ed.nlines--;
}

// Reads the file into lines; a missing file is a new, empty one.
// Returns 0, or -1 (reported) when it cannot be read.
static int load(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0 && errno != ENOENT) {
        prog_warn_errno("%s", path);
        return -1;
    }
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        prog_warn("%s: Is a directory", path);
        close(fd);
        return -1;
    }
    ed.is_new = fd < 0;
    char buf[4096], *acc = NULL;
    size_t len = 0;
    ssize_t n;
    while (fd >= 0 && (n = read(fd, buf, sizeof buf)) > 0) {
        acc = xrealloc(acc, len + (size_t)n);
        memcpy(acc + len, buf, (size_t)n);
        len += (size_t)n;
    }
    if (fd >= 0 && n < 0) {
        prog_warn_errno("%s", path);
        close(fd);
        return -1;
    }
    if (fd >= 0)
        close(fd);
    for (size_t start = 0; start < len;) {
        char *nl = memchr(acc + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - acc) : len;
        line_insert(ed.nlines, acc + start, (int)(end - start));
        start = end + 1;
    }
    if (!ed.nlines)
        line_insert(0, "", 0);
    free(acc);
    return 0;
}

// Writes every line, each ending in '\n' (an empty buffer: an empty file).
static void save(void)
{
    int fd = open(ed.path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    long bytes = 0;
    int ok = fd >= 0;
    int empty = ed.nlines == 1 && ed.lines[0].len == 0;
    for (int i = 0; ok && !empty && i < ed.nlines; i++) {
        struct line *l = &ed.lines[i];
        l->s[l->len] = '\n';
        ok = write(fd, l->s, (size_t)l->len + 1) == l->len + 1;
        bytes += l->len + 1;
    }
    if (fd >= 0 && close(fd) < 0)
        ok = 0;
    if (!ok) {
        set_msg("cannot save %s: %s", ed.path, strerror(errno));
        return;
    }
    ed.dirty = ed.is_new = 0;
    set_msg("wrote %d lines, %ld bytes", empty ? 0 : ed.nlines, bytes);
}

// The screen column of byte x of line l (tabs expanded).
static int render_col(const struct line *l, int x)
{
    int rx = 0;
    for (int i = 0; i < x && i < l->len; i++)
        rx = l->s[i] == '\t' ? (rx / TAB + 1) * TAB : rx + 1;
    return rx;
}

// Draws the visible part of line l in one screen row.
static void draw_line(const struct line *l)
{
    int rx = 0;
    for (int i = 0; i < l->len && rx < ed.left + ed.cols; i++) {
        int w = l->s[i] == '\t' ? TAB - rx % TAB : 1;
        for (int k = 0; k < w; k++, rx++)
            if (rx >= ed.left && rx < ed.left + ed.cols)
                out_add(l->s[i] == '\t' ? " " : &l->s[i], 1);
    }
}

static void draw_status(void)
{
    char left[200], right[64];
    if (ed.msg[0])
        snprintf(left, sizeof left, " %s", ed.msg);
    else
        snprintf(left, sizeof left, " %s%s%s", ed.path, ed.is_new ? " [new file]" : "",
                 ed.dirty ? " [modified]" : "");
    snprintf(right, sizeof right, "line %d/%d col %d  ^S save ^Q quit ", ed.cy + 1, ed.nlines,
             ed.cx + 1);
    int ll = (int)strlen(left), rl = (int)strlen(right);
    if (ll > ed.cols)
        ll = ed.cols;
    out_str("\x1b[7m");
    out_add(left, (size_t)ll);
    for (int i = ll; i < ed.cols - rl; i++)
        out_str(" ");
    if (ll + rl <= ed.cols)
        out_add(right, (size_t)rl);
    out_str("\x1b[0m");
}

// Keeps the cursor on the screen by moving the view.
static void scroll_to_cursor(void)
{
    int text_rows = ed.rows - 1, rx = render_col(&ed.lines[ed.cy], ed.cx);
    if (ed.cy < ed.top)
        ed.top = ed.cy;
    if (ed.cy >= ed.top + text_rows)
        ed.top = ed.cy - text_rows + 1;
    if (rx < ed.left)
        ed.left = rx;
    if (rx >= ed.left + ed.cols)
        ed.left = rx - ed.cols + 1;
}

// Redraws the whole screen in one write.
static void draw(void)
{
    scroll_to_cursor();
    out_str("\x1b[?25l\x1b[H");
    for (int r = 0; r < ed.rows - 1; r++) {
        int i = ed.top + r;
        if (i < ed.nlines)
            draw_line(&ed.lines[i]);
        else
            out_str("~");
        out_str("\x1b[K\r\n");
    }
    draw_status();
    out_printf("\x1b[%d;%dH\x1b[?25h", ed.cy - ed.top + 1,
               render_col(&ed.lines[ed.cy], ed.cx) - ed.left + 1);
    out_flush();
}

static void insert_char(char c)
{
    struct line *l = &ed.lines[ed.cy];
    line_reserve(l, 1);
    memmove(l->s + ed.cx + 1, l->s + ed.cx, (size_t)(l->len - ed.cx));
    l->s[ed.cx++] = c;
    l->len++;
    ed.dirty = 1;
}

// Enter: the rest of the line becomes a new line below.
static void split_line(void)
{
    struct line *l = &ed.lines[ed.cy];
    line_insert(ed.cy + 1, l->s + ed.cx, l->len - ed.cx);
    ed.lines[ed.cy].len = ed.cx;
    ed.cy++;
    ed.cx = 0;
    ed.dirty = 1;
}

// Appends line at + 1 to line at and removes it.
static void join_next(int at)
{
    struct line *a = &ed.lines[at], *b = &ed.lines[at + 1];
    line_reserve(a, b->len);
    memcpy(a->s + a->len, b->s, (size_t)b->len);
    a->len += b->len;
    line_delete(at + 1);
    ed.dirty = 1;
}

// Delete (forward) or Backspace (backward) one character.
static void erase(int forward)
{
    struct line *l = &ed.lines[ed.cy];
    if (!forward) {
        if (ed.cx == 0 && ed.cy == 0)
            return;
        if (ed.cx == 0) {
            ed.cy--;
            ed.cx = ed.lines[ed.cy].len;
            join_next(ed.cy);
            return;
        }
        ed.cx--;
    } else if (ed.cx == l->len) {
        if (ed.cy + 1 < ed.nlines)
            join_next(ed.cy);
        return;
    }
    memmove(l->s + ed.cx, l->s + ed.cx + 1, (size_t)(l->len - ed.cx - 1));
    l->len--;
    ed.dirty = 1;
}

static int clampi(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

// Cursor keys; the column is kept within the new line.
static void move(int key)
{
    int page = ed.rows - 1;
    switch (key) {
    case KEY_LEFT:
        if (ed.cx > 0)
            ed.cx--;
        else if (ed.cy > 0)
            ed.cx = ed.lines[--ed.cy].len;
        break;
    case KEY_RIGHT:
        if (ed.cx < ed.lines[ed.cy].len)
            ed.cx++;
        else if (ed.cy + 1 < ed.nlines)
            ed.cy++, ed.cx = 0;
        break;
    case KEY_UP: ed.cy--; break;
    case KEY_DOWN: ed.cy++; break;
    case KEY_PGUP: ed.cy -= page; ed.top -= page; break;
    case KEY_PGDN: ed.cy += page; ed.top += page; break;
    case KEY_HOME: ed.cx = 0; break;
    case KEY_END: ed.cx = ed.lines[ed.cy].len; break;
    }
    ed.cy = clampi(ed.cy, 0, ed.nlines - 1);
    ed.top = clampi(ed.top, 0, ed.nlines - 1);
    ed.cx = clampi(ed.cx, 0, ed.lines[ed.cy].len);
}

// Handles one key; returns 0 when the editor should quit.
static int handle_key(int key)
{
    int quit_asked = ed.quit_asked;
    ed.quit_asked = 0;
    ed.msg[0] = 0;
    if (key == CTRL('Q') || key == KEY_EOF) {
        if (!ed.dirty || quit_asked || key == KEY_EOF)
            return 0;
        ed.quit_asked = 1;
        set_msg("unsaved changes: ^Q again quits without saving, ^S saves");
    } else if (key == CTRL('S')) {
        save();
    } else if (key == '\r' || key == '\n') {
        split_line();
    } else if (key == 0x7f || key == 0x08) {
        erase(0);
    } else if (key == KEY_DELETE) {
        erase(1);
    } else if (key >= KEY_UP && key <= KEY_PGDN) {
        move(key);
    } else if (key == '\t' || (key >= 0x20 && key < 0x100 && key != 0x7f)) {
        insert_char((char)key);
    }
    return 1;
}

int main(int argc, char **argv)
{
    prog_init(argv[0]);
    if (argc != 2)
        prog_usage("FILE", 2);
    if (!isatty(1) || (ed.kbd = term_keyboard()) < 0) {
        prog_warn("standard output is not a terminal");
        return 1;
    }
    ed.path = argv[1];
    if (load(ed.path) < 0)
        return 1;
    term_size(1, &ed.rows, &ed.cols);
    if (term_raw(ed.kbd, 0, 0) < 0) {
        prog_warn_errno("cannot set the terminal's mode");
        return 1;
    }
    do
        draw();
    while (handle_key(term_key(ed.kbd)));
    out_str("\x1b[0m\x1b[2J\x1b[H");
    out_flush();
    term_restore();
    return 0;
}
