/* The store's PostgreSQL backend: libpq connection, error mapping, migrations, and opening a store on a URL. */
#include "store/store_internal.h"
#include "store/store_pg.h"
#include "store/install_key.h"

#include <sodium.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Any fixed number ("WJKL"): the advisory lock that serialises migrations between processes. */
#define WL_PG_MIGRATE_LOCK "1464552268"

static __thread char g_last_state[8];

const char *wl_pg_i64(char *buf, int64_t v)
{
    snprintf(buf, 24, "%lld", (long long)v);
    return buf;
}

int64_t wl_pg_get_i64(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col)) return 0;
    return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

const char *wl_pg_last_state(void)
{
    return g_last_state;
}

static void trim_newline(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' ')) s[--n] = 0;
}

wl_rc wl_pg_connect(const char *conninfo, PGconn **out, wl_err_t *err)
{
    *out = PQconnectdb(conninfo);
    if (!*out || PQstatus(*out) != CONNECTION_OK) {
        char m[300];
        snprintf(m, sizeof m, "%s", *out ? PQerrorMessage(*out) : "out of memory");
        trim_newline(m);
        wl_err_set(err, "cannot connect to the database: %s", m);
        PQfinish(*out);
        *out = NULL;
        return WL_ERR_DB;
    }
    /* Quiet NOTICEs (CREATE TABLE IF NOT EXISTS ...) so they do not land on stderr. */
    PQclear(PQexec(*out, "SET client_min_messages = warning"));
    return WL_OK;
}

wl_rc wl_pg_exec(PGconn *conn, const char *what, const char *sql, int n, const char *const *vals, const int *lens,
                 const int *binary, PGresult **res, wl_err_t *err)
{
    return wl_pg_exec_typed(conn, what, sql, n, NULL, vals, lens, binary, res, err);
}

wl_rc wl_pg_exec_typed(PGconn *conn, const char *what, const char *sql, int n, const Oid *types,
                       const char *const *vals, const int *lens, const int *binary, PGresult **res, wl_err_t *err)
{
    if (res) *res = NULL;
    g_last_state[0] = 0;
    if (PQstatus(conn) != CONNECTION_OK) {
        /* The server restarted or the network dropped: try once to come back. */
        PQreset(conn);
        if (PQstatus(conn) != CONNECTION_OK) {
            char m[256];
            snprintf(m, sizeof m, "%s", PQerrorMessage(conn));
            trim_newline(m);
            snprintf(g_last_state, sizeof g_last_state, "08006");
            wl_err_set(err, "%s: the database cannot be reached: %s", what, m);
            return WL_ERR_DB;
        }
    }
    /* Without parameters the text may hold several statements (migrations): simple protocol. */
    PGresult *r = n == 0 ? PQexec(conn, sql) : PQexecParams(conn, sql, n, types, vals, lens, binary, 0);
    ExecStatusType s = PQresultStatus(r);
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
        if (res) *res = r;
        else PQclear(r);
        return WL_OK;
    }
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    snprintf(g_last_state, sizeof g_last_state, "%s", state ? state : "");
    char m[300];
    snprintf(m, sizeof m, "%s", r ? PQresultErrorMessage(r) : PQerrorMessage(conn));
    trim_newline(m);
    PQclear(r);
    wl_err_set(err, "%s: %s", what, m);
    /* state pointed into r, which is freed: compare the copy. */
    if (strcmp(g_last_state, "23505") == 0 || strcmp(g_last_state, "23514") == 0) return WL_ERR_CONFLICT;
    return WL_ERR_DB;
}

int wl_pg_latest_version(void)
{
    return wl_pg_migrations[wl_pg_migration_count - 1].version;
}

int wl_pg_schema_version(PGconn *conn)
{
    PGresult *r;
    if (wl_pg_exec(conn, "reading the schema version", "SELECT coalesce(max(version), 0) FROM public.schema_migrations",
                   0, NULL, NULL, NULL, &r, NULL))
        return -1;
    int v = (int)wl_pg_get_i64(r, 0, 0);
    PQclear(r);
    return v;
}

static void rollback(PGconn *conn)
{
    if (PQstatus(conn) == CONNECTION_OK) PQclear(PQexec(conn, "ROLLBACK"));
}

wl_rc wl_pg_migrate(PGconn *conn, wl_err_t *err)
{
    for (size_t i = 0; i < wl_pg_migration_count; i++) {
        if (wl_pg_migrations[i].version != (int)i + 1) {
            wl_err_set(err, "store_pg_migrations.c: entry %zu has version %d (versions must run 1, 2, 3, ...)", i,
                       wl_pg_migrations[i].version);
            return WL_ERR_STATE;
        }
    }
    wl_rc rc = wl_pg_exec(conn, "preparing migrations",
                          "CREATE TABLE IF NOT EXISTS public.schema_migrations ("
                          " version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
                          0, NULL, NULL, NULL, NULL, err);
    /* Two processes creating the table at once: the loser sees a unique violation; harmless. */
    if (rc == WL_ERR_CONFLICT) rc = WL_OK;
    if (rc) return rc;
    if ((rc = wl_pg_exec(conn, "locking for migrations", "SELECT pg_advisory_lock(" WL_PG_MIGRATE_LOCK ")", 0, NULL,
                         NULL, NULL, NULL, err)))
        return rc;
    int have = wl_pg_schema_version(conn);
    if (have < 0) {
        wl_err_set(err, "cannot read schema_migrations");
        rc = WL_ERR_DB;
    } else if (have > wl_pg_latest_version()) {
        wl_err_set(err, "the database has schema version %d, newer than this build knows (%d); upgrade Wijkloket",
                   have, wl_pg_latest_version());
        rc = WL_ERR_DB;
    }
    for (size_t i = 0; rc == WL_OK && i < wl_pg_migration_count; i++) {
        const wl_pg_migration_t *m = &wl_pg_migrations[i];
        if (m->version <= have) continue;
        char v[24];
        const char *vals[2] = {wl_pg_i64(v, m->version), m->description};
        if ((rc = wl_pg_exec(conn, "starting a transaction", "BEGIN", 0, NULL, NULL, NULL, NULL, err))) break;
        rc = wl_pg_exec(conn, "applying a migration", m->sql, 0, NULL, NULL, NULL, NULL, err);
        if (!rc)
            rc = wl_pg_exec(conn, "recording a migration",
                            "INSERT INTO public.schema_migrations (version, description) VALUES ($1::int, $2)", 2, vals,
                            NULL, NULL, NULL, err);
        if (rc) {
            rollback(conn);
            wl_err_prefix(err, "migration %d (%s): ", m->version, m->description);
            break;
        }
        if ((rc = wl_pg_exec(conn, "committing", "COMMIT", 0, NULL, NULL, NULL, NULL, err))) rollback(conn);
    }
    wl_err_t ignore;
    wl_pg_exec(conn, "unlocking", "SELECT pg_advisory_unlock(" WL_PG_MIGRATE_LOCK ")", 0, NULL, NULL, NULL, NULL,
               &ignore);
    return rc;
}

