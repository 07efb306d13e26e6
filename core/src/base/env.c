/* The clock and random bytes behind wl_env_t: the caller's callbacks, else the system's. */
#include "wijkloket/env.h"

#include <sodium.h>
#include <time.h>

#include "wijkloket/dates.h"

int64_t wl_env_now(const wl_env_t *env)
{
    if (env && env->now) return env->now(env->ctx);
    return (int64_t)time(NULL);
}

void wl_env_random(const wl_env_t *env, unsigned char *buf, size_t n)
{
    if (env && env->random) {
        env->random(env->ctx, buf, n);
        return;
    }
    randombytes_buf(buf, n);
}

void wl_env_today(const wl_env_t *env, char buf[11])
{
    wl_date_today(wl_env_now(env), buf);
}
