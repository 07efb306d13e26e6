/* Private to the store folder: the handle behind wl_store_t for both backends. */
#ifndef WL_STORE_INTERNAL_H
#define WL_STORE_INTERNAL_H

#include <libpq-fe.h>
#include "store/store_sql.h"
#include "store/store_stmt.h"

#define MAX_TX_DEPTH 32

struct wl_store {
    wl_backend_t backend;
    sqlite3 *db;                    /* WL_BACKEND_SQLITE */
    PGconn *pg;                     /* WL_BACKEND_PG */
    char *path;                     /* file path, or the URL without its password (messages) */
    char *anchor;                   /* PostgreSQL: install key file without "-install.key" */
    int depth;                      /* open wl_store_begin levels */
    bool savepoint[MAX_TX_DEPTH];   /* per level: SAVEPOINT (true) or BEGIN (false) */
    bool has_key;                   /* install key loaded (install_key.c) */
    unsigned char *key;             /* WL_INSTALL_KEY_BYTES, sodium_malloc'd, or NULL */
    int64_t audit_floor;            /* newest audit id when the outer transaction began */
    int64_t head_written;           /* newest audit id this connection wrote a head for */
    bool read_only;                 /* opened by wl_store_open_read: every write is refused */
    bool has_origin;                /* origin_pk set (wl_store_set_origin_public) */
    unsigned char origin_pk[32];    /* the central server's origin public key, pinned here */
    wl_store_sealer_t sealer;       /* PostgreSQL: sealing on save in C (wl_store_set_sealer) */
    /* The last statement stepped on PostgreSQL: its SQLSTATE, message and row count. */
    char pg_state[8];
    char pg_msg[300];
    int64_t pg_changes;
};

/* Opens a PostgreSQL store (store_pg.c): connects, applies the PostgreSQL migrations and
 * points search_path at the store's schema. */
wl_rc wl_store_pg_open(const char *url, wl_store_t **out, wl_err_t *err);
/* Runs constant SQL on a PostgreSQL store, keeping its error for wl_store_step_error. */
wl_rc wl_store_pg_exec(wl_store_t *st, const char *sql, const char *what, wl_err_t *err);

#endif
