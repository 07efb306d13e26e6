/* The portal as a pure handler, without a socket: start page, CSRF refusal, odd requests and
 * a clean wipe of every session on free (run under ASan/LSan in the sanitizer build). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <limits.h>

#include "buf.h"
#include "portal.h"
#include "wijkloket/seal.h"

static int failures;
#define CHECK(c, what)                                   \
    do {                                                 \
        if (!(c)) {                                      \
            failures++;                                  \
            fprintf(stderr, "FAIL %s (line %d)\n", what, __LINE__); \
        }                                                \
    } while (0)

static const char *header(const wl_http_response_t *res, const char *name)
{
    for (size_t i = 0; i < res->n_headers; i++)
        if (!strcmp(res->headers[i].name, name)) return res->headers[i].value;
    return NULL;
}

static int call(wl_portal_t *p, const char *method, const char *path, const char *cookie, const char *ctype,
                const char *body, size_t body_len, wl_http_response_t *res)
{
    wl_http_request_t req = {.method = method, .path = path, .query = "", .remote_addr = "127.0.0.1",
                             .body = (const unsigned char *)body, .body_len = body_len, .now = 1764600000};
    if (cookie) req.headers[req.n_headers++] = (wl_http_header_t){"cookie", cookie};
    if (ctype) req.headers[req.n_headers++] = (wl_http_header_t){"content-type", ctype};
    memset(res, 0, sizeof *res);
    wl_portal_handle(p, &req, res);
    return res->status;
}

/* buf_printf's own formatter (%s %d %u %zu %%) gives what snprintf gives; others fall back. */
static void check_buf_printf(void)
{
    buf_t b = {0};
    char want[256];
    buf_printf(&b, "a%sb%dc%ud%zue%%f%s", "xy", INT_MIN, UINT_MAX, (size_t)1234567890123, "");
    snprintf(want, sizeof want, "a%sb%dc%ud%zue%%f%s", "xy", INT_MIN, UINT_MAX, (size_t)1234567890123, "");
    CHECK(b.p && !strcmp(b.p, want), "buf_printf fast path");
    buf_free(&b);
    buf_printf(&b, "%d|%d|%u|%.3s|%5d", 0, -7, 0u, "abcdef", 42);
    CHECK(b.p && !strcmp(b.p, "0|-7|0|abc|   42"), "buf_printf mixed and fallback");
    buf_free(&b);
}

int main(int argc, char **argv)
{
    check_buf_printf();
    if (argc != 3) {
        fprintf(stderr, "usage: test_portal_handler SOURCE_DIR WORK_DIR\n");
        return 2;
    }
    char keys[512], db[512], assets[512], locale[512], web[512], pk[600];
    snprintf(keys, sizeof keys, "%s/keys", argv[2]);
    snprintf(db, sizeof db, "%s/h.db", argv[2]);
    snprintf(assets, sizeof assets, "%s/assets", argv[1]);
    snprintf(locale, sizeof locale, "%s/locale", argv[1]);
    snprintf(web, sizeof web, "%s/server/portal/web", argv[1]);
    snprintf(pk, sizeof pk, "%s/public.key", keys);
    wl_err_t err = {{0}};
    mkdir(argv[2], 0700); /* may exist */
    if (access(pk, R_OK) != 0 && wl_seal_keygen(keys, "handler-test-pass", WL_KDF_INTERACTIVE, NULL, &err) != WL_OK) {
        fprintf(stderr, "keygen: %s\n", err.msg);
        return 1;
    }
    wl_portal_config_t cfg;
    wl_portal_config_defaults(&cfg);
    cfg.assets_dir = assets;
    cfg.locale_dir = locale;
    cfg.web_dir = web;
    if (wl_portal_backend_sqlite(db, pk, &cfg.backend, &err) != WL_OK) {
        fprintf(stderr, "backend: %s\n", err.msg);
        return 1;
    }
    wl_portal_t *p = NULL;
    if (wl_portal_new(&cfg, &p, &err) != WL_OK) {
        fprintf(stderr, "portal: %s\n", err.msg);
        cfg.backend.close(cfg.backend.ctx);
        return 1;
    }
    wl_http_response_t res;
    CHECK(call(p, "GET", "/", NULL, NULL, NULL, 0, &res) == 200, "start page");
    const char *sc = header(&res, "set-cookie");
    char cookie[128] = "";
    CHECK(sc && strstr(sc, "HttpOnly") && strstr(sc, "SameSite=Strict") && !strstr(sc, "Secure"), "cookie flags");
    if (sc) snprintf(cookie, sizeof cookie, "%.74s", sc);
    CHECK(header(&res, "content-security-policy") && header(&res, "cache-control") &&
              !strcmp(header(&res, "cache-control"), "no-store"), "security headers");
    CHECK(res.body && strstr((const char *)res.body, "name=\"csrf\""), "form with a CSRF token");
    wl_http_response_free(&res);

    const char *form = "toestemming=ja";
    CHECK(call(p, "POST", "/start", cookie, "application/x-www-form-urlencoded", form, strlen(form), &res) == 403,
          "POST without CSRF refused");
    wl_http_response_free(&res);
    CHECK(call(p, "POST", "/start", cookie, "application/x-www-form-urlencoded", form, 16385, &res) == 413,
          "oversized body refused");
    wl_http_response_free(&res);
    int st = call(p, "GET", NULL, NULL, NULL, NULL, 0, &res);
    CHECK(st == 404 || st == 303, "missing path: a page or a redirect, never a crash");
    wl_http_response_free(&res);
    CHECK(call(p, "DELETE", "/", cookie, NULL, NULL, 0, &res) == 405, "DELETE refused");
    wl_http_response_free(&res);
    CHECK(call(p, "GET", "/static/portal.css", NULL, NULL, NULL, 0, &res) == 200 &&
              strstr(header(&res, "content-type"), "text/css"), "stylesheet");
    wl_http_response_free(&res);
    /* Many sessions, then free: LSan in the sanitizer build checks nothing is left behind. */
    for (int i = 0; i < 200; i++) {
        call(p, "GET", "/", NULL, NULL, NULL, 0, &res);
        wl_http_response_free(&res);
    }
    wl_portal_housekeeping(p, 1764600000 + 3600);
    wl_portal_free(p);
    if (failures) fprintf(stderr, "%d failure(s)\n", failures);
    else printf("portal handler: ok\n");
    return failures ? 1 : 0;
}
