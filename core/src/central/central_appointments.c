/* Central store: slots, short holds and bookings with the seat count guarded in PostgreSQL. */
#include "central/central_internal.h"
#include "wijkloket/refcode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

/* Every seat, held or booked, is one increment of slot_usage.used; its CHECK (used <=
 * capacity) refuses the one after the last, and the row lock PostgreSQL takes for the upsert
 * serialises concurrent bookers of one slot. Expired holds of a slot are released inside the
 * next statement that takes a seat there. */

wl_rc wl_central_slots(wl_central_t *c, const wl_catalog_t *cat, const char *service, const char *location,
                       const char *date, int64_t now, wl_slot_t **out, size_t *n, wl_err_t *err)
{
    wl_rc rc = wl_appointments_slots(NULL, cat, service, location, date, now, out, n, err);
    if (rc || *n == 0) return rc;
    char t[24], prefix[16];
    snprintf(prefix, sizeof prefix, "%.10s%%", date);
    const char *vals[4] = {service, location, prefix, wl_pq_i64(t, now)};
    PGresult *r;
    rc = wl_pq_exec(c, "reading seat counts",
                    "SELECT s.start, s.used - (SELECT count(*) FROM holds h WHERE h.service = s.service "
                    "AND h.location = s.location AND h.start = s.start AND h.expires_at <= $4::bigint) "
                    "FROM slot_usage s WHERE s.service = $1 AND s.location = $2 AND s.start LIKE $3",
                    4, vals, NULL, NULL, &r, err);
    if (rc) {
        free(*out);
        *out = NULL;
        *n = 0;
        return rc;
    }
    for (int i = 0; i < PQntuples(r); i++)
        for (size_t k = 0; k < *n; k++)
            if (strcmp((*out)[k].start, PQgetvalue(r, i, 0)) == 0) (*out)[k].used = (int)wl_pq_get_i64(r, i, 1);
    PQclear(r);
    return WL_OK;
}

wl_rc wl_central_hold(wl_central_t *c, const wl_catalog_t *cat, const char *service, const char *location,
                      const char *start, const char *kiosk, int64_t now, int ttl,
                      char hold_id[WL_CENTRAL_HOLD_ID_BUFSZ], int64_t *expires_at, wl_err_t *err)
{
    hold_id[0] = 0;
    if (ttl < 10 || ttl > 3600) {
        wl_err_set(err, "a hold lasts 10 to 3600 seconds, not %d", ttl);
        return WL_ERR_INVALID;
    }
    wl_slot_t slot;
    int capacity;
    wl_rc rc = wl_appointments_check_start(cat, service, location, start, now, &slot, &capacity, err);
    if (rc) return rc;
    unsigned char raw[16];
    randombytes_buf(raw, sizeof raw);
    char id[WL_CENTRAL_HOLD_ID_BUFSZ];
    sodium_bin2hex(id, sizeof id, raw, sizeof raw);
    char exp[24], t[24], cap[24];
    const char *vals[8] = {id, service, location, slot.start, kiosk ? kiosk : "", wl_pq_i64(exp, now + ttl),
                           wl_pq_i64(t, now), wl_pq_i64(cap, capacity)};
    /* One statement, as in booking: free expired holds, take a seat, record the hold
     * (wl_hold, PG migration 9, "speed": the statement inside a function keeps its plan). */
    rc = wl_pq_exec(c, "holding a seat", "SELECT wl_hold($1, $2, $3, $4, $5, $6::bigint, $7::bigint, $8::int)", 8, vals,
                    NULL, NULL, NULL, err);
    if (rc == WL_ERR_CONFLICT && strcmp(wl_pq_last_state(c), "23514") == 0)
        wl_err_set(err, "this time was just taken: %s at %s is full (%d of %d seats); choose another time", slot.start,
                    location, capacity, capacity);
    if (rc) return rc;
    memcpy(hold_id, id, sizeof id);
    if (expires_at) *expires_at = now + ttl;
    return WL_OK;
}

