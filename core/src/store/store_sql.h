/* The store's interface for the core subsystems that persist (not for front ends): the SQLite handle, transactions and error mapping. */
#ifndef WL_STORE_SQL_H
#define WL_STORE_SQL_H

#include <sqlite3.h>
#include "wijkloket/store.h"
#include "store/store_stmt.h"

/* "WJKL" in the SQLite header (PRAGMA application_id): a file without it is not ours. */
#define WL_STORE_APPLICATION_ID 0x574A4B4C

/* One schema step. Versions run 1, 2, 3, ... without gaps; see store_migrations.c. */
typedef struct {
    int version;
    const char *description;
    const char *sql; /* constant DDL only, never built from values */
} wl_store_migration_t;

extern const wl_store_migration_t wl_store_migrations[];
extern const size_t wl_store_migration_count;

/* The connection behind a store (borrowed; valid until wl_store_close). Use prepared
 * statements with bound values only. */
sqlite3 *wl_store_db(wl_store_t *st);
/* The path the store was opened with (borrowed), for messages. */
const char *wl_store_path(wl_store_t *st);

/* Turns an SQLite result code into a wl_rc and writes "<path>: <what>: <reason>" to err.
 * Full disk, read-only and unopenable files are WL_ERR_IO; constraint clashes (duplicate
 * key) WL_ERR_CONFLICT; busy/locked, corrupt and foreign files WL_ERR_DB. */
wl_rc wl_store_sqlite_error(wl_store_t *st, int sqlite_rc, const char *what, wl_err_t *err);

/* Prepares one statement (caller finalizes). Errors go through wl_store_sqlite_error. */
wl_rc wl_store_prepare(wl_store_t *st, const char *sql, sqlite3_stmt **out, wl_err_t *err);

/* Sealing on save in C, for PostgreSQL, where no function of ours can run inside the
 * database: the privacy layer (store_seal.c, wl_store_set_seal_key) installs it and
 * wl_store_save_intake calls it on the write path, inside the save transaction, so only the
 * sealed form of answers, personal data and the full result is ever sent. seal: len bytes of
 * JSON text of part kind ("answers", "personal", "result") of record ref -> a new malloc'd
 * blob. clear_result: the clear part of a result's JSON text (a new malloc'd string, NULL on
 * failure). free_ctx: releases ctx when the store closes or another sealer replaces it. */
typedef struct {
    wl_rc (*seal)(void *ctx, wl_store_t *st, const char *ref, const char *kind, const char *text, size_t len,
                  unsigned char **blob, size_t *blob_len, wl_err_t *err);
    char *(*clear_result)(const char *result_text);
    void (*free_ctx)(void *ctx);
    void *ctx;
} wl_store_sealer_t;

/* Installs sealer (copied) on st, releasing the one before; NULL removes it. */
void wl_store_set_sealer(wl_store_t *st, const wl_store_sealer_t *sealer);

/* Test hook: opens like wl_store_open but applies migrations only up to version upto
 * (0 = none, a bare Wijkloket file), so tests can build every earlier schema and then
 * check that wl_store_open upgrades it. Not for production code. */
wl_rc wl_store_open_upto(const char *path, int upto, wl_store_t **out, wl_err_t *err);

/* Where files that belong to the database live, as "<anchor>-install.key" and
 * "<anchor>-audit.head": the database file's path on SQLite; on PostgreSQL the install key
 * file named by wl_store_use_install_key without its "-install.key" (a "(no install key)"
 * placeholder before that). */
const char *wl_store_anchor(wl_store_t *st);

/* The install key (install_key.c) of this database, or NULL when it could not be loaded. */
const unsigned char *wl_store_install_key(wl_store_t *st);
/* Newest audit id when the current outer transaction began. */
int64_t wl_store_audit_floor(wl_store_t *st);
/* Newest audit id this connection wrote a head file for (audit.c). */
int64_t wl_store_head_written(wl_store_t *st);
void wl_store_set_head_written(wl_store_t *st, int64_t id);

/* Audit hooks the store calls (audit.c): the newest entry id (0 when none or no table);
 * chain entries written by this transaction's triggers (before COMMIT); write the
 * authenticated head file after a commit (best effort); start the head of a trail that
 * predates the install key. */
int64_t wl_audit_newest_id(wl_store_t *st);
wl_rc wl_audit_settle(wl_store_t *st, wl_err_t *err);
void wl_audit_write_head(wl_store_t *st);
wl_rc wl_audit_start_head(wl_store_t *st, wl_err_t *err);
/* Parses and checks the text of an audit head file (for the fuzzer). */
wl_rc wl_audit_head_check(const unsigned char *key, const char *text, size_t len, wl_err_t *err);

#endif
