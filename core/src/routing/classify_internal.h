/* Private shape of loaded routing rules, shared by the loader, the classifier and the explainer. */
#ifndef WL_CLASSIFY_INTERNAL_H
#define WL_CLASSIFY_INTERNAL_H

#include <jansson.h>
#include "wijkloket/classify.h"
#include "wijkloket/logic.h"

/* A condition compiled for fast evaluation (classify_fast.c); NULL when the condition uses
 * something only the interpreter (logic.c) handles. */
typedef struct rl_fast rl_fast_t;

/* What conditions read during one classification. Every name a rule may read has a slot:
 * first the computed values ("age", "derived.*", "score.*", "domains.count",
 * "domains.band", "domain.*", "signal.*", "route", "form", "kik_status"), then the answers
 * the rules use. A slot is NULL until its value is known (or when unanswered). */
typedef struct {
    const wl_rules_t *r;
    const json_t *answers;
    const json_t **slots; /* r->n_slots entries */
    const char *today;
} rl_data_t;

/* Assigns slots, compiles every condition and builds the shared trace entries; called once
 * at the end of loading. WL_ERR_NOMEM is the only failure. */
wl_rc rl_compile_all(wl_rules_t *r);
void rl_fast_free(rl_fast_t *f);
/* Truthiness / value of `rule`, using f when it can and the interpreter (wl_logic_*, over
 * one object built from the answers and the known slots) otherwise; results and error
 * messages are the interpreter's. */
wl_rc rl_fast_test(const rl_fast_t *f, const json_t *rule, const rl_data_t *d, bool *out,
                   wl_err_t *err);
wl_rc rl_fast_eval(const rl_fast_t *f, const json_t *rule, const rl_data_t *d, json_t **out,
                   wl_err_t *err);
/* How many conditions run compiled, of all conditions (for the benchmark and tests). */
void rl_fast_stats(const wl_rules_t *r, size_t *compiled, size_t *total);
/* Tests set this to run every condition through the interpreter, to compare both paths. */
extern bool rl_fast_disabled;

/* The stages of one classification, in evaluation order. A rule may only read values that
 * exist when its stage runs; the loader enforces this so a rule never sees a half result. */
typedef enum {
    ST_DERIVED,
    ST_SCORE,
    ST_DOMAIN,
    ST_SIGNAL,
    ST_ROUTE,
    ST_FORM,
    ST_KIK,
    ST_REGIE
} rl_stage_t;

/* One rule of any kind. The JSON values are references into the loaded document or strings
 * built once at load time; results share them (jansson strings are immutable), which keeps a
 * classification free of string copies. */
typedef struct {
    const char *id;      /* points into j_id */
    json_t *when;        /* borrowed from the document; NULL for a chain's default */
    rl_fast_t *fast;     /* compiled `when`, or NULL */
    json_t *outcome;     /* chains: a string or null; otherwise NULL */
    json_int_t points;   /* score terms only */
    json_t *j_id;        /* the rule id as a JSON string */
    json_t *j_reason;    /* citizen-facing B1 reason */
    json_t *j_source;    /* "seed §section" */
    json_t *j_points;    /* score terms only, else NULL */
    json_t *j_trace;     /* {"rule","stage","reason","source"[,"points"]}, shared by results */
} rl_rule_t;

typedef struct {
    const char *id;
    json_t *value;       /* JsonLogic, borrowed */
    rl_fast_t *fast;     /* compiled value, or NULL */
} rl_derived_t;

typedef struct {
    const char *id;
    json_t *j_stage;     /* "score.<id>" */
    json_int_t min, max;
    rl_rule_t *terms;
    size_t n_terms;
} rl_score_t;

typedef struct {
    const char *id;
    const char *label;   /* B1 label */
    json_t *j_id;
    json_t *j_stage;     /* "domain.<id>" */
    rl_rule_t *problems;
    size_t n_problems;
} rl_domain_t;

typedef struct {
    rl_rule_t r;
    bool urgent;
    json_t *j_text;      /* B1 text for the citizen: what happens next */
} rl_signal_t;

/* An ordered list of rules where the first match wins, with a default. */
typedef struct {
    rl_rule_t *rules;
    size_t n;
    rl_rule_t def;
    json_t *j_stage;
} rl_chain_t;

typedef struct {
    const char *id;      /* "green", "orange", "red" */
    json_int_t from;     /* lowest problem count in this band */
    json_t *j_id;
} rl_band_t;

struct wl_rules {
    json_t *doc;         /* owns every borrowed json_t above */
    char *path;
    const char *version;
    json_t *j_version;
    rl_derived_t *derived;
    size_t n_derived;
    rl_score_t *scores;
    size_t n_scores;
    rl_band_t bands[3];
    rl_domain_t *domains;
    size_t n_domains;
    rl_signal_t *signals;
    size_t n_signals;
    rl_chain_t route, form, kik, regie;
    json_t *j_stage_signal;
    json_t *j_stage_domain;
    /* Slots (see rl_data_t): offsets of each computed group, then the answers rules read. */
    size_t slot_age, slot_derived, slot_score, slot_domains_count, slot_domains_band,
        slot_domain, slot_signal, slot_route, slot_form, slot_kik, slot_answers, n_slots;
    char **answer_ids;   /* question id of answer slot slot_answers + i */
    size_t n_answer_ids;
};

/* Fixed outcome vocabularies: the rest of the system (services, slips, statistics) depends on
 * these values, so rules data may choose among them but never invent new ones. */
extern const char *const WL_ROUTES[];
extern const char *const WL_FORMS[];
extern const char *const WL_KIK_STATUSES[];
extern const char *const WL_REGIES[];

/* Names of the computed values rules may read (besides question ids). */
#define WL_CALC_AGE "age"

#endif