wl_rc wl_central_hold_release(wl_central_t *c, const char *hold_id, int64_t now, wl_err_t *err)
{
    char t[24];
    const char *vals[2] = {hold_id, wl_pq_i64(t, now)};
    PGresult *r;
    wl_rc rc = wl_pq_exec(c, "releasing the hold",
                          "WITH gone AS (DELETE FROM holds WHERE id = $1 AND expires_at > $2::bigint "
                          "RETURNING service, location, start) "
                          "UPDATE slot_usage s SET used = used - 1 FROM gone g WHERE s.service = g.service "
                          "AND s.location = g.location AND s.start = g.start RETURNING 1",
                          2, vals, NULL, NULL, &r, err);
    if (rc) return rc;
    int n = PQntuples(r);
    PQclear(r);
    if (n == 0) {
        wl_err_set(err, "no hold '%s' (unknown, already used, or expired)", hold_id);
        return WL_ERR_NOTFOUND;
    }
    return WL_OK;
}

/* Books in ONE autocommit statement (one round trip, one commit): frees the slot's expired
 * holds, takes a seat (CHECK used <= capacity refuses the one after the last, SQLSTATE
 * 23514) or uses the caller's hold, and inserts the appointment. A reference drawn twice is a
 * primary-key clash (23505) that undoes the whole statement: draw again. Fewer round trips
 * keep the slot row locked for less time, so concurrent bookers of one slot wait less. */
static wl_rc book_statement(wl_central_t *c, const wl_booking_request_t *req, const wl_slot_t *slot, int capacity,
                            const char *hold_id, const char *lang, int64_t now, char ref[WL_REFCODE_BUFSZ],
                            wl_err_t *err)
{
    /* The statements are functions (PG migration 9, "speed") so each connection plans them once:
     * planning the CTE again for every request was most of a booking's database time.
     * wl_book_direct: free expired holds, take a seat, insert the appointment. wl_book_held:
     * the caller's unexpired hold for this slot becomes the appointment (NULL: no such hold). */
    static const char *direct = "SELECT wl_book_direct($1, $2, $3, $4, $5, $6, $7, $8, $9::bigint, $10::int)";
    static const char *held = "SELECT wl_book_held($1, $2, $3, $4, $5, $6, $7, $8, $9::bigint, $10)";
    char t[24], cap[24];
    for (int tries = 0; tries < 8; tries++) {
        unsigned char bytes[5];
        wl_env_random(req->env, bytes, sizeof bytes); /* tests fix them; production: the CSPRNG */
        wl_refcode_from_bytes(bytes, ref);
        const char *vals[10] = {ref, req->service, req->location, slot->start, slot->end, lang,
                                req->intake_ref, req->kiosk ? req->kiosk : "", wl_pq_i64(t, now),
                                hold_id ? hold_id : wl_pq_i64(cap, capacity)};
        PGresult *r;
        wl_rc rc = wl_pq_exec(c, "booking", hold_id ? held : direct, 10, vals, NULL, NULL, &r, err);
        if (rc == WL_ERR_CONFLICT && strcmp(wl_pq_last_state(c), "23505") == 0) continue; /* ref clash */
        if (rc == WL_ERR_CONFLICT) {
            wl_err_set(err, "this time was just taken: %s at %s is full (%d of %d seats); choose another time",
                       slot->start, req->location, capacity, capacity);
            return rc;
        }
        if (rc) return rc;
        int n = PQntuples(r) == 1 && !PQgetisnull(r, 0, 0);
        PQclear(r);
        if (n == 1) return WL_OK;
        wl_err_set(err, "the hold on %s at %s expired or is not this kiosk's; ask for the time again", slot->start,
                   req->location);
        return WL_ERR_STATE;
    }
    wl_err_set(err, "could not find a free reference code; try again");
    return WL_ERR_CONFLICT;
}

/* The appointment both booking paths return once the seat is taken. */
static void booked(wl_appointment_t *out, const char *ref, const wl_booking_request_t *req, const wl_slot_t *slot,
                   const char *lang, int64_t now)
{
    copy(out->ref, sizeof out->ref, ref);
    copy(out->service, sizeof out->service, req->service);
    copy(out->location, sizeof out->location, req->location);
    copy(out->start, sizeof out->start, slot->start);
    copy(out->end, sizeof out->end, slot->end);
    copy(out->status, sizeof out->status, "booked");
    copy(out->language, sizeof out->language, lang);
    copy(out->print_state, sizeof out->print_state, "none");
    out->created_at = now;
}

/* What both booking paths check first: the start is one of the service's slots at that
 * location, and the language code fits. */
