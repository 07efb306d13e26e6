/* Append-only audit trail with a BLAKE2b hash chain: every staff access leaves a checkable trace. */
#include "wijkloket/audit.h"
#include "store/store_sql.h"

#include <inttypes.h>
#include <sodium.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <unistd.h>
#include "store/install_key.h"

#define HASH_BYTES 32

typedef struct {
    int64_t id, at;
    const char *actor, *action, *ref, *detail;
} entry_t;

static void put_u64(crypto_generichash_state *h, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++) b[i] = (unsigned char)(v >> (8 * i));
    crypto_generichash_update(h, b, sizeof b);
}

/* Length-prefixed, so ("ab","c") and ("a","bc") never hash alike; NULL differs from "". */
static void put_str(crypto_generichash_state *h, const char *s)
{
    if (!s) {
        put_u64(h, UINT64_MAX);
        return;
    }
    size_t n = strlen(s);
    put_u64(h, n);
    crypto_generichash_update(h, (const unsigned char *)s, n);
}

/* How an entry's hash was made. LEGACY: the unkeyed chain of trails written before the
 * install key existed (accepted only up to the id the head file records). OWN: keyed with the
 * install key, written by Wijkloket. EXTERNAL: keyed too, but chained by Wijkloket after it
 * found the entry already waiting without a hash, i.e. written around Wijkloket (the sqlite3
 * tool, or a forgery); verify reports these. */
typedef enum { H_LEGACY, H_OWN, H_EXTERNAL } hash_kind_t;

static void entry_hash_k(const unsigned char *key, hash_kind_t kind, const unsigned char prev[HASH_BYTES],
                         const entry_t *e, unsigned char out[HASH_BYTES])
{
    crypto_generichash_state h;
    if (kind == H_LEGACY) {
        crypto_generichash_init(&h, NULL, 0, HASH_BYTES);
        crypto_generichash_update(&h, (const unsigned char *)"wijkloket-audit-v1", 18);
    } else {
        crypto_generichash_init(&h, key, WL_INSTALL_KEY_BYTES, HASH_BYTES);
        const char *dom = kind == H_OWN ? "wijkloket-audit-v2" : "wijkloket-audit-v2-external";
        crypto_generichash_update(&h, (const unsigned char *)dom, strlen(dom) + 1);
    }
    crypto_generichash_update(&h, prev, HASH_BYTES);
    put_u64(&h, (uint64_t)e->id);
    put_u64(&h, (uint64_t)e->at);
    put_str(&h, e->actor);
    put_str(&h, e->action);
    put_str(&h, e->ref);
    put_str(&h, e->detail);
    crypto_generichash_final(&h, out, HASH_BYTES);
}

static void read_entry(wl_stmt_t *s, entry_t *e)
{
    e->id = wl_stmt_col_int(s, 0);
    e->at = wl_stmt_col_int(s, 1);
    e->actor = wl_stmt_col_text(s, 2);
    e->action = wl_stmt_col_text(s, 3);
    e->ref = wl_stmt_col_text(s, 4);
    e->detail = wl_stmt_col_text(s, 5);
}

/* The newest chained entry's id and hash (0 and zeros for an empty trail). */
static wl_rc last_hash(wl_store_t *st, int64_t *id, unsigned char prev[HASH_BYTES], wl_err_t *err)
{
    wl_stmt_t *s = NULL;
    memset(prev, 0, HASH_BYTES);
    if (id) *id = 0;
    wl_rc rc = wl_stmt_prepare(st, "SELECT id, hash FROM audit WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1", &s, err);
    if (rc != WL_OK) return rc;
    int r = wl_stmt_step(s);
    if (r == WL_ROW && wl_stmt_col_bytes(s, 1) == HASH_BYTES) {
        memcpy(prev, wl_stmt_col_blob(s, 1), HASH_BYTES);
        if (id) *id = wl_stmt_col_int(s, 0);
    } else if (r != WL_ROW && r != WL_DONE) {
        rc = wl_store_step_error(st, r, "reading the audit trail", err);
    }
    wl_stmt_finalize(s);
    return rc;
}

