/* Sealing on the store's write path: temporary triggers that seal answers, personal data and the result detail
 * on SQLite; on PostgreSQL the same in C, through the store's sealer hook. */
#include "wijkloket/seal.h"
#include "store/store_sql.h"
#include "store/store_stmt.h"

#include <stdlib.h>
#include <string.h>

#include <time.h>

/* The connection's sealing session and the store (for its install key); SQLite frees it
 * when the function is replaced or the connection closes. */
typedef struct {
    wl_seal_session_t *sess;
    wl_store_t *st;
} seal_ctx_t;

static void key_free(void *p)
{
    seal_ctx_t *c = p;
    if (!c) return;
    wl_seal_session_free(c->sess);
    free(c);
}

/* SQL function wl_seal_payload(ref, kind, json) -> sealed blob (WLS3, bound to ref and kind). An error aborts the INSERT and
 * with it the whole save: storing in clear as a fallback would break the promise. The text
 * is checked to be JSON and sealed as stored (store.c wrote it compactly). */
static void sql_seal_payload(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    seal_ctx_t *c = sqlite3_user_data(ctx);
    const char *text = (const char *)sqlite3_value_blob(argv[2]);
    int n = sqlite3_value_bytes(argv[2]);
    wl_seal_bind_t bind = {(const char *)sqlite3_value_text(argv[0]), (const char *)sqlite3_value_text(argv[1]),
                           wl_store_install_key(c->st), false};
    json_t *check = text ? json_loadb(text, (size_t)n, JSON_DECODE_ANY, NULL) : NULL;
    if (!check) {
        sqlite3_result_error(ctx, "wl_seal_payload: the payload is not JSON; not saved", -1);
        return;
    }
    json_decref(check);
    unsigned char *blob = NULL;
    size_t len = 0;
    wl_err_t err = {{0}};
    /* The trigger has no caller's clock to pass in; the session's daily re-key needs only a
     * coarse wall clock, so this is the one place the store reads it. */
    wl_rc rc = wl_seal_session_encode_text(c->sess, text, (size_t)n, (int64_t)time(NULL), &bind, &blob, &len, &err);
    if (rc != WL_OK) {
        sqlite3_result_error(ctx, err.msg, -1);
        return;
    }
    sqlite3_result_blob(ctx, blob, (int)len, free);
}

static json_t *value_json(sqlite3_value *v)
{
    const void *b = sqlite3_value_blob(v);
    int n = sqlite3_value_bytes(v);
    if (!b) return NULL;
    return json_loadb(b, (size_t)n, JSON_DECODE_ANY, NULL);
}

static json_t *minimal_signals(const json_t *signals)
{
    json_t *out = json_array();
    size_t i;
    const json_t *s;
    json_array_foreach(signals, i, s) {
        const char *id = json_string_value(json_object_get(s, "id"));
        if (!id) continue;
        json_array_append_new(out, json_pack("{s:s, s:b}", "id", id, "urgent",
                                             json_is_true(json_object_get(s, "urgent"))));
    }
    return out;
}

/* Copies member key of from into to when present. */
static void keep(json_t *to, const json_t *from, const char *key)
{
    json_t *v = json_object_get(from, key);
    if (v) json_object_set(to, key, v);
}

json_t *wl_seal_clear_result(const json_t *result)
{
    if (!json_is_object(result)) return NULL;
    json_t *o = json_object();
    if (!o) return NULL;
    keep(o, result, "route");
    const json_t *p = json_object_get(result, "participatie");
    if (json_is_object(p)) {
        json_t *pp = json_object();
        keep(pp, p, "form");
        keep(pp, p, "kik_status");
        json_object_set_new(o, "participatie", pp);
    } else if (p) {
        json_object_set(o, "participatie", (json_t *)p);
    }
    keep(o, result, "kik_status");
    const json_t *sig = json_object_get(result, "signals");
    if (json_is_array(sig)) json_object_set_new(o, "signals", minimal_signals(sig));
    keep(o, result, "regie");
    const json_t *d = json_object_get(result, "domains");
    if (json_is_object(d)) {
        json_t *dd = json_object();
        keep(dd, d, "count");
        keep(dd, d, "band");
        json_object_set_new(o, "domains", dd);
    }
    keep(o, result, "rules_version");
    return o;
}

