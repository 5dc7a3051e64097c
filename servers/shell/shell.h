// The command shell (a POSIX sh): shared types and the interfaces between
// its parts.
//
//   lex.c      tokenizer (pure: no I/O)
//   parse.c    parser from tokens to the AST below (pure)
//   expand.c   word expansion: parameters, fields, globbing, quotes
//   param.c    ${...} parameter expansion and $ special parameters
//   arith.c    $((...)) arithmetic
//   exec.c     running simple commands and pipelines, redirections
//   control.c  compound commands, functions, break/continue/return
//   subshell.c running part of the tree in a new shell process; state
//   input.c    reading and running input (files, -c strings, the console)
//   edit.c     the interactive line editor (pure logic) and history
//   lineread.c the editor at the console (raw mode), tab completion
//   jobs.c     background jobs: table, reaping, notices, `wait`
//   vars.c     shell variables, positional parameters, the environment
//   builtins.c cd, pwd, exit, help, wait, jobs, export, unset
//   builtins2.c echo, set, shift, read, eval, ., local, break, ...
//   read.c     read;  getopts.c getopts, command
//   (echo, printf, test and [ are programs/lib's echo_cmd, printf_cmd, test_cmd)
//   main.c     options, start-up (fdprintf is in programs/lib/cmdio.c)
#ifndef SHELL_H
#define SHELL_H
#include <stddef.h>
#include <sys/types.h>

// ---- lexer (lex.c) ----

enum tok_type {
    T_END,          // end of the input
    T_WORD,         // a word, raw: quotes and $ still in it
    T_NEWLINE,
    T_PIPE,         // |
    T_AND,          // &&
    T_OR,           // ||
    T_SEMI,         // ;
    T_DSEMI,        // ;;
    T_AMP,          // &
    T_LPAREN,       // (
    T_RPAREN,       // )
    T_LESS,         // <
    T_GREAT,        // >
    T_DGREAT,       // >>
    T_GREATAND,     // >&
    T_LESSAND,      // <&
    T_CLOBBER,      // >|
    T_LESSGREAT,    // <>
    T_DLESS,        // <<
    T_DLESSDASH,    // <<-
    T_ERROR,        // a lexical error; the lexer's err says which
};

struct token {
    enum tok_type type;
    const char *start;      // where it is in the text
    size_t len;
    int fd;                 // redirection operators: the digit before it, or -1
};

struct lexer {
    const char *line;       // the whole text being parsed
    size_t pos;
    const char *err;        // set with a T_ERROR token
    int incomplete;         // the error is only that the text ended early
};

void lex_init(struct lexer *lx, const char *line);
struct token lex_next(struct lexer *lx);
const char *tok_name(enum tok_type t);
// Skips the $-expression, quoted string or `...` at s[*p]; returns an
// error message or NULL. *incomplete is set when the text ended inside it.
const char *lex_skip(const char *s, size_t *p, int *incomplete);

size_t assignment_name_len(const char *raw);
int is_name_start(char c);
int is_name_char(char c);

// ---- AST (parse.c) ----

enum redir_kind { R_IN, R_OUT, R_APPEND, R_CLOBBER, R_RW, R_DUPIN, R_DUPOUT, R_HEREDOC };

struct redir {
    enum redir_kind kind;
    int fd;                 // which of the command's descriptors (0..9)
    char *word;             // the raw target word (heredoc: the delimiter)
    char *body;             // heredoc: its text (raw when expanded later)
    int quoted;             // heredoc: the delimiter was quoted: no expansion
    int strip_tabs;         // <<-
};

enum node_type {
    N_CMD, N_PIPE, N_AND, N_OR, N_NOT, N_SEQ, N_BG, N_SUBSHELL, N_GROUP,
    N_IF, N_WHILE, N_UNTIL, N_FOR, N_CASE, N_FUNC,
};

struct case_item {
    char **pats;
    int npats;
    struct node *body;      // may be NULL
};

