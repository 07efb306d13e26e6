/* Statements on either store backend: SQL written once with ?1..?N, run on SQLite or PostgreSQL. */
#ifndef WL_STORE_STMT_H
#define WL_STORE_STMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "wijkloket/store.h"

/* The backend wl_store_open chose from the database setting: a file path is SQLite, a
 * postgresql:// (or postgres://) URL is PostgreSQL. */
typedef enum { WL_BACKEND_SQLITE = 1, WL_BACKEND_PG = 2 } wl_backend_t;
wl_backend_t wl_store_backend(wl_store_t *st);
/* True when setting names a PostgreSQL database rather than a file. */
bool wl_store_setting_is_pg(const char *setting);

/* A prepared statement. The SQL uses SQLite's numbered placeholders ?1..?N (each number may
 * appear more than once); on PostgreSQL they become $1..$N outside string literals. Write SQL
 * both dialects accept (INSERT ... ON CONFLICT, RETURNING, coalesce, substr); where they differ,
 * branch on wl_store_backend. Values are always bound, never spliced into the text. */
typedef struct wl_stmt wl_stmt_t;

/* What wl_stmt_step returns: WL_ROW for a row, WL_DONE at the end, anything else is an error
 * to hand to wl_store_step_error (the same numbers as SQLite's, so SQLite codes pass through). */
#define WL_ROW 100
#define WL_DONE 101

wl_rc wl_stmt_prepare(wl_store_t *st, const char *sql, wl_stmt_t **out, wl_err_t *err);
/* Binding copies the value. Text NULL binds SQL NULL. */
void wl_stmt_text(wl_stmt_t *q, int i, const char *v);
void wl_stmt_int(wl_stmt_t *q, int i, int64_t v);
void wl_stmt_null(wl_stmt_t *q, int i);
void wl_stmt_blob(wl_stmt_t *q, int i, const void *data, size_t len);
int wl_stmt_step(wl_stmt_t *q);
/* Runs the statement again from the start with the same bound values (rebind as needed). */
void wl_stmt_reset(wl_stmt_t *q);
/* Columns of the current row (valid until the next step, reset or finalize). */
bool wl_stmt_col_null(wl_stmt_t *q, int i);
const char *wl_stmt_col_text(wl_stmt_t *q, int i); /* NULL for SQL NULL */
int64_t wl_stmt_col_int(wl_stmt_t *q, int i);     /* 0 for SQL NULL */
const void *wl_stmt_col_blob(wl_stmt_t *q, int i);
int wl_stmt_col_bytes(wl_stmt_t *q, int i);
void wl_stmt_finalize(wl_stmt_t *q);

/* The error of a failed wl_stmt_step (code is what it returned) as a wl_rc with
 * "<db>: <what>: <reason>" in err, mapped alike on both backends: unique/primary key clash
 * WL_ERR_CONFLICT, other constraint WL_ERR_INVALID, full disk WL_ERR_IO, else WL_ERR_DB. */
wl_rc wl_store_step_error(wl_store_t *st, int code, const char *what, wl_err_t *err);
/* True when the last failed step broke a CHECK constraint (a full slot, say). */
bool wl_store_failed_check(wl_store_t *st, int code);
/* Rows inserted, updated or deleted by the last statement stepped on st. */
int64_t wl_store_changes(wl_store_t *st);
/* Runs constant SQL (no values) such as DDL; several statements allowed. */
wl_rc wl_store_exec(wl_store_t *st, const char *sql, const char *what, wl_err_t *err);
/* A read snapshot for a walk over many statements while others keep writing: true when it
 * began one (end it with wl_store_read_end), false when a transaction was already open. */
bool wl_store_read_begin(wl_store_t *st);
void wl_store_read_end(wl_store_t *st);
/* For purges: deleted content overwritten on SQLite (PRAGMA secure_delete; PostgreSQL's
 * VACUUM reclaims dead rows, see docs/storage.md), and foreign keys checked at commit rather
 * than per statement inside the current transaction. */
void wl_store_secure_delete(wl_store_t *st);
void wl_store_defer_foreign_keys(wl_store_t *st);
/* Runs a query whose first row's first column is an integer. */
wl_rc wl_store_query_int(wl_store_t *st, const char *sql, int64_t *out, wl_err_t *err);

/* Transactions. wl_store_begin starts BEGIN IMMEDIATE on SQLite (the write lock is taken up
 * front, so a busy database fails here after the busy timeout rather than half way) and BEGIN
 * (READ COMMITTED; row locks and constraints carry the guarantees) on PostgreSQL. When a
 * transaction is already open it nests with a SAVEPOINT instead, so a caller can group
 * several saves (say a booking and its intake) into one atomic unit.
 * wl_store_commit ends the innermost level. At the outermost level it is the "commit durably"
 * step: it returns WL_OK only after SQLite's COMMIT returned SQLITE_OK, which with
 * synchronous=FULL in WAL mode means the WAL was fsynced. On failure it rolls back, so
 * nothing half-written stays behind. wl_store_rollback undoes the innermost level and never
 * fails loudly (it is the cleanup path). */
wl_rc wl_store_begin(wl_store_t *st, wl_err_t *err);
wl_rc wl_store_commit(wl_store_t *st, wl_err_t *err);
void wl_store_rollback(wl_store_t *st);

/* Runs fn(st, ctx, err) inside wl_store_begin/commit; any rc other than WL_OK from fn rolls
 * back and is returned unchanged. */
typedef wl_rc (*wl_store_tx_fn)(wl_store_t *st, void *ctx, wl_err_t *err);
wl_rc wl_store_tx(wl_store_t *st, wl_store_tx_fn fn, void *ctx, wl_err_t *err);

#endif
