// The command shell: shared types and the interfaces between its parts.
//
//   lex.c      tokenizer and word expansion (pure: no I/O)
//   parse.c    parser from tokens to the AST below (pure)
//   exec.c     running the AST: redirections, pipelines, and-or lists
//   jobs.c     background jobs: table, reaping, notices, `wait`;
//              wait statuses and signal names
//   vars.c     shell variables, $ lookups, the environment of programs
//   builtins.c cd, pwd, exit, help, wait, jobs, export, unset
//   main.c     the read-parse-run loop, fdprintf
#ifndef SHELL_H
#define SHELL_H
#include <stddef.h>
#include <sys/types.h>

// ---- lexer (lex.c) ----

enum tok_type {
    T_END,          // end of the line (or a comment)
    T_WORD,         // a word, raw: quotes and $ still in it
    T_PIPE,         // |
    T_AND,          // &&
    T_OR,           // ||
    T_SEMI,         // ;
    T_AMP,          // &
    T_LESS,         // <
    T_GREAT,        // >
    T_DGREAT,       // >>
    T_GREATAND,     // >&
    T_ERROR,        // a lexical error; the lexer's err says which
};

struct token {
    enum tok_type type;
    const char *start;      // where it is in the line
    size_t len;
    int fd;                 // redirection operators: the digit before it, or -1
};

struct lexer {
    const char *line;
    size_t pos;
    const char *err;        // set with a T_ERROR token
};

void lex_init(struct lexer *lx, const char *line);
struct token lex_next(struct lexer *lx);
const char *tok_name(enum tok_type t);

// Looks up a variable for expansion (name is "?", "$", "!", "0" or a
// NAME); returns NULL when unset.
typedef const char *(*lookup_fn)(const char *name, void *ctx);

// Expands one raw word: removes quotes and backslashes and substitutes
// $NAME, ${NAME}, $?, $$, $! and a leading ~. *quoted is set when any part
// was quoted (an unquoted word expanding to "" is dropped). Returns a
// malloc'd string.
char *expand_word(const char *raw, lookup_fn lookup, void *ctx, int *quoted);

// NAME=... at the start of a raw word: returns the length of NAME, or 0.
size_t assignment_name_len(const char *raw);

// ---- AST (parse.c) ----

enum redir_kind { R_IN, R_OUT, R_APPEND, R_DUP };

struct redir {
    enum redir_kind kind;
    int fd;                 // which of the command's descriptors (0..9)
    char *word;             // the raw target word
};

struct command {
    char **words;           // raw words; the first nassign are NAME=value
    int nwords, nassign;
    struct redir *redirs;
    int nredirs;
};

struct pipeline {
    struct command *cmds;
    int ncmds;
};

struct andor {
    struct pipeline *pipes;
    enum tok_type *ops;     // ops[i] (T_AND or T_OR) joins pipes[i] and pipes[i+1]
    int npipes;
    int bg;                 // ended by &
    char *text;             // its source text, for job listings
};

struct cmdlist {
    struct andor *items;
    int n;
};

// Parses a line into *out; on a syntax error returns -1 with a short
// reason in err (and *out empty).
int parse_line(const char *line, struct cmdlist *out, char *err, size_t errlen);
void free_cmdlist(struct cmdlist *l);

// ---- variables (vars.c) ----

void vars_init(char **environ);
const char *var_get(const char *name);
int var_set(const char *name, const char *value);
int var_export(const char *name);
void var_unset(const char *name);
int valid_name(const char *s, size_t len);
// A NULL-terminated environment: the exported variables, overridden by
// the extra NAME=value strings (may be NULL). Free it with free_envp.
char **build_envp(char **extra, int nextra);
void free_envp(char **envp);
void vars_print_exported(int fd);
// The lookup_fn for expand_word: variables and $? $$ $! $# $0.
const char *var_lookup(const char *name, void *ctx);

// ---- execution (exec.c) ----

extern int last_status;        // $?
extern pid_t last_bg_pid;      // $!
extern const char *self_path;  // this shell's program, for `a && b &`

void exec_init(int interactive);
int run_list(const struct cmdlist *l);
int run_line(const char *line);

// ---- main.c ----

// printf to a descriptor.
void fdprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

// ---- jobs (jobs.c) ----

int job_add(const pid_t *pids, int npids, const char *text);
void jobs_reap(int fd);
void jobs_list(int fd);
int jobs_wait_all(void);
int jobs_wait_pid(pid_t pid, int *status);
const char *signal_text(int sig);
int status_code(int wstatus);

// ---- builtins (builtins.c) ----

typedef int (*builtin_fn)(int argc, char **argv, int out, int err);
builtin_fn find_builtin(const char *name);

#endif
