/* Central store: registered kiosks, request nonces against replays, events and portal drafts. */
#include "central/central_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Nonces older than this are swept; the API refuses timestamps further off than 300 s. */
#define WL_NONCE_KEEP_SECONDS 900

/* Signs the registration (id, location, enabled, pk) with c's origin key into sig. */
static wl_rc sign_registration(wl_central_t *c, const char *id, const char *location, bool enabled,
                               const unsigned char *pk, unsigned char sig[crypto_sign_BYTES], wl_err_t *err)
{
    char text[300];
    int tl = wl_origin_registration_text(text, sizeof text, id, location, enabled, pk);
    return wl_central_origin_sign(c, text, tl, sig, err);
}

wl_rc wl_central_kiosk_add(wl_central_t *c, const char *id, const char *location,
                           const unsigned char pk[crypto_sign_PUBLICKEYBYTES], int64_t now, wl_err_t *err)
{
    unsigned char sig[crypto_sign_BYTES];
    wl_rc rc = sign_registration(c, id, location, true, pk, sig, err);
    if (rc) return rc;
    char t[24];
    const char *vals[5] = {id, location, (const char *)pk, wl_pq_i64(t, now), (const char *)sig};
    int lens[5] = {0, 0, crypto_sign_PUBLICKEYBYTES, 0, crypto_sign_BYTES};
    int bin[5] = {0, 0, 1, 0, 1};
    rc = wl_pq_exec(c, "registering the kiosk",
                    "INSERT INTO kiosks (id, location, public_key, created_at, registration_sig) "
                    "VALUES ($1, $2, $3, $4::bigint, $5)",
                    5, vals, lens, bin, NULL, err);
    if (rc == WL_ERR_CONFLICT && strcmp(wl_pq_last_state(c), "23505") == 0)
        wl_err_set(err, "kiosk '%s' is already registered", id);
    else if (rc == WL_ERR_CONFLICT)
        wl_err_set(err, "kiosk id '%s' or location '%s' is not allowed (id: 1-63 of A-Z a-z 0-9 . _ -)", id, location);
    return rc;
}

/* Reads kiosk id; with check, its registration must carry c's origin signature. */
static wl_rc kiosk_read(wl_central_t *c, const char *id, bool check, wl_central_kiosk_t *out, wl_err_t *err)
{
    memset(out, 0, sizeof *out);
    const char *vals[1] = {id};
    PGresult *r;
    wl_rc rc = wl_pq_exec(c, "reading the kiosk",
                          "SELECT location, enabled, public_key, registration_sig FROM kiosks WHERE id = $1", 1, vals,
                          NULL, NULL, &r, err);
    if (rc) return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        wl_err_set(err, "unknown kiosk '%s'", id);
        return WL_ERR_NOTFOUND;
    }
    snprintf(out->id, sizeof out->id, "%s", id);
    snprintf(out->location, sizeof out->location, "%s", PQgetvalue(r, 0, 0));
    out->enabled = PQgetvalue(r, 0, 1)[0] == 't';
    size_t n = 0, sl = 0;
    unsigned char *pk = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 2), &n);
    unsigned char *sig =
        PQgetisnull(r, 0, 3) ? NULL : PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 3), &sl);
    PQclear(r);
    if (!pk || n != crypto_sign_PUBLICKEYBYTES) {
        PQfreemem(pk);
        PQfreemem(sig);
        wl_err_set(err, "kiosk '%s' has a damaged public key", id);
        return WL_ERR_DB;
    }
    memcpy(out->public_key, pk, n);
    PQfreemem(pk);
    if (check) {
        /* The public key in the table decides whose signatures the server believes: a
         * registration not signed by this server (a key swapped in the database) is refused. */
        char text[300];
        int tl = wl_origin_registration_text(text, sizeof text, out->id, out->location, out->enabled, out->public_key);
        /* Cache key: the signed text and the signature, as read now. */
        unsigned char digest[32];
        crypto_generichash_state h;
        crypto_generichash_init(&h, NULL, 0, sizeof digest);
        crypto_generichash_update(&h, (const unsigned char *)text, tl > 0 ? (size_t)tl : 0);
        if (sig) crypto_generichash_update(&h, sig, sl);
        crypto_generichash_final(&h, digest, sizeof digest);
        bool ok = false;
        for (size_t i = 0; i < sizeof c->verified / sizeof c->verified[0] && !ok; i++)
            ok = c->verified[i].used && sodium_memcmp(c->verified[i].digest, digest, sizeof digest) == 0;
        if (!ok && c->has_origin && wl_origin_check(c->origin_sk + 32, text, tl, sig, sl)) {
            ok = true;
            unsigned slot = c->verified_next++ % (sizeof c->verified / sizeof c->verified[0]);
            memcpy(c->verified[slot].digest, digest, sizeof digest);
            c->verified[slot].used = true;
        }
        if (!ok) {
            wl_err_set(err,
                       "kiosk '%s': its registration (public key, location, enabled) %s; an administrator checks it and "
                       "runs `wijkloket-server kiosk-confirm --id %s`",
                       id, sig ? "was changed in the database (the server's signature does not match)"
                               : "carries no signature of this server (registered before schema 10, or written "
                                 "straight into the database)",
                       id);
            rc = WL_ERR_AUTH;
        }
    }
    PQfreemem(sig);
    return rc;
}

