/* The outside world core may ask: the clock and random bytes, passed in so tests can fix them. */
#ifndef WL_ENV_H
#define WL_ENV_H

#include <stddef.h>
#include <stdint.h>

/* A front end fills this once and lends it to the use cases (wl_journey_*). Either callback
 * may be NULL: then the system clock (time(NULL)) or libsodium's CSPRNG is used. Production
 * front ends pass NULL callbacks (or no env at all); only test builds and test drivers set
 * them, so a fixed clock or a predictable reference code can never reach a real kiosk. */
typedef struct {
    int64_t (*now)(void *ctx);                              /* unix seconds */
    void (*random)(void *ctx, unsigned char *buf, size_t n); /* fill buf with n random bytes */
    void *ctx;
} wl_env_t;

/* Unix seconds now according to env (NULL env: the system clock). */
int64_t wl_env_now(const wl_env_t *env);
/* n random bytes according to env (NULL env: libsodium's CSPRNG). */
void wl_env_random(const wl_env_t *env, unsigned char *buf, size_t n);
/* Today's local date (YYYY-MM-DD) according to env's clock. */
void wl_env_today(const wl_env_t *env, char buf[11]);

#endif
