/* Anonymous management counts for the minima wizard: which schemes were shown, per day and location. */
#include "minima/minima_internal.h"
#include "store/store_sql.h"

#include <string.h>

/* Only (day, location, scheme, status) and a count are kept: no time of day, no household
 * figure, no session id, so a row can never be traced back to the person who used the kiosk. */

typedef struct {
    const wl_minima_t *m;
    const wl_minima_result_t *r;
    const char *location;
    char day[11];
} count_ctx_t;

static wl_rc count_tx(wl_store_t *st, void *vctx, wl_err_t *err)
{
    count_ctx_t *c = vctx;
    wl_stmt_t *run = NULL, *shown = NULL;
    wl_rc rc = wl_stmt_prepare(st,
                                "INSERT INTO minima_runs(day, location, count) VALUES (?1, ?2, 1) "
                                "ON CONFLICT(day, location) DO UPDATE SET count = minima_runs.count + 1",
                                &run, err);
    if (rc == WL_OK)
        rc = wl_stmt_prepare(st,
                              "INSERT INTO minima_shown(day, location, scheme, status, count) "
                              "VALUES (?1, ?2, ?3, ?4, 1) ON CONFLICT(day, location, scheme, status) "
                              "DO UPDATE SET count = minima_shown.count + 1",
                              &shown, err);
    if (rc != WL_OK) goto done;
    wl_stmt_text(run, 1, c->day);
    wl_stmt_text(run, 2, c->location);
    int src = wl_stmt_step(run);
    if (src != WL_DONE) {
        rc = wl_store_step_error(st, src, "counting a minima check", err);
        goto done;
    }
    for (int i = 0; i < c->r->n_schemes; i++) {
        wl_minima_status s = c->r->schemes[i].status;
        if (s != WL_MINIMA_ELIGIBLE && s != WL_MINIMA_MAYBE) continue;
        wl_stmt_reset(shown);
        wl_stmt_text(shown, 1, c->day);
        wl_stmt_text(shown, 2, c->location);
        wl_stmt_text(shown, 3, c->m->schemes[i].id);
        wl_stmt_text(shown, 4, wl_minima_status_name(s));
        src = wl_stmt_step(shown);
        if (src != WL_DONE) {
            rc = wl_store_step_error(st, src, "counting a shown scheme", err);
            goto done;
        }
    }
done:
    wl_stmt_finalize(run);
    wl_stmt_finalize(shown);
    return rc;
}

wl_rc wl_minima_count_shown(wl_store_t *st, const wl_minima_t *m, const wl_minima_result_t *r,
                            const char *location, wl_err_t *err)
{
    if (!st || !m || !r || r->n_schemes != m->n_schemes) {
        wl_err_set(err, "minima count: no store or no result for this catalogue");
        return WL_ERR_INVALID;
    }
    if (!location || !*location || strlen(location) > 64) {
        wl_err_set(err, "minima count: location id must be 1 to 64 characters");
        return WL_ERR_INVALID;
    }
    count_ctx_t c = {m, r, location, ""};
    wl_minima_day_format(r->day, c.day);
    return wl_store_tx(st, count_tx, &c, err);
}

wl_rc wl_minima_counts(wl_store_t *st, const char *from, const char *to, json_t **out, wl_err_t *err)
{
    *out = NULL;
    int32_t d1, d2;
    if (!wl_minima_day_parse(from, &d1) || !wl_minima_day_parse(to, &d2)) {
        wl_err_set(err, "minima counts: from and to must be dates YYYY-MM-DD");
        return WL_ERR_INVALID;
    }
    wl_stmt_t *q = NULL;
    wl_rc rc = wl_stmt_prepare(st,
                                "SELECT day, location, scheme, status, count FROM minima_shown "
                                "WHERE day BETWEEN ?1 AND ?2 ORDER BY day, location, scheme, status",
                                &q, err);
    if (rc != WL_OK) return rc;
    wl_stmt_text(q, 1, from);
    wl_stmt_text(q, 2, to);
    json_t *list = json_array();
    int src;
    while (list && (src = wl_stmt_step(q)) == WL_ROW) {
        json_t *row = json_pack("{s:s,s:s,s:s,s:s,s:I}", "date", wl_stmt_col_text(q, 0), "location",
                                wl_stmt_col_text(q, 1), "scheme",
                                wl_stmt_col_text(q, 2), "status",
                                wl_stmt_col_text(q, 3), "count",
                                (json_int_t)wl_stmt_col_int(q, 4));
        if (!row || json_array_append_new(list, row)) {
            src = SQLITE_NOMEM;
            break;
        }
    }
    if (!list) src = SQLITE_NOMEM;
    if (src != WL_DONE) {
        rc = wl_store_step_error(st, src, "reading minima counts", err);
        json_decref(list);
        list = NULL;
    }
    wl_stmt_finalize(q);
    *out = list;
    return rc;
}
