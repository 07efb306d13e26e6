/* Checks that literals compared with choice questions in rule files are real option values. */
#include "wijkloket/assetcheck.h"
#include "wijkloket/jsonfile.h"

#include <string.h>

typedef struct {
    const char *path;
    const wl_questionnaire_t *q;
    wl_err_t *err;
} walk_t;

static const char *var_name(const json_t *node)
{
    if (!json_is_object(node) || json_object_size(node) != 1) return NULL;
    const json_t *v = json_object_get(node, "var");
    if (json_is_array(v)) v = json_array_get(v, 0);
    return json_string_value(v);
}

/* Checks one literal against question qid; WL_OK when the question is not a choice. */
static wl_rc check_literal(walk_t *w, const char *qid, const json_t *lit)
{
    const wl_question_t *qq = wl_questionnaire_find(w->q, qid, NULL);
    if (!qq) return WL_OK; /* Unknown ids are reported by the loaders themselves. */
    if (qq->type == WL_Q_SINGLE || qq->type == WL_Q_MULTIPLE) {
        const char *value = json_string_value(lit);
        if (!value) {
            wl_err_set(w->err, "%s:%d: question '%s' is a choice; compare it with an option value (a string)",
                       w->path, wl_json_locate(w->path, qid), qid);
            return WL_ERR_INVALID;
        }
        if (!wl_question_option(qq, value)) {
            char needle[256];
            snprintf(needle, sizeof needle, "\"%s\"", value);
            int line = wl_json_locate(w->path, needle);
            wl_err_set(w->err, "%s:%d: question '%s' has no option '%s'", w->path, line, qid, value);
            return WL_ERR_INVALID;
        }
    } else if (qq->type == WL_Q_YESNO && !json_is_boolean(lit) && !json_is_null(lit)) {
        wl_err_set(w->err, "%s:%d: question '%s' is yes/no; compare it with true or false",
                   w->path, wl_json_locate(w->path, qid), qid);
        return WL_ERR_INVALID;
    }
    return WL_OK;
}

static wl_rc check_comparison(walk_t *w, const char *op, const json_t *args)
{
    if (!json_is_array(args) || json_array_size(args) != 2) return WL_OK;
    const json_t *a = json_array_get(args, 0), *b = json_array_get(args, 1);
    bool equality = !strcmp(op, "==") || !strcmp(op, "!=") || !strcmp(op, "===") || !strcmp(op, "!==");
    if (equality) {
        const char *qa = var_name(a), *qb = var_name(b);
        if (qa && !var_name(b) && (json_is_string(b) || json_is_boolean(b))) return check_literal(w, qa, b);
        if (qb && !var_name(a) && (json_is_string(a) || json_is_boolean(a))) return check_literal(w, qb, a);
        return WL_OK;
    }
    if (!strcmp(op, "in")) {
        const char *qb = var_name(b), *qa = var_name(a);
        if (qb && json_is_string(a)) return check_literal(w, qb, a); /* "v" in multiple choice */
        if (qa && json_is_array(b)) {                                 /* single choice in list */
            size_t i;
            const json_t *lit;
            json_array_foreach(b, i, lit) {
                wl_rc rc = check_literal(w, qa, lit);
                if (rc != WL_OK) return rc;
            }
        }
    }
    return WL_OK;
}

static wl_rc walk(walk_t *w, const json_t *node)
{
    if (json_is_array(node)) {
        size_t i;
        const json_t *item;
        json_array_foreach(node, i, item) {
            wl_rc rc = walk(w, item);
            if (rc != WL_OK) return rc;
        }
    } else if (json_is_object(node)) {
        const char *key;
        const json_t *value;
        json_object_foreach((json_t *)node, key, value) {
            wl_rc rc = check_comparison(w, key, value);
            if (rc == WL_OK) rc = walk(w, value);
            if (rc != WL_OK) return rc;
        }
    }
    return WL_OK;
}

wl_rc wl_assetcheck_option_values(const char *path, const json_t *root, const wl_questionnaire_t *q,
                                  wl_err_t *err)
{
    walk_t w = {path, q, err};
    return walk(&w, root);
}
