/* Registered kiosks' public keys and locations kept in memory, so a request needs no database read to check its signature. */
#ifndef WL_SERVER_KIOSK_CACHE_H
#define WL_SERVER_KIOSK_CACHE_H

#include <stdbool.h>
#include "wijkloket/central.h"

/* A kiosk's id, location and public key never change once registered (only `enabled` does,
 * and the nonce statement checks that in the database on every request), so they may be
 * kept for the life of the process. Thread-safe. */
typedef struct wl_kiosk_cache wl_kiosk_cache_t;

/* NULL when out of memory. */
wl_kiosk_cache_t *wl_kiosk_cache_new(void);
void wl_kiosk_cache_free(wl_kiosk_cache_t *kc);
/* Copies the entry of id into *out (enabled set true). False when id is not cached. */
bool wl_kiosk_cache_get(wl_kiosk_cache_t *kc, const char *id, wl_central_kiosk_t *out);
/* Remembers k (as read from the database). A full cache simply stops remembering. */
void wl_kiosk_cache_put(wl_kiosk_cache_t *kc, const wl_central_kiosk_t *k);
/* Forgets id (its signature failed with the cached key, or it was refused as disabled). */
void wl_kiosk_cache_drop(wl_kiosk_cache_t *kc, const char *id);

#endif
