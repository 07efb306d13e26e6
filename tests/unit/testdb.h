/* The database a store test runs on: a file in its temp folder, or PostgreSQL when WL_TEST_DB is set.
 * tests/unit/pg_backend.sh starts a private cluster, sets WL_TEST_DB to its URL and runs the
 * store, appointments and event tests again, so one test body checks both backends. */
#ifndef WL_TESTDB_H
#define WL_TESTDB_H

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include "wijkloket/store.h"

/* The setting to open: WL_TEST_DB when set, else file (a path in the test's temp folder). */
static inline const char *testdb_setting(const char *file)
{
    const char *db = getenv("WL_TEST_DB");
    return db && *db ? db : file;
}

static inline int testdb_is_pg(void)
{
    const char *db = getenv("WL_TEST_DB");
    return db && *db;
}

/* A fresh start for the next test: on PostgreSQL every Wijkloket table goes (the next
 * wl_store_open migrates again); a file test starts from its own new folder anyway. Returns
 * 0 on success. */
static inline int testdb_reset(void)
{
    if (!testdb_is_pg()) return 0;
    PGconn *c = PQconnectdb(getenv("WL_TEST_DB"));
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "testdb: %s", PQerrorMessage(c));
        PQfinish(c);
        return -1;
    }
    PGresult *r = PQexec(c, "SET client_min_messages = warning; DROP SCHEMA IF EXISTS wl_store CASCADE; "
                            "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
    int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) fprintf(stderr, "testdb: %s", PQresultErrorMessage(r));
    PQclear(r);
    PQfinish(c);
    return ok ? 0 : -1;
}

/* Opens the test's store: the file, or the reset PostgreSQL database with an install key in
 * dir (as every writer of a central database names one; wl_store_use_install_key). */
static inline wl_rc testdb_open(const char *file, const char *dir, wl_store_t **st, wl_err_t *err)
{
    if (!testdb_is_pg()) return wl_store_open(file, st, err);
    if (testdb_reset() != 0) return WL_ERR_DB;
    wl_rc rc = wl_store_open(testdb_setting(file), st, err);
    if (rc != WL_OK) return rc;
    char key[600];
    snprintf(key, sizeof key, "%s/central-install.key", dir);
    rc = wl_store_use_install_key(*st, key, true, err);
    if (rc != WL_OK) {
        wl_store_close(*st);
        *st = NULL;
    }
    return rc;
}

#endif
