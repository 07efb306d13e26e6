/* The kiosk's outbox: reads sealed intakes from the kiosk's SQLite, builds the delivery record
 * and keeps what the server acknowledged in "<database>.outbox". No HTTP here: the delivery
 * loop (client/deliver.c) sends. */
#include "wijkloket/outbox.h"

#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct wl_outbox {
    sqlite3 *db;
    char path[1024];
};

static wl_rc sql_err(wl_outbox_t *ob, const char *what, wl_err_t *err)
{
    wl_err_set(err, "%s: %s: %s", ob->path, what, sqlite3_errmsg(ob->db));
    return WL_ERR_DB;
}

wl_rc wl_outbox_open(const char *kiosk_db, wl_outbox_t **out, wl_err_t *err)
{
    *out = NULL;
    wl_outbox_t *ob = calloc(1, sizeof *ob);
    if (!ob) return WL_ERR_NOMEM;
    snprintf(ob->path, sizeof ob->path, "%s", kiosk_db);
    /* Read-write: a WAL reader needs the -shm file, and the attached outbox file is created
     * here. The kiosk's own tables are never written. A missing kiosk file is not created. */
    if (access(kiosk_db, F_OK) != 0) {
        wl_err_set(err, "%s: no kiosk database there", kiosk_db);
        wl_outbox_close(ob);
        return WL_ERR_IO;
    }
    if (sqlite3_open_v2(kiosk_db, &ob->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        wl_err_set(err, "%s: cannot open the kiosk database: %s", kiosk_db,
                   ob->db ? sqlite3_errmsg(ob->db) : "out of memory");
        wl_outbox_close(ob);
        return WL_ERR_IO;
    }
    sqlite3_busy_timeout(ob->db, 10000);
    char *sql = sqlite3_mprintf("ATTACH DATABASE '%q.outbox' AS ob;"
                                "PRAGMA ob.journal_mode = WAL; PRAGMA ob.synchronous = FULL;"
                                "CREATE TABLE IF NOT EXISTS ob.sent ("
                                "  ref TEXT PRIMARY KEY NOT NULL,"
                                "  status TEXT NOT NULL CHECK (status IN ('delivered', 'refused')),"
                                "  at INTEGER NOT NULL, http INTEGER NOT NULL, message TEXT NOT NULL DEFAULT ''"
                                ") STRICT;"
                                /* Kiosk events (help, SPOED, printer) delivered to the server, by event id. */
                                "CREATE TABLE IF NOT EXISTS ob.events_sent ("
                                "  id INTEGER PRIMARY KEY NOT NULL,"
                                "  status TEXT NOT NULL CHECK (status IN ('delivered', 'refused')),"
                                "  at INTEGER NOT NULL, http INTEGER NOT NULL, message TEXT NOT NULL DEFAULT ''"
                                ") STRICT;",
                                kiosk_db);
    char *emsg = NULL;
    int rc = sqlite3_exec(ob->db, sql, NULL, NULL, &emsg);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) {
        wl_err_set(err, "%s.outbox: %s", kiosk_db, emsg ? emsg : "cannot open");
        sqlite3_free(emsg);
        wl_outbox_close(ob);
        return WL_ERR_IO;
    }
    *out = ob;
    return WL_OK;
}

void wl_outbox_close(wl_outbox_t *ob)
{
    if (!ob) return;
    sqlite3_close(ob->db);
    free(ob);
}

wl_rc wl_outbox_status(wl_outbox_t *ob, wl_outbox_status_t *st, wl_err_t *err)
{
    memset(st, 0, sizeof *st);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(ob->db,
                           "SELECT (SELECT count(*) FROM intakes i WHERE i.status = 'completed' AND NOT EXISTS "
                           "        (SELECT 1 FROM ob.sent s WHERE s.ref = i.ref)),"
                           " (SELECT count(*) FROM ob.sent WHERE status = 'delivered'),"
                           " (SELECT count(*) FROM ob.sent WHERE status = 'refused'),"
                           " (SELECT coalesce(min(completed_at), 0) FROM intakes i WHERE i.status = 'completed' AND "
                           "        NOT EXISTS (SELECT 1 FROM ob.sent s WHERE s.ref = i.ref)),"
                           " (SELECT count(*) FROM kiosk_events e WHERE NOT EXISTS "
                           "        (SELECT 1 FROM ob.events_sent s WHERE s.id = e.id))",
                           -1, &q, NULL) != SQLITE_OK)
        return sql_err(ob, "reading the backlog", err);
    wl_rc rc = WL_OK;
    if (sqlite3_step(q) == SQLITE_ROW) {
        st->pending = sqlite3_column_int64(q, 0);
        st->delivered = sqlite3_column_int64(q, 1);
        st->refused = sqlite3_column_int64(q, 2);
        st->oldest_pending = sqlite3_column_int64(q, 3);
        st->events_pending = sqlite3_column_int64(q, 4);
    } else {
        rc = sql_err(ob, "reading the backlog", err);
    }
    sqlite3_finalize(q);
    return rc;
}

