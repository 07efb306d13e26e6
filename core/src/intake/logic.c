/* A documented JsonLogic subset (see docs/formats.md) evaluated without the wall clock. */
#include "wijkloket/logic.h"
#include "intake/logic_values.h"
#include "wijkloket/questionnaire.h"

#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Rules come from files staff edit; a bound on nesting keeps a hostile or broken file from
 * exhausting the stack. Real rules are a handful of levels deep. */
#define MAX_DEPTH 64

/* Operators of the subset with their argument counts (max -1: no upper bound). */
typedef struct {
    const char *name;
    int min, max;
} op_t;

static const op_t OPS[] = {
    {"var", 1, 2},  {"==", 2, 2},  {"!=", 2, 2},  {"===", 2, 2}, {"!==", 2, 2},
    {"<", 2, 3},    {"<=", 2, 3},  {">", 2, 2},   {">=", 2, 2},  {"!", 1, 1},
    {"!!", 1, 1},   {"and", 1, -1}, {"or", 1, -1}, {"if", 1, -1}, {"in", 2, 2},
    {"+", 1, -1},   {"-", 1, 2},   {"*", 1, -1},  {"/", 2, 2},   {"min", 1, -1},
    {"max", 1, -1}, {"missing", 1, -1}, {"count", 1, -1}, {"age", 1, 1},
};

static const op_t *find_op(const char *name)
{
    for (size_t i = 0; i < sizeof OPS / sizeof OPS[0]; i++)
        if (strcmp(OPS[i].name, name) == 0) return &OPS[i];
    return NULL;
}

/* An operator's arguments: JsonLogic allows {"!": x} as shorthand for {"!": [x]}. */
static size_t n_args(const json_t *v)
{
    return json_is_array(v) ? json_array_size(v) : 1;
}

static const json_t *arg_at(const json_t *v, size_t i)
{
    return json_is_array(v) ? json_array_get(v, i) : v;
}

static bool is_rule(const json_t *v)
{
    return json_is_object(v) && json_object_size(v) == 1;
}

/* ---------------------------------------------------------------------------------------- */
/* Value helpers                                                                              */

bool wl_logic_truthy(const json_t *v)
{
    if (!v) return false;
    switch (json_typeof(v)) {
    case JSON_NULL:
    case JSON_FALSE: return false;
    case JSON_TRUE: return true;
    case JSON_INTEGER: return json_integer_value(v) != 0;
    case JSON_REAL: return json_real_value(v) != 0.0 && !isnan(json_real_value(v));
    case JSON_STRING: return json_string_length(v) > 0;
    case JSON_ARRAY: return json_array_size(v) > 0;
    case JSON_OBJECT: return true;
    }
    return false;
}

/* Numbers leave as integers when whole so "3" compares and prints as 3, not 3.0. */
static json_t *mknum(double x)
{
    if (!isfinite(x)) return json_null();
    if (x == floor(x) && fabs(x) < 9007199254740992.0) return json_integer((json_int_t)x);
    return json_real(x);
}

/* Ordering: two strings compare as text (so YYYY-MM-DD dates order correctly); otherwise
 * both must be numbers. A missing (null) value makes every comparison false, on purpose:
 * JavaScript would read null as 0 and route someone on an unanswered question. */
static wl_rc compare(const char *op, const json_t *a, const json_t *b, bool *known, int *cmp,
                     wl_err_t *err)
{
    *known = false;
    *cmp = 0;
    if (json_is_null(a) || json_is_null(b)) return WL_OK;
    if (json_is_string(a) && json_is_string(b)) {
        int c = strcmp(json_string_value(a), json_string_value(b));
        *cmp = (c > 0) - (c < 0);
        *known = true;
        return WL_OK;
    }
    if (!wl_logic_is_scalar(a) || !wl_logic_is_scalar(b)) {
        wl_err_set(err, "operator '%s': cannot compare a list or object", op);
        return WL_ERR_INVALID;
    }
    double x, y;
    if (!wl_logic_to_num(a, &x) || !wl_logic_to_num(b, &y)) return WL_OK; /* "abc" < 3 is simply false */
    *cmp = (x > y) - (x < y);
    *known = true;
    return WL_OK;
}

/* ---------------------------------------------------------------------------------------- */
/* var                                                                                        */

