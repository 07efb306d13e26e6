/* Statements on either backend: SQLite directly, PostgreSQL through libpq with ?N turned into $N. */
#include "store/store_internal.h"
#include "store/store_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(WL_ROW == SQLITE_ROW && WL_DONE == SQLITE_DONE, "step codes follow SQLite's");

/* A failed PostgreSQL step returns this (never an SQLite code's meaning: the store knows its
 * backend); the details are on the store (pg_state, pg_msg). */
#define WL_PG_STEP_ERROR 1

#define PG_MAX_PARAMS 32
/* Declaring each value's type lets "?1 IS NULL OR ref = ?1" work: PostgreSQL cannot infer a
 * type from IS NULL alone. */
#define PG_TEXT 25
#define PG_INT8 20
#define PG_BYTEA 17
#define PG_MAX_COLS 32

struct wl_stmt {
    wl_store_t *st;
    sqlite3_stmt *sq;
    /* PostgreSQL */
    char *sql;                       /* with $N placeholders */
    int nparams;
    char *vals[PG_MAX_PARAMS];
    int lens[PG_MAX_PARAMS];
    int fmts[PG_MAX_PARAMS];         /* 1: binary (blobs) */
    Oid types[PG_MAX_PARAMS];        /* as bound: text, int8, bytea; 0 (inferred) for wl_stmt_null */
    PGresult *res;
    bool ran;
    int row, nrows;
    unsigned char *blob[PG_MAX_COLS]; /* decoded bytea of the current row */
    size_t blob_len[PG_MAX_COLS];
};

wl_backend_t wl_store_backend(wl_store_t *st)
{
    return st ? st->backend : WL_BACKEND_SQLITE;
}

/* ?N to $N outside quoted text; returns the highest N, or -1 when above PG_MAX_PARAMS. */
static int translate(const char *in, char *out)
{
    int max = 0;
    char quote = 0;
    while (*in) {
        char c = *in;
        if (quote) {
            if (c == quote) quote = 0;
            *out++ = *in++;
        } else if (c == '\'' || c == '"') {
            quote = c;
            *out++ = *in++;
        } else if (c == '?' && in[1] >= '0' && in[1] <= '9') {
            int n = (int)strtol(in + 1, (char **)&in, 10);
            if (n > max) max = n;
            out += sprintf(out, "$%d", n);
        } else {
            *out++ = *in++;
        }
    }
    *out = 0;
    return max > PG_MAX_PARAMS ? -1 : max;
}

wl_rc wl_stmt_prepare(wl_store_t *st, const char *sql, wl_stmt_t **out, wl_err_t *err)
{
    *out = NULL;
    if (!st || (!st->db && !st->pg)) {
        wl_err_set(err, "store: no open database");
        return WL_ERR_STATE;
    }
    wl_stmt_t *q = calloc(1, sizeof *q);
    if (!q) {
        wl_err_set(err, "%s: out of memory", st->path);
        return WL_ERR_NOMEM;
    }
    q->st = st;
    if (st->backend == WL_BACKEND_SQLITE) {
        wl_rc rc = wl_store_prepare(st, sql, &q->sq, err);
        if (rc) {
            free(q);
            return rc;
        }
        *out = q;
        return WL_OK;
    }
    /* "$NN" is at most one character longer than "?NN". */
    q->sql = malloc(strlen(sql) * 2 + 1);
    if (!q->sql) {
        free(q);
        wl_err_set(err, "%s: out of memory", st->path);
        return WL_ERR_NOMEM;
    }
    q->nparams = translate(sql, q->sql);
    /* A value never bound is NULL, as on SQLite; typed text so "?1 IS NULL" still works. */
    for (int i = 0; i < PG_MAX_PARAMS; i++) q->types[i] = PG_TEXT;
    if (q->nparams < 0) {
        free(q->sql);
        free(q);
        wl_err_set(err, "%s: a statement with more than %d values", st->path, PG_MAX_PARAMS);
        return WL_ERR_STATE;
    }
    *out = q;
    return WL_OK;
}


static void set_val(wl_stmt_t *q, int i, char *v, int len, int fmt, Oid type)
{
    if (i < 1 || i > q->nparams) {
        free(v);
        return;
    }
    free(q->vals[i - 1]);
    q->vals[i - 1] = v;
    q->lens[i - 1] = len;
    q->fmts[i - 1] = fmt;
    q->types[i - 1] = type;
}

void wl_stmt_text(wl_stmt_t *q, int i, const char *v)
{
    if (q->sq) {
        if (v) sqlite3_bind_text(q->sq, i, v, -1, SQLITE_TRANSIENT);
        else sqlite3_bind_null(q->sq, i);
        return;
    }
    set_val(q, i, v ? strdup(v) : NULL, 0, 0, PG_TEXT);
}

void wl_stmt_int(wl_stmt_t *q, int i, int64_t v)
{
    if (q->sq) {
        sqlite3_bind_int64(q->sq, i, v);
        return;
    }
    char buf[24];
    set_val(q, i, strdup(wl_pg_i64(buf, v)), 0, 0, PG_INT8);
}

