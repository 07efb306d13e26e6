/* Where a front end books: the kiosk's own SQLite (embedded) or wijkloket-server, behind one
 * provider interface the journey and the kiosk's appointment screens call.
 *
 * Core has no HTTP: the local provider is here (wl_booking_local); the server's provider lives
 * in client/ (wl_kbooking_new, libcurl), which a kiosk with `server_url` configured uses. */
#ifndef WL_BOOKING_H
#define WL_BOOKING_H

#include "wijkloket/appointments.h"
#include "wijkloket/common.h"
#include "wijkloket/store.h"

/* A hold id as the server gives it ("" for none) plus NUL. */
#define WL_HOLD_BUFSZ 65

/* Error codes every provider keeps to, so a screen can tell the citizen what happened:
 *   WL_ERR_CONFLICT  the seat was just taken by someone else (or our hold ran out): pick another
 *   WL_ERR_IO        the booking service cannot be reached now (no network, server down,
 *                    timeout, 5xx): nothing was booked
 *   WL_ERR_INVALID   not a bookable slot (unknown service or location, past, closed)
 *   WL_ERR_NOTFOUND / WL_ERR_STATE / WL_ERR_PARSE  as wl_appointments_get and _cancel
 * Every function fills err with the technical reason (for the log, never for the citizen). */
typedef struct {
    void *ctx;
    bool remote; /* true: calls go over the network (the kiosk shows "Even geduld" first) */
    /* As wl_appointments_slots: the slots of a day with `used` counting bookings and open holds. */
    wl_rc (*slots)(void *ctx, const wl_catalog_t *c, const char *service, const char *location, const char *date,
                   int64_t now, wl_slot_t **out, size_t *n, wl_err_t *err);
    /* Holds one seat for a short time while the citizen confirms. hold gets the id ("" when the
     * provider needs no holds, as the single kiosk's own file does), *expires_at its end (0 then). */
    wl_rc (*hold)(void *ctx, const char *service, const char *location, const char *start, int64_t now,
                  char hold[WL_HOLD_BUFSZ], int64_t *expires_at, wl_err_t *err);
    /* Gives a held seat back at once (an unknown or expired hold is not an error). */
    wl_rc (*release)(void *ctx, const char *hold, wl_err_t *err);
    /* Books req's slot, on hold when hold is not empty. As wl_appointments_book. */
    wl_rc (*book)(void *ctx, const wl_catalog_t *c, const wl_booking_request_t *req, const char *hold, int64_t now,
                  wl_appointment_t *out, wl_err_t *err);
    /* As wl_appointments_get and wl_appointments_cancel. */
    wl_rc (*get)(void *ctx, const char *ref_input, wl_appointment_t *out, wl_err_t *err);
    wl_rc (*cancel)(void *ctx, const char *ref_input, int64_t now, wl_err_t *err);
} wl_booking_provider_t;

/* The embedded provider over the kiosk's own SQLite file st (borrowed): slots, bookings,
 * lookups and cancels as the wl_appointments_* functions do them; no holds (a booking is one
 * transaction on the one file, which never overbooks). Never fails. */
void wl_booking_local(wl_store_t *st, wl_booking_provider_t *out);

#endif
