/* The citizen portal's storage on the central PostgreSQL store: sealed intakes (channel
 * "portal"), encrypted drafts, slots, holds and bookings from the same capacity the kiosks
 * use, and the anonymous minima counts. */
#include "portal_central.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wijkloket/dates.h"

#include "wijkloket/seal.h"

typedef struct {
    wl_central_pool_t *pool; /* borrowed: the server's, one connection per request */
    unsigned char pk[crypto_box_PUBLICKEYBYTES];
    unsigned char install_key[32]; /* binds each sealed part to its record (WLS3) */
} pc_t;

/* Runs expr with a connection c borrowed from the pool for this one call. */
#define WITH_CONN(expr)                                      \
    do {                                                     \
        pc_t *s = ctx;                                       \
        wl_central_t *c = wl_central_pool_acquire(s->pool);  \
        wl_rc rc_ = (expr);                                  \
        wl_central_pool_release(s->pool, c);                 \
        return rc_;                                          \
    } while (0)

static wl_rc save_intake(void *ctx, const wl_intake_record_t *rec, wl_err_t *err)
{
    pc_t *s = ctx;
    char *text = NULL;
    size_t len = 0;
    /* Sealed here, before anything leaves the process: PostgreSQL only ever sees the blobs. */
    wl_rc rc = wl_central_record_build(s->pk, s->install_key, rec, &text, &len, err);
    if (rc) return rc;
    wl_central_t *c = wl_central_pool_acquire(s->pool);
    rc = wl_central_portal_intake_put(c, rec->ref, rec->location, rec->completed_at, (const unsigned char *)text, len,
                                      rec->completed_at, err);
    wl_central_pool_release(s->pool, c);
    free(text);
    return rc;
}
static wl_rc draft_put(void *ctx, const char *id, const unsigned char *d, size_t n, int64_t exp, wl_err_t *err)
{
    WITH_CONN(wl_central_draft_put(c, id, d, n, exp, err));
}
static wl_rc draft_get(void *ctx, const char *id, int64_t now, unsigned char **d, size_t *n, wl_err_t *err)
{
    WITH_CONN(wl_central_draft_get(c, id, now, d, n, err));
}
static wl_rc draft_delete(void *ctx, const char *id, wl_err_t *err)
{
    WITH_CONN(wl_central_draft_delete(c, id, err));
}
static wl_rc draft_purge(void *ctx, int64_t now, int64_t *removed, wl_err_t *err)
{
    WITH_CONN(wl_central_draft_purge(c, now, removed, err));
}
static wl_rc slots(void *ctx, const wl_catalog_t *cat, const char *svc, const char *loc, const char *date, int64_t now,
                   wl_slot_t **out, size_t *n, wl_err_t *err)
{
    WITH_CONN(wl_central_slots(c, cat, svc, loc, date, now, out, n, err));
}
static wl_rc hold(void *ctx, const wl_catalog_t *cat, const wl_booking_request_t *req, int64_t now, int ttl,
                  char hold_id[WL_CENTRAL_HOLD_ID_BUFSZ], int64_t *expires_at, wl_err_t *err)
{
    /* The same holds as the kiosks': the seat counts against the shared capacity at once. */
    WITH_CONN(wl_central_hold(c, cat, req->service, req->location, req->start, req->kiosk, now, ttl, hold_id,
                              expires_at, err));
}
static wl_rc hold_release(void *ctx, const char *hold_id, int64_t now, wl_err_t *err)
{
    WITH_CONN(wl_central_hold_release(c, hold_id, now, err));
}
static wl_rc book(void *ctx, const wl_catalog_t *cat, const wl_booking_request_t *req, const char *hold_id,
                  int64_t now, wl_appointment_t *out, wl_err_t *err)
{
    WITH_CONN(wl_central_book(c, cat, req, hold_id, now, out, err));
}
static wl_rc minima_count(void *ctx, const wl_minima_t *m, const wl_minima_result_t *r, const char *location,
                          wl_err_t *err)
{
    /* Counted under today's date here, as the kiosk counts under the day it evaluated. */
    char day[11];
    wl_date_today((int64_t)time(NULL), day);
    WITH_CONN(wl_central_minima_count_shown(c, m, r, day, location, err));
}
static void pc_close(void *ctx)
{
    pc_t *s = ctx;
    if (!s) return;
    sodium_memzero(s, sizeof *s);
    free(s);
}

wl_rc wl_portal_backend_central(wl_central_pool_t *pool, const char *public_key_path, const char *install_key_path,
                                wl_portal_backend_t *out, wl_err_t *err)
{
    pc_t *s = calloc(1, sizeof *s);
    if (!s) {
        wl_err_set(err, "out of memory");
        return WL_ERR_NOMEM;
    }
    /* The portal never stores a citizen's answers in clear: no key, no start. */
    wl_rc rc = wl_seal_load_public(public_key_path, s->pk, err);
    if (rc == WL_OK) rc = wl_central_install_key(install_key_path, true, s->install_key, err);
    if (rc) {
        sodium_memzero(s, sizeof *s);
        free(s);
        return rc;
    }
    s->pool = pool;
    *out = (wl_portal_backend_t){
        .ctx = s, .save_intake = save_intake, .draft_put = draft_put, .draft_get = draft_get,
        .draft_delete = draft_delete, .draft_purge = draft_purge, .slots = slots, .hold = hold,
        .hold_release = hold_release, .book = book,
        .minima_count = minima_count, .close = pc_close,
    };
    return WL_OK;
}