/* Walks "a.b.0" through objects and arrays; NULL when any step is missing. */
static const json_t *lookup(const json_t *data, const char *path)
{
    if (!data) return NULL;
    if (!*path) return data;
    const json_t *cur = data;
    const char *p = path;
    char seg[256];
    while (cur) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n >= sizeof seg) return NULL;
        memcpy(seg, p, n);
        seg[n] = '\0';
        if (json_is_object(cur)) {
            cur = json_object_get(cur, seg);
        } else if (json_is_array(cur)) {
            char *end;
            errno = 0;
            unsigned long i = strtoul(seg, &end, 10);
            if (!n || *end || errno) return NULL;
            cur = json_array_get(cur, i);
        } else {
            return NULL;
        }
        if (!dot) break;
        p = dot + 1;
    }
    return cur;
}

/* Turns a var argument (string, number or null) into a path; false for other types. */
static bool var_name(const json_t *v, char *buf, size_t size)
{
    if (json_is_string(v)) {
        snprintf(buf, size, "%s", json_string_value(v));
        return true;
    }
    if (json_is_integer(v)) {
        snprintf(buf, size, "%lld", (long long)json_integer_value(v));
        return true;
    }
    if (json_is_null(v)) {
        buf[0] = '\0';
        return true;
    }
    return false;
}

/* ---------------------------------------------------------------------------------------- */
/* Evaluation                                                                                 */

static wl_rc eval(const json_t *rule, const wl_logic_ctx_t *ctx, json_t **out, wl_err_t *err,
                  int depth);

/* Evaluates every argument in order into a new array (eager operators). */
static wl_rc eval_args(const json_t *args, const wl_logic_ctx_t *ctx, json_t **out,
                       wl_err_t *err, int depth)
{
    json_t *arr = json_array();
    if (!arr) return WL_ERR_NOMEM;
    size_t n = n_args(args);
    for (size_t i = 0; i < n; i++) {
        json_t *v = NULL;
        wl_rc rc = eval(arg_at(args, i), ctx, &v, err, depth);
        if (rc) {
            json_decref(arr);
            return rc;
        }
        json_array_append_new(arr, v);
    }
    *out = arr;
    return WL_OK;
}

static wl_rc op_var(const json_t *a, const wl_logic_ctx_t *ctx, json_t **out, wl_err_t *err)
{
    char name[512];
    if (!var_name(json_array_get(a, 0), name, sizeof name)) {
        wl_err_set(err, "operator 'var': the name must be text");
        return WL_ERR_INVALID;
    }
    const json_t *v = lookup(ctx ? ctx->data : NULL, name);
    if ((!v || json_is_null(v)) && json_array_size(a) > 1) v = json_array_get(a, 1);
    *out = v ? json_incref((json_t *)v) : json_null();
    return WL_OK;
}

static wl_rc op_missing(const json_t *a, const wl_logic_ctx_t *ctx, json_t **out, wl_err_t *err)
{
    /* {"missing": [["a","b"]]} (a computed list) means the same as {"missing": ["a","b"]}. */
    const json_t *names = a;
    if (json_array_size(a) == 1 && json_is_array(json_array_get(a, 0))) names = json_array_get(a, 0);
    json_t *res = json_array();
    if (!res) return WL_ERR_NOMEM;
    size_t i;
    json_t *n;
    json_array_foreach(names, i, n) {
        char name[512];
        if (!var_name(n, name, sizeof name)) {
            json_decref(res);
            wl_err_set(err, "operator 'missing': names must be text");
            return WL_ERR_INVALID;
        }
        const json_t *v = lookup(ctx ? ctx->data : NULL, name);
        if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0))
            json_array_append_new(res, json_string(name));
    }
    *out = res;
    return WL_OK;
}

static wl_rc op_compare(const char *op, const json_t *a, json_t **out, wl_err_t *err)
{
    size_t n = json_array_size(a);
    bool result = true;
    /* "<" and "<=" with three arguments test a < b < c (between). */
    for (size_t i = 0; i + 1 < n && result; i++) {
        bool known;
        int c;
        wl_rc rc = compare(op, json_array_get(a, i), json_array_get(a, i + 1), &known, &c, err);
        if (rc) return rc;
        if (!known) result = false;
        else if (!strcmp(op, "<")) result = c < 0;
        else if (!strcmp(op, "<=")) result = c <= 0;
        else if (!strcmp(op, ">")) result = c > 0;
        else result = c >= 0;
    }
    *out = json_boolean(result);
    return WL_OK;
}

/* Arithmetic; a missing (null) operand gives null so an unanswered question never counts as
 * zero by accident; text that is not a number is a rule error. */