static const unsigned char *need_key(wl_store_t *st, wl_err_t *err)
{
    const unsigned char *key = wl_store_install_key(st);
    if (!key) {
        char path[4096];
        wl_install_key_path(wl_store_anchor(st), path, sizeof path);
        wl_err_set(err, "%s is missing or unreadable: the audit trail cannot be written or checked without it", path);
    }
    return key;
}

int64_t wl_audit_newest_id(wl_store_t *st)
{
    int64_t id = 0;
    /* Prepared directly on SQLite: before the migration that makes the table there is no
     * trail. PostgreSQL is migrated before any transaction of the store, so the table is there
     * (and a failed query would abort the open transaction). */
    if (wl_store_backend(st) == WL_BACKEND_PG) {
        wl_err_t e;
        if (wl_store_query_int(st, "SELECT coalesce(max(id), 0) FROM audit", &id, &e) != WL_OK) id = 0;
        return id;
    }
    sqlite3_stmt *raw = NULL;
    if (sqlite3_prepare_v2(wl_store_db(st), "SELECT coalesce(max(id), 0) FROM audit", -1, &raw, NULL) == SQLITE_OK &&
        sqlite3_step(raw) == SQLITE_ROW)
        id = sqlite3_column_int64(raw, 0);
    sqlite3_finalize(raw);
    return id;
}

/* Chains the entries that wait without a hash, oldest first, inside the open transaction.
 * Those this transaction's own triggers wrote (ids above the floor) are Wijkloket's; older
 * ones were written around it and are chained as EXTERNAL, so they stay visible. The update
 * trigger allows exactly this: filling in a missing hash once. */
static wl_rc settle_pending(wl_store_t *st, unsigned char prev[HASH_BYTES], wl_err_t *err)
{
    const unsigned char *key = need_key(st, err);
    if (!key) return WL_ERR_IO;
    int64_t floor = wl_store_audit_floor(st);
    wl_stmt_t *sel = NULL, *upd = NULL;
    wl_rc rc = wl_stmt_prepare(st,
                                "SELECT id, at, actor, action, ref, detail FROM audit WHERE hash IS NULL ORDER BY id",
                                &sel, err);
    if (rc == WL_OK) rc = wl_stmt_prepare(st, "UPDATE audit SET hash = ?1 WHERE id = ?2", &upd, err);
    int r = WL_DONE;
    while (rc == WL_OK && (r = wl_stmt_step(sel)) == WL_ROW) {
        entry_t e;
        read_entry(sel, &e);
        unsigned char h[HASH_BYTES];
        entry_hash_k(key, e.id > floor ? H_OWN : H_EXTERNAL, prev, &e, h);
        wl_stmt_blob(upd, 1, h, HASH_BYTES);
        wl_stmt_int(upd, 2, e.id);
        int u = wl_stmt_step(upd);
        wl_stmt_reset(upd);
        if (u != WL_DONE) rc = wl_store_step_error(st, u, "chaining audit entries", err);
        memcpy(prev, h, HASH_BYTES);
    }
    if (rc == WL_OK && r != WL_DONE) rc = wl_store_step_error(st, r, "reading the audit trail", err);
    wl_stmt_finalize(sel);
    wl_stmt_finalize(upd);
    return rc;
}

wl_rc wl_audit_settle(wl_store_t *st, wl_err_t *err)
{
    /* Cheap when nothing waits: only the newest rows are looked at. */
    int64_t newest = wl_audit_newest_id(st), chained = 0;
    unsigned char prev[HASH_BYTES];
    if (newest == 0) return WL_OK;
    wl_rc rc = last_hash(st, &chained, prev, err);
    if (rc != WL_OK || chained == newest) return rc;
    return settle_pending(st, prev, err);
}

