/* The kiosk API's endpoints: sealed intakes, slots, holds, bookings and events. */
#include "api_parse.h"
#include "api_routes.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Maps a store error to a status. */
static void store_error(wl_http_response_t *res, wl_rc rc, const wl_err_t *err)
{
    switch (rc) {
    case WL_ERR_INVALID:
    case WL_ERR_PARSE: wl_api_error(res, 422, "invalid", "%s", err->msg); break;
    case WL_ERR_NOTFOUND: wl_api_error(res, 404, "not_found", "%s", err->msg); break;
    case WL_ERR_CONFLICT: wl_api_error(res, 409, "conflict", "%s", err->msg); break;
    case WL_ERR_STATE: wl_api_error(res, 409, "state", "%s", err->msg); break;
    default:
        fprintf(stderr, "wijkloket-server: %s\n", err->msg);
        wl_api_error(res, 503, "database", "the database is not available; try again shortly");
    }
}

static void post_intake(wl_central_t *c, const wl_central_kiosk_t *k, const wl_http_request_t *req,
                        wl_http_response_t *res)
{
    wl_api_record_t rec;
    wl_api_verdict_t v;
    if (req->body_len == 0) {
        wl_api_error(res, 400, "empty_body", "the request needs a JSON object as its body");
        return;
    }
    if (!wl_api_record_check(req->body, req->body_len, k->id, k->location, &rec, &v)) {
        wl_api_error(res, v.status, v.code, "%s", v.msg);
        return;
    }
    bool already = false;
    wl_err_t err;
    wl_rc rc = wl_central_intake_put(c, rec.ref, k->id, k->location, rec.completed_at, req->body, req->body_len,
                                     req->now, &already, &err);
    if (rc) store_error(res, rc, &err);
    else
        wl_api_json(res, already ? 200 : 201,
                    json_pack("{s:s, s:s}", "ref", rec.ref, "status", already ? "already_stored" : "stored"));
}

/* Many records in one request and one commit: the body is NDJSON, one record per line, each
 * exactly the bytes the single endpoint would get. Each gets its own verdict. */
#define WL_BATCH_MAX 500
static void post_intake_batch(wl_central_t *c, const wl_central_kiosk_t *k, const wl_http_request_t *req,
                              wl_http_response_t *res)
{
    wl_central_intake_t *items = calloc(WL_BATCH_MAX, sizeof *items);
    wl_api_record_t *recs = calloc(WL_BATCH_MAX, sizeof *recs);
    wl_api_verdict_t *checks = calloc(WL_BATCH_MAX, sizeof *checks);
    bool *valid = calloc(WL_BATCH_MAX, sizeof *valid);
    int *item_of = calloc(WL_BATCH_MAX, sizeof *item_of);
    if (!items || !recs || !checks || !valid || !item_of) {
        free(items), free(recs), free(checks), free(valid), free(item_of);
        wl_api_error(res, 503, "nomem", "out of memory");
        return;
    }
    size_t n = 0, ni = 0;
    const unsigned char *p = req->body, *end = req->body + req->body_len, *line;
    size_t len;
    while (wl_api_batch_next(&p, end, &line, &len)) {
        if (n == WL_BATCH_MAX) {
            free(items), free(recs), free(checks), free(valid), free(item_of);
            wl_api_error(res, 413, "too_many", "at most %d records in one batch", WL_BATCH_MAX);
            return;
        }
        valid[n] = wl_api_record_check(line, len, k->id, k->location, &recs[n], &checks[n]);
        if (valid[n]) {
            items[ni] = (wl_central_intake_t){recs[n].ref, recs[n].completed_at, line, len, 0};
            item_of[n] = (int)ni++;
        }
        n++;
    }
    if (n == 0) {
        free(items), free(recs), free(checks), free(valid), free(item_of);
        wl_api_error(res, 400, "empty_body", "the batch holds no records (one JSON record per line)");
        return;
    }
    wl_err_t err;
    wl_rc rc = ni ? wl_central_intake_put_many(c, k->id, k->location, items, ni, req->now, &err) : WL_OK;
    if (rc) {
        store_error(res, rc, &err);
    } else {
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++) {
            if (!valid[i]) {
                json_array_append_new(a, json_pack("{s:i, s:s, s:s}", "status", checks[i].status, "error",
                                                   checks[i].code, "message", checks[i].msg));
                continue;
            }
            const wl_central_intake_t *it = &items[item_of[i]];
            const char *st = it->outcome == WL_CENTRAL_STORED ? "stored"
                             : it->outcome == WL_CENTRAL_ALREADY ? "already_stored" : "conflict";
            int code = it->outcome == WL_CENTRAL_STORED ? 201 : it->outcome == WL_CENTRAL_ALREADY ? 200 : 409;
            json_t *o = json_pack("{s:i, s:s, s:s}", "status", code, "ref", it->ref, "result", st);
            if (code == 409)
                json_object_set_new(o, "message", json_string("already stored with other contents; this copy was refused"));
            json_array_append_new(a, o);
        }
        wl_api_json(res, 200, json_pack("{s:o}", "results", a));
    }
    free(items), free(recs), free(checks), free(valid), free(item_of);
}