static wl_rc store_registration(wl_central_t *c, const wl_central_kiosk_t *k, wl_err_t *err)
{
    unsigned char sig[crypto_sign_BYTES];
    wl_rc rc = sign_registration(c, k->id, k->location, k->enabled, k->public_key, sig, err);
    if (rc) return rc;
    const char *vals[3] = {k->id, k->enabled ? "true" : "false", (const char *)sig};
    int lens[3] = {0, 0, crypto_sign_BYTES};
    int bin[3] = {0, 0, 1};
    return wl_pq_exec(c, "changing the kiosk", "UPDATE kiosks SET enabled = $2::boolean, registration_sig = $3 WHERE id = $1",
                      3, vals, lens, bin, NULL, err);
}

wl_rc wl_central_kiosk_set_enabled(wl_central_t *c, const char *id, bool enabled, wl_err_t *err)
{
    wl_central_kiosk_t k;
    /* Signing a changed registration again would make a swapped key genuine: check first. */
    wl_rc rc = kiosk_read(c, id, true, &k, err);
    if (rc == WL_ERR_NOTFOUND) wl_err_set(err, "no kiosk '%s' is registered", id);
    if (rc) return rc;
    k.enabled = enabled;
    return store_registration(c, &k, err);
}

wl_rc wl_central_kiosk_confirm(wl_central_t *c, const char *id, unsigned char pk[crypto_sign_PUBLICKEYBYTES],
                               wl_err_t *err)
{
    wl_central_kiosk_t k;
    wl_rc rc = kiosk_read(c, id, false, &k, err);
    if (rc == WL_ERR_NOTFOUND) wl_err_set(err, "no kiosk '%s' is registered", id);
    if (rc) return rc;
    memcpy(pk, k.public_key, sizeof k.public_key);
    return store_registration(c, &k, err);
}

wl_rc wl_central_kiosk_get(wl_central_t *c, const char *id, wl_central_kiosk_t *out, wl_err_t *err)
{
    return kiosk_read(c, id, c->has_origin, out, err);
}

wl_rc wl_central_kiosk_list(wl_central_t *c, json_t **out, wl_err_t *err)
{
    *out = NULL;
    PGresult *r;
    wl_rc rc = wl_pq_exec(c, "listing kiosks",
                          "SELECT k.id, k.location, k.enabled, count(i.ref), coalesce(max(i.received_at), 0) "
                          "FROM kiosks k LEFT JOIN intakes i ON i.kiosk = k.id GROUP BY k.id ORDER BY k.id",
                          0, NULL, NULL, NULL, &r, err);
    if (rc) return rc;
    json_t *a = json_array();
    for (int i = 0; i < PQntuples(r); i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:b, s:I, s:I}", "id", PQgetvalue(r, i, 0), "location",
                                           PQgetvalue(r, i, 1), "enabled", PQgetvalue(r, i, 2)[0] == 't', "intakes",
                                           (json_int_t)wl_pq_get_i64(r, i, 3), "last_seen",
                                           (json_int_t)wl_pq_get_i64(r, i, 4)));
    PQclear(r);
    *out = a;
    return WL_OK;
}

