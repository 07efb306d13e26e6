/* The minima wizard as data: its questions, ranges and school-age rule from assets/minima/wizard.json. */
#ifndef WL_MINIMA_WIZARD_H
#define WL_MINIMA_WIZARD_H

#include <stdbool.h>

#include "wijkloket/common.h"
#include "wijkloket/intake.h"
#include "wijkloket/minima.h"
#include "wijkloket/msg.h"

/* The steps, in the order the wizard asks them. What each answer fills in of a
 * wl_minima_household_t is fixed by the step (docs/minima.md); the texts and ranges are data. */
typedef enum {
    WL_WIZ_INTRO, WL_WIZ_PARTNER, WL_WIZ_AGE, WL_WIZ_PARTNER_AGE, WL_WIZ_CHILDREN, WL_WIZ_CHILD_AGE,
    WL_WIZ_CHILD_SCHOOL, WL_WIZ_INCOME, WL_WIZ_ASSETS, WL_WIZ_YEARS, WL_WIZ_STUDENT, WL_WIZ_CHRONIC,
    WL_WIZ_GROSS, WL_WIZ_STEPS
} wl_wiz_step_id;

#define WL_WIZ_MAX_OPTIONS 8
#define WL_WIZ_MAX_TEXT 4

/* One step as written in wizard.json. Every text is a Dutch msgid (or NULL when absent); the
 * strings belong to the loaded wizard. A number step has number = true and a range. */
typedef struct {
    const char *id;
    const char *question;    /* may hold %1$s: the child's number on the child steps */
    const char *help, *unit, *message, *side_label, *side_text, *next_label;
    const char *text[WL_WIZ_MAX_TEXT];
    int n_text;
    const char *options[WL_WIZ_MAX_OPTIONS];
    int n_options;
    /* One pictogram name per option (assets/pictograms.json), drawn beside it on the kiosk. */
    const char *pictograms[WL_WIZ_MAX_OPTIONS];
    bool number;
    long min, max;
    bool max_is_age;         /* "max": "age": at most the applicant's age in years */
} wl_wiz_step_t;

typedef struct wl_minima_wizard wl_minima_wizard_t;

/* Loads and validates <assets_dir>/minima/wizard.json: every step id once, the number steps
 * with min <= max and a message, the choice steps with the number of options the step needs
 * and a pictogram name for each, a school-age rule in order. Problems name file, line and field. Caller frees. */
wl_rc wl_minima_wizard_load(const char *assets_dir, wl_minima_wizard_t **out, wl_err_t *err);
void wl_minima_wizard_free(wl_minima_wizard_t *w);

/* The wizard's title (a msgid) and one step (never NULL for a valid id). */
const char *wl_minima_wizard_title(const wl_minima_wizard_t *w);
const wl_wiz_step_t *wl_minima_wizard_step(const wl_minima_wizard_t *w, wl_wiz_step_id id);

/* Reads what the citizen typed on a number step. WL_OK and *out when it is a whole number in
 * the step's range (applicant_age is the upper bound for a "max": "age" step); otherwise
 * WL_ERR_INVALID and *msg = the step's message (msgid). */
wl_rc wl_minima_wizard_number(const wl_wiz_step_t *s, const char *typed, int applicant_age, long *out, wl_msg_t *msg);

/* What the entry questionnaire already told (WCAG 3.3.7: no redundant entry), per step, from
 * the "from_questionnaire" list in wizard.json. A number step with a value is answered
 * exactly (the age from the birth date) and is not asked again; a choice step gets its option
 * chosen in advance, still shown so the citizen can change it. */
typedef struct {
    long number[WL_WIZ_STEPS];   /* -1: not known */
    int option[WL_WIZ_STEPS];    /* -1: nothing chosen in advance */
    int n_known;                 /* how many steps got something */
} wl_wiz_known_t;

/* Fills *out from the questionnaire's answers as of today (YYYY-MM-DD). answers may be NULL
 * (nothing known). A derived number outside the step's range is left unknown (asked). */
void wl_minima_wizard_known(const wl_minima_wizard_t *w, const wl_intake_t *answers, const char *today,
                            wl_wiz_known_t *out);

/* Checks the "from_questionnaire" list against the questionnaire: every question exists, an
 * "age_of" question is a date, every "any_of" value is one of the question's options. */
wl_rc wl_minima_wizard_check_questionnaire(const wl_minima_wizard_t *w, const wl_questionnaire_t *q,
                                           const char *path, wl_err_t *err);

/* The school-age rule: true when a child of this age is asked which school; otherwise false
 * and *implied is the school the child is taken to go to. */
bool wl_minima_wizard_ask_school(const wl_minima_wizard_t *w, int age, wl_minima_school *implied);

#endif
