/* Citizen messages as data: a Dutch template (the gettext msgid) plus its arguments. */
#ifndef WL_MSG_H
#define WL_MSG_H

#include <stdbool.h>
#include <stddef.h>

/* Marks a Dutch msgid in C for xgettext (`--keyword=N_`); the text is translated where shown. */
#ifndef N_
#define N_(s) (s)
#endif

#define WL_MSG_MAX_ARGS 4
#define WL_MSG_ARG_MAX 160

/* One argument. A figure or a name is shown as is; an argument that is itself Dutch text from
 * the assets (an option's text, say) has msgid set, and the front end translates it first. */
typedef struct {
    char text[WL_MSG_ARG_MAX];
    bool msgid;
} wl_msg_arg_t;

/* What core says to a citizen. id is the Dutch template with %1$s, %2$s ... placeholders
 * (never a finished sentence with figures in it); it points to a static string or to text owned
 * by a loaded asset (valid as long as that asset), NULL when there is nothing to say.
 * Front ends: translate id (wl_i18n_get), translate the msgid arguments, then wl_msg_format. */
typedef struct {
    const char *id;
    int n_args;
    wl_msg_arg_t args[WL_MSG_MAX_ARGS];
} wl_msg_t;

/* Sets m to id with no arguments; m may be NULL. */
void wl_msg_set(wl_msg_t *m, const char *id);
/* Appends one argument (cut at WL_MSG_ARG_MAX - 1 bytes; ignored beyond WL_MSG_MAX_ARGS). */
void wl_msg_arg(wl_msg_t *m, const char *text, bool msgid);
/* Empties m. */
void wl_msg_clear(wl_msg_t *m);

/* Fills tmpl's placeholders with args into dst (size n, always NUL-terminated; cut when full).
 * %1$s .. %9$s take that argument, a plain %s takes the next one in order, %% is a percent
 * sign; a placeholder without an argument is left out. tmpl is data (a translation), so it
 * never reaches printf. Returns dst. */
char *wl_msg_fill(char *dst, size_t n, const char *tmpl, const char *const *args, int n_args);
/* The untranslated Dutch sentence of m (id filled with its arguments as they are): for logs,
 * the staff tool and tests. Returns dst. */
char *wl_msg_dutch(const wl_msg_t *m, char *dst, size_t n);

#endif
