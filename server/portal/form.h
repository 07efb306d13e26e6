/* application/x-www-form-urlencoded bodies: decoded, UTF-8 checked, bounded. */
#ifndef WLP_FORM_H
#define WLP_FORM_H

#include <stdbool.h>
#include <stddef.h>

#define FORM_MAX_FIELDS 64
#define FORM_MAX_BYTES 16384 /* the largest form a citizen can send (a page of answers) */

typedef struct {
    char *name[FORM_MAX_FIELDS];
    char *value[FORM_MAX_FIELDS];
    size_t n;
    char *mem; /* one block holding every decoded string, wiped on free */
    size_t mem_len;
} form_t;

typedef enum {
    FORM_OK = 0,
    FORM_TOO_BIG,   /* body over FORM_MAX_BYTES or more than FORM_MAX_FIELDS fields */
    FORM_BAD,       /* bad percent escape, NUL or control character, invalid UTF-8 */
    FORM_NOMEM
} form_rc;

/* Parses len bytes of body into f (zeroed first). On any error f holds nothing. */
form_rc form_parse(form_t *f, const unsigned char *body, size_t len);
/* The first value of field name, or NULL. */
const char *form_get(const form_t *f, const char *name);
/* Wipes and frees. */
void form_free(form_t *f);

/* True when s (NUL-terminated) is valid UTF-8 without control characters other than
 * tab, CR and LF. */
bool form_utf8_ok(const char *s, size_t n);

#endif
