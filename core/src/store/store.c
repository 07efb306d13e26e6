/* The store: opens and migrates the database (an SQLite file, or PostgreSQL through store_pg.c), transactions, and intakes saved and read durably. */
#include "store/store_internal.h"
#include "store/store_pg.h"
#include "store/install_key.h"
#include <sodium.h>
#include "wijkloket/refcode.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 5000

const unsigned char *wl_store_install_key(wl_store_t *st) { return st && st->has_key ? st->key : NULL; }
int64_t wl_store_audit_floor(wl_store_t *st) { return st ? st->audit_floor : 0; }

void wl_store_set_origin_public(wl_store_t *st, const unsigned char pk[32])
{
    memcpy(st->origin_pk, pk, sizeof st->origin_pk);
    st->has_origin = true;
}

const unsigned char *wl_store_origin_public(wl_store_t *st) { return st && st->has_origin ? st->origin_pk : NULL; }
int64_t wl_store_head_written(wl_store_t *st) { return st ? st->head_written : 0; }
void wl_store_set_head_written(wl_store_t *st, int64_t id) { if (st) st->head_written = id; }

sqlite3 *wl_store_db(wl_store_t *st) { return st ? st->db : NULL; }
const char *wl_store_path(wl_store_t *st) { return st ? st->path : "(no store)"; }

int wl_store_latest_version(void)
{
    return (int)wl_store_migration_count;
}

wl_rc wl_store_sqlite_error(wl_store_t *st, int sqlite_rc, const char *what, wl_err_t *err)
{
    const char *path = wl_store_path(st);
    const char *detail = (st && st->db) ? sqlite3_errmsg(st->db) : sqlite3_errstr(sqlite_rc);
    switch (sqlite_rc & 0xff) {
    case SQLITE_FULL:
        wl_err_set(err, "%s: %s: the disk is full (%s); nothing of this step was saved",
                   path, what, detail);
        return WL_ERR_IO;
    case SQLITE_READONLY:
        wl_err_set(err, "%s: %s: the database is read-only (%s); check the permissions of the "
                   "file and its folder", path, what, detail);
        return WL_ERR_IO;
    case SQLITE_CANTOPEN:
        wl_err_set(err, "%s: %s: cannot open the database or create its -wal/-shm files next "
                   "to it (%s); is the folder there and writable?", path, what, detail);
        return WL_ERR_IO;
    case SQLITE_IOERR:
    case SQLITE_PERM: {
        /* A write that fails for lack of space comes back from SQLite as a plain I/O error;
         * the system error says which (ENOSPC, or EFBIG under a file-size limit). */
        int sys = (st && st->db) ? sqlite3_system_errno(st->db) : 0;
        if (sys == ENOSPC || sys == EFBIG || sys == EDQUOT) {
            wl_err_set(err, "%s: %s: the disk is full (%s); nothing of this step was saved", path, what,
                       strerror(sys));
            return WL_ERR_IO;
        }
        wl_err_set(err, "%s: %s: disk read or write failed (%s)", path, what, detail);
        return WL_ERR_IO;
    }
    case SQLITE_CONSTRAINT:
        if (sqlite_rc == SQLITE_CONSTRAINT_PRIMARYKEY || sqlite_rc == SQLITE_CONSTRAINT_UNIQUE) {
            wl_err_set(err, "%s: %s: already exists (%s)", path, what, detail);
            return WL_ERR_CONFLICT;
        }
        wl_err_set(err, "%s: %s: value not allowed (%s)", path, what, detail);
        return WL_ERR_INVALID;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        wl_err_set(err, "%s: %s: another program kept the database locked for more than %d s "
                   "(%s)", path, what, BUSY_TIMEOUT_MS / 1000, detail);
        return WL_ERR_DB;
    case SQLITE_NOTADB:
        wl_err_set(err, "%s: %s: this is not a Wijkloket database (%s)", path, what, detail);
        return WL_ERR_DB;
    case SQLITE_CORRUPT:
        wl_err_set(err, "%s: %s: the database file is damaged (%s); restore it from a backup",
                   path, what, detail);
        return WL_ERR_DB;
    case SQLITE_NOMEM:
        wl_err_set(err, "%s: %s: out of memory", path, what);
        return WL_ERR_NOMEM;
    default:
        wl_err_set(err, "%s: %s: %s", path, what, detail);
        return WL_ERR_DB;
    }
}

wl_rc wl_store_prepare(wl_store_t *st, const char *sql, sqlite3_stmt **out, wl_err_t *err)
{
    *out = NULL;
    if (st && st->backend == WL_BACKEND_PG) {
        /* Code that still speaks SQLite directly: not ported to the one statement API yet. */
        wl_err_set(err, "%s: this operation is not available on PostgreSQL yet (it needs an SQLite file)", st->path);
        return WL_ERR_STATE;
    }
    int rc = sqlite3_prepare_v2(st->db, sql, -1, out, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(*out);
        *out = NULL;
        return wl_store_sqlite_error(st, rc, "preparing a query", err);
    }
    return WL_OK;
}

/* Runs constant SQL without values (transaction control, PRAGMAs, migration DDL). */
static wl_rc exec_const(wl_store_t *st, const char *sql, const char *what, wl_err_t *err)
{
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK) return wl_store_sqlite_error(st, rc, what, err);
    return WL_OK;
}

/* Reads a one-integer PRAGMA or query. */
static wl_rc query_int(wl_store_t *st, const char *sql, int64_t *out, wl_err_t *err)
{
    sqlite3_stmt *s;
    wl_rc rc = wl_store_prepare(st, sql, &s, err);
    if (rc != WL_OK) return rc;
    int src = sqlite3_step(s);
    if (src == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        rc = WL_OK;
    } else {
        rc = wl_store_sqlite_error(st, src == SQLITE_DONE ? SQLITE_ERROR : src, sql, err);
    }
    sqlite3_finalize(s);
    return rc;
}

