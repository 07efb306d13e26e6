/* Citizen messages as template plus arguments, and the one place placeholders are filled. */
#include "wijkloket/msg.h"
#include "wijkloket/dates.h"

#include <stdio.h>
#include <string.h>

void wl_msg_clear(wl_msg_t *m)
{
    if (m) memset(m, 0, sizeof *m);
}

void wl_msg_set(wl_msg_t *m, const char *id)
{
    if (!m) return;
    wl_msg_clear(m);
    m->id = id;
}

void wl_msg_arg(wl_msg_t *m, const char *text, bool msgid)
{
    if (!m || m->n_args >= WL_MSG_MAX_ARGS) return;
    wl_msg_arg_t *a = &m->args[m->n_args++];
    snprintf(a->text, sizeof a->text, "%s", text ? text : "");
    a->msgid = msgid;
}

static size_t put(char *dst, size_t n, size_t at, const char *s, size_t len)
{
    while (len-- && at + 1 < n) dst[at++] = *s++;
    return at;
}

char *wl_msg_fill(char *dst, size_t n, const char *tmpl, const char *const *args, int n_args)
{
    if (!dst || n == 0) return dst;
    size_t at = 0;
    int next = 0;
    for (const char *p = tmpl ? tmpl : ""; *p && at + 1 < n;) {
        if (p[0] != '%') {
            at = put(dst, n, at, p++, 1);
            continue;
        }
        if (p[1] == '%') {
            at = put(dst, n, at, "%", 1);
            p += 2;
        } else if (p[1] == 's') {
            int k = next++;
            if (k < n_args && args[k]) at = put(dst, n, at, args[k], strlen(args[k]));
            p += 2;
        } else if (p[1] >= '1' && p[1] <= '9' && p[2] == '$' && p[3] == 's') {
            int k = p[1] - '1';
            if (k < n_args && args[k]) at = put(dst, n, at, args[k], strlen(args[k]));
            p += 4;
        } else {
            at = put(dst, n, at, p++, 1); /* a lone % stays as written */
        }
    }
    dst[at] = '\0';
    return dst;
}

void wl_msg_arg_date(wl_msg_t *m, const char *day)
{
    if (!m || m->n_args >= WL_MSG_MAX_ARGS) return;
    wl_msg_arg(m, day, false);
    m->args[m->n_args - 1].date = true;
}

void wl_msg_arg_int(wl_msg_t *m, long long v)
{
    char b[24];
    snprintf(b, sizeof b, "%lld", v);
    wl_msg_arg(m, b, false);
}

/* The months are marked here so they reach the .pot once, for every front end. */
const char *const wl_msg_months[12] = {N_("januari"), N_("februari"), N_("maart"),     N_("april"),
                                       N_("mei"),     N_("juni"),     N_("juli"),      N_("augustus"),
                                       N_("september"), N_("oktober"), N_("november"), N_("december")};

const char *const wl_msg_weekdays[7] = {N_("maandag"), N_("dinsdag"),  N_("woensdag"), N_("donderdag"),
                                         N_("vrijdag"), N_("zaterdag"), N_("zondag")};

static const char *tr_or_id(wl_msg_tr_fn tr, const void *ctx, const char *msgid)
{
    const char *t = tr ? tr(ctx, msgid) : NULL;
    return t ? t : msgid;
}

char *wl_msg_date_words(const char *date, bool weekday, bool year, wl_msg_tr_fn tr, const void *ctx, char *dst,
                        size_t n)
{
    if (!dst || n == 0) return dst;
    int y, m, d;
    if (!date || !wl_date_parse(date, &y, &m, &d)) {
        snprintf(dst, n, "%s", date ? date : "");
        return dst;
    }
    char yr[16] = "";
    if (year) snprintf(yr, sizeof yr, " %d", y);
    snprintf(dst, n, "%s%s%d %s%s", weekday ? tr_or_id(tr, ctx, wl_msg_weekdays[wl_weekday(wl_days_from_civil(y, m, d))]) : "",
             weekday ? " " : "", d, tr_or_id(tr, ctx, wl_msg_months[m - 1]), yr);
    return dst;
}

