/* The citizen portal (e-dienstverlening): server-rendered HTML pages over the same core as
 * the kiosk, as a pure handler on the plain-data HTTP types of server/http.h. */
#ifndef WL_PORTAL_H
#define WL_PORTAL_H

#include "../http.h"
#include "backend.h"

typedef struct {
    const char *assets_dir;  /* questionnaires/, rules/, locations.json, services.json */
    const char *locale_dir;  /* <lang>.po */
    const char *web_dir;     /* server/portal/web: portal.css and node_modules (NL Design System CSS) */
    const char *languages;   /* "nl,en": offered languages, the first is the default */
    const char *location;    /* location id recorded with portal intakes ("online") */
    int session_seconds;     /* idle time after which a session and its answers are wiped */
    int draft_days;          /* days a saved draft is kept before it is deleted */
    int rate_per_minute;     /* requests per client address per minute */
    int max_sessions;        /* sessions held in memory at most */
    int hold_seconds;        /* how long a chosen time is held while the citizen confirms (10..3600) */
    bool secure_cookies;     /* the Secure flag: set when the server is reached over TLS */
    bool kdf_moderate;       /* Argon2id MODERATE (256 MiB) for resume codes instead of INTERACTIVE */
    wl_portal_backend_t backend; /* taken over by the portal: closed by wl_portal_free */
} wl_portal_config_t;

/* Fills c with the defaults (paths relative to the working directory; no backend). */
void wl_portal_config_defaults(wl_portal_config_t *c);

typedef struct wl_portal wl_portal_t;

/* Loads the questionnaire, rules, catalogue, translations and CSS. Errors name the file.
 * On success the portal owns cfg->backend. Free with wl_portal_free. */
wl_rc wl_portal_new(const wl_portal_config_t *cfg, wl_portal_t **out, wl_err_t *err);
/* Wipes every session (explicit_bzero) and frees everything, the backend included. */
void wl_portal_free(wl_portal_t *p);

/* Answers one request (thread-safe). Always fills res (an error page at worst) and returns 0;
 * -1 only when even that failed for lack of memory. */
int wl_portal_handle(void *portal_ctx, const wl_http_request_t *req, wl_http_response_t *res);

/* Deletes expired drafts and sessions; the server calls it now and then (also done lazily). */
void wl_portal_housekeeping(wl_portal_t *p, int64_t now);

#endif