static wl_rc op_arith(const char *op, const json_t *a, json_t **out, wl_err_t *err)
{
    size_t n = json_array_size(a);
    double vals[64] = {0};
    if (n > sizeof vals / sizeof vals[0]) {
        wl_err_set(err, "operator '%s': too many arguments (%zu)", op, n);
        return WL_ERR_INVALID;
    }
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_array_get(a, i);
        if (json_is_null(v)) {
            *out = json_null();
            return WL_OK;
        }
        if (!wl_logic_to_num(v, &vals[i])) {
            wl_err_set(err, "operator '%s': argument %zu is not a number", op, i + 1);
            return WL_ERR_INVALID;
        }
    }
    double r = vals[0];
    if (!strcmp(op, "+")) {
        for (size_t i = 1; i < n; i++) r += vals[i];
    } else if (!strcmp(op, "*")) {
        for (size_t i = 1; i < n; i++) r *= vals[i];
    } else if (!strcmp(op, "-")) {
        r = n == 1 ? -vals[0] : vals[0] - vals[1];
    } else if (!strcmp(op, "/")) {
        /* Division by zero has no number; null reads as "unknown" in later comparisons. */
        if (vals[1] == 0) {
            *out = json_null();
            return WL_OK;
        }
        r = vals[0] / vals[1];
    } else if (!strcmp(op, "min")) {
        for (size_t i = 1; i < n; i++) if (vals[i] < r) r = vals[i];
    } else {
        for (size_t i = 1; i < n; i++) if (vals[i] > r) r = vals[i];
    }
    *out = mknum(r);
    return WL_OK;
}

static wl_rc op_in(const json_t *a, json_t **out)
{
    const json_t *needle = json_array_get(a, 0), *hay = json_array_get(a, 1);
    bool found = false;
    if (json_is_array(hay)) {
        size_t i;
        json_t *e;
        json_array_foreach(hay, i, e) {
            if (wl_logic_strict_equal(needle, e)) {
                found = true;
                break;
            }
        }
    } else if (json_is_string(hay) && json_is_string(needle)) {
        found = strstr(json_string_value(hay), json_string_value(needle)) != NULL;
    }
    *out = json_boolean(found);
    return WL_OK;
}

static wl_rc op_count(const json_t *a, json_t **out)
{
    json_int_t n = 0;
    /* One argument that is a list (a multiple-choice answer): its length. */
    if (json_array_size(a) == 1 && json_is_array(json_array_get(a, 0))) {
        n = (json_int_t)json_array_size(json_array_get(a, 0));
    } else {
        size_t i;
        json_t *e;
        json_array_foreach(a, i, e) if (wl_logic_truthy(e)) n++;
    }
    *out = json_integer(n);
    return WL_OK;
}

static wl_rc op_age(const json_t *a, const wl_logic_ctx_t *ctx, json_t **out)
{
    const json_t *d = json_array_get(a, 0);
    int years = -1;
    if (json_is_string(d) && ctx && ctx->today) years = wl_date_age(json_string_value(d), ctx->today);
    *out = years < 0 ? json_null() : json_integer(years);
    return WL_OK;
}

/* and / or / if evaluate lazily, like JsonLogic, so a guard can protect a later branch. */
static wl_rc op_lazy(const char *op, const json_t *args, const wl_logic_ctx_t *ctx, json_t **out,
                     wl_err_t *err, int depth)
{
    size_t n = n_args(args);
    json_t *v = NULL;
    wl_rc rc;
    if (!strcmp(op, "if")) {
        size_t i = 0;
        for (; i + 1 < n; i += 2) {
            rc = eval(arg_at(args, i), ctx, &v, err, depth);
            if (rc) return rc;
            bool t = wl_logic_truthy(v);
            json_decref(v);
            if (t) return eval(arg_at(args, i + 1), ctx, out, err, depth);
        }
        if (i < n) return eval(arg_at(args, i), ctx, out, err, depth);
        *out = json_null();
        return WL_OK;
    }
    bool want = !strcmp(op, "or");
    for (size_t i = 0; i < n; i++) {
        if (v) json_decref(v);
        v = NULL;
        rc = eval(arg_at(args, i), ctx, &v, err, depth);
        if (rc) return rc;
        if (wl_logic_truthy(v) == want) break;
    }
    *out = v ? v : json_null();
    return WL_OK;
}

