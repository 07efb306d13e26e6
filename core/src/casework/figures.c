/* Policy figures straight from SQL over clear fields: Kansen in Kaart per location, advice-versus-decision matrix. */
#include "wijkloket/figures.h"
#include "store/store_sql.h"

#include <string.h>

static const char *const ROUTES[] = {"zelfdoener", "klantondersteuning", "participatie"};

static void bind_range(wl_stmt_t *s, const wl_case_filter_t *f)
{
    const char *v[3] = {f ? f->location : NULL, f ? f->from : NULL, f ? f->to : NULL};
    for (int i = 0; i < 3; i++) {
        wl_stmt_text(s, i + 1, v[i]); /* NULL binds SQL NULL */
    }
}

static json_t *new_block(void)
{
    json_t *b = json_pack("{s:i, s:i, s:{s:i, s:i, s:i}, s:{}, s:{}, s:i}", "completed", 0, "abandoned", 0, "routes",
                          ROUTES[0], 0, ROUTES[1], 0, ROUTES[2], 0, "kik_status", "signals", "decided", 0);
    return b;
}

static void add(json_t *obj, const char *key, json_int_t n)
{
    json_t *v = json_object_get(obj, key);
    json_object_set_new(obj, key, json_integer(json_integer_value(v) + n));
}

/* The block for a location, made on first use; locations stay in first-seen (sorted) order. */
static json_t *block_for(json_t *locs, const char *location)
{
    size_t i;
    json_t *b;
    json_array_foreach(locs, i, b) {
        if (strcmp(json_string_value(json_object_get(b, "location")), location) == 0) return b;
    }
    b = new_block();
    json_object_set_new(b, "location", json_string(location));
    json_array_append_new(locs, b);
    return b;
}

static void count_into(json_t *b, const char *status, const char *route, const char *kik, const char *decided,
                       json_int_t n)
{
    if (strcmp(status, "abandoned") == 0) {
        add(b, "abandoned", n);
        return;
    }
    add(b, "completed", n);
    if (*route) add(json_object_get(b, "routes"), route, n);
    if (*kik) add(json_object_get(b, "kik_status"), kik, n);
    if (*decided) add(b, "decided", n);
}

wl_rc wl_figures_kik(wl_store_t *st, const wl_case_filter_t *f, json_t **out, wl_err_t *err)
{
    *out = NULL;
    wl_case_filter_t range = {f ? f->location : NULL, f ? f->from : NULL, f ? f->to : NULL, NULL, NULL};
    wl_rc rc = wl_case_filter_check(&range, err);
    if (rc != WL_OK) return rc;
    wl_stmt_t *s = NULL, *g = NULL;
    rc = wl_stmt_prepare(
        st,
        "SELECT location, st, route, kik, decided, SUM(n) FROM ("
        " SELECT i.location AS location, CASE i.status WHEN 'abandoned' THEN 'abandoned' ELSE 'completed' END AS st,"
        "  COALESCE(i.route, '') AS route,"
        "  COALESCE(json_extract(i.result, '$.kik_status'), json_extract(i.result, '$.participatie.kik_status'), '')"
        "   AS kik,"
        "  COALESCE((SELECT d.route FROM decisions d WHERE d.ref = i.ref ORDER BY d.id DESC LIMIT 1), '') AS decided,"
        "  date(COALESCE(i.completed_at, i.started_at), 'unixepoch', 'localtime') AS day, 1 AS n FROM intakes i"
        " UNION ALL SELECT location, CASE status WHEN 'abandoned' THEN 'abandoned' ELSE 'completed' END, route,"
        "  kik_status, decided_route, day, n FROM purged_counts"
        ") AS t WHERE (?1 IS NULL OR location = ?1) AND (?2 IS NULL OR day >= ?2) AND (?3 IS NULL OR day <= ?3)"
        " GROUP BY location, st, route, kik, decided ORDER BY location",
        &s, err);
    if (rc == WL_OK)
        rc = wl_stmt_prepare(
            st,
            "SELECT location, sig, SUM(n) FROM ("
            " SELECT i.location AS location, json_extract(j.value, '$.id') AS sig,"
            "  date(COALESCE(i.completed_at, i.started_at), 'unixepoch', 'localtime') AS day, 1 AS n"
            "  FROM intakes i, json_each(i.result, '$.signals') j WHERE i.status = 'completed'"
            " UNION ALL SELECT location, signal, day, n FROM purged_signals"
            ") AS t WHERE sig IS NOT NULL AND (?1 IS NULL OR location = ?1) AND (?2 IS NULL OR day >= ?2)"
            "  AND (?3 IS NULL OR day <= ?3) GROUP BY location, sig ORDER BY location, sig",
            &g, err);
    if (rc != WL_OK) {
        wl_stmt_finalize(s);
        return rc;
    }
    bind_range(s, &range);
    bind_range(g, &range);
    json_t *locs = json_array(), *total = new_block();
    int r;
    while ((r = wl_stmt_step(s)) == WL_ROW) {
        const char *loc = wl_stmt_col_text(s, 0);
        const char *sts = wl_stmt_col_text(s, 1);
        const char *route = wl_stmt_col_text(s, 2);
        const char *kik = wl_stmt_col_text(s, 3);
        const char *dec = wl_stmt_col_text(s, 4);
        json_int_t n = wl_stmt_col_int(s, 5);
        count_into(block_for(locs, loc ? loc : ""), sts ? sts : "", route ? route : "", kik ? kik : "",
                   dec ? dec : "", n);
        count_into(total, sts ? sts : "", route ? route : "", kik ? kik : "", dec ? dec : "", n);
    }
    if (r == WL_DONE) {
        while ((r = wl_stmt_step(g)) == WL_ROW) {
            const char *loc = wl_stmt_col_text(g, 0);
            const char *sig = wl_stmt_col_text(g, 1);
            json_int_t n = wl_stmt_col_int(g, 2);
            add(json_object_get(block_for(locs, loc ? loc : ""), "signals"), sig, n);
            add(json_object_get(total, "signals"), sig, n);
        }
    }
    if (r != WL_DONE) {
        rc = wl_store_step_error(st, r, "counting intakes", err);
        json_decref(locs);
        json_decref(total);
    } else {
        *out = json_pack("{s:o, s:o, s:o, s:o}", "from", range.from ? json_string(range.from) : json_null(), "to",
                         range.to ? json_string(range.to) : json_null(), "locations", locs, "total", total);
        if (!*out) {
            wl_err_set(err, "out of memory");
            rc = WL_ERR_NOMEM;
        }
    }
    wl_stmt_finalize(s);
    wl_stmt_finalize(g);
    return rc;
}

