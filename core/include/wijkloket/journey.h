/* The citizen's journey as use cases every front end drives: start, answer, submit, offers, book.
 *
 * The kiosk (kiosk/), the web portal (server/portal/) and the staff tool (staff/) are thin: they
 * draw, collect taps or form posts, and call these functions. None of them builds an intake
 * record, makes a reference code, merges answers with personal data or classifies by itself.
 *
 *   wl_journey_start    a session for one citizen (channel, location, device, language,
 *                       assisted-by); the clock and randomness come from deps->env
 *   wl_journey_answer   validate and set one answer; a refusal is a wl_msg_t (msgid + args)
 *   wl_journey_clear    remove one answer
 *   wl_journey_validate is everything required answered? (the first missing question)
 *   wl_journey_submit   merge answers with personal data, classify, make a reference code
 *                       (retrying a clash), seal and save durably; then forget the answers
 *   wl_journey_offers   the appointment offers that fit the result
 *   wl_journey_book     book one of them, linked to the intake's reference
 *   wl_journey_classify the staff tool's merge + classify of a stored or given record
 *   wl_journey_answer_text, _route_text, _regie_text
 *                       what a summary or result page says, the same in every front end
 *
 * Ownership: a journey borrows deps (questionnaire, rules, store, env) for its whole life; the
 * caller keeps them alive and frees the journey with wl_journey_free, which wipes every answer
 * from memory. Messages for the citizen come back as wl_msg_t (see msg.h): the Dutch template
 * is the gettext msgid and the front end translates, then fills in. Technical text for logs and
 * staff is in wl_err_t and is never shown to a citizen.
 *
 * Threads: a journey is used by one thread at a time; several journeys may share deps when the
 * store is used by one thread at a time (the SQLite handle is not shared across threads). */
#ifndef WL_JOURNEY_H
#define WL_JOURNEY_H

#include <jansson.h>

#include "wijkloket/appointments.h"
#include "wijkloket/booking.h"
#include "wijkloket/classify.h"
#include "wijkloket/common.h"
#include "wijkloket/env.h"
#include "wijkloket/i18n.h"
#include "wijkloket/intake.h"
#include "wijkloket/msg.h"
#include "wijkloket/questionnaire.h"
#include "wijkloket/refcode.h"
#include "wijkloket/store.h"

/* Where the citizen fills it in; stored with the record ("kiosk" or "portal"). */
typedef enum { WL_CHANNEL_KIOSK = 0, WL_CHANNEL_PORTAL } wl_channel_t;
/* "kiosk" or "portal"; NULL for a value outside the enum. */
const char *wl_channel_name(wl_channel_t c);

/* Where a submitted record goes when it is not a wl_store_t of this process: a front end with
 * its own storage (the portal's backend behind a lock, or a central database) stores rec
 * durably and returns as wl_store_save_intake does (WL_ERR_CONFLICT for a reference already
 * taken, so the journey retries with a fresh code). */
typedef wl_rc (*wl_journey_save_fn)(void *ctx, const wl_intake_record_t *rec, wl_err_t *err);

/* What a journey works with, all borrowed. Submit stores through save when it is set, else in
 * store; with neither, submit is WL_ERR_STATE. env may be NULL (system clock, CSPRNG). */
typedef struct {
    const wl_questionnaire_t *q;
    const wl_rules_t *rules;
    wl_store_t *store;
    const wl_env_t *env;
    wl_journey_save_fn save;
    void *save_ctx;
} wl_journey_deps_t;

/* How a journey starts. Strings are copied. */
typedef struct {
    wl_channel_t channel;
    const char *location;     /* location id (kiosk.conf location, or the portal's choice) */
    const char *device;       /* kiosk id, or the portal server's id */
    const char *language;     /* "nl", "en", ...; NULL = "nl" */
    const char *assisted_by;  /* volunteer user name, or NULL */
} wl_journey_start_t;

