/* Appointments: locations and services from assets, slots from opening hours, bookings in SQLite. */
#ifndef WL_APPOINTMENTS_H
#define WL_APPOINTMENTS_H

#include <jansson.h>
#include "wijkloket/common.h"
#include "wijkloket/env.h"
#include "wijkloket/refcode.h"
#include "wijkloket/store.h"

/* The validated contents of assets/locations.json and assets/services.json. */
typedef struct wl_catalog wl_catalog_t;

/* Loads and validates <assets_dir>/locations.json and services.json. Every problem is
 * WL_ERR_PARSE/WL_ERR_INVALID with "file:line: field: what is wrong" in err; a missing file
 * is WL_ERR_IO. When assets_dir/rules/routing.json exists, the signal and route ids the
 * services name are checked against it too. Caller frees with wl_catalog_free. */
wl_rc wl_catalog_load(const char *assets_dir, wl_catalog_t **out, wl_err_t *err);
void wl_catalog_free(wl_catalog_t *c);

/* Loads, validates and frees: what `wijkloket-staff check` calls. */
wl_rc wl_appointments_check_assets(const char *assets_dir, wl_err_t *err);

/* Borrowed JSON objects of one location or service as written in the asset file (valid until
 * wl_catalog_free), or NULL when the id is unknown. Fields: see docs/appointments.md. */
const json_t *wl_catalog_location(const wl_catalog_t *c, const char *id);
const json_t *wl_catalog_service(const wl_catalog_t *c, const char *id);
/* Borrowed arrays of all locations / services, in file order. */
const json_t *wl_catalog_locations(const wl_catalog_t *c);
const json_t *wl_catalog_services(const wl_catalog_t *c);
/* The municipality's phone number for changing an appointment ("14 050"); never NULL. */
const char *wl_catalog_phone(const wl_catalog_t *c);
/* The number to call about an appointment at location: its "telefoon" when set, else the
 * municipality's (wl_catalog_phone). Never NULL. */
const char *wl_catalog_location_phone(const wl_catalog_t *c, const char *location);
/* A localized string field ({"nl": ..., "en": ...}) of a service: lang, else Dutch. Never NULL. */
const char *wl_catalog_text(const json_t *localized, const char *lang);
/* True when service_id is held at location_id. */
bool wl_catalog_offers(const wl_catalog_t *c, const char *service_id, const char *location_id);

/* "YYYY-MM-DDTHH:MM" plus NUL. */
#define WL_SLOT_START_BUFSZ 17

/* One bookable time. */
typedef struct {
    char start[WL_SLOT_START_BUFSZ]; /* local wall-clock start at the location */
    char end[6];                     /* "HH:MM" */
    int capacity;
    int used;                        /* booked seats (0 when no store was given) */
} wl_slot_t;

/* The slots of service at location on date (YYYY-MM-DD): the service's hours for that
 * weekday intersected with the location's opening hours, cut into duration-long pieces that
 * end no later than the range end. Closed days (all locations, the location, the service)
 * give no slots. Slots that start at or before `now` are left out. st may be NULL (then
 * `used` is 0). *out is malloc'd (caller frees, NULL when *n is 0). Unknown service or
 * location, a service not held there, or a bad date: WL_ERR_INVALID with a clear message. */
wl_rc wl_appointments_slots(wl_store_t *st, const wl_catalog_t *c, const char *service,
                            const char *location, const char *date, int64_t now, wl_slot_t **out,
                            size_t *n, wl_err_t *err);

/* The next up to max_days dates from `today` (inclusive) on which the service has at least
 * one slot at the location after `now`, looking at most 60 days ahead. days is caller-owned
 * with room for max_days entries; *n gets how many were written. */
wl_rc wl_appointments_days(const wl_catalog_t *c, const char *service, const char *location,
                           const char *today, int64_t now, size_t max_days, char (*days)[11],
                           size_t *n, wl_err_t *err);

/* Whether start is a bookable slot of service at location after now: WL_OK with the slot in
 * *slot and the service's capacity in *capacity, else WL_ERR_INVALID saying why (unknown id,
 * not held there, closed day, outside the hours, in the past). The same check booking uses;
 * the central store books through it too. */
wl_rc wl_appointments_check_start(const wl_catalog_t *c, const char *service, const char *location,
                                  const char *start, int64_t now, wl_slot_t *slot, int *capacity, wl_err_t *err);

