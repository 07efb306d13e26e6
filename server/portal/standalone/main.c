/* wijkloket-portal: the citizen portal on its own, on libmicrohttpd over core's SQLite store
 * (wijkloket-server mounts the same handler at / beside its kiosk API). */
#include <arpa/inet.h>
#include <ctype.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../form.h"
#include "../portal.h"

#define MAX_HEADER_BYTES 8192

typedef struct {
    unsigned char body[FORM_MAX_BYTES + 1];
    size_t len;      /* bytes kept */
    size_t total;    /* bytes sent */
} conn_t;

typedef struct {
    wl_portal_t *portal;
    bool behind_proxy;
} app_t;

typedef struct {
    wl_http_request_t *req;
    char *mem;
    size_t used, cap;
    bool query;
    size_t qlen;
    char *qbuf;
} hdr_ctx_t;

static volatile sig_atomic_t stop_flag;
static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

static char *keep(hdr_ctx_t *h, const char *s, bool lower)
{
    size_t n = strlen(s) + 1;
    if (h->used + n > h->cap) return NULL;
    char *d = h->mem + h->used;
    for (size_t i = 0; i < n; i++) d[i] = lower ? (char)tolower((unsigned char)s[i]) : s[i];
    h->used += n;
    return d;
}

static enum MHD_Result on_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    hdr_ctx_t *h = cls;
    if (h->req->n_headers >= WL_HTTP_MAX_HEADERS || !key || !value) return MHD_YES;
    char *k = keep(h, key, true), *v = keep(h, value, false);
    if (!k || !v) return MHD_YES;
    h->req->headers[h->req->n_headers].name = k;
    h->req->headers[h->req->n_headers].value = v;
    h->req->n_headers++;
    return MHD_YES;
}

/* MHD hands over the query already split and decoded; the portal only needs simple
 * "key=value" pairs of plain ASCII ids, so rebuilding them is enough. */
static enum MHD_Result on_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    hdr_ctx_t *h = cls;
    if (!key) return MHD_YES;
    int n = snprintf(h->qbuf + h->qlen, 512 - h->qlen, "%s%s=%s", h->qlen ? "&" : "", key, value ? value : "");
    if (n > 0 && h->qlen + (size_t)n < 512) h->qlen += (size_t)n;
    return MHD_YES;
}

static enum MHD_Result answer(app_t *app, struct MHD_Connection *c, const char *url, const char *method, conn_t *cs,
                              size_t declared)
{
    wl_http_request_t req = {0};
    char mem[MAX_HEADER_BYTES], qbuf[512] = "";
    hdr_ctx_t h = {.req = &req, .mem = mem, .cap = sizeof mem, .qbuf = qbuf};
    MHD_get_connection_values(c, MHD_HEADER_KIND, on_header, &h);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, on_arg, &h);
    char addr[64] = "";
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET) inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, addr, sizeof addr);
        else if (sa->sa_family == AF_INET6) inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, addr, sizeof addr);
    }
    if (app->behind_proxy) {
        /* The proxy appends the real client as the last X-Forwarded-For entry. */
        const char *xff = wl_http_request_header(&req, "x-forwarded-for");
        if (xff) {
            const char *last = strrchr(xff, ',');
            last = last ? last + 1 : xff;
            while (*last == ' ') last++;
            snprintf(addr, sizeof addr, "%s", last);
        }
    }
    req.method = method;
    req.path = url;
    req.query = qbuf;
    req.remote_addr = addr;
    req.body = cs->body;
    req.body_len = declared > cs->total ? declared : cs->total;
    if (req.body_len > cs->len) req.body_len = cs->len + 1 > sizeof cs->body ? sizeof cs->body : req.body_len;
    if (declared > FORM_MAX_BYTES || cs->total > FORM_MAX_BYTES) req.body_len = FORM_MAX_BYTES + 1; /* the portal refuses it */
    req.now = (int64_t)time(NULL);
    wl_http_response_t res = {0};
    wl_portal_handle(app->portal, &req, &res);
    struct MHD_Response *r = MHD_create_response_from_buffer(res.body_len, res.body, MHD_RESPMEM_MUST_COPY);
    if (!r) {
        wl_http_response_free(&res);
        return MHD_NO;
    }
    for (size_t i = 0; i < res.n_headers; i++) MHD_add_response_header(r, res.headers[i].name, res.headers[i].value);
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)(res.status ? res.status : 500), r);
    MHD_destroy_response(r);
    if (res.body) explicit_bzero(res.body, res.body_len);
    wl_http_response_free(&res);
    explicit_bzero(mem, sizeof mem);
    return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)version;
    app_t *app = cls;
    conn_t *cs = *con_cls;
    if (!cs) {
        cs = calloc(1, sizeof *cs);
        if (!cs) return MHD_NO;
        *con_cls = cs;
        /* A body announced as too big is refused before a byte of it is read. */
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
        size_t declared = cl ? (size_t)strtoull(cl, NULL, 10) : 0;
        if (declared > FORM_MAX_BYTES) return answer(app, c, url, method, cs, declared);
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        if (cs->len + n > FORM_MAX_BYTES) n = cs->len < FORM_MAX_BYTES ? FORM_MAX_BYTES - cs->len : 0;
        memcpy(cs->body + cs->len, upload_data, n);
        cs->len += n;
        cs->total += *upload_size;
        *upload_size = 0;
        return MHD_YES;
    }
    return answer(app, c, url, method, cs, 0);
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    conn_t *cs = *con_cls;
    if (cs) {
        explicit_bzero(cs, sizeof *cs);
        free(cs);
    }
    *con_cls = NULL;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: wijkloket-portal [options]\n"
            "  --port N              TCP port on 127.0.0.1 (default 8088); TLS is the reverse proxy's job\n"
            "  --db PATH             SQLite database (default var/wijkloket.db)\n"
            "  --public-key PATH     staff public key every intake is sealed to (default var/keys/public.key)\n"
            "  --assets DIR --locale DIR --web DIR   data folders (defaults: assets, locale, server/portal/web)\n"
            "  --languages LIST      offered languages, first is the default (default nl,en,ar,tr,pl,uk,ti)\n"
            "  --location ID         location recorded with portal intakes (default online)\n"
            "  --session-minutes N   idle minutes before a session is wiped (default 20)\n"
            "  --session-seconds N   the same in seconds\n"
            "  --draft-days N        days a saved draft is kept (default 28)\n"
            "  --rate-per-minute N   requests per client address per minute (default 300)\n"
            "  --threads N           worker threads (default 2)\n"
            "  --behind-proxy        TLS proxy in front: Secure cookies, client address from X-Forwarded-For\n");
}

