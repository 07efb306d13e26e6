/* Central store: sealed intake records as kiosks delivered them, stored once per reference. */
#include "central/central_internal.h"

#include <stdint.h>
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

/* Appends text to a growing buffer; false when out of memory. */
typedef struct {
    char *p;
    size_t len, cap;
} grow_t;

static bool grow_put(grow_t *g, const void *data, size_t n)
{
    if (g->len + n + 1 > g->cap) {
        size_t cap = g->cap ? g->cap : 1024;
        while (g->len + n + 1 > cap) cap *= 2;
        char *p = realloc(g->p, cap);
        if (!p) return false;
        g->p = p, g->cap = cap;
    }
    memcpy(g->p + g->len, data, n);
    g->len += n;
    g->p[g->len] = 0;
    return true;
}

/* One element of a PostgreSQL array literal: quoted, with " and \ escaped. */
static bool grow_elem(grow_t *g, const char *text)
{
    if (g->len > 1 && !grow_put(g, ",", 1)) return false;
    if (!grow_put(g, "\"", 1)) return false;
    for (const char *q = text; *q; q++)
        if ((*q == '"' || *q == '\\') && !grow_put(g, "\\", 1)) return false;
        else if (!grow_put(g, q, 1)) return false;
    return grow_put(g, "\"", 1);
}

/* The whole batch is ONE statement (one plan, one commit): the records travel
 * as one binary parameter cut apart by their lengths, so nothing is escaped, and the filing
 * trigger (PG migration 9, "speed") runs once over all new rows. The insert-or-compare rules are
 * put_one's: ON CONFLICT (ref) DO NOTHING, then the stored hash says "already" or "conflict".
 * A ref twice in one batch is settled here: the first copy goes to the database, a later
 * copy is "already" when its bytes hash the same as what ends up stored, else "conflict". */
