/* Minimaregelingen: dated parameters and a scheme catalogue from data, eligibility with reasons. */
#ifndef WL_MINIMA_H
#define WL_MINIMA_H

#include <jansson.h>
#include "wijkloket/common.h"
#include "wijkloket/slip.h"
#include "wijkloket/store.h"

#define WL_MINIMA_MAX_SCHEMES 48
#define WL_MINIMA_MAX_CONDITIONS 10
#define WL_MINIMA_MAX_CHILDREN 20

typedef struct wl_minima wl_minima_t;               /* parameters + schemes, read-only once loaded */
typedef struct wl_minima_result wl_minima_result_t; /* the outcome of one evaluation */

typedef enum {
    WL_MINIMA_ELIGIBLE,     /* every condition met with the figures given */
    WL_MINIMA_MAYBE,        /* something unknown, close above a limit, or "ask about it" */
    WL_MINIMA_NOT_ELIGIBLE, /* at least one condition clearly not met */
    WL_MINIMA_NOT_OFFERED   /* the scheme does not run on the check date (ended, or not begun) */
} wl_minima_status;

/* "eligible", "maybe", "not_eligible", "not_offered". */
const char *wl_minima_status_name(wl_minima_status s);

typedef enum {
    WL_SCHOOL_UNKNOWN = 0, /* not asked / not answered */
    WL_SCHOOL_NONE,        /* not at school (yet) */
    WL_SCHOOL_PRIMARY,     /* basisschool */
    WL_SCHOOL_SECONDARY,   /* middelbare school (vmbo, havo, vwo, praktijkonderwijs) */
    WL_SCHOOL_OTHER        /* mbo, hbo, university, other */
} wl_minima_school;

typedef struct {
    int age_years;  /* whole years */
    int age_months; /* 0..11 months past the birthday, or -1 when not given */
} wl_minima_person_t;

typedef struct {
    int age;                 /* whole years, 0..40 */
    wl_minima_school school;
} wl_minima_child_t;

/* One household as the wizard asks it. Nothing here names a person; the struct is never
 * stored. Unknown optional answers are -1 (see docs/minima.md for the JSON form). */
typedef struct {
    wl_minima_person_t applicant;  /* the person asking, 18 or older */
    bool has_partner;              /* married or living together */
    wl_minima_person_t partner;    /* only when has_partner */
    int n_children;                /* children living at home */
    wl_minima_child_t children[WL_MINIMA_MAX_CHILDREN];
    int64_t net_monthly_income;    /* household, net per month incl. vakantiegeld share, cents */
    int64_t gross_yearly_income;   /* household, gross per year, cents; -1 unknown */
    int64_t assets_min;            /* savings and property, cents; -1 unknown */
    int64_t assets_max;            /* upper end of the band; -1 = no upper end; == min when exact */
    int years_low_income;          /* whole years on a low income; -1 unknown */
    int student;                   /* applicant studies with studiefinanciering: 1, 0, -1 unknown */
    int chronic_illness;           /* someone in the household: 1, 0, -1 unknown */
} wl_minima_household_t;

/* Loads <assets_dir>/minima/parameters.json and <assets_dir>/minima/schemes.json and checks
 * them together (every parameter or table a scheme names must exist). Errors name file, line
 * and field ("parameters.json:14: parameters.bijstandsnorm...values[1].from: ..."). The
 * caller frees *out with wl_minima_free. */
wl_rc wl_minima_load(const char *assets_dir, wl_minima_t **out, wl_err_t *err);
/* Same with explicit file paths (tests, fixtures). */
wl_rc wl_minima_load_files(const char *params_path, const char *schemes_path, wl_minima_t **out,
                           wl_err_t *err);
void wl_minima_free(wl_minima_t *m);
/* Loads and frees: for `wijkloket-staff check`. */
wl_rc wl_minima_check_assets(const char *assets_dir, wl_err_t *err);

int wl_minima_scheme_count(const wl_minima_t *m);
/* Borrowed strings, valid until wl_minima_free; NULL for an index out of range. */
const char *wl_minima_scheme_id(const wl_minima_t *m, int i);
const char *wl_minima_scheme_name(const wl_minima_t *m, int i);

