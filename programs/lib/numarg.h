// Parsing numbers given as arguments (counts, offsets, integers), shared
// by the programs in /bin so that they accept and reject the same forms.
#ifndef NUMARG_H
#define NUMARG_H

// Parses a count: decimal digits, optionally followed by a multiplier
// suffix b (512), K (1024), M (1024^2), G (1024^3), kB (1000), MB (1000^2).
// Returns 0 and stores it in *out, or -1 when s is not such a count or
// does not fit in 64 bits.
int numarg_count(const char *s, unsigned long long *out);

// Parses a whole argument as a signed decimal integer (leading and
// trailing blanks allowed, as test(1) does). Returns 0, or -1 when s is
// not an integer or is out of range.
int numarg_integer(const char *s, long long *out);

#endif
