// printf-style formatting without any library. Pure: used in the kernel,
// in boot-time user programs and in host tests.
#include "fmt.h"
#include <stdint.h>

struct out { char *buf; size_t size, len; };

static void out_char(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

// Writes v with an optional prefix ("-" or "0x"); zero padding goes
// between the prefix and the digits, space padding before both.
static void out_num(struct out *o, uint64_t v, unsigned base, const char *prefix, int width, char pad)
{
    char tmp[24];
    int n = 0, plen = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (prefix[plen])
        plen++;
    for (int i = n + plen; i < width && pad == ' '; i++)
        out_char(o, ' ');
    for (int i = 0; i < plen; i++)
        out_char(o, prefix[i]);
    for (int i = n + plen; i < width && pad == '0'; i++)
        out_char(o, '0');
    while (n)
        out_char(o, tmp[--n]);
}

static uint64_t arg_uint(va_list *ap, int lng)
{
    return lng ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned);
}

static void fmt_one(struct out *o, char c, int lng, int width, char pad, va_list *ap)
{
    if (c == 'd' || c == 'i') {
        int64_t v = lng ? va_arg(*ap, int64_t) : va_arg(*ap, int);
        out_num(o, v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0 ? "-" : "", width, pad);
    } else if (c == 'u') {
        out_num(o, arg_uint(ap, lng), 10, "", width, pad);
    } else if (c == 'x') {
        out_num(o, arg_uint(ap, lng), 16, "", width, pad);
    } else if (c == 'p') {
        out_num(o, (uint64_t)va_arg(*ap, void *), 16, "0x", width, pad);
    } else if (c == 'c') {
        for (int i = 1; i < width; i++)
            out_char(o, ' ');
        out_char(o, (char)va_arg(*ap, int));
    } else if (c == 's') {
        const char *s = va_arg(*ap, const char *);
        int n = 0;
        for (s = s ? s : "(null)"; s[n]; n++)
            ;
        for (int i = n; i < width; i++)
            out_char(o, ' ');
        while (*s)
            out_char(o, *s++);
    } else {
        out_char(o, '%');
        out_char(o, c);
    }
}

int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = { buf, size, 0 };
    va_list aq;
    va_copy(aq, ap);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            out_char(&o, *fmt);
            continue;
        }
        char pad = ' ';
        int width = 0, lng = 0;
        if (*++fmt == '0')
            pad = '0', fmt++;
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l' || *fmt == 'z')
            lng = 1, fmt++;
        if (!*fmt)
            break;
        if (*fmt == '%')
            out_char(&o, '%');
        else
            fmt_one(&o, *fmt, lng, width, pad, &aq);
    }
    va_end(aq);
    if (size)
        buf[o.len < size ? o.len : size - 1] = 0;
    return (int)o.len;
}

int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}
