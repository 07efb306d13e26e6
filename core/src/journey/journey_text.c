/* What a summary and a result page say, in the citizen's language: one home for the kiosk and the portal. */
#include "wijkloket/journey.h"
#include "wijkloket/dates.h"
#include "wijkloket/i18n.h"

#include <stdio.h>
#include <string.h>

const char *wl_journey_route_text(const char *route)
{
    if (route && !strcmp(route, "zelfdoener"))
        return N_("U kunt waarschijnlijk zelf werk vinden. U krijgt een uitnodiging voor een voorlichting in een groep. "
                  "Daar hoort u hoe u werk zoekt op de website werk.nl. Een coach helpt u op afstand.");
    if (route && !strcmp(route, "klantondersteuning"))
        return N_("U krijgt hulp bij het vinden van werk. U gaat naar het Centrum voor Werk: een plek van de gemeente "
                  "waar u samen met iemand een plan maakt en oefent met werken.");
    if (route && !strcmp(route, "participatie"))
        return N_("Betaald werk is nu nog een stap te ver. We kijken samen wat wel bij u past, bijvoorbeeld "
                  "vrijwilligerswerk of dagbesteding. Een coach neemt contact met u op.");
    return N_("Een medewerker kijkt naar uw antwoorden en neemt contact met u op.");
}

const char *wl_journey_regie_text(const char *regie)
{
    if (!regie) return NULL;
    if (!strcmp(regie, "wij_team")) return N_("Het WIJ-team in uw wijk is uw vaste contact. Zij helpen u met alles samen.");
    if (!strcmp(regie, "gkb")) return N_("Voor uw schulden helpt een consulent van de Kredietbank (GKB) u verder.");
    if (!strcmp(regie, "inkomen")) return N_("Voor uw inkomen helpt een medewerker van Inkomen u verder.");
    return NULL;
}

void wl_journey_number_text(const json_t *a, char *dst, size_t n)
{
    if (!dst || n == 0) return;
    dst[0] = '\0';
    if (json_is_integer(a)) {
        snprintf(dst, n, "%lld", (long long)json_integer_value(a));
    } else if (json_is_real(a)) {
        snprintf(dst, n, "%.2f", json_real_value(a));
        /* Trim trailing zeros and use a Dutch decimal comma. */
        char *dot = strchr(dst, '.');
        if (dot) {
            size_t l = strlen(dst);
            while (l > 0 && dst[l - 1] == '0') dst[--l] = '\0';
            if (l > 0 && dst[l - 1] == '.') dst[--l] = '\0';
            else *dot = ',';
        }
    }
}

bool wl_journey_answer_text(const wl_questionnaire_t *q, const wl_intake_t *in, size_t idx, const wl_i18n_t *t,
                            char *dst, size_t n)
{
    if (!dst || n == 0) return false;
    dst[0] = '\0';
    if (!q || !in || idx >= q->n_questions) return false;
    const wl_question_t *qq = &q->questions[idx];
    const json_t *a = wl_intake_get(in, qq->id);
    if (!a) return false;
    switch (qq->type) {
    case WL_Q_SINGLE: {
        const wl_option_t *o = json_is_string(a) ? wl_question_option(qq, json_string_value(a)) : NULL;
        snprintf(dst, n, "%s", o ? wl_i18n_get(t, o->text) : "");
        break;
    }
    case WL_Q_MULTIPLE: {
        size_t i, l = 0;
        json_t *it;
        json_array_foreach(a, i, it) {
            const wl_option_t *o = json_is_string(it) ? wl_question_option(qq, json_string_value(it)) : NULL;
            if (!o || l + 1 >= n) continue;
            snprintf(dst + l, n - l, "%s%s", l ? ", " : "", wl_i18n_get(t, o->text));
            l = strlen(dst);
        }
        if (!dst[0]) snprintf(dst, n, "%s", wl_i18n_get(t, N_("Niets gekozen")));
        break;
    }
    case WL_Q_YESNO: snprintf(dst, n, "%s", wl_i18n_get(t, json_is_true(a) ? N_("Ja") : N_("Nee"))); break;
    case WL_Q_NUMBER: {
        char num[64];
        wl_journey_number_text(a, num, sizeof num);
        snprintf(dst, n, "%s%s%s", num, qq->unit ? " " : "", qq->unit ? wl_i18n_get(t, qq->unit) : "");
        break;
    }
    case WL_Q_DATE: {
        int y, m, d;
        if (json_is_string(a) && wl_date_parse(json_string_value(a), &y, &m, &d))
            snprintf(dst, n, "%d %s %d", d, wl_i18n_get(t, wl_msg_months[m - 1]), y);
        break;
    }
    case WL_Q_TEXT: snprintf(dst, n, "%s", json_is_string(a) ? json_string_value(a) : ""); break;
    }
    return true;
}
