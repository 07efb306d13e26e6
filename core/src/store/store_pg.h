/* libpq helpers shared by the store's PostgreSQL backend and the central server store: connect, run, migrate. */
#ifndef WL_STORE_PG_H
#define WL_STORE_PG_H

#include <libpq-fe.h>
#include "wijkloket/common.h"

/* One schema step of the PostgreSQL database (store_pg_migrations.c). */
typedef struct {
    int version;
    const char *description;
    const char *sql; /* constant DDL only */
} wl_pg_migration_t;

extern const wl_pg_migration_t wl_pg_migrations[];
extern const size_t wl_pg_migration_count;

/* Connects to conninfo (URL or key=value); NOTICEs quietened. WL_ERR_DB with libpq's reason. */
wl_rc wl_pg_connect(const char *conninfo, PGconn **out, wl_err_t *err);
/* Runs sql with n parameters (NULL value = SQL NULL; lens/binary may be NULL for all text).
 * On success *res (may be NULL to discard) holds the result (caller PQclear). An error becomes
 * a wl_rc through its SQLSTATE: unique or check violation WL_ERR_CONFLICT, anything else
 * WL_ERR_DB, with "what: reason" in err; the SQLSTATE is kept (wl_pg_last_state). A broken
 * connection is reset once before the statement. */
wl_rc wl_pg_exec(PGconn *conn, const char *what, const char *sql, int n, const char *const *vals, const int *lens,
                 const int *binary, PGresult **res, wl_err_t *err);
/* The same with parameter types (NULL or 0 entries: PostgreSQL infers them). */
wl_rc wl_pg_exec_typed(PGconn *conn, const char *what, const char *sql, int n, const Oid *types,
                       const char *const *vals, const int *lens, const int *binary, PGresult **res, wl_err_t *err);
/* The SQLSTATE of this thread's last failed wl_pg_exec ("" when none). */
const char *wl_pg_last_state(void);
/* Applies every pending step of wl_pg_migrations, each in its own transaction, under an
 * advisory lock so two processes starting at once do not race. A newer schema: WL_ERR_DB. */
wl_rc wl_pg_migrate(PGconn *conn, wl_err_t *err);
/* Version in the database (0 for none, -1 on error) and the newest this build knows. */
int wl_pg_schema_version(PGconn *conn);
int wl_pg_latest_version(void);
/* int64 to decimal text in buf (at least 24 bytes); returns buf. */
const char *wl_pg_i64(char *buf, int64_t v);
int64_t wl_pg_get_i64(const PGresult *r, int row, int col);

#endif