typedef struct wl_journey wl_journey_t;

/* Starts a session: the start time and today's date (for age rules) come from deps->env.
 * deps is copied (the objects it points to stay borrowed). Missing q/rules, or a location or
 * device that is empty or longer than 63 bytes: WL_ERR_INVALID. Out of memory: WL_ERR_NOMEM.
 * The caller frees *out with wl_journey_free. */
wl_rc wl_journey_start(const wl_journey_deps_t *deps, const wl_journey_start_t *how, wl_journey_t **out,
                       wl_err_t *err);
/* Like wl_journey_start, for answers a front end already holds (a form session, a restored
 * draft): the journey takes ownership of intake (made over deps->q) and keeps started_at.
 * On failure the caller still owns intake. */
wl_rc wl_journey_adopt(const wl_journey_deps_t *deps, const wl_journey_start_t *how, int64_t started_at,
                       wl_intake_t *intake, wl_journey_t **out, wl_err_t *err);
/* Before submit: hands the answers back to the caller (who then frees them) and leaves the
 * journey without answers; NULL after submit. */
wl_intake_t *wl_journey_release(wl_journey_t *j);
/* Wipes every answer and the personal data from memory and frees the journey. NULL is fine. */
void wl_journey_free(wl_journey_t *j);

/* The citizen switched language mid-way (the record keeps the language at submit). */
void wl_journey_set_language(wl_journey_t *j, const char *language);

/* Read-only view of the answers for drawing (relevance, progress, current values); NULL once
 * submitted. Valid until the next answer, clear, submit or free. */
const wl_intake_t *wl_journey_intake(const wl_journey_t *j);

/* Validates and sets the answer to question qid (value borrowed; copied). WL_ERR_INVALID or
 * WL_ERR_STATE: *msg says why in the citizen's terms (msgid + arguments) and nothing changed.
 * Unknown qid: WL_ERR_NOTFOUND (technical, in err). After submit: WL_ERR_STATE. A null, empty
 * text or empty choice clears the answer. msg may be NULL. */
wl_rc wl_journey_answer(wl_journey_t *j, const char *qid, const json_t *value, wl_msg_t *msg, wl_err_t *err);
/* Removes the answer to qid (and answers that no longer apply). */
wl_rc wl_journey_clear(wl_journey_t *j, const char *qid);
/* WL_OK when every required question that applies is answered; else WL_ERR_STATE with the
 * first missing question's index in *missing (may be NULL) and its message in *msg. */
wl_rc wl_journey_validate(const wl_journey_t *j, size_t *missing, wl_msg_t *msg);

/* Submits: validates, merges the answers with the personal data, classifies as of today,
 * makes a reference code from env's random bytes (a clash with a stored code gets a fresh one,
 * three tries), stores the record with its channel, sealed when the store has a seal key, and
 * returns only after the commit reached the disk. Then the answers are wiped from memory
 * (wl_journey_intake becomes NULL) and wl_journey_ref / wl_journey_result are set.
 * Incomplete: WL_ERR_STATE, *missing and *msg as wl_journey_validate. Classification or storage
 * trouble: that code, the technical reason in err, and *msg = "Het opslaan is niet gelukt.
 * Vraag een medewerker om hulp."; the answers are kept so the citizen (or a volunteer) can retry.
 * missing and msg may be NULL. */
wl_rc wl_journey_submit(wl_journey_t *j, size_t *missing, wl_msg_t *msg, wl_err_t *err);
/* After a successful submit: the reference code ("XXXX-XXXX-C"), else "". */
const char *wl_journey_ref(const wl_journey_t *j);
/* After a successful submit: the classification (borrowed; see wl_classify), else NULL. */
const json_t *wl_journey_result(const wl_journey_t *j);
/* Whether the journey was assisted by a volunteer (their name), else NULL. */
const char *wl_journey_assisted_by(const wl_journey_t *j);
/* The start details as kept (borrowed; valid until wl_journey_free). */
const char *wl_journey_location(const wl_journey_t *j);
const char *wl_journey_device(const wl_journey_t *j);
const char *wl_journey_language(const wl_journey_t *j);
const wl_env_t *wl_journey_env(const wl_journey_t *j);

