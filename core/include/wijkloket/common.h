/* Shared return codes and the error-message carrier used by every core function. */
#ifndef WL_COMMON_H
#define WL_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every fallible core function returns one of these; WL_OK is always 0. */
typedef enum {
    WL_OK = 0,
    WL_ERR_IO,        /* a file could not be read or written (disk full, read-only, missing) */
    WL_ERR_PARSE,     /* a file or value is not well formed (JSON syntax, bad date) */
    WL_ERR_INVALID,   /* well formed but not allowed (unknown id, out of range, wrong type) */
    WL_ERR_NOTFOUND,  /* the thing asked for does not exist */
    WL_ERR_NOMEM,     /* out of memory */
    WL_ERR_DB,        /* the database refused (corrupt, foreign, locked too long) */
    WL_ERR_AUTH,      /* wrong PIN or passphrase */
    WL_ERR_LOCKED,    /* the user is locked after too many wrong PINs */
    WL_ERR_CONFLICT,  /* someone else got there first (slot taken, duplicate) */
    WL_ERR_STATE      /* the call does not fit the current state (incomplete intake) */
} wl_rc;

/* A readable message for the caller: file, line, field and what is wrong.
 * Core writes staff-facing English/Dutch technical text here; the kiosk never shows it
 * to a citizen as is. */
typedef struct {
    char msg[512];
} wl_err_t;

/* Sets err->msg printf-style; err may be NULL (then nothing happens). */
void wl_err_set(wl_err_t *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefixes err->msg with more context ("file.json: " + old message). */
void wl_err_prefix(wl_err_t *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A short stable name for a return code, for logs and exit messages ("io", "parse", ...). */
const char *wl_rc_name(wl_rc rc);

#endif