static wl_rc pg_begin(wl_store_t *st, wl_err_t *err)
{
    bool nested = PQtransactionStatus(st->pg) != PQTRANS_IDLE;
    /* READ COMMITTED: every guarantee rests on row locks and constraints (a seat is an
     * UPDATE of one slot_usage row under CHECK (used <= capacity)), not on a global lock. */
    wl_rc rc = wl_store_pg_exec(st, nested ? "SAVEPOINT wl_nested" : "BEGIN", "starting a transaction", err);
    if (rc != WL_OK) return rc;
    st->savepoint[st->depth++] = nested;
    if (!nested) st->audit_floor = wl_audit_newest_id(st);
    return WL_OK;
}

wl_rc wl_store_begin(wl_store_t *st, wl_err_t *err)
{
    if (st && st->pg) {
        if (st->depth >= MAX_TX_DEPTH) {
            wl_err_set(err, "%s: transactions nested more than %d deep", st->path, MAX_TX_DEPTH);
            return WL_ERR_STATE;
        }
        return pg_begin(st, err);
    }
    if (!st || !st->db) {
        wl_err_set(err, "store: no open database");
        return WL_ERR_STATE;
    }
    if (st->depth >= MAX_TX_DEPTH) {
        wl_err_set(err, "%s: transactions nested more than %d deep", st->path, MAX_TX_DEPTH);
        return WL_ERR_STATE;
    }
    if (st->read_only) {
        wl_err_set(err, "%s: the database is read-only for this user, so nothing can be changed; "
                        "ask the administrator for write access to the file and its folder", st->path);
        return WL_ERR_IO;
    }
    /* Nest with a savepoint when a transaction is already open, whoever opened it. */
    bool nested = !sqlite3_get_autocommit(st->db);
    wl_rc rc = exec_const(st, nested ? "SAVEPOINT wl_nested" : "BEGIN IMMEDIATE",
                          "starting a transaction", err);
    if (rc != WL_OK) return rc;
    st->savepoint[st->depth++] = nested;
    /* Audit entries that already wait unchained when this transaction starts were not written
     * by Wijkloket (audit.c marks them when chaining them). */
    if (!nested) st->audit_floor = wl_audit_newest_id(st);
    return WL_OK;
}

void wl_store_rollback(wl_store_t *st)
{
    if (st && st->pg && st->depth > 0) {
        bool nested = st->savepoint[--st->depth];
        PQclear(PQexec(st->pg, nested ? "ROLLBACK TO wl_nested; RELEASE wl_nested" : "ROLLBACK"));
        return;
    }
    if (!st || !st->db || st->depth == 0) return;
    bool nested = st->savepoint[--st->depth];
    /* SQLite itself may already have rolled back after a full disk or I/O error; then these
     * statements fail harmlessly, which is why their result is ignored. */
    if (nested) {
        sqlite3_exec(st->db, "ROLLBACK TO wl_nested; RELEASE wl_nested", NULL, NULL, NULL);
    } else if (!sqlite3_get_autocommit(st->db)) {
        sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    }
}

static wl_rc pg_commit(wl_store_t *st, wl_err_t *err)
{
    if (PQtransactionStatus(st->pg) == PQTRANS_INERROR && !st->savepoint[st->depth - 1]) {
        /* COMMIT of a failed transaction "succeeds" as a ROLLBACK: say what happened. */
        wl_store_rollback(st);
        wl_err_set(err, "%s: the transaction failed on an earlier statement; nothing was saved", st->path);
        return WL_ERR_DB;
    }
    bool nested = st->savepoint[st->depth - 1];
    if (!nested && st->has_key) {
        /* As on SQLite: entries the user triggers wrote are chained before the commit. */
        wl_rc rc = wl_audit_settle(st, err);
        if (rc != WL_OK) {
            wl_store_rollback(st);
            return rc;
        }
    }
    /* COMMIT returns after PostgreSQL flushed the commit record to its WAL (fsync, with
     * synchronous_commit on, the default): the same "saved only when durable" as SQLite. */
    wl_rc rc = wl_store_pg_exec(st, nested ? "RELEASE wl_nested" : "COMMIT", "committing", err);
    if (rc != WL_OK) {
        wl_store_rollback(st);
        return rc;
    }
    st->depth--;
    if (!nested) wl_audit_write_head(st);
    return WL_OK;
}

wl_rc wl_store_commit(wl_store_t *st, wl_err_t *err)
{
    if (st && st->pg && st->depth > 0) return pg_commit(st, err);
    if (!st || !st->db || st->depth == 0) {
        wl_err_set(err, "%s: commit without an open transaction", wl_store_path(st));
        return WL_ERR_STATE;
    }
    if (sqlite3_get_autocommit(st->db)) {
        /* SQLite rolled the whole transaction back after an earlier error. */
        st->depth = 0;
        wl_err_set(err, "%s: the transaction was already rolled back after an earlier error; "
                   "nothing was saved", st->path);
        return WL_ERR_DB;
    }
    bool nested = st->savepoint[st->depth - 1];
    if (!nested) {
        /* Entries that this transaction's triggers wrote (user changes) are chained before it
         * commits, so only entries written around Wijkloket stay unchained. */
        wl_rc rc = wl_audit_settle(st, err);
        if (rc != WL_OK) {
            wl_store_rollback(st);
            return rc;
        }
    }
    int src = sqlite3_exec(st->db, nested ? "RELEASE wl_nested" : "COMMIT", NULL, NULL, NULL);
    if (src != SQLITE_OK) {
        wl_rc rc = wl_store_sqlite_error(st, src, "committing", err);
        wl_store_rollback(st);
        return rc;
    }
    st->depth--;
    if (!nested) wl_audit_write_head(st);
    return WL_OK;
}

wl_rc wl_store_tx(wl_store_t *st, wl_store_tx_fn fn, void *ctx, wl_err_t *err)
{
    wl_rc rc = wl_store_begin(st, err);
    if (rc != WL_OK) return rc;
    rc = fn(st, ctx, err);
    if (rc != WL_OK) {
        wl_store_rollback(st);
        return rc;
    }
    return wl_store_commit(st, err);
}

/* ---- opening ---------------------------------------------------------------------- */

