/* Central store: sealed intake records as kiosks delivered them, stored once per reference. */
#include "central/central_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The server's signature of a record it is about to store (docs/security.md §1): it vouches,
 * with a key outside the database, that it received these bytes from this sender. kiosk NULL
 * is the portal's channel. sha gets the record's SHA-256. */
static wl_rc sign_record(wl_central_t *c, const char *ref, const char *kiosk, const char *location,
                         int64_t completed_at, const unsigned char *record, size_t len, int64_t now,
                         unsigned char sha[crypto_hash_sha256_BYTES], unsigned char sig[crypto_sign_BYTES],
                         wl_err_t *err)
{
    crypto_hash_sha256(sha, record, len);
    char text[600];
    int tl = wl_origin_record_text(text, sizeof text, ref, kiosk ? "kiosk" : "portal", kiosk, location, completed_at,
                                   now, sha);
    return wl_central_origin_sign(c, text, tl, sig, err);
}

/* One insert-or-compare round trip of a signed record; *outcome says which. */
static wl_rc put_one(wl_central_t *c, const char *ref, const char *kiosk, const char *location, int64_t completed_at,
                     const unsigned char *record, size_t len, int64_t now, const unsigned char *sha,
                     const unsigned char *sig, wl_central_outcome_t *outcome, wl_err_t *err)
{
    const char *channel = kiosk ? "kiosk" : "portal";
    char ca[24], ra[24];
    const char *vals[9] = {ref, kiosk, location, wl_pq_i64(ca, completed_at), wl_pq_i64(ra, now),
                           (const char *)sha, (const char *)record, channel, (const char *)sig};
    int lens[9] = {0, 0, 0, 0, 0, crypto_hash_sha256_BYTES, (int)len, 0, crypto_sign_BYTES};
    int bin[9] = {0, 0, 0, 0, 0, 1, 1, 0, 1};
    PGresult *r;
    /* On a clash with an existing ref the CTE hands back the stored hash in the same round trip. */
    wl_rc rc = wl_pq_exec(c, "storing the intake",
                          "WITH ins AS (INSERT INTO intakes (ref, kiosk, location, completed_at, received_at, sha256, record, "
                          "channel, origin_sig) VALUES ($1, $2, $3, $4::bigint, $5::bigint, $6, $7, $8, $9) "
                          "ON CONFLICT (ref) DO NOTHING RETURNING sha256) "
                          "SELECT true, sha256 FROM ins UNION ALL "
                          "SELECT false, sha256 FROM intakes WHERE ref = $1 AND NOT EXISTS (SELECT 1 FROM ins)",
                          9, vals, lens, bin, &r, err);
    if (rc == WL_ERR_CONFLICT) wl_err_set(err, "intake %s: reference or fields not allowed", ref);
    if (rc) return rc;
    if (PQntuples(r) != 1) {
        PQclear(r);
        /* Inserted by someone else between our conflict check and the read: ask again. */
        wl_err_set(err, "intake %s: stored concurrently, try again", ref);
        return WL_ERR_DB;
    }
    bool inserted = PQgetvalue(r, 0, 0)[0] == 't';
    size_t n = 0;
    unsigned char *stored = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 1), &n);
    PQclear(r);
    bool same = stored && n == crypto_hash_sha256_BYTES && memcmp(stored, sha, n) == 0;
    PQfreemem(stored);
    *outcome = inserted ? WL_CENTRAL_STORED : same ? WL_CENTRAL_ALREADY : WL_CENTRAL_CONFLICT;
    return WL_OK;
}

wl_rc wl_central_intake_put(wl_central_t *c, const char *ref, const char *kiosk, const char *location,
                            int64_t completed_at, const unsigned char *record, size_t len, int64_t now,
                            bool *already, wl_err_t *err)
{
    *already = false;
    /* One statement in autocommit: when PostgreSQL answers, the row is committed (and with
     * synchronous_commit on, flushed to the WAL), so the caller may acknowledge. */
    wl_central_outcome_t o;
    unsigned char sha[crypto_hash_sha256_BYTES], sig[crypto_sign_BYTES];
    wl_rc rc = sign_record(c, ref, kiosk, location, completed_at, record, len, now, sha, sig, err);
    if (!rc) rc = put_one(c, ref, kiosk, location, completed_at, record, len, now, sha, sig, &o, err);
    if (rc) return rc;
    if (o == WL_CENTRAL_CONFLICT) {
        wl_err_set(err, "intake %s is already stored with other contents; the new copy was refused", ref);
        return WL_ERR_CONFLICT;
    }
    *already = o == WL_CENTRAL_ALREADY;
    return WL_OK;
}