wl_rc wl_figures_agreement(wl_store_t *st, const wl_case_filter_t *f, json_t **out, wl_err_t *err)
{
    *out = NULL;
    wl_case_filter_t range = {f ? f->location : NULL, f ? f->from : NULL, f ? f->to : NULL, NULL, NULL};
    wl_rc rc = wl_case_filter_check(&range, err);
    if (rc != WL_OK) return rc;
    wl_stmt_t *s = NULL;
    /* The latest decision per record; purged decisions survive as anonymous counts. */
    rc = wl_stmt_prepare(
        st,
        "SELECT advised, decided, SUM(n) FROM ("
        " SELECT COALESCE(d.advised_route, i.route, '') AS advised, COALESCE(d.route, '') AS decided, i.location AS location,"
        "  date(COALESCE(i.completed_at, i.started_at), 'unixepoch', 'localtime') AS day, 1 AS n"
        "  FROM intakes i LEFT JOIN decisions d ON d.id = (SELECT max(id) FROM decisions WHERE ref = i.ref)"
        "  WHERE i.status = 'completed'"
        " UNION ALL SELECT route, decided_route, location, day, n FROM purged_counts WHERE status <> 'abandoned'"
        ") AS t WHERE (?1 IS NULL OR location = ?1) AND (?2 IS NULL OR day >= ?2) AND (?3 IS NULL OR day <= ?3)"
        " GROUP BY advised, decided",
        &s, err);
    if (rc != WL_OK) return rc;
    bind_range(s, &range);
    json_t *matrix = json_object(), *per = json_object();
    for (int i = 0; i < 3; i++) {
        json_t *row = json_object();
        for (int j = 0; j < 3; j++) json_object_set_new(row, ROUTES[j], json_integer(0));
        json_object_set_new(matrix, ROUTES[i], row);
        json_object_set_new(per, ROUTES[i], json_pack("{s:i, s:i}", "decided", 0, "agreed", 0));
    }
    json_int_t decided = 0, agreed = 0, undecided = 0;
    int r;
    while ((r = wl_stmt_step(s)) == WL_ROW) {
        const char *adv = wl_stmt_col_text(s, 0);
        const char *dec = wl_stmt_col_text(s, 1);
        json_int_t n = wl_stmt_col_int(s, 2);
        if (!dec || !*dec) {
            undecided += n;
            continue;
        }
        json_t *row = json_object_get(matrix, adv ? adv : "");
        if (!row) {
            row = json_object();
            json_object_set_new(matrix, adv ? adv : "", row);
            json_object_set_new(per, adv ? adv : "", json_pack("{s:i, s:i}", "decided", 0, "agreed", 0));
        }
        add(row, dec, n);
        json_t *pr = json_object_get(per, adv ? adv : "");
        add(pr, "decided", n);
        decided += n;
        if (adv && strcmp(adv, dec) == 0) {
            add(pr, "agreed", n);
            agreed += n;
        }
    }
    if (r != WL_DONE) {
        rc = wl_store_step_error(st, r, "counting decisions", err);
        json_decref(matrix);
        json_decref(per);
    } else {
        *out = json_pack("{s:[s,s,s], s:o, s:o, s:I, s:I, s:I}", "routes", ROUTES[0], ROUTES[1], ROUTES[2], "matrix",
                         matrix, "per_route", per, "decided", decided, "agreed", agreed, "undecided", undecided);
    }
    wl_stmt_finalize(s);
    return rc;
}
