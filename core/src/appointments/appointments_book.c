/* Bookings: one seat per transaction, guarded by a CHECK so no two kiosks can overbook. */
#include "appointments/appointments_internal.h"
#include "store/store_sql.h"
#include "wijkloket/questionnaire.h"

#include <stdio.h>
#include <string.h>

typedef struct {
    const wl_booking_request_t *req;
    const wl_slot_t *slot;
    int capacity;
    int64_t now;
    wl_appointment_t *out;
} book_ctx_t;

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

static wl_rc ref_exists(wl_store_t *st, const char *ref, bool *exists, wl_err_t *err)
{
    sqlite3_stmt *q;
    wl_rc rc = wl_store_prepare(st, "SELECT 1 FROM appointments WHERE ref = ?1", &q, err);
    if (rc) return rc;
    sqlite3_bind_text(q, 1, ref, -1, SQLITE_STATIC);
    int s = sqlite3_step(q);
    *exists = s == SQLITE_ROW;
    if (s != SQLITE_ROW && s != SQLITE_DONE) rc = wl_store_sqlite_error(st, s, "checking a reference", err);
    sqlite3_finalize(q);
    return rc;
}

static wl_rc book_tx(wl_store_t *st, void *vctx, wl_err_t *err)
{
    book_ctx_t *x = vctx;
    const wl_booking_request_t *r = x->req;
    wl_appointment_t *o = x->out;
    wl_rc rc;
    /* 40 random bits make a clash rare; checking inside the write lock makes it impossible. */
    bool exists = true;
    for (int tries = 0; exists && tries < 8; tries++) {
        unsigned char bytes[5];
        wl_env_random(r->env, bytes, sizeof bytes); /* tests fix them; production: the CSPRNG */
        wl_refcode_from_bytes(bytes, o->ref);
        if ((rc = ref_exists(st, o->ref, &exists, err))) return rc;
    }
    if (exists) {
        wl_err_set(err, "could not find a free reference code; try again");
        return WL_ERR_CONFLICT;
    }
    /* The seat: insert the first one or add one; CHECK (used <= capacity) refuses the seat
     * after the last, so the count can never pass capacity whatever other processes do.
     * Taking the current capacity from the assets lets staff lower or raise it later. */
    sqlite3_stmt *q;
    if ((rc = wl_store_prepare(st,
                               "INSERT INTO slot_usage (service, location, start, capacity, used) "
                               "VALUES (?1, ?2, ?3, ?4, 1) ON CONFLICT (service, location, start) "
                               "DO UPDATE SET used = used + 1, capacity = excluded.capacity",
                               &q, err)))
        return rc;
    sqlite3_bind_text(q, 1, r->service, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, r->location, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, x->slot->start, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 4, x->capacity);
    int s = sqlite3_step(q);
    sqlite3_finalize(q);
    if ((s & 0xff) == SQLITE_CONSTRAINT && sqlite3_extended_errcode(wl_store_db(st)) == SQLITE_CONSTRAINT_CHECK) {
        wl_err_set(err, "this time was just taken: %s at %s is full (%d of %d seats); choose another time",
                   x->slot->start, r->location, x->capacity, x->capacity);
        return WL_ERR_CONFLICT;
    }
    if (s != SQLITE_DONE) return wl_store_sqlite_error(st, s, "taking a seat", err);

    if ((rc = wl_store_prepare(st,
                               "INSERT INTO appointments (ref, service, location, start, end_time, status, "
                               "language, intake_ref, kiosk, created_at) "
                               "VALUES (?1, ?2, ?3, ?4, ?5, 'booked', ?6, ?7, ?8, ?9)",
                               &q, err)))
        return rc;
    sqlite3_bind_text(q, 1, o->ref, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, r->service, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, r->location, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, x->slot->start, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 5, x->slot->end, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 6, o->language, -1, SQLITE_STATIC);
    if (r->intake_ref) sqlite3_bind_text(q, 7, r->intake_ref, -1, SQLITE_STATIC);
    else sqlite3_bind_null(q, 7);
    if (r->kiosk) sqlite3_bind_text(q, 8, r->kiosk, -1, SQLITE_STATIC);
    else sqlite3_bind_null(q, 8);
    sqlite3_bind_int64(q, 9, x->now);
    s = sqlite3_step(q);
    sqlite3_finalize(q);
    if (s != SQLITE_DONE) return wl_store_sqlite_error(st, s, "saving the appointment", err);
    return WL_OK;
}

