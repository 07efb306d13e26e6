/* The router and the kiosk authentication (Ed25519 signature, time window, nonce, rate limit). */
#include "api.h"
#include "api_parse.h"
#include "api_routes.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef WL_HAVE_PORTAL
int wl_portal_handle(void *portal_ctx, const wl_http_request_t *req, wl_http_response_t *res);
#endif

void wl_api_json(wl_http_response_t *res, int status, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(body);
    if (!text) {
        wl_http_response_set(res, 500, "application/json", "{\"error\":\"nomem\",\"message\":\"out of memory\"}", 44);
        return;
    }
    wl_http_response_set(res, status, "application/json", text, strlen(text));
    free(text);
}

void wl_api_error(wl_http_response_t *res, int status, const char *code, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    wl_api_json(res, status, json_pack("{s:s, s:s}", "error", code, "message", msg));
}

int wl_api_signing_text(char *buf, size_t size, const char *method, const char *path, const char *query,
                        const char *time, const char *nonce, const unsigned char *body, size_t body_len)
{
    unsigned char sha[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(sha, body ? body : (const unsigned char *)"", body_len);
    char hex[2 * crypto_hash_sha256_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, sha, sizeof sha);
    int n = snprintf(buf, size, "WL1\n%s\n%s\n%s\n%s\n%s\n%s", method, path, query ? query : "", time, nonce, hex);
    return n < 0 || (size_t)n >= size ? -1 : n;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Checks who sent the request. On failure fills res and returns false. With deferred set,
 * the nonce is left for the handler to record together with its own change (a booking:
 * one round trip and one commit), and *deferred holds the checked headers. */
static bool authenticate(wl_api_t *api, wl_central_t *c, const wl_http_request_t *req, wl_http_response_t *res,
                         wl_central_kiosk_t *k, wl_api_auth_t *deferred)
{
    wl_api_auth_t a;
    wl_api_verdict_t v;
    if (!wl_api_auth_parse(req, api->replay_window, &a, &v)) {
        wl_api_error(res, v.status, v.code, "%s", v.msg);
        return false;
    }
    const char *id = a.kiosk;
    wl_err_t err;
    /* The key and location come from memory after a kiosk's first request; whether it is
     * still enabled is checked in the database by the nonce statement below, every time. */
    bool cached = wl_kiosk_cache_get(api->kiosks, id, k);
    wl_rc rc = cached ? WL_OK : wl_central_kiosk_get(c, id, k, &err);
    if (rc == WL_ERR_NOTFOUND) {
        wl_api_error(res, 401, "unknown_kiosk", "unknown kiosk '%s': an administrator registers kiosks with "
                                                "`wijkloket-server kiosk-add`", id);
        return false;
    }
    if (rc == WL_ERR_AUTH) {
        /* Its registration is not the one this server signed: a key swapped in the database. */
        fprintf(stderr, "wijkloket-server: %s\n", err.msg);
        wl_api_error(res, 401, "kiosk_not_confirmed", "kiosk '%s' is not registered as this server signed it; an "
                                                      "administrator must confirm it", id);
        return false;
    }
    if (rc) {
        wl_api_error(res, 503, "database", "the database is not available; try again shortly");
        return false;
    }
    if (!k->enabled) {
        wl_api_error(res, 403, "kiosk_disabled", "kiosk '%s' is disabled", id);
        return false;
    }
    if (!cached) wl_kiosk_cache_put(api->kiosks, k);
    char text[1024];
    int tl = wl_api_signing_text(text, sizeof text, req->method, req->path, req->query, a.time, a.nonce, req->body,
                                 req->body_len);
    if (tl < 0 || crypto_sign_verify_detached(a.sig, (const unsigned char *)text, (unsigned long long)tl,
                                              k->public_key) != 0) {
        wl_api_error(res, 401, "bad_signature", "the signature does not match this request and kiosk '%s'", id);
        return false;
    }
    int retry = 0;
    if (api->limits && !wl_ratelimit_take(api->limits, k->id, mono_ms(), &retry)) {
        char ra[16];
        snprintf(ra, sizeof ra, "%d", retry);
        wl_api_error(res, 429, "rate_limited", "too many requests from kiosk '%s'; try again in %d s", id, retry);
        wl_http_response_header(res, "retry-after", ra);
        return false;
    }
    if (deferred) {
        *deferred = a;
        return true;
    }
    rc = wl_central_nonce_use(c, id, a.nonce, a.ts, req->now, &err);
    if (rc == WL_ERR_STATE) {
        /* Disabled (or removed) since it was cached: forget it, so re-enabling takes effect. */
        wl_kiosk_cache_drop(api->kiosks, id);
        wl_api_error(res, 403, "kiosk_disabled", "kiosk '%s' is disabled", id);
        return false;
    }
    if (rc == WL_ERR_CONFLICT) {
        wl_api_error(res, 401, "replayed", "%s", err.msg);
        return false;
    }
    if (rc) {
        wl_api_error(res, 503, "database", "the database is not available; try again shortly");
        return false;
    }
    return true;
}

static void health(wl_api_t *api, wl_http_response_t *res)
{
    wl_central_t *c = wl_central_pool_acquire(api->pool);
    bool ok = wl_central_ping(c);
    wl_central_pool_release(api->pool, c);
    wl_api_json(res, ok ? 200 : 503,
                json_pack("{s:s, s:s, s:i}", "status", ok ? "ok" : "degraded", "database", ok ? "ok" : "unreachable",
                          "schema", wl_central_latest_version()));
}

void wl_server_route(wl_api_t *api, const wl_http_request_t *req, wl_http_response_t *res)
{
    const char *p = req->path;
    if (strcmp(p, "/health") == 0) {
        if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0)
            wl_api_error(res, 405, "method", "/health answers GET only");
        else
            health(api, res);
        return;
    }
    if (strncmp(p, "/api/", 5) != 0) {
#ifdef WL_HAVE_PORTAL
        /* Everything outside /api/ and /health is the citizen portal's (when it runs: serve
         * was given the staff public key). */
        if (api->portal_ctx) {
            if (wl_portal_handle(api->portal_ctx, req, res) != 0 && res->status == 0)
                wl_api_error(res, 500, "portal", "the portal could not answer");
            return;
        }
#endif
        wl_api_error(res, 404, "not_found", "no such page: %s", p);
        return;
    }
    if (req->body_len > api->max_body) {
        wl_api_error(res, 413, "too_large", "the request body is %zu bytes; at most %zu allowed", req->body_len,
                     api->max_body);
        return;
    }
    wl_central_t *c = wl_central_pool_acquire(api->pool);
    wl_central_kiosk_t k;
    /* A booking records its nonce in its own statement (wl_central_book_signed). */
    bool defer = strcmp(req->method, "POST") == 0 && strcmp(p, "/api/v1/bookings") == 0;
    wl_api_auth_t a;
    if (authenticate(api, c, req, res, &k, defer ? &a : NULL)) wl_api_dispatch(api, c, &k, defer ? &a : NULL, req, res);
    wl_central_pool_release(api->pool, c);
}
