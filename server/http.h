/* The server's HTTP request and response as plain data, so handlers (kiosk API, portal) are
 * pure functions that tests can call without a socket; server/main.c adapts libmicrohttpd. */
#ifndef WL_SERVER_HTTP_H
#define WL_SERVER_HTTP_H

#include <stddef.h>
#include <stdint.h>

#define WL_HTTP_MAX_HEADERS 32

typedef struct {
    const char *name;  /* lower-case */
    const char *value;
} wl_http_header_t;

/* One request. All strings are owned by the caller (the adapter) and live until the handler
 * returns. body is not NUL-terminated; body_len bytes. */
typedef struct {
    const char *method;        /* "GET", "POST", ... */
    const char *path;          /* without the query string, e.g. "/vraag/3" */
    const char *query;         /* raw query string without '?', or "" */
    const char *remote_addr;   /* textual peer address, for rate limits and logs (never personal data) */
    wl_http_header_t headers[WL_HTTP_MAX_HEADERS];
    size_t n_headers;
    const unsigned char *body;
    size_t body_len;
    int64_t now;               /* request time, unix seconds, from the server's clock */
} wl_http_request_t;

/* One response, filled by a handler. Header names and values and the body are malloc'd
 * copies owned by the response; wl_http_response_free releases them. */
typedef struct {
    int status;                /* 200, 303, 400, ... */
    wl_http_header_t headers[WL_HTTP_MAX_HEADERS];
    size_t n_headers;
    unsigned char *body;
    size_t body_len;
} wl_http_response_t;

/* Returns the value of header `name` (lower-case), or NULL. */
const char *wl_http_request_header(const wl_http_request_t *req, const char *name);

/* Adds a header (copied). Returns 0, or -1 when the table is full or memory runs out. */
int wl_http_response_header(wl_http_response_t *res, const char *name, const char *value);

/* Sets status and takes a copy of body (len bytes) with its content type. Returns 0 or -1. */
int wl_http_response_set(wl_http_response_t *res, int status, const char *content_type,
                         const void *body, size_t len);

/* Frees what the response owns and zeroes it. */
/* As wl_http_response_set, but takes over body (malloc'd, len bytes) instead of copying it:
 * one copy less of a page that may hold answers. On failure body is freed. */
int wl_http_response_take(wl_http_response_t *res, int status, const char *content_type, void *body, size_t len);
void wl_http_response_free(wl_http_response_t *res);

#endif