static json_t *appointment_json(const wl_appointment_t *a)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "ref", a->ref, "service", a->service, "location",
                     a->location, "start", a->start, "end", a->end, "status", a->status, "language", a->language);
}

static void get_slots(wl_api_t *api, wl_central_t *c, const wl_http_request_t *req, wl_http_response_t *res)
{
    char service[64], location[64], date[16];
    if (!wl_api_query(req->query, "service", service, sizeof service) ||
        !wl_api_query(req->query, "location", location, sizeof location) ||
        !wl_api_query(req->query, "date", date, sizeof date)) {
        wl_api_error(res, 400, "missing_query", "ask as /api/v1/slots?service=ID&location=ID&date=YYYY-MM-DD");
        return;
    }
    wl_slot_t *slots = NULL;
    size_t n = 0;
    wl_err_t err;
    wl_rc rc = wl_central_slots(c, api->catalog, service, location, date, req->now, &slots, &n, &err);
    if (rc) {
        store_error(res, rc, &err);
        return;
    }
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:i, s:i, s:i}", "start", slots[i].start, "end", slots[i].end,
                                           "capacity", slots[i].capacity, "used", slots[i].used, "free",
                                           slots[i].capacity - slots[i].used));
    free(slots);
    wl_api_json(res, 200, json_pack("{s:s, s:s, s:s, s:o}", "service", service, "location", location, "date", date,
                                    "slots", a));
}

static void post_hold(wl_api_t *api, wl_central_t *c, const wl_central_kiosk_t *k, const wl_http_request_t *req,
                      wl_http_response_t *res)
{
    wl_api_slot_body_t b;
    wl_api_verdict_t v;
    if (!wl_api_parse_hold(req->body, req->body_len, &b, &v)) {
        wl_api_error(res, v.status, v.code, "%s", v.msg);
    } else {
        char id[WL_CENTRAL_HOLD_ID_BUFSZ];
        int64_t exp = 0;
        wl_err_t err;
        wl_rc rc = wl_central_hold(c, api->catalog, b.service, b.location, b.start, k->id, req->now, api->hold_seconds,
                                   id, &exp, &err);
        if (rc) store_error(res, rc, &err);
        else
            wl_api_json(res, 201, json_pack("{s:s, s:I}", "hold", id, "expires_at", (json_int_t)exp));
    }
    wl_api_body_free(&b.root);
}

static void post_booking(wl_api_t *api, wl_central_t *c, const wl_central_kiosk_t *k, const wl_api_auth_t *nonce,
                         const wl_http_request_t *req, wl_http_response_t *res)
{
    wl_api_slot_body_t b;
    wl_api_verdict_t v;
    if (!wl_api_parse_booking(req->body, req->body_len, &b, &v)) {
        wl_api_error(res, v.status, v.code, "%s", v.msg);
    } else {
        wl_booking_request_t br = {b.service, b.location, b.start, b.language, b.intake_ref, k->id, NULL};
        wl_appointment_t a;
        wl_err_t err;
        wl_central_refusal_t refused = WL_CENTRAL_ACCEPTED;
        wl_rc rc = nonce ? wl_central_book_signed(c, api->catalog, &br, b.hold, nonce->nonce, nonce->ts, req->now, &a,
                                                  &refused, &err)
                         : wl_central_book(c, api->catalog, &br, b.hold, req->now, &a, &err);
        if (refused == WL_CENTRAL_REPLAYED) {
            wl_api_error(res, 401, "replayed", "%s", err.msg);
        } else if (refused == WL_CENTRAL_DISABLED) {
            /* Disabled since it was cached: forget it, so re-enabling takes effect. */
            wl_kiosk_cache_drop(api->kiosks, k->id);
            wl_api_error(res, 403, "kiosk_disabled", "kiosk '%s' is disabled", k->id);
        } else if (rc == WL_ERR_CONFLICT)
            wl_api_error(res, 409, "just_taken", "%s", err.msg);
        else if (rc)
            store_error(res, rc, &err);
        else
            wl_api_json(res, 201, appointment_json(&a));
    }
    wl_api_body_free(&b.root);
}

