/* Retention policy loading and the purge: delete or anonymise by status, keep anonymous day counts. */
#include "wijkloket/retention.h"
#include "wijkloket/audit.h"
#include "wijkloket/jsonfile.h"
#include "wijkloket/refcode.h"
#include "wijkloket/seal.h"
#include "store/store_sql.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define MAX_KEEP_DAYS 3650

static wl_rc field_error(wl_err_t *err, const char *path, const char *key, const char *fmt, const char *what)
{
    char quoted[80];
    snprintf(quoted, sizeof quoted, "\"%s\"", key);
    char msg[300];
    snprintf(msg, sizeof msg, fmt, what);
    wl_err_set(err, "%s:%d: field '%s': %s", path, wl_json_locate(path, quoted), key, msg);
    return WL_ERR_INVALID;
}

static wl_rc load_rule(const char *path, const json_t *pols, const char *name, wl_retention_rule_t *r, wl_err_t *err)
{
    const json_t *o = json_object_get(pols, name);
    char field[64];
    if (!json_is_object(o)) return field_error(err, path, name, "policy for status %s is missing or not an object", name);
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)o, key, v) {
        if (strcmp(key, "keep_days") != 0 && strcmp(key, "action") != 0 && strcmp(key, "why") != 0)
            return field_error(err, path, key, "unknown key in policy %s (known: keep_days, action, why)", name);
    }
    const json_t *kd = json_object_get(o, "keep_days");
    snprintf(field, sizeof field, "keep_days");
    if (!json_is_integer(kd) || json_integer_value(kd) < 0 || json_integer_value(kd) > MAX_KEEP_DAYS)
        return field_error(err, path, field, "%s.keep_days must be a whole number of days from 0 to 3650", name);
    r->keep_days = (int)json_integer_value(kd);
    const char *a = json_string_value(json_object_get(o, "action"));
    if (a && strcmp(a, "delete") == 0) r->action = WL_RETAIN_DELETE;
    else if (a && strcmp(a, "anonymise") == 0) r->action = WL_RETAIN_ANONYMISE;
    else return field_error(err, path, "action", "%s.action must be \"delete\" or \"anonymise\"", name);
    const json_t *why = json_object_get(o, "why");
    if (!json_is_string(why) || !json_string_length(why))
        return field_error(err, path, "why", "%s.why must say in words why this period (for the DPIA)", name);
    return WL_OK;
}

