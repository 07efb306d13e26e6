/* The portal's storage on core's SQLite store (the embedded default, one server process). */
#include "backend.h"

#include <pthread.h>
#include <stdlib.h>

#include "wijkloket/seal.h"

typedef struct {
    wl_store_t *st;
    pthread_mutex_t mu; /* one SQLite connection, several server threads */
} sq_t;

#define LOCKED(expr)                  \
    do {                              \
        sq_t *s = ctx;                \
        pthread_mutex_lock(&s->mu);   \
        wl_rc rc_ = (expr);           \
        pthread_mutex_unlock(&s->mu); \
        return rc_;                   \
    } while (0)

static wl_rc save_intake(void *ctx, const wl_intake_record_t *rec, wl_err_t *err)
{
    LOCKED(wl_store_save_intake(s->st, rec, err));
}
static wl_rc draft_put(void *ctx, const char *id, const unsigned char *d, size_t n, int64_t exp, wl_err_t *err)
{
    LOCKED(wl_store_draft_put(s->st, id, d, n, exp, err));
}
static wl_rc draft_get(void *ctx, const char *id, int64_t now, unsigned char **d, size_t *n, wl_err_t *err)
{
    LOCKED(wl_store_draft_get(s->st, id, now, d, n, err));
}
static wl_rc draft_delete(void *ctx, const char *id, wl_err_t *err)
{
    LOCKED(wl_store_draft_delete(s->st, id, err));
}
static wl_rc draft_purge(void *ctx, int64_t now, int64_t *removed, wl_err_t *err)
{
    LOCKED(wl_store_draft_purge(s->st, now, removed, err));
}
static wl_rc slots(void *ctx, const wl_catalog_t *c, const char *svc, const char *loc, const char *date, int64_t now,
                   wl_slot_t **out, size_t *n, wl_err_t *err)
{
    LOCKED(wl_appointments_slots(s->st, c, svc, loc, date, now, out, n, err));
}
static wl_rc book(void *ctx, const wl_catalog_t *c, const wl_booking_request_t *req, const char *hold_id, int64_t now,
                  wl_appointment_t *out, wl_err_t *err)
{
    (void)hold_id; /* core's SQLite store has no holds (hold is NULL below): always NULL here */
    LOCKED(wl_appointments_book(s->st, c, req, now, out, err));
}
static wl_rc minima_count(void *ctx, const wl_minima_t *m, const wl_minima_result_t *r, const char *location,
                          wl_err_t *err)
{
    LOCKED(wl_minima_count_shown(s->st, m, r, location, err));
}
static void sq_close(void *ctx)
{
    sq_t *s = ctx;
    if (!s) return;
    wl_store_close(s->st);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

wl_rc wl_portal_backend_sqlite(const char *db_path, const char *public_key_path, wl_portal_backend_t *out,
                               wl_err_t *err)
{
    sq_t *s = calloc(1, sizeof *s);
    if (!s) {
        wl_err_set(err, "out of memory");
        return WL_ERR_NOMEM;
    }
    wl_rc rc = wl_store_open(db_path, &s->st, err);
    /* The portal never stores a citizen's answers in clear: no key, no start. */
    if (rc == WL_OK) rc = wl_store_set_seal_key(s->st, public_key_path, err);
    if (rc != WL_OK) {
        if (s->st) wl_store_close(s->st);
        free(s);
        return rc;
    }
    pthread_mutex_init(&s->mu, NULL);
    *out = (wl_portal_backend_t){
        .ctx = s, .save_intake = save_intake, .draft_put = draft_put, .draft_get = draft_get,
        .draft_delete = draft_delete, .draft_purge = draft_purge, .slots = slots, .book = book, .minima_count = minima_count,
        .close = sq_close,
    };
    return WL_OK;
}
