/* Helpers for the plain-data HTTP request and response shared by every server handler. */
#include "http.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *wl_http_request_header(const wl_http_request_t *req, const char *name)
{
    for (size_t i = 0; i < req->n_headers; i++)
        if (req->headers[i].name && strcasecmp(req->headers[i].name, name) == 0)
            return req->headers[i].value;
    return NULL;
}

int wl_http_response_header(wl_http_response_t *res, const char *name, const char *value)
{
    if (res->n_headers >= WL_HTTP_MAX_HEADERS) return -1;
    char *n = strdup(name), *v = strdup(value);
    if (!n || !v) { free(n); free(v); return -1; }
    res->headers[res->n_headers].name = n;
    res->headers[res->n_headers].value = v;
    res->n_headers++;
    return 0;
}

int wl_http_response_set(wl_http_response_t *res, int status, const char *content_type,
                         const void *body, size_t len)
{
    unsigned char *copy = malloc(len ? len : 1);
    if (!copy) return -1;
    if (len) memcpy(copy, body, len);
    free(res->body);
    res->body = copy;
    res->body_len = len;
    res->status = status;
    return content_type ? wl_http_response_header(res, "content-type", content_type) : 0;
}

int wl_http_response_take(wl_http_response_t *res, int status, const char *content_type, void *body, size_t len)
{
    if (!body) return -1;
    free(res->body);
    res->body = body;
    res->body_len = len;
    res->status = status;
    return content_type ? wl_http_response_header(res, "content-type", content_type) : 0;
}

void wl_http_response_free(wl_http_response_t *res)
{
    for (size_t i = 0; i < res->n_headers; i++) {
        free((char *)res->headers[i].name);
        free((char *)res->headers[i].value);
    }
    free(res->body);
    memset(res, 0, sizeof *res);
}
