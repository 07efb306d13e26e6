/* Private parts of the portal shared by its page files: the context, sessions, one request. */
#ifndef WLP_PAGES_H
#define WLP_PAGES_H

#include <jansson.h>
#include <pthread.h>

#include "buf.h"
#include "form.h"
#include "portal.h"
#include "reqtext.h"
#include "wijkloket/appointments.h"
#include "wijkloket/classify.h"
#include "wijkloket/i18n.h"
#include "wijkloket/intake.h"
#include "wijkloket/minima_wizard.h"
#include "wijkloket/questionnaire.h"
#include "wijkloket/refcode.h"

#ifndef N_ /* wijkloket/msg.h (through intake.h) defines it the same way */
#define N_(s) (s)
#endif
#define PORTAL_MAX_LANGS 8
#define SESSION_BUCKETS 4096
#define RATE_SLOTS 4096
#define RESUME_CODE_BUFSZ 24 /* "XXXX-XXXX-XXXX-XXXX" plus NUL */

typedef struct session {
    struct session *next;   /* hash chain */
    char id[SESSION_HEX];   /* the cookie value: opaque, random, never in a URL or log */
    char csrf[SESSION_HEX]; /* the token every form of this session carries */
    int64_t created, last_seen;
    int lang;
    bool consent;
    wl_intake_t *intake;    /* NULL after submit */
    int64_t started_at;
    bool back_to_summary;   /* "Wijzigen" on the summary: return there after the answer */
    char at[64];            /* the question last shown: where a saved draft resumes */
    char resume_code[RESUME_CODE_BUFSZ]; /* once saved or resumed: the code the draft is under */
    char flash[256];        /* one message for the next page (already translated text) */
    /* After submit. */
    bool submitted;
    int64_t submitted_at;
    char ref[WL_REFCODE_BUFSZ];
    json_t *result;         /* classification result (route, signals, reasons) */
    /* The minima check: the household as entered (anonymous, never stored). */
    json_t *household;
    int minima_kids;
    bool minima_counted;    /* this household's result went into the anonymous figures */
    /* What the questionnaire told the minima check (WCAG 3.3.7), taken just before submit wipes
     * the answers (wl_minima_wizard_known; which answers is wizard.json's from_questionnaire). */
    wl_wiz_known_t known;
    bool have_known;
    /* Booking. */
    char service[64], location[64];
    char hold_start[WL_SLOT_START_BUFSZ]; /* the time chosen, waiting for "Afspraak bevestigen" */
    char hold_id[33];       /* its hold in the backend ("" when the backend has no holds) */
    int64_t hold_until;     /* when that hold lets the seat go */
    bool booked;
    wl_appointment_t appt;
} session_t;

typedef struct {
    char addr[48];
    int64_t window;       /* start of the current minute */
    int count;
    int64_t resume_window; /* start of the current 10 minutes for resume attempts */
    int resume_count;
} rate_t;

struct wl_portal {
    wl_portal_config_t cfg;
    char assets_dir[512], locale_dir[512], web_dir[512], location[64];
    wl_questionnaire_t *q;
    wl_rules_t *rules;
    wl_catalog_t *catalog;
    struct wl_minima *minima;
    wl_minima_wizard_t *wizard; /* only its from_questionnaire list is used here */
    wl_i18n_t *i18n[PORTAL_MAX_LANGS];
    char langs[PORTAL_MAX_LANGS][8];
    int n_langs;
    unsigned char *css;   /* the stylesheet served at /static/portal.css */
    size_t css_len;
    char css_etag[40];
    pthread_mutex_t mu;   /* guards sessions and rates */
    session_t *buckets[SESSION_BUCKETS];
    size_t n_sessions;
    rate_t rates[RATE_SLOTS];
    int64_t last_sweep;
};

/* One request being answered. */
typedef struct {
    wl_portal_t *p;
    const wl_http_request_t *req;
    wl_http_response_t *res;
    session_t *s;         /* NULL without a session */
    bool cookie_sent;     /* the request named a session (that may have expired) */
    form_t form;          /* POST body, parsed */
    int lang;             /* index into p->langs */
    const char *resume_code_in; /* for POST /hervatten: the code typed (in form memory) */
} rq_t;