/* Creates every missing folder on the way to path's parent. */
static wl_rc make_parent_dirs(const char *path, wl_err_t *err)
{
    char *dir = strdup(path);
    if (!dir) {
        wl_err_set(err, "%s: out of memory", path);
        return WL_ERR_NOMEM;
    }
    char *slash = strrchr(dir, '/');
    wl_rc rc = WL_OK;
    if (slash && slash != dir) {
        *slash = '\0';
        for (char *p = dir + 1; ; p++) {
            bool end = (*p == '\0');
            if (*p == '/' || end) {
                *p = '\0';
                if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
                    wl_err_set(err, "%s: cannot create the folder %s: %s", path, dir,
                               strerror(errno));
                    rc = WL_ERR_IO;
                    break;
                }
                if (end) break;
                *p = '/';
            }
        }
        if (rc == WL_OK) {
            struct stat sb;
            if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
                wl_err_set(err, "%s: %s is not a folder", path, dir);
                rc = WL_ERR_IO;
            }
        }
    }
    free(dir);
    return rc;
}

/* Makes a newly created file's directory entry durable too (best effort: some file
 * systems refuse fsync on a directory, and SQLite already syncs its own journal entries). */
static void sync_parent_dir(const char *path)
{
    char *dir = strdup(path);
    if (!dir) return;
    char *slash = strrchr(dir, '/');
    const char *d = ".";
    if (slash == dir) d = "/";
    else if (slash) { *slash = '\0'; d = dir; }
    int fd = open(d, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Looks at the file before SQLite does, so garbage, truncated and foreign files get a
 * message that says so instead of SQLite's generic "file is not a database". *is_new is set
 * when there is no file or an empty one. */
static wl_rc check_file_header(const char *path, bool *is_new, wl_err_t *err)
{
    struct stat sb;
    *is_new = false;
    if (stat(path, &sb) != 0) {
        if (errno == ENOENT) {
            *is_new = true;
            return WL_OK;
        }
        wl_err_set(err, "%s: cannot look at the database file: %s", path, strerror(errno));
        return WL_ERR_IO;
    }
    if (!S_ISREG(sb.st_mode)) {
        wl_err_set(err, "%s: this is not a Wijkloket database: not a regular file", path);
        return WL_ERR_DB;
    }
    if (sb.st_size == 0) {
        *is_new = true;
        return WL_OK;
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        wl_err_set(err, "%s: cannot read the database file: %s", path, strerror(errno));
        return WL_ERR_IO;
    }
    unsigned char h[100];
    ssize_t n = read(fd, h, sizeof h);
    close(fd);
    if (n < (ssize_t)sizeof h) {
        wl_err_set(err, "%s: this is not a Wijkloket database: the file is only %lld bytes, "
                   "too short for a database (truncated or damaged)", path,
                   (long long)sb.st_size);
        return WL_ERR_DB;
    }
    if (memcmp(h, "SQLite format 3", 16) != 0) {
        wl_err_set(err, "%s: this is not a Wijkloket database: the file is not an SQLite "
                   "database (garbage or damaged header)", path);
        return WL_ERR_DB;
    }
    uint32_t page = (uint32_t)h[16] << 8 | h[17];
    if (page == 1) page = 65536;
    if (page < 512 || (page & (page - 1)) != 0) {
        wl_err_set(err, "%s: the database header is damaged (page size %u)", path, page);
        return WL_ERR_DB;
    }
    uint32_t app_id = be32(h + 68);
    if (app_id != 0 && app_id != WL_STORE_APPLICATION_ID) {
        wl_err_set(err, "%s: this is not a Wijkloket database: it belongs to another program "
                   "(SQLite application id 0x%08x)", path, app_id);
        return WL_ERR_DB;
    }
    if (sb.st_size % page != 0) {
        wl_err_set(err, "%s: the database file is truncated (%lld bytes is not a whole number "
                   "of %u-byte pages); restore it from a backup", path, (long long)sb.st_size,
                   page);
        return WL_ERR_DB;
    }
    /* The page count in the header is trustworthy when both change counters agree. With a
     * -wal file present the main file may legitimately lag behind, so skip the check then. */
    char walpath[4096];
    snprintf(walpath, sizeof walpath, "%s-wal", path);
    struct stat wsb;
    bool have_wal = stat(walpath, &wsb) == 0 && wsb.st_size > 0;
    if (!have_wal && be32(h + 24) == be32(h + 92)) {
        uint64_t pages = be32(h + 28);
        if (pages * page > (uint64_t)sb.st_size) {
            wl_err_set(err, "%s: the database file is truncated (%lld bytes, the header says "
                       "%llu pages of %u bytes); restore it from a backup", path,
                       (long long)sb.st_size, (unsigned long long)pages, page);
            return WL_ERR_DB;
        }
    }
    return WL_OK;
}

/* Refuses files that are not ours and schemas newer than this build; adopts an empty file. */
static wl_rc check_identity(wl_store_t *st, bool *fresh, wl_err_t *err)
{
    int64_t app_id = 0, version = 0, objects = 0;
    wl_rc rc = query_int(st, "PRAGMA application_id", &app_id, err);
    if (rc == WL_OK) rc = query_int(st, "PRAGMA user_version", &version, err);
    if (rc == WL_OK) rc = query_int(st, "SELECT count(*) FROM sqlite_schema", &objects, err);
    if (rc != WL_OK) return rc;
    *fresh = false;
    if ((uint32_t)app_id != WL_STORE_APPLICATION_ID) {
        if (app_id != 0 || objects != 0 || version != 0) {
            wl_err_set(err, "%s: this is not a Wijkloket database: an SQLite file of another "
                        "program (%lld tables or indexes, no Wijkloket application id); it "
                        "was not changed", st->path, (long long)objects);
            return WL_ERR_DB;
        }
        *fresh = true;
    }
    if (version > wl_store_latest_version()) {
        wl_err_set(err, "%s: the database has schema version %lld, newer than this program "
                   "knows (%d); update Wijkloket. The file was not changed", st->path,
                   (long long)version, wl_store_latest_version());
        return WL_ERR_DB;
    }
    if (version < 0) {
        wl_err_set(err, "%s: the database has an impossible schema version %lld", st->path,
                   (long long)version);
        return WL_ERR_DB;
    }
    return WL_OK;
}

static wl_rc set_pragmas(wl_store_t *st, wl_err_t *err)
{
    sqlite3_stmt *s;
    wl_rc rc = wl_store_prepare(st, "PRAGMA journal_mode = WAL", &s, err);
    if (rc != WL_OK) return rc;
    int src = sqlite3_step(s);
    if (src != SQLITE_ROW) {
        rc = wl_store_sqlite_error(st, src, "switching to WAL mode", err);
    } else {
        const char *mode = (const char *)sqlite3_column_text(s, 0);
        if (!mode || strcmp(mode, "wal") != 0) {
            wl_err_set(err, "%s: could not switch to WAL mode (still '%s')", st->path,
                       mode ? mode : "?");
            rc = WL_ERR_DB;
        }
    }
    sqlite3_finalize(s);
    if (rc != WL_OK) return rc;
    /* FULL: in WAL mode every commit fsyncs the WAL, which is what makes "saved" true after a
     * power cut. secure_delete: purged intakes are overwritten, not left in free pages. */
    rc = exec_const(st, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
                        "PRAGMA secure_delete = ON; PRAGMA trusted_schema = OFF",
                    "setting connection options", err);
    if (rc != WL_OK) return rc;
    int64_t sync = 0, fk = 0;
    rc = query_int(st, "PRAGMA synchronous", &sync, err);
    if (rc == WL_OK) rc = query_int(st, "PRAGMA foreign_keys", &fk, err);
    if (rc != WL_OK) return rc;
    if (sync != 2 || fk != 1) {
        wl_err_set(err, "%s: SQLite refused synchronous=FULL or foreign_keys=ON (got %lld, %lld)",
                   st->path, (long long)sync, (long long)fk);
        return WL_ERR_DB;
    }
    return WL_OK;
}

/* A cheap structural check of an existing file, so damage is found at start-up rather than
 * in the middle of saving a citizen's intake. */
static wl_rc quick_check(wl_store_t *st, wl_err_t *err)
{
    sqlite3_stmt *s;
    wl_rc rc = wl_store_prepare(st, "PRAGMA quick_check(1)", &s, err);
    if (rc != WL_OK) return rc;
    int src = sqlite3_step(s);
    if (src != SQLITE_ROW) {
        rc = wl_store_sqlite_error(st, src, "checking the database", err);
    } else {
        const char *res = (const char *)sqlite3_column_text(s, 0);
        if (!res || strcmp(res, "ok") != 0) {
            wl_err_set(err, "%s: the database file is damaged (%s); restore it from a backup",
                       st->path, res ? res : "?");
            rc = WL_ERR_DB;
        }
    }
    sqlite3_finalize(s);
    return rc;
}

/* quick_check reads every page, which is about 2 s on a 700 MB file: fine once at kiosk
 * start, too slow for each staff command on a large merged database. A kiosk's own file stays
 * far below this bound (90 days of intakes are some tens of MB), so kiosks keep the full
 * check; above it SQLite still reports a damaged page when it reads it (SQLITE_CORRUPT, a
 * WL_ERR_DB "damaged" message), so nothing is read wrongly, only found later. */
#define CHECK_MAX_BYTES ((off_t)256 << 20)

static bool check_on_open(const char *path)
{
    struct stat sb;
    return stat(path, &sb) != 0 || sb.st_size <= CHECK_MAX_BYTES;
}

static wl_rc check_migration_list(wl_err_t *err)
{
    for (size_t i = 0; i < wl_store_migration_count; i++) {
        if (wl_store_migrations[i].version != (int)i + 1 || !wl_store_migrations[i].sql) {
            wl_err_set(err, "store_migrations.c: entry %zu has version %d, expected %zu "
                       "(versions must run 1, 2, 3, ... without gaps)", i,
                       wl_store_migrations[i].version, i + 1);
            return WL_ERR_STATE;
        }
    }
    return WL_OK;
}

/* Applies migrations after the file's version up to upto, each in its own transaction. */
static wl_rc migrate(wl_store_t *st, int upto, wl_err_t *err)
{
    for (size_t i = 0; i < wl_store_migration_count; i++) {
        const wl_store_migration_t *m = &wl_store_migrations[i];
        if (m->version > upto) break;
        char what[160];
        snprintf(what, sizeof what, "applying migration %d (%s)", m->version, m->description);
        wl_rc rc = wl_store_begin(st, err);
        if (rc != WL_OK) {
            wl_err_prefix(err, "%s: ", what);
            return rc;
        }
        /* Read again under the write lock: another process may have migrated meanwhile. */
        int64_t version = 0;
        rc = query_int(st, "PRAGMA user_version", &version, err);
        if (rc == WL_OK && version < m->version) {
            int src = sqlite3_exec(st->db, m->sql, NULL, NULL, NULL);
            if (src != SQLITE_OK) {
                rc = wl_store_sqlite_error(st, src, what, err);
            } else {
                /* PRAGMA takes no bound parameters; the number comes from the constant table. */
                char pragma[64];
                snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", m->version);
                rc = exec_const(st, pragma, what, err);
            }
        }
        if (rc != WL_OK) {
            wl_store_rollback(st);
            return rc;
        }
        rc = wl_store_commit(st, err);
        if (rc != WL_OK) return rc;
    }
    return WL_OK;
}

/* Several kiosks or staff commands may open or close one database at the same moment. An
 * opener must not look at the file while another process is half way through creating it,
 * or through the checkpoint that the last connection does on close (the header then already
 * counts pages the file does not have yet). So opening and closing are serialised with an
 * flock() on the database's folder. Not on the file itself: closing any descriptor of the
 * database file drops every POSIX lock this process holds on it, SQLite's included, and lets
 * another process checkpoint away a live WAL. Returns the descriptor to close, or -1 when the
 * folder cannot be locked (then the checks give their own messages). */
static int lock_folder(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir) slash[1] = '\0';
    else if (slash) *slash = '\0';
    else snprintf(dir, sizeof dir, ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0 && flock(fd, LOCK_EX) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

static wl_rc open_locked(const char *path, int upto, wl_store_t **out, wl_err_t *err);

/* The install key beside the database (install_key.c), made on first use (loaded before the
 * migrations, whose transactions chain audit entries). A file that already has an audit trail
 * then gets a head that marks the entries before the key as legacy (open_locked). */
static wl_rc load_install_key(wl_store_t *st, bool *created, wl_err_t *err)
{
    if (sodium_init() < 0 || !(st->key = sodium_malloc(WL_INSTALL_KEY_BYTES))) {
        wl_err_set(err, "%s: out of memory", st->path);
        return WL_ERR_NOMEM;
    }
    wl_rc rc = wl_install_key_load(st->path, true, st->key, created, err);
    if (rc != WL_OK) return rc;
    st->has_key = true;
    return WL_OK;
}

static void close_unlocked(wl_store_t *st);

wl_rc wl_store_open_upto(const char *path, int upto, wl_store_t **out, wl_err_t *err)
{
    if (out) *out = NULL;
    if (!path || !*path || !out) {
        wl_err_set(err, "store: no database path given");
        return WL_ERR_INVALID;
    }
    if (upto < 0 || upto > wl_store_latest_version()) upto = wl_store_latest_version();
    wl_rc rc = check_migration_list(err);
    if (rc != WL_OK) return rc;
    rc = make_parent_dirs(path, err);
    if (rc != WL_OK) return rc;
    int open_lock = lock_folder(path);
    rc = open_locked(path, upto, out, err);
    if (open_lock >= 0) close(open_lock); /* closing releases the flock */
    return rc;
}

/* A store for the SQLite file at path, not yet opened (NULL and err when out of memory). */
static wl_store_t *sqlite_store_new(const char *path, wl_err_t *err)
{
    wl_store_t *st = calloc(1, sizeof *st);
    if (!st || !(st->path = strdup(path))) {
        free(st);
        wl_err_set(err, "%s: out of memory", path);
        return NULL;
    }
    st->backend = WL_BACKEND_SQLITE;
    return st;
}

static wl_rc open_locked(const char *path, int upto, wl_store_t **out, wl_err_t *err)
{
    wl_rc rc;
    bool is_new = false;
    rc = check_file_header(path, &is_new, err);
    if (rc != WL_OK) return rc;

    if (is_new) {
        /* Create the file ourselves so it is not world-readable: SQLite would use 0644, and
         * its -wal and -shm files copy the main file's mode. */
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
        if (fd >= 0) {
            close(fd);
        } else if (errno != EEXIST) {
            wl_err_set(err, "%s: cannot create the database file: %s", path, strerror(errno));
            return WL_ERR_IO;
        }
    }
    wl_store_t *st = sqlite_store_new(path, err);
    if (!st) return WL_ERR_NOMEM;
    int src = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (src != SQLITE_OK) {
        rc = wl_store_sqlite_error(st, src, "opening", err);
        goto fail;
    }
    sqlite3_extended_result_codes(st->db, 1);
    /* SQLite quietly falls back to read-only when the file is write-protected; a kiosk that
     * cannot save must find out now, not when a citizen presses "verstuur". */
    if (sqlite3_db_readonly(st->db, "main") == 1) {
        wl_err_set(err, "%s: the database file is read-only; check its permissions", path);
        rc = WL_ERR_IO;
        goto fail;
    }
    sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);

    bool fresh = false;
    rc = check_identity(st, &fresh, err);
    if (rc != WL_OK) goto fail;
    rc = set_pragmas(st, err);
    if (rc != WL_OK) goto fail;
    if (fresh) {
        char pragma[64];
        snprintf(pragma, sizeof pragma, "PRAGMA application_id = %d", WL_STORE_APPLICATION_ID);
        rc = exec_const(st, pragma, "marking the file as a Wijkloket database", err);
        if (rc != WL_OK) goto fail;
    } else if (check_on_open(path)) {
        rc = quick_check(st, err);
        if (rc != WL_OK) goto fail;
    }
    bool key_created = false;
    rc = load_install_key(st, &key_created, err);
    if (rc != WL_OK) goto fail;
    rc = migrate(st, upto, err);
    if (rc == WL_OK && key_created) rc = wl_audit_start_head(st, err);
    if (rc != WL_OK) goto fail;
    if (is_new) sync_parent_dir(path);
    *out = st;
    return WL_OK;
fail:
    close_unlocked(st);
    return rc;
}

bool wl_store_read_only(const wl_store_t *st) { return st && st->read_only; }

wl_rc wl_store_open_read(const char *path, wl_store_t **out, wl_err_t *err)
{
    if (out) *out = NULL;
    if (!path || !*path || !out) {
        wl_err_set(err, "store: no database path given");
        return WL_ERR_INVALID;
    }
    bool is_new = false;
    wl_rc rc = check_file_header(path, &is_new, err);
    if (rc != WL_OK) return rc;
    if (is_new) {
        wl_err_set(err, "%s: there is no database here to read", path);
        return WL_ERR_NOTFOUND;
    }
    wl_store_t *st = sqlite_store_new(path, err);
    if (!st) return WL_ERR_NOMEM;
    st->read_only = true;
    /* A WAL database in a folder this user cannot write has no -shm file to share; then it is
     * read as an unchanging file (immutable), which is what a read-only copy is. */
    int src = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READONLY, NULL);
    int64_t v = -1;
    if (src == SQLITE_OK) {
        sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
        if (query_int(st, "PRAGMA user_version", &v, NULL) != WL_OK) {
            sqlite3_close_v2(st->db);
            st->db = NULL;
            char *uri = sqlite3_mprintf("file:%s?immutable=1", path);
            src = uri ? sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) : SQLITE_NOMEM;
            sqlite3_free(uri);
        }
    }
    if (src != SQLITE_OK) {
        rc = wl_store_sqlite_error(st, src, "opening for reading", err);
        goto fail;
    }
    sqlite3_extended_result_codes(st->db, 1);
    bool fresh = false;
    rc = check_identity(st, &fresh, err);
    if (rc == WL_OK && fresh) {
        wl_err_set(err, "%s: this file is not a Wijkloket database yet", path);
        rc = WL_ERR_INVALID;
    }
    if (rc == WL_OK) rc = query_int(st, "PRAGMA user_version", &v, err);
    if (rc == WL_OK && v != wl_store_latest_version()) {
        wl_err_set(err, "%s: the database has schema version %lld and needs upgrading to %d, which needs write "
                        "access; open it once as a user who may write it", path, (long long)v,
                   wl_store_latest_version());
        rc = WL_ERR_STATE;
    }
    if (rc == WL_OK) rc = exec_const(st, "PRAGMA trusted_schema = OFF", "setting connection options", err);
    if (rc == WL_OK && check_on_open(path)) rc = quick_check(st, err);
    if (rc == WL_OK && (sodium_init() < 0 || !(st->key = sodium_malloc(WL_INSTALL_KEY_BYTES)))) {
        wl_err_set(err, "%s: out of memory", path);
        rc = WL_ERR_NOMEM;
    }
    if (rc == WL_OK) rc = wl_install_key_load(path, false, st->key, NULL, err);
    if (rc != WL_OK) goto fail;
    st->has_key = true;
    *out = st;
    return WL_OK;
fail:
    close_unlocked(st);
    return rc;
}

