/* Works out the data, configuration and state folders at run time instead of baking in a path. */
#include "wijkloket/paths.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Set by core/CMakeLists.txt from GNUInstallDirs: the binary and data folders relative to the
 * prefix. The prefix itself is not compiled in: it is wherever the binary turns out to be. */
#if !defined(WL_INSTALL_BINDIR) || !defined(WL_INSTALL_DATADIR)
#error "WL_INSTALL_BINDIR and WL_INSTALL_DATADIR must be defined by the build"
#endif

static bool is_dir_with(const char *dir, const char *rel)
{
    char p[WL_PATHS_MAX + 64];
    if (snprintf(p, sizeof p, "%s/%s", dir, rel) >= (int)sizeof p) return false;
    return access(p, R_OK) == 0;
}

/* Paths longer than WL_PATHS_MAX are cut; the later access() check then fails with its name. */
static bool set(char *dst, const char *fmt, const char *a, const char *b)
{
    int n = snprintf(dst, WL_PATHS_MAX, fmt, a, b ? b : "");
    return n >= 0 && n < WL_PATHS_MAX;
}

/* A checkout-shaped folder: assets/, locale/, var/, kiosk.conf in assets/. */
static void checkout_layout(wl_paths_t *o, wl_layout_t layout, const char *root, const char *why)
{
    o->layout = layout;
    set(o->assets, "%s/assets%s", root, NULL);
    set(o->locale, "%s/locale%s", root, NULL);
    set(o->confdir, "%s/assets%s", root, NULL);
    set(o->statedir, "%s/var%s", root, NULL);
    set(o->workdir, "%s%s", root, NULL);
    snprintf(o->how, sizeof o->how, "%s %s", why, root);
}

bool wl_paths_system(const char *prefix, const char *rel, char *buf, size_t size)
{
    /* FHS: the /usr prefix keeps configuration in /etc and data in /var; any other prefix
     * (/usr/local, /opt/wijkloket, /tmp/x) keeps them inside itself. A /usr moved down into
     * another root (dpkg --root, DESTDIR) keeps the same shape inside that root. */
    size_t n = strlen(prefix);
    int w;
    if (n >= 4 && strcmp(prefix + n - 4, "/usr") == 0)
        w = snprintf(buf, size, "%.*s/%s", (int)(n - 4), prefix, rel);
    else
        w = snprintf(buf, size, "%s/%s", prefix, rel);
    /* A cut path would name another folder: refuse it rather than use it. */
    return w >= 0 && (size_t)w < size;
}

/* Strips the last component of path in place; false when there is none left. */
static bool up(char *path)
{
    char *slash = strrchr(path, '/');
    if (!slash || slash == path) return false;
    *slash = '\0';
    return true;
}

static bool installed_layout(const char *exe, wl_paths_t *o)
{
    char prefix[WL_PATHS_MAX];
    snprintf(prefix, sizeof prefix, "%s", exe);
    if (!up(prefix)) return false; /* the binary's folder: <prefix>/bin */
    /* One step up per component of the binary folder (bin, or sbin, or lib/x/bin). */
    const char *bindir = WL_INSTALL_BINDIR;
    for (const char *c = bindir; *c; c++)
        if (c == bindir || c[-1] == '/')
            if (!up(prefix)) return false;
    char data[WL_PATHS_MAX];
    if (!set(data, "%s/%s", prefix, WL_INSTALL_DATADIR)) return false;
    if (!is_dir_with(data, "assets/questionnaires")) return false;
    o->layout = WL_LAYOUT_INSTALLED;
    if (!set(o->assets, "%s/assets%s", data, NULL) || !set(o->locale, "%s/locale%s", data, NULL)) return false;
    if (!wl_paths_system(prefix, "etc/wijkloket", o->confdir, sizeof o->confdir) ||
        !wl_paths_system(prefix, "var/lib/wijkloket", o->statedir, sizeof o->statedir))
        return false;
    snprintf(o->workdir, sizeof o->workdir, "%s", o->statedir);
    snprintf(o->how, sizeof o->how, "installed under %s", prefix);
    return true;
}

/* A build tree holds a wijkloket-checkout file (written by CMake) naming its source folder;
 * a binary in <build>/staff or <build>/kiosk finds it one or two folders up. */
static bool buildtree_layout(const char *exe, wl_paths_t *o)
{
    char dir[WL_PATHS_MAX];
    snprintf(dir, sizeof dir, "%s", exe);
    for (int depth = 0; depth < 3 && up(dir); depth++) {
        char marker[WL_PATHS_MAX + 32];
        snprintf(marker, sizeof marker, "%s/wijkloket-checkout", dir);
        FILE *f = fopen(marker, "r");
        if (!f) continue;
        char root[WL_PATHS_MAX] = "";
        bool ok = fgets(root, sizeof root, f) != NULL;
        fclose(f);
        root[strcspn(root, "\r\n")] = '\0';
        if (ok && root[0] == '/' && is_dir_with(root, "assets/questionnaires")) {
            checkout_layout(o, WL_LAYOUT_BUILDTREE, root, "the checkout of the build tree");
            return true;
        }
    }
    return false;
}

wl_rc wl_paths_find_from(const char *exe, wl_paths_t *out, wl_err_t *err)
{
    memset(out, 0, sizeof *out);
    if (exe && exe[0] == '/' && (installed_layout(exe, out) || buildtree_layout(exe, out))) return WL_OK;
    wl_err_set(err, "no installed data next to %s (looked for %s relative to it) and no build tree around it",
               exe ? exe : "(unknown binary)", WL_INSTALL_DATADIR);
    return WL_ERR_NOTFOUND;
}

wl_rc wl_paths_find(wl_paths_t *out, wl_err_t *err)
{
    memset(out, 0, sizeof *out);
    const char *env = getenv("WL_ROOT");
    if (env && *env) {
        checkout_layout(out, WL_LAYOUT_ENV, env, "$WL_ROOT =");
        return WL_OK;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    wl_err_t e2 = {{0}};
    if (n > 0) {
        exe[n] = '\0';
        if (wl_paths_find_from(exe, out, &e2) == WL_OK) return WL_OK;
    } else {
        snprintf(e2.msg, sizeof e2.msg, "cannot read /proc/self/exe");
    }
    char cwd[WL_PATHS_MAX];
    if (getcwd(cwd, sizeof cwd) && is_dir_with(cwd, "assets/kiosk.conf")) {
        checkout_layout(out, WL_LAYOUT_CWD, cwd, "the current folder");
        return WL_OK;
    }
    wl_err_set(err, "cannot find the Wijkloket assets: $WL_ROOT is not set, %s, and the current folder has no "
               "assets/kiosk.conf", e2.msg);
    return WL_ERR_NOTFOUND;
}