static wl_rc book_prepare(const wl_catalog_t *cat, const wl_booking_request_t *req, int64_t now, wl_appointment_t *out,
                          wl_slot_t *slot, int *capacity, const char **lang, wl_err_t *err)
{
    memset(out, 0, sizeof *out);
    wl_rc rc = wl_appointments_check_start(cat, req->service, req->location, req->start, now, slot, capacity, err);
    if (rc) return rc;
    *lang = req->language && *req->language ? req->language : "nl";
    if (strlen(*lang) >= sizeof out->language) {
        wl_err_set(err, "language '%s' is not a language code", *lang);
        return WL_ERR_INVALID;
    }
    return WL_OK;
}

wl_rc wl_central_book(wl_central_t *c, const wl_catalog_t *cat, const wl_booking_request_t *req,
                      const char *hold_id, int64_t now, wl_appointment_t *out, wl_err_t *err)
{
    wl_slot_t slot;
    int capacity;
    const char *lang;
    wl_rc rc = book_prepare(cat, req, now, out, &slot, &capacity, &lang, err);
    if (rc) return rc;
    char ref[WL_REFCODE_BUFSZ];
    if ((rc = book_statement(c, req, &slot, capacity, hold_id, lang, now, ref, err))) return rc;
    booked(out, ref, req, &slot, lang, now);
    return WL_OK;
}

wl_rc wl_central_book_signed(wl_central_t *c, const wl_catalog_t *cat, const wl_booking_request_t *req,
                             const char *hold_id, const char *nonce, int64_t nonce_ts, int64_t now,
                             wl_appointment_t *out, wl_central_refusal_t *refused, wl_err_t *err)
{
    *refused = WL_CENTRAL_ACCEPTED;
    wl_slot_t slot;
    int capacity;
    const char *lang;
    wl_rc rc = book_prepare(cat, req, now, out, &slot, &capacity, &lang, err);
    if (rc) return rc;
    wl_pq_nonce_sweep(c, now);
    /* Eight candidate references, as book_statement's eight tries, as one array literal
     * (reference codes are letters and digits only). */
    char refs[8][WL_REFCODE_BUFSZ], arr[8 * (WL_REFCODE_BUFSZ + 3) + 3];
    size_t al = 0;
    arr[al++] = '{';
    for (int i = 0; i < 8; i++) {
        unsigned char bytes[5];
        wl_env_random(req->env, bytes, sizeof bytes); /* tests fix them; production: the CSPRNG */
        wl_refcode_from_bytes(bytes, refs[i]);
        al += (size_t)snprintf(arr + al, sizeof arr - al, "%s\"%s\"", i ? "," : "", refs[i]);
    }
    snprintf(arr + al, sizeof arr - al, "}");
    char ts[24], t[24], cap[24];
    const char *vals[13] = {req->kiosk ? req->kiosk : "", nonce, wl_pq_i64(ts, nonce_ts), arr, req->service,
                            req->location, slot.start, slot.end, lang, req->intake_ref, wl_pq_i64(t, now),
                            wl_pq_i64(cap, capacity), hold_id};
    PGresult *r;
    rc = wl_pq_exec(c, "booking",
                    "SELECT wl_book_signed($1, $2, $3::bigint, $4::text[], $5, $6, $7, $8, $9, $10, $11::bigint, "
                    "$12::int, $13)",
                    13, vals, NULL, NULL, &r, err);
    if (rc == WL_ERR_CONFLICT && strcmp(wl_pq_last_state(c), "23505") == 0) {
        *refused = WL_CENTRAL_REPLAYED;
        wl_err_set(err, "replayed request: this nonce was already used by kiosk '%s'", req->kiosk ? req->kiosk : "");
        return rc;
    }
    if (rc == WL_ERR_CONFLICT) wl_err_set(err, "the nonce must be 16 to 64 characters");
    if (rc) return rc;
    char got[WL_REFCODE_BUFSZ]; /* a reference or one of the short "!" answers */
    snprintf(got, sizeof got, "%s", PQntuples(r) == 1 ? PQgetvalue(r, 0, 0) : "!refs");
    PQclear(r);
    if (strcmp(got, "!disabled") == 0) {
        *refused = WL_CENTRAL_DISABLED;
        wl_err_set(err, "kiosk '%s' is not registered or is disabled", req->kiosk ? req->kiosk : "");
        return WL_ERR_STATE;
    }
    if (strcmp(got, "!full") == 0) {
        wl_err_set(err, "this time was just taken: %s at %s is full (%d of %d seats); choose another time", slot.start,
                   req->location, capacity, capacity);
        return WL_ERR_CONFLICT;
    }
    if (strcmp(got, "!hold") == 0) {
        wl_err_set(err, "the hold on %s at %s expired or is not this kiosk's; ask for the time again", slot.start,
                   req->location);
        return WL_ERR_STATE;
    }
    if (got[0] == '!') {
        wl_err_set(err, "could not find a free reference code; try again");
        return WL_ERR_CONFLICT;
    }
    booked(out, got, req, &slot, lang, now);
    return WL_OK;
}

