/* Append-only audit trail with a BLAKE2b hash chain: every staff access leaves a checkable trace. */
#include "wijkloket/audit.h"
#include "store/store_sql.h"

#include <inttypes.h>
#include <sodium.h>
#include <string.h>

#define HASH_BYTES 32

typedef struct {
    int64_t id, at;
    const char *actor, *action, *ref, *detail;
} entry_t;

static void put_u64(crypto_generichash_state *h, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
    crypto_generichash_update(h, b, sizeof b);
}

/* Length-prefixed, so ("ab","c") and ("a","bc") never hash alike; NULL differs from "". */
static void put_str(crypto_generichash_state *h, const char *s)
{
    if (!s) {
        put_u64(h, UINT64_MAX);
        return;
    }
    size_t n = strlen(s);
    put_u64(h, n);
    crypto_generichash_update(h, (const unsigned char *)s, n);
}

static void entry_hash(const unsigned char prev[HASH_BYTES], const entry_t *e, unsigned char out[HASH_BYTES])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, HASH_BYTES);
    crypto_generichash_update(&h, (const unsigned char *)"wijkloket-audit-v1", 18);
    crypto_generichash_update(&h, prev, HASH_BYTES);
    put_u64(&h, (uint64_t)e->id);
    put_u64(&h, (uint64_t)e->at);
    put_str(&h, e->actor);
    put_str(&h, e->action);
    put_str(&h, e->ref);
    put_str(&h, e->detail);
    crypto_generichash_final(&h, out, HASH_BYTES);
}

static void read_entry(sqlite3_stmt *s, entry_t *e)
{
    e->id = sqlite3_column_int64(s, 0);
    e->at = sqlite3_column_int64(s, 1);
    e->actor = (const char *)sqlite3_column_text(s, 2);
    e->action = (const char *)sqlite3_column_text(s, 3);
    e->ref = (const char *)sqlite3_column_text(s, 4);
    e->detail = (const char *)sqlite3_column_text(s, 5);
}

/* The hash of the newest chained entry (zeros for an empty trail) into prev. */
static wl_rc last_hash(wl_store_t *st, unsigned char prev[HASH_BYTES], wl_err_t *err)
{
    sqlite3_stmt *s = NULL;
    memset(prev, 0, HASH_BYTES);
    wl_rc rc = wl_store_prepare(st, "SELECT hash FROM audit WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1", &s, err);
    if (rc != WL_OK) return rc;
    int r = sqlite3_step(s);
    if (r == SQLITE_ROW && sqlite3_column_bytes(s, 0) == HASH_BYTES) memcpy(prev, sqlite3_column_blob(s, 0), HASH_BYTES);
    else if (r != SQLITE_ROW && r != SQLITE_DONE) rc = wl_store_sqlite_error(st, r, "reading the audit trail", err);
    sqlite3_finalize(s);
    return rc;
}

/* Chains the entries that triggers wrote (hash NULL), oldest first. Called inside a
 * transaction. The update trigger allows exactly this: filling in a missing hash. */
static wl_rc settle_pending(wl_store_t *st, unsigned char prev[HASH_BYTES], wl_err_t *err)
{
    sqlite3_stmt *sel = NULL, *upd = NULL;
    wl_rc rc = wl_store_prepare(st,
                                "SELECT id, at, actor, action, ref, detail FROM audit WHERE hash IS NULL ORDER BY id",
                                &sel, err);
    if (rc == WL_OK) rc = wl_store_prepare(st, "UPDATE audit SET hash = ? WHERE id = ?", &upd, err);
    int r;
    while (rc == WL_OK && (r = sqlite3_step(sel)) == SQLITE_ROW) {
        entry_t e;
        read_entry(sel, &e);
        unsigned char h[HASH_BYTES];
        entry_hash(prev, &e, h);
        sqlite3_bind_blob(upd, 1, h, HASH_BYTES, SQLITE_TRANSIENT);
        sqlite3_bind_int64(upd, 2, e.id);
        int u = sqlite3_step(upd);
        sqlite3_reset(upd);
        if (u != SQLITE_DONE) rc = wl_store_sqlite_error(st, u, "chaining audit entries", err);
        memcpy(prev, h, HASH_BYTES);
    }
    if (rc == WL_OK && r != SQLITE_DONE) rc = wl_store_sqlite_error(st, r, "reading the audit trail", err);
    sqlite3_finalize(sel);
    sqlite3_finalize(upd);
    return rc;
}

