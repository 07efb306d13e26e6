/* What the portal needs from storage, as function pointers: the central PostgreSQL store
 * (server/portal_central.c) in wijkloket-server, core's SQLite store in wijkloket-portal. */
#ifndef WL_PORTAL_BACKEND_H
#define WL_PORTAL_BACKEND_H

#include "wijkloket/appointments.h"
#include "wijkloket/minima.h"
#include "wijkloket/store.h"

typedef struct {
    void *ctx;
    /* Stores one completed intake durably (the record's channel is "portal"); sealing to the
     * staff key happens inside (the store was given the key). WL_ERR_CONFLICT on a duplicate
     * reference. Called with the portal lock held; must not call back into the portal. */
    wl_rc (*save_intake)(void *ctx, const wl_intake_record_t *rec, wl_err_t *err);
    /* Draft blobs by opaque id, as wl_store_draft_* / wl_central_draft_*. */
    wl_rc (*draft_put)(void *ctx, const char *id, const unsigned char *data, size_t len, int64_t expires_at,
                       wl_err_t *err);
    wl_rc (*draft_get)(void *ctx, const char *id, int64_t now, unsigned char **data, size_t *len, wl_err_t *err);
    wl_rc (*draft_delete)(void *ctx, const char *id, wl_err_t *err);
    wl_rc (*draft_purge)(void *ctx, int64_t now, int64_t *removed, wl_err_t *err);
    /* Slots with their use, as wl_appointments_slots. */
    wl_rc (*slots)(void *ctx, const wl_catalog_t *c, const char *service, const char *location, const char *date,
                   int64_t now, wl_slot_t **out, size_t *n, wl_err_t *err);
    /* Holds one seat of a slot for ttl seconds while the citizen confirms, for req->kiosk (as
     * wl_central_hold); full is WL_ERR_CONFLICT. May be NULL: no holds, the portal then books
     * directly on confirmation. */
    wl_rc (*hold)(void *ctx, const wl_catalog_t *c, const wl_booking_request_t *req, int64_t now, int ttl,
                  char hold_id[33], int64_t *expires_at, wl_err_t *err);
    /* Frees a held seat (as wl_central_hold_release); gone or expired is WL_ERR_NOTFOUND. */
    wl_rc (*hold_release)(void *ctx, const char *hold_id, int64_t now, wl_err_t *err);
    /* Books one seat, the held one when hold_id is not NULL (a hold that expired or is not
     * this caller's: WL_ERR_STATE); full is WL_ERR_CONFLICT. */
    wl_rc (*book)(void *ctx, const wl_catalog_t *c, const wl_booking_request_t *req, const char *hold_id,
                  int64_t now, wl_appointment_t *out, wl_err_t *err);
    /* Anonymous management figures: one more showing of each scheme in r that was eligible or
     * maybe, at location (as wl_minima_count_shown). May be NULL (not counted). */
    wl_rc (*minima_count)(void *ctx, const wl_minima_t *m, const wl_minima_result_t *r, const char *location,
                          wl_err_t *err);
    void (*close)(void *ctx);
} wl_portal_backend_t;

/* The embedded backend: core's SQLite store at db_path, sealing every intake to the staff
 * public key at public_key_path. Fills *out; close with out->close(out->ctx). */
wl_rc wl_portal_backend_sqlite(const char *db_path, const char *public_key_path, wl_portal_backend_t *out,
                               wl_err_t *err);

#endif