void wl_stmt_null(wl_stmt_t *q, int i)
{
    if (q->sq) sqlite3_bind_null(q->sq, i);
    else set_val(q, i, NULL, 0, 0, 0);
}

void wl_stmt_blob(wl_stmt_t *q, int i, const void *data, size_t len)
{
    if (q->sq) {
        sqlite3_bind_blob(q->sq, i, data, (int)len, SQLITE_TRANSIENT);
        return;
    }
    char *copy = malloc(len ? len : 1);
    if (copy && len) memcpy(copy, data, len);
    set_val(q, i, copy, (int)len, 1, PG_BYTEA);
}

static void clear_row(wl_stmt_t *q)
{
    for (int c = 0; c < PG_MAX_COLS; c++) {
        free(q->blob[c]);
        q->blob[c] = NULL;
        q->blob_len[c] = 0;
    }
}

int wl_stmt_step(wl_stmt_t *q)
{
    if (q->sq) return sqlite3_step(q->sq);
    wl_store_t *st = q->st;
    clear_row(q);
    if (!q->ran) {
        q->ran = true;
        wl_err_t e = {{0}};
        wl_rc rc = wl_pg_exec_typed(st->pg, "", q->sql, q->nparams, q->types, (const char *const *)q->vals, q->lens,
                                    q->fmts, &q->res, &e);
        if (rc) {
            snprintf(st->pg_state, sizeof st->pg_state, "%s", wl_pg_last_state());
            /* e.msg is ": reason" (what was empty) */
            const char *m = e.msg[0] == ':' ? e.msg + 2 : e.msg;
            size_t n = strnlen(m, sizeof st->pg_msg - 1);
            memcpy(st->pg_msg, m, n);
            st->pg_msg[n] = 0;
            st->pg_changes = 0;
            return WL_PG_STEP_ERROR;
        }
        st->pg_state[0] = 0;
        const char *n = PQcmdTuples(q->res);
        st->pg_changes = n && *n ? strtoll(n, NULL, 10) : 0;
        q->nrows = PQresultStatus(q->res) == PGRES_TUPLES_OK ? PQntuples(q->res) : 0;
        q->row = -1;
    }
    if (q->row + 1 < q->nrows) {
        q->row++;
        return WL_ROW;
    }
    q->row = q->nrows;
    return WL_DONE;
}

void wl_stmt_reset(wl_stmt_t *q)
{
    if (q->sq) {
        sqlite3_reset(q->sq);
        return;
    }
    clear_row(q);
    PQclear(q->res);
    q->res = NULL;
    q->ran = false;
}

static bool pg_row(wl_stmt_t *q, int i)
{
    return q->res && q->row >= 0 && q->row < q->nrows && i >= 0 && i < PQnfields(q->res);
}

bool wl_stmt_col_null(wl_stmt_t *q, int i)
{
    if (q->sq) return sqlite3_column_type(q->sq, i) == SQLITE_NULL;
    return !pg_row(q, i) || PQgetisnull(q->res, q->row, i);
}

const char *wl_stmt_col_text(wl_stmt_t *q, int i)
{
    if (q->sq) return (const char *)sqlite3_column_text(q->sq, i);
    if (wl_stmt_col_null(q, i)) return NULL;
    /* bytea comes as hex text; callers that store text in a blob column read it as a blob */
    if (PQftype(q->res, i) == 17) return (const char *)wl_stmt_col_blob(q, i);
    return PQgetvalue(q->res, q->row, i);
}

int64_t wl_stmt_col_int(wl_stmt_t *q, int i)
{
    if (q->sq) return sqlite3_column_int64(q->sq, i);
    if (wl_stmt_col_null(q, i)) return 0;
    const char *v = PQgetvalue(q->res, q->row, i);
    if (v[0] == 't' && !v[1]) return 1; /* boolean */
    if (v[0] == 'f' && !v[1]) return 0;
    return strtoll(v, NULL, 10);
}

/* Decodes bytea of column i once per row, NUL-terminated so text stored as bytes reads too. */
static void pg_blob(wl_stmt_t *q, int i)
{
    if (i < 0 || i >= PG_MAX_COLS || q->blob[i] || wl_stmt_col_null(q, i)) return;
    const char *v = PQgetvalue(q->res, q->row, i);
    if (PQftype(q->res, i) != 17) {
        size_t n = strlen(v);
        q->blob[i] = malloc(n + 1);
        if (!q->blob[i]) return;
        memcpy(q->blob[i], v, n + 1);
        q->blob_len[i] = n;
        return;
    }
    size_t n = 0;
    unsigned char *raw = PQunescapeBytea((const unsigned char *)v, &n);
    if (!raw) return;
    /* one more byte for the terminator: copy into a buffer we own */
    unsigned char *buf = malloc(n + 1);
    if (buf) {
        memcpy(buf, raw, n);
        buf[n] = 0;
    }
    PQfreemem(raw);
    q->blob[i] = buf;
    q->blob_len[i] = buf ? n : 0;
}