/* One booking as stored. */
typedef struct {
    char ref[WL_REFCODE_BUFSZ];
    char service[64];
    char location[64];
    char start[WL_SLOT_START_BUFSZ];
    char end[6];
    char status[12];      /* "booked" or "cancelled" */
    char language[8];
    char print_state[8];  /* "none", "printed" or "failed" */
    int64_t created_at;
    int64_t cancelled_at; /* 0 when not cancelled */
} wl_appointment_t;

/* What to book. Strings are borrowed. */
typedef struct {
    const char *service;
    const char *location;
    const char *start;      /* "YYYY-MM-DDTHH:MM", must be one of the generated slots */
    const char *language;   /* citizen's language for the slip; NULL = "nl" */
    const char *intake_ref; /* the intake this follows from, or NULL */
    const char *kiosk;      /* kiosk id, or NULL (staff tool) */
    const wl_env_t *env;    /* random bytes for the booking code; NULL: the system CSPRNG */
} wl_booking_request_t;

/* Books one seat in a single BEGIN IMMEDIATE transaction. The seat count lives in a row with
 * CHECK (used <= capacity), so several processes on one database can never overbook.
 * Returns WL_OK and fills *out (with a new reference code) only after the commit reached the
 * disk. A full slot is WL_ERR_CONFLICT with "this time was just taken" in err; a start in the
 * past, outside the hours or on a closed day, or an unknown service/location is
 * WL_ERR_INVALID; database trouble WL_ERR_DB/WL_ERR_IO. Nothing is written on failure. */
wl_rc wl_appointments_book(wl_store_t *st, const wl_catalog_t *c, const wl_booking_request_t *req,
                           int64_t now, wl_appointment_t *out, wl_err_t *err);

/* Looks up a booking by what a person typed or a scanner sent (see wl_refcode_parse). A wrong
 * check character is WL_ERR_INVALID with a message saying so; an unknown code
 * WL_ERR_NOTFOUND. A cancelled booking is returned with WL_OK and status "cancelled". */
wl_rc wl_appointments_get(wl_store_t *st, const char *ref_input, wl_appointment_t *out,
                          wl_err_t *err);
/* Like wl_appointments_get, but a cancelled booking is WL_ERR_STATE with a message naming the
 * cancellation date (out is still filled). For reprints and slips. */
wl_rc wl_appointments_get_active(wl_store_t *st, const char *ref_input, wl_appointment_t *out,
                                 wl_err_t *err);

/* Cancels a booking and frees its seat in one transaction. Already cancelled: WL_ERR_STATE. */
wl_rc wl_appointments_cancel(wl_store_t *st, const char *ref_input, int64_t now, wl_err_t *err);

/* Records the outcome of printing a slip ("printed" or "failed" with a short reason without
 * personal data) so the staff screen can flag bookings whose slip did not come out. */
wl_rc wl_appointments_set_print_state(wl_store_t *st, const char *ref, bool printed,
                                      const char *reason, wl_err_t *err);

/* The day list for staff: a new JSON array (caller decrefs) of the bookings at location on
 * date, ordered by start, each {"ref","service","start","end","status","print_state"}.
 * Cancelled ones are included (status says so). */
wl_rc wl_appointments_day_list(wl_store_t *st, const char *location, const char *date,
                               json_t **out, wl_err_t *err);

/* What fits a classification result (the JSON of wl_classify: "route" and "signals"[].id):
 * a new JSON array (caller decrefs), most urgent first, of
 *   {"service": id, "reason": "route"|"signal", "because": route or signal id,
 *    "urgent": bool, "within_days": n or 0, "locations": [ids, kiosk's own first]}.
 * kiosk_location may be NULL. A participation coach or WIJ-team talk goes to the citizen's
 * own WIJ-team: the kiosk's location when it is a WIJ-team, or the WIJ-team of its STIP. */
wl_rc wl_appointments_offer(const wl_catalog_t *c, const json_t *result, const char *kiosk_location,
                            json_t **out, wl_err_t *err);

/* Converts a local "YYYY-MM-DDTHH:MM" to unix seconds in the process's time zone (the kiosk
 * runs in Europe/Amsterdam). Returns false for a malformed value. */
bool wl_appointments_local_to_unix(const char *start, int64_t *out);

#endif