wl_rc wl_central_portal_intake_put(wl_central_t *c, const char *ref, const char *location, int64_t completed_at,
                                   const unsigned char *record, size_t len, int64_t now, wl_err_t *err)
{
    wl_central_outcome_t o;
    unsigned char sha[crypto_hash_sha256_BYTES], sig[crypto_sign_BYTES];
    wl_rc rc = sign_record(c, ref, NULL, location, completed_at, record, len, now, sha, sig, err);
    if (!rc) rc = put_one(c, ref, NULL, location, completed_at, record, len, now, sha, sig, &o, err);
    if (rc) return rc;
    /* A portal record is made once, with a fresh reference: any clash (even the same bytes)
     * means that reference is taken, so the journey draws another. */
    if (o != WL_CENTRAL_STORED) {
        wl_err_set(err, "intake %s is already stored", ref);
        return WL_ERR_CONFLICT;
    }
    return WL_OK;
}

wl_rc wl_central_intake_put_many(wl_central_t *c, const char *kiosk, const char *location, wl_central_intake_t *items,
                                 size_t n, int64_t now, wl_err_t *err)
{
    /* Signed before the transaction, so the signatures do not lengthen it. */
    unsigned char(*sha)[crypto_hash_sha256_BYTES] = n ? malloc(n * sizeof *sha) : NULL;
    unsigned char(*sig)[crypto_sign_BYTES] = n ? malloc(n * sizeof *sig) : NULL;
    wl_rc rc = WL_OK;
    if (n && (!sha || !sig)) {
        wl_err_set(err, "out of memory");
        rc = WL_ERR_NOMEM;
    }
    for (size_t i = 0; rc == WL_OK && i < n; i++)
        rc = sign_record(c, items[i].ref, kiosk, location, items[i].completed_at, items[i].record, items[i].len, now,
                         sha[i], sig[i], err);
    if (rc == WL_OK) rc = wl_pq_begin(c, err);
    else {
        free(sha);
        free(sig);
        return rc;
    }
    for (size_t i = 0; rc == WL_OK && i < n; i++)
        rc = put_one(c, items[i].ref, kiosk, location, items[i].completed_at, items[i].record, items[i].len, now,
                     sha[i], sig[i], &items[i].outcome, err);
    free(sha);
    free(sig);
    if (rc) {
        wl_pq_rollback(c);
        return rc;
    }
    return wl_pq_commit(c, err);
}

/* Checks row i's signature (columns: 0 ref, 1 kiosk, 2 location, 3 completed_at, 4 received_at,
 * 6 channel, 7 sha256 or NULL, 8 origin_sig) over sha (the stored hash when NULL). */
static wl_central_origin_t row_origin(const PGresult *r, int i, const unsigned char *pk, const unsigned char *sha,
                                      char *why, size_t why_size)
{
    const char *ref = PQgetvalue(r, i, 0);
    if (PQgetisnull(r, i, 8)) {
        if (why)
            snprintf(why, why_size, "intake %s carries no proof of origin (no server signature): it was stored before "
                                    "origins were signed (schema 9), or written straight into the database", ref);
        return WL_ORIGIN_UNSIGNED;
    }
    size_t sl = 0, hl = 0;
    unsigned char *sig = PQunescapeBytea((const unsigned char *)PQgetvalue(r, i, 8), &sl);
    unsigned char *stored = sha ? NULL : PQunescapeBytea((const unsigned char *)PQgetvalue(r, i, 7), &hl);
    char text[600];
    int tl = -1;
    if (sha || (stored && hl == 32))
        tl = wl_origin_record_text(text, sizeof text, ref, PQgetvalue(r, i, 6),
                                    PQgetisnull(r, i, 1) ? NULL : PQgetvalue(r, i, 1), PQgetvalue(r, i, 2),
                                    wl_pq_get_i64(r, i, 3), wl_pq_get_i64(r, i, 4), sha ? sha : stored);
    bool ok = wl_origin_check(pk, text, tl, sig, sl);
    PQfreemem(sig);
    PQfreemem(stored);
    if (ok) return WL_ORIGIN_PROVEN;
    if (why)
        snprintf(why, why_size, "intake %s is not genuine: the server's signature does not match its contents, "
                                "reference, kiosk, location or times (made or changed in the database); not opened", ref);
    return WL_ORIGIN_FORGED;
}