/* The appointment offers that fit the submitted result (see wl_appointments_offer), the
 * journey's location first. Before submit: WL_ERR_STATE. *out is a new array (caller decrefs). */
wl_rc wl_journey_offers(const wl_journey_t *j, const wl_catalog_t *c, json_t **out, wl_err_t *err);

/* Books service at location at start ("YYYY-MM-DDTHH:MM") for this citizen, linked to the
 * intake's reference, in the journey's language, at env's time. A seat taken meanwhile:
 * WL_ERR_CONFLICT with *msg "Deze tijd is net bezet. Kies een andere tijd."; other trouble
 * *msg "Dit lukt nu niet. Vraag een medewerker om hulp." and the reason in err. j may be a
 * journey that was never submitted (booking from the menu): then no intake is linked.
 * The booking's own reference code is made by wl_appointments_book. */
wl_rc wl_journey_book(wl_journey_t *j, wl_store_t *st, const wl_catalog_t *c, const char *service,
                      const char *location, const char *start, wl_appointment_t *out, wl_msg_t *msg,
                      wl_err_t *err);

/* The same through a booking provider (the kiosk's own file, or wijkloket-server): books on
 * hold (from p->hold; NULL or "" for none). A server that cannot be reached (WL_ERR_IO from a
 * remote provider): *msg "De afsprakenlijst is nu niet te bereiken. Er is geen afspraak
 * gemaakt." and nothing is booked anywhere, not locally either. */
wl_rc wl_journey_book_via(wl_journey_t *j, const wl_booking_provider_t *p, const wl_catalog_t *c,
                          const char *service, const char *location, const char *start, const char *hold,
                          wl_appointment_t *out, wl_msg_t *msg, wl_err_t *err);

/* The staff tool's classification of one record without a journey: validates answers (an
 * object {"question_id": value}, personal answers included) against q as of today, merges
 * the personal data in, and classifies. Bad answers: WL_ERR_INVALID/STATE with
 * "field: message" in err. *result is new (caller decrefs). */
wl_rc wl_journey_classify_answers(const wl_questionnaire_t *q, const wl_rules_t *rules, const json_t *answers,
                                  const char *today, json_t **result, wl_err_t *err);
/* Re-classifies a stored record (as wl_case_each/wl_store_get_intake give it: "answers",
 * "personal", "day") with rules, as of the day it was filled in, so only the rules differ.
 * A record without answers (abandoned, anonymised): WL_ERR_STATE. */
wl_rc wl_journey_classify_record(const wl_rules_t *rules, const json_t *record, json_t **result, wl_err_t *err);

/* ---- texts for a summary and a result page (journey_text.c) ---- */

/* The answer to question idx of q in in, as the citizen reads it in t's language (t NULL:
 * Dutch): option texts translated and several joined by ", ", yes or no, a number with a
 * decimal comma and its unit, a date as "14 maart 1990", typed text as typed. false (and dst
 * empty) when the question has no answer: the front end says that in its own words. */
bool wl_journey_answer_text(const wl_questionnaire_t *q, const wl_intake_t *in, size_t idx, const wl_i18n_t *t,
                            char *dst, size_t n);
/* A number answer as shown: whole numbers as they are, fractions with a Dutch decimal comma. */
void wl_journey_number_text(const json_t *a, char *dst, size_t n);
/* What happens next for a result's route, and who takes the lead for its regie: msgids (the
 * front end translates). An unknown or missing route gets the general sentence; an unknown
 * regie gets NULL. */
const char *wl_journey_route_text(const char *route);
const char *wl_journey_regie_text(const char *regie);

#endif
