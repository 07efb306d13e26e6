/* Token buckets per kiosk in a small open-addressing table under one mutex. */
#include "ratelimit.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define WL_RL_SLOTS 4096 /* far more kiosks than one municipality has; full table = refuse */

typedef struct {
    char key[64];
    double tokens;
    int64_t last_ms;
} bucket_t;

struct wl_ratelimit {
    pthread_mutex_t mu;
    double per_ms, burst;
    bucket_t slots[WL_RL_SLOTS];
};

wl_ratelimit_t *wl_ratelimit_new(double per_minute, double burst)
{
    wl_ratelimit_t *rl = calloc(1, sizeof *rl);
    if (!rl) return NULL;
    pthread_mutex_init(&rl->mu, NULL);
    rl->per_ms = per_minute / 60000.0;
    rl->burst = burst < 1 ? 1 : burst;
    return rl;
}

void wl_ratelimit_free(wl_ratelimit_t *rl)
{
    if (!rl) return;
    pthread_mutex_destroy(&rl->mu);
    free(rl);
}

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

bool wl_ratelimit_take(wl_ratelimit_t *rl, const char *key, int64_t now_ms, int *retry_after_s)
{
    if (retry_after_s) *retry_after_s = 0;
    pthread_mutex_lock(&rl->mu);
    uint32_t h = hash(key) % WL_RL_SLOTS;
    bucket_t *b = NULL;
    for (int i = 0; i < WL_RL_SLOTS; i++) {
        bucket_t *s = &rl->slots[(h + (uint32_t)i) % WL_RL_SLOTS];
        if (s->key[0] == 0) {
            strncpy(s->key, key, sizeof s->key - 1);
            s->tokens = rl->burst;
            s->last_ms = now_ms;
            b = s;
            break;
        }
        if (strncmp(s->key, key, sizeof s->key - 1) == 0) {
            b = s;
            break;
        }
    }
    bool ok = false;
    if (b) {
        double t = b->tokens + (double)(now_ms - b->last_ms) * rl->per_ms;
        if (t > rl->burst) t = rl->burst;
        b->last_ms = now_ms;
        if (t >= 1.0) {
            b->tokens = t - 1.0;
            ok = true;
        } else {
            b->tokens = t;
            if (retry_after_s) *retry_after_s = rl->per_ms > 0 ? (int)((1.0 - t) / rl->per_ms / 1000.0) + 1 : 60;
        }
    } else if (retry_after_s) {
        *retry_after_s = 60;
    }
    pthread_mutex_unlock(&rl->mu);
    return ok;
}
