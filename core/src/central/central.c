/* The central store's connection: connect, migrate, statement helpers, and a connection pool. */
#include "central/central_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Any fixed number ("WJKL"): the advisory lock that serialises migrations between servers. */
#define WL_CENTRAL_MIGRATE_LOCK "1464552268"

static char g_state_none[1] = "";
static __thread char g_last_state[8];

const char *wl_pq_i64(char *buf, int64_t v)
{
    snprintf(buf, 24, "%lld", (long long)v);
    return buf;
}

int64_t wl_pq_get_i64(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col)) return 0;
    return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

const char *wl_pq_last_state(wl_central_t *c)
{
    (void)c;
    return g_last_state[0] ? g_last_state : g_state_none;
}

static void trim_newline(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == '\n' || s[n - 1] == ' ')) s[--n] = 0;
}

wl_rc wl_pq_exec(wl_central_t *c, const char *what, const char *sql, int n, const char *const *vals,
                 const int *lens, const int *binary, PGresult **res, wl_err_t *err)
{
    if (res) *res = NULL;
    g_last_state[0] = 0;
    if (PQstatus(c->conn) != CONNECTION_OK) {
        /* The server restarted or the network dropped: try once to come back. */
        PQreset(c->conn);
        if (PQstatus(c->conn) != CONNECTION_OK) {
            char m[256];
            snprintf(m, sizeof m, "%s", PQerrorMessage(c->conn));
            trim_newline(m);
            wl_err_set(err, "%s: the database cannot be reached: %s", what, m);
            return WL_ERR_DB;
        }
    }
    /* Without parameters the text may hold several statements (migrations): simple protocol. */
    PGresult *r = n == 0 ? PQexec(c->conn, sql) : PQexecParams(c->conn, sql, n, NULL, vals, lens, binary, 0);
    ExecStatusType s = PQresultStatus(r);
    if (s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK) {
        if (res) *res = r;
        else PQclear(r);
        return WL_OK;
    }
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    snprintf(g_last_state, sizeof g_last_state, "%s", state ? state : "");
    char m[300];
    snprintf(m, sizeof m, "%s", r ? PQresultErrorMessage(r) : PQerrorMessage(c->conn));
    trim_newline(m);
    PQclear(r);
    wl_err_set(err, "%s: %s", what, m);
    /* state pointed into r, which is freed: compare the copy. */
    if (strcmp(g_last_state, "23505") == 0 || strcmp(g_last_state, "23514") == 0) return WL_ERR_CONFLICT;
    return WL_ERR_DB;
}

wl_rc wl_pq_begin(wl_central_t *c, wl_err_t *err)
{
    return wl_pq_exec(c, "starting a transaction", "BEGIN", 0, NULL, NULL, NULL, NULL, err);
}

wl_rc wl_pq_commit(wl_central_t *c, wl_err_t *err)
{
    wl_rc rc = wl_pq_exec(c, "committing", "COMMIT", 0, NULL, NULL, NULL, NULL, err);
    if (rc) wl_pq_rollback(c);
    return rc;
}

void wl_pq_rollback(wl_central_t *c)
{
    if (PQstatus(c->conn) != CONNECTION_OK) return;
    PQclear(PQexec(c->conn, "ROLLBACK"));
}

int wl_central_latest_version(void)
{
    return wl_central_migrations[wl_central_migration_count - 1].version;
}

int wl_central_schema_version(wl_central_t *c)
{
    PGresult *r;
    if (wl_pq_exec(c, "reading the schema version", "SELECT coalesce(max(version), 0) FROM schema_migrations",
                   0, NULL, NULL, NULL, &r, NULL))
        return -1;
    int v = (int)wl_pq_get_i64(r, 0, 0);
    PQclear(r);
    return v;
}

static wl_rc migrate(wl_central_t *c, wl_err_t *err)
{
    wl_rc rc = wl_pq_exec(c, "preparing migrations",
                          "CREATE TABLE IF NOT EXISTS schema_migrations ("
                          " version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
                          0, NULL, NULL, NULL, NULL, err);
    /* Two servers creating the table at once: the loser sees a unique violation; harmless. */
    if (rc == WL_ERR_CONFLICT) rc = WL_OK;
    if (rc) return rc;
    if ((rc = wl_pq_exec(c, "locking for migrations", "SELECT pg_advisory_lock(" WL_CENTRAL_MIGRATE_LOCK ")", 0, NULL, NULL,
                         NULL, NULL, err)))
        return rc;
    int have = wl_central_schema_version(c);
    if (have < 0) {
        wl_err_set(err, "cannot read schema_migrations");
        rc = WL_ERR_DB;
    } else if (have > wl_central_latest_version()) {
        wl_err_set(err, "the database has schema version %d, newer than this build knows (%d); upgrade the server",
                   have, wl_central_latest_version());
        rc = WL_ERR_DB;
    }
    for (size_t i = 0; rc == WL_OK && i < wl_central_migration_count; i++) {
        const wl_central_migration_t *m = &wl_central_migrations[i];
        if (m->version <= have) continue;
        char v[24];
        const char *vals[2] = {wl_pq_i64(v, m->version), m->description};
        if ((rc = wl_pq_begin(c, err))) break;
        rc = wl_pq_exec(c, "applying a migration", m->sql, 0, NULL, NULL, NULL, NULL, err);
        if (!rc)
            rc = wl_pq_exec(c, "recording a migration",
                            "INSERT INTO schema_migrations (version, description) VALUES ($1::int, $2)", 2, vals,
                            NULL, NULL, NULL, err);
        if (rc) {
            wl_pq_rollback(c);
            wl_err_prefix(err, "migration %d (%s): ", m->version, m->description);
            break;
        }
        rc = wl_pq_commit(c, err);
    }
    wl_err_t ignore;
    wl_pq_exec(c, "unlocking", "SELECT pg_advisory_unlock(" WL_CENTRAL_MIGRATE_LOCK ")", 0, NULL, NULL, NULL, NULL, &ignore);
    return rc;
}

