/* The kiosk API's endpoints: sealed intakes, slots, holds, bookings and events. */
#include "api_routes.h"
#include "wijkloket/seal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WL_SEALED_FORMAT "wijkloket-sealed-intake/1"

bool wl_api_query(const char *query, const char *name, char *buf, size_t size)
{
    size_t nl = strlen(name);
    for (const char *p = query; p && *p;) {
        const char *amp = strchr(p, '&');
        size_t len = amp ? (size_t)(amp - p) : strlen(p);
        if (len > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
            size_t o = 0;
            for (size_t i = nl + 1; i < len; i++) {
                char ch = p[i];
                if (ch == '+') ch = ' ';
                else if (ch == '%') {
                    if (i + 2 >= len) return false;
                    char hx[3] = {p[i + 1], p[i + 2], 0};
                    char *end;
                    long v = strtol(hx, &end, 16);
                    if (*end) return false;
                    ch = (char)v;
                    i += 2;
                }
                if (o + 1 >= size || ch == 0) return false;
                buf[o++] = ch;
            }
            buf[o] = 0;
            return true;
        }
        p = amp ? amp + 1 : NULL;
    }
    return false;
}

/* Parses the body as one JSON object; on failure fills res (400) and returns NULL. */
static json_t *body_object(const wl_http_request_t *req, wl_http_response_t *res)
{
    if (req->body_len == 0) {
        wl_api_error(res, 400, "empty_body", "the request needs a JSON object as its body");
        return NULL;
    }
    json_error_t je;
    json_t *o = json_loadb((const char *)req->body, req->body_len, JSON_REJECT_DUPLICATES, &je);
    if (!o) {
        wl_api_error(res, 400, "malformed_json", "malformed JSON at line %d, column %d: %s", je.line, je.column,
                     je.text);
        return NULL;
    }
    if (!json_is_object(o)) {
        json_decref(o);
        wl_api_error(res, 400, "malformed_json", "the body must be a JSON object");
        return NULL;
    }
    return o;
}

/* A string field of 1..max bytes without control characters; fills res (400) when not. */
static const char *field(const json_t *o, const char *name, size_t max, bool required, wl_http_response_t *res)
{
    const json_t *v = json_object_get(o, name);
    if (!v || json_is_null(v)) {
        if (required) wl_api_error(res, 400, "missing_field", "field '%s' is required", name);
        return NULL;
    }
    const char *s = json_string_value(v);
    size_t n = s ? strlen(s) : 0;
    bool ok = s && n >= 1 && n <= max && n == json_string_length(v);
    for (size_t i = 0; ok && i < n; i++)
        if ((unsigned char)s[i] < 0x20) ok = false;
    if (!ok) {
        wl_api_error(res, 400, "bad_field", "field '%s' must be a text of 1 to %zu characters", name, max);
        return NULL;
    }
    return s;
}

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

/* The verdict on one delivered record: status 0 = acceptable. */
typedef struct {
    int status;
    const char *code;
    char msg[400];
    char ref[WL_REFCODE_BUFSZ];
    int64_t completed_at;
} rec_check_t;

static bool refuse(rec_check_t *v, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool refuse(rec_check_t *v, int status, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->msg, sizeof v->msg, fmt, ap);
    va_end(ap);
    v->status = status;
    v->code = code;
    return false;
}

static const char *rec_str(const json_t *o, const char *name, size_t max, rec_check_t *v)
{
    const json_t *j = json_object_get(o, name);
    const char *s = json_string_value(j);
    size_t n = s ? strlen(s) : 0;
    bool ok = s && n >= 1 && n <= max && n == json_string_length(j);
    for (size_t i = 0; ok && i < n; i++)
        if ((unsigned char)s[i] < 0x20) ok = false;
    if (!j) {
        refuse(v, 400, "missing_field", "field '%s' is required", name);
        return NULL;
    }
    if (!ok) {
        refuse(v, 400, "bad_field", "field '%s' must be a text of 1 to %zu characters", name, max);
        return NULL;
    }
    return s;
}

