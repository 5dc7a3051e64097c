// Scanning the options of a program in /bin, one letter at a time, the
// way POSIX utilities take them: options come before the operands, each
// word "-abc" holds one or more letters, an option's value is the rest of
// its word or the next word, "--" ends the options, and "-" alone is an
// operand. Each program keeps its own messages for bad options.
#ifndef OPTSCAN_H
#define OPTSCAN_H

struct optscan {
    int argc;
    char **argv;
    int i;              // the word being scanned; at the end, the first operand
    const char *p;      // the next letter in argv[i], or NULL between words
    int done;           // the options have ended
};

// Starts scanning argv[1...].
void optscan_init(struct optscan *s, int argc, char **argv);

// The next option letter, or 0 when the options have ended (s->i is then
// the index of the first operand, past a "--").
int optscan_next(struct optscan *s);

// The value of the option letter just returned: the rest of its word, or
// else the next word; NULL when there is none. Ends the current word.
const char *optscan_value(struct optscan *s);

#endif
