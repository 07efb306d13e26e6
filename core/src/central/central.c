/* The central store's connection: connect, migrate, statement helpers, and a connection pool. */
#include "central/central_internal.h"
#include "store/store_pg.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

wl_rc wl_pq_exec(wl_central_t *c, const char *what, const char *sql, int n, const char *const *vals,
                 const int *lens, const int *binary, PGresult **res, wl_err_t *err)
{
    return wl_pg_exec(c->conn, what, sql, n, vals, lens, binary, res, err);
}

const char *wl_pq_last_state(wl_central_t *c)
{
    (void)c;
    return wl_pg_last_state();
}

const char *wl_pq_i64(char *buf, int64_t v)
{
    return wl_pg_i64(buf, v);
}

int64_t wl_pq_get_i64(const PGresult *r, int row, int col)
{
    return wl_pg_get_i64(r, row, col);
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

/* The schema is the one PostgreSQL migration list the store's backend owns
 * (store/store_pg_migrations.c): the server's tables and the core store's, one version. */
int wl_central_latest_version(void)
{
    return wl_pg_latest_version();
}

int wl_central_schema_version(wl_central_t *c)
{
    return wl_pg_schema_version(c->conn);
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
    wl_rc rc = wl_pg_connect(conninfo, &c->conn, err);
    if (rc) {
        wl_central_close(c);
        return rc;
    }
    if (migrate_now) rc = wl_pg_migrate(c->conn, err);
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
    sodium_memzero(c->origin_sk, sizeof c->origin_sk);
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

void wl_central_pool_set_origin_key(wl_central_pool_t *p, const unsigned char sk[WL_CENTRAL_ORIGIN_SECRET_BYTES])
{
    for (int i = 0; i < p->size; i++) wl_central_set_origin_key(p->all[i], sk);
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