wl_rc wl_retention_load(const char *path, wl_retention_policy_t *out, wl_err_t *err)
{
    memset(out, 0, sizeof *out);
    json_t *doc = NULL;
    wl_rc rc = wl_json_load_file(path, &doc, err);
    if (rc != WL_OK) return rc;
    if (!json_is_object(doc)) {
        wl_err_set(err, "%s:1: the file must hold one JSON object", path);
        json_decref(doc);
        return WL_ERR_INVALID;
    }
    const char *key;
    json_t *v;
    json_object_foreach(doc, key, v) {
        if (strcmp(key, "version") && strcmp(key, "source") && strcmp(key, "policies") &&
            strcmp(key, "keep_while_appointment_ahead") && strcmp(key, "appointments")) {
            rc = field_error(err, path, key, "%s",
                             "unknown key (known: version, source, policies, keep_while_appointment_ahead, "
                             "appointments)");
            goto done;
        }
    }
    const char *ver = json_string_value(json_object_get(doc, "version"));
    if (!ver || !*ver || strlen(ver) >= sizeof out->version) {
        rc = field_error(err, path, "version", "%s", "must be a short text such as \"2026-1\"");
        goto done;
    }
    snprintf(out->version, sizeof out->version, "%s", ver);
    if (!json_is_string(json_object_get(doc, "source"))) {
        rc = field_error(err, path, "source", "%s", "must name where the periods come from");
        goto done;
    }
    const json_t *pols = json_object_get(doc, "policies");
    if (!json_is_object(pols)) {
        rc = field_error(err, path, "policies", "%s", "must be an object with pulled, not_pulled, abandoned");
        goto done;
    }
    json_object_foreach((json_t *)pols, key, v) {
        if (strcmp(key, "pulled") && strcmp(key, "not_pulled") && strcmp(key, "abandoned")) {
            rc = field_error(err, path, key, "%s", "unknown status (known: pulled, not_pulled, abandoned)");
            goto done;
        }
    }
    if ((rc = load_rule(path, pols, "pulled", &out->pulled, err)) != WL_OK ||
        (rc = load_rule(path, pols, "not_pulled", &out->not_pulled, err)) != WL_OK ||
        (rc = load_rule(path, pols, "abandoned", &out->abandoned, err)) != WL_OK)
        goto done;
    const json_t *k = json_object_get(doc, "keep_while_appointment_ahead");
    if (!json_is_boolean(k)) {
        rc = field_error(err, path, "keep_while_appointment_ahead", "%s", "must be true or false");
        goto done;
    }
    out->keep_while_appointment_ahead = json_is_true(k);
    /* Appointments name a service (say debt help), a place and a time: personal data that must
     * not outlive its use. */
    out->appointment_keep_days = 30;
    const json_t *ap = json_object_get(doc, "appointments");
    if (ap) {
        const json_t *kd = json_object_get(ap, "keep_days");
        json_object_foreach((json_t *)ap, key, v) {
            if (strcmp(key, "keep_days") && strcmp(key, "why")) {
                rc = field_error(err, path, key, "%s", "unknown key in appointments (known: keep_days, why)");
                goto done;
            }
        }
        if (!json_is_integer(kd) || json_integer_value(kd) < 0 || json_integer_value(kd) > 3650) {
            rc = field_error(err, path, "appointments", "%s", "keep_days must be a whole number of days, 0 to 3650");
            goto done;
        }
        if (!json_is_string(json_object_get(ap, "why"))) {
            rc = field_error(err, path, "appointments", "%s", "must say why (\"why\": text)");
            goto done;
        }
        out->appointment_keep_days = (int)json_integer_value(kd);
    }
done:
    json_decref(doc);
    return rc;
}

/* ---- the purge ---------------------------------------------------------------------- */

static wl_rc run(wl_store_t *st, wl_stmt_t *s, const char *what, wl_err_t *err)
{
    int r = wl_stmt_step(s);
    wl_stmt_reset(s);
    return r == WL_DONE ? WL_OK : wl_store_step_error(st, r, what, err);
}

typedef struct {
    wl_stmt_t *count, *signal, *del, *appt, *anon_data, *anon_detail, *anon_dec, *anon_row;
    int64_t appointments; /* appointments deleted with their intake */
} stmts_t;

/* The appointments of an intake go with it: they name a service, a place and a time. */
static wl_rc drop_appointments(wl_store_t *st, stmts_t *p, const char *ref, wl_err_t *err)
{
    wl_stmt_text(p->appt, 1, ref);
    wl_rc rc = run(st, p->appt, "deleting the intake's appointments", err);
    if (rc == WL_OK) p->appointments += wl_store_changes(st);
    return rc;
}

/* Anonymising gives the row a fresh random reference that nobody holds: the code on the
 * citizen's slip and the one in the audit trail then point at nothing. */

