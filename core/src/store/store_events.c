/* Kiosk events that staff must see: help requests, printer failures; stored durably. */
#include "store/store_stmt.h"

#include <string.h>

wl_rc wl_store_log_event(wl_store_t *st, const char *kind, const char *location, const char *kiosk,
                         const char *detail, int64_t now, wl_err_t *err)
{
    if (!kind || !*kind || strlen(kind) > 40) {
        wl_err_set(err, "event kind must be 1 to 40 characters");
        return WL_ERR_INVALID;
    }
    wl_stmt_t *stmt = NULL;
    wl_rc rc = wl_stmt_prepare(st,
                                "INSERT INTO kiosk_events(kind, location, kiosk, detail, at) "
                                "VALUES (?1, ?2, ?3, ?4, ?5)",
                                &stmt, err);
    if (rc != WL_OK) return rc;
    wl_stmt_text(stmt, 1, kind);
    wl_stmt_text(stmt, 2, location ? location : "");
    wl_stmt_text(stmt, 3, kiosk ? kiosk : "");
    wl_stmt_text(stmt, 4, detail ? detail : "");
    wl_stmt_int(stmt, 5, now);
    /* A lone INSERT is its own transaction; synchronous=FULL makes it durable on return. */
    int src = wl_stmt_step(stmt);
    wl_stmt_finalize(stmt);
    if (src != WL_DONE) return wl_store_step_error(st, src, "log event", err);
    return WL_OK;
}

wl_rc wl_store_open_events(wl_store_t *st, json_t **out, wl_err_t *err)
{
    *out = NULL;
    wl_stmt_t *stmt = NULL;
    wl_rc rc = wl_stmt_prepare(st,
                                "SELECT id, kind, location, kiosk, detail, at FROM kiosk_events "
                                "WHERE acked_at IS NULL ORDER BY at DESC, id DESC LIMIT 500",
                                &stmt, err);
    if (rc != WL_OK) return rc;
    json_t *list = json_array();
    int src;
    while (list && (src = wl_stmt_step(stmt)) == WL_ROW) {
        json_t *e = json_pack("{s:I, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)wl_stmt_col_int(stmt, 0),
                              "kind", wl_stmt_col_text(stmt, 1),
                              "location", wl_stmt_col_text(stmt, 2),
                              "kiosk", wl_stmt_col_text(stmt, 3),
                              "detail", wl_stmt_col_text(stmt, 4),
                              "at", (json_int_t)wl_stmt_col_int(stmt, 5));
        if (!e || json_array_append_new(list, e) != 0) {
            json_decref(list);
            list = NULL;
        }
    }
    if (!list) {
        wl_stmt_finalize(stmt);
        wl_err_set(err, "out of memory listing events");
        return WL_ERR_NOMEM;
    }
    if (src != WL_DONE) {
        wl_stmt_finalize(stmt);
        json_decref(list);
        return wl_store_step_error(st, src, "list events", err);
    }
    wl_stmt_finalize(stmt);
    *out = list;
    return WL_OK;
}

wl_rc wl_store_ack_event(wl_store_t *st, int64_t id, const char *by, int64_t now, wl_err_t *err)
{
    wl_stmt_t *stmt = NULL;
    wl_rc rc = wl_stmt_prepare(st,
                                "UPDATE kiosk_events SET acked_by = ?2, acked_at = ?3 "
                                "WHERE id = ?1 AND acked_at IS NULL",
                                &stmt, err);
    if (rc != WL_OK) return rc;
    wl_stmt_int(stmt, 1, id);
    wl_stmt_text(stmt, 2, by ? by : "");
    wl_stmt_int(stmt, 3, now);
    int src = wl_stmt_step(stmt);
    wl_stmt_finalize(stmt);
    if (src != WL_DONE) return wl_store_step_error(st, src, "acknowledge event", err);
    if (wl_store_changes(st) == 0) {
        wl_err_set(err, "there is no open event %lld", (long long)id);
        return WL_ERR_NOTFOUND;
    }
    return WL_OK;
}
