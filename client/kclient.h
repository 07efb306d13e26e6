/* The kiosk's side of the server API: its key file and signed HTTP requests (libcurl). */
#ifndef WL_KCLIENT_H
#define WL_KCLIENT_H

#include <sodium.h>
#include "wijkloket/common.h"

typedef struct wl_kclient wl_kclient_t;

/* Reads the key file `wijkloket-server kiosk-add` wrote (kiosk, location, secret) and
 * prepares requests to base_url ("http://127.0.0.1:8080" or "https://wijkloket.example").
 * A missing or malformed file is WL_ERR_IO / WL_ERR_PARSE naming file and line. */
wl_rc wl_kclient_new(const char *base_url, const char *key_path, wl_kclient_t **out, wl_err_t *err);
void wl_kclient_free(wl_kclient_t *k);
/* Limits for each request: connecting and the whole exchange, in ms (defaults 5000 and 20000,
 * for the delivery loop). The kiosk's screens use short ones so a citizen never waits long. */
void wl_kclient_set_timeouts(wl_kclient_t *k, long connect_ms, long total_ms);
const char *wl_kclient_kiosk(const wl_kclient_t *k);
const char *wl_kclient_location(const wl_kclient_t *k);

/* One signed request (X-WL-Kiosk, X-WL-Time, X-WL-Nonce, X-WL-Signature; a fresh nonce each
 * call). path starts with "/api/"; query without '?' (may be NULL). On a transport failure
 * (refused, cut, timeout) returns WL_ERR_IO with curl's reason and *status 0; otherwise WL_OK
 * with the HTTP status and the response body (malloc'd, NUL-terminated, caller frees). */
wl_rc wl_kclient_request(wl_kclient_t *k, const char *method, const char *path, const char *query,
                         const char *body, size_t body_len, int *status, char **response, wl_err_t *err);

#endif
