/* The kiosk API's parsers of untrusted input: headers, JSON bodies, NDJSON batches, queries. */
#include "api_parse.h"
#include "wijkloket/seal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WL_SEALED_FORMAT "wijkloket-sealed-intake/1"

static bool refuse(wl_api_verdict_t *v, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static bool refuse(wl_api_verdict_t *v, int status, const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->msg, sizeof v->msg, fmt, ap);
    va_end(ap);
    v->status = status;
    v->code = code;
    return false;
}

static bool all_digits(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

bool wl_api_auth_parse(const wl_http_request_t *req, int window, wl_api_auth_t *a, wl_api_verdict_t *v)
{
    memset(a, 0, sizeof *a);
    memset(v, 0, sizeof *v);
    a->kiosk = wl_http_request_header(req, "x-wl-kiosk");
    a->time = wl_http_request_header(req, "x-wl-time");
    a->nonce = wl_http_request_header(req, "x-wl-nonce");
    const char *sig = wl_http_request_header(req, "x-wl-signature");
    if (!a->kiosk || !a->time || !a->nonce || !sig)
        return refuse(v, 401, "unauthenticated",
                      "a kiosk request needs the headers X-WL-Kiosk, X-WL-Time, X-WL-Nonce and X-WL-Signature");
    if (!all_digits(a->time, 12)) return refuse(v, 401, "bad_time", "X-WL-Time must be unix seconds");
    a->ts = strtoll(a->time, NULL, 10);
    int64_t skew = a->ts - req->now;
    if (skew > window || -skew > window)
        return refuse(v, 401, "clock_skew",
                      "the request time is %lld seconds off the server's clock (at most %d allowed); check the kiosk's clock",
                      (long long)skew, window);
    size_t nlen = strlen(a->nonce);
    if (nlen < 16 || nlen > 64) return refuse(v, 401, "bad_nonce", "X-WL-Nonce must be 16 to 64 characters");
    if (strlen(a->kiosk) > 63) return refuse(v, 401, "unknown_kiosk", "unknown kiosk");
    size_t rawlen = 0;
    if (strlen(sig) != 2 * crypto_sign_BYTES ||
        sodium_hex2bin(a->sig, sizeof a->sig, sig, strlen(sig), NULL, &rawlen, NULL) != 0 || rawlen != sizeof a->sig)
        return refuse(v, 401, "bad_signature", "X-WL-Signature must be %d hex digits", 2 * crypto_sign_BYTES);
    return true;
}

/* A text field of 1..max bytes without NUL or control characters. Absent (or null when
 * null_ok): *out = NULL and true unless required. */
static bool text_field(const json_t *o, const char *name, size_t max, bool required, const char **out,
                       wl_api_verdict_t *v)
{
    *out = NULL;
    const json_t *j = json_object_get(o, name);
    if (!j || json_is_null(j))
        return required ? refuse(v, 400, "missing_field", "field '%s' is required", name) : true;
    const char *s = json_string_value(j);
    size_t n = s ? strlen(s) : 0;
    bool ok = s && n >= 1 && n <= max && n == json_string_length(j);
    for (size_t i = 0; ok && i < n; i++)
        if ((unsigned char)s[i] < 0x20) ok = false;
    if (!ok) return refuse(v, 400, "bad_field", "field '%s' must be a text of 1 to %zu characters", name, max);
    *out = s;
    return true;
}

/* A sealed part {"encoding":"sealed","data":base64}: the server refuses anything in clear. */
static bool sealed_part(const json_t *rec, const char *name, bool required, wl_api_verdict_t *v)
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

bool wl_api_record_check(const unsigned char *bytes, size_t len, const char *kiosk_id, const char *location,
                         wl_api_record_t *rec, wl_api_verdict_t *v)
{
    memset(rec, 0, sizeof *rec);
    memset(v, 0, sizeof *v);
    json_error_t je;
    json_t *o = json_loadb((const char *)bytes, len, JSON_REJECT_DUPLICATES, &je);
    if (!o) return refuse(v, 400, "malformed_json", "malformed JSON at line %d, column %d: %s", je.line, je.column, je.text);
    bool ok = false;
    const char *fmt, *ref, *kiosk, *loc;
    char canon[WL_REFCODE_BUFSZ];
    wl_err_t err;
    const json_t *done = json_object_get(o, "completed_at");
    if (!json_is_object(o)) refuse(v, 400, "malformed_json", "the record must be a JSON object");
    else if (!text_field(o, "format", 64, true, &fmt, v)) {
    } else if (strcmp(fmt, WL_SEALED_FORMAT) != 0) refuse(v, 422, "bad_format", "format must be '%s'", WL_SEALED_FORMAT);
    else if (!text_field(o, "ref", 16, true, &ref, v)) {
    } else if (wl_refcode_parse(ref, canon, &err) != WL_OK || strcmp(canon, ref) != 0)
        refuse(v, 422, "bad_ref", "ref '%s' is not a canonical reference code", ref);
    else if (!text_field(o, "kiosk", 63, true, &kiosk, v)) {
    } else if (strcmp(kiosk, kiosk_id) != 0)
        refuse(v, 403, "wrong_kiosk", "kiosk '%s' cannot deliver an intake of kiosk '%s'", kiosk_id, kiosk);
    else if (!text_field(o, "location", 63, true, &loc, v)) {
    } else if (strcmp(loc, location) != 0)
        refuse(v, 422, "wrong_location", "kiosk '%s' is registered at '%s', not '%s'", kiosk_id, location, loc);
    else if (!json_is_integer(done)) refuse(v, 400, "bad_field", "field 'completed_at' must be unix seconds");
    else if (sealed_part(o, "answers", true, v) && sealed_part(o, "personal", true, v) &&
             sealed_part(o, "detail", false, v)) {
        snprintf(rec->ref, sizeof rec->ref, "%s", ref);
        rec->completed_at = json_integer_value(done);
        ok = true;
    }
    json_decref(o);
    return ok;
}

bool wl_api_batch_next(const unsigned char **p, const unsigned char *end, const unsigned char **line, size_t *len)
{
    while (*p < end) {
        const unsigned char *nl = memchr(*p, '\n', (size_t)(end - *p));
        const unsigned char *le = nl ? nl : end;
        const unsigned char *start = *p;
        *p = nl ? nl + 1 : end;
        if (le > start) {
            *line = start;
            *len = (size_t)(le - start);
            return true;
        }
    }
    return false;
}

/* Parses the body as one JSON object into *root. */
static bool body_object(const unsigned char *body, size_t len, json_t **root, wl_api_verdict_t *v)
{
    memset(v, 0, sizeof *v);
    *root = NULL;
    if (len == 0) return refuse(v, 400, "empty_body", "the request needs a JSON object as its body");
    json_error_t je;
    json_t *o = json_loadb((const char *)body, len, JSON_REJECT_DUPLICATES, &je);
    if (!o)
        return refuse(v, 400, "malformed_json", "malformed JSON at line %d, column %d: %s", je.line, je.column, je.text);
    if (!json_is_object(o)) {
        json_decref(o);
        return refuse(v, 400, "malformed_json", "the body must be a JSON object");
    }
    *root = o;
    return true;
}

bool wl_api_parse_hold(const unsigned char *body, size_t len, wl_api_slot_body_t *out, wl_api_verdict_t *v)
{
    memset(out, 0, sizeof *out);
    return body_object(body, len, &out->root, v) && text_field(out->root, "service", 63, true, &out->service, v) &&
           text_field(out->root, "location", 63, true, &out->location, v) &&
           text_field(out->root, "start", 16, true, &out->start, v);
}

bool wl_api_parse_booking(const unsigned char *body, size_t len, wl_api_slot_body_t *out, wl_api_verdict_t *v)
{
    return wl_api_parse_hold(body, len, out, v) && text_field(out->root, "hold", 32, false, &out->hold, v) &&
           text_field(out->root, "language", 7, false, &out->language, v) &&
           text_field(out->root, "intake_ref", 16, false, &out->intake_ref, v);
}

bool wl_api_parse_event(const unsigned char *body, size_t len, wl_api_event_body_t *out, wl_api_verdict_t *v)
{
    memset(out, 0, sizeof *out);
    if (!body_object(body, len, &out->root, v) || !text_field(out->root, "kind", 40, true, &out->kind, v) ||
        !text_field(out->root, "detail", 500, false, &out->detail, v) ||
        !text_field(out->root, "key", 64, false, &out->key, v))
        return false;
    const json_t *at = json_object_get(out->root, "at");
    if (at && !json_is_integer(at)) return refuse(v, 400, "bad_field", "field 'at' must be unix seconds");
    out->has_at = at != NULL;
    out->at = at ? json_integer_value(at) : 0;
    return true;
}

void wl_api_body_free(json_t **root)
{
    json_decref(*root);
    *root = NULL;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

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
                    if (i + 2 >= len || hexval(p[i + 1]) < 0 || hexval(p[i + 2]) < 0) return false;
                    ch = (char)(hexval(p[i + 1]) * 16 + hexval(p[i + 2]));
                    i += 2;
                }
                if (o + 1 >= size || ch == 0) return false;
                buf[o++] = ch;
            }
            if (size == 0) return false;
            buf[o] = 0;
            return true;
        }
        p = amp ? amp + 1 : NULL;
    }
    return false;
}

bool wl_api_cancel_ref(const char *path, char *buf, size_t size)
{
    static const char pre[] = "/api/v1/bookings/", suf[] = "/cancel";
    size_t n = strlen(path), pl = sizeof pre - 1, sl = sizeof suf - 1;
    if (n <= pl + sl || strncmp(path, pre, pl) != 0 || strcmp(path + n - sl, suf) != 0) return false;
    size_t rl = n - pl - sl;
    if (rl >= size) return false;
    memcpy(buf, path + pl, rl);
    buf[rl] = 0;
    return true;
}
