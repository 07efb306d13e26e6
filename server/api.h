/* The kiosk API and the router of wijkloket-server: pure functions from request to response. */
#ifndef WL_SERVER_API_H
#define WL_SERVER_API_H

#include "wijkloket/central.h"
#include "http.h"
#include "kiosk_cache.h"
#include "ratelimit.h"

/* Everything a handler needs; made once by the server (or a test) and shared by all threads. */
typedef struct {
    wl_central_pool_t *pool;
    wl_catalog_t *catalog;
    wl_ratelimit_t *limits;   /* per kiosk */
    size_t max_body;          /* bytes; the adapter refuses bigger bodies with 413 before this */
    int replay_window;        /* seconds a signed request's time may differ from the server's */
    int hold_seconds;         /* how long a hold keeps a seat */
    void *portal_ctx;         /* the citizen portal (wl_portal_t) when it runs, else NULL (404) */
    wl_kiosk_cache_t *kiosks; /* kiosks' keys in memory (NULL: read from the database each time) */
} wl_api_t;

/* The router: /health and /api/... are the kiosk API; every other path belongs to the
 * citizen portal when it runs (portal_ctx), else 404. Always fills res. */
void wl_server_route(wl_api_t *api, const wl_http_request_t *req, wl_http_response_t *res);

/* Fills res with {"error": code, "message": msg} and status. */
void wl_api_error(wl_http_response_t *res, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Fills res with the compact JSON of body (stolen) and status. */
void wl_api_json(wl_http_response_t *res, int status, json_t *body);

/* The text a kiosk signs for a request: "WL1\nMETHOD\nPATH\nQUERY\nTIME\nNONCE\nSHA256HEX(body)".
 * Returns the length written to buf (at most size-1), or -1 when it does not fit. */
int wl_api_signing_text(char *buf, size_t size, const char *method, const char *path, const char *query,
                        const char *time, const char *nonce, const unsigned char *body, size_t body_len);

#endif