/* Reads a household JSON object (format in docs/minima.md) into *out. Unknown keys, missing
 * required fields, wrong types and absurd values (negative income, income above
 * € 100.000 a month, an applicant under 18) are WL_ERR_INVALID with "name: field: what". */
wl_rc wl_minima_household_parse(const json_t *j, const char *name, wl_minima_household_t *out,
                                wl_err_t *err);
/* The same range checks for a household filled in by code (the kiosk). */
wl_rc wl_minima_household_validate(const wl_minima_household_t *h, wl_err_t *err);

/* A result buffer, reusable for many evaluations. Caller frees with wl_minima_result_free.
 * NULL when out of memory. */
wl_minima_result_t *wl_minima_result_new(void);
void wl_minima_result_free(wl_minima_result_t *r);

/* Evaluates every scheme for household h on date (YYYY-MM-DD) into r. No allocation and
 * no text: this is the fast path (see bench/bench_minima.c). WL_ERR_INVALID for a bad date or
 * household. */
wl_rc wl_minima_evaluate(const wl_minima_t *m, const wl_minima_household_t *h, const char *date,
                         wl_minima_result_t *r, wl_err_t *err);
/* Status of scheme i in r (WL_MINIMA_NOT_OFFERED for an index out of range). */
wl_minima_status wl_minima_result_status(const wl_minima_result_t *r, int i);

/* The amount a parameter table (e.g. "vermogensgrens") gives household h on date, in *cents
 * (the kiosk builds its asset bands from it, so the amounts stay data). WL_ERR_NOTFOUND when
 * the table does not exist or has no amount for this household and date; *cents is then -1. */
wl_rc wl_minima_table_amount(const wl_minima_t *m, const char *table, const wl_minima_household_t *h,
                             const char *date, int64_t *cents, wl_err_t *err);

/* Dutch money text as the reasons use it: "€ 1.600" for whole euros, "€ 1.642,87" otherwise. */
void wl_minima_money(int64_t cents, char *buf, size_t size);

/* Renders r (evaluated for h) as a new JSON object (caller decrefs):
 *   {"date", "household": {"kind","age_band","aow_age_months"},
 *    "income": {"net_monthly_cents"},
 *    "schemes": [{"id","name","description","status","reasons":[reason],
 *                 "figures":{...},"trace":[{"condition","outcome","detail"}],
 *                 "valid_from","valid_to","apply","bring","notes","source","source_date"}]}
 * Schemes keep the catalogue order. A reason is a B1 explanation for the citizen, never a
 * finished sentence: a list of sentences, each {"id": Dutch template, "args": [...]}
 * (wl_msg_json), or a msgid string from the assets. Show it with wl_i18n_msg_json, which
 * translates the template before it fills in the figures. */
wl_rc wl_minima_result_json(const wl_minima_t *m, const wl_minima_household_t *h,
                            const wl_minima_result_t *r, json_t **out, wl_err_t *err);

/* Parse + evaluate + render in one call (CLI, kiosk). */
wl_rc wl_minima_evaluate_json(const wl_minima_t *m, const json_t *household, const char *name,
                              const char *date, json_t **out, wl_err_t *err);

/* The printable list (kiosk "Print de lijst"): a slip model with the schemes shown as eligible
 * or maybe, each with where and how to apply and what to bring, in the language of catalogue t
 * (NULL: Dutch; every text is a msgid, the schemes' own included). No household figures
 * are put on it. Render and print it with wl_slip_render / wl_printer_print. */
wl_rc wl_minima_slip(const wl_minima_t *m, const wl_minima_result_t *r, const wl_i18n_t *t, wl_slip_t *out,
                     wl_err_t *err);

/* Anonymous management figures: adds one to the count of (date, location, scheme, status) for
 * every scheme in r that a citizen was shown (status eligible or maybe). Nothing about the
 * household is stored. One transaction; WL_ERR_DB / WL_ERR_IO from the store. */
wl_rc wl_minima_count_shown(wl_store_t *st, const wl_minima_t *m, const wl_minima_result_t *r,
                            const char *location, wl_err_t *err);
/* New JSON array [{"date","location","scheme","status","count"}] for dates from..to
 * (inclusive, YYYY-MM-DD), ordered by date, location, scheme. Caller decrefs. */
wl_rc wl_minima_counts(wl_store_t *st, const char *from, const char *to, json_t **out,
                       wl_err_t *err);

#endif
