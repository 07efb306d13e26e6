/* application/x-www-form-urlencoded bodies: decoded, UTF-8 checked, bounded. */
#include "form.h"

#include <stdlib.h>
#include <string.h>

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool form_utf8_ok(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) return false;
            i++;
            continue;
        }
        size_t need;
        unsigned cp;
        if (c >= 0xc2 && c <= 0xdf) { need = 1; cp = c & 0x1f; }
        else if (c >= 0xe0 && c <= 0xef) { need = 2; cp = c & 0x0f; }
        else if (c >= 0xf0 && c <= 0xf4) { need = 3; cp = c & 0x07; }
        else return false;
        for (size_t k = 1; k <= need; k++) {
            if (i + k >= n || (s[i + k] & 0xc0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        /* Overlong forms, surrogates and code points past U+10FFFF are not UTF-8. */
        if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) || cp > 0x10ffff ||
            (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        /* C1 control characters. */
        if (cp >= 0x80 && cp < 0xa0) return false;
        i += need + 1;
    }
    return true;
}

/* Decodes src[0..n) into dst (room for n+1); returns the decoded length or -1. */
static long decode(const unsigned char *src, size_t n, char *dst)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = src[i];
        if (c == '+') {
            dst[o++] = ' ';
        } else if (c == '%') {
            if (i + 2 >= n) return -1;
            int h = hexval(src[i + 1]), l = hexval(src[i + 2]);
            if (h < 0 || l < 0) return -1;
            dst[o++] = (char)(h * 16 + l);
            i += 2;
        } else {
            dst[o++] = (char)c;
        }
    }
    dst[o] = 0;
    if (!form_utf8_ok(dst, o)) return -1;
    return (long)o;
}

form_rc form_parse(form_t *f, const unsigned char *body, size_t len)
{
    memset(f, 0, sizeof *f);
    if (len > FORM_MAX_BYTES) return FORM_TOO_BIG;
    /* Every decoded string is no longer than its source; +2 NULs per field at most. */
    f->mem_len = len + 2 * (FORM_MAX_FIELDS + 1) + 1;
    f->mem = calloc(1, f->mem_len);
    if (!f->mem) return FORM_NOMEM;
    char *out = f->mem;
    size_t i = 0;
    form_rc rc = FORM_OK;
    while (i < len) {
        size_t end = i;
        while (end < len && body[end] != '&') end++;
        if (end > i) {
            if (f->n >= FORM_MAX_FIELDS) { rc = FORM_TOO_BIG; break; }
            size_t eq = i;
            while (eq < end && body[eq] != '=') eq++;
            long nl = decode(body + i, eq - i, out);
            if (nl < 0) { rc = FORM_BAD; break; }
            f->name[f->n] = out;
            out += nl + 1;
            size_t vs = eq < end ? eq + 1 : end;
            long vl = decode(body + vs, end - vs, out);
            if (vl < 0) { rc = FORM_BAD; break; }
            f->value[f->n] = out;
            out += vl + 1;
            f->n++;
        }
        i = end + 1;
    }
    if (rc != FORM_OK) form_free(f);
    return rc;
}

const char *form_get(const form_t *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->name[i], name) == 0) return f->value[i];
    return NULL;
}

void form_free(form_t *f)
{
    if (f->mem) {
        explicit_bzero(f->mem, f->mem_len);
        free(f->mem);
    }
    memset(f, 0, sizeof *f);
}
