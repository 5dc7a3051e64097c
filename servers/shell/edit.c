// The interactive line editor (pure: no I/O). It keeps the line and the
// cursor, and for every key appends to e->out what the terminal must be
// sent: typing at the end of the line echoes the character, as the
// console itself does; any other change redraws the line ("\r", the
// prompt, the text, erase to the end, then the cursor moved back).
//
// Keys: printable characters insert; backspace (DEL or ^H) and ESC [ 3 ~
// delete; left/right (ESC [ D / C, ^B / ^F), home/end (ESC [ H / F,
// ESC [ 1 ~ / 4 ~, ^A / ^E); up/down browse the history; ^U erases before
// the cursor, ^K after it; tab completes; ^C cancels the line; ^D ends
// the input on an empty line, else deletes under the cursor; Enter ends.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "edit.h"

static void emit(struct editor *e, const char *s, size_t n)
{
    if (e->out_len + n > sizeof e->out)
        n = sizeof e->out - e->out_len;
    memcpy(e->out + e->out_len, s, n);
    e->out_len += n;
}

static void emits(struct editor *e, const char *s) { emit(e, s, strlen(s)); }

void edit_begin(struct editor *e, const char *prompt, struct history *h, complete_fn fn, void *ctx)
{
    e->len = e->cur = 0;
    e->buf[0] = 0;
    e->prompt = prompt;
    e->hist = h;
    e->hpos = h ? h->n : 0;
    e->esc = 0;
    e->tabs = 0;
    e->complete = fn;
    e->ctx = ctx;
    e->out_len = 0;
}

// Redraws the whole line and puts the cursor where it belongs.
static void redraw(struct editor *e)
{
    char tail[24];
    emits(e, "\r");
    emits(e, e->prompt);
    emit(e, e->buf, e->len);
    emits(e, "\x1b[K");
    if (e->len > e->cur) {
        snprintf(tail, sizeof tail, "\x1b[%zuD", e->len - e->cur);
        emits(e, tail);
    }
}

// Inserts text at the cursor (what does not fit is dropped).
static void insert(struct editor *e, const char *s, size_t n)
{
    if (e->len + n >= EDIT_MAX)
        n = EDIT_MAX - 1 - e->len;
    memmove(e->buf + e->cur + n, e->buf + e->cur, e->len - e->cur);
    memcpy(e->buf + e->cur, s, n);
    e->len += n;
    e->cur += n;
    e->buf[e->len] = 0;
    if (e->cur == e->len)
        emit(e, s, n);              // at the end: a plain echo
    else
        redraw(e);
}

// Deletes n characters at position at.
static void erase(struct editor *e, size_t at, size_t n)
{
    memmove(e->buf + at, e->buf + at + n, e->len - at - n);
    e->len -= n;
    e->buf[e->len] = 0;
    if (e->cur > at)
        e->cur = e->cur >= at + n ? e->cur - n : at;
}

// Deletes the character before the cursor.
static void backspace(struct editor *e)
{
    if (!e->cur)
        return;
    int at_end = e->cur == e->len;
    erase(e, e->cur - 1, 1);
    if (at_end)
        emits(e, "\b \b");
    else
        redraw(e);
}

// Moves the cursor with ESC [ n D / C.
static void move_to(struct editor *e, size_t pos)
{
    char s[24];
    if (pos < e->cur)
        snprintf(s, sizeof s, "\x1b[%zuD", e->cur - pos);
    else if (pos > e->cur)
        snprintf(s, sizeof s, "\x1b[%zuC", pos - e->cur);
    else
        return;
    emits(e, s);
    e->cur = pos;
}

// Shows history line i (hist->n: the line being typed).
static void show_history(struct editor *e, int i)
{
    if (!e->hist || i < 0 || i > e->hist->n || i == e->hpos)
        return;
    if (e->hpos == e->hist->n)
        memcpy(e->saved, e->buf, e->len + 1);
    const char *s = i == e->hist->n ? e->saved : e->hist->lines[i];
    e->hpos = i;
    e->len = e->cur = strlen(s);
    memcpy(e->buf, s, e->len + 1);
    redraw(e);
}

void history_add(struct history *h, const char *line)
{
    if (!line[0] || (h->n && !strcmp(h->lines[h->n - 1], line)))
        return;
    if (h->n == HIST_MAX) {
        free(h->lines[0]);
        memmove(h->lines, h->lines + 1, (HIST_MAX - 1) * sizeof h->lines[0]);
        h->n--;
    }
    h->lines[h->n++] = strdup(line);
    if (!h->lines[h->n - 1])
        h->n--;
}

