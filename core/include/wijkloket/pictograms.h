/* The pictogram map (assets/pictograms.json): a pictogram name used in the asset data and the
 * kiosk names one glyph of an icon font, and whether it turns round in a right-to-left layout. */
#ifndef WL_PICTOGRAMS_H
#define WL_PICTOGRAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wijkloket/common.h"
#include "wijkloket/questionnaire.h"

typedef struct {
    char *name;         /* the name asset data uses ("werk") */
    char *icon;         /* the icon set's own name for the glyph ("work"), for people */
    uint32_t codepoint; /* the glyph in the icon font (Private Use Area) */
    bool mirror;        /* directional (an arrow): drawn mirrored in a right-to-left layout */
    int line;           /* line in the file, for messages */
} wl_pictogram_t;

typedef struct wl_pictograms wl_pictograms_t;

/* Loads path: {"font": {"family": ..., "package": ..., "licence": ...}, "pictograms":
 * {name: {"icon": ..., "codepoint": "e8f9", "mirror": false}}}. Every mistake (unknown field,
 * a codepoint outside the Private Use Areas, a bad name) fails with file, line and field.
 * On success *out is the caller's (wl_pictograms_free). */
wl_rc wl_pictograms_load(const char *path, wl_pictograms_t **out, wl_err_t *err);
void wl_pictograms_free(wl_pictograms_t *m);

/* The entry for name, or NULL (name NULL too). */
const wl_pictogram_t *wl_pictograms_find(const wl_pictograms_t *m, const char *name);
/* Entries in file order: count and the i-th. */
size_t wl_pictograms_count(const wl_pictograms_t *m);
const wl_pictogram_t *wl_pictograms_at(const wl_pictograms_t *m, size_t i);
/* The icon font's fontconfig family ("Material Icons"). */
const char *wl_pictograms_family(const wl_pictograms_t *m);
/* The map's own file, for messages. */
const char *wl_pictograms_path(const wl_pictograms_t *m);

/* Every pictogram the questionnaire names (on a question or an option) must be in the map:
 * otherwise WL_ERR_INVALID with "questionnaire:line: question 'id' [option 'v'] field
 * 'pictogram': no image for 'name' in <map>". */
wl_rc wl_pictograms_check_questionnaire(const wl_pictograms_t *m, const wl_questionnaire_t *q, wl_err_t *err);

#endif
