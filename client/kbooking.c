/* Slots, holds and bookings on wijkloket-server for a kiosk (the remote wl_booking_provider_t). */
#include "kbooking.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One request with a JSON answer. WL_OK only for 200/201 (*body then holds the parsed answer,
 * caller decrefs); otherwise the code every provider uses, with the server's reason in err. */
static wl_rc call(wl_kclient_t *k, const char *method, const char *path, const char *query, json_t *send,
                  json_t **body, wl_err_t *err)
{
    if (body) *body = NULL;
    /* A POST without a body still says Content-Length: 0. */
    char *text = send ? json_dumps(send, JSON_COMPACT) : strcmp(method, "POST") == 0 ? strdup("") : NULL;
    if ((send || strcmp(method, "POST") == 0) && !text) return WL_ERR_NOMEM;
    int status = 0;
    char *resp = NULL;
    wl_rc rc = wl_kclient_request(k, method, path, query, text, text ? strlen(text) : 0, &status, &resp, err);
    free(text);
    if (rc) return WL_ERR_IO; /* refused, cut, timed out: err says which */
    json_t *j = json_loads(resp, 0, NULL);
    const char *msg = json_string_value(json_object_get(j, "message"));
    if (status == 200 || status == 201) {
        if (!json_is_object(j)) {
            wl_err_set(err, "%s %s: the server's answer is not JSON", method, path);
            rc = WL_ERR_IO;
        } else if (body) {
            *body = json_incref(j);
        }
    } else {
        wl_err_set(err, "%s %s: server answered %d: %s", method, path, status, msg ? msg : resp);
        rc = status == 409 ? WL_ERR_CONFLICT
             : status == 404 ? WL_ERR_NOTFOUND
             : (status == 422 || status == 400) ? WL_ERR_INVALID
             : WL_ERR_IO; /* 401/403 (not or no longer registered), 429, 5xx: not reachable for us */
    }
    json_decref(j);
    free(resp);
    return rc;
}

static void copy(char *dst, size_t n, const json_t *o, const char *key)
{
    const char *v = json_string_value(json_object_get(o, key));
    snprintf(dst, n, "%s", v ? v : "");
}

/* The server's booking JSON into a wl_appointment_t; false when a field is missing. */
static bool appointment(const json_t *o, wl_appointment_t *a)
{
    memset(a, 0, sizeof *a);
    copy(a->ref, sizeof a->ref, o, "ref");
    copy(a->service, sizeof a->service, o, "service");
    copy(a->location, sizeof a->location, o, "location");
    copy(a->start, sizeof a->start, o, "start");
    copy(a->end, sizeof a->end, o, "end");
    copy(a->status, sizeof a->status, o, "status");
    copy(a->language, sizeof a->language, o, "language");
    snprintf(a->print_state, sizeof a->print_state, "none");
    return a->ref[0] && a->service[0] && a->location[0] && strlen(a->start) == 16 && a->status[0];
}

static wl_rc r_slots(void *ctx, const wl_catalog_t *c, const char *service, const char *location, const char *date,
                     int64_t now, wl_slot_t **out, size_t *n, wl_err_t *err)
{
    (void)c, (void)now; /* the server has the same catalogue and its own clock */
    *out = NULL;
    *n = 0;
    char q[256];
    /* Ids are [a-z0-9_] and the date digits and dashes (core checks both): nothing to escape. */
    snprintf(q, sizeof q, "service=%s&location=%s&date=%s", service, location, date);
    json_t *b;
    wl_rc rc = call(ctx, "GET", "/api/v1/slots", q, NULL, &b, err);
    if (rc) return rc;
    const json_t *arr = json_object_get(b, "slots");
    size_t m = json_array_size(arr);
    wl_slot_t *s = m ? calloc(m, sizeof *s) : NULL;
    if (m && !s) rc = WL_ERR_NOMEM;
    for (size_t i = 0; rc == WL_OK && i < m; i++) {
        const json_t *o = json_array_get(arr, i);
        copy(s[i].start, sizeof s[i].start, o, "start");
        copy(s[i].end, sizeof s[i].end, o, "end");
        s[i].capacity = (int)json_integer_value(json_object_get(o, "capacity"));
        s[i].used = (int)json_integer_value(json_object_get(o, "used"));
        if (strlen(s[i].start) != 16 || s[i].capacity < 1) {
            wl_err_set(err, "the server's slot list has a malformed entry %zu", i + 1);
            rc = WL_ERR_IO;
        }
    }
    json_decref(b);
    if (rc) {
        free(s);
        return rc;
    }
    *out = s;
    *n = m;
    return WL_OK;
}

