/* The central store on PostgreSQL behind wijkloket-server (core/src/central/): kiosks, sealed intakes, slots,
 * holds, bookings, events and the portal's draft blobs. One API for the server's handlers,
 * the citizen portal and `wijkloket-staff --db postgresql://...`. */
#ifndef WL_CENTRAL_H
#define WL_CENTRAL_H

#include <jansson.h>
#include <sodium.h>
#include "wijkloket/appointments.h"
#include "wijkloket/common.h"
#include "wijkloket/minima.h"
#include "wijkloket/store.h"

/* One PostgreSQL connection (libpq). Not thread-safe: one per thread, or borrow one from a
 * wl_central_pool_t for the length of one request. Every statement uses bound parameters. */
typedef struct wl_central wl_central_t;

/* Connects to conninfo (a postgresql:// URL or "host=... dbname=..."). When migrate is true,
 * applies every pending versioned migration (store/store_pg_migrations.c, one list with the store), each in its own
 * transaction under an advisory lock so two servers starting at once do not race. A schema
 * newer than this build knows is refused (WL_ERR_DB). Unreachable database: WL_ERR_DB with
 * libpq's reason. */
wl_rc wl_central_open(const char *conninfo, bool migrate, wl_central_t **out, wl_err_t *err);
void wl_central_close(wl_central_t *c);
/* Schema version in the database and the newest this build knows. */
int wl_central_schema_version(wl_central_t *c);
int wl_central_latest_version(void);
/* True when the connection answers a trivial query (health check); reconnects once if not. */
bool wl_central_ping(wl_central_t *c);

/* A fixed set of connections for a threaded server: acquire blocks until one is free. */
typedef struct wl_central_pool wl_central_pool_t;
wl_rc wl_central_pool_new(const char *conninfo, int size, wl_central_pool_t **out, wl_err_t *err);
wl_central_t *wl_central_pool_acquire(wl_central_pool_t *p);
void wl_central_pool_release(wl_central_pool_t *p, wl_central_t *c);
void wl_central_pool_free(wl_central_pool_t *p);

/* ---- Proof of origin (central_origin.c, docs/security.md §1) ----
 * The server holds an Ed25519 origin key in a file outside the database (mode 0600). It signs
 * every record it stores (reference, channel, kiosk, location, times and the SHA-256 of the
 * exact record bytes) and every kiosk registration (id, location, enabled, public key). Staff
 * machines keep the public half (server-origin.pub) and check each record they open; the
 * server checks a kiosk's registration before it believes that kiosk's signature. */
#define WL_CENTRAL_ORIGIN_SECRET_BYTES crypto_sign_SECRETKEYBYTES
#define WL_CENTRAL_ORIGIN_PUBLIC_BYTES crypto_sign_PUBLICKEYBYTES
/* Reads the origin key file at path ("wijkloket-origin-key 1" and 64 hex digits of seed);
 * when it is missing and create is true, makes it (0600, exclusively, never through a
 * symlink). Either way the public half is written beside it (path with .key replaced by .pub,
 * 0644) when that file is missing. sk gets the 64-byte Ed25519 secret key. */
wl_rc wl_central_origin_key(const char *path, bool create, unsigned char sk[WL_CENTRAL_ORIGIN_SECRET_BYTES],
                            wl_err_t *err);
/* Reads an origin public key file ("wijkloket-origin-public 1" and 64 hex digits). */
wl_rc wl_central_origin_public(const char *path, unsigned char pk[WL_CENTRAL_ORIGIN_PUBLIC_BYTES], wl_err_t *err);
/* From now on c signs what it stores and checks kiosk registrations with sk (copied). Without
 * it, storing a record or registering a kiosk is refused (WL_ERR_STATE). */
void wl_central_set_origin_key(wl_central_t *c, const unsigned char sk[WL_CENTRAL_ORIGIN_SECRET_BYTES]);
void wl_central_pool_set_origin_key(wl_central_pool_t *p, const unsigned char sk[WL_CENTRAL_ORIGIN_SECRET_BYTES]);
/* What a record's stored signature says, checked against the pinned public key. */
typedef enum {
    WL_ORIGIN_UNCHECKED = 0, /* no public key given */
    WL_ORIGIN_PROVEN,        /* signed by the server's origin key over exactly these bytes and columns */
    WL_ORIGIN_UNSIGNED,      /* no signature stored: delivered before schema 10, or written into the database */
    WL_ORIGIN_FORGED         /* a signature that does not match: changed or made in the database */
} wl_central_origin_t;
/* "proven", "not proven", "not genuine", "unchecked". */
const char *wl_central_origin_name(wl_central_origin_t o);