// The longest common prefix of the candidates.
static size_t common_prefix(char **c, int n)
{
    size_t k = strlen(c[0]);
    for (int i = 1; i < n; i++) {
        size_t j = 0;
        while (j < k && c[i][j] == c[0][j])
            j++;
        k = j;
    }
    return k;
}

// Tab: completes the word before the cursor as far as it is certain; a
// second tab lists the candidates.
static void complete(struct editor *e)
{
    size_t start = e->cur;
    while (start && !strchr(" \t|&;<>()", e->buf[start - 1]))
        start--;
    size_t p = start;
    while (p && (e->buf[p - 1] == ' ' || e->buf[p - 1] == '\t'))
        p--;
    int command = p == 0 || strchr("|&;(", e->buf[p - 1]) != NULL;
    char word[EDIT_MAX];
    memcpy(word, e->buf + start, e->cur - start);
    word[e->cur - start] = 0;
    int n = 0;
    char **c = e->complete ? e->complete(word, command, &n, e->ctx) : NULL;
    size_t wl = strlen(word);
    if (n == 1) {
        size_t l = strlen(c[0]);
        insert(e, c[0] + wl, l > wl ? l - wl : 0);
        if (l && c[0][l - 1] != '/')
            insert(e, " ", 1);
    } else if (n > 1) {
        size_t k = common_prefix(c, n);
        if (k > wl) {
            insert(e, c[0] + wl, k - wl);
        } else if (++e->tabs >= 2) {
            emits(e, "\r\n");
            for (int i = 0; i < n; i++) {
                emits(e, c[i]);
                emits(e, i == n - 1 ? "\r\n" : "  ");
            }
            redraw(e);
        }
    }
    for (int i = 0; i < n; i++)
        free(c[i]);
    free(c);
}

// The final byte of an escape sequence (after ESC [ or ESC O).
static void escape_key(struct editor *e, unsigned char c)
{
    if (c >= '0' && c <= '9') {
        e->esc_arg = (char)c;
        return;                      // wait for the '~'
    }
    e->esc = 0;
    char arg = e->esc_arg;
    e->esc_arg = 0;
    if (c == '~')
        c = arg == '3' ? 'X' : (arg == '1' || arg == '7') ? 'H' : (arg == '4' || arg == '8') ? 'F' : 0;
    switch (c) {
    case 'A': show_history(e, e->hpos - 1); break;
    case 'B': show_history(e, e->hpos + 1); break;
    case 'C': if (e->cur < e->len) move_to(e, e->cur + 1); break;
    case 'D': if (e->cur) move_to(e, e->cur - 1); break;
    case 'H': move_to(e, 0); break;
    case 'F': move_to(e, e->len); break;
    case 'X': if (e->cur < e->len) { erase(e, e->cur, 1); redraw(e); } break;
    }
}

// Control keys; returns the result of the key.
static enum edit_result control_key(struct editor *e, unsigned char c)
{
    switch (c) {
    case '\r': case '\n':
        emits(e, "\r\n");
        return ED_DONE;
    case 3:                          // ^C
        emits(e, "^C\r\n");
        e->len = e->cur = 0;
        e->buf[0] = 0;
        return ED_CANCEL;
    case 4:                          // ^D
        if (!e->len)
            return ED_EOF;
        if (e->cur < e->len) {
            erase(e, e->cur, 1);
            redraw(e);
        }
        break;
    case 0x7f: case '\b': backspace(e); break;
    case 1: move_to(e, 0); break;            // ^A
    case 5: move_to(e, e->len); break;       // ^E
    case 2: if (e->cur) move_to(e, e->cur - 1); break;
    case 6: if (e->cur < e->len) move_to(e, e->cur + 1); break;
    case 0x15: erase(e, 0, e->cur); redraw(e); break;              // ^U
    case 0x0b: erase(e, e->cur, e->len - e->cur); redraw(e); break; // ^K
    case '\t': complete(e); return ED_MORE;
    case 0x1b: e->esc = 1; break;
    }
    return ED_MORE;
}

enum edit_result edit_key(struct editor *e, unsigned char c)
{
    if (e->esc == 1) {
        e->esc = (c == '[' || c == 'O') ? 2 : 0;
        return ED_MORE;
    }
    if (e->esc == 2) {
        escape_key(e, c);
        return ED_MORE;
    }
    if (c != '\t')
        e->tabs = 0;
    if (c < 0x20 || c == 0x7f)
        return control_key(e, c);
    char ch = (char)c;
    insert(e, &ch, 1);
    return ED_MORE;
}
