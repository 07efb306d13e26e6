/* Private model of the minima engine: dated parameters, lookup tables, compiled schemes. */
#ifndef WL_MINIMA_INTERNAL_H
#define WL_MINIMA_INTERNAL_H

#include <jansson.h>
#include <stdint.h>
#include "wijkloket/minima.h"
#include "wijkloket/msg.h"

/* Day numbers: days since 1970-01-01 in the proleptic Gregorian calendar. Comparing two
 * ints is all the engine does with dates, so the hot path never touches strings. */
#define WL_DAY_NONE INT32_MAX
bool wl_minima_day_parse(const char *s, int32_t *day);
void wl_minima_day_format(int32_t day, char buf[11]);

/* Best-effort line numbers for validation messages: the file text is read only when an
 * error is reported. */
typedef struct {
    const char *path;
    char *text;
    bool tried;
} wl_minima_loc_t;
/* Line of the nth (0-based) occurrence of needle after the first occurrence of anchor
 * (either may be NULL); 0 when not found. */
int wl_minima_loc_line(wl_minima_loc_t *L, const char *anchor, const char *needle, int nth);
void wl_minima_loc_free(wl_minima_loc_t *L);
/* First key of obj not in the NULL-terminated list allowed, or NULL. */
const char *wl_minima_unknown_key(const json_t *obj, const char *const *allowed);
/* "YYYY", "YYYY-MM" or "YYYY-MM-DD". */
bool wl_minima_source_date_ok(const char *s);

/* ---- parameters (params.c) ---- */

typedef enum {
    WL_UNIT_CENTS_PER_MONTH,
    WL_UNIT_CENTS_PER_YEAR,
    WL_UNIT_CENTS,
    WL_UNIT_MONTHS
} wl_param_unit;

typedef struct {
    int32_t from;        /* first day this value applies */
    int32_t to;          /* last day (inclusive); WL_DAY_NONE = until the next value */
    int64_t value;
    char from_s[11];
    char *source;
    char *source_date;
} wl_pvalue_t;

typedef struct {
    char *name;
    char *description;
    wl_param_unit unit;
    int32_t known_until; /* after this day the newest value is only a guess; WL_DAY_NONE = open */
    int n_values;
    wl_pvalue_t *values; /* sorted by from, no overlaps (checked on load) */
} wl_param_t;

/* Household kinds and age bands as the tables name them. */
typedef enum { WL_HH_SINGLE, WL_HH_SINGLE_PARENT, WL_HH_COUPLE, WL_HH_COUNT } wl_hh_kind;
typedef enum { WL_BAND_18_20, WL_BAND_21_AOW, WL_BAND_AOW, WL_BAND_MIXED, WL_BAND_UNKNOWN } wl_hh_band;
#define WL_ANY (-1)

typedef struct {
    int household; /* wl_hh_kind or WL_ANY */
    int band;      /* wl_hh_band (never UNKNOWN) or WL_ANY */
    int param;     /* index into params */
} wl_trow_t;

typedef struct {
    char *name;
    char *label;   /* Dutch, for citizen text: "de bijstandsnorm" */
    int n_rows;
    wl_trow_t *rows;
} wl_table_t;

typedef struct {
    int n_params;
    wl_param_t *params;
    int n_tables;
    wl_table_t *tables;
    int aow_param; /* "aow_leeftijd" (months), required */
} wl_params_t;

/* Loads and validates a parameter file. Errors name file, line and field. */
wl_rc wl_params_load(const char *path, wl_params_t **out, wl_err_t *err);
void wl_params_free(wl_params_t *p);
int wl_params_find(const wl_params_t *p, const char *name);
int wl_params_find_table(const wl_params_t *p, const char *name);
/* Index of the value of param that applies on day, or -1 when none does. */
int wl_params_value_at(const wl_params_t *p, int param, int32_t day);
/* First row of table matching household and band (band UNKNOWN matches only "*" rows);
 * the row's parameter index, or -1. */
int wl_params_table_lookup(const wl_params_t *p, int table, int household, int band);

/* ---- schemes (minima.c) ---- */

typedef enum {
    WL_COND_INCOME_PCT,
    WL_COND_ASSETS,
    WL_COND_GROSS_YEAR,
    WL_COND_AGE,
    WL_COND_AOW_AGE,
    WL_COND_CHILDREN,
    WL_COND_YEARS_LOW,
    WL_COND_STUDENT,
    WL_COND_CHRONIC
} wl_cond_type;

typedef struct {
    wl_cond_type type;
    int table;       /* income_pct, assets, gross_income_year */
    int pct;         /* income_pct: max percentage of the table's amount */
    int min, max;    /* age, children (ages), years_low_income; -1 = no bound */
    bool strict;     /* years_low_income: "more than" instead of "at least" */
    bool flag;       /* aow_age: reached; student: allowed; chronic_illness: required */
    int school;      /* children: wl_minima_school or -1 for any */
} wl_cond_t;

typedef struct {
    char *id, *name, *description;
    int32_t valid_from, valid_to; /* WL_DAY_NONE when open */
    char *ask_about;              /* B1 reason that keeps the status at "maybe", or NULL */
    int n_conds;
    wl_cond_t conds[WL_MINIMA_MAX_CONDITIONS];
    json_t *info;                 /* apply, bring, notes, source, source_date (kept as JSON) */
} wl_scheme_t;

struct wl_minima {
    wl_params_t *params;
    int margin_pct;
    int n_schemes;
    wl_scheme_t *schemes;
};

/* One checked condition: its outcome and the figures used (meaning per type, see
 * minima_text.c). */
typedef enum {
    WL_OUT_PASS,
    WL_OUT_STALE,    /* passes with a value past its known_until: maybe */
    WL_OUT_NEAR,     /* above the limit but within the margin: maybe */
    WL_OUT_UNKNOWN,  /* information or parameter missing: maybe */
    WL_OUT_FAIL
} wl_outcome;

typedef struct {
    uint8_t outcome;
    int16_t param;   /* parameter used, or -1 */
    int16_t vidx;    /* value index used, or -1 */
    int64_t fig[4];
} wl_check_t;

typedef struct {
    wl_minima_status status;
    wl_check_t checks[WL_MINIMA_MAX_CONDITIONS];
} wl_scheme_result_t;

struct wl_minima_result {
    int32_t day;
    int household;   /* wl_hh_kind */
    int band;        /* wl_hh_band */
    int aow_months;  /* AOW age on the day, -1 when unknown */
    int n_schemes;
    wl_scheme_result_t schemes[WL_MINIMA_MAX_SCHEMES];
};

/* Loads the scheme catalogue against already loaded parameters (borrowed). */
wl_rc wl_minima_schemes_load(const char *path, struct wl_minima *m, wl_err_t *err);

/* Citizen reason for one check (minima_text.c): its sentences as messages (Dutch template
 * plus figures, for the front end to translate) in out[0..max); returns how many. */
#define WL_MINIMA_MAX_SENTENCES 4
int wl_minima_check_says(const struct wl_minima *m, const wl_scheme_t *s, const wl_cond_t *c, const wl_check_t *k,
                         const wl_minima_household_t *h, const struct wl_minima_result *r, wl_msg_t *out, int max);

#endif