wl_rc wl_audit_append(wl_store_t *st, const char *actor, const char *action, const char *ref,
                      const char *detail, int64_t now, wl_err_t *err)
{
    if (!actor || !*actor || !action || !*action) {
        wl_err_set(err, "an audit entry needs who (actor) and what (action)");
        return WL_ERR_INVALID;
    }
    const unsigned char *key = need_key(st, err);
    if (!key) return WL_ERR_IO;
    wl_rc rc = wl_store_begin(st, err);
    if (rc != WL_OK) return rc;
    unsigned char prev[HASH_BYTES], h[HASH_BYTES];
    wl_stmt_t *ins = NULL, *upd = NULL;
    /* Insert first to learn the id (it is part of the hash), then set the hash. */
    /* One writer at a time on PostgreSQL too (SQLite's write lock does this for files): two
     * appenders reading the same last hash would fork the chain. The id is the next number
     * under that lock rather than a sequence, which would leave gaps after a rollback that
     * verify would rightly call removed entries. */
    if (wl_store_backend(st) == WL_BACKEND_PG &&
        (rc = wl_store_exec(st, "SELECT pg_advisory_xact_lock(1464552269)", "locking the audit trail", err)) != WL_OK)
        goto done;
    if ((rc = last_hash(st, NULL, prev, err)) != WL_OK || (rc = settle_pending(st, prev, err)) != WL_OK) goto done;
    rc = wl_stmt_prepare(st, "INSERT INTO audit(id, at, actor, action, ref, detail) "
                             "VALUES ((SELECT coalesce(max(id), 0) + 1 FROM audit), ?1, ?2, ?3, ?4, ?5) RETURNING id",
                         &ins, err);
    if (rc != WL_OK) goto done;
    wl_stmt_int(ins, 1, now);
    wl_stmt_text(ins, 2, actor);
    wl_stmt_text(ins, 3, action);
    wl_stmt_text(ins, 4, ref); /* NULL binds SQL NULL */
    wl_stmt_text(ins, 5, detail ? detail : "");
    int r = wl_stmt_step(ins);
    if (r != WL_ROW) {
        rc = wl_store_step_error(st, r, "writing an audit entry", err);
        goto done;
    }
    entry_t e = {wl_stmt_col_int(ins, 0), now, actor, action, ref, detail ? detail : ""};
    wl_stmt_reset(ins);
    entry_hash_k(key, H_OWN, prev, &e, h);
    rc = wl_stmt_prepare(st, "UPDATE audit SET hash = ?1 WHERE id = ?2", &upd, err);
    if (rc != WL_OK) goto done;
    wl_stmt_blob(upd, 1, h, HASH_BYTES);
    wl_stmt_int(upd, 2, e.id);
    r = wl_stmt_step(upd);
    if (r != WL_DONE) rc = wl_store_step_error(st, r, "chaining an audit entry", err);
done:
    wl_stmt_finalize(ins);
    wl_stmt_finalize(upd);
    if (rc == WL_OK) return wl_store_commit(st, err);
    wl_store_rollback(st);
    return rc;
}

/* ---- the head file: the newest chained entry, kept outside the database ---------------- */

/* "<db>-audit.head": which entry was the newest (id and hash) and up to which id the trail
 * is legacy (unkeyed), MACed with the install key. Removing entries from the end of the
 * trail (after dropping the trigger) leaves a head that points past the end. */
typedef struct {
    int64_t id, legacy;
    unsigned char hash[HASH_BYTES];
} head_t;

#define HEAD_MAGIC "wijkloket-audit-head 1\n"

static void head_path(wl_store_t *st, char *out, size_t size)
{
    /* Beside the database file; for PostgreSQL beside the install key file on this machine
     * (wl_store_use_install_key): the head must live outside the database it vouches for. */
    snprintf(out, size, "%s-audit.head", wl_store_anchor(st));
}

static int head_body(const head_t *h, char *buf, size_t size)
{
    char hex[2 * HASH_BYTES + 1];
    sodium_bin2hex(hex, sizeof hex, h->hash, HASH_BYTES);
    return snprintf(buf, size, HEAD_MAGIC "id %" PRId64 "\nhash %s\nlegacy %" PRId64 "\n", h->id, hex, h->legacy);
}

