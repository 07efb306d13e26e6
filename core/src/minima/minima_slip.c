/* The minima results as a printable slip model (the same blocks the appointment slip renders). */
#include "minima/minima_internal.h"
#include "wijkloket/i18n.h"

#include <stdio.h>
#include <string.h>

/* Adds one block; false when the slip is full (the caller then ends with a short note). */
static bool add(wl_slip_t *s, wl_slip_kind_t kind, const char *text)
{
    /* Two places stay free for the closing rule and note. */
    if (s->n >= WL_SLIP_MAX_BLOCKS - 2) return false;
    wl_slip_block_t *b = &s->blocks[s->n++];
    b->kind = kind;
    snprintf(b->text, sizeof b->text, "%s", text ? text : "");
    return true;
}

wl_rc wl_minima_slip(const wl_minima_t *m, const wl_minima_result_t *r, const wl_i18n_t *t, wl_slip_t *out,
                     wl_err_t *err)
{
    if (!m || !r || !out || r->n_schemes != m->n_schemes) {
        wl_err_set(err, "minima slip: no result for this catalogue");
        return WL_ERR_INVALID;
    }
    memset(out, 0, sizeof *out);
    snprintf(out->lang, sizeof out->lang, "%s", wl_i18n_lang(t));
    /* Every text is a msgid (the schemes' texts from schemes.json too), shown in t's language. */
    char day[11], line[320];
    wl_minima_day_format(r->day, day);
    add(out, WL_SLIP_TITLE, wl_i18n_get(t, N_("Regelingen voor u")));
    wl_msg_t msg;
    wl_msg_set(&msg, N_("Advies van het Wijkloket op %1$s. De gemeente beslist."));
    wl_msg_arg_date(&msg, day);
    add(out, WL_SLIP_SMALL, wl_i18n_msg(t, &msg, line, sizeof line));
    add(out, WL_SLIP_RULE, NULL);
    /* Only the schemes worth asking about, likely ones first. No figures from the household go
     * on paper: a slip left in the printer tray must not tell anyone about its owner. */
    static const wl_minima_status order[2] = {WL_MINIMA_ELIGIBLE, WL_MINIMA_MAYBE};
    bool full = false, any = false;
    for (int o = 0; o < 2 && !full; o++)
        for (int i = 0; i < m->n_schemes && !full; i++) {
            if (r->schemes[i].status != order[o]) continue;
            const wl_scheme_t *s = &m->schemes[i];
            const json_t *apply = json_object_get(s->info, "apply");
            const json_t *bring = json_object_get(s->info, "bring");
            size_t need = 3 + (json_array_size(bring) ? 1 + json_array_size(bring) : 0);
            if (out->n + need > WL_SLIP_MAX_BLOCKS - 2) {
                full = true;
                break;
            }
            any = true;
            add(out, WL_SLIP_HEADING, wl_i18n_get(t, s->name));
            add(out, WL_SLIP_TEXT,
                wl_i18n_get(t, order[o] == WL_MINIMA_ELIGIBLE ? N_("U komt waarschijnlijk in aanmerking.")
                                                              : N_("Misschien: vraag het na.")));
            snprintf(line, sizeof line, "%s %s. %s", wl_i18n_get(t, N_("Aanvragen bij:")),
                     wl_i18n_get(t, json_string_value(json_object_get(apply, "where"))),
                     wl_i18n_get(t, json_string_value(json_object_get(apply, "how"))));
            add(out, WL_SLIP_TEXT, line);
            if (json_array_size(bring)) {
                add(out, WL_SLIP_SMALL, wl_i18n_get(t, N_("Neem mee:")));
                for (size_t k = 0; k < json_array_size(bring); k++)
                    add(out, WL_SLIP_BULLET, wl_i18n_get(t, json_string_value(json_array_get(bring, k))));
            }
        }
    if (!any && !full)
        add(out, WL_SLIP_TEXT,
            wl_i18n_get(t, N_("Wij vonden geen regeling die waarschijnlijk bij u past. Vraag het na bij het WIJ-team.")));
    /* The last two places: always room for the end, even when the list was cut short. */
    wl_slip_block_t *b = &out->blocks[out->n++];
    b->kind = WL_SLIP_RULE;
    b->text[0] = '\0';
    b = &out->blocks[out->n++];
    b->kind = WL_SLIP_SMALL;
    snprintf(b->text, sizeof b->text, "%s",
             wl_i18n_get(t, full ? N_("Er passen nog meer regelingen niet op dit papier. Kijk op de kiosk of vraag het na.")
                                 : N_("Uw antwoorden zijn niet bewaard.")));
    return WL_OK;
}
