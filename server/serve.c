/* The libmicrohttpd adapter: turns each connection's request into wl_http_request_t, runs the
 * router, and sends the wl_http_response_t back. Nothing here knows the API's endpoints. */
#include "serve.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

typedef struct {
    char *uri;            /* raw request target as sent, query included (signatures cover it) */
    unsigned char *body;
    size_t len, cap;
    bool too_big;
} conn_t;

typedef struct {
    wl_http_request_t *req;
    char (*names)[64];
} hdr_walk_t;

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    conn_t *cc = calloc(1, sizeof *cc);
    if (cc) cc->uri = strdup(uri ? uri : "/");
    return cc;
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    conn_t *cc = *con_cls;
    if (cc) {
        free(cc->uri);
        free(cc->body);
        free(cc);
    }
    *con_cls = NULL;
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    hdr_walk_t *w = cls;
    wl_http_request_t *r = w->req;
    if (r->n_headers >= WL_HTTP_MAX_HEADERS || !key) return MHD_YES;
    char *n = w->names[r->n_headers];
    size_t i = 0;
    for (; key[i] && i < 63; i++) n[i] = (char)tolower((unsigned char)key[i]);
    n[i] = 0;
    r->headers[r->n_headers].name = n;
    r->headers[r->n_headers].value = value ? value : "";
    r->n_headers++;
    return MHD_YES;
}

typedef struct {
    void *p;
    size_t len;
} owned_body_t;

/* MHD is done with a body it was given: wiped (a portal page may hold answers) and freed. */
static void free_body(void *cls)
{
    owned_body_t *o = cls;
    explicit_bzero(o->p, o->len);
    free(o->p);
    free(o);
}

/* Queues res; its body is handed to MHD without a copy (res->body is NULL afterwards). */
static enum MHD_Result send_response(struct MHD_Connection *c, wl_http_response_t *res)
{
    struct MHD_Response *m = NULL;
    owned_body_t *o = res->body ? malloc(sizeof *o) : NULL;
    if (o) {
        *o = (owned_body_t){res->body, res->body_len};
        m = MHD_create_response_from_buffer_with_free_callback_cls(res->body_len, res->body, free_body, o);
        if (m) res->body = NULL;
        else free(o);
    } else if (!res->body) {
        m = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    }
    if (!m) return MHD_NO;
    for (size_t i = 0; i < res->n_headers; i++) MHD_add_response_header(m, res->headers[i].name, res->headers[i].value);
    enum MHD_Result r = MHD_queue_response(c, (unsigned)(res->status ? res->status : 500), m);
    MHD_destroy_response(m);
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    (void)url;
    (void)version;
    wl_serve_t *s = cls;
    conn_t *cc = *con_cls;
    if (!cc || !cc->uri) return MHD_NO;
    if (!cc->body && !cc->too_big && *upload_size == 0 && cc->cap == 0) {
        /* First call: headers only. Refuse an announced oversized body before reading it. */
        cc->cap = 1;
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > s->api->max_body) cc->too_big = true;
        if (!cc->too_big) return MHD_YES;
    }
    if (*upload_size) {
        if (!cc->too_big) {
            if (cc->len + *upload_size > s->api->max_body) {
                cc->too_big = true;
                free(cc->body);
                cc->body = NULL;
                cc->len = 0;
            } else {
                if (cc->len + *upload_size > cc->cap || !cc->body) {
                    size_t ncap = (cc->len + *upload_size) * 2;
                    unsigned char *nb = realloc(cc->body, ncap);
                    if (!nb) return MHD_NO;
                    cc->body = nb;
                    cc->cap = ncap;
                }
                memcpy(cc->body + cc->len, upload, *upload_size);
                cc->len += *upload_size;
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    wl_http_response_t res;
    memset(&res, 0, sizeof res);
    if (cc->too_big) {
        wl_api_error(&res, 413, "too_large", "the request body is larger than the %zu bytes allowed", s->api->max_body);
    } else {
        wl_http_request_t req;
        memset(&req, 0, sizeof req);
        char names[WL_HTTP_MAX_HEADERS][64];
        char *q = strchr(cc->uri, '?');
        if (q) *q = 0;
        req.method = method;
        req.path = cc->uri;
        req.query = q ? q + 1 : "";
        char peer[INET6_ADDRSTRLEN] = "?", addr[WL_ADDR_BUFSZ];
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (ci && ci->client_addr) {
            if (ci->client_addr->sa_family == AF_INET)
                inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, peer, sizeof peer);
            else if (ci->client_addr->sa_family == AF_INET6)
                inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, peer, sizeof peer);
        }
        hdr_walk_t w = {&req, names};
        MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, &w);
        wl_client_addr(s->trusted, peer, wl_http_request_header(&req, "x-forwarded-for"), addr);
        req.remote_addr = addr;
        req.body = cc->body ? cc->body : (const unsigned char *)"";
        req.body_len = cc->len;
        req.now = (int64_t)time(NULL);
        wl_server_route(s->api, &req, &res);
        if (q) *q = '?';
        if (res.status >= 500)
            fprintf(stderr, "wijkloket-server: %s %s -> %d %.*s\n", method, cc->uri, res.status, (int)res.body_len,
                    (const char *)res.body);
    }
    enum MHD_Result r = send_response(c, &res);
    wl_http_response_free(&res);
    return r;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("wijkloket-server (http): ", stderr);
    vfprintf(stderr, fmt, ap);
}