wl_rc wl_appointments_book(wl_store_t *st, const wl_catalog_t *c, const wl_booking_request_t *req,
                           int64_t now, wl_appointment_t *out, wl_err_t *err)
{
    memset(out, 0, sizeof *out);
    if (!st || !c || !req) {
        wl_err_set(err, "booking: no store, catalogue or request");
        return WL_ERR_STATE;
    }
    wl_slot_t slot;
    int capacity;
    wl_rc rc = wl_appt_check_start(c, req->service, req->location, req->start, now, &slot, &capacity, err);
    if (rc) return rc;
    const char *lang = req->language && *req->language ? req->language : "nl";
    if (strlen(lang) >= sizeof out->language) {
        wl_err_set(err, "language '%s' is not a language code", lang);
        return WL_ERR_INVALID;
    }
    copy(out->language, sizeof out->language, lang);
    book_ctx_t x = {req, &slot, capacity, now, out};
    rc = wl_store_tx(st, book_tx, &x, err);
    if (rc) {
        memset(out, 0, sizeof *out); /* nothing was booked: hand back no reference */
        return rc;
    }
    copy(out->service, sizeof out->service, req->service);
    copy(out->location, sizeof out->location, req->location);
    copy(out->start, sizeof out->start, slot.start);
    copy(out->end, sizeof out->end, slot.end);
    copy(out->status, sizeof out->status, "booked");
    copy(out->print_state, sizeof out->print_state, "none");
    out->created_at = now;
    return WL_OK;
}

static wl_rc load(wl_store_t *st, const char *ref, wl_appointment_t *o, wl_err_t *err)
{
    sqlite3_stmt *q;
    wl_rc rc = wl_store_prepare(st,
                                "SELECT service, location, start, end_time, status, language, print_state, "
                                "created_at, coalesce(cancelled_at, 0) FROM appointments WHERE ref = ?1",
                                &q, err);
    if (rc) return rc;
    sqlite3_bind_text(q, 1, ref, -1, SQLITE_STATIC);
    int s = sqlite3_step(q);
    if (s == SQLITE_ROW) {
        if (o->ref != ref) copy(o->ref, sizeof o->ref, ref);
        copy(o->service, sizeof o->service, (const char *)sqlite3_column_text(q, 0));
        copy(o->location, sizeof o->location, (const char *)sqlite3_column_text(q, 1));
        copy(o->start, sizeof o->start, (const char *)sqlite3_column_text(q, 2));
        copy(o->end, sizeof o->end, (const char *)sqlite3_column_text(q, 3));
        copy(o->status, sizeof o->status, (const char *)sqlite3_column_text(q, 4));
        copy(o->language, sizeof o->language, (const char *)sqlite3_column_text(q, 5));
        copy(o->print_state, sizeof o->print_state, (const char *)sqlite3_column_text(q, 6));
        o->created_at = sqlite3_column_int64(q, 7);
        o->cancelled_at = sqlite3_column_int64(q, 8);
    } else if (s == SQLITE_DONE) {
        wl_err_set(err, "no appointment with reference %s; check the code on the slip", ref);
        rc = WL_ERR_NOTFOUND;
    } else {
        rc = wl_store_sqlite_error(st, s, "reading an appointment", err);
    }
    sqlite3_finalize(q);
    return rc;
}

wl_rc wl_appointments_get(wl_store_t *st, const char *ref_input, wl_appointment_t *out, wl_err_t *err)
{
    /* ref_input may point into *out (re-reading a booking): copy it before clearing out. */
    char input[64];
    snprintf(input, sizeof input, "%s", ref_input ? ref_input : "");
    ref_input = input;
    memset(out, 0, sizeof *out);
    char ref[WL_REFCODE_BUFSZ];
    /* refcode's own messages already say what is wrong (a wrong check symbol is
     * WL_ERR_INVALID: "probably one symbol was typed wrong"). */
    wl_rc rc = wl_refcode_parse(ref_input ? ref_input : "", ref, err);
    if (rc) return rc;
    return load(st, ref, out, err);
}

static void describe_cancel(const wl_appointment_t *a, wl_err_t *err)
{
    char day[11];
    wl_date_today(a->cancelled_at, day);
    wl_err_set(err, "appointment %s (%s at %s, %s) was cancelled on %s", a->ref, a->service, a->location,
               a->start, day);
}

wl_rc wl_appointments_get_active(wl_store_t *st, const char *ref_input, wl_appointment_t *out,
                                 wl_err_t *err)
{
    wl_rc rc = wl_appointments_get(st, ref_input, out, err);
    if (rc) return rc;
    if (strcmp(out->status, "cancelled") == 0) {
        describe_cancel(out, err);
        return WL_ERR_STATE;
    }
    return WL_OK;
}

typedef struct {
    wl_appointment_t *a;
    int64_t now;
} cancel_ctx_t;