static void post_event(wl_central_t *c, const wl_central_kiosk_t *k, const wl_http_request_t *req,
                       wl_http_response_t *res)
{
    wl_api_event_body_t b;
    wl_api_verdict_t v;
    if (!wl_api_parse_event(req->body, req->body_len, &b, &v)) {
        wl_api_error(res, v.status, v.code, "%s", v.msg);
    } else {
        int64_t id = 0;
        bool created = true;
        wl_err_t err;
        wl_rc rc = wl_central_event_put(c, k->id, k->location, b.kind, b.detail, b.has_at ? b.at : req->now, b.key,
                                        &id, &created, &err);
        if (rc) store_error(res, rc, &err);
        else
            wl_api_json(res, created ? 201 : 200, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "kiosk",
                                                            k->id, "location", k->location, "status",
                                                            created ? "stored" : "already_stored"));
    }
    wl_api_body_free(&b.root);
}

void wl_api_dispatch(wl_api_t *api, wl_central_t *c, const wl_central_kiosk_t *k, const wl_api_auth_t *nonce,
                     const wl_http_request_t *req, wl_http_response_t *res)
{
    const char *m = req->method, *p = req->path;
    bool get = strcmp(m, "GET") == 0, post = strcmp(m, "POST") == 0, del = strcmp(m, "DELETE") == 0;
    wl_err_t err;
    char ref[32];
    if (strcmp(p, "/api/v1/whoami") == 0 && get) {
        wl_api_json(res, 200, json_pack("{s:s, s:s}", "kiosk", k->id, "location", k->location));
    } else if (strcmp(p, "/api/v1/intakes") == 0 && post) {
        post_intake(c, k, req, res);
    } else if (strcmp(p, "/api/v1/intakes/batch") == 0 && post) {
        post_intake_batch(c, k, req, res);
    } else if (strcmp(p, "/api/v1/slots") == 0 && get) {
        get_slots(api, c, req, res);
    } else if (strcmp(p, "/api/v1/holds") == 0 && post) {
        post_hold(api, c, k, req, res);
    } else if (strncmp(p, "/api/v1/holds/", 14) == 0 && del) {
        wl_rc rc = wl_central_hold_release(c, p + 14, req->now, &err);
        if (rc) store_error(res, rc, &err);
        else wl_api_json(res, 200, json_pack("{s:s}", "status", "released"));
    } else if (strcmp(p, "/api/v1/bookings") == 0 && post) {
        post_booking(api, c, k, nonce, req, res);
    } else if (strncmp(p, "/api/v1/bookings/", 17) == 0 && get && !strchr(p + 17, '/')) {
        wl_appointment_t a;
        wl_rc rc = wl_central_appointment_get(c, p + 17, &a, &err);
        if (rc) store_error(res, rc, &err);
        else wl_api_json(res, 200, appointment_json(&a));
    } else if (post && wl_api_cancel_ref(p, ref, sizeof ref)) {
        wl_rc rc = wl_central_cancel(c, ref, req->now, &err);
        if (rc) store_error(res, rc, &err);
        else wl_api_json(res, 200, json_pack("{s:s}", "status", "cancelled"));
    } else if (strcmp(p, "/api/v1/events") == 0 && post) {
        post_event(c, k, req, res);
    } else {
        wl_api_error(res, 404, "not_found", "no endpoint %s %s (see docs/server-api.md)", m, p);
    }
}