struct node {
    enum node_type type;
    struct node *a, *b, *c; // children: SEQ/AND/OR/PIPE a,b; IF a then b else c;
                            // WHILE/UNTIL a do b; NOT/BG/GROUP/SUBSHELL/FOR/FUNC a
    char **words;           // CMD: raw words (first nassign are NAME=value); FOR: the list
    int nwords, nassign;
    int has_in;             // FOR: an `in` list was given
    struct redir *redirs;
    int nredirs;
    char *name;             // FOR: the variable; FUNC: the name; CASE: the raw word;
                            // SUBSHELL: the text inside the ( )
    struct case_item *items;
    int nitems;
    char *text;             // its source text (FUNC: the body's)
    int line;               // line number where it starts (from 1)
};

enum parse_result { P_OK, P_EOF, P_MORE, P_ERR };

struct pending { struct node *n; int i; };   // a heredoc: redirs[i] of n

struct parser {
    struct lexer lx;
    struct token tok;        // the current token
    const char *prev_end;    // where the previous token ended
    char *err;
    size_t errlen;
    int at_eof;              // no more text can be appended
    struct pending *pending; // heredocs whose bodies follow the next newline
    int npending;
    int line_base;           // line number of the start of the text
};

// Sets up a parser over text (which must outlive it).
void parser_init(struct parser *ps, const char *text, int at_eof, char *err, size_t errlen);
// Parses the next complete command (up to a newline) into *out. P_EOF at
// the end, P_MORE when the text ends inside a construct and !at_eof,
// P_ERR with the reason in err.
enum parse_result parse_next(struct parser *ps, struct node **out);
// Where the parser has got to in the text.
size_t parser_pos(const struct parser *ps);
// The line number where the parser is.
int parser_line(const struct parser *ps);
void free_node(struct node *n);
// The old one-line interface: parses a whole line into one tree.
int parse_line(const char *line, struct node **out, char *err, size_t errlen);

// ---- expansion (expand.c, param.c, arith.c) ----

struct strv {
    char **v;
    int n, cap;
};
void strv_push(struct strv *sv, char *s);
void strv_free(struct strv *sv);

// Expands raw words into fields (with splitting and globbing) appended
// to out. Returns -1 on an expansion error (already reported).
int expand_fields(char **raw, int n, struct strv *out);
// Expands one word to a single string: no splitting, no globbing.
char *expand_str(const char *raw);
// Expands a word into a pattern for fnmatch: quoted characters escaped.
char *expand_pattern(const char *raw);
// Expands a here-document body: $, ` and \ only.
char *expand_heredoc(const char *body);
// The output of running text in a subshell, trailing newlines removed.
char *command_output(const char *text);
// Is this character one that fnmatch treats specially?
int glob_meta(char c);

// ${...}, $name and special parameters. *p is at the '$'; appends the
// value to b (see expand.c's struct xbuf). Returns -1 on error.
struct xbuf;
int expand_param(const char *raw, size_t *p, struct xbuf *b, int in_dq);
// Evaluates an arithmetic expression (already expanded); -1 on error
// with a message in err.
int arith_eval(const char *expr, long *value, char *err, size_t errlen);
// Removes a prefix (%, %% suffix) matching pattern from s.
char *remove_affix(const char *s, const char *pat, int suffix, int longest);

// ---- variables (vars.c) ----

void vars_init(char **environ);
const char *var_get(const char *name);
int var_set(const char *name, const char *value);
int var_export(const char *name);
int var_is_exported(const char *name);
void var_unset(const char *name);
int valid_name(const char *s, size_t len);
// A NULL-terminated environment: the exported variables, overridden by
// the extra NAME=value strings (may be NULL). Free it with free_envp.
char **build_envp(char **extra, int nextra);
void free_envp(char **envp);
void vars_print_exported(int fd);
// Calls fn for every set variable.
void vars_each(void (*fn)(const char *name, const char *value, int exported, void *ctx), void *ctx);