bool wl_store_setting_is_pg(const char *setting)
{
    return setting && (strncmp(setting, "postgresql://", 13) == 0 || strncmp(setting, "postgres://", 11) == 0);
}

/* The URL for messages: scheme, host and database, never the password. */
static char *redact(const char *url)
{
    const char *at = strchr(url, '@');
    const char *scheme_end = strstr(url, "://");
    size_t n = strlen(url) + 16;
    char *out = malloc(n);
    if (!out) return NULL;
    if (at && scheme_end && at > scheme_end) {
        snprintf(out, n, "%.*s://…@%s", (int)(scheme_end - url), url, at + 1);
    } else {
        snprintf(out, n, "%s", url);
    }
    return out;
}

wl_rc wl_store_pg_exec(wl_store_t *st, const char *sql, const char *what, wl_err_t *err)
{
    wl_rc rc = wl_pg_exec(st->pg, what, sql, 0, NULL, NULL, NULL, NULL, err);
    snprintf(st->pg_state, sizeof st->pg_state, "%s", rc ? wl_pg_last_state() : "");
    if (rc) wl_err_prefix(err, "%s: ", st->path);
    return rc;
}

wl_rc wl_store_pg_open(const char *url, wl_store_t **out, wl_err_t *err)
{
    *out = NULL;
    wl_store_t *st = calloc(1, sizeof *st);
    if (!st || !(st->path = redact(url))) {
        free(st);
        wl_err_set(err, "out of memory");
        return WL_ERR_NOMEM;
    }
    st->backend = WL_BACKEND_PG;
    wl_rc rc = wl_pg_connect(url, &st->pg, err);
    if (rc == WL_OK) rc = wl_pg_migrate(st->pg, err);
    /* The store's own tables live in schema wl_store; bookings and seats are shared with the
     * server in public (store_pg_migrations.c), found through the second search_path entry. */
    if (rc == WL_OK) rc = wl_store_pg_exec(st, "SET search_path = wl_store, public", "choosing the schema", err);
    /* Days (figures, retention) are local days as on SQLite, which follows the process's TZ;
     * kiosks and staff run in Europe/Amsterdam when TZ is not set. */
    if (rc == WL_OK) {
        const char *tz = getenv("TZ");
        const char *vals[1] = {tz && *tz ? (tz[0] == ':' ? tz + 1 : tz) : "Europe/Amsterdam"};
        rc = wl_pg_exec(st->pg, "setting the time zone", "SELECT set_config('TimeZone', $1, false)", 1, vals, NULL,
                        NULL, NULL, err);
    }
    if (rc != WL_OK) {
        wl_err_prefix(err, "%s: ", st->path);
        if (st->pg) PQfinish(st->pg);
        free(st->path);
        free(st);
        return rc;
    }
    *out = st;
    return WL_OK;
}

const char *wl_store_anchor(wl_store_t *st)
{
    if (!st) return "(no store)";
    if (st->backend == WL_BACKEND_SQLITE) return st->path;
    return st->anchor ? st->anchor : "(no install key given for the PostgreSQL database)";
}

wl_rc wl_store_use_install_key(wl_store_t *st, const char *key_file, bool create, wl_err_t *err)
{
    static const char suffix[] = "-install.key";
    size_t n = key_file ? strlen(key_file) : 0, sl = sizeof suffix - 1;
    if (!st || st->backend != WL_BACKEND_PG) {
        wl_err_set(err, "an SQLite store keeps its install key beside the file");
        return WL_ERR_STATE;
    }
    if (n <= sl || strcmp(key_file + n - sl, suffix) != 0) {
        wl_err_set(err, "%s: an install key file's name ends in %s", key_file ? key_file : "(none)", suffix);
        return WL_ERR_INVALID;
    }
    char *anchor = strndup(key_file, n - sl);
    if (!anchor) {
        wl_err_set(err, "out of memory");
        return WL_ERR_NOMEM;
    }
    if (!st->key && (sodium_init() < 0 || !(st->key = sodium_malloc(WL_INSTALL_KEY_BYTES)))) {
        free(anchor);
        wl_err_set(err, "out of memory");
        return WL_ERR_NOMEM;
    }
    bool created = false;
    wl_rc rc = wl_install_key_load(anchor, create, st->key, &created, err);
    if (rc != WL_OK) {
        free(anchor);
        return rc;
    }
    free(st->anchor);
    st->anchor = anchor;
    st->has_key = true;
    return WL_OK;
}
