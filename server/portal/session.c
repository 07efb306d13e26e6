/* Server-side sessions in memory (opaque random ids, wiped on end or expiry) and rate limits. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "portal_pages.h"

static size_t bucket_of(const char *id)
{
    /* The id is random: its first hex digits spread evenly. */
    size_t h = 0;
    for (int i = 0; i < 6 && id[i]; i++) h = h * 16 + (size_t)(id[i] <= '9' ? id[i] - '0' : id[i] - 'a' + 10);
    return h % SESSION_BUCKETS;
}

static bool id_wellformed(const char *id)
{
    if (!id || strlen(id) != SESSION_HEX - 1) return false;
    for (const char *c = id; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f'))) return false;
    return true;
}

static bool expired(const wl_portal_t *p, const session_t *s, int64_t now)
{
    return now - s->last_seen >= p->cfg.session_seconds;
}

static void unlink_session(wl_portal_t *p, session_t *s)
{
    session_t **pp = &p->buckets[bucket_of(s->id)];
    while (*pp && *pp != s) pp = &(*pp)->next;
    if (*pp) {
        *pp = s->next;
        p->n_sessions--;
    }
}

void session_reset(session_t *s)
{
    wl_intake_free(s->intake); /* wipes every answer */
    s->intake = NULL;
    json_decref(s->result);
    s->result = NULL;
    json_decref(s->household);
    s->household = NULL;
    explicit_bzero(&s->known, sizeof s->known);
    s->have_known = false;
    s->minima_kids = 0;
    s->submitted = false;
    s->booked = false;
    explicit_bzero(s->hold_start, sizeof s->hold_start);
    s->back_to_summary = false;
    explicit_bzero(s->ref, sizeof s->ref);
    explicit_bzero(&s->appt, sizeof s->appt);
    explicit_bzero(s->service, sizeof s->service);
    explicit_bzero(s->location, sizeof s->location);
    explicit_bzero(s->flash, sizeof s->flash);
    explicit_bzero(s->resume_code, sizeof s->resume_code);
}

void session_end(wl_portal_t *p, session_t *s)
{
    if (!s) return;
    /* A held seat goes back at once rather than when its hold runs out. */
    hold_drop(p, s, (int64_t)time(NULL));
    unlink_session(p, s);
    session_reset(s);
    explicit_bzero(s, sizeof *s);
    free(s);
}

session_t *session_find(wl_portal_t *p, const char *id, int64_t now)
{
    if (!id_wellformed(id)) return NULL;
    for (session_t *s = p->buckets[bucket_of(id)]; s; s = s->next) {
        if (sodium_memcmp(s->id, id, SESSION_HEX - 1) != 0) continue;
        if (expired(p, s, now)) {
            session_end(p, s);
            return NULL;
        }
        return s;
    }
    return NULL;
}

session_t *session_create(wl_portal_t *p, int64_t now)
{
    if (p->n_sessions >= (size_t)p->cfg.max_sessions) session_sweep(p, now);
    if (p->n_sessions >= (size_t)p->cfg.max_sessions) return NULL;
    session_t *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(s->id, sizeof s->id, raw, sizeof raw);
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(s->csrf, sizeof s->csrf, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    s->created = s->last_seen = now;
    size_t b = bucket_of(s->id);
    s->next = p->buckets[b];
    p->buckets[b] = s;
    p->n_sessions++;
    return s;
}

void session_sweep(wl_portal_t *p, int64_t now)
{
    for (size_t b = 0; b < SESSION_BUCKETS; b++) {
        session_t *s = p->buckets[b];
        while (s) {
            session_t *next = s->next;
            if (expired(p, s, now)) session_end(p, s);
            s = next;
        }
    }
    p->last_sweep = now;
}

bool rate_allow(wl_portal_t *p, const char *addr, int64_t now, bool resume_attempt)
{
    if (!addr) addr = "";
    uint32_t h = 2166136261u;
    for (const char *c = addr; *c; c++) h = (h ^ (unsigned char)*c) * 16777619u;
    rate_t *r = &p->rates[h % RATE_SLOTS];
    /* A fixed table: another address in the same slot takes it over (and starts at zero). */
    if (strncmp(r->addr, addr, sizeof r->addr - 1) != 0) {
        memset(r, 0, sizeof *r);
        snprintf(r->addr, sizeof r->addr, "%s", addr);
    }
    int64_t minute = now - now % 60;
    if (r->window != minute) {
        r->window = minute;
        r->count = 0;
    }
    if (++r->count > p->cfg.rate_per_minute) return false;
    if (resume_attempt) {
        /* Guessing resume codes: ten tries per ten minutes per address. */
        int64_t w = now - now % 600;
        if (r->resume_window != w) {
            r->resume_window = w;
            r->resume_count = 0;
        }
        if (++r->resume_count > 10) return false;
    }
    return true;
}