wl_rc wl_central_open(const char *conninfo, bool migrate_now, wl_central_t **out, wl_err_t *err)
{
    *out = NULL;
    wl_central_t *c = calloc(1, sizeof *c);
    if (!c || !(c->conninfo = strdup(conninfo))) {
        free(c);
        wl_err_set(err, "out of memory");
        return WL_ERR_NOMEM;
    }
    c->conn = PQconnectdb(conninfo);
    if (PQstatus(c->conn) != CONNECTION_OK) {
        char m[300];
        snprintf(m, sizeof m, "%s", PQerrorMessage(c->conn));
        trim_newline(m);
        wl_err_set(err, "cannot connect to the database: %s", m);
        wl_central_close(c);
        return WL_ERR_DB;
    }
    /* Quiet NOTICEs (CREATE TABLE IF NOT EXISTS ...) so they do not land on stderr. */
    PQclear(PQexec(c->conn, "SET client_min_messages = warning"));
    wl_rc rc = WL_OK;
    if (migrate_now) rc = migrate(c, err);
    else {
        int v = wl_central_schema_version(c);
        if (v != wl_central_latest_version()) {
            wl_err_set(err, "the database has schema version %d, this build needs %d: run `wijkloket-server migrate`",
                       v, wl_central_latest_version());
            rc = WL_ERR_DB;
        }
    }
    if (rc) {
        wl_central_close(c);
        return rc;
    }
    *out = c;
    return WL_OK;
}

void wl_central_close(wl_central_t *c)
{
    if (!c) return;
    if (c->conn) PQfinish(c->conn);
    free(c->conninfo);
    free(c);
}

bool wl_central_ping(wl_central_t *c)
{
    wl_err_t e;
    return wl_pq_exec(c, "ping", "SELECT 1", 0, NULL, NULL, NULL, NULL, &e) == WL_OK;
}

/* ---- pool ---- */

struct wl_central_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    wl_central_t **all;
    wl_central_t **free_list;
    int size, nfree;
};

wl_rc wl_central_pool_new(const char *conninfo, int size, wl_central_pool_t **out, wl_err_t *err)
{
    *out = NULL;
    if (size < 1) size = 1;
    wl_central_pool_t *p = calloc(1, sizeof *p);
    if (!p || !(p->all = calloc((size_t)size, sizeof *p->all)) ||
        !(p->free_list = calloc((size_t)size, sizeof *p->free_list))) {
        if (p) free(p->all);
        free(p);
        wl_err_set(err, "out of memory");
        return WL_ERR_NOMEM;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    for (int i = 0; i < size; i++) {
        wl_rc rc = wl_central_open(conninfo, false, &p->all[i], err);
        if (rc) {
            p->size = i;
            wl_central_pool_free(p);
            return rc;
        }
        p->free_list[p->nfree++] = p->all[i];
    }
    p->size = size;
    *out = p;
    return WL_OK;
}

wl_central_t *wl_central_pool_acquire(wl_central_pool_t *p)
{
    pthread_mutex_lock(&p->mu);
    while (p->nfree == 0) pthread_cond_wait(&p->cv, &p->mu);
    wl_central_t *c = p->free_list[--p->nfree];
    pthread_mutex_unlock(&p->mu);
    return c;
}

void wl_central_pool_release(wl_central_pool_t *p, wl_central_t *c)
{
    /* A transaction left open by an error path must not leak into the next request. */
    if (PQtransactionStatus(c->conn) != PQTRANS_IDLE) wl_pq_rollback(c);
    pthread_mutex_lock(&p->mu);
    p->free_list[p->nfree++] = c;
    pthread_cond_signal(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

void wl_central_pool_free(wl_central_pool_t *p)
{
    if (!p) return;
    for (int i = 0; i < p->size; i++) wl_central_close(p->all[i]);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    free(p->all);
    free(p->free_list);
    free(p);
}
