/* The booking provider of a kiosk with wijkloket-server: slots, holds and bookings over the
 * signed kiosk API (docs/server-api.md, "Appointments"). */
#ifndef WL_KBOOKING_H
#define WL_KBOOKING_H

#include "kclient.h"
#include "wijkloket/booking.h"

/* Fills *out with a provider that calls the server through k (borrowed; keep it alive while
 * out is used). Transport trouble, a timeout, 401/403/429 and 5xx are WL_ERR_IO (the kiosk
 * says the server cannot be reached); 409 is WL_ERR_CONFLICT (just taken, or the hold ran out);
 * 404 WL_ERR_NOTFOUND; 422 WL_ERR_INVALID. Nothing is ever booked locally. */
void wl_kbooking_new(wl_kclient_t *k, wl_booking_provider_t *out);

#endif