void wl_pq_nonce_sweep(wl_central_t *c, int64_t now)
{
    char old[24];
    if (++c->nonce_calls % 512 == 0) {
        const char *v[1] = {wl_pq_i64(old, now - WL_NONCE_KEEP_SECONDS)};
        wl_err_t ignore;
        wl_pq_exec(c, "sweeping nonces", "DELETE FROM request_nonces WHERE ts < $1::bigint", 1, v, NULL, NULL, NULL,
                   &ignore);
    }
}

wl_rc wl_central_nonce_use(wl_central_t *c, const char *kiosk, const char *nonce, int64_t ts, int64_t now,
                           wl_err_t *err)
{
    char t[24];
    wl_pq_nonce_sweep(c, now);
    const char *vals[3] = {kiosk, nonce, wl_pq_i64(t, ts)};
    /* The nonce's commit need not wait for its own WAL flush: anything durable the request
     * then does (an intake, a booking) commits later in the same WAL, and PostgreSQL flushes
     * the WAL in order, so that flush carries the nonce too. A crash can only forget nonces
     * of requests that changed nothing, whose replay is harmless. This saves one fsync per
     * request. wl_nonce_use (PG migration 9, "speed") sets synchronous_commit off for its own
     * transaction only, and records the nonce only while the kiosk is registered and enabled:
     * one round trip, its plan kept by the connection. */
    PGresult *r;
    wl_rc rc = wl_pq_exec(c, "recording the nonce", "SELECT wl_nonce_use($1, $2, $3::bigint)", 3, vals, NULL, NULL,
                          &r, err);
    if (rc == WL_ERR_CONFLICT) {
        if (strcmp(wl_pq_last_state(c), "23505") == 0)
            wl_err_set(err, "replayed request: this nonce was already used by kiosk '%s'", kiosk);
        else
            wl_err_set(err, "the nonce must be 16 to 64 characters");
    }
    if (rc) return rc;
    bool recorded = PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    if (!recorded) {
        wl_err_set(err, "kiosk '%s' is not registered or is disabled", kiosk);
        return WL_ERR_STATE;
    }
    return WL_OK;
}

/* ---- events ---- */

wl_rc wl_central_event_add(wl_central_t *c, const char *kiosk, const char *location, const char *kind,
                           const char *detail, int64_t at, int64_t *id, wl_err_t *err)
{
    char t[24];
    const char *vals[5] = {kind, location, kiosk, detail ? detail : "", wl_pq_i64(t, at)};
    PGresult *r;
    wl_rc rc = wl_pq_exec(c, "saving the event",
                          "INSERT INTO events (kind, location, kiosk, detail, at) VALUES ($1, $2, $3, $4, $5::bigint) "
                          "RETURNING id",
                          5, vals, NULL, NULL, &r, err);
    if (rc == WL_ERR_CONFLICT) wl_err_set(err, "event kind must be 1-40 characters and detail at most 500");
    if (rc) return rc;
    if (id) *id = wl_pq_get_i64(r, 0, 0);
    PQclear(r);
    return WL_OK;
}

wl_rc wl_central_events(wl_central_t *c, bool open_only, json_t **out, wl_err_t *err)
{
    *out = NULL;
    PGresult *r;
    wl_rc rc = wl_pq_exec(c, "listing events",
                          open_only ? "SELECT id, kind, location, kiosk, detail, at, acked_by, acked_at FROM events "
                                      "WHERE acked_at IS NULL ORDER BY at DESC, id DESC LIMIT 1000"
                                    : "SELECT id, kind, location, kiosk, detail, at, acked_by, acked_at FROM events "
                                      "ORDER BY at DESC, id DESC LIMIT 1000",
                          0, NULL, NULL, NULL, &r, err);
    if (rc) return rc;
    json_t *a = json_array();
    for (int i = 0; i < PQntuples(r); i++) {
        json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)wl_pq_get_i64(r, i, 0), "kind",
                              PQgetvalue(r, i, 1), "location", PQgetvalue(r, i, 2), "kiosk", PQgetvalue(r, i, 3),
                              "detail", PQgetvalue(r, i, 4), "at", (json_int_t)wl_pq_get_i64(r, i, 5));
        json_object_set_new(o, "acked_by", PQgetisnull(r, i, 6) ? json_null() : json_string(PQgetvalue(r, i, 6)));
        json_object_set_new(o, "acked_at",
                            PQgetisnull(r, i, 7) ? json_null() : json_integer(wl_pq_get_i64(r, i, 7)));
        json_array_append_new(a, o);
    }
    PQclear(r);
    *out = a;
    return WL_OK;
}

