/* Translation layer: gettext .po catalogues read at run time; Dutch is the source language. */
#ifndef WL_I18N_H
#define WL_I18N_H

#include "wijkloket/common.h"
#include "wijkloket/msg.h"

typedef struct wl_i18n wl_i18n_t;

/* Loads locale/<lang>.po from dir. lang "nl" needs no file (identity). The catalogue header's
 * "X-Direction: rtl" (or a language known to be right-to-left) sets the direction.
 * Malformed .po: WL_ERR_PARSE naming file and line. */
wl_rc wl_i18n_load(const char *dir, const char *lang, wl_i18n_t **out, wl_err_t *err);
void wl_i18n_free(wl_i18n_t *t);
/* Translation of msgid, or msgid itself when missing or t is NULL. Never NULL. */
const char *wl_i18n_get(const wl_i18n_t *t, const char *msgid);
bool wl_i18n_rtl(const wl_i18n_t *t);

/* m shown in t's language (t NULL: Dutch): see wl_msg_render. Returns dst. */
char *wl_i18n_msg(const wl_i18n_t *t, const wl_msg_t *m, char *dst, size_t n);
/* A message, or a list of sentences, carried as JSON (wl_msg_render_json) in t's language. */
char *wl_i18n_msg_json(const wl_i18n_t *t, const json_t *j, char *dst, size_t n);
/* A YYYY-MM-DD date in words in t's language (wl_msg_date_words). */
char *wl_i18n_date(const wl_i18n_t *t, const char *date, bool weekday, bool year, char *dst, size_t n);

/* How far one language's catalogue covers the template <dir>/wijkloket.pot: texts translated
 * (not fuzzy, not empty), of those reviewed by a native speaker (a "# reviewed: WHO" comment),
 * and the first few Dutch texts still missing. Dutch ("nl") is the source: all translated. */
typedef struct {
    size_t total, translated, reviewed;
    size_t n_missing;
    char missing[5][120];
} wl_i18n_count_t;
wl_rc wl_i18n_count(const char *dir, const char *lang, wl_i18n_count_t *out, wl_err_t *err);
const char *wl_i18n_lang(const wl_i18n_t *t);
/* A language's name in that language ("ar" -> "العربية"), so a person finds theirs without
 * reading Dutch; an unknown code is returned as it is. */
const char *wl_i18n_endonym(const char *lang);

#endif