// local NAME: saves it in the innermost function frame.
void var_local(const char *name);
void vars_push_frame(void);
void vars_pop_frame(void);

// Positional parameters ($0 is arg0).
extern char *arg0;
extern char **posv;
extern int posc;
void pos_set(char **argv, int argc);   // copies
char **strv_copy(char **v, int n);
// Swaps in a new set, returning the old (for function calls).
void pos_swap(char ***v, int *c);

// ---- functions (control.c) ----

int func_define(const char *name, const char *body_text);
struct node *func_find(const char *name);
void funcs_each(void (*fn)(const char *name, const char *text, void *ctx), void *ctx);

// ---- execution (exec.c, control.c) ----

extern int last_status;        // $?
extern int subst_status;       // of the last $(...)
extern pid_t last_bg_pid;      // $!
extern pid_t shell_pid;        // $$ (in a subshell: the parent's)
extern const char *self_path;  // this shell's program, for subshells
extern int opt_e, opt_x, opt_u, opt_f;
extern int interactive;
extern int loop_depth;         // loops we are inside
extern int break_n, continue_n, returning, func_depth;
extern const char *script_name; // for error messages: NULL or the file
extern int exit_requested;
extern int line_aborted;        // an expansion error at the prompt: skip the rest

void exec_init(int job_control);
int run_node(struct node *n);
int run_simple(struct node *n);
int run_pipeline(struct node *n);
int run_pipeline_bg(struct node *n, int bg);
pid_t exec_pgid(void);
int wait_pids(const pid_t *pids, int n, pid_t pgid);
void func_unset(const char *name);
extern int cur_line;
char *find_program(const char *name);
int run_compound(struct node *n);
// Runs a whole string (eval, ., sh -c); returns the last status.
int run_string(const char *text, const char *name);
// Applies redirections to the shell's own descriptors; the old ones are
// kept in saved (restore with redirs_restore). -1 after an error message.
int redirs_apply(const struct redir *r, int n, int *saved);
void redirs_restore(int *saved);
// Prints "sh: " (and the script and line) for an error message.
void err_prefix(void);
// Called after a command's status is known: `set -e` exits here.
void check_errexit(int status);
extern int errexit_off;        // inside if/while conditions, && || and !

// ---- subshells (subshell.c) ----

// Spawns this shell to run text with the current state, with descriptors
// fds. Returns the pid or -1 after a message.
pid_t subshell_spawn(const char *text, const int fds[3], pid_t pgid);
// Runs text in a subshell and waits: ( ... ).
int subshell_run(const char *text);
// At start-up: loads the state a parent shell passed, if any.
void subshell_load(void);

// ---- main.c / input.c ----

// Ends the shell, after running the EXIT trap.
_Noreturn void sh_exit(int status);
int b_trap(int argc, char **argv, int out, int err);

// printf to a descriptor (programs/lib/cmdio.c; the host tests give their own).
void fdprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
// The read-parse-run loop over a descriptor.
int run_fd(int fd, int prompt);
// Reads a whole file; NULL (errno set) if it cannot.
char *read_file(const char *path);

// ---- jobs (jobs.c) ----

int job_add(const pid_t *pids, int npids, const char *text);
void jobs_reap(int fd);
void jobs_list(int fd);
int jobs_wait_all(void);
int jobs_wait_pid(pid_t pid, int *status);
const char *signal_text(int sig);
int status_code(int wstatus);

// ---- builtins ----

typedef int (*builtin_fn)(int argc, char **argv, int out, int err);
builtin_fn find_builtin(const char *name);
builtin_fn find_builtin2(const char *name);
int is_special_builtin(const char *name);
void builtins_each(void (*fn)(const char *name, void *ctx), void *ctx);
int b_read(int argc, char **argv, int out, int err);
int b_getopts(int argc, char **argv, int out, int err);
int b_command(int argc, char **argv, int out, int err);
// Builtins safe to run inside the shell as a pipeline stage.
int builtin_is_pure(const char *name);

#endif