wl_rc wl_central_appointment_get(wl_central_t *c, const char *ref_input, wl_appointment_t *out, wl_err_t *err)
{
    memset(out, 0, sizeof *out);
    char ref[WL_REFCODE_BUFSZ];
    wl_rc rc = wl_refcode_parse(ref_input ? ref_input : "", ref, err);
    if (rc) return rc;
    const char *vals[1] = {ref};
    PGresult *r;
    rc = wl_pq_exec(c, "reading the appointment",
                    "SELECT service, location, start, end_time, status, language, print_state, created_at, "
                    "coalesce(cancelled_at, 0) FROM appointments WHERE ref = $1",
                    1, vals, NULL, NULL, &r, err);
    if (rc) return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        wl_err_set(err, "no appointment with reference %s; check the code on the slip", ref);
        return WL_ERR_NOTFOUND;
    }
    copy(out->ref, sizeof out->ref, ref);
    copy(out->service, sizeof out->service, PQgetvalue(r, 0, 0));
    copy(out->location, sizeof out->location, PQgetvalue(r, 0, 1));
    copy(out->start, sizeof out->start, PQgetvalue(r, 0, 2));
    copy(out->end, sizeof out->end, PQgetvalue(r, 0, 3));
    copy(out->status, sizeof out->status, PQgetvalue(r, 0, 4));
    copy(out->language, sizeof out->language, PQgetvalue(r, 0, 5));
    copy(out->print_state, sizeof out->print_state, PQgetvalue(r, 0, 6));
    out->created_at = wl_pq_get_i64(r, 0, 7);
    out->cancelled_at = wl_pq_get_i64(r, 0, 8);
    PQclear(r);
    return WL_OK;
}

wl_rc wl_central_cancel(wl_central_t *c, const char *ref_input, int64_t now, wl_err_t *err)
{
    wl_appointment_t a;
    wl_rc rc = wl_central_appointment_get(c, ref_input, &a, err);
    if (rc) return rc;
    char t[24];
    const char *vals[2] = {a.ref, wl_pq_i64(t, now)};
    PGresult *r;
    /* One statement: the status change and the freed seat commit together or not at all. */
    rc = wl_pq_exec(c, "cancelling the appointment",
                    "WITH cx AS (UPDATE appointments SET status = 'cancelled', cancelled_at = $2::bigint "
                    "WHERE ref = $1 AND status = 'booked' RETURNING service, location, start) "
                    "UPDATE slot_usage s SET used = used - 1 FROM cx WHERE s.service = cx.service "
                    "AND s.location = cx.location AND s.start = cx.start RETURNING 1",
                    2, vals, NULL, NULL, &r, err);
    if (rc) return rc;
    int n = PQntuples(r);
    PQclear(r);
    if (n == 0) {
        wl_err_set(err, "appointment %s was already cancelled", a.ref);
        return WL_ERR_STATE;
    }
    return WL_OK;
}

int wl_central_booked(wl_central_t *c, const char *service, const char *location, const char *start)
{
    const char *vals[3] = {service, location, start};
    PGresult *r;
    wl_err_t e;
    if (wl_pq_exec(c, "counting bookings",
                   "SELECT count(*) FROM appointments WHERE service = $1 AND location = $2 AND start = $3 "
                   "AND status = 'booked'",
                   3, vals, NULL, NULL, &r, &e))
        return -1;
    int n = (int)wl_pq_get_i64(r, 0, 0);
    PQclear(r);
    return n;
}