wl_rc wl_central_intake_list(wl_central_t *c, const wl_central_filter_t *f, json_t **out, wl_err_t *err)
{
    *out = NULL;
    char since[24], lim[24];
    const char *vals[5] = {f && f->location ? f->location : NULL, f && f->kiosk ? f->kiosk : NULL,
                           wl_pq_i64(since, f ? f->since : 0), wl_pq_i64(lim, f && f->limit > 0 ? f->limit : 1000),
                           f && f->channel ? f->channel : NULL};
    const unsigned char *pk = f ? f->origin_pk : NULL;
    PGresult *r;
    wl_rc rc = wl_pq_exec(c, "listing intakes",
                          "SELECT ref, kiosk, location, completed_at, received_at, length(record), channel, sha256, "
                          "origin_sig FROM intakes WHERE ($1::text IS NULL OR location = $1) AND ($2::text IS NULL OR kiosk = $2) "
                          "AND received_at >= $3::bigint AND ($5::text IS NULL OR channel = $5) "
                          "ORDER BY received_at, ref LIMIT $4::bigint",
                          5, vals, NULL, NULL, &r, err);
    if (rc) return rc;
    json_t *a = json_array();
    for (int i = 0; i < PQntuples(r); i++) {
        json_t *o = json_pack("{s:s, s:s, s:o, s:s, s:I, s:I, s:I}", "ref", PQgetvalue(r, i, 0),
                              "channel", PQgetvalue(r, i, 6), "kiosk",
                              PQgetisnull(r, i, 1) ? json_null() : json_string(PQgetvalue(r, i, 1)),
                              "location", PQgetvalue(r, i, 2), "completed_at",
                              (json_int_t)wl_pq_get_i64(r, i, 3), "received_at",
                              (json_int_t)wl_pq_get_i64(r, i, 4), "bytes",
                              (json_int_t)wl_pq_get_i64(r, i, 5));
        if (pk) json_object_set_new(o, "origin", json_string(wl_central_origin_name(row_origin(r, i, pk, NULL, NULL, 0))));
        json_array_append_new(a, o);
    }
    PQclear(r);
    *out = a;
    return WL_OK;
}

wl_rc wl_central_intake_get(wl_central_t *c, const char *ref, unsigned char **record, size_t *len, wl_err_t *err)
{
    *record = NULL;
    *len = 0;
    const char *vals[1] = {ref};
    PGresult *r;
    wl_rc rc = wl_pq_exec(c, "reading the intake", "SELECT record FROM intakes WHERE ref = $1", 1, vals, NULL, NULL,
                          &r, err);
    if (rc) return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        wl_err_set(err, "no intake %s on the server", ref);
        return WL_ERR_NOTFOUND;
    }
    size_t n = 0;
    unsigned char *raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 0), &n);
    PQclear(r);
    unsigned char *copy = raw ? malloc(n + 1) : NULL;
    if (!copy) {
        PQfreemem(raw);
        wl_err_set(err, "out of memory");
        return WL_ERR_NOMEM;
    }
    memcpy(copy, raw, n);
    copy[n] = 0;
    PQfreemem(raw);
    *record = copy;
    *len = n;
    return WL_OK;
}

wl_rc wl_central_intake_get_checked(wl_central_t *c, const char *ref, const unsigned char origin_pk[32],
                                    unsigned char **record, size_t *len, wl_central_origin_t *origin, char *why,
                                    size_t why_size, wl_err_t *err)
{
    *record = NULL;
    *len = 0;
    *origin = WL_ORIGIN_UNCHECKED;
    if (why && why_size) why[0] = 0;
    const char *vals[1] = {ref};
    PGresult *r;
    wl_rc rc = wl_pq_exec(c, "reading the intake",
                          "SELECT ref, kiosk, location, completed_at, received_at, record, channel, NULL, origin_sig "
                          "FROM intakes WHERE ref = $1",
                          1, vals, NULL, NULL, &r, err);
    if (rc) return rc;
    if (PQntuples(r) == 0) {
        PQclear(r);
        wl_err_set(err, "no intake %s on the server", ref);
        return WL_ERR_NOTFOUND;
    }
    size_t n = 0;
    unsigned char *raw = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 5), &n);
    unsigned char *copy = raw ? malloc(n + 1) : NULL;
    if (!copy) {
        PQclear(r);
        PQfreemem(raw);
        wl_err_set(err, "out of memory");
        return WL_ERR_NOMEM;
    }
    memcpy(copy, raw, n);
    copy[n] = 0;
    PQfreemem(raw);
    /* The hash of the bytes as they are now, not the stored column: both may have been changed. */
    unsigned char sha[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(sha, copy, n);
    *origin = row_origin(r, 0, origin_pk, sha, why, why_size);
    PQclear(r);
    *record = copy;
    *len = n;
    return WL_OK;
}

int64_t wl_central_intake_count(wl_central_t *c)
{
    PGresult *r;
    wl_err_t e;
    if (wl_pq_exec(c, "counting intakes", "SELECT count(*) FROM intakes", 0, NULL, NULL, NULL, &r, &e)) return -1;
    int64_t n = wl_pq_get_i64(r, 0, 0);
    PQclear(r);
    return n;
}
