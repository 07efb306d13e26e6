/* Citizen messages as data: a Dutch template (the gettext msgid) plus its arguments. */
#ifndef WL_MSG_H
#define WL_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

/* Marks a Dutch msgid in C for xgettext (`--keyword=N_`); the text is translated where shown. */
#ifndef N_
#define N_(s) (s)
#endif

#define WL_MSG_MAX_ARGS 6
#define WL_MSG_ARG_MAX 160

/* One argument. A figure or a name is shown as is; an argument that is itself Dutch text from
 * the assets (an option's text, say) has msgid set, and the front end translates it first.
 * A msgid argument may hold placeholders of its own: they take the message's other arguments
 * (a sentence part such as " van %4$s tot en met %5$s jaar"). A date argument (date set) holds
 * YYYY-MM-DD and is shown as "1 juli 2025" with the month name translated. */
typedef struct {
    char text[WL_MSG_ARG_MAX];
    bool msgid;
    bool date;
} wl_msg_arg_t;

/* What core says to a citizen. id is the Dutch template with %1$s, %2$s ... placeholders
 * (never a finished sentence with figures in it); it points to a static string or to text owned
 * by a loaded asset (valid as long as that asset), NULL when there is nothing to say.
 * Front ends show it with wl_i18n_msg (wijkloket/i18n.h): template and msgid arguments
 * translated, dates worded in the language, then filled in. */
typedef struct {
    const char *id;
    int n_args;
    wl_msg_arg_t args[WL_MSG_MAX_ARGS];
} wl_msg_t;

/* Sets m to id with no arguments; m may be NULL. */
void wl_msg_set(wl_msg_t *m, const char *id);
/* Appends one argument (cut at WL_MSG_ARG_MAX - 1 bytes; ignored beyond WL_MSG_MAX_ARGS). */
void wl_msg_arg(wl_msg_t *m, const char *text, bool msgid);
/* Appends a date argument (day: YYYY-MM-DD). */
void wl_msg_arg_date(wl_msg_t *m, const char *day);
/* Appends a whole number as an argument. */
void wl_msg_arg_int(wl_msg_t *m, long long v);
/* Empties m. */
void wl_msg_clear(wl_msg_t *m);

/* Fills tmpl's placeholders with args into dst (size n, always NUL-terminated; cut when full).
 * %1$s .. %9$s take that argument, a plain %s takes the next one in order, %% is a percent
 * sign; a placeholder without an argument is left out. tmpl is data (a translation), so it
 * never reaches printf. Returns dst. */
char *wl_msg_fill(char *dst, size_t n, const char *tmpl, const char *const *args, int n_args);
/* The untranslated Dutch sentence of m: for logs, the staff tool and tests. Returns dst. */
char *wl_msg_dutch(const wl_msg_t *m, char *dst, size_t n);

/* Fills m's template with its arguments, translating through tr(ctx, msgid) the template, the
 * msgid arguments and the month name of a date argument (tr NULL: Dutch). The one place
 * that says how a message is put together; wl_i18n_msg and wl_msg_dutch both use it. */
typedef const char *(*wl_msg_tr_fn)(const void *ctx, const char *msgid);
char *wl_msg_render(const wl_msg_t *m, wl_msg_tr_fn tr, const void *ctx, char *dst, size_t n);

/* The twelve month names as Dutch msgids ("januari" .. "december"), index 0 = January. */
extern const char *const wl_msg_months[12];
/* The weekdays as Dutch msgids, index 0 = Monday (as wl_weekday counts). */
extern const char *const wl_msg_weekdays[7];
/* A YYYY-MM-DD date in words, "dinsdag 24 november 2026", its weekday and year each optional,
 * the names through tr (NULL: Dutch). A date that does not parse is copied as it is. */
char *wl_msg_date_words(const char *date, bool weekday, bool year, wl_msg_tr_fn tr, const void *ctx, char *dst,
                        size_t n);

/* A message as JSON, for results that travel as JSON (minima reasons):
 * {"id": template, "args": [ "as is" | {"msgid": text} | {"date": "YYYY-MM-DD"} ]}.
 * New reference; NULL when out of memory. */
json_t *wl_msg_json(const wl_msg_t *m);
/* Reads such JSON into m; m->id then points into j (valid while j lives). A plain JSON string
 * is read as a template without arguments. False when j is neither. */
bool wl_msg_from_json(const json_t *j, wl_msg_t *m);
/* Renders j: a string or message object as above, or an array of them (sentences, joined by
 * one space). Returns dst (empty when j is none of these). */
char *wl_msg_render_json(const json_t *j, wl_msg_tr_fn tr, const void *ctx, char *dst, size_t n);

#endif
