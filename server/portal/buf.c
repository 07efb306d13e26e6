/* A growable byte buffer for building HTML pages, with escaping for text and attributes. */
#include "buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool grow(buf_t *b, size_t extra)
{
    if (b->failed) return false;
    if (b->len + extra + 1 <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + extra + 1) cap *= 2;
    /* No realloc: the old block may hold answers and must be wiped, not left in the heap. */
    char *p = malloc(cap);
    if (!p) {
        b->failed = true;
        return false;
    }
    if (b->p) {
        memcpy(p, b->p, b->len);
        explicit_bzero(b->p, b->cap);
        free(b->p);
    }
    b->p = p;
    b->cap = cap;
    return true;
}

void buf_add(buf_t *b, const char *s, size_t n)
{
    if (!grow(b, n)) return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = 0;
}

void buf_puts(buf_t *b, const char *s)
{
    if (s) buf_add(b, s, strlen(s));
}

/* True when fmt uses only %s, %d, %u, %zu and %%: the conversions the pages use, which
 * fast_printf handles itself. */
static bool simple_format(const char *fmt)
{
    for (const char *f = fmt; (f = strchr(f, '%')); f += 2) {
        if (f[1] == 'z' && f[2] == 'u') f++;
        else if (f[1] != 's' && f[1] != 'd' && f[1] != 'u' && f[1] != '%') return false;
    }
    return true;
}

static void add_num(buf_t *b, unsigned long long v, bool neg)
{
    char d[24];
    size_t i = sizeof d;
    do d[--i] = (char)('0' + v % 10); while ((v /= 10));
    if (neg) d[--i] = '-';
    buf_add(b, d + i, sizeof d - i);
}

/* Appends fmt with its arguments without vsnprintf: a page runs a dozen of these, and the
 * generic formatter was the biggest part of building one (perf, docs/benchmarks.md). */
static void fast_printf(buf_t *b, const char *fmt, va_list ap)
{
    const char *run = fmt;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') continue;
        buf_add(b, run, (size_t)(f - run));
        f++;
        if (*f == 's') {
            buf_puts(b, va_arg(ap, const char *));
        } else if (*f == 'd') {
            int v = va_arg(ap, int);
            add_num(b, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0);
        } else if (*f == 'u') {
            add_num(b, va_arg(ap, unsigned), false);
        } else if (*f == 'z') {
            f++;
            add_num(b, va_arg(ap, size_t), false);
        } else {
            buf_add(b, "%", 1);
        }
        run = f + 1;
    }
    buf_add(b, run, strlen(run));
}

void buf_printf(buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (simple_format(fmt)) {
        fast_printf(b, fmt, ap);
        va_end(ap);
        return;
    }
    char tmp[1024];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        buf_add(b, tmp, (size_t)n);
        explicit_bzero(tmp, (size_t)n); /* only what was written */
        return;
    }
    if (!grow(b, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void buf_esc(buf_t *b, const char *s)
{
    if (!s) return;
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default: continue;
        }
        buf_add(b, run, (size_t)(s - run));
        buf_puts(b, rep);
        run = s + 1;
    }
    buf_add(b, run, (size_t)(s - run));
}

void buf_free(buf_t *b)
{
    if (b->p) {
        explicit_bzero(b->p, b->cap);
        free(b->p);
    }
    memset(b, 0, sizeof *b);
}