int wl_serve_run(wl_serve_t *s)
{
    struct sockaddr_in sa4;
    struct sockaddr_in6 sa6;
    struct sockaddr *sa;
    /* A fixed pool of threads, each with its own epoll set, rather than one thread per
     * connection: at 100 connections the thread-per-connection model spent most of its time
     * in poll() and context switches (perf, docs/benchmarks.md). A handler that waits on
     * PostgreSQL holds up only its own thread's connections; the database pool has as many
     * connections as there are threads. */
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO | MHD_USE_ERROR_LOG;
    memset(&sa4, 0, sizeof sa4);
    memset(&sa6, 0, sizeof sa6);
    if (inet_pton(AF_INET, s->listen, &sa4.sin_addr) == 1) {
        sa4.sin_family = AF_INET;
        sa4.sin_port = htons((uint16_t)s->port);
        sa = (struct sockaddr *)&sa4;
    } else if (inet_pton(AF_INET6, s->listen, &sa6.sin6_addr) == 1) {
        sa6.sin6_family = AF_INET6;
        sa6.sin6_port = htons((uint16_t)s->port);
        sa = (struct sockaddr *)&sa6;
        flags |= MHD_USE_IPv6;
    } else {
        fprintf(stderr, "wijkloket-server: --listen %s is not an IP address\n", s->listen);
        return 2;
    }
    /* Block the stop signals in every thread MHD starts; the main thread waits for them. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    struct MHD_Daemon *d = MHD_start_daemon(
        flags, (uint16_t)s->port, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_SOCK_ADDR, sa, MHD_OPTION_URI_LOG_CALLBACK,
        on_uri, NULL, MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)s->max_connections, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)(s->threads > 0 ? s->threads : 1),
        /* MHD clears a connection's memory pool for every request: 16 KiB (not the default 32)
         * holds any sane request head; bodies are streamed out of it into conn_t. */
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)16384, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "wijkloket-server: cannot listen on %s port %d (in use, or not allowed)\n", s->listen, s->port);
        return 1;
    }
    printf("wijkloket-server: listening on http://%s%s%s:%d/ (health: /health)\n", strchr(s->listen, ':') ? "[" : "",
           s->listen, strchr(s->listen, ':') ? "]" : "", s->port);
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    printf("wijkloket-server: stopping (signal %d)\n", sig);
    MHD_stop_daemon(d);
    return 0;
}