wl_rc wl_outbox_refused(wl_outbox_t *ob, char **json_text, wl_err_t *err)
{
    *json_text = NULL;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(ob->db, "SELECT ref, at, http, message FROM ob.sent WHERE status = 'refused' ORDER BY at",
                           -1, &q, NULL) != SQLITE_OK)
        return sql_err(ob, "listing refused intakes", err);
    json_t *a = json_array();
    while (sqlite3_step(q) == SQLITE_ROW)
        json_array_append_new(a, json_pack("{s:s, s:I, s:i, s:s}", "ref", (const char *)sqlite3_column_text(q, 0),
                                           "at", (json_int_t)sqlite3_column_int64(q, 1), "http",
                                           sqlite3_column_int(q, 2), "message",
                                           (const char *)sqlite3_column_text(q, 3)));
    sqlite3_finalize(q);
    *json_text = json_dumps(a, JSON_INDENT(2));
    json_decref(a);
    return WL_OK;
}

static json_t *col_text(sqlite3_stmt *q, int i)
{
    const unsigned char *t = sqlite3_column_text(q, i);
    return t ? json_string((const char *)t) : json_null();
}

static json_t *sealed_b64(const void *blob, int n)
{
    size_t cap = sodium_base64_encoded_len((size_t)n, sodium_base64_VARIANT_ORIGINAL);
    char *b = malloc(cap);
    if (!b) return NULL;
    sodium_bin2base64(b, cap, blob, (size_t)n, sodium_base64_VARIANT_ORIGINAL);
    json_t *o = json_pack("{s:s, s:s}", "encoding", "sealed", "data", b);
    free(b);
    return o;
}

wl_rc wl_outbox_record(wl_outbox_t *ob, const char *ref, char **text, size_t *len, wl_err_t *err)
{
    *text = NULL;
    *len = 0;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(ob->db,
                           "SELECT ref, kiosk, location, language, assisted_by, started_at, completed_at, "
                           "questionnaire_version, rules_version, route, result FROM intakes WHERE ref = ?1",
                           -1, &q, NULL) != SQLITE_OK)
        return sql_err(ob, "reading an intake", err);
    sqlite3_bind_text(q, 1, ref, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(q) != SQLITE_ROW) {
        sqlite3_finalize(q);
        wl_err_set(err, "%s: no intake %s", ob->path, ref);
        return WL_ERR_NOTFOUND;
    }
    json_t *o = json_object();
    json_object_set_new(o, "format", json_string("wijkloket-sealed-intake/1"));
    const char *names[] = {"ref", "kiosk", "location", "language", "assisted_by"};
    for (int i = 0; i < 5; i++) json_object_set_new(o, names[i], col_text(q, i));
    json_object_set_new(o, "started_at", json_integer(sqlite3_column_int64(q, 5)));
    json_object_set_new(o, "completed_at", json_integer(sqlite3_column_int64(q, 6)));
    json_object_set_new(o, "questionnaire_version", col_text(q, 7));
    json_object_set_new(o, "rules_version", col_text(q, 8));
    json_object_set_new(o, "route", col_text(q, 9));
    const unsigned char *res = sqlite3_column_text(q, 10);
    json_t *clear = res ? json_loads((const char *)res, 0, NULL) : NULL;
    json_object_set_new(o, "result", clear ? clear : json_null());
    sqlite3_finalize(q);

    wl_rc rc = WL_OK;
    const char *kinds[2] = {"answers", "personal"};
    for (int i = 0; rc == WL_OK && i < 2; i++) {
        if (sqlite3_prepare_v2(ob->db, "SELECT encoding, payload FROM intake_data WHERE ref = ?1 AND kind = ?2", -1,
                               &q, NULL) != SQLITE_OK) {
            rc = sql_err(ob, "reading intake data", err);
            break;
        }
        sqlite3_bind_text(q, 1, ref, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(q, 2, kinds[i], -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_ROW) {
            wl_err_set(err, "intake %s has no %s", ref, kinds[i]);
            rc = WL_ERR_STATE;
        } else if (strcmp((const char *)sqlite3_column_text(q, 0), "sealed") != 0) {
            wl_err_set(err, "intake %s is not sealed; it stays on this kiosk and is never sent", ref);
            rc = WL_ERR_STATE;
        } else {
            json_object_set_new(o, kinds[i], sealed_b64(sqlite3_column_blob(q, 1), sqlite3_column_bytes(q, 1)));
        }
        sqlite3_finalize(q);
    }
    if (rc == WL_OK) {
        if (sqlite3_prepare_v2(ob->db, "SELECT payload FROM intake_detail WHERE ref = ?1", -1, &q, NULL) != SQLITE_OK)
            rc = sql_err(ob, "reading intake detail", err);
        else {
            sqlite3_bind_text(q, 1, ref, -1, SQLITE_TRANSIENT);
            json_object_set_new(o, "detail", sqlite3_step(q) == SQLITE_ROW
                                                 ? sealed_b64(sqlite3_column_blob(q, 0), sqlite3_column_bytes(q, 0))
                                                 : json_null());
            sqlite3_finalize(q);
        }
    }
    if (rc == WL_OK) {
        *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (!*text) rc = WL_ERR_NOMEM;
        else *len = strlen(*text);
    }
    json_decref(o);
    return rc;
}