static wl_rc cancel_tx(wl_store_t *st, void *vctx, wl_err_t *err)
{
    cancel_ctx_t *x = vctx;
    /* Re-read inside the lock: another kiosk may have cancelled it a moment ago. */
    char ref[WL_REFCODE_BUFSZ];
    memcpy(ref, x->a->ref, sizeof ref);
    wl_rc rc = load(st, ref, x->a, err);
    if (rc) return rc;
    if (strcmp(x->a->status, "cancelled") == 0) {
        describe_cancel(x->a, err);
        return WL_ERR_STATE;
    }
    sqlite3_stmt *q;
    if ((rc = wl_store_prepare(st,
                               "UPDATE appointments SET status = 'cancelled', cancelled_at = ?2 WHERE ref = ?1",
                               &q, err)))
        return rc;
    sqlite3_bind_text(q, 1, x->a->ref, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, x->now);
    int s = sqlite3_step(q);
    sqlite3_finalize(q);
    if (s != SQLITE_DONE) return wl_store_sqlite_error(st, s, "cancelling", err);
    if (sqlite3_changes(wl_store_db(st)) != 1) {
        wl_err_set(err, "appointment %s could not be cancelled: it was not found", x->a->ref);
        return WL_ERR_NOTFOUND;
    }
    if ((rc = wl_store_prepare(st,
                               "UPDATE slot_usage SET used = used - 1 "
                               "WHERE service = ?1 AND location = ?2 AND start = ?3 AND used > 0",
                               &q, err)))
        return rc;
    sqlite3_bind_text(q, 1, x->a->service, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, x->a->location, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, x->a->start, -1, SQLITE_STATIC);
    s = sqlite3_step(q);
    sqlite3_finalize(q);
    if (s != SQLITE_DONE) return wl_store_sqlite_error(st, s, "freeing the seat", err);
    x->a->cancelled_at = x->now;
    copy(x->a->status, sizeof x->a->status, "cancelled");
    return WL_OK;
}

wl_rc wl_appointments_cancel(wl_store_t *st, const char *ref_input, int64_t now, wl_err_t *err)
{
    wl_appointment_t a;
    wl_rc rc = wl_appointments_get(st, ref_input, &a, err);
    if (rc) return rc;
    cancel_ctx_t x = {&a, now};
    return wl_store_tx(st, cancel_tx, &x, err);
}

wl_rc wl_appointments_set_print_state(wl_store_t *st, const char *ref, bool printed, const char *reason,
                                      wl_err_t *err)
{
    sqlite3_stmt *q;
    wl_rc rc = wl_store_prepare(st, "UPDATE appointments SET print_state = ?2, print_error = ?3 WHERE ref = ?1",
                                &q, err);
    if (rc) return rc;
    sqlite3_bind_text(q, 1, ref, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, printed ? "printed" : "failed", -1, SQLITE_STATIC);
    if (printed || !reason) sqlite3_bind_null(q, 3);
    else sqlite3_bind_text(q, 3, reason, -1, SQLITE_STATIC);
    int s = sqlite3_step(q);
    if (s != SQLITE_DONE) rc = wl_store_sqlite_error(st, s, "recording the print result", err);
    else if (sqlite3_changes(wl_store_db(st)) == 0) {
        wl_err_set(err, "no appointment with reference %s", ref);
        rc = WL_ERR_NOTFOUND;
    }
    sqlite3_finalize(q);
    return rc;
}

wl_rc wl_appointments_day_list(wl_store_t *st, const char *location, const char *date, json_t **out,
                               wl_err_t *err)
{
    *out = NULL;
    if (!wl_date_parse(date, NULL, NULL, NULL)) {
        wl_err_set(err, "'%s' is not a date (YYYY-MM-DD)", date ? date : "");
        return WL_ERR_PARSE;
    }
    sqlite3_stmt *q;
    wl_rc rc = wl_store_prepare(st,
                                "SELECT ref, service, start, end_time, status, print_state FROM appointments "
                                "WHERE location = ?1 AND substr(start, 1, 10) = ?2 ORDER BY start, created_at, ref",
                                &q, err);
    if (rc) return rc;
    sqlite3_bind_text(q, 1, location ? location : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, date, -1, SQLITE_STATIC);
    json_t *arr = json_array();
    int s = SQLITE_DONE;
    while (arr && (s = sqlite3_step(q)) == SQLITE_ROW) {
        json_t *o = json_object();
        static const char *const keys[6] = {"ref", "service", "start", "end", "status", "print_state"};
        for (int i = 0; o && i < 6; i++)
            json_object_set_new(o, keys[i], json_string((const char *)sqlite3_column_text(q, i)));
        if (!o || json_array_append_new(arr, o)) {
            json_decref(arr);
            arr = NULL;
        }
    }
    if (!arr) {
        sqlite3_finalize(q);
        wl_err_set(err, "out of memory building the day list");
        return WL_ERR_NOMEM;
    }
    if (s != SQLITE_DONE) {
        rc = wl_store_sqlite_error(st, s, "reading the day list", err);
        json_decref(arr);
        arr = NULL;
    }
    sqlite3_finalize(q);
    *out = arr;
    return rc;
}