static wl_rc prepare_all(wl_store_t *st, stmts_t *p, wl_err_t *err)
{
    wl_rc rc;
    if ((rc = wl_stmt_prepare(st,
                               "INSERT INTO purged_counts (day, location, status, route, kik_status, decided_route, n)"
                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1) ON CONFLICT (day, location, status, route, kik_status,"
                               " decided_route) DO UPDATE SET n = purged_counts.n + 1",
                               &p->count, err)) != WL_OK)
        return rc;
    if ((rc = wl_stmt_prepare(st,
                               "INSERT INTO purged_signals (day, location, signal, n) VALUES (?1, ?2, ?3, 1)"
                               " ON CONFLICT (day, location, signal) DO UPDATE SET n = purged_signals.n + 1",
                               &p->signal, err)) != WL_OK)
        return rc;
    if ((rc = wl_stmt_prepare(st, "DELETE FROM intakes WHERE ref = ?1", &p->del, err)) != WL_OK) return rc;
    if ((rc = wl_stmt_prepare(st, "DELETE FROM appointments WHERE intake_ref = ?1", &p->appt, err)) != WL_OK)
        return rc;
    if ((rc = wl_stmt_prepare(st, "DELETE FROM intake_data WHERE ref = ?1", &p->anon_data, err)) != WL_OK) return rc;
    if ((rc = wl_stmt_prepare(st, "DELETE FROM intake_detail WHERE ref = ?1", &p->anon_detail, err)) != WL_OK)
        return rc;
    if ((rc = wl_stmt_prepare(st, "UPDATE decisions SET reason = NULL, ref = ?2 WHERE ref = ?1", &p->anon_dec,
                               err)) != WL_OK)
        return rc;
    /* The anonymous row keeps the (local) day of the visit, not its second: exact times next to
     * location, language and route could single a person out. */
#define DAY_OF(col) "CAST(strftime('%s', date(" col ", 'unixepoch', 'localtime'), 'utc') AS INTEGER)"
    return wl_stmt_prepare(st,
                            "UPDATE intakes SET ref = ?4, assisted_by = NULL, kiosk = '', result = ?2,"
                            " anonymised_at = ?3, started_at = " DAY_OF("started_at") ","
                            " completed_at = " DAY_OF("completed_at") ", created_at = " DAY_OF("created_at") ","
                            " pulled_at = " DAY_OF("pulled_at") " WHERE ref = ?1",
                            &p->anon_row, err);
#undef DAY_OF
}

static void finalize_all(stmts_t *p)
{
    wl_stmt_finalize(p->count);
    wl_stmt_finalize(p->signal);
    wl_stmt_finalize(p->del);
    wl_stmt_finalize(p->appt);
    wl_stmt_finalize(p->anon_data);
    wl_stmt_finalize(p->anon_detail);
    wl_stmt_finalize(p->anon_dec);
    wl_stmt_finalize(p->anon_row);
}

static void bind_text(wl_stmt_t *s, int i, const char *v)
{
    wl_stmt_text(s, i, v ? v : "");
}

/* Adds one record to the anonymous day counts before it goes. */
static wl_rc count_record(wl_store_t *st, stmts_t *p, const char *day, const char *location, const char *status,
                          const char *route, const json_t *result, const char *decided, wl_err_t *err)
{
    const json_t *kik = json_object_get(result, "kik_status");
    if (!json_is_string(kik)) kik = json_object_get(json_object_get(result, "participatie"), "kik_status");
    bind_text(p->count, 1, day);
    bind_text(p->count, 2, location);
    bind_text(p->count, 3, status);
    bind_text(p->count, 4, route);
    bind_text(p->count, 5, json_string_value(kik));
    bind_text(p->count, 6, decided);
    wl_rc rc = run(st, p->count, "keeping an anonymous count", err);
    size_t i;
    const json_t *sig;
    /* Statistics count signals of completed intakes only, as wl_figures_kik does. */
    const json_t *signals = strcmp(status, "abandoned") == 0 ? NULL : json_object_get(result, "signals");
    json_array_foreach(signals, i, sig) {
        const char *id = json_string_value(json_object_get(sig, "id"));
        if (rc != WL_OK || !id) continue;
        bind_text(p->signal, 1, day);
        bind_text(p->signal, 2, location);
        bind_text(p->signal, 3, id);
        rc = run(st, p->signal, "keeping an anonymous signal count", err);
    }
    return rc;
}