/* Records one delivery outcome in a sent table whose row q was prepared for (key bound at ?1):
 * binds status, time, HTTP status and message, steps and finalizes q. */
static wl_rc mark_sent(wl_outbox_t *ob, sqlite3_stmt *q, bool delivered, int http, const char *msg, const char *what,
                       wl_err_t *err)
{
    sqlite3_bind_text(q, 2, delivered ? "delivered" : "refused", -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, (sqlite3_int64)time(NULL));
    sqlite3_bind_int(q, 4, http);
    sqlite3_bind_text(q, 5, msg ? msg : "", -1, SQLITE_TRANSIENT);
    int s = sqlite3_step(q);
    sqlite3_finalize(q);
    return s == SQLITE_DONE ? WL_OK : sql_err(ob, what, err);
}

wl_rc wl_outbox_mark(wl_outbox_t *ob, const char *ref, bool delivered, int http, const char *msg, wl_err_t *err)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(ob->db, "INSERT OR REPLACE INTO ob.sent (ref, status, at, http, message) VALUES (?1, ?2, ?3, ?4, ?5)",
                           -1, &q, NULL) != SQLITE_OK)
        return sql_err(ob, "marking an intake", err);
    sqlite3_bind_text(q, 1, ref, -1, SQLITE_TRANSIENT);
    return mark_sent(ob, q, delivered, http, msg, "marking an intake", err);
}

wl_rc wl_outbox_pending(wl_outbox_t *ob, int max, char (*refs)[WL_REFCODE_BUFSZ], int *n, wl_err_t *err)
{
    *n = 0;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(ob->db,
                           "SELECT ref FROM intakes i WHERE i.status = 'completed' AND NOT EXISTS "
                           "(SELECT 1 FROM ob.sent s WHERE s.ref = i.ref) ORDER BY created_at, ref LIMIT ?1",
                           -1, &q, NULL) != SQLITE_OK)
        return sql_err(ob, "listing the backlog", err);
    sqlite3_bind_int(q, 1, max);
    int s;
    while (*n < max && (s = sqlite3_step(q)) == SQLITE_ROW)
        snprintf(refs[(*n)++], WL_REFCODE_BUFSZ, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return WL_OK;
}

wl_rc wl_outbox_events_pending(wl_outbox_t *ob, int max, json_t **out, wl_err_t *err)
{
    *out = NULL;
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(ob->db,
                           "SELECT id, kind, detail, at FROM kiosk_events e WHERE NOT EXISTS "
                           "(SELECT 1 FROM ob.events_sent s WHERE s.id = e.id) ORDER BY id LIMIT ?1",
                           -1, &q, NULL) != SQLITE_OK)
        return sql_err(ob, "listing undelivered events", err);
    sqlite3_bind_int(q, 1, max);
    json_t *a = json_array();
    while (a && sqlite3_step(q) == SQLITE_ROW) {
        int64_t id = sqlite3_column_int64(q, 0), at = sqlite3_column_int64(q, 3);
        /* The key makes a retry recognisable on the server; the time in it keeps a kiosk whose
         * database was made anew (ids from 1 again) from colliding with its earlier events. */
        char key[48];
        snprintf(key, sizeof key, "%lld@%lld", (long long)id, (long long)at);
        json_array_append_new(a, json_pack("{s:I, s:s, s:s, s:s, s:I}", "id", (json_int_t)id, "key", key, "kind",
                                           (const char *)sqlite3_column_text(q, 1), "detail",
                                           (const char *)sqlite3_column_text(q, 2), "at", (json_int_t)at));
    }
    sqlite3_finalize(q);
    if (!a) return WL_ERR_NOMEM;
    *out = a;
    return WL_OK;
}

wl_rc wl_outbox_event_mark(wl_outbox_t *ob, int64_t id, bool delivered, int http, const char *msg, wl_err_t *err)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(ob->db,
                           "INSERT OR REPLACE INTO ob.events_sent (id, status, at, http, message) VALUES (?1, ?2, ?3, ?4, ?5)",
                           -1, &q, NULL) != SQLITE_OK)
        return sql_err(ob, "marking an event", err);
    sqlite3_bind_int64(q, 1, id);
    return mark_sent(ob, q, delivered, http, msg, "marking an event", err);
}