wl_rc wl_audit_append(wl_store_t *st, const char *actor, const char *action, const char *ref,
                      const char *detail, int64_t now, wl_err_t *err)
{
    if (!actor || !*actor || !action || !*action) {
        wl_err_set(err, "an audit entry needs who (actor) and what (action)");
        return WL_ERR_INVALID;
    }
    wl_rc rc = wl_store_begin(st, err);
    if (rc != WL_OK) return rc;
    unsigned char prev[HASH_BYTES], h[HASH_BYTES];
    sqlite3_stmt *ins = NULL, *upd = NULL;
    if ((rc = last_hash(st, prev, err)) != WL_OK || (rc = settle_pending(st, prev, err)) != WL_OK) goto done;
    /* Insert first to learn the id (it is part of the hash), then set the hash. */
    rc = wl_store_prepare(st, "INSERT INTO audit(at, actor, action, ref, detail) VALUES (?, ?, ?, ?, ?)", &ins, err);
    if (rc != WL_OK) goto done;
    sqlite3_bind_int64(ins, 1, now);
    sqlite3_bind_text(ins, 2, actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 3, action, -1, SQLITE_STATIC);
    if (ref) sqlite3_bind_text(ins, 4, ref, -1, SQLITE_STATIC);
    else sqlite3_bind_null(ins, 4);
    sqlite3_bind_text(ins, 5, detail ? detail : "", -1, SQLITE_STATIC);
    int r = sqlite3_step(ins);
    if (r != SQLITE_DONE) {
        rc = wl_store_sqlite_error(st, r, "writing an audit entry", err);
        goto done;
    }
    entry_t e = {sqlite3_last_insert_rowid(wl_store_db(st)), now, actor, action, ref, detail ? detail : ""};
    entry_hash(prev, &e, h);
    rc = wl_store_prepare(st, "UPDATE audit SET hash = ? WHERE id = ?", &upd, err);
    if (rc != WL_OK) goto done;
    sqlite3_bind_blob(upd, 1, h, HASH_BYTES, SQLITE_STATIC);
    sqlite3_bind_int64(upd, 2, e.id);
    r = sqlite3_step(upd);
    if (r != SQLITE_DONE) rc = wl_store_sqlite_error(st, r, "chaining an audit entry", err);
done:
    sqlite3_finalize(ins);
    sqlite3_finalize(upd);
    if (rc == WL_OK) return wl_store_commit(st, err);
    wl_store_rollback(st);
    return rc;
}

static void describe(const entry_t *e, char *buf, size_t size)
{
    snprintf(buf, size, "entry %" PRId64 " (%s by %s%s%s at %" PRId64 ")", e->id, e->action ? e->action : "?",
             e->actor ? e->actor : "?", e->ref ? " on " : "", e->ref ? e->ref : "", e->at);
}

wl_rc wl_audit_verify(wl_store_t *st, wl_audit_report_t *rep, wl_err_t *err)
{
    memset(rep, 0, sizeof *rep);
    sqlite3_stmt *s = NULL;
    wl_rc rc = wl_store_prepare(st, "SELECT id, at, actor, action, ref, detail, hash FROM audit ORDER BY id", &s, err);
    if (rc != WL_OK) return rc;
    unsigned char prev[HASH_BYTES] = {0}, h[HASH_BYTES];
    int64_t expect_id = 0;
    bool in_pending = false;
    int r;
    char what[256];
    while ((r = sqlite3_step(s)) == SQLITE_ROW) {
        entry_t e;
        read_entry(s, &e);
        rep->entries++;
        describe(&e, what, sizeof what);
        /* Ids are handed out 1, 2, 3, ...; a gap means a removed entry. */
        if (expect_id && e.id != expect_id) {
            rep->first_bad = expect_id;
            wl_err_set(err, "audit entry %" PRId64 " is missing (the trail jumps from %" PRId64 " to %" PRId64
                            "): an entry was removed",
                       expect_id, expect_id - 1, e.id);
            rc = WL_ERR_INVALID;
            break;
        }
        expect_id = e.id + 1;
        entry_hash(prev, &e, h);
        if (sqlite3_column_type(s, 6) == SQLITE_NULL) {
            /* Written by a trigger and not chained yet: fine only at the end. */
            in_pending = true;
            rep->pending++;
            memcpy(prev, h, HASH_BYTES);
            continue;
        }
        if (in_pending) {
            rep->first_bad = e.id - 1;
            wl_err_set(err, "audit entry %" PRId64 " has no hash but later entries do: it was inserted afterwards",
                       e.id - 1);
            rc = WL_ERR_INVALID;
            break;
        }
        if (sqlite3_column_bytes(s, 6) != HASH_BYTES || sodium_memcmp(h, sqlite3_column_blob(s, 6), HASH_BYTES) != 0) {
            rep->first_bad = e.id;
            wl_err_set(err, "audit %s does not match its hash: it was changed after it was written, "
                            "or an entry before it was",
                       what);
            rc = WL_ERR_INVALID;
            break;
        }
        memcpy(prev, h, HASH_BYTES);
        sodium_bin2hex(rep->head, sizeof rep->head, h, HASH_BYTES);
    }
    if (rc == WL_OK && r != SQLITE_DONE) rc = wl_store_sqlite_error(st, r, "reading the audit trail", err);
    sqlite3_finalize(s);
    return rc;
}

wl_rc wl_audit_list(wl_store_t *st, const char *ref, int64_t limit, json_t **out, wl_err_t *err)
{
    *out = NULL;
    sqlite3_stmt *s = NULL;
    wl_rc rc = wl_store_prepare(st,
                                "SELECT id, at, actor, action, ref, detail FROM ("
                                " SELECT * FROM audit WHERE (?1 IS NULL OR ref = ?1) ORDER BY id DESC LIMIT ?2"
                                ") ORDER BY id",
                                &s, err);
    if (rc != WL_OK) return rc;
    if (ref) sqlite3_bind_text(s, 1, ref, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, limit > 0 ? limit : -1);
    json_t *arr = json_array();
    int r;
    while (arr && (r = sqlite3_step(s)) == SQLITE_ROW) {
        entry_t e;
        read_entry(s, &e);
        json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s?, s:s}", "id", (json_int_t)e.id, "at", (json_int_t)e.at,
                              "actor", e.actor ? e.actor : "", "action", e.action ? e.action : "", "ref", e.ref,
                              "detail", e.detail ? e.detail : "");
        if (!o || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    if (!arr) {
        rc = WL_ERR_NOMEM;
        wl_err_set(err, "out of memory while listing the audit trail");
    } else if (r != SQLITE_DONE) {
        rc = wl_store_sqlite_error(st, r, "reading the audit trail", err);
        json_decref(arr);
    } else {
        *out = arr;
    }
    sqlite3_finalize(s);
    return rc;
}