wl_rc wl_store_open(const char *path, wl_store_t **out, wl_err_t *err)
{
    if (wl_store_setting_is_pg(path)) return wl_store_pg_open(path, out, err);
    return wl_store_open_upto(path, wl_store_latest_version(), out, err);
}

/* Closes without taking the folder lock: for open_locked's failure path, which holds it. */
void wl_store_set_sealer(wl_store_t *st, const wl_store_sealer_t *sealer)
{
    if (!st) return;
    if (st->sealer.free_ctx) st->sealer.free_ctx(st->sealer.ctx);
    memset(&st->sealer, 0, sizeof st->sealer);
    if (sealer) st->sealer = *sealer;
}

static void close_unlocked(wl_store_t *st)
{
    if (!st) return;
    while (st->depth > 0) wl_store_rollback(st);
    wl_store_set_sealer(st, NULL);
    if (st->pg) PQfinish(st->pg);
    sqlite3_close_v2(st->db);
    sodium_free(st->key);
    free(st->anchor);
    free(st->path);
    free(st);
}

void wl_store_close(wl_store_t *st)
{
    if (!st) return;
    if (st->pg) {
        close_unlocked(st);
        return;
    }
    /* The last connection to close checkpoints the WAL into the main file; see lock_folder. */
    int lock = st->path && !st->read_only ? lock_folder(st->path) : -1;
    close_unlocked(st);
    if (lock >= 0) close(lock);
}

