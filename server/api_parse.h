/* The kiosk API's parsers of untrusted input (signed-request headers, JSON bodies, NDJSON
 * batches, query strings) as pure functions: no database, no socket, so the handlers stay thin
 * and tests/fuzz can call them directly. */
#ifndef WL_SERVER_API_PARSE_H
#define WL_SERVER_API_PARSE_H

#include <jansson.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>

#include "http.h"
#include "wijkloket/refcode.h"

/* Why a request is refused: the HTTP status, a short code and a message. status 0 = accepted. */
typedef struct {
    int status;
    const char *code;
    char msg[400];
} wl_api_verdict_t;

/* The authentication headers of a signed kiosk request, checked for form only (not yet the
 * kiosk, the signature or the nonce: those need the database). Strings point into req. */
typedef struct {
    const char *kiosk;
    const char *time;   /* as sent, for the signing text */
    const char *nonce;
    int64_t ts;         /* time as unix seconds */
    unsigned char sig[crypto_sign_BYTES];
} wl_api_auth_t;

/* Reads and checks the four X-WL-* headers; the time must lie within window seconds of req->now. */
bool wl_api_auth_parse(const wl_http_request_t *req, int window, wl_api_auth_t *a, wl_api_verdict_t *v);

/* One delivered intake record, checked against the kiosk that sent it. */
typedef struct {
    char ref[WL_REFCODE_BUFSZ];
    int64_t completed_at;
} wl_api_record_t;

/* Checks one record (exact bytes as delivered) from kiosk kiosk_id registered at location. */
bool wl_api_record_check(const unsigned char *bytes, size_t len, const char *kiosk_id, const char *location,
                         wl_api_record_t *rec, wl_api_verdict_t *v);

/* The next non-empty line of an NDJSON batch at *p (before end): sets *line and *len, moves *p
 * past it. False when no line is left. */
bool wl_api_batch_next(const unsigned char **p, const unsigned char *end, const unsigned char **line, size_t *len);

/* A hold or booking body: {"service","location","start"} and for a booking optional "hold",
 * "language", "intake_ref". Strings point into root; wl_api_body_free releases it. */
typedef struct {
    json_t *root;
    const char *service, *location, *start, *hold, *language, *intake_ref;
} wl_api_slot_body_t;

/* An event body: {"kind", optional "detail", optional "at" (unix seconds), optional "key" (the
 * kiosk's own key of the event, "<id>@<at>", so a retry is stored once)}. */
typedef struct {
    json_t *root;
    const char *kind, *detail, *key;
    bool has_at;
    int64_t at;
} wl_api_event_body_t;

bool wl_api_parse_hold(const unsigned char *body, size_t len, wl_api_slot_body_t *out, wl_api_verdict_t *v);
bool wl_api_parse_booking(const unsigned char *body, size_t len, wl_api_slot_body_t *out, wl_api_verdict_t *v);
bool wl_api_parse_event(const unsigned char *body, size_t len, wl_api_event_body_t *out, wl_api_verdict_t *v);
/* Releases what a parse function kept (also after a refusal). */
void wl_api_body_free(json_t **root);

/* Decodes query parameter name into buf (URL-decoded); false when absent, malformed or too long. */
bool wl_api_query(const char *query, const char *name, char *buf, size_t size);

/* The booking reference of a path "/api/v1/bookings/REF/cancel" into buf; false when the path
 * is not of that form or REF does not fit. */
bool wl_api_cancel_ref(const char *path, char *buf, size_t size);

#endif
