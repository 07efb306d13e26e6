/* Loads the colour theme from JSON and computes WCAG contrast; no SDL so tests can use it. */
#include "theme.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const NAMES[TC_COUNT] = {
    "background", "text", "muted", "error",
    "primary", "primary_text",
    "secondary", "secondary_text",
    "option", "option_text", "option_border",
    "selected", "selected_text",
    "disabled", "disabled_text",
    "key", "key_text",
    "banner", "banner_text",
    "panel", "panel_text",
    "field", "field_text",
    "progress", "progress_track",
    "pictogram",
};

/* The renderer draws text only in these combinations (see render.c style table). */
static const tpair_t PAIRS[] = {
    { TC_TEXT, TC_BACKGROUND }, { TC_MUTED, TC_BACKGROUND }, { TC_ERROR, TC_BACKGROUND },
    { TC_PRIMARY_TEXT, TC_PRIMARY }, { TC_SECONDARY_TEXT, TC_SECONDARY },
    { TC_OPTION_TEXT, TC_OPTION }, { TC_SELECTED_TEXT, TC_SELECTED },
    { TC_DISABLED_TEXT, TC_DISABLED }, { TC_KEY_TEXT, TC_KEY },
    { TC_BANNER_TEXT, TC_BANNER }, { TC_PANEL_TEXT, TC_PANEL }, { TC_ERROR, TC_PANEL },
    { TC_FIELD_TEXT, TC_FIELD }, { TC_MUTED, TC_PANEL }, { TC_PICTOGRAM, TC_BACKGROUND },
};

const char *theme_name(tcolor_t t) { return (unsigned)t < TC_COUNT ? NAMES[t] : "?"; }

const tpair_t *theme_pairs(size_t *n)
{
    *n = sizeof PAIRS / sizeof PAIRS[0];
    return PAIRS;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

static bool parse_hex(const char *s, rgb_t *out)
{
    if (strlen(s) != 7 || s[0] != '#') return false;
    int v[6];
    for (int i = 0; i < 6; i++)
        if ((v[i] = hexval(s[i + 1])) < 0) return false;
    out->r = (uint8_t)(v[0] * 16 + v[1]);
    out->g = (uint8_t)(v[2] * 16 + v[3]);
    out->b = (uint8_t)(v[4] * 16 + v[5]);
    return true;
}

bool theme_load(theme_t *t, const char *path, char *msg, size_t msgsz)
{
    json_error_t je;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        snprintf(msg, msgsz, "%s:%d:%d: %s", path, je.line, je.column, je.text);
        return false;
    }
    bool ok = false;
    bool seen[TC_COUNT] = { false };
    const char *key;
    json_t *val;
    json_t *colors = json_object_get(root, "colors");
    json_object_foreach(root, key, val) {
        if (strcmp(key, "colors") && strcmp(key, "comment")) {
            snprintf(msg, msgsz, "%s: unknown key '%s' (expected colors)", path, key);
            goto done;
        }
    }
    if (!json_is_object(colors)) { snprintf(msg, msgsz, "%s: colors: missing or not an object", path); goto done; }
    json_object_foreach(colors, key, val) {
        int idx = -1;
        for (int i = 0; i < TC_COUNT; i++)
            if (!strcmp(NAMES[i], key)) idx = i;
        if (idx < 0) { snprintf(msg, msgsz, "%s: colors.%s: unknown colour role", path, key); goto done; }
        if (!json_is_string(val) || !parse_hex(json_string_value(val), &t->c[idx])) {
            snprintf(msg, msgsz, "%s: colors.%s: give a colour as \"#RRGGBB\"", path, key);
            goto done;
        }
        seen[idx] = true;
    }
    for (int i = 0; i < TC_COUNT; i++)
        if (!seen[i]) { snprintf(msg, msgsz, "%s: colors.%s: missing", path, NAMES[i]); goto done; }
    ok = true;
done:
    json_decref(root);
    return ok;
}

static double channel(uint8_t v)
{
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double theme_luminance(rgb_t c)
{
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

double theme_contrast(rgb_t a, rgb_t b)
{
    double la = theme_luminance(a), lb = theme_luminance(b);
    double hi = la > lb ? la : lb, lo = la > lb ? lb : la;
    return (hi + 0.05) / (lo + 0.05);
}