int wl_store_schema_version(wl_store_t *st)
{
    int64_t v = -1;
    if (st && st->pg) return wl_pg_schema_version(st->pg);
    if (!st || query_int(st, "PRAGMA user_version", &v, NULL) != WL_OK) return -1;
    return (int)v;
}

/* ---- intakes ---------------------------------------------------------------------- */

typedef struct {
    const wl_intake_record_t *rec;
    const char *route;
    char *answers, *personal, *result;
    int64_t created_at;
} save_ctx_t;

static void bind_text_or_null(wl_stmt_t *s, int i, const char *v)
{
    wl_stmt_text(s, i, v); /* NULL binds SQL NULL */
}

/* One part of the record into intake_data: clear JSON (SQLite seals it in its trigger when a
 * key is installed), or sealed here first when a sealer is installed (PostgreSQL). */
static wl_rc insert_data(wl_store_t *st, const char *ref, const char *kind, const char *json,
                         wl_err_t *err)
{
    unsigned char *blob = NULL;
    size_t blob_len = 0;
    if (st->sealer.seal) {
        wl_rc rc = st->sealer.seal(st->sealer.ctx, st, ref, kind, json, strlen(json), &blob, &blob_len, err);
        if (rc != WL_OK) {
            wl_err_prefix(err, "sealing the %s of intake %s (nothing was saved): ", kind, ref);
            return rc;
        }
    }
    wl_stmt_t *s;
    wl_rc rc = wl_stmt_prepare(st, blob ? "INSERT INTO intake_data (ref, kind, encoding, payload) "
                                          "VALUES (?1, ?2, 'sealed', ?3)"
                                        : "INSERT INTO intake_data (ref, kind, encoding, payload) "
                                          "VALUES (?1, ?2, 'json', ?3)", &s, err);
    if (rc == WL_OK) {
        wl_stmt_text(s, 1, ref);
        wl_stmt_text(s, 2, kind);
        if (blob) wl_stmt_blob(s, 3, blob, blob_len);
        else wl_stmt_blob(s, 3, json, strlen(json));
        int src = wl_stmt_step(s);
        if (src != WL_DONE) {
            char what[96];
            snprintf(what, sizeof what, "saving the %s of intake %s", kind, ref);
            rc = wl_store_step_error(st, src, what, err);
        }
        wl_stmt_finalize(s);
    }
    free(blob);
    return rc;
}