/* ---- Kiosks: registered by an admin, each with its own Ed25519 key pair ---- */

typedef struct {
    char id[64];
    char location[64];
    bool enabled;
    unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
} wl_central_kiosk_t;

/* Registers kiosk id at location with public key pk (the kiosk keeps the secret key; the
 * server only ever holds public keys), the registration signed with c's origin key
 * (WL_ERR_STATE without one). An existing id is WL_ERR_CONFLICT. */
wl_rc wl_central_kiosk_add(wl_central_t *c, const char *id, const char *location,
                           const unsigned char pk[crypto_sign_PUBLICKEYBYTES], int64_t now, wl_err_t *err);
/* Enables or disables a kiosk and signs the changed registration; unknown id WL_ERR_NOTFOUND,
 * a registration whose signature does not hold WL_ERR_AUTH (it is not signed again). */
wl_rc wl_central_kiosk_set_enabled(wl_central_t *c, const char *id, bool enabled, wl_err_t *err);
/* Signs kiosk id's registration as it stands now (an admin's confirmation of a kiosk
 * registered before schema 10, after checking its public key); *pk gets the key signed. */
wl_rc wl_central_kiosk_confirm(wl_central_t *c, const char *id, unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                               wl_err_t *err);
/* Reads one kiosk; unknown id WL_ERR_NOTFOUND. When c has an origin key the registration's
 * signature is checked too: missing or wrong is WL_ERR_AUTH (its public key may have been
 * replaced in the database), and the kiosk is not to be believed. */
wl_rc wl_central_kiosk_get(wl_central_t *c, const char *id, wl_central_kiosk_t *out, wl_err_t *err);
/* New JSON array of {"id","location","enabled","intakes","last_seen"} (caller decrefs). */
wl_rc wl_central_kiosk_list(wl_central_t *c, json_t **out, wl_err_t *err);
/* Records a request nonce of kiosk at time ts; a nonce seen before is WL_ERR_CONFLICT
 * (a replayed request); a kiosk not registered or disabled WL_ERR_STATE, nothing recorded.
 * Nonces older than the replay window are dropped on the way. */
wl_rc wl_central_nonce_use(wl_central_t *c, const char *kiosk, const char *nonce, int64_t ts,
                           int64_t now, wl_err_t *err);

/* ---- Sealed intakes delivered by kiosks ---- */

/* Stores the sealed record (the exact bytes the kiosk sent, see docs/server-api.md) under
 * ref. Returns WL_OK only after PostgreSQL's COMMIT. The same ref with the same bytes again:
 * WL_OK with *already = true (a retry after a lost acknowledgement). The same ref with other
 * bytes: WL_ERR_CONFLICT, nothing changed. location and kiosk are the sender's (from its
 * registration, never from the body). The row is signed with c's origin key (one Ed25519
 * signature; WL_ERR_STATE when none is loaded), as are the portal's and the batch's rows. */
wl_rc wl_central_intake_put(wl_central_t *c, const char *ref, const char *kiosk, const char *location,
                            int64_t completed_at, const unsigned char *record, size_t len, int64_t now,
                            bool *already, wl_err_t *err);
/* Builds the delivery record (format wijkloket-sealed-intake/1, docs/server-api.md) of a
 * completed intake made on the server (the citizen portal): the same fields as a kiosk's
 * record plus "channel"; answers, personal data and the full result sealed (WLS3) to the staff
 * public key pk (the server cannot open them), each bound to the record's ref and its kind
 * ("answers", "personal", "result") with install_key (wl_central_install_key); the clear part
 * of the result as wl_seal_clear_result. *text malloc'd (caller frees), *len its length. */
wl_rc wl_central_record_build(const unsigned char pk[crypto_box_PUBLICKEYBYTES], const unsigned char install_key[32],
                              const wl_intake_record_t *rec, char **text, size_t *len, wl_err_t *err);
/* Reads the install key file at path (its name must end in "-install.key", the store's own
 * format); when it is missing and create is true, makes it (0600). The portal's records are
 * sealed with it, and staff need the same file to open them (`wijkloket-staff --db
 * postgresql://... show --install-key FILE`). */
wl_rc wl_central_install_key(const char *path, bool create, unsigned char key[32], wl_err_t *err);
/* Stores a sealed record made by the server's own citizen portal (wl_central_record_build):
 * channel 'portal', no kiosk. Any existing row under ref is WL_ERR_CONFLICT (the journey
 * then draws another reference). WL_OK only after COMMIT. */