char *wl_msg_render(const wl_msg_t *m, wl_msg_tr_fn tr, const void *ctx, char *dst, size_t n)
{
    if (!dst || n == 0) return dst;
    dst[0] = '\0';
    if (!m || !m->id) return dst;
    const char *args[WL_MSG_MAX_ARGS] = {0};
    char plain[WL_MSG_MAX_ARGS][WL_MSG_ARG_MAX * 2];
    int k = m->n_args < WL_MSG_MAX_ARGS ? m->n_args : WL_MSG_MAX_ARGS;
    /* Figures and dates first: a msgid argument (a sentence part) may refer to them. */
    for (int i = 0; i < k; i++) {
        const wl_msg_arg_t *a = &m->args[i];
        if (a->date) {
            args[i] = wl_msg_date_words(a->text, false, true, tr, ctx, plain[i], sizeof plain[i]);
        } else if (!a->msgid) {
            args[i] = a->text;
        }
    }
    for (int i = 0; i < k; i++)
        if (m->args[i].msgid && !m->args[i].date) {
            wl_msg_fill(plain[i], sizeof plain[i], tr_or_id(tr, ctx, m->args[i].text), args, k);
            args[i] = plain[i];
        }
    return wl_msg_fill(dst, n, tr_or_id(tr, ctx, m->id), args, k);
}

char *wl_msg_dutch(const wl_msg_t *m, char *dst, size_t n)
{
    return wl_msg_render(m, NULL, NULL, dst, n);
}

json_t *wl_msg_json(const wl_msg_t *m)
{
    json_t *args = json_array();
    json_t *o = json_pack("{s:s,s:o}", "id", m && m->id ? m->id : "", "args", args);
    if (!o) return NULL;
    for (int i = 0; m && i < m->n_args && i < WL_MSG_MAX_ARGS; i++) {
        const wl_msg_arg_t *a = &m->args[i];
        json_t *v = a->date ? json_pack("{s:s}", "date", a->text)
                  : a->msgid ? json_pack("{s:s}", "msgid", a->text)
                             : json_string(a->text);
        if (!v || json_array_append_new(args, v)) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

bool wl_msg_from_json(const json_t *j, wl_msg_t *m)
{
    wl_msg_clear(m);
    if (json_is_string(j)) {
        m->id = json_string_value(j);
        return true;
    }
    const char *id = json_string_value(json_object_get(j, "id"));
    if (!id) return false;
    m->id = id;
    size_t i;
    const json_t *a;
    json_array_foreach(json_object_get(j, "args"), i, a) {
        if (json_is_string(a)) wl_msg_arg(m, json_string_value(a), false);
        else if (json_is_string(json_object_get(a, "msgid")))
            wl_msg_arg(m, json_string_value(json_object_get(a, "msgid")), true);
        else if (json_is_string(json_object_get(a, "date")))
            wl_msg_arg_date(m, json_string_value(json_object_get(a, "date")));
        else wl_msg_arg(m, "", false);
    }
    return true;
}

char *wl_msg_render_json(const json_t *j, wl_msg_tr_fn tr, const void *ctx, char *dst, size_t n)
{
    if (!dst || n == 0) return dst;
    dst[0] = '\0';
    wl_msg_t m;
    if (!json_is_array(j)) {
        if (wl_msg_from_json(j, &m)) wl_msg_render(&m, tr, ctx, dst, n);
        return dst;
    }
    size_t i, at = 0;
    const json_t *e;
    json_array_foreach(j, i, e) {
        if (!wl_msg_from_json(e, &m)) continue;
        char one[1024];
        wl_msg_render(&m, tr, ctx, one, sizeof one);
        if (!one[0]) continue;
        int w = snprintf(dst + at, n - at, "%s%s", at ? " " : "", one);
        if (w < 0 || (size_t)w >= n - at) break; /* full: cut, still terminated */
        at += (size_t)w;
    }
    return dst;
}