static wl_rc head_parse(const unsigned char *key, const char *text, size_t len, head_t *h, const char *path,
                          wl_err_t *err)
{
    char buf[512], hex[2 * HASH_BYTES + 2], mac_hex[2 * HASH_BYTES + 2];
    if (len >= sizeof buf) goto bad;
    memcpy(buf, text, len);
    buf[len] = '\0';
    long long id = -1, legacy = -1;
    int used = 0;
    if (sscanf(buf, HEAD_MAGIC "id %lld\nhash %65s\nlegacy %lld\n%n", &id, hex, &legacy, &used) != 3 || used <= 0 ||
        id < 0 || legacy < 0 || legacy > id)
        goto bad;
    size_t got = 0;
    if (strlen(hex) != 2 * HASH_BYTES || sodium_hex2bin(h->hash, HASH_BYTES, hex, 2 * HASH_BYTES, NULL, &got, NULL) != 0 ||
        got != HASH_BYTES)
        goto bad;
    h->id = id;
    h->legacy = legacy;
    char body[256];
    int n = head_body(h, body, sizeof body);
    unsigned char want[WL_INSTALL_MAC_BYTES], have[WL_INSTALL_MAC_BYTES];
    if (n != used || memcmp(body, buf, (size_t)n) != 0 || sscanf(buf + used, "mac %65s", mac_hex) != 1 ||
        strlen(mac_hex) != 2 * WL_INSTALL_MAC_BYTES ||
        sodium_hex2bin(have, sizeof have, mac_hex, 2 * WL_INSTALL_MAC_BYTES, NULL, &got, NULL) != 0 ||
        got != WL_INSTALL_MAC_BYTES)
        goto bad;
    wl_install_mac(key, "wijkloket-audit-head", (const unsigned char *)body, (size_t)n, NULL, 0, want);
    if (sodium_memcmp(want, have, sizeof want) != 0) {
        wl_err_set(err, "%s: the audit head does not match its install key: it was changed or replaced", path);
        return WL_ERR_INVALID;
    }
    return WL_OK;
bad:
    wl_err_set(err, "%s: not a Wijkloket audit head (damaged or changed)", path);
    return WL_ERR_PARSE;
}

/* Reads the head; WL_ERR_NOTFOUND when there is none. */
static wl_rc read_head(wl_store_t *st, const unsigned char *key, head_t *h, wl_err_t *err)
{
    char path[4096], buf[512];
    head_path(st, path, sizeof path);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        wl_err_set(err, "%s: %s", path, strerror(errno));
        return errno == ENOENT ? WL_ERR_NOTFOUND : WL_ERR_IO;
    }
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    if (n < 0) {
        wl_err_set(err, "%s: %s", path, strerror(errno));
        return WL_ERR_IO;
    }
    return head_parse(key, buf, (size_t)n, h, path, err);
}

/* Writes the head atomically (temporary file, fsync, rename) under a lock, and only forward:
 * two processes committing at once leave the newer head. */