const void *wl_stmt_col_blob(wl_stmt_t *q, int i)
{
    if (q->sq) return sqlite3_column_blob(q->sq, i);
    pg_blob(q, i);
    return i >= 0 && i < PG_MAX_COLS ? q->blob[i] : NULL;
}

int wl_stmt_col_bytes(wl_stmt_t *q, int i)
{
    if (q->sq) return sqlite3_column_bytes(q->sq, i);
    pg_blob(q, i);
    return i >= 0 && i < PG_MAX_COLS ? (int)q->blob_len[i] : 0;
}

void wl_stmt_finalize(wl_stmt_t *q)
{
    if (!q) return;
    if (q->sq) sqlite3_finalize(q->sq);
    for (int c = 0; c < PG_MAX_COLS; c++) free(q->blob[c]);
    PQclear(q->res);
    for (int i = 0; i < PG_MAX_PARAMS; i++) free(q->vals[i]);
    free(q->sql);
    free(q);
}

wl_rc wl_store_step_error(wl_store_t *st, int code, const char *what, wl_err_t *err)
{
    if (!st || st->backend == WL_BACKEND_SQLITE) return wl_store_sqlite_error(st, code, what, err);
    const char *s = st->pg_state;
    if (strcmp(s, "23505") == 0) {
        wl_err_set(err, "%s: %s: already exists (%s)", st->path, what, st->pg_msg);
        return WL_ERR_CONFLICT;
    }
    if (strncmp(s, "23", 2) == 0) {
        wl_err_set(err, "%s: %s: value not allowed (%s)", st->path, what, st->pg_msg);
        return WL_ERR_INVALID;
    }
    if (strcmp(s, "53100") == 0) {
        wl_err_set(err, "%s: %s: the database server's disk is full (%s); nothing of this step was saved", st->path,
                   what, st->pg_msg);
        return WL_ERR_IO;
    }
    if (strncmp(s, "08", 2) == 0) {
        wl_err_set(err, "%s: %s: the database cannot be reached (%s)", st->path, what, st->pg_msg);
        return WL_ERR_DB;
    }
    wl_err_set(err, "%s: %s: %s", st->path, what, st->pg_msg[0] ? st->pg_msg : "database error");
    return WL_ERR_DB;
}

bool wl_store_failed_check(wl_store_t *st, int code)
{
    if (!st) return false;
    if (st->backend == WL_BACKEND_PG) return code == WL_PG_STEP_ERROR && strcmp(st->pg_state, "23514") == 0;
    return (code & 0xff) == SQLITE_CONSTRAINT && sqlite3_extended_errcode(st->db) == SQLITE_CONSTRAINT_CHECK;
}

int64_t wl_store_changes(wl_store_t *st)
{
    if (!st) return 0;
    return st->backend == WL_BACKEND_PG ? st->pg_changes : sqlite3_changes(st->db);
}

wl_rc wl_store_exec(wl_store_t *st, const char *sql, const char *what, wl_err_t *err)
{
    if (!st || (!st->db && !st->pg)) {
        wl_err_set(err, "store: no open database");
        return WL_ERR_STATE;
    }
    if (st->backend == WL_BACKEND_PG) return wl_store_pg_exec(st, sql, what, err);
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? WL_OK : wl_store_sqlite_error(st, rc, what, err);
}

wl_rc wl_store_query_int(wl_store_t *st, const char *sql, int64_t *out, wl_err_t *err)
{
    wl_stmt_t *q;
    wl_rc rc = wl_stmt_prepare(st, sql, &q, err);
    if (rc) return rc;
    int s = wl_stmt_step(q);
    if (s == WL_ROW) *out = wl_stmt_col_int(q, 0);
    else if (s == WL_DONE) {
        wl_err_set(err, "%s: %s: no row", st->path, sql);
        rc = WL_ERR_DB;
    } else {
        rc = wl_store_step_error(st, s, sql, err);
    }
    wl_stmt_finalize(q);
    return rc;
}

bool wl_store_read_begin(wl_store_t *st)
{
    if (st->backend == WL_BACKEND_PG) {
        if (PQtransactionStatus(st->pg) != PQTRANS_IDLE) return false;
        return wl_store_exec(st, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "starting a read", NULL) == WL_OK;
    }
    return sqlite3_get_autocommit(st->db) && sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

void wl_store_read_end(wl_store_t *st)
{
    if (st->backend == WL_BACKEND_PG) {
        if (PQtransactionStatus(st->pg) != PQTRANS_IDLE) PQclear(PQexec(st->pg, "COMMIT"));
        return;
    }
    if (!sqlite3_get_autocommit(st->db)) sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
}

void wl_store_secure_delete(wl_store_t *st)
{
    if (st->backend == WL_BACKEND_SQLITE) sqlite3_exec(st->db, "PRAGMA secure_delete = ON", NULL, NULL, NULL);
}

void wl_store_defer_foreign_keys(wl_store_t *st)
{
    if (st->backend == WL_BACKEND_SQLITE) sqlite3_exec(st->db, "PRAGMA defer_foreign_keys = ON", NULL, NULL, NULL);
    else PQclear(PQexec(st->pg, "SET CONSTRAINTS ALL DEFERRED"));
}
