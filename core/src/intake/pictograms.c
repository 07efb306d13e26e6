/* Loads the pictogram map and checks that every pictogram the questionnaire names has an image. */
#include "wijkloket/pictograms.h"
#include "wijkloket/jsonfile.h"
#include "base/json_text.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wl_pictograms {
    char *path;
    char *family;
    wl_pictogram_t *e;
    size_t n;
};

static const char *const TOP_KEYS[] = { "comment", "font", "pictograms", NULL };
static const char *const FONT_KEYS[] = { "family", "package", "licence", "comment", NULL };
static const char *const ENTRY_KEYS[] = { "icon", "codepoint", "mirror", "comment", NULL };

static bool known(const char *key, const char *const *keys)
{
    for (; *keys; keys++)
        if (!strcmp(key, *keys)) return true;
    return false;
}

/* Names are lower-case letters, digits and '_': they are written by hand in several files. */
static bool valid_name(const char *s)
{
    if (!*s || strlen(s) > 48) return false;
    for (; *s; s++)
        if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '_') return false;
    return true;
}

/* Line of "needle" in text after from (or of from itself when absent). */
static int line_of(const char *text, const char *from, const char *needle, const char **at)
{
    const char *p = wl_json_find(text, from, needle);
    if (at && p) *at = p;
    return wl_json_line_at(text, p ? p : from);
}

static wl_rc bad_keys(const char *path, const char *text, const char *from, const json_t *obj,
                      const char *const *keys, const char *what, wl_err_t *err)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        if (known(key, keys)) continue;
        char needle[96];
        snprintf(needle, sizeof needle, "\"%s\":", key);
        wl_err_set(err, "%s:%d: %s: unknown field '%s'", path, line_of(text, from, needle, NULL), what, key);
        return WL_ERR_INVALID;
    }
    return WL_OK;
}

static wl_rc load_entry(wl_pictograms_t *m, const char *text, const char **cursor, const char *name,
                        const json_t *jo, wl_err_t *err)
{
    char needle[96], what[96];
    snprintf(needle, sizeof needle, "\"%s\":", name);
    snprintf(what, sizeof what, "pictogram '%s'", name);
    const char *at = *cursor;
    int line = line_of(text, *cursor, needle, &at);
    *cursor = at;
    if (!valid_name(name)) {
        wl_err_set(err, "%s:%d: %s: a name is lower-case letters, digits and '_'", m->path, line, what);
        return WL_ERR_INVALID;
    }
    if (!json_is_object(jo)) {
        wl_err_set(err, "%s:%d: %s: must be an object {\"icon\", \"codepoint\"}", m->path, line, what);
        return WL_ERR_INVALID;
    }
    wl_rc rc = bad_keys(m->path, text, at, jo, ENTRY_KEYS, what, err);
    if (rc) return rc;
    const json_t *icon = json_object_get(jo, "icon"), *cp = json_object_get(jo, "codepoint"),
                 *mir = json_object_get(jo, "mirror");
    if (!json_is_string(icon) || !json_string_length(icon)) {
        wl_err_set(err, "%s:%d: %s field 'icon': the icon set's name for it is missing", m->path,
                   line_of(text, at, "\"icon\":", NULL), what);
        return WL_ERR_INVALID;
    }
    char *end = NULL;
    unsigned long v = json_is_string(cp) ? strtoul(json_string_value(cp), &end, 16) : 0;
    /* An icon font keeps its glyphs in a Private Use Area; anything else is a slip (a letter
     * would be drawn instead of a picture). */
    bool pua = (v >= 0xE000 && v <= 0xF8FF) || (v >= 0xF0000 && v <= 0x10FFFD);
    if (!json_is_string(cp) || !end || *end || !pua) {
        wl_err_set(err, "%s:%d: %s field 'codepoint': must be the glyph's hex code in a Private Use Area (e000-f8ff)",
                   m->path, line_of(text, at, "\"codepoint\":", NULL), what);
        return WL_ERR_INVALID;
    }
    if (mir && !json_is_boolean(mir)) {
        wl_err_set(err, "%s:%d: %s field 'mirror': must be true or false", m->path,
                   line_of(text, at, "\"mirror\":", NULL), what);
        return WL_ERR_INVALID;
    }
    wl_pictogram_t *e = &m->e[m->n];
    e->name = strdup(name);
    e->icon = strdup(json_string_value(icon));
    m->n++;
    if (!e->name || !e->icon) return WL_ERR_NOMEM;
    e->codepoint = (uint32_t)v;
    e->mirror = json_is_true(mir);
    e->line = line;
    return WL_OK;
}

