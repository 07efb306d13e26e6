/* libFuzzer harnesses for what untrusted HTTP input reaches in wijkloket-server: the kiosk API's
 * parsers (server/api_parse.h) and the citizen portal (form bodies, cookies, resume codes, and
 * whole request sequences through wl_portal_handle). One target per -DFUZZ_<name>. */
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if defined(FUZZ_api_auth) || defined(FUZZ_api_record) || defined(FUZZ_api_batch) || defined(FUZZ_api_body)
#include "api.h"
#include "api_parse.h"
#else
#include "form.h"
#include "portal.h"
#include "reqtext.h"
#include "wijkloket/seal.h"
#endif

/* A NUL-terminated copy of data (libFuzzer's buffer is not terminated). */
__attribute__((unused)) static char *text_of(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s) abort();
    memcpy(s, data, size);
    s[size] = 0;
    return s;
}

/* Splits s at the first n newlines into parts[0..n] (in place). Returns how many parts. */
__attribute__((unused)) static int split_lines(char *s, char **parts, int n)
{
    int k = 0;
    parts[k++] = s;
    while (k <= n) {
        char *nl = strchr(parts[k - 1], '\n');
        if (!nl) break;
        *nl = 0;
        parts[k++] = nl + 1;
    }
    return k;
}

#if defined(FUZZ_portal)
/* One portal for the whole run, over the SQLite backend in a private folder; the stylesheet
 * parts are empty files (the harness does not need the NL Design System CSS). */
static wl_portal_t *portal;
static char cookie[128];
static char csrf[SESSION_HEX];

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) abort();
    fputs(text, f);
    fclose(f);
}

static void portal_once(void)
{
    if (portal) return;
    if (sodium_init() < 0) abort();
    const char *root = getenv("WL_ROOT");
    if (!root) root = WL_SOURCE_DIR;
    static char dir[256], assets[512], locale[512], web[512], keys[512], db[512], pk[600], p[700];
    snprintf(dir, sizeof dir, "/tmp/wl-fuzz-portal-XXXXXX");
    if (!mkdtemp(dir)) abort();
    snprintf(assets, sizeof assets, "%s/assets", root);
    snprintf(locale, sizeof locale, "%s/locale", root);
    snprintf(web, sizeof web, "%s/web", dir);
    snprintf(keys, sizeof keys, "%s/keys", dir);
    snprintf(db, sizeof db, "%s/portal.db", dir);
    snprintf(pk, sizeof pk, "%s/public.key", keys);
    const char *made[] = {"", "/node_modules", "/node_modules/@utrecht", "/node_modules/@utrecht/design-tokens",
                          "/node_modules/@utrecht/design-tokens/dist", "/node_modules/@utrecht/component-library-css",
                          "/node_modules/@utrecht/component-library-css/dist"};
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++) {
        snprintf(p, sizeof p, "%s%s", web, made[i]);
        mkdir(p, 0700);
    }
    snprintf(p, sizeof p, "%s/node_modules/@utrecht/design-tokens/dist/root.css", web);
    put_file(p, "");
    snprintf(p, sizeof p, "%s/node_modules/@utrecht/component-library-css/dist/index.css", web);
    put_file(p, "");
    snprintf(p, sizeof p, "%s/portal.css", web);
    put_file(p, "");
    wl_err_t err = {{0}};
    if (wl_seal_keygen(keys, "fuzz passphrase 123", WL_KDF_INTERACTIVE, NULL, &err) != WL_OK) abort();
    wl_portal_config_t cfg;
    wl_portal_config_defaults(&cfg);
    cfg.assets_dir = assets;
    cfg.locale_dir = locale;
    cfg.web_dir = web;
    cfg.languages = "nl,en,ar";
    cfg.rate_per_minute = 1000000; /* one client sends every request here */
    cfg.max_sessions = 256;
    if (wl_portal_backend_sqlite(db, pk, &cfg.backend, &err) != WL_OK) {
        fprintf(stderr, "fuzz_portal: %s\n", err.msg);
        abort();
    }
    if (wl_portal_new(&cfg, &portal, &err) != WL_OK) {
        fprintf(stderr, "fuzz_portal: %s\n", err.msg);
        abort();
    }
}

