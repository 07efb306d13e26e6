/* Error-message helpers shared by every core module. */
#include "wijkloket/common.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void wl_err_set(wl_err_t *err, const char *fmt, ...)
{
    if (!err) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

void wl_err_prefix(wl_err_t *err, const char *fmt, ...)
{
    if (!err) return;
    char prefix[256], old[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    /* Concatenate by hand: the result is cut at the buffer's end on purpose. */
    size_t np = strnlen(prefix, sizeof prefix), cap = sizeof err->msg - 1;
    if (np > cap) np = cap;
    memcpy(err->msg, prefix, np);
    size_t no = strnlen(old, sizeof old);
    if (no > cap - np) no = cap - np;
    memcpy(err->msg + np, old, no);
    err->msg[np + no] = '\0';
}

const char *wl_rc_name(wl_rc rc)
{
    switch (rc) {
    case WL_OK: return "ok";
    case WL_ERR_IO: return "io";
    case WL_ERR_PARSE: return "parse";
    case WL_ERR_INVALID: return "invalid";
    case WL_ERR_NOTFOUND: return "not-found";
    case WL_ERR_NOMEM: return "no-memory";
    case WL_ERR_DB: return "database";
    case WL_ERR_AUTH: return "auth";
    case WL_ERR_LOCKED: return "locked";
    case WL_ERR_CONFLICT: return "conflict";
    case WL_ERR_STATE: return "state";
    }
    return "unknown";
}