/* SQL function wl_clear_result(json) -> the clear part of a classification result. */
static void sql_clear_result(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    json_t *full = value_json(argv[0]);
    json_t *clear = full ? wl_seal_clear_result(full) : NULL;
    char *text = clear ? json_dumps(clear, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(clear);
    json_decref(full);
    if (!text) {
        sqlite3_result_error(ctx, "wl_clear_result: the result is not a JSON object; not saved", -1);
        return;
    }
    sqlite3_result_text(ctx, text, -1, free);
}

/* The sealer hook (store_sql.h) for PostgreSQL: the same session, binding and checks as
 * sql_seal_payload, called by store.c before the row is sent. */
static wl_rc pg_seal(void *ctx, wl_store_t *st, const char *ref, const char *kind, const char *text, size_t len,
                     unsigned char **blob, size_t *blob_len, wl_err_t *err)
{
    seal_ctx_t *c = ctx;
    json_t *check = wl_seal_read_json(text, len);
    if (!check) {
        wl_err_set(err, "the %s payload is not JSON", kind);
        return WL_ERR_INVALID;
    }
    json_decref(check);
    /* Without the central install key the part could not carry its MAC: refused, never
     * stored in clear instead. */
    if (!wl_store_install_key(st)) {
        wl_err_set(err, "no install key for this database (wl_store_use_install_key, --central-key)");
        return WL_ERR_STATE;
    }
    wl_seal_bind_t bind = {ref, kind, wl_store_install_key(st), false};
    /* As in sql_seal_payload: the daily re-key needs only a coarse wall clock. */
    return wl_seal_session_encode_text(c->sess, text, len, (int64_t)time(NULL), &bind, blob, blob_len, err);
}

static char *pg_clear_result(const char *result_text)
{
    json_t *full = wl_seal_read_json(result_text, strlen(result_text));
    json_t *clear = full ? wl_seal_clear_result(full) : NULL;
    char *text = clear ? json_dumps(clear, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(clear);
    json_decref(full);
    return text;
}

/* PostgreSQL: the session goes to the store's sealer hook, which owns it from here. */
/* The context a sealer keeps: it takes k (freed here when there is no memory for it). */
static seal_ctx_t *seal_ctx_new(wl_store_t *st, wl_seal_session_t *k, wl_err_t *err)
{
    seal_ctx_t *c = calloc(1, sizeof *c);
    if (!c) {
        wl_seal_session_free(k);
        wl_err_set(err, "out of memory while installing the seal key");
        return NULL;
    }
    c->sess = k;
    c->st = st;
    return c;
}

static wl_rc set_pg_sealer(wl_store_t *st, wl_seal_session_t *k, wl_err_t *err)
{
    seal_ctx_t *c = seal_ctx_new(st, k, err);
    if (!c) return WL_ERR_NOMEM;
    wl_store_sealer_t h = {pg_seal, pg_clear_result, key_free, c};
    wl_store_set_sealer(st, &h);
    return WL_OK;
}

wl_rc wl_store_set_seal_key(wl_store_t *st, const char *public_key_path, wl_err_t *err)
{
    bool pg = st && wl_store_backend(st) == WL_BACKEND_PG;
    sqlite3 *db = wl_store_db(st);
    if (!db && !pg) {
        wl_err_set(err, "set seal key: no open store");
        return WL_ERR_STATE;
    }
    unsigned char pk[crypto_box_PUBLICKEYBYTES];
    wl_seal_session_t *k = NULL;
    wl_rc rc = wl_seal_load_public(public_key_path, pk, err);
    if (rc != WL_OK) return rc;
    rc = wl_seal_session_new(pk, &k, err);
    sodium_memzero(pk, sizeof pk);
    if (rc != WL_OK) {
        wl_err_prefix(err, "%s: ", public_key_path);
        return rc;
    }
    if (pg) return set_pg_sealer(st, k, err);
    /* The connection owns the session from here: SQLite calls key_free when the function is
     * replaced or the connection closes (and on failure here), so a closed store never leaves
     * a session key behind. */
    seal_ctx_t *c = seal_ctx_new(st, k, err);
    if (!c) return WL_ERR_NOMEM;
    int r = sqlite3_create_function_v2(db, "wl_seal_payload", 3, SQLITE_UTF8, c, sql_seal_payload, NULL,
                                       NULL, key_free);
    if (r == SQLITE_OK)
        r = sqlite3_create_function_v2(db, "wl_clear_result", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                       sql_clear_result, NULL, NULL, NULL);
    if (r != SQLITE_OK) return wl_store_sqlite_error(st, r, "installing the seal key", err);
    /* Temporary triggers live only on this connection: another program writing the same file
     * without a key is not blocked by a function it does not have. The clear JSON is
     * inserted by store.c and replaced within the same transaction, and secure_delete zeroes
     * the freed cell, so only the sealed form ever reaches the WAL or the main file. The full
     * result goes sealed into intake_detail; intakes.result keeps the clear part. */
    static const char *const sql =
        "PRAGMA secure_delete = ON;"
        "CREATE TEMP TRIGGER IF NOT EXISTS wl_seal_intake_data AFTER INSERT ON main.intake_data"
        " WHEN NEW.encoding = 'json' BEGIN"
        "  UPDATE intake_data SET encoding = 'sealed', payload = wl_seal_payload(NEW.ref, NEW.kind, NEW.payload)"
        "   WHERE ref = NEW.ref AND kind = NEW.kind;"
        " END;"
        "CREATE TEMP TRIGGER IF NOT EXISTS wl_seal_intake_result AFTER INSERT ON main.intakes"
        " WHEN NEW.result IS NOT NULL BEGIN"
        "  INSERT INTO intake_detail (ref, payload) VALUES (NEW.ref, wl_seal_payload(NEW.ref, 'result', NEW.result));"
        "  UPDATE intakes SET result = wl_clear_result(NEW.result) WHERE ref = NEW.ref;"
        " END;";
    r = sqlite3_exec(db, sql, NULL, NULL, NULL);
    if (r != SQLITE_OK) return wl_store_sqlite_error(st, r, "installing the sealing triggers", err);
    return WL_OK;
}