wl_rc wl_central_event_ack(wl_central_t *c, int64_t id, const char *by, int64_t now, wl_err_t *err)
{
    char i[24], t[24];
    const char *vals[3] = {wl_pq_i64(i, id), by, wl_pq_i64(t, now)};
    PGresult *r;
    wl_rc rc = wl_pq_exec(c, "acknowledging the event",
                          "UPDATE events SET acked_by = $2, acked_at = $3::bigint WHERE id = $1::bigint "
                          "AND acked_at IS NULL RETURNING 1",
                          3, vals, NULL, NULL, &r, err);
    if (rc) return rc;
    int n = PQntuples(r);
    PQclear(r);
    if (n == 0) {
        wl_err_set(err, "no open event %lld", (long long)id);
        return WL_ERR_NOTFOUND;
    }
    return WL_OK;
}

/* ---- portal drafts ---- */

static bool draft_id_ok(const char *id, wl_err_t *err)
{
    size_t n = id ? strlen(id) : 0;
    bool ok = n >= 1 && n <= 64;
    for (size_t i = 0; ok && i < n; i++) {
        char ch = id[i];
        ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
    }
    if (!ok) wl_err_set(err, "draft id must be 1-64 characters of A-Z a-z 0-9 _ -");
    return ok;
}

wl_rc wl_central_draft_put(wl_central_t *c, const char *id, const unsigned char *data, size_t len,
                           int64_t expires_at, wl_err_t *err)
{
    if (!draft_id_ok(id, err)) return WL_ERR_INVALID;
    char t[24];
    const char *vals[3] = {id, (const char *)(data ? data : (const unsigned char *)""), wl_pq_i64(t, expires_at)};
    int lens[3] = {0, (int)len, 0};
    int bin[3] = {0, 1, 0};
    return wl_pq_exec(c, "saving the draft",
                      "INSERT INTO drafts (id, data, expires_at) VALUES ($1, $2, $3::bigint) "
                      "ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
                      3, vals, lens, bin, NULL, err);
}

wl_rc wl_central_draft_get(wl_central_t *c, const char *id, int64_t now, unsigned char **data, size_t *len,
                           wl_err_t *err)
{
    *data = NULL;
    *len = 0;
    if (!draft_id_ok(id, err)) return WL_ERR_INVALID;
    char t[24];
    const char *vals[2] = {id, wl_pq_i64(t, now)};
    PGresult *r;
    wl_rc rc = wl_pq_exec(c, "reading the draft", "SELECT data FROM drafts WHERE id = $1 AND expires_at > $2::bigint",
                          2, vals, NULL, NULL, &r, err);
    if (rc) return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        wl_err_set(err, "no draft '%s' (or it expired)", id);
        return WL_ERR_NOTFOUND;
    }
    size_t n = 0;
    unsigned char *raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 0), &n);
    PQclear(r);
    unsigned char *copy = raw ? malloc(n ? n : 1) : NULL;
    if (!copy) {
        PQfreemem(raw);
        wl_err_set(err, "out of memory");
        return WL_ERR_NOMEM;
    }
    memcpy(copy, raw, n);
    PQfreemem(raw);
    *data = copy;
    *len = n;
    return WL_OK;
}

wl_rc wl_central_draft_delete(wl_central_t *c, const char *id, wl_err_t *err)
{
    if (!draft_id_ok(id, err)) return WL_ERR_INVALID;
    const char *vals[1] = {id};
    return wl_pq_exec(c, "deleting the draft", "DELETE FROM drafts WHERE id = $1", 1, vals, NULL, NULL, NULL, err);
}

wl_rc wl_central_draft_purge(wl_central_t *c, int64_t now, int64_t *removed, wl_err_t *err)
{
    char t[24];
    const char *vals[1] = {wl_pq_i64(t, now)};
    PGresult *r;
    wl_rc rc = wl_pq_exec(c, "purging drafts", "DELETE FROM drafts WHERE expires_at <= $1::bigint", 1, vals, NULL,
                          NULL, &r, err);
    if (rc) return rc;
    if (removed) *removed = strtoll(PQcmdTuples(r), NULL, 10);
    PQclear(r);
    return WL_OK;
}