wl_rc wl_central_portal_intake_put(wl_central_t *c, const char *ref, const char *location, int64_t completed_at,
                                   const unsigned char *record, size_t len, int64_t now, wl_err_t *err);
/* Many records in one transaction (one commit, one WAL flush): each item gets its outcome.
 * Returns WL_OK after COMMIT; a database error stores none of them. */
typedef enum { WL_CENTRAL_STORED = 1, WL_CENTRAL_ALREADY, WL_CENTRAL_CONFLICT } wl_central_outcome_t;
typedef struct {
    const char *ref;
    int64_t completed_at;
    const unsigned char *record;
    size_t len;
    wl_central_outcome_t outcome; /* filled in */
} wl_central_intake_t;
wl_rc wl_central_intake_put_many(wl_central_t *c, const char *kiosk, const char *location, wl_central_intake_t *items,
                                 size_t n, int64_t now, wl_err_t *err);
/* Filter for listing; NULL/0 fields mean "any". */
typedef struct {
    const char *location;
    const char *kiosk;
    int64_t since;   /* received at or after (unix seconds) */
    int limit;       /* 0 = 1000 */
    const char *channel; /* "kiosk" or "portal" */
    const unsigned char *origin_pk; /* when set, each row's signature is checked ("origin") */
} wl_central_filter_t;
/* New JSON array, oldest first, of {"ref","channel","kiosk" (null for the portal),"location",
 * "completed_at","received_at","bytes"} (no sealed content), and "origin"
 * (wl_central_origin_name of the row's clear columns and stored SHA-256) when f->origin_pk is set. */
wl_rc wl_central_intake_list(wl_central_t *c, const wl_central_filter_t *f, json_t **out, wl_err_t *err);
/* The stored record bytes of ref (malloc'd, caller frees; unknown ref WL_ERR_NOTFOUND), with
 * the stored signature checked against origin_pk over the row's reference,
 * channel, kiosk, location, times and the SHA-256 of exactly these bytes: *origin says what it
 * found, and why (may be NULL) a plain sentence when it is not WL_ORIGIN_PROVEN. The bytes are
 * returned either way; the caller decides (staff open only proven records by default). */
wl_rc wl_central_intake_get_checked(wl_central_t *c, const char *ref, const unsigned char origin_pk[32],
                                    unsigned char **record, size_t *len, wl_central_origin_t *origin, char *why,
                                    size_t why_size, wl_err_t *err);
/* Number of intakes stored; -1 on error. */
int64_t wl_central_intake_count(wl_central_t *c);

/* ---- Appointments: capacity lives in PostgreSQL ---- */

/* The slots of service at location on date as wl_appointments_slots computes them from the
 * catalogue, with `used` = booked seats + seats held by unexpired holds. */
wl_rc wl_central_slots(wl_central_t *c, const wl_catalog_t *cat, const char *service, const char *location,
                       const char *date, int64_t now, wl_slot_t **out, size_t *n, wl_err_t *err);

#define WL_CENTRAL_HOLD_ID_BUFSZ 33 /* 32 hex + NUL */
/* Holds one seat for ttl seconds while the citizen confirms. The seat counts against
 * capacity (slot_usage.used, CHECK used <= capacity) until booked, released or expired;
 * expired holds of a slot are released inside the next transaction that touches it.
 * Full: WL_ERR_CONFLICT "this time was just taken". */
wl_rc wl_central_hold(wl_central_t *c, const wl_catalog_t *cat, const char *service, const char *location,
                      const char *start, const char *kiosk, int64_t now, int ttl,
                      char hold_id[WL_CENTRAL_HOLD_ID_BUFSZ], int64_t *expires_at, wl_err_t *err);
/* Releases a hold (frees its seat). Unknown or already expired: WL_ERR_NOTFOUND. */
wl_rc wl_central_hold_release(wl_central_t *c, const char *hold_id, int64_t now, wl_err_t *err);
/* Books one seat. With hold_id (may be NULL) the held seat becomes the booking (the hold
 * must be the caller kiosk's, for this slot, and unexpired, else WL_ERR_STATE); without one
 * a seat is taken directly. Full: WL_ERR_CONFLICT "this time was just taken". Fills *out
 * after COMMIT only. */
wl_rc wl_central_book(wl_central_t *c, const wl_catalog_t *cat, const wl_booking_request_t *req,
                      const char *hold_id, int64_t now, wl_appointment_t *out, wl_err_t *err);