/* With a sealer: the full result sealed into intake_detail (as SQLite's trigger does). */
static wl_rc insert_detail(wl_store_t *st, const char *ref, const char *result, wl_err_t *err)
{
    unsigned char *blob = NULL;
    size_t blob_len = 0;
    wl_rc rc = st->sealer.seal(st->sealer.ctx, st, ref, "result", result, strlen(result), &blob, &blob_len, err);
    if (rc != WL_OK) {
        wl_err_prefix(err, "sealing the result of intake %s (nothing was saved): ", ref);
        return rc;
    }
    wl_stmt_t *s;
    rc = wl_stmt_prepare(st, "INSERT INTO intake_detail (ref, payload) VALUES (?1, ?2)", &s, err);
    if (rc == WL_OK) {
        wl_stmt_text(s, 1, ref);
        wl_stmt_blob(s, 2, blob, blob_len);
        int src = wl_stmt_step(s);
        if (src != WL_DONE) rc = wl_store_step_error(st, src, "saving the sealed result", err);
        wl_stmt_finalize(s);
    }
    free(blob);
    return rc;
}

static wl_rc save_in_tx(wl_store_t *st, void *vctx, wl_err_t *err)
{
    save_ctx_t *c = vctx;
    const wl_intake_record_t *r = c->rec;
    wl_stmt_t *s;
    /* With a sealer intakes.result keeps only its clear part; the whole goes sealed below. */
    char *clear = NULL;
    if (st->sealer.seal && c->result && !(clear = st->sealer.clear_result(c->result))) {
        wl_err_set(err, "save intake %s: the clear part of the result could not be made (nothing was saved)", r->ref);
        return WL_ERR_NOMEM;
    }
    /* The channel column defaults to 'kiosk' (schema 7): named only for another channel, so the
     * same insert still works on a file at an older schema (the migration test writes one). */
    bool other_channel = r->channel && strcmp(r->channel, "kiosk") != 0;
    wl_rc rc = wl_stmt_prepare(st, other_channel ?
        "INSERT INTO intakes (ref, location, kiosk, language, assisted_by, started_at, "
        "completed_at, status, questionnaire_version, rules_version, route, result, created_at, channel) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)" :
        "INSERT INTO intakes (ref, location, kiosk, language, assisted_by, started_at, "
        "completed_at, status, questionnaire_version, rules_version, route, result, created_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)", &s, err);
    if (rc != WL_OK) {
        free(clear);
        return rc;
    }
    wl_stmt_text(s, 1, r->ref);
    wl_stmt_text(s, 2, r->location);
    wl_stmt_text(s, 3, r->kiosk);
    wl_stmt_text(s, 4, r->language);
    bind_text_or_null(s, 5, r->assisted_by);
    wl_stmt_int(s, 6, r->started_at);
    if (r->completed_at > 0) wl_stmt_int(s, 7, r->completed_at);
    else wl_stmt_null(s, 7);
    wl_stmt_text(s, 8, r->status);
    wl_stmt_text(s, 9, r->questionnaire_version);
    wl_stmt_text(s, 10, r->rules_version);
    bind_text_or_null(s, 11, c->route);
    bind_text_or_null(s, 12, clear ? clear : c->result);
    wl_stmt_int(s, 13, c->created_at);
    if (other_channel) wl_stmt_text(s, 14, r->channel);
    int src = wl_stmt_step(s);
    wl_stmt_finalize(s);
    free(clear);
    if (src != WL_DONE) {
        char what[64];
        snprintf(what, sizeof what, "saving intake %s", r->ref);
        return wl_store_step_error(st, src, what, err);
    }
    if (st->sealer.seal && c->result) rc = insert_detail(st, r->ref, c->result, err);
    if (rc == WL_OK) rc = insert_data(st, r->ref, "answers", c->answers, err);
    if (rc == WL_OK && c->personal) rc = insert_data(st, r->ref, "personal", c->personal, err);
    return rc;
}

