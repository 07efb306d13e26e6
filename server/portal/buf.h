/* A growable byte buffer for building HTML pages, with escaping for text and attributes. */
#ifndef WLP_BUF_H
#define WLP_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *p;
    size_t len, cap;
    bool failed; /* set once an allocation failed; later appends do nothing */
} buf_t;

/* Appends raw bytes / a NUL-terminated string / printf output (not escaped). */
void buf_add(buf_t *b, const char *s, size_t n);
void buf_puts(buf_t *b, const char *s);
void buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s with &, <, >, " and ' escaped: safe in text and in quoted attribute values. */
void buf_esc(buf_t *b, const char *s);
/* Wipes (the buffer may hold answers) and frees. */
void buf_free(buf_t *b);

#endif