/* wl_central_book for a signed kiosk request, with the request's nonce recorded in the same
 * round trip and commit (wl_central_nonce_use's rules): a nonce seen before is
 * WL_ERR_CONFLICT with *refused = WL_CENTRAL_REPLAYED and nothing stored; a kiosk not
 * registered or disabled WL_ERR_STATE with *refused = WL_CENTRAL_DISABLED. Otherwise
 * *refused = WL_CENTRAL_ACCEPTED and the nonce is used whatever the booking's outcome, so a
 * replay of a refused booking is refused too. */
typedef enum { WL_CENTRAL_ACCEPTED = 0, WL_CENTRAL_REPLAYED, WL_CENTRAL_DISABLED } wl_central_refusal_t;
wl_rc wl_central_book_signed(wl_central_t *c, const wl_catalog_t *cat, const wl_booking_request_t *req,
                             const char *hold_id, const char *nonce, int64_t nonce_ts, int64_t now,
                             wl_appointment_t *out, wl_central_refusal_t *refused, wl_err_t *err);
/* Reads a booking by reference as typed or scanned (wl_refcode_parse). */
wl_rc wl_central_appointment_get(wl_central_t *c, const char *ref_input, wl_appointment_t *out, wl_err_t *err);
/* Cancels a booking and frees its seat. Already cancelled: WL_ERR_STATE. */
wl_rc wl_central_cancel(wl_central_t *c, const char *ref_input, int64_t now, wl_err_t *err);
/* Booked seats (not cancelled) of one slot; -1 on error. */
int wl_central_booked(wl_central_t *c, const char *service, const char *location, const char *start);

/* ---- Kiosk events: help requests, urgent signals, printer failures ---- */

/* kind: short id ("help_request", "urgent", "printer_failure"); detail without personal data. */
wl_rc wl_central_event_add(wl_central_t *c, const char *kiosk, const char *location, const char *kind,
                           const char *detail, int64_t at, int64_t *id, wl_err_t *err);
/* The same for an event from a kiosk's outbox with the kiosk's own key for it (1-64
 * characters): a second delivery with the same kiosk and key stores nothing and gives the first
 * one's id with *created false. key NULL or "": as wl_central_event_add. (central_events.c) */
wl_rc wl_central_event_put(wl_central_t *c, const char *kiosk, const char *location, const char *kind,
                           const char *detail, int64_t at, const char *key, int64_t *id, bool *created, wl_err_t *err);
/* New JSON array, newest first, of {"id","kind","location","kiosk","detail","at","acked_by",
 * "acked_at"}; open_only leaves out acknowledged ones. */
wl_rc wl_central_events(wl_central_t *c, bool open_only, json_t **out, wl_err_t *err);
wl_rc wl_central_event_ack(wl_central_t *c, int64_t id, const char *by, int64_t now, wl_err_t *err);

/* ---- Draft blobs for the citizen portal: opaque id -> bytes, with an expiry ---- */

/* id: 1..64 characters [A-Za-z0-9_-]. Replaces an existing draft with the same id. */
wl_rc wl_central_draft_put(wl_central_t *c, const char *id, const unsigned char *data, size_t len,
                           int64_t expires_at, wl_err_t *err);
/* Unknown or expired (expires_at <= now): WL_ERR_NOTFOUND. *data malloc'd, caller frees. */
wl_rc wl_central_draft_get(wl_central_t *c, const char *id, int64_t now, unsigned char **data, size_t *len,
                           wl_err_t *err);
/* Deleting an unknown id is not an error. */
wl_rc wl_central_draft_delete(wl_central_t *c, const char *id, wl_err_t *err);
/* Removes every expired draft; *removed may be NULL. */
wl_rc wl_central_draft_purge(wl_central_t *c, int64_t now, int64_t *removed, wl_err_t *err);

/* ---- Minima check: anonymous counts from the server's portal (central_minima.c) ---- */

/* Counts one minima check on day (YYYY-MM-DD) at location and one more showing of each
 * scheme of r that was eligible or maybe, in the store's tables (wl_store.minima_runs and
 * minima_shown, migration 8): the same rows a kiosk keeps in its SQLite store
 * (wl_minima_count_shown), with nothing about the household, read by wl_minima_counts on a
 * store opened on this database. One transaction. */
wl_rc wl_central_minima_count_shown(wl_central_t *c, const wl_minima_t *m, const wl_minima_result_t *r,
                                    const char *day, const char *location, wl_err_t *err);

#endif