static wl_rc check_record(const wl_intake_record_t *r, wl_err_t *err)
{
    if (!r) {
        wl_err_set(err, "save intake: no record given");
        return WL_ERR_INVALID;
    }
    const struct { const char *name, *value; } req[] = {
        {"ref", r->ref}, {"location", r->location}, {"kiosk", r->kiosk},
        {"language", r->language}, {"status", r->status},
        {"questionnaire_version", r->questionnaire_version},
        {"rules_version", r->rules_version},
    };
    for (size_t i = 0; i < sizeof req / sizeof req[0]; i++) {
        if (!req[i].value || !*req[i].value) {
            wl_err_set(err, "save intake %s: field %s is missing", r->ref ? r->ref : "?",
                       req[i].name);
            return WL_ERR_INVALID;
        }
    }
    char canon[WL_REFCODE_BUFSZ];
    if (wl_refcode_parse(r->ref, canon, NULL) != WL_OK || strcmp(canon, r->ref) != 0) {
        wl_err_set(err, "save intake: field ref '%s' is not a canonical reference code "
                   "(XXXX-XXXX-C)", r->ref);
        return WL_ERR_INVALID;
    }
    if (r->channel && strcmp(r->channel, "kiosk") != 0 && strcmp(r->channel, "portal") != 0) {
        wl_err_set(err, "save intake %s: channel must be kiosk or portal, not '%s'", r->ref, r->channel);
        return WL_ERR_INVALID;
    }
    if (strcmp(r->status, "completed") != 0 && strcmp(r->status, "abandoned") != 0) {
        wl_err_set(err, "save intake %s: field status '%s' must be completed or abandoned",
                   r->ref, r->status);
        return WL_ERR_INVALID;
    }
    if (strcmp(r->status, "completed") == 0 && r->completed_at <= 0) {
        wl_err_set(err, "save intake %s: field completed_at is missing for a completed intake",
                   r->ref);
        return WL_ERR_INVALID;
    }
    if (!json_is_object(r->answers)) {
        wl_err_set(err, "save intake %s: field answers must be a JSON object", r->ref);
        return WL_ERR_INVALID;
    }
    if (r->personal && !json_is_object(r->personal)) {
        wl_err_set(err, "save intake %s: field personal must be a JSON object", r->ref);
        return WL_ERR_INVALID;
    }
    if (r->result && !json_is_object(r->result)) {
        wl_err_set(err, "save intake %s: field result must be a JSON object", r->ref);
        return WL_ERR_INVALID;
    }
    return WL_OK;
}

