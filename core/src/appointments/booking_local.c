/* The embedded booking provider: the wl_appointments_* functions on the kiosk's own SQLite file. */
#include "wijkloket/booking.h"

static wl_rc local_slots(void *ctx, const wl_catalog_t *c, const char *service, const char *location,
                         const char *date, int64_t now, wl_slot_t **out, size_t *n, wl_err_t *err)
{
    return wl_appointments_slots(ctx, c, service, location, date, now, out, n, err);
}

/* One file, one transaction per booking: nothing to hold. */
static wl_rc local_hold(void *ctx, const char *service, const char *location, const char *start, int64_t now,
                        char hold[WL_HOLD_BUFSZ], int64_t *expires_at, wl_err_t *err)
{
    (void)ctx, (void)service, (void)location, (void)start, (void)now, (void)err;
    hold[0] = 0;
    *expires_at = 0;
    return WL_OK;
}

static wl_rc local_release(void *ctx, const char *hold, wl_err_t *err)
{
    (void)ctx, (void)hold, (void)err;
    return WL_OK;
}

static wl_rc local_book(void *ctx, const wl_catalog_t *c, const wl_booking_request_t *req, const char *hold,
                        int64_t now, wl_appointment_t *out, wl_err_t *err)
{
    (void)hold;
    return wl_appointments_book(ctx, c, req, now, out, err);
}

static wl_rc local_get(void *ctx, const char *ref_input, wl_appointment_t *out, wl_err_t *err)
{
    return wl_appointments_get(ctx, ref_input, out, err);
}

static wl_rc local_cancel(void *ctx, const char *ref_input, int64_t now, wl_err_t *err)
{
    return wl_appointments_cancel(ctx, ref_input, now, err);
}

void wl_booking_local(wl_store_t *st, wl_booking_provider_t *out)
{
    *out = (wl_booking_provider_t){.ctx = st, .remote = false, .slots = local_slots, .hold = local_hold,
                                   .release = local_release, .book = local_book, .get = local_get,
                                   .cancel = local_cancel};
}