static wl_rc eval_op(const char *op, const json_t *args, const wl_logic_ctx_t *ctx, json_t **out,
                     wl_err_t *err, int depth)
{
    const op_t *def = find_op(op);
    if (!def) {
        wl_err_set(err, "unknown operator '%s'", op);
        return WL_ERR_INVALID;
    }
    size_t n = n_args(args);
    if (n < (size_t)def->min || (def->max >= 0 && n > (size_t)def->max)) {
        wl_err_set(err, "operator '%s' got %zu argument(s)", op, n);
        return WL_ERR_INVALID;
    }
    if (!strcmp(op, "and") || !strcmp(op, "or") || !strcmp(op, "if"))
        return op_lazy(op, args, ctx, out, err, depth);

    json_t *a = NULL;
    wl_rc rc = eval_args(args, ctx, &a, err, depth);
    if (rc) return rc;
    const json_t *x = json_array_get(a, 0), *y = json_array_get(a, 1);
    if (!strcmp(op, "var")) rc = op_var(a, ctx, out, err);
    else if (!strcmp(op, "missing")) rc = op_missing(a, ctx, out, err);
    else if (!strcmp(op, "==")) *out = json_boolean(wl_logic_loose_equal(x, y));
    else if (!strcmp(op, "!=")) *out = json_boolean(!wl_logic_loose_equal(x, y));
    else if (!strcmp(op, "===")) *out = json_boolean(wl_logic_strict_equal(x, y));
    else if (!strcmp(op, "!==")) *out = json_boolean(!wl_logic_strict_equal(x, y));
    else if (!strcmp(op, "!")) *out = json_boolean(!wl_logic_truthy(x));
    else if (!strcmp(op, "!!")) *out = json_boolean(wl_logic_truthy(x));
    else if (op[0] == '<' || op[0] == '>') rc = op_compare(op, a, out, err);
    else if (!strcmp(op, "in")) rc = op_in(a, out);
    else if (!strcmp(op, "count")) rc = op_count(a, out);
    else if (!strcmp(op, "age")) rc = op_age(a, ctx, out);
    else rc = op_arith(op, a, out, err);
    json_decref(a);
    return rc;
}

static wl_rc eval(const json_t *rule, const wl_logic_ctx_t *ctx, json_t **out, wl_err_t *err,
                  int depth)
{
    *out = NULL;
    if (!rule) {
        *out = json_null();
        return WL_OK;
    }
    if (depth > MAX_DEPTH) {
        wl_err_set(err, "rule nested deeper than %d levels", MAX_DEPTH);
        return WL_ERR_INVALID;
    }
    if (json_is_array(rule)) return eval_args(rule, ctx, out, err, depth + 1);
    if (json_is_object(rule)) {
        if (!is_rule(rule)) {
            wl_err_set(err, "a rule object must have exactly one operator, this one has %zu keys",
                       json_object_size(rule));
            return WL_ERR_INVALID;
        }
        const char *op = json_object_iter_key(json_object_iter((json_t *)rule));
        return eval_op(op, json_object_iter_value(json_object_iter((json_t *)rule)), ctx, out,
                       err, depth + 1);
    }
    *out = json_incref((json_t *)rule);
    return WL_OK;
}

wl_rc wl_logic_eval(const json_t *rule, const wl_logic_ctx_t *ctx, json_t **out, wl_err_t *err)
{
    json_t *v = NULL;
    wl_rc rc = eval(rule, ctx, &v, err, 0);
    if (rc) {
        json_decref(v);
        *out = NULL;
        return rc;
    }
    *out = v ? v : json_null();
    return WL_OK;
}

wl_rc wl_logic_test(const json_t *rule, const wl_logic_ctx_t *ctx, bool *out, wl_err_t *err)
{
    json_t *v = NULL;
    wl_rc rc = wl_logic_eval(rule, ctx, &v, err);
    *out = rc == WL_OK && wl_logic_truthy(v);
    json_decref(v);
    return rc;
}

/* ---------------------------------------------------------------------------------------- */
/* Static check and var walk                                                                  */

typedef struct {
    wl_logic_var_fn fn;
    void *userdata;
    bool stop_on_false; /* check: report the first unknown name */
    const char *bad;    /* the name fn refused */
} walk_t;

static bool visit_name(walk_t *w, const json_t *n)
{
    /* Only literal names can be known statically; a computed name is checked when used. */
    if (!json_is_string(n) || json_string_length(n) == 0 || !w->fn) return true;
    bool ok = w->fn(json_string_value(n), w->userdata);
    if (!ok && w->stop_on_false) {
        w->bad = json_string_value(n);
        return false;
    }
    return true;
}

