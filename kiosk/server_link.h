/* The kiosk's link to wijkloket-server for appointments (server_url and server_key in kiosk.conf). */
#ifndef WLK_SERVER_LINK_H
#define WLK_SERVER_LINK_H

#include <stdbool.h>
#include <stddef.h>

#include "kconfig.h"
#include "wijkloket/booking.h"

/* With server_url set: reads server_key and returns the provider that books on the server,
 * with short timeouts (a citizen waits at most a few seconds; then the kiosk says the server
 * cannot be reached). Without server_url: NULL and no error (the kiosk books in its own file).
 * A server_url without a usable key is a configuration error: NULL with msg, and the kiosk
 * does not start (it must never fall back to booking locally). */
const wl_booking_provider_t *server_link_open(const kcfg_t *c, bool *failed, char *msg, size_t n);
/* Frees the link (after the UI released its holds). */
void server_link_close(void);

#endif