/* A sealed part {"encoding":"sealed","data":base64}: the server refuses anything in clear. */
static bool sealed_part(const json_t *rec, const char *name, bool required, rec_check_t *v)
{
    const json_t *p = json_object_get(rec, name);
    if (!p || json_is_null(p))
        return required ? refuse(v, 400, "missing_field", "field '%s' is required", name) : true;
    const char *enc = json_string_value(json_object_get(p, "encoding"));
    const char *data = json_string_value(json_object_get(p, "data"));
    if (!enc || strcmp(enc, "sealed") != 0 || !data)
        return refuse(v, 422, "not_sealed",
                      "'%s' must be {\"encoding\": \"sealed\", \"data\": base64}: the server stores sealed records only",
                      name);
    size_t dl = strlen(data);
    unsigned char *bin = malloc(dl + 1);
    size_t bl = 0;
    bool ok = bin && sodium_base642bin(bin, dl + 1, data, dl, NULL, &bl, NULL, sodium_base64_VARIANT_ORIGINAL) == 0 &&
              wl_seal_is_sealed(bin, bl);
    free(bin);
    return ok ? true : refuse(v, 422, "not_sealed", "'%s' is not a sealed blob in base64", name);
}

/* Checks one record (exact bytes as delivered) from kiosk k. */
static bool check_record(const unsigned char *bytes, size_t len, const wl_central_kiosk_t *k, rec_check_t *v)
{
    memset(v, 0, sizeof *v);
    json_error_t je;
    json_t *o = json_loadb((const char *)bytes, len, JSON_REJECT_DUPLICATES, &je);
    if (!o) return refuse(v, 400, "malformed_json", "malformed JSON at line %d, column %d: %s", je.line, je.column, je.text);
    bool ok = false;
    const char *fmt, *ref, *kiosk, *location;
    char canon[WL_REFCODE_BUFSZ];
    wl_err_t err;
    const json_t *done = json_object_get(o, "completed_at");
    if (!json_is_object(o)) refuse(v, 400, "malformed_json", "the record must be a JSON object");
    else if (!(fmt = rec_str(o, "format", 64, v))) {
    } else if (strcmp(fmt, WL_SEALED_FORMAT) != 0) refuse(v, 422, "bad_format", "format must be '%s'", WL_SEALED_FORMAT);
    else if (!(ref = rec_str(o, "ref", 16, v))) {
    } else if (wl_refcode_parse(ref, canon, &err) != WL_OK || strcmp(canon, ref) != 0)
        refuse(v, 422, "bad_ref", "ref '%s' is not a canonical reference code", ref);
    else if (!(kiosk = rec_str(o, "kiosk", 63, v))) {
    } else if (strcmp(kiosk, k->id) != 0)
        refuse(v, 403, "wrong_kiosk", "kiosk '%s' cannot deliver an intake of kiosk '%s'", k->id, kiosk);
    else if (!(location = rec_str(o, "location", 63, v))) {
    } else if (strcmp(location, k->location) != 0)
        refuse(v, 422, "wrong_location", "kiosk '%s' is registered at '%s', not '%s'", k->id, k->location, location);
    else if (!json_is_integer(done)) refuse(v, 400, "bad_field", "field 'completed_at' must be unix seconds");
    else if (sealed_part(o, "answers", true, v) && sealed_part(o, "personal", true, v) &&
             sealed_part(o, "detail", false, v)) {
        snprintf(v->ref, sizeof v->ref, "%s", ref);
        v->completed_at = json_integer_value(done);
        ok = true;
    }
    json_decref(o);
    return ok;
}

