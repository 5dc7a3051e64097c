// The interactive line editor: pure logic (keys in, screen updates out),
// so that it can be tested on the host. edit.c; the terminal side is in
// lineread.c.
#ifndef EDIT_H
#define EDIT_H
#include <stddef.h>

#define EDIT_MAX  1024           // longest line
#define HIST_MAX  100            // lines kept in the history
#define EDIT_OUT  (4 * EDIT_MAX)

enum edit_result { ED_MORE, ED_DONE, ED_EOF, ED_CANCEL };

// Completion: the candidates for the word text[start, end) (the whole
// word before the cursor); command is set when it is a command name.
// Returns a malloc'd array of malloc'd strings (full replacements for the
// word; a trailing '/' marks a folder), its length in *n.
typedef char **(*complete_fn)(const char *word, int command, int *n, void *ctx);

struct history {
    char *lines[HIST_MAX];
    int n;
};

struct editor {
    char buf[EDIT_MAX];
    size_t len, cur;             // text length and cursor position
    const char *prompt;
    struct history *hist;
    int hpos;                    // the history line shown (hist->n: the new line)
    char saved[EDIT_MAX];        // the new line while browsing the history
    int esc;                     // escape-sequence state: 0, 1 after ESC, 2 after ESC [ or O
    char esc_arg;                // a digit in ESC [ n ~
    int tabs;                    // consecutive tabs
    complete_fn complete;
    void *ctx;
    char out[EDIT_OUT];          // what to write to the terminal
    size_t out_len;
};

// Starts a new line; prompt is written by the caller.
void edit_begin(struct editor *e, const char *prompt, struct history *h, complete_fn fn, void *ctx);
// Feeds one byte; the screen update is appended to e->out (the caller
// writes and empties it). ED_DONE: the line is in e->buf (NUL-terminated).
enum edit_result edit_key(struct editor *e, unsigned char c);
// Adds a line to the history (not empty ones or repeats of the last).
void history_add(struct history *h, const char *line);
#endif