static wl_rc r_hold(void *ctx, const char *service, const char *location, const char *start, int64_t now,
                    char hold[WL_HOLD_BUFSZ], int64_t *expires_at, wl_err_t *err)
{
    (void)now;
    hold[0] = 0;
    *expires_at = 0;
    json_t *send = json_pack("{s:s, s:s, s:s}", "service", service, "location", location, "start", start);
    json_t *b;
    wl_rc rc = call(ctx, "POST", "/api/v1/holds", NULL, send, &b, err);
    json_decref(send);
    if (rc) return rc;
    const char *id = json_string_value(json_object_get(b, "hold"));
    if (!id || !*id || strlen(id) >= WL_HOLD_BUFSZ) {
        wl_err_set(err, "the server's hold has no usable id");
        rc = WL_ERR_IO;
    } else {
        snprintf(hold, WL_HOLD_BUFSZ, "%s", id);
        *expires_at = json_integer_value(json_object_get(b, "expires_at"));
    }
    json_decref(b);
    return rc;
}

static wl_rc r_release(void *ctx, const char *hold, wl_err_t *err)
{
    if (!hold || !*hold) return WL_OK;
    char path[128];
    snprintf(path, sizeof path, "/api/v1/holds/%s", hold);
    wl_rc rc = call(ctx, "DELETE", path, NULL, NULL, NULL, err);
    return rc == WL_ERR_NOTFOUND ? WL_OK : rc; /* expired or used already: the seat is free or booked */
}

static wl_rc r_book(void *ctx, const wl_catalog_t *c, const wl_booking_request_t *req, const char *hold, int64_t now,
                    wl_appointment_t *out, wl_err_t *err)
{
    (void)c, (void)now;
    json_t *send = json_pack("{s:s, s:s, s:s, s:s}", "service", req->service, "location", req->location, "start",
                             req->start, "language", req->language ? req->language : "nl");
    if (hold && *hold) json_object_set_new(send, "hold", json_string(hold));
    if (req->intake_ref) json_object_set_new(send, "intake_ref", json_string(req->intake_ref));
    json_t *b;
    wl_rc rc = call(ctx, "POST", "/api/v1/bookings", NULL, send, &b, err);
    json_decref(send);
    if (rc) return rc;
    if (!appointment(b, out)) {
        /* Booked on the server, but we cannot show it: say so in the log; the citizen is told
         * it did not work, and staff see the booking centrally. */
        char *d = json_dumps(b, JSON_COMPACT);
        wl_err_set(err, "the server booked, but its answer lacks fields: %.200s", d ? d : "?");
        free(d);
        rc = WL_ERR_IO;
    }
    json_decref(b);
    return rc;
}

static wl_rc r_get(void *ctx, const char *ref_input, wl_appointment_t *out, wl_err_t *err)
{
    char ref[WL_REFCODE_BUFSZ], path[64];
    wl_rc rc = wl_refcode_parse(ref_input, ref, err); /* a typo is told here, without a round trip */
    if (rc) return rc;
    snprintf(path, sizeof path, "/api/v1/bookings/%s", ref);
    json_t *b;
    if ((rc = call(ctx, "GET", path, NULL, NULL, &b, err))) return rc;
    if (!appointment(b, out)) {
        wl_err_set(err, "the server's booking %s lacks fields", ref);
        rc = WL_ERR_IO;
    }
    json_decref(b);
    return rc;
}

static wl_rc r_cancel(void *ctx, const char *ref_input, int64_t now, wl_err_t *err)
{
    (void)now;
    char ref[WL_REFCODE_BUFSZ], path[80];
    wl_rc rc = wl_refcode_parse(ref_input, ref, err);
    if (rc) return rc;
    snprintf(path, sizeof path, "/api/v1/bookings/%s/cancel", ref);
    rc = call(ctx, "POST", path, NULL, NULL, NULL, err);
    return rc == WL_ERR_CONFLICT ? WL_ERR_STATE : rc; /* 409 here: cancelled before */
}

void wl_kbooking_new(wl_kclient_t *k, wl_booking_provider_t *out)
{
    *out = (wl_booking_provider_t){.ctx = k, .remote = true, .slots = r_slots, .hold = r_hold, .release = r_release,
                                   .book = r_book, .get = r_get, .cancel = r_cancel};
}