static void post_intake(wl_central_t *c, const wl_central_kiosk_t *k, const wl_http_request_t *req,
                        wl_http_response_t *res)
{
    rec_check_t v;
    if (req->body_len == 0) {
        wl_api_error(res, 400, "empty_body", "the request needs a JSON object as its body");
        return;
    }
    if (!check_record(req->body, req->body_len, k, &v)) {
        wl_api_error(res, v.status, v.code, "%s", v.msg);
        return;
    }
    bool already = false;
    wl_err_t err;
    wl_rc rc = wl_central_intake_put(c, v.ref, k->id, k->location, v.completed_at, req->body, req->body_len, req->now,
                                     &already, &err);
    if (rc) store_error(res, rc, &err);
    else
        wl_api_json(res, already ? 200 : 201,
                    json_pack("{s:s, s:s}", "ref", v.ref, "status", already ? "already_stored" : "stored"));
}

/* Many records in one request and one commit: the body is NDJSON, one record per line, each
 * exactly the bytes the single endpoint would get. Each gets its own verdict. */
#define WL_BATCH_MAX 500
static void post_intake_batch(wl_central_t *c, const wl_central_kiosk_t *k, const wl_http_request_t *req,
                              wl_http_response_t *res)
{
    wl_central_intake_t *items = calloc(WL_BATCH_MAX, sizeof *items);
    rec_check_t *checks = calloc(WL_BATCH_MAX, sizeof *checks);
    bool *valid = calloc(WL_BATCH_MAX, sizeof *valid);
    int *item_of = calloc(WL_BATCH_MAX, sizeof *item_of);
    if (!items || !checks || !valid || !item_of) {
        free(items), free(checks), free(valid), free(item_of);
        wl_api_error(res, 503, "nomem", "out of memory");
        return;
    }
    size_t n = 0, ni = 0;
    const unsigned char *p = req->body, *end = req->body + req->body_len;
    while (p < end) {
        const unsigned char *nl = memchr(p, '\n', (size_t)(end - p));
        const unsigned char *le = nl ? nl : end;
        if (le > p) {
            if (n == WL_BATCH_MAX) {
                free(items), free(checks), free(valid), free(item_of);
                wl_api_error(res, 413, "too_many", "at most %d records in one batch", WL_BATCH_MAX);
                return;
            }
            valid[n] = check_record(p, (size_t)(le - p), k, &checks[n]);
            if (valid[n]) {
                items[ni] = (wl_central_intake_t){checks[n].ref, checks[n].completed_at, p, (size_t)(le - p), 0};
                item_of[n] = (int)ni++;
            }
            n++;
        }
        p = le + 1;
    }
    if (n == 0) {
        free(items), free(checks), free(valid), free(item_of);
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
    free(items), free(checks), free(valid), free(item_of);
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
    json_t *o = body_object(req, res);
    if (!o) return;
    const char *service = field(o, "service", 63, true, res);
    const char *location = service ? field(o, "location", 63, true, res) : NULL;
    const char *start = location ? field(o, "start", 16, true, res) : NULL;
    if (start) {
        char id[WL_CENTRAL_HOLD_ID_BUFSZ];
        int64_t exp = 0;
        wl_err_t err;
        wl_rc rc = wl_central_hold(c, api->catalog, service, location, start, k->id, req->now, api->hold_seconds, id,
                                   &exp, &err);
        if (rc) store_error(res, rc, &err);
        else
            wl_api_json(res, 201, json_pack("{s:s, s:I}", "hold", id, "expires_at", (json_int_t)exp));
    }
    json_decref(o);
}

static void post_booking(wl_api_t *api, wl_central_t *c, const wl_central_kiosk_t *k, const wl_http_request_t *req,
                         wl_http_response_t *res)
{
    json_t *o = body_object(req, res);
    if (!o) return;
    const char *service = field(o, "service", 63, true, res);
    const char *location = service ? field(o, "location", 63, true, res) : NULL;
    const char *start = location ? field(o, "start", 16, true, res) : NULL;
    bool ok = start != NULL;
    const char *hold = ok ? field(o, "hold", 32, false, res) : NULL;
    if (ok && !hold && json_object_get(o, "hold") && !json_is_null(json_object_get(o, "hold"))) ok = false;
    const char *lang = ok ? field(o, "language", 7, false, res) : NULL;
    if (ok && !lang && json_object_get(o, "language") && !json_is_null(json_object_get(o, "language"))) ok = false;
    const char *intake = ok ? field(o, "intake_ref", 16, false, res) : NULL;
    if (ok && !intake && json_object_get(o, "intake_ref") && !json_is_null(json_object_get(o, "intake_ref")))
        ok = false;
    if (ok) {
        wl_booking_request_t br = {service, location, start, lang, intake, k->id};
        wl_appointment_t a;
        wl_err_t err;
        wl_rc rc = wl_central_book(c, api->catalog, &br, hold, req->now, &a, &err);
        if (rc == WL_ERR_CONFLICT)
            wl_api_error(res, 409, "just_taken", "%s", err.msg);
        else if (rc)
            store_error(res, rc, &err);
        else
            wl_api_json(res, 201, appointment_json(&a));
    }
    json_decref(o);
}

static void post_event(wl_central_t *c, const wl_central_kiosk_t *k, const wl_http_request_t *req,
                       wl_http_response_t *res)
{
    json_t *o = body_object(req, res);
    if (!o) return;
    const char *kind = field(o, "kind", 40, true, res);
    const char *detail = kind ? field(o, "detail", 500, false, res) : NULL;
    bool ok = kind && (detail || !json_object_get(o, "detail") || json_is_null(json_object_get(o, "detail")));
    const json_t *at = json_object_get(o, "at");
    if (ok && at && !json_is_integer(at)) {
        wl_api_error(res, 400, "bad_field", "field 'at' must be unix seconds");
        ok = false;
    }
    /* The kiosk's own key of the event (its outbox sends "<id>@<at>"): a retry is stored once. */
    const char *key = ok ? field(o, "key", 64, false, res) : NULL;
    if (ok && !key && json_object_get(o, "key") && !json_is_null(json_object_get(o, "key"))) ok = false;
    if (ok) {
        int64_t id = 0;
        bool created = true;
        wl_err_t err;
        wl_rc rc = wl_central_event_put(c, k->id, k->location, kind, detail, at ? json_integer_value(at) : req->now,
                                        key, &id, &created, &err);
        if (rc) store_error(res, rc, &err);
        else
            wl_api_json(res, created ? 201 : 200, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)id, "kiosk",
                                                            k->id, "location", k->location, "status",
                                                            created ? "stored" : "already_stored"));
    }
    json_decref(o);
}

