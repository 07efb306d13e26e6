/* A token bucket per key (kiosk id) so one kiosk's flood cannot starve the others. */
#ifndef WL_SERVER_RATELIMIT_H
#define WL_SERVER_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

typedef struct wl_ratelimit wl_ratelimit_t;

/* per_minute requests on average, bursts of up to burst. NULL when out of memory. */
wl_ratelimit_t *wl_ratelimit_new(double per_minute, double burst);
void wl_ratelimit_free(wl_ratelimit_t *rl);
/* Takes one token for key at now_ms (monotonic milliseconds). False when the bucket is
 * empty; *retry_after_s (may be NULL) then says when the next token comes. Thread-safe. */
bool wl_ratelimit_take(wl_ratelimit_t *rl, const char *key, int64_t now_ms, int *retry_after_s);

#endif