wl_rc wl_pictograms_load(const char *path, wl_pictograms_t **out, wl_err_t *err)
{
    *out = NULL;
    json_t *doc = NULL;
    char *text = NULL;
    wl_rc rc = wl_json_load_file(path, &doc, err);
    if (rc) return rc;
    wl_pictograms_t *m = calloc(1, sizeof *m);
    text = wl_json_read_text(path, NULL);
    if (!m || !text || !(m->path = strdup(path))) { rc = WL_ERR_NOMEM; goto done; }
    rc = WL_ERR_INVALID;
    if (!json_is_object(doc)) { wl_err_set(err, "%s:1: must be an object", path); goto done; }
    if ((rc = bad_keys(path, text, text, doc, TOP_KEYS, "pictogram map", err))) goto done;
    rc = WL_ERR_INVALID;
    const json_t *font = json_object_get(doc, "font"), *pics = json_object_get(doc, "pictograms");
    const json_t *fam = json_object_get(font, "family");
    if (!json_is_object(font) || !json_is_string(fam) || !json_string_length(fam)) {
        wl_err_set(err, "%s:%d: field 'font': needs {\"family\": the icon font's fontconfig name}", path,
                   line_of(text, text, "\"font\":", NULL));
        goto done;
    }
    if ((rc = bad_keys(path, text, text, font, FONT_KEYS, "field 'font'", err))) goto done;
    if (!(m->family = strdup(json_string_value(fam)))) { rc = WL_ERR_NOMEM; goto done; }
    rc = WL_ERR_INVALID;
    if (!json_is_object(pics) || !json_object_size(pics)) {
        wl_err_set(err, "%s:%d: field 'pictograms': needs an object of name: {\"icon\", \"codepoint\"}", path,
                   line_of(text, text, "\"pictograms\":", NULL));
        goto done;
    }
    if (!(m->e = calloc(json_object_size(pics), sizeof *m->e))) { rc = WL_ERR_NOMEM; goto done; }
    const char *cursor = wl_json_find(text, NULL, "\"pictograms\":");
    const char *name;
    json_t *jo;
    rc = WL_OK;
    json_object_foreach((json_t *)pics, name, jo) {
        if ((rc = load_entry(m, text, &cursor, name, jo, err))) break;
    }
done:
    json_decref(doc);
    free(text);
    if (rc) {
        wl_pictograms_free(m);
        return rc;
    }
    *out = m;
    return WL_OK;
}

void wl_pictograms_free(wl_pictograms_t *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->e[i].name);
        free(m->e[i].icon);
    }
    free(m->e);
    free(m->family);
    free(m->path);
    free(m);
}

const wl_pictogram_t *wl_pictograms_find(const wl_pictograms_t *m, const char *name)
{
    if (!m || !name) return NULL;
    for (size_t i = 0; i < m->n; i++)
        if (!strcmp(m->e[i].name, name)) return &m->e[i];
    return NULL;
}

size_t wl_pictograms_count(const wl_pictograms_t *m) { return m ? m->n : 0; }

const wl_pictogram_t *wl_pictograms_at(const wl_pictograms_t *m, size_t i)
{
    return m && i < m->n ? &m->e[i] : NULL;
}

const char *wl_pictograms_family(const wl_pictograms_t *m) { return m ? m->family : ""; }

const char *wl_pictograms_path(const wl_pictograms_t *m) { return m ? m->path : ""; }

wl_rc wl_pictograms_check_questionnaire(const wl_pictograms_t *m, const wl_questionnaire_t *q, wl_err_t *err)
{
    for (size_t i = 0; i < q->n_questions; i++) {
        const wl_question_t *qq = &q->questions[i];
        if (qq->pictogram && !wl_pictograms_find(m, qq->pictogram)) {
            wl_err_set(err, "%s:%d: question '%s' field 'pictogram': no image for '%s' in %s", q->path,
                       qq->pictogram_line ? qq->pictogram_line : qq->line, qq->id, qq->pictogram, m->path);
            return WL_ERR_INVALID;
        }
        for (size_t o = 0; o < qq->n_options; o++) {
            const wl_option_t *op = &qq->options[o];
            if (op->pictogram && !wl_pictograms_find(m, op->pictogram)) {
                wl_err_set(err, "%s:%d: question '%s' option '%s' field 'pictogram': no image for '%s' in %s", q->path,
                           op->line, qq->id, op->value, op->pictogram, m->path);
                return WL_ERR_INVALID;
            }
        }
    }
    return WL_OK;
}
