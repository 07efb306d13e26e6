/* The in-memory kiosk key cache: a small open-addressing table under one read-write lock. */
#include "kiosk_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A municipality registers tens of kiosks; a group of them hundreds. */
#define WL_KIOSK_CACHE_SLOTS 4096

struct wl_kiosk_cache {
    pthread_rwlock_t lock;
    wl_central_kiosk_t *slots; /* id[0] == 0: empty */
    size_t used;
};

static size_t hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

wl_kiosk_cache_t *wl_kiosk_cache_new(void)
{
    wl_kiosk_cache_t *kc = calloc(1, sizeof *kc);
    if (!kc || !(kc->slots = calloc(WL_KIOSK_CACHE_SLOTS, sizeof *kc->slots))) {
        free(kc);
        return NULL;
    }
    pthread_rwlock_init(&kc->lock, NULL);
    return kc;
}

void wl_kiosk_cache_free(wl_kiosk_cache_t *kc)
{
    if (!kc) return;
    pthread_rwlock_destroy(&kc->lock);
    free(kc->slots);
    free(kc);
}

/* The slot holding id, or the empty slot where it would go; caller holds the lock. */
static wl_central_kiosk_t *find(wl_kiosk_cache_t *kc, const char *id)
{
    size_t i = hash(id) % WL_KIOSK_CACHE_SLOTS;
    for (size_t probe = 0; probe < WL_KIOSK_CACHE_SLOTS; probe++, i = (i + 1) % WL_KIOSK_CACHE_SLOTS) {
        wl_central_kiosk_t *s = &kc->slots[i];
        if (!s->id[0] || strcmp(s->id, id) == 0) return s;
    }
    return NULL;
}

bool wl_kiosk_cache_get(wl_kiosk_cache_t *kc, const char *id, wl_central_kiosk_t *out)
{
    if (!kc || !id[0]) return false;
    pthread_rwlock_rdlock(&kc->lock);
    wl_central_kiosk_t *s = find(kc, id);
    bool hit = s && s->id[0];
    if (hit) *out = *s;
    pthread_rwlock_unlock(&kc->lock);
    if (hit) out->enabled = true;
    return hit;
}

void wl_kiosk_cache_put(wl_kiosk_cache_t *kc, const wl_central_kiosk_t *k)
{
    if (!kc || !k->id[0]) return;
    pthread_rwlock_wrlock(&kc->lock);
    wl_central_kiosk_t *s = find(kc, k->id);
    /* Keep a quarter free so probes stay short; beyond that, requests read the database. */
    if (s && (s->id[0] || kc->used < WL_KIOSK_CACHE_SLOTS * 3 / 4)) {
        if (!s->id[0]) kc->used++;
        *s = *k;
    }
    pthread_rwlock_unlock(&kc->lock);
}

void wl_kiosk_cache_drop(wl_kiosk_cache_t *kc, const char *id)
{
    if (!kc) return;
    pthread_rwlock_wrlock(&kc->lock);
    wl_central_kiosk_t *s = find(kc, id);
    if (s && s->id[0]) {
        /* Open addressing: re-insert the rest of the run so later probes still find them. */
        memset(s, 0, sizeof *s);
        kc->used--;
        size_t i = (size_t)(s - kc->slots);
        for (size_t j = (i + 1) % WL_KIOSK_CACHE_SLOTS; kc->slots[j].id[0]; j = (j + 1) % WL_KIOSK_CACHE_SLOTS) {
            wl_central_kiosk_t moved = kc->slots[j];
            memset(&kc->slots[j], 0, sizeof kc->slots[j]);
            *find(kc, moved.id) = moved;
        }
    }
    pthread_rwlock_unlock(&kc->lock);
}
