/* The citizen portal's saved drafts: opaque id to encrypted bytes with an expiry (portal_drafts). */
#include "store/store_stmt.h"

#include <stdlib.h>
#include <string.h>

/* Ids are hashes the portal made from a resume code; anything else is refused before SQL. */
static bool id_ok(const char *id)
{
    if (!id) return false;
    size_t n = strlen(id);
    if (n < 1 || n > 64) return false;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

wl_rc wl_store_draft_put(wl_store_t *st, const char *id, const unsigned char *data, size_t len,
                         int64_t expires_at, wl_err_t *err)
{
    if (!id_ok(id) || !data || len == 0 || len > 1024 * 1024) {
        wl_err_set(err, "draft put: id must be 1..64 of [A-Za-z0-9_-] and data 1 byte..1 MiB");
        return WL_ERR_INVALID;
    }
    wl_stmt_t *s = NULL;
    wl_rc rc = wl_stmt_prepare(st, "INSERT INTO portal_drafts(id, data, expires_at) VALUES (?1, ?2, ?3) "
                                    "ON CONFLICT (id) DO UPDATE SET data = excluded.data, "
                                    "expires_at = excluded.expires_at", &s, err);
    if (rc != WL_OK) return rc;
    wl_stmt_text(s, 1, id);
    wl_stmt_blob(s, 2, data, len);
    wl_stmt_int(s, 3, expires_at);
    /* A lone statement is its own transaction; synchronous=FULL makes it durable on return. */
    int src = wl_stmt_step(s);
    wl_stmt_finalize(s);
    if (src != WL_DONE) return wl_store_step_error(st, src, "saving a portal draft", err);
    return WL_OK;
}

wl_rc wl_store_draft_get(wl_store_t *st, const char *id, int64_t now, unsigned char **data,
                         size_t *len, wl_err_t *err)
{
    *data = NULL;
    *len = 0;
    if (!id_ok(id)) {
        wl_err_set(err, "draft get: bad id");
        return WL_ERR_INVALID;
    }
    wl_stmt_t *s = NULL;
    wl_rc rc = wl_stmt_prepare(st, "SELECT data FROM portal_drafts WHERE id = ?1 AND expires_at > ?2",
                                &s, err);
    if (rc != WL_OK) return rc;
    wl_stmt_text(s, 1, id);
    wl_stmt_int(s, 2, now);
    int src = wl_stmt_step(s);
    if (src == WL_ROW) {
        int n = wl_stmt_col_bytes(s, 0);
        const void *b = wl_stmt_col_blob(s, 0);
        unsigned char *copy = malloc(n > 0 ? (size_t)n : 1);
        if (!copy) {
            rc = WL_ERR_NOMEM;
            wl_err_set(err, "draft get: out of memory");
        } else {
            if (n > 0) memcpy(copy, b, (size_t)n);
            *data = copy;
            *len = (size_t)n;
        }
    } else if (src == WL_DONE) {
        rc = WL_ERR_NOTFOUND;
        wl_err_set(err, "no draft with this id");
    } else {
        rc = wl_store_step_error(st, src, "reading a portal draft", err);
    }
    wl_stmt_finalize(s);
    return rc;
}

wl_rc wl_store_draft_delete(wl_store_t *st, const char *id, wl_err_t *err)
{
    if (!id_ok(id)) {
        wl_err_set(err, "draft delete: bad id");
        return WL_ERR_INVALID;
    }
    wl_stmt_t *s = NULL;
    wl_rc rc = wl_stmt_prepare(st, "DELETE FROM portal_drafts WHERE id = ?1", &s, err);
    if (rc != WL_OK) return rc;
    wl_stmt_text(s, 1, id);
    int src = wl_stmt_step(s);
    wl_stmt_finalize(s);
    if (src != WL_DONE) return wl_store_step_error(st, src, "deleting a portal draft", err);
    return WL_OK;
}

wl_rc wl_store_draft_purge(wl_store_t *st, int64_t now, int64_t *removed, wl_err_t *err)
{
    if (removed) *removed = 0;
    wl_stmt_t *s = NULL;
    wl_rc rc = wl_stmt_prepare(st, "DELETE FROM portal_drafts WHERE expires_at <= ?1", &s, err);
    if (rc != WL_OK) return rc;
    wl_stmt_int(s, 1, now);
    int src = wl_stmt_step(s);
    wl_stmt_finalize(s);
    if (src != WL_DONE) return wl_store_step_error(st, src, "purging expired portal drafts", err);
    if (removed) *removed = wl_store_changes(st);
    return WL_OK;
}