/* Translation in the page's language. */
const char *T(const rq_t *r, const char *msgid);

/* Fills tmpl's "%s"/"%d" in order with a0, a1 (translations are never printf formats). */
void subst(char *out, size_t size, const char *tmpl, const char *a0, const char *a1);

/* ---- sessions (session.c); called with p->mu held ---- */
session_t *session_find(wl_portal_t *p, const char *id, int64_t now);
session_t *session_create(wl_portal_t *p, int64_t now);
void session_end(wl_portal_t *p, session_t *s);
void session_sweep(wl_portal_t *p, int64_t now);
/* Wipes a session's answers and booking but keeps it alive (after "Stoppen" we still need
 * nothing, so session_end is used there; this is for starting over). */
void session_reset(session_t *s);
/* false when addr has used up its requests this minute (resume: its attempts this 10 min). */
bool rate_allow(wl_portal_t *p, const char *addr, int64_t now, bool resume_attempt);

/* ---- pages (page.c) ---- */
/* Starts a page: doctype, head with title, header with the language switch. */
void page_begin(rq_t *r, buf_t *b, const char *title, bool error_prefix);
/* Ends it: the session notice (time left, Meer tijd, Stoppen), footer, closing tags. */
void page_end(rq_t *r, buf_t *b);
/* Finishes r->res with status and the page in b (frees b). */
void page_send(rq_t *r, int status, buf_t *b);
/* A 303 redirect to a local path. */
void redirect(rq_t *r, const char *path);
/* A short page with a heading, a paragraph and a link back to the start. */
void page_message(rq_t *r, int status, const char *title, const char *text, const char *link_href,
                  const char *link_text);
/* "Uw sessie is verlopen": the session is gone (timed out, stopped, or the server restarted). */
void page_expired(rq_t *r);
/* True for our own simple paths ("/vraag/naam"): letters, digits, '/', '_', '-' only; never a
 * full URL, "//host" or a header break. */
bool local_path(const char *p);
/* The hidden CSRF field for a form of this session. */
void csrf_field(rq_t *r, buf_t *b);
/* "Kies uw taal": every offered language as a button; back is where to return after. */
void page_languages(rq_t *r, const char *back);
/* Error summary at the top: one entry (text, anchor). */
void error_summary(rq_t *r, buf_t *b, const char *msg, const char *anchor);

/* ---- the questionnaire (pages_intake.c) ---- */
void pages_start(rq_t *r);
void pages_start_post(rq_t *r);
void pages_question(rq_t *r, const char *qid);
void pages_question_post(rq_t *r, const char *qid);
void pages_summary(rq_t *r);
void pages_submit(rq_t *r);
void pages_result(rq_t *r, bool proof);
/* Formats the current answer of question i for the summary (translated). */
void answer_text(rq_t *r, size_t i, buf_t *b);

/* ---- save and resume (pages_draft.c) ---- */
void pages_save(rq_t *r);
void pages_save_post(rq_t *r);
void pages_resume(rq_t *r);
void pages_resume_post(rq_t *r);
/* After submit: deletes the session's saved draft, if any (it is no longer needed). */
void draft_forget(rq_t *r);

/* ---- the minima check (pages_minima.c) ---- */
void pages_minima(rq_t *r);
void pages_minima_post(rq_t *r);
void pages_minima_kids(rq_t *r);
void pages_minima_kids_post(rq_t *r);
void pages_minima_result(rq_t *r);

/* ---- appointments (pages_booking.c) ---- */
void pages_booking(rq_t *r);
void pages_booking_post(rq_t *r);
void pages_slots(rq_t *r);
void pages_slots_post(rq_t *r);
void pages_confirm(rq_t *r);
void pages_confirm_post(rq_t *r);
void pages_release_post(rq_t *r);
/* Lets go of the session's held seat, if any (Terug, a new choice, Stoppen, expiry). */
void hold_drop(wl_portal_t *p, session_t *s, int64_t now);
void pages_slip(rq_t *r);
void pages_slip_file(rq_t *r, bool pdf);

#endif
