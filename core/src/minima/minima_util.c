/* Small helpers shared by the minima loaders and texts: day numbers, money, line locating. */
#include "minima/minima_internal.h"
#include "base/json_text.h"
#include "wijkloket/dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool wl_minima_day_parse(const char *s, int32_t *day)
{
    int y, m, d;
    if (!wl_date_parse(s, &y, &m, &d)) return false;
    *day = (int32_t)wl_days_from_civil(y, m, d);
    return true;
}

void wl_minima_day_format(int32_t day, char buf[11])
{
    int y, m, d;
    wl_civil_from_days(day, &y, &m, &d);
    /* Clamped so the compiler can see the result always fits in ten characters. */
    if (y < 0) y = 0;
    if (y > 9999) y = 9999;
    snprintf(buf, 11, "%04d-%02d-%02d", y, m & 15, d & 31);
}

void wl_minima_money(int64_t cents, char *buf, size_t size)
{
    /* Dutch notation: a dot groups thousands, a comma before cents; whole euros without
     * ",00" because that is how people say and read amounts on a letter. */
    const char *sign = cents < 0 ? "-" : "";
    uint64_t v = cents < 0 ? (uint64_t)(-(cents + 1)) + 1 : (uint64_t)cents;
    uint64_t euros = v / 100, rest = v % 100;
    char digits[32], grouped[48];
    snprintf(digits, sizeof digits, "%llu", (unsigned long long)euros);
    size_t n = strlen(digits), o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) grouped[o++] = '.';
        grouped[o++] = digits[i];
    }
    grouped[o] = '\0';
    if (rest)
        snprintf(buf, size, "€ %s%s,%02llu", sign, grouped, (unsigned long long)rest);
    else
        snprintf(buf, size, "€ %s%s", sign, grouped);
}

int wl_minima_loc_line(wl_minima_loc_t *L, const char *anchor, const char *needle, int nth)
{
    if (!L->tried) {
        L->tried = true;
        L->text = wl_json_read_text(L->path, NULL);
    }
    if (!L->text) return 0;
    const char *p = L->text;
    if (anchor) {
        const char *a = wl_json_find(L->text, NULL, anchor);
        if (!a) return 0;
        p = a;
    }
    if (needle) {
        for (int i = 0; i <= nth; i++) {
            const char *q = wl_json_find(L->text, p, needle);
            if (!q) return wl_json_line_at(L->text, p);
            p = q + (i < nth ? 1 : 0);
        }
    }
    return wl_json_line_at(L->text, p);
}

void wl_minima_loc_free(wl_minima_loc_t *L)
{
    free(L->text);
    L->text = NULL;
}

const char *wl_minima_unknown_key(const json_t *obj, const char *const *allowed)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        bool ok = false;
        for (const char *const *a = allowed; *a; a++)
            if (!strcmp(*a, key)) ok = true;
        if (!ok) return key;
    }
    return NULL;
}

bool wl_minima_source_date_ok(const char *s)
{
    if (!s) return false;
    if (strlen(s) == 4) {
        char buf[11];
        snprintf(buf, sizeof buf, "%s-01-01", s);
        return wl_date_parse(buf, NULL, NULL, NULL);
    }
    if (strlen(s) == 7) {
        char buf[11];
        snprintf(buf, sizeof buf, "%s-01", s);
        return wl_date_parse(buf, NULL, NULL, NULL);
    }
    return wl_date_parse(s, NULL, NULL, NULL);
}