static void write_head(wl_store_t *st, const unsigned char *key, head_t *h, bool keep_legacy)
{
    char path[4096], tmp[4200], lockp[4200];
    head_path(st, path, sizeof path);
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    snprintf(lockp, sizeof lockp, "%s.lock", path);
    int lk = open(lockp, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (lk < 0) return;
    flock(lk, LOCK_EX);
    head_t old;
    wl_err_t e = {{0}};
    wl_rc have = read_head(st, key, &old, &e);
    if (have == WL_OK && old.id >= h->id) goto out;
    if (keep_legacy) h->legacy = have == WL_OK ? old.legacy : 0;
    char body[256], text[400], mac_hex[2 * WL_INSTALL_MAC_BYTES + 1];
    unsigned char mac[WL_INSTALL_MAC_BYTES];
    int n = head_body(h, body, sizeof body);
    wl_install_mac(key, "wijkloket-audit-head", (const unsigned char *)body, (size_t)n, NULL, 0, mac);
    sodium_bin2hex(mac_hex, sizeof mac_hex, mac, sizeof mac);
    int len = snprintf(text, sizeof text, "%smac %s\n", body, mac_hex);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) goto out;
    bool ok = write(fd, text, (size_t)len) == len && fsync(fd) == 0;
    if (close(fd) != 0) ok = false;
    if (ok && rename(tmp, path) == 0) {
        int dfd = -1;
        char dir[4096];
        snprintf(dir, sizeof dir, "%s", path);
        char *slash = strrchr(dir, '/');
        if (slash) *slash = '\0';
        if ((dfd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
            fsync(dfd);
            close(dfd);
        }
    } else {
        unlink(tmp);
    }
out:
    close(lk); /* releases the lock */
}

wl_rc wl_audit_head_check(const unsigned char *key, const char *text, size_t len, wl_err_t *err)
{
    head_t h;
    return head_parse(key, text, len, &h, "(head)", err);
}

void wl_audit_write_head(wl_store_t *st)
{
    const unsigned char *key = wl_store_install_key(st);
    if (!key) return;
    head_t h = {0};
    wl_err_t e = {{0}};
    if (last_hash(st, &h.id, h.hash, &e) != WL_OK || h.id == 0) return;
    if (h.id <= wl_store_head_written(st)) return;
    write_head(st, key, &h, true);
    wl_store_set_head_written(st, h.id);
}

wl_rc wl_audit_start_head(wl_store_t *st, wl_err_t *err)
{
    const unsigned char *key = wl_store_install_key(st);
    head_t h = {0};
    if (!key || wl_audit_newest_id(st) == 0) return WL_OK;
    wl_rc rc = last_hash(st, &h.id, h.hash, err);
    if (rc != WL_OK || !key || h.id == 0) return rc;
    h.legacy = h.id; /* what is there now was chained without a key */
    write_head(st, key, &h, false);
    return WL_OK;
}

static void describe(const entry_t *e, char *buf, size_t size)
{
    snprintf(buf, size, "entry %" PRId64 " (%s by %s%s%s at %" PRId64 ")", e->id, e->action ? e->action : "?",
             e->actor ? e->actor : "?", e->ref ? " on " : "", e->ref ? e->ref : "", e->at);
}

wl_rc wl_audit_verify(wl_store_t *st, wl_audit_report_t *rep, wl_err_t *err)
{
    memset(rep, 0, sizeof *rep);
    const unsigned char *key = need_key(st, err);
    if (!key) return WL_ERR_INVALID;
    head_t head = {0};
    char hpath[4096];
    head_path(st, hpath, sizeof hpath);
    wl_rc hrc = read_head(st, key, &head, err);
    if (hrc != WL_OK && hrc != WL_ERR_NOTFOUND) return WL_ERR_INVALID;
    bool have_head = hrc == WL_OK;
    wl_stmt_t *s = NULL;
    wl_rc rc = wl_stmt_prepare(st, "SELECT id, at, actor, action, ref, detail, hash FROM audit ORDER BY id", &s, err);
    if (rc != WL_OK) return rc;
    unsigned char prev[HASH_BYTES] = {0}, h[HASH_BYTES];
    int64_t expect_id = 1, last_at = INT64_MIN, last_trigger_at = INT64_MIN, last_id = 0;
    int r;
    char what[256];
    while ((r = wl_stmt_step(s)) == WL_ROW) {
        entry_t e;
        read_entry(s, &e);
        rep->entries++;
        describe(&e, what, sizeof what);
        /* Ids are handed out 1, 2, 3, ...; a gap means a removed entry. */
        if (e.id != expect_id) {
            rep->first_bad = expect_id;
            wl_err_set(err, "audit entry %" PRId64 " is missing (the trail jumps from %" PRId64 " to %" PRId64
                            "): an entry was removed",
                       expect_id, expect_id - 1, e.id);
            rc = WL_ERR_INVALID;
            break;
        }
        expect_id = e.id + 1;
        if (wl_stmt_col_null(s, 6)) {
            /* Wijkloket chains what its own triggers write before it commits, so an entry
             * still without a hash was written around it, straight into the file. */
            rep->pending++;
            rep->first_bad = e.id;
            wl_err_set(err, "audit %s was written straight into the database file, not by Wijkloket (it has no "
                            "hash yet): a change with the sqlite3 tool or a forged entry",
                       what);
            rc = WL_ERR_INVALID;
            break;
        }
        bool ok = false;
        const void *stored = wl_stmt_col_blob(s, 6);
        bool sized = wl_stmt_col_bytes(s, 6) == HASH_BYTES;
        if (e.id <= head.legacy) {
            entry_hash_k(key, H_LEGACY, prev, &e, h);
            ok = sized && sodium_memcmp(h, stored, HASH_BYTES) == 0;
        } else {
            entry_hash_k(key, H_OWN, prev, &e, h);
            ok = sized && sodium_memcmp(h, stored, HASH_BYTES) == 0;
            if (!ok) {
                entry_hash_k(key, H_EXTERNAL, prev, &e, h);
                if (sized && sodium_memcmp(h, stored, HASH_BYTES) == 0) {
                    rep->first_bad = e.id;
                    wl_err_set(err, "audit %s was written straight into the database file, not by Wijkloket "
                                    "(it was found waiting without a hash and chained afterwards): a change with "
                                    "the sqlite3 tool or a forged entry",
                               what);
                    rc = WL_ERR_INVALID;
                    break;
                }
            }
        }
        if (!ok) {
            rep->first_bad = e.id;
            wl_err_set(err, "audit %s does not match its hash: it was changed after it was written, "
                            "or an entry before it was, or it was written without the install key",
                       what);
            rc = WL_ERR_INVALID;
            break;
        }
        /* Each entry is dated by the clock of the program that wrote it; a later entry with an
         * earlier time was back-dated (or a clock was set back, which needs looking at too).
         * Entries the users triggers write are dated by SQLite's own clock, not the program's,
         * and are compared among themselves. */
        bool by_trigger = e.actor && strcmp(e.actor, "(database)") == 0;
        int64_t *clock = by_trigger ? &last_trigger_at : &last_at;
        if (e.at < *clock) {
            rep->first_bad = e.id;
            wl_err_set(err, "audit %s is dated before the entry before it (%" PRId64 "): times went back, "
                            "the entry was back-dated or a clock was set back",
                       what, *clock);
            rc = WL_ERR_INVALID;
            break;
        }
        *clock = e.at;
        last_id = e.id;
        memcpy(prev, h, HASH_BYTES);
        sodium_bin2hex(rep->head, sizeof rep->head, h, HASH_BYTES);
        if (have_head && e.id == head.id && sodium_memcmp(h, head.hash, HASH_BYTES) != 0) {
            rep->first_bad = e.id;
            wl_err_set(err, "audit %s is not the entry that %s recorded at that place: the trail was rewritten",
                       what, hpath);
            rc = WL_ERR_INVALID;
            break;
        }
    }
    if (rc == WL_OK && r != WL_DONE) rc = wl_store_step_error(st, r, "reading the audit trail", err);
    wl_stmt_finalize(s);
    if (rc == WL_OK && have_head && last_id < head.id) {
        rep->first_bad = last_id + 1;
        wl_err_set(err, "the audit trail ends at entry %" PRId64 " but %s recorded entry %" PRId64
                        ": entries were removed from the end",
                   last_id, hpath, head.id);
        rc = WL_ERR_INVALID;
    }
    if (rc == WL_OK && !have_head && last_id > 0) {
        wl_err_set(err, "%s is missing while the audit trail has %" PRId64
                        " entries: it was removed, so removal of entries from the end cannot be ruled out",
                   hpath, last_id);
        rc = WL_ERR_INVALID;
    }
    return rc;
}

wl_rc wl_audit_list(wl_store_t *st, const char *ref, int64_t limit, json_t **out, wl_err_t *err)
{
    *out = NULL;
    wl_stmt_t *s = NULL;
    wl_rc rc = wl_stmt_prepare(st,
                                "SELECT id, at, actor, action, ref, detail FROM ("
                                " SELECT * FROM audit WHERE (?1 IS NULL OR ref = ?1) ORDER BY id DESC LIMIT ?2"
                                ") AS recent ORDER BY id",
                                &s, err);
    if (rc != WL_OK) return rc;
    if (ref) wl_stmt_text(s, 1, ref);
    wl_stmt_int(s, 2, limit > 0 ? limit : INT64_MAX); /* no limit; PostgreSQL refuses -1 */
    json_t *arr = json_array();
    int r;
    while (arr && (r = wl_stmt_step(s)) == WL_ROW) {
        entry_t e;
        read_entry(s, &e);
        json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s?, s:s}", "id", (json_int_t)e.id, "at", (json_int_t)e.at,
                              "actor", e.actor ? e.actor : "", "action", e.action ? e.action : "", "ref", e.ref,
                              "detail", e.detail ? e.detail : "");
        if (!o || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    if (!arr) {
        rc = WL_ERR_NOMEM;
        wl_err_set(err, "out of memory while listing the audit trail");
    } else if (r != WL_DONE) {
        rc = wl_store_step_error(st, r, "reading the audit trail", err);
        json_decref(arr);
    } else {
        *out = arr;
    }
    wl_stmt_finalize(s);
    return rc;
}