int main(int argc, char **argv)
{
    wl_portal_config_t cfg;
    wl_portal_config_defaults(&cfg);
    const char *db = "var/wijkloket.db", *pk = "var/keys/public.key";
    int port = 8088, threads = 2;
    bool proxy = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--behind-proxy")) {
            proxy = true;
            takes = false;
        } else if (!v) {
            fprintf(stderr, "wijkloket-portal: %s needs a value\n", a);
            return 2;
        } else if (!strcmp(a, "--port")) port = atoi(v);
        else if (!strcmp(a, "--db")) db = v;
        else if (!strcmp(a, "--public-key")) pk = v;
        else if (!strcmp(a, "--assets")) cfg.assets_dir = v;
        else if (!strcmp(a, "--locale")) cfg.locale_dir = v;
        else if (!strcmp(a, "--web")) cfg.web_dir = v;
        else if (!strcmp(a, "--languages")) cfg.languages = v;
        else if (!strcmp(a, "--location")) cfg.location = v;
        else if (!strcmp(a, "--session-minutes")) cfg.session_seconds = atoi(v) * 60;
        else if (!strcmp(a, "--session-seconds")) cfg.session_seconds = atoi(v);
        else if (!strcmp(a, "--draft-days")) cfg.draft_days = atoi(v);
        else if (!strcmp(a, "--rate-per-minute")) cfg.rate_per_minute = atoi(v);
        else if (!strcmp(a, "--threads")) threads = atoi(v);
        else {
            fprintf(stderr, "wijkloket-portal: unknown option %s\n", a);
            usage(stderr);
            return 2;
        }
        if (takes) i++;
    }
    if (port < 1 || port > 65535 || threads < 1 || threads > 64) {
        fprintf(stderr, "wijkloket-portal: --port must be 1..65535 and --threads 1..64\n");
        return 2;
    }
    cfg.secure_cookies = proxy;
    wl_err_t err = {{0}};
    if (wl_portal_backend_sqlite(db, pk, &cfg.backend, &err) != WL_OK) {
        fprintf(stderr, "wijkloket-portal: %s\n", err.msg);
        return 1;
    }
    wl_portal_t *portal = NULL;
    if (wl_portal_new(&cfg, &portal, &err) != WL_OK) {
        fprintf(stderr, "wijkloket-portal: %s\n", err.msg);
        cfg.backend.close(cfg.backend.ctx);
        return 1;
    }
    app_t app = {.portal = portal, .behind_proxy = proxy};
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, (uint16_t)port, NULL, NULL, on_request, &app,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
        MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536, MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
        MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "wijkloket-portal: cannot listen on 127.0.0.1:%d (in use?)\n", port);
        wl_portal_free(portal);
        return 1;
    }
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    fprintf(stderr, "wijkloket-portal: serving http://127.0.0.1:%d/\n", port);
    int64_t last = 0;
    while (!stop_flag) {
        int64_t now = (int64_t)time(NULL);
        if (now - last >= 60) {
            wl_portal_housekeeping(portal, now);
            last = now;
        }
        usleep(200 * 1000);
    }
    MHD_stop_daemon(d);
    wl_portal_free(portal);
    fprintf(stderr, "wijkloket-portal: stopped, every session wiped\n");
    return 0;
}