void wl_api_dispatch(wl_api_t *api, wl_central_t *c, const wl_central_kiosk_t *k, const wl_http_request_t *req,
                     wl_http_response_t *res)
{
    const char *m = req->method, *p = req->path;
    bool get = strcmp(m, "GET") == 0, post = strcmp(m, "POST") == 0, del = strcmp(m, "DELETE") == 0;
    wl_err_t err;
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
        post_booking(api, c, k, req, res);
    } else if (strncmp(p, "/api/v1/bookings/", 17) == 0 && get && !strchr(p + 17, '/')) {
        wl_appointment_t a;
        wl_rc rc = wl_central_appointment_get(c, p + 17, &a, &err);
        if (rc) store_error(res, rc, &err);
        else wl_api_json(res, 200, appointment_json(&a));
    } else if (strncmp(p, "/api/v1/bookings/", 17) == 0 && post && strlen(p) > 24 &&
               strcmp(p + strlen(p) - 7, "/cancel") == 0) {
        char ref[32];
        size_t n = strlen(p) - 17 - 7;
        if (n >= sizeof ref) n = sizeof ref - 1;
        memcpy(ref, p + 17, n);
        ref[n] = 0;
        wl_rc rc = wl_central_cancel(c, ref, req->now, &err);
        if (rc) store_error(res, rc, &err);
        else wl_api_json(res, 200, json_pack("{s:s}", "status", "cancelled"));
    } else if (strcmp(p, "/api/v1/events") == 0 && post) {
        post_event(c, k, req, res);
    } else {
        wl_api_error(res, 404, "not_found", "no endpoint %s %s (see docs/server-api.md)", m, p);
    }
}