/* Keeps what a browser keeps between requests: the session cookie and the form's CSRF token. */
static void remember(const wl_http_response_t *res)
{
    for (size_t i = 0; i < res->n_headers; i++)
        if (!strcmp(res->headers[i].name, "set-cookie")) {
            const char *v = res->headers[i].value;
            size_t n = strcspn(v, ";");
            snprintf(cookie, sizeof cookie, "%.*s", (int)(n < sizeof cookie - 1 ? n : sizeof cookie - 1), v);
        }
    if (!res->body) return;
    char *body = text_of(res->body, res->body_len);
    const char *m = strstr(body, "name=\"csrf\" value=\"");
    if (m && strlen(m + 19) >= SESSION_HEX - 1) snprintf(csrf, sizeof csrf, "%.64s", m + 19);
    free(body);
}
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
#if defined(FUZZ_api_auth)
    /* Lines: kiosk, time, nonce, signature, method, path, query, then the body. */
    char *s = text_of(data, size);
    char *f[8] = {0};
    int n = split_lines(s, f, 7);
    wl_http_request_t req = {.method = n > 4 ? f[4] : "GET", .path = n > 5 ? f[5] : "/", .query = n > 6 ? f[6] : "",
                             .remote_addr = "127.0.0.1", .now = 1764600000};
    static const char *names[] = {"x-wl-kiosk", "x-wl-time", "x-wl-nonce", "x-wl-signature"};
    for (int i = 0; i < 4 && i < n; i++) req.headers[req.n_headers++] = (wl_http_header_t){names[i], f[i]};
    if (n > 7) {
        req.body = (const unsigned char *)f[7];
        req.body_len = strlen(f[7]);
    }
    wl_api_auth_t a;
    wl_api_verdict_t v;
    if (wl_api_auth_parse(&req, 300, &a, &v)) {
        char text[1024];
        wl_api_signing_text(text, sizeof text, req.method, req.path, req.query, a.time, a.nonce, req.body, req.body_len);
    } else if (!v.status || !v.code) {
        abort(); /* a refusal always says why */
    }
    char buf[64], ref[32];
    wl_api_query(req.query, "service", buf, sizeof buf);
    wl_api_query(req.query, "date", buf, 16);
    wl_api_query(req.query, "x", buf, 1);
    wl_api_cancel_ref(req.path, ref, sizeof ref);
    free(s);
#elif defined(FUZZ_api_record)
    wl_api_record_t rec;
    wl_api_verdict_t v;
    if (!wl_api_record_check(data, size, "k1", "loc_a", &rec, &v) && (!v.status || !v.code)) abort();
#elif defined(FUZZ_api_batch)
    /* As post_intake_batch: one verdict per non-empty line. */
    const unsigned char *p = data, *end = data + size, *line;
    size_t len, lines = 0;
    while (wl_api_batch_next(&p, end, &line, &len) && lines++ < 500) {
        if (len == 0 || line < data || line + len > end || memchr(line, '\n', len)) abort();
        wl_api_record_t rec;
        wl_api_verdict_t v;
        wl_api_record_check(line, len, "k1", "loc_a", &rec, &v);
    }
#elif defined(FUZZ_api_body)
    /* The first byte picks the endpoint: hold, booking or event. */
    if (size == 0) return 0;
    wl_api_verdict_t v;
    if (data[0] % 3 == 0) {
        wl_api_slot_body_t b;
        if (wl_api_parse_hold(data + 1, size - 1, &b, &v) && (!b.service || !b.location || !b.start)) abort();
        wl_api_body_free(&b.root);
    } else if (data[0] % 3 == 1) {
        wl_api_slot_body_t b;
        if (wl_api_parse_booking(data + 1, size - 1, &b, &v) && (!b.service || !b.location || !b.start)) abort();
        wl_api_body_free(&b.root);
    } else {
        wl_api_event_body_t b;
        if (wl_api_parse_event(data + 1, size - 1, &b, &v) && !b.kind) abort();
        wl_api_body_free(&b.root);
    }