static wl_rc anonymise(wl_store_t *st, stmts_t *p, const char *ref, const json_t *result, int64_t now, wl_err_t *err)
{
    wl_rc rc = drop_appointments(st, p, ref, err);
    if (rc != WL_OK) return rc;
    wl_stmt_text(p->anon_data, 1, ref);
    rc = run(st, p->anon_data, "removing answers", err);
    char fresh[WL_REFCODE_BUFSZ];
    wl_refcode_new(fresh);
    wl_stmt_text(p->anon_dec, 1, ref);
    wl_stmt_text(p->anon_dec, 2, fresh);
    if (rc == WL_OK) rc = run(st, p->anon_dec, "removing decision reasons", err);
    if (rc != WL_OK) return rc;
    /* Only the clear part of the result stays (route, status, signal ids), also when a
     * store without a seal key wrote the full result in clear; the sealed detail goes. */
    wl_stmt_text(p->anon_detail, 1, ref);
    rc = run(st, p->anon_detail, "removing the result detail", err);
    if (rc != WL_OK) return rc;
    json_t *r = wl_seal_clear_result(result);
    char *text = r ? json_dumps(r, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
    json_decref(r);
    wl_stmt_text(p->anon_row, 1, ref);
    wl_stmt_text(p->anon_row, 2, text); /* NULL binds SQL NULL */
    wl_stmt_int(p->anon_row, 3, now);
    wl_stmt_text(p->anon_row, 4, fresh);
    rc = run(st, p->anon_row, "anonymising an intake", err);
    free(text);
    return rc;
}

/* One record the purge will act on, copied out of the query so the table can change after. */
typedef struct {
    char ref[WL_REFCODE_BUFSZ];
    wl_retain_action_t action;
    char day[11], category[16];
    char *location, *route, *result, *decided;
} due_t;

static char *dup_col(wl_stmt_t *s, int c)
{
    const char *v = wl_stmt_col_text(s, c);
    return v ? strdup(v) : NULL;
}

static void due_free(due_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(d[i].location);
        free(d[i].route);
        free(d[i].result);
        free(d[i].decided);
    }
    free(d);
}

/* Phase 1: decide per record (read only). Filling *due with what must go. */
static wl_rc find_due(wl_store_t *st, const wl_retention_policy_t *pol, int64_t now, const char *now_local,
                      wl_retention_report_t *rep, due_t **due, size_t *n_due, wl_err_t *err)
{
    wl_stmt_t *sel = NULL;
    size_t cap = 0;
    wl_rc rc = wl_stmt_prepare(st,
                                "SELECT i.ref, i.status, i.pulled_at, i.completed_at, i.started_at, i.location, i.route,"
                                " i.result, date(COALESCE(i.completed_at, i.started_at), 'unixepoch', 'localtime'),"
                                " (SELECT d.route FROM decisions d WHERE d.ref = i.ref ORDER BY d.id DESC LIMIT 1),"
                                " i.anonymised_at,"
                                " EXISTS (SELECT 1 FROM appointments a WHERE a.intake_ref = i.ref"
                                "  AND a.status = 'booked' AND a.start >= ?1)"
                                " FROM intakes i ORDER BY i.ref",
                                &sel, err);
    if (rc != WL_OK) return rc;
    wl_stmt_text(sel, 1, now_local);
    int r;
    while ((r = wl_stmt_step(sel)) == WL_ROW) {
        const char *status = wl_stmt_col_text(sel, 1);
        bool abandoned = status && strcmp(status, "abandoned") == 0;
        bool pulled = !wl_stmt_col_null(sel, 2);
        const wl_retention_rule_t *rule = abandoned ? &pol->abandoned : pulled ? &pol->pulled : &pol->not_pulled;
        int64_t clock = wl_stmt_col_int(sel, abandoned ? 4 : pulled ? 2 : 3);
        if (!abandoned && !pulled && wl_stmt_col_null(sel, 3)) clock = wl_stmt_col_int(sel, 4);
        bool anonymised = !wl_stmt_col_null(sel, 10);
        if (now < clock + (int64_t)rule->keep_days * 86400 || (anonymised && rule->action == WL_RETAIN_ANONYMISE)) {
            rep->kept++;
            continue;
        }
        if (pol->keep_while_appointment_ahead && wl_stmt_col_int(sel, 11)) {
            rep->held_for_appointment++;
            continue;
        }
        if (rule->action == WL_RETAIN_DELETE) rep->deleted++;
        else rep->anonymised++;
        if (*n_due == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            due_t *nd = realloc(*due, ncap * sizeof *nd);
            if (!nd) {
                rc = WL_ERR_NOMEM;
                wl_err_set(err, "purge: out of memory");
                break;
            }
            *due = nd;
            cap = ncap;
        }
        due_t *d = &(*due)[(*n_due)++];
        memset(d, 0, sizeof *d);
        snprintf(d->ref, sizeof d->ref, "%s", wl_stmt_col_text(sel, 0));
        d->action = rule->action;
        const char *day = wl_stmt_col_text(sel, 8);
        snprintf(d->day, sizeof d->day, "%s", day ? day : "");
        snprintf(d->category, sizeof d->category, "%s", abandoned ? "abandoned" : pulled ? "pulled" : "not_pulled");
        d->location = dup_col(sel, 5);
        d->route = dup_col(sel, 6);
        d->result = dup_col(sel, 7);
        d->decided = dup_col(sel, 9);
    }
    if (rc == WL_OK && r != WL_DONE) rc = wl_store_step_error(st, r, "reading intakes for the purge", err);
    wl_stmt_finalize(sel);
    return rc;
}

