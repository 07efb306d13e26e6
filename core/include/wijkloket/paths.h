/* Finds where assets, translations, configuration and data live: a checkout or an installed prefix. */
#ifndef WL_PATHS_H
#define WL_PATHS_H

#include "wijkloket/common.h"

#define WL_PATHS_MAX 1024

typedef enum {
    WL_LAYOUT_ENV,       /* $WL_ROOT names a checkout-shaped folder (assets/, locale/, var/) */
    WL_LAYOUT_INSTALLED, /* <prefix>/share/wijkloket next to the binary's <prefix>/bin */
    WL_LAYOUT_BUILDTREE, /* run from a build tree: its wijkloket-checkout file names the source */
    WL_LAYOUT_CWD        /* the current folder is a checkout (has assets/kiosk.conf) */
} wl_layout_t;

typedef struct {
    wl_layout_t layout;
    char assets[WL_PATHS_MAX];  /* questionnaire, rules, theme, minima, ... */
    char locale[WL_PATHS_MAX];  /* <lang>.po catalogues */
    char confdir[WL_PATHS_MAX]; /* kiosk.conf: <checkout>/assets, or /etc/wijkloket */
    char statedir[WL_PATHS_MAX];/* database and keys: <checkout>/var, or /var/lib/wijkloket */
    char workdir[WL_PATHS_MAX]; /* where relative paths in kiosk.conf start: checkout root or statedir */
    char how[WL_PATHS_MAX + 64];/* one line for messages: which rule found these paths */
} wl_paths_t;

/* Tries, in order: $WL_ROOT; the install prefix worked out from the running binary
 * (/proc/self/exe, so a package unpacked under another root or a `cmake --install --prefix`
 * elsewhere still finds its own files); the build tree's wijkloket-checkout file; the current
 * folder. WL_ERR_NOTFOUND (naming what was tried) when none holds assets. */
wl_rc wl_paths_find(wl_paths_t *out, wl_err_t *err);

/* The same search, starting from exe (the binary's absolute path) instead of /proc/self/exe,
 * and without looking at $WL_ROOT or the current folder. For tests of the rules. */
wl_rc wl_paths_find_from(const char *exe, wl_paths_t *out, wl_err_t *err);

/* The system folder rel ("etc/wijkloket", "var/lib/wijkloket") for an installation in prefix:
 * /etc/wijkloket for /usr, /r/etc/wijkloket for a /usr unpacked into /r, and <prefix>/etc/wijkloket
 * for any other prefix (/usr/local, /opt/wijkloket, /tmp/x). The install rules use the same rule
 * (packaging/CMakeLists.txt). False (buf not to be used) when the path does not fit in size. */
bool wl_paths_system(const char *prefix, const char *rel, char *buf, size_t size);

#endif