#elif defined(FUZZ_portal_form)
    form_t f;
    if (form_parse(&f, data, size) == FORM_OK) {
        for (size_t i = 0; i < f.n; i++)
            if (!form_utf8_ok(f.value[i], strlen(f.value[i])) || form_get(&f, f.name[i]) == NULL) abort();
        form_get(&f, "csrf");
        form_free(&f);
    }
#elif defined(FUZZ_portal_text)
    /* The same text as a Cookie header and as a typed resume code. */
    char *s = text_of(data, size);
    char sid[SESSION_HEX], canon[CODE_SYMBOLS + 1];
    if (portal_cookie_session(s, sid) && strlen(sid) != SESSION_HEX - 1) abort();
    if (portal_code_canonical(s, canon) && strlen(canon) != CODE_SYMBOLS) abort();
    free(s);
#elif defined(FUZZ_portal)
    /* A sequence of requests as a browser sends them: per request a line "METHOD PATH[?QUERY]"
     * and a line with the form body. The harness carries the cookie and adds the CSRF token,
     * as a browser would, so the fuzzer reaches the pages behind them. A request line starting
     * with '!' goes without cookie and token (a stranger's request). */
    portal_once();
    static int64_t now = 1764600000;
    cookie[0] = csrf[0] = 0;
    char *s = text_of(data, size);
    char *at = s;
    for (int i = 0; i < 16 && at && *at; i++) {
        char *f[3] = {0};
        int n = split_lines(at, f, 2);
        char *next = n == 3 ? f[2] : NULL;
        const char *body = n >= 2 ? f[1] : "";
        bool stranger = f[0][0] == '!';
        char *line = f[0] + stranger;
        char *sp = strchr(line, ' ');
        if (!sp) break;
        *sp = 0;
        char *path = sp + 1, *q = strchr(path, '?');
        if (q) *q++ = 0;
        /* Saving and resuming run Argon2id (about 0.3 s each): left out here so the fuzzer keeps
         * its pace; the typed code's reader is fuzzed by portal_text. */
        if (!strcmp(line, "POST") && (!strcmp(path, "/bewaren") || !strcmp(path, "/hervatten"))) {
            at = next;
            continue;
        }
        char *full = malloc(strlen(body) + 80);
        if (!full) abort();
        strcpy(full, body);
        if (!stranger && csrf[0] && !strcmp(line, "POST")) sprintf(full + strlen(full), "%scsrf=%s", *body ? "&" : "", csrf);
        wl_http_request_t req = {.method = line, .path = path, .query = q ? q : "", .remote_addr = "10.0.0.1",
                                 .body = (const unsigned char *)full, .body_len = strlen(full), .now = now++};
        req.headers[req.n_headers++] = (wl_http_header_t){"content-type", "application/x-www-form-urlencoded"};
        if (!stranger && cookie[0]) req.headers[req.n_headers++] = (wl_http_header_t){"cookie", cookie};
        wl_http_response_t res = {0};
        if (wl_portal_handle(portal, &req, &res) == 0 && res.status == 0) abort(); /* an answer always has a status */
        remember(&res);
        wl_http_response_free(&res);
        free(full);
        at = next;
    }
    free(s);
    /* End the session as the citizen's "Stoppen" does, so no input leaves one behind (the
     * leak checker would otherwise scan after every input). */
    if (cookie[0] && csrf[0]) {
        char body[80];
        snprintf(body, sizeof body, "csrf=%s", csrf);
        wl_http_request_t req = {.method = "POST", .path = "/stoppen", .query = "", .remote_addr = "10.0.0.1",
                                 .body = (const unsigned char *)body, .body_len = strlen(body), .now = now++};
        req.headers[req.n_headers++] = (wl_http_header_t){"content-type", "application/x-www-form-urlencoded"};
        req.headers[req.n_headers++] = (wl_http_header_t){"cookie", cookie};
        wl_http_response_t res = {0};
        wl_portal_handle(portal, &req, &res);
        wl_http_response_free(&res);
    }
#else
#error "define FUZZ_<target>"
#endif
    return 0;
}
