/* A documented subset of JsonLogic (the rule syntax of Open Formulieren) for conditions. */
#ifndef WL_LOGIC_H
#define WL_LOGIC_H

#include <jansson.h>
#include "wijkloket/common.h"

/* What a rule is evaluated against. `data` is the object {"question_id": value, ...} plus,
 * for routing, computed values; "a.b" in var walks nested objects. `today` (YYYY-MM-DD)
 * feeds the "age" operator so results never depend on the wall clock. */
typedef struct {
    const json_t *data;
    const char *today;
} wl_logic_ctx_t;

/* Evaluates rule. *out gets a new reference (json_decref it). Unknown operators, wrong
 * arity or type errors return WL_ERR_INVALID with a message; a missing var is null. */
wl_rc wl_logic_eval(const json_t *rule, const wl_logic_ctx_t *ctx, json_t **out, wl_err_t *err);

/* Evaluates rule and reduces it to JsonLogic truthiness. */
wl_rc wl_logic_test(const json_t *rule, const wl_logic_ctx_t *ctx, bool *out, wl_err_t *err);

/* JsonLogic truthiness: false, null, 0, "", [] are false; everything else true. */
bool wl_logic_truthy(const json_t *value);

/* Called for every {"var": name} found while checking a rule; return false when the name
 * is unknown so wl_logic_check reports it. */
typedef bool (*wl_logic_var_fn)(const char *name, void *userdata);

/* Static check without evaluating: every operator is in the subset with a valid number of
 * arguments and every var is known to `known` (may be NULL to skip var checks).
 * Returns WL_ERR_INVALID naming the operator or var. */
wl_rc wl_logic_check(const json_t *rule, wl_logic_var_fn known, void *userdata, wl_err_t *err);

/* Calls fn for each var name in rule (for dependency lists); fn's return value is ignored. */
void wl_logic_each_var(const json_t *rule, wl_logic_var_fn fn, void *userdata);

/* Called for every comparison with two arguments in a rule: op is "==", "!=", "===", "!==" or
 * "in", a and b its arguments. Return false to stop (the checker found a bad literal). */
typedef bool (*wl_logic_cmp_fn)(const char *op, const json_t *a, const json_t *b, void *userdata);
/* Walks rule (nested at most 64 deep, as wl_logic_check allows) and calls fn for each such
 * comparison: the one walk the questionnaire's and the rules' literal checks share. Returns
 * false as soon as fn does, else true. */
bool wl_logic_each_comparison(const json_t *rule, wl_logic_cmp_fn fn, void *userdata);

#endif