/* Appointments whose start lies more than the policy's keep_days behind now (local time, as
 * they are stored), whether or not an intake is attached. */
static wl_rc purge_appointments(wl_store_t *st, const wl_retention_policy_t *pol, int64_t now, stmts_t *p,
                                wl_err_t *err)
{
    char cutoff[20];
    time_t t = (time_t)(now - (int64_t)pol->appointment_keep_days * 86400);
    struct tm tmv;
    if (!localtime_r(&t, &tmv) || !strftime(cutoff, sizeof cutoff, "%Y-%m-%dT%H:%M", &tmv)) {
        wl_err_set(err, "purge: cannot turn time %lld into a local date", (long long)now);
        return WL_ERR_INVALID;
    }
    wl_stmt_t *s = NULL;
    wl_rc rc = wl_stmt_prepare(st, "DELETE FROM appointments WHERE start < ?1", &s, err);
    if (rc != WL_OK) return rc;
    wl_stmt_text(s, 1, cutoff);
    rc = run(st, s, "deleting past appointments", err);
    if (rc == WL_OK) p->appointments += wl_store_changes(st);
    wl_stmt_finalize(s);
    return rc;
}

wl_rc wl_retention_apply(wl_store_t *st, const wl_retention_policy_t *pol, int64_t now, const char *actor,
                         bool dry_run, wl_retention_report_t *rep, wl_err_t *err)
{
    memset(rep, 0, sizeof *rep);
    /* Appointments store local wall-clock "YYYY-MM-DDTHH:MM"; compare in the same form. */
    char now_local[20];
    time_t t = (time_t)now;
    struct tm tmv;
    if (!localtime_r(&t, &tmv) || !strftime(now_local, sizeof now_local, "%Y-%m-%dT%H:%M", &tmv)) {
        wl_err_set(err, "purge: cannot turn time %lld into a local date", (long long)now);
        return WL_ERR_INVALID;
    }
    /* Deleted content is overwritten with zeros instead of lingering in free pages. */
    wl_store_secure_delete(st);
    wl_rc rc = wl_store_begin(st, err);
    if (rc != WL_OK) return rc;
    /* Decisions point at the intake's reference; both change in one go when anonymising,
     * so the foreign key is checked at commit instead of between the two updates. */
    wl_store_defer_foreign_keys(st);
    stmts_t p = {0};
    due_t *due = NULL;
    size_t n_due = 0;
    rc = find_due(st, pol, now, now_local, rep, &due, &n_due, err);
    if (rc == WL_OK && !dry_run) rc = prepare_all(st, &p, err);
    for (size_t i = 0; rc == WL_OK && !dry_run && i < n_due; i++) {
        due_t *d = &due[i];
        json_t *result = d->result ? json_loads(d->result, 0, NULL) : NULL;
        if (d->action == WL_RETAIN_DELETE) {
            rc = count_record(st, &p, d->day, d->location, d->category, d->route, result, d->decided, err);
            if (rc == WL_OK) rc = drop_appointments(st, &p, d->ref, err);
            if (rc == WL_OK) {
                wl_stmt_text(p.del, 1, d->ref);
                rc = run(st, p.del, "deleting an intake", err);
            }
        } else {
            rc = anonymise(st, &p, d->ref, result, now, err);
        }
        json_decref(result);
    }
    if (rc == WL_OK && !dry_run) rc = purge_appointments(st, pol, now, &p, err);
    rep->appointments = p.appointments;
    if (rc == WL_OK && !dry_run) {
        char detail[240];
        snprintf(detail, sizeof detail,
                 "policy=%s deleted=%lld anonymised=%lld held_for_appointment=%lld appointments=%lld", pol->version,
                 (long long)rep->deleted, (long long)rep->anonymised, (long long)rep->held_for_appointment,
                 (long long)rep->appointments);
        rc = wl_audit_append(st, actor && *actor ? actor : "kiosk", "purge", NULL, detail, now, err);
    }
    due_free(due, n_due);
    finalize_all(&p);
    if (rc != WL_OK || dry_run) {
        wl_store_rollback(st);
        return rc;
    }
    return wl_store_commit(st, err);
}