static wl_rc walk(const json_t *rule, walk_t *w, wl_err_t *err, int depth)
{
    if (depth > MAX_DEPTH) {
        wl_err_set(err, "rule nested deeper than %d levels", MAX_DEPTH);
        return WL_ERR_INVALID;
    }
    if (json_is_array(rule)) {
        size_t i;
        json_t *e;
        json_array_foreach(rule, i, e) {
            wl_rc rc = walk(e, w, err, depth + 1);
            if (rc) return rc;
        }
        return WL_OK;
    }
    if (!json_is_object(rule)) return WL_OK;
    if (!is_rule(rule)) {
        wl_err_set(err, "a rule object must have exactly one operator, this one has %zu keys",
                   json_object_size(rule));
        return WL_ERR_INVALID;
    }
    void *it = json_object_iter((json_t *)rule);
    const char *op = json_object_iter_key(it);
    const json_t *args = json_object_iter_value(it);
    const op_t *def = find_op(op);
    if (!def) {
        wl_err_set(err, "unknown operator '%s'", op);
        return WL_ERR_INVALID;
    }
    size_t n = n_args(args);
    if (n < (size_t)def->min || (def->max >= 0 && n > (size_t)def->max)) {
        if (def->max < 0)
            wl_err_set(err, "operator '%s' takes at least %d argument(s), got %zu", op, def->min, n);
        else if (def->min == def->max)
            wl_err_set(err, "operator '%s' takes %d argument(s), got %zu", op, def->min, n);
        else
            wl_err_set(err, "operator '%s' takes %d to %d arguments, got %zu", op, def->min,
                       def->max, n);
        return WL_ERR_INVALID;
    }
    if (!strcmp(op, "var")) {
        const json_t *name = arg_at(args, 0);
        if (!json_is_string(name) && !json_is_integer(name) && !json_is_null(name) && !is_rule(name)) {
            wl_err_set(err, "operator 'var': the name must be text");
            return WL_ERR_INVALID;
        }
        if (!visit_name(w, name)) {
            wl_err_set(err, "unknown variable '%s'", w->bad);
            return WL_ERR_INVALID;
        }
    } else if (!strcmp(op, "missing")) {
        const json_t *names = args;
        if (json_is_array(args) && json_array_size(args) == 1 && json_is_array(json_array_get(args, 0)))
            names = json_array_get(args, 0);
        for (size_t i = 0; i < n_args(names); i++) {
            if (!visit_name(w, arg_at(names, i))) {
                wl_err_set(err, "unknown variable '%s'", w->bad);
                return WL_ERR_INVALID;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        wl_rc rc = walk(arg_at(args, i), w, err, depth + 1);
        if (rc) return rc;
    }
    return WL_OK;
}

wl_rc wl_logic_check(const json_t *rule, wl_logic_var_fn known, void *userdata, wl_err_t *err)
{
    walk_t w = {known, userdata, true, NULL};
    return walk(rule, &w, err, 0);
}

static bool each_cmp(const json_t *rule, wl_logic_cmp_fn fn, void *ud, int depth)
{
    if (depth > 64) return true; /* wl_logic_check already refuses such nesting */
    if (json_is_array(rule)) {
        size_t i;
        json_t *e;
        json_array_foreach(rule, i, e) if (!each_cmp(e, fn, ud, depth + 1)) return false;
        return true;
    }
    if (!json_is_object(rule) || json_object_size(rule) != 1) return true;
    void *it = json_object_iter((json_t *)rule);
    const char *op = json_object_iter_key(it);
    const json_t *args = json_object_iter_value(it);
    if (json_is_array(args) && json_array_size(args) == 2 &&
        (!strcmp(op, "==") || !strcmp(op, "!=") || !strcmp(op, "===") || !strcmp(op, "!==") || !strcmp(op, "in")) &&
        !fn(op, json_array_get(args, 0), json_array_get(args, 1), ud))
        return false;
    return each_cmp(args, fn, ud, depth + 1);
}

bool wl_logic_each_comparison(const json_t *rule, wl_logic_cmp_fn fn, void *userdata)
{
    return each_cmp(rule, fn, userdata, 0);
}

void wl_logic_each_var(const json_t *rule, wl_logic_var_fn fn, void *userdata)
{
    walk_t w = {fn, userdata, false, NULL};
    wl_err_t ignored;
    (void)walk(rule, &w, &ignored, 0);
}