wl_rc wl_store_save_intake(wl_store_t *st, const wl_intake_record_t *rec, wl_err_t *err)
{
    if (!st || (!st->db && !st->pg)) {
        wl_err_set(err, "save intake: no open store");
        return WL_ERR_STATE;
    }
    wl_rc rc = check_record(rec, err);
    if (rc != WL_OK) return rc;
    save_ctx_t c = {.rec = rec};
    /* A storage timestamp for audit and retention, not a policy date: the wall clock is
     * the right source, and no test depends on its value. */
    c.created_at = (int64_t)time(NULL);
    if (rec->result) c.route = json_string_value(json_object_get(rec->result, "route"));
    c.answers = json_dumps(rec->answers, JSON_COMPACT);
    c.personal = rec->personal ? json_dumps(rec->personal, JSON_COMPACT) : NULL;
    c.result = rec->result ? json_dumps(rec->result, JSON_COMPACT) : NULL;
    if (!c.answers || (rec->personal && !c.personal) || (rec->result && !c.result)) {
        wl_err_set(err, "save intake %s: out of memory while encoding the answers", rec->ref);
        rc = WL_ERR_NOMEM;
    } else {
        rc = wl_store_tx(st, save_in_tx, &c, err);
    }
    free(c.answers);
    free(c.personal);
    free(c.result);
    return rc;
}

static json_t *column_json_text(wl_stmt_t *s, int col)
{
    const char *v = wl_stmt_col_text(s, col);
    return v ? json_string(v) : json_null();
}

static json_t *column_json_int(wl_stmt_t *s, int col)
{
    return wl_stmt_col_null(s, col) ? json_null()
                                                       : json_integer(wl_stmt_col_int(s, col));
}

/* Reads the intake_data rows into obj ("answers", "personal"; "sealed": true when any is). */
static wl_rc read_data(wl_store_t *st, const char *ref, json_t *obj, wl_err_t *err)
{
    wl_stmt_t *s;
    wl_rc rc = wl_stmt_prepare(st, "SELECT kind, encoding, payload FROM intake_data "
                                    "WHERE ref = ?1", &s, err);
    if (rc != WL_OK) return rc;
    wl_stmt_text(s, 1, ref);
    json_object_set_new(obj, "answers", json_null());
    json_object_set_new(obj, "personal", json_null());
    int src = WL_DONE;
    while (rc == WL_OK && (src = wl_stmt_step(s)) == WL_ROW) {
        const char *kind = wl_stmt_col_text(s, 0);
        const char *enc = wl_stmt_col_text(s, 1);
        const void *payload = wl_stmt_col_blob(s, 2);
        int len = wl_stmt_col_bytes(s, 2);
        if (!kind || !enc) continue;
        if (strcmp(enc, "json") == 0) {
            json_error_t jerr;
            json_t *v = json_loadb(payload ? payload : "", (size_t)len, 0, &jerr);
            if (!v) {
                wl_err_set(err, "%s: intake %s: stored %s are not valid JSON (%s at column %d)",
                           st->path, ref, kind, jerr.text, jerr.column);
                rc = WL_ERR_DB;
            } else {
                json_object_set_new(obj, kind, v);
            }
        } else {
            /* Sealed payloads need the staff key; the seal module opens them. */
            json_object_set_new(obj, "sealed", json_true());
        }
    }
    if (rc == WL_OK && src != WL_DONE) rc = wl_store_step_error(st, src, "reading answers", err);
    wl_stmt_finalize(s);
    return rc;
}

wl_rc wl_store_get_intake(wl_store_t *st, const char *ref, json_t **out, wl_err_t *err)
{
    if (out) *out = NULL;
    if (!st || (!st->db && !st->pg) || !ref || !out) {
        wl_err_set(err, "get intake: no store, reference or output given");
        return WL_ERR_INVALID;
    }
    /* Accept what a person typed ("abcd efgh j") as well as the canonical form. */
    char canon[WL_REFCODE_BUFSZ];
    const char *key = wl_refcode_parse(ref, canon, NULL) == WL_OK ? canon : ref;
    wl_stmt_t *s;
    wl_rc rc = wl_stmt_prepare(st,
        "SELECT ref, location, kiosk, language, assisted_by, started_at, completed_at, status, "
        "questionnaire_version, rules_version, route, result, created_at, channel "
        "FROM intakes WHERE ref = ?1", &s, err);
    if (rc != WL_OK) return rc;
    wl_stmt_text(s, 1, key);
    int src = wl_stmt_step(s);
    if (src == WL_DONE) {
        wl_stmt_finalize(s);
        wl_err_set(err, "%s: no intake with reference %s", st->path, key);
        return WL_ERR_NOTFOUND;
    }
    if (src != WL_ROW) {
        rc = wl_store_step_error(st, src, "reading an intake", err);
        wl_stmt_finalize(s);
        return rc;
    }
    json_t *o = json_object();
    if (!o) {
        wl_stmt_finalize(s);
        wl_err_set(err, "%s: out of memory", st->path);
        return WL_ERR_NOMEM;
    }
    static const char *text_cols[] = {"ref", "location", "kiosk", "language", "assisted_by"};
    for (int i = 0; i < 5; i++) json_object_set_new(o, text_cols[i], column_json_text(s, i));
    json_object_set_new(o, "started_at", column_json_int(s, 5));
    json_object_set_new(o, "completed_at", column_json_int(s, 6));
    json_object_set_new(o, "status", column_json_text(s, 7));
    json_object_set_new(o, "questionnaire_version", column_json_text(s, 8));
    json_object_set_new(o, "rules_version", column_json_text(s, 9));
    json_object_set_new(o, "route", column_json_text(s, 10));
    json_object_set_new(o, "created_at", column_json_int(s, 12));
    json_object_set_new(o, "channel", column_json_text(s, 13));
    const char *result = wl_stmt_col_text(s, 11);
    if (result) {
        json_error_t jerr;
        json_t *v = json_loads(result, 0, &jerr);
        if (!v) {
            wl_err_set(err, "%s: intake %s: stored result is not valid JSON (%s)", st->path,
                       key, jerr.text);
            rc = WL_ERR_DB;
        } else {
            json_object_set_new(o, "result", v);
        }
    } else {
        json_object_set_new(o, "result", json_null());
    }
    wl_stmt_finalize(s);
    if (rc == WL_OK) rc = read_data(st, key, o, err);
    if (rc != WL_OK) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return WL_OK;
}

int64_t wl_store_count_intakes(wl_store_t *st)
{
    int64_t n = -1;
    if (!st || (!st->db && !st->pg) || wl_store_query_int(st, "SELECT count(*) FROM intakes", &n, NULL) != WL_OK) return -1;
    return n;
}
