/* The libmicrohttpd adapter: turns each connection's request into wl_http_request_t, runs the
 * router, and sends the wl_http_response_t back. Nothing here knows the API's endpoints. */
#include "serve.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct conn conn_t;
struct conn {
    char *uri;            /* raw request target as sent, query included (signatures cover it) */
    unsigned char *body;
    size_t len, cap;
    bool too_big;
    /* A kiosk API request handed to a database worker (see offload_t) while MHD keeps the
     * connection suspended; header names, address and the answer live here meanwhile. */
    int state;            /* 0 not handed over, 1 with a worker, 2 answered */
    struct MHD_Connection *mc;
    conn_t *next;
    char *query_mark;     /* where '?' was cut off uri for the router */
    wl_http_request_t req;
    wl_http_response_t res;
    char names[WL_HTTP_MAX_HEADERS][64];
    char addr[WL_ADDR_BUFSZ];
};

/* Database workers for /api/ requests. Every kiosk API request waits for PostgreSQL (a
 * booking or an intake for its WAL flush): run in MHD's own threads, that wait held up every
 * other connection the same thread served, and MHD hands new connections to whichever
 * threads are awake, so under load a few threads ended up with all kiosks (20 clients on 4 of
 * 16 threads, measured) and the rest idled. Here the MHD thread suspends the connection and
 * goes on serving others; a worker with its own turn at the database pool answers and
 * resumes it. Portal pages stay on MHD's threads: most never touch the database. */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    conn_t *head, *tail;
    int inflight;         /* queued or being answered */
    bool stopping;
    wl_api_t *api;
    pthread_t *threads;
    int n;
} offload_t;

static void answer(wl_api_t *api, conn_t *cc)
{
    wl_server_route(api, &cc->req, &cc->res);
    if (cc->res.status >= 500)
        fprintf(stderr, "wijkloket-server: %s %s -> %d %.*s\n", cc->req.method, cc->req.path, cc->res.status,
                (int)cc->res.body_len, (const char *)cc->res.body);
}

static void *offload_worker(void *p)
{
    offload_t *o = p;
    for (;;) {
        pthread_mutex_lock(&o->mu);
        while (!o->head && !o->stopping) pthread_cond_wait(&o->cv, &o->mu);
        conn_t *cc = o->head;
        if (!cc) {
            pthread_mutex_unlock(&o->mu);
            return NULL;
        }
        o->head = cc->next;
        if (!o->head) o->tail = NULL;
        pthread_mutex_unlock(&o->mu);
        answer(o->api, cc);
        cc->state = 2;
        /* MHD calls on_request again for this connection, which sends cc->res. */
        MHD_resume_connection(cc->mc);
        pthread_mutex_lock(&o->mu);
        o->inflight--;
        pthread_cond_broadcast(&o->cv);
        pthread_mutex_unlock(&o->mu);
    }
}

/* Suspends the connection and queues it; false (answer inline) once stopping. */
static bool offload_push(offload_t *o, struct MHD_Connection *c, conn_t *cc)
{
    pthread_mutex_lock(&o->mu);
    if (o->stopping) {
        pthread_mutex_unlock(&o->mu);
        return false;
    }
    cc->state = 1;
    cc->mc = c;
    cc->next = NULL;
    MHD_suspend_connection(c);
    if (o->tail) o->tail->next = cc;
    else o->head = cc;
    o->tail = cc;
    o->inflight++;
    pthread_cond_signal(&o->cv);
    pthread_mutex_unlock(&o->mu);
    return true;
}

static offload_t g_offload; /* one listener per process */

/* MHD must not stop with a connection suspended: hand out no more work, let the workers
 * answer and resume everything queued, then stop MHD, then the workers. */
static void offload_stop(offload_t *o, struct MHD_Daemon *d)
{
    pthread_mutex_lock(&o->mu);
    o->stopping = true;
    pthread_cond_broadcast(&o->cv);
    while (o->inflight > 0) pthread_cond_wait(&o->cv, &o->mu);
    pthread_mutex_unlock(&o->mu);
    if (d) {
        usleep(50 * 1000); /* let MHD's threads take back the connections just resumed */
        MHD_stop_daemon(d);
    }
    for (int i = 0; i < o->n; i++) pthread_join(o->threads[i], NULL);
    free(o->threads);
    pthread_mutex_destroy(&o->mu);
    pthread_cond_destroy(&o->cv);
}

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
        wl_http_response_free(&cc->res);
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
    if (cc->state == 2) {
        /* A database worker answered while the connection was suspended. */
        enum MHD_Result r = send_response(c, &cc->res);
        wl_http_response_free(&cc->res);
        if (cc->query_mark) *cc->query_mark = '?';
        cc->state = 0;
        return r;
    }
    if (cc->too_big) {
        wl_http_response_t res;
        memset(&res, 0, sizeof res);
        wl_api_error(&res, 413, "too_large", "the request body is larger than the %zu bytes allowed", s->api->max_body);
        enum MHD_Result r = send_response(c, &res);
        wl_http_response_free(&res);
        return r;
    }
    wl_http_request_t *req = &cc->req;
    memset(req, 0, sizeof *req);
    memset(&cc->res, 0, sizeof cc->res);
    char *q = strchr(cc->uri, '?');
    if (q) *q = 0;
    cc->query_mark = q;
    req->method = method;
    req->path = cc->uri;
    req->query = q ? q + 1 : "";
    char peer[INET6_ADDRSTRLEN] = "?";
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        if (ci->client_addr->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, peer, sizeof peer);
        else if (ci->client_addr->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, peer, sizeof peer);
    }
    /* Header values stay in MHD's memory for the connection's request, suspended or not. */
    hdr_walk_t w = {req, cc->names};
    MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, &w);
    wl_client_addr(s->trusted, peer, wl_http_request_header(req, "x-forwarded-for"), cc->addr);
    req->remote_addr = cc->addr;
    req->body = cc->body ? cc->body : (const unsigned char *)"";
    req->body_len = cc->len;
    req->now = (int64_t)time(NULL);
    if (strncmp(cc->uri, "/api/", 5) == 0 && offload_push(&g_offload, c, cc)) return MHD_YES;
    answer(s->api, cc);
    if (q) *q = '?';
    enum MHD_Result r = send_response(c, &cc->res);
    wl_http_response_free(&cc->res);
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
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
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
    offload_t *o = &g_offload;
    pthread_mutex_init(&o->mu, NULL);
    pthread_cond_init(&o->cv, NULL);
    o->api = s->api;
    o->n = s->threads > 0 ? s->threads : 1;
    o->threads = calloc((size_t)o->n, sizeof *o->threads);
    if (!o->threads) return 1;
    for (int i = 0; i < o->n; i++) pthread_create(&o->threads[i], NULL, offload_worker, o);
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
        offload_stop(o, NULL);
        return 1;
    }
    printf("wijkloket-server: listening on http://%s%s%s:%d/ (health: /health)\n", strchr(s->listen, ':') ? "[" : "",
           s->listen, strchr(s->listen, ':') ? "]" : "", s->port);
    fflush(stdout);
    int sig = 0;
    sigwait(&set, &sig);
    printf("wijkloket-server: stopping (signal %d)\n", sig);
    offload_stop(o, d);
    return 0;
}
