/* Citizen messages as template plus arguments, and the one place placeholders are filled. */
#include "wijkloket/msg.h"

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

char *wl_msg_dutch(const wl_msg_t *m, char *dst, size_t n)
{
    const char *args[WL_MSG_MAX_ARGS] = {0};
    int k = m ? m->n_args : 0;
    for (int i = 0; i < k; i++) args[i] = m->args[i].text;
    return wl_msg_fill(dst, n, m ? m->id : "", args, k);
}