wl_rc wl_retention_purge(wl_store_t *st, const char *assets_dir, int64_t now, const char *actor, bool dry_run,
                         wl_retention_report_t *rep, wl_err_t *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/retention.json", assets_dir ? assets_dir : "assets");
    wl_retention_policy_t pol;
    wl_rc rc = wl_retention_load(path, &pol, err);
    if (rc != WL_OK) {
        memset(rep, 0, sizeof *rep);
        return rc;
    }
    return wl_retention_apply(st, &pol, now, actor, dry_run, rep, err);
}

wl_rc wl_retention_forget(wl_store_t *st, const char *ref_in, const char *actor, int64_t now, wl_err_t *err)
{
    char canon[WL_REFCODE_BUFSZ];
    const char *ref = wl_refcode_parse(ref_in, canon, NULL) == WL_OK ? canon : ref_in;
    if (!actor || !*actor) {
        wl_err_set(err, "forget: who asks for it (actor) is missing");
        return WL_ERR_INVALID;
    }
    wl_store_secure_delete(st);
    wl_rc rc = wl_store_begin(st, err);
    if (rc != WL_OK) return rc;
    stmts_t p = {0};
    wl_stmt_t *sel = NULL;
    rc = prepare_all(st, &p, err);
    if (rc == WL_OK)
        rc = wl_stmt_prepare(st,
                              "SELECT i.status, i.pulled_at, i.location, i.route, i.result,"
                              " date(COALESCE(i.completed_at, i.started_at), 'unixepoch', 'localtime'),"
                              " (SELECT d.route FROM decisions d WHERE d.ref = i.ref ORDER BY d.id DESC LIMIT 1)"
                              " FROM intakes i WHERE i.ref = ?1",
                              &sel, err);
    if (rc == WL_OK) {
        wl_stmt_text(sel, 1, ref);
        int r = wl_stmt_step(sel);
        if (r == WL_DONE) {
            wl_err_set(err, "no intake with reference %s", ref);
            rc = WL_ERR_NOTFOUND;
        } else if (r != WL_ROW) {
            rc = wl_store_step_error(st, r, "reading an intake", err);
        } else {
            const char *status = wl_stmt_col_text(sel, 0);
            bool abandoned = status && strcmp(status, "abandoned") == 0;
            bool pulled = !wl_stmt_col_null(sel, 1);
            const char *rt = wl_stmt_col_text(sel, 4);
            json_t *result = rt ? json_loads(rt, 0, NULL) : NULL;
            /* Counted like a purged record, so the figures for its period stay right. */
            rc = count_record(st, &p, wl_stmt_col_text(sel, 5), wl_stmt_col_text(sel, 2),
                              abandoned ? "abandoned" : pulled ? "pulled" : "not_pulled",
                              wl_stmt_col_text(sel, 3), result, wl_stmt_col_text(sel, 6),
                              err);
            json_decref(result);
        }
    }
    wl_stmt_finalize(sel);
    if (rc == WL_OK) rc = drop_appointments(st, &p, ref, err);
    if (rc == WL_OK) {
        wl_stmt_text(p.del, 1, ref);
        rc = run(st, p.del, "erasing an intake", err);
    }
    if (rc == WL_OK) rc = wl_audit_append(st, actor, "forget", ref, "erased on request before its retention ended", now, err);
    finalize_all(&p);
    if (rc != WL_OK) {
        wl_store_rollback(st);
        return rc;
    }
    return wl_store_commit(st, err);
}
