/* JSON asset files: strict loading with file:line:column errors, line lookup, atomic saving. */
#include "wijkloket/jsonfile.h"
#include "wijkloket/newfile.h"
#include "base/json_text.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILE (16u * 1024u * 1024u)

char *wl_json_read_text(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 4096) {
            if (cap >= MAX_FILE) {
                free(buf);
                fclose(f);
                errno = EFBIG;
                return NULL;
            }
            size_t ncap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                free(buf);
                fclose(f);
                errno = ENOMEM;
                return NULL;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
    }
    int failed = ferror(f), e = errno;
    fclose(f);
    if (failed) {
        free(buf);
        errno = e ? e : EIO; /* keep EISDIR and friends for the message */
        return NULL;
    }
    buf[n] = '\0';
    if (len) *len = n;
    return buf;
}

static const char *skip_ws(const char *s)
{
    while (*s && isspace((unsigned char)*s)) s++;
    return s;
}

/* Does needle match at t? Returns true and leaves the comparison loose on whitespace. */
static bool match_at(const char *t, const char *n)
{
    while (*n) {
        if (isspace((unsigned char)*n)) {
            n = skip_ws(n);
            t = skip_ws(t);
            continue;
        }
        if (*t != *n) return false;
        char c = *n;
        t++;
        n++;
        if (c == ':' || c == ',') {
            t = skip_ws(t);
            n = skip_ws(n);
        }
    }
    return true;
}

const char *wl_json_find(const char *text, const char *from, const char *needle)
{
    if (!text || !needle || !*needle) return NULL;
    const char *p = from ? from : text;
    const char *first = skip_ws(needle);
    for (; *p; p++) {
        if (*p == *first && match_at(p, first)) return p;
    }
    return NULL;
}

int wl_json_line_at(const char *text, const char *p)
{
    int line = 1;
    for (const char *s = text; s < p && *s; s++)
        if (*s == '\n') line++;
    return line;
}

int wl_json_locate(const char *path, const char *needle)
{
    char *text = wl_json_read_text(path, NULL);
    if (!text) return 0;
    const char *p = wl_json_find(text, NULL, needle);
    int line = p ? wl_json_line_at(text, p) : 0;
    free(text);
    return line;
}

wl_rc wl_json_load_string(const char *text, const char *name, json_t **out, wl_err_t *err)
{
    *out = NULL;
    if (!text) {
        wl_err_set(err, "%s: no text", name ? name : "(string)");
        return WL_ERR_PARSE;
    }
    json_error_t je;
    /* Duplicate keys are almost always a copy-paste slip in an edited asset: refuse them so
     * the second value never silently wins. */
    json_t *v = json_loadb(text, strlen(text), JSON_REJECT_DUPLICATES, &je);
    if (!v) {
        wl_err_set(err, "%s:%d:%d: %s", name ? name : "(string)", je.line, je.column, je.text);
        return WL_ERR_PARSE;
    }
    *out = v;
    return WL_OK;
}

wl_rc wl_json_load_file(const char *path, json_t **out, wl_err_t *err)
{
    *out = NULL;
    size_t len = 0;
    char *text = wl_json_read_text(path, &len);
    if (!text) {
        wl_err_set(err, "%s: cannot read: %s", path, strerror(errno));
        return WL_ERR_IO;
    }
    if (strlen(text) != len) {
        int line = wl_json_line_at(text, text + strlen(text));
        free(text);
        wl_err_set(err, "%s:%d: file contains a NUL byte", path, line);
        return WL_ERR_PARSE;
    }
    wl_rc rc = wl_json_load_string(text, path, out, err);
    free(text);
    return rc;
}

wl_rc wl_json_save_file(const char *path, const json_t *value, wl_err_t *err)
{
    char *text = json_dumps(value, JSON_INDENT(2) | JSON_ENCODE_ANY);
    if (!text) {
        wl_err_set(err, "%s: cannot encode JSON", path);
        return WL_ERR_NOMEM;
    }
    size_t plen = strlen(path);
    char *tmp = malloc(plen + 16);
    char *dircopy = strdup(path);
    wl_rc rc = WL_ERR_IO;
    int fd = -1;
    if (!tmp || !dircopy) {
        rc = WL_ERR_NOMEM;
        wl_err_set(err, "%s: out of memory", path);
        goto done;
    }
    /* Same folder as the target so rename() is atomic (no cross-device move). */
    snprintf(tmp, plen + 16, "%s.tmpXXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0) {
        wl_err_set(err, "%s: cannot create temporary file: %s", path, strerror(errno));
        tmp[0] = '\0';
        goto done;
    }
    if (!wl_write_all(fd, text, strlen(text))) {
        wl_err_set(err, "%s: write failed: %s", path, strerror(errno));
        goto done;
    }
    if (write(fd, "\n", 1) != 1 || fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
        wl_err_set(err, "%s: write failed: %s", path, strerror(errno));
        goto done;
    }
    if (close(fd) != 0) {
        fd = -1;
        wl_err_set(err, "%s: close failed: %s", path, strerror(errno));
        goto done;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        wl_err_set(err, "%s: rename failed: %s", path, strerror(errno));
        goto done;
    }
    tmp[0] = '\0';
    /* Make the rename itself durable; a failure here leaves a correct file, so it is ignored. */
    int dfd = open(dirname(dircopy), O_RDONLY | O_DIRECTORY);
    if (dfd >= 0) {
        (void)fsync(dfd);
        close(dfd);
    }
    rc = WL_OK;
done:
    if (fd >= 0) close(fd);
    if (tmp && tmp[0]) unlink(tmp);
    free(tmp);
    free(dircopy);
    free(text);
    return rc;
}