wl_rc wl_central_intake_put_many(wl_central_t *c, const char *kiosk, const char *location, wl_central_intake_t *items,
                                 size_t n, int64_t now, wl_err_t *err)
{
    if (n == 0) return WL_OK;
    unsigned char(*sha)[crypto_hash_sha256_BYTES] = calloc(n, sizeof *sha);
    int *first = calloc(n, sizeof *first); /* index of the first item with the same ref */
    size_t *row = calloc(n, sizeof *row);  /* a first item's ordinal in the statement, from 1 */
    grow_t refs = {0}, cas = {0}, lens = {0}, recs = {0}, shas = {0}, sigs = {0};
    wl_rc rc = WL_OK;
    bool ok = sha && first && row && grow_put(&refs, "{", 1) && grow_put(&cas, "{", 1) && grow_put(&lens, "{", 1);
    size_t sent = 0;
    for (size_t i = 0; ok && i < n; i++) {
        crypto_hash_sha256(sha[i], items[i].record, items[i].len);
        first[i] = (int)i;
        unsigned char sig[crypto_sign_BYTES];
        for (size_t j = 0; j < i; j++)
            if (first[j] == (int)j && strcmp(items[j].ref, items[i].ref) == 0) {
                first[i] = (int)j;
                break;
            }
        if (first[i] != (int)i) continue;
        if (items[i].len > (size_t)INT32_MAX / 2) {
            wl_err_set(err, "intake %s: record too large", items[i].ref);
            rc = WL_ERR_INVALID;
            break;
        }
        /* The server's signature of each record (docs/security.md §1), made before the
         * transaction so it does not lengthen it. */
        rc = sign_record(c, items[i].ref, kiosk, location, items[i].completed_at, items[i].record, items[i].len, now,
                         sha[i], sig, err);
        if (rc) break;
        char num[48];
        row[i] = ++sent;
        ok = grow_elem(&refs, items[i].ref) && grow_elem(&cas, wl_pq_i64(num, items[i].completed_at)) &&
             grow_elem(&lens, wl_pq_i64(num, (int64_t)items[i].len)) &&
             grow_put(&recs, items[i].record, items[i].len) && grow_put(&shas, sha[i], sizeof sha[i]) &&
             grow_put(&sigs, sig, sizeof sig);
    }
    ok = ok && grow_put(&refs, "}", 1) && grow_put(&cas, "}", 1) && grow_put(&lens, "}", 1);
    PGresult *r = NULL;
    if (!ok && !rc) {
        wl_err_set(err, "out of memory");
        rc = WL_ERR_NOMEM;
    }
    /* In a transaction, so a batch whose outcome cannot be told (below) stores none of it. */
    if (!rc) rc = wl_pq_begin(c, err);
    if (!rc) {
        char ra[24];
        const char *vals[9] = {refs.p, cas.p, lens.p, recs.p ? recs.p : "", shas.p ? shas.p : "", kiosk, location,
                               wl_pq_i64(ra, now), sigs.p ? sigs.p : ""};
        int plens[9] = {0, 0, 0, (int)recs.len, (int)shas.len, 0, 0, 0, (int)sigs.len};
        int bin[9] = {0, 0, 0, 1, 1, 0, 0, 0, 1};
        rc = wl_pq_exec(c, "storing the intakes",
                        "WITH x AS (SELECT u.ord, u.ref, u.ca, substring($4::bytea FROM (u.off + 1)::int FOR u.len) AS record,"
                        "  substring($5::bytea FROM ((u.ord - 1) * 32 + 1)::int FOR 32) AS sha256,"
                        "  substring($9::bytea FROM ((u.ord - 1) * 64 + 1)::int FOR 64) AS origin_sig"
                        "  FROM (SELECT v.*, sum(v.len) OVER (ORDER BY v.ord) - v.len AS off"
                        "   FROM unnest($1::text[], $2::bigint[], $3::int[]) WITH ORDINALITY AS v(ref, ca, len, ord)) u),"
                        " ins AS (INSERT INTO intakes (ref, kiosk, location, completed_at, received_at, sha256, record, channel,"
                        "  origin_sig) SELECT x.ref, $6, $7, x.ca, $8::bigint, x.sha256, x.record, 'kiosk', x.origin_sig"
                        "  FROM x ORDER BY x.ord"
                        "  ON CONFLICT (ref) DO NOTHING RETURNING ref) "
                        "SELECT x.ord, ins.ref IS NOT NULL, i.sha256 FROM x LEFT JOIN ins ON ins.ref = x.ref"
                        " LEFT JOIN intakes i ON i.ref = x.ref AND ins.ref IS NULL ORDER BY x.ord",
                        9, vals, plens, bin, &r, err);
        if (rc == WL_ERR_CONFLICT) wl_err_set(err, "a batch of intakes: a reference or field is not allowed");
    }
    if (!rc && (size_t)PQntuples(r) != sent) {
        wl_err_set(err, "storing the intakes: %d answers for %zu records", PQntuples(r), sent);
        rc = WL_ERR_DB;
    }
    /* The hash each ref now has in the database, per first item. */
    unsigned char(*stored)[crypto_hash_sha256_BYTES] = rc ? NULL : calloc(n, sizeof *stored);
    if (!rc && !stored) {
        wl_err_set(err, "out of memory");
        rc = WL_ERR_NOMEM;
    }
    for (size_t i = 0; !rc && i < n; i++) {
        if (first[i] != (int)i) continue;
        int k = (int)row[i] - 1;
        if (PQgetvalue(r, k, 1)[0] == 't') {
            items[i].outcome = WL_CENTRAL_STORED;
            memcpy(stored[i], sha[i], sizeof sha[i]);
            continue;
        }
        size_t sl = 0;
        unsigned char *got = PQgetisnull(r, k, 2) ? NULL : PQunescapeBytea((const unsigned char *)PQgetvalue(r, k, 2), &sl);
        if (!got || sl != sizeof stored[i]) {
            PQfreemem(got);
            /* Inserted by someone else between our conflict check and the read: ask again. */
            wl_err_set(err, "intake %s: stored concurrently, try again", items[i].ref);
            rc = WL_ERR_DB;
            break;
        }
        memcpy(stored[i], got, sl);
        PQfreemem(got);
        items[i].outcome = memcmp(stored[i], sha[i], sl) == 0 ? WL_CENTRAL_ALREADY : WL_CENTRAL_CONFLICT;
    }
    for (size_t i = 0; !rc && i < n; i++)
        if (first[i] != (int)i)
            items[i].outcome = memcmp(stored[first[i]], sha[i], sizeof sha[i]) == 0 ? WL_CENTRAL_ALREADY
                                                                                    : WL_CENTRAL_CONFLICT;
    PQclear(r);
    if (rc) wl_pq_rollback(c);
    else rc = wl_pq_commit(c, err);
    free(stored);
    free(sha), free(first), free(row);
    free(refs.p), free(cas.p), free(lens.p), free(recs.p), free(shas.p), free(sigs.p);
    return rc;
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
                                    "origins were signed (schema 10), or written straight into the database", ref);
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
