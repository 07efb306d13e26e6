/* The journey after the result: the appointment offers that fit it, and booking one. */
#include "wijkloket/journey.h"

#include <string.h>

wl_rc wl_journey_offers(const wl_journey_t *j, const wl_catalog_t *c, json_t **out, wl_err_t *err)
{
    if (out) *out = NULL;
    const json_t *result = wl_journey_result(j);
    if (!result || !c || !out) {
        wl_err_set(err, "offers: the journey has no result yet");
        return WL_ERR_STATE;
    }
    /* The journey's own place first, when the catalogue knows it (a test kiosk may not). */
    const char *loc = wl_journey_location(j);
    return wl_appointments_offer(c, result, wl_catalog_location(c, loc) ? loc : NULL, out, err);
}

wl_rc wl_journey_book(wl_journey_t *j, wl_store_t *st, const wl_catalog_t *c, const char *service,
                      const char *location, const char *start, wl_appointment_t *out, wl_msg_t *msg,
                      wl_err_t *err)
{
    wl_booking_provider_t local;
    wl_booking_local(st, &local);
    return wl_journey_book_via(j, &local, c, service, location, start, NULL, out, msg, err);
}

wl_rc wl_journey_book_via(wl_journey_t *j, const wl_booking_provider_t *p, const wl_catalog_t *c,
                          const char *service, const char *location, const char *start, const char *hold,
                          wl_appointment_t *out, wl_msg_t *msg, wl_err_t *err)
{
    wl_msg_clear(msg);
    const char *ref = wl_journey_ref(j);
    wl_booking_request_t r = {service, location, start, wl_journey_language(j), ref && ref[0] ? ref : NULL,
                              wl_journey_device(j), wl_journey_env(j)};
    wl_rc rc = p->book(p->ctx, c, &r, hold ? hold : "", wl_env_now(wl_journey_env(j)), out, err);
    if (rc == WL_ERR_CONFLICT) wl_msg_set(msg, N_("Deze tijd is net bezet. Kies een andere tijd."));
    else if (rc == WL_ERR_IO && p->remote)
        wl_msg_set(msg, N_("De afsprakenlijst is nu niet te bereiken. Er is geen afspraak gemaakt."));
    else if (rc != WL_OK) wl_msg_set(msg, N_("Dit lukt nu niet. Vraag een medewerker om hulp."));
    return rc;
}
