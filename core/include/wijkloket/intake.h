/* An in-memory intake session: answers, relevance, validation, progress and completion. */
#ifndef WL_INTAKE_H
#define WL_INTAKE_H

#include <jansson.h>
#include "wijkloket/common.h"
#include "wijkloket/msg.h"
#include "wijkloket/questionnaire.h"

typedef struct wl_intake wl_intake_t;

/* Starts an empty session over q (borrowed; must outlive the session). today is YYYY-MM-DD
 * and drives age rules. Returns NULL only when out of memory. */
wl_intake_t *wl_intake_new(const wl_questionnaire_t *q, const char *today);
/* Wipes every answer from memory (explicit_bzero of strings) and frees the session. */
void wl_intake_free(wl_intake_t *s);

/* Validates and sets an answer (value borrowed; copied). Type, range, option, format and the
 * question's validations are checked; on a problem returns WL_ERR_INVALID and err->msg holds
 * the Dutch B1 message with its figures filled in (for the staff tool and tests; front ends use
 * wl_intake_set_msg). An answer to a question that is not
 * relevant now is refused with WL_ERR_STATE. After a change, answers to questions that became
 * irrelevant are cleared. */
wl_rc wl_intake_set(wl_intake_t *s, const char *qid, const json_t *value, wl_err_t *err);
/* The same, for front ends: a refusal the citizen sees comes back in m as msgid + arguments
 * (m may be NULL); err still gets the Dutch sentence filled in, or technical text for an
 * unknown question id (WL_ERR_NOTFOUND, m->id NULL). */
wl_rc wl_intake_set_msg(wl_intake_t *s, const char *qid, const json_t *value, wl_msg_t *m, wl_err_t *err);
/* Removes an answer (and then clears answers that became irrelevant). */
wl_rc wl_intake_clear(wl_intake_t *s, const char *qid);
/* The current answer or NULL (borrowed, valid until the next change). */
const json_t *wl_intake_get(const wl_intake_t *s, const char *qid);

/* Whether the question at index i is relevant given the answers so far. */
bool wl_intake_relevant(const wl_intake_t *s, size_t i);
/* Whether question i must be answered (relevant and its required rule holds). */
bool wl_intake_required(const wl_intake_t *s, size_t i);
/* Screens: a question is asked on its own screen, or with the other yes/no questions of its
 * group on one. The first question of i's screen: its group's first member that applies (i
 * itself when alone, or when none before it applies). */
size_t wl_intake_screen_start(const wl_intake_t *s, size_t i);
/* The last question of the screen that i is on (its group's last member, or i). */
size_t wl_intake_screen_end(const wl_intake_t *s, size_t i);
/* Whether a required question of the screen starting at i is still unanswered. */
bool wl_intake_screen_open(const wl_intake_t *s, size_t i);
/* Index of the next relevant question after `after` (use SIZE_MAX to start), or SIZE_MAX. */
size_t wl_intake_next(const wl_intake_t *s, size_t after);
/* Index of the previous relevant question before `before`, or SIZE_MAX. */
size_t wl_intake_prev(const wl_intake_t *s, size_t before);

/* Progress: relevant questions answered and relevant questions in all; also per section. */
void wl_intake_progress(const wl_intake_t *s, size_t *answered, size_t *total);
void wl_intake_section_progress(const wl_intake_t *s, size_t section, size_t *answered, size_t *total);

/* WL_OK when every required relevant question is answered; otherwise WL_ERR_STATE and, when
 * missing_idx is not NULL, the first missing question's index. */
wl_rc wl_intake_complete(const wl_intake_t *s, size_t *missing_idx);

/* New JSON objects (caller decrefs): the non-personal answers, and the personal ones
 * (identification), kept apart so they can be stored and sealed separately. */
json_t *wl_intake_answers(const wl_intake_t *s);
json_t *wl_intake_personal(const wl_intake_t *s);

/* Loads a whole answers object (e.g. from a file) into a fresh session in questionnaire
 * order, reporting the first bad answer as "field: message". Answers to irrelevant
 * questions are an error (WL_ERR_STATE) unless allow_irrelevant. */
wl_rc wl_intake_load_answers(wl_intake_t *s, const json_t *answers, bool allow_irrelevant, wl_err_t *err);

const wl_questionnaire_t *wl_intake_questionnaire(const wl_intake_t *s);

#endif
