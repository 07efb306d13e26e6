/* Parses the kiosk configuration file; refuses unknown keys and bad values with file:line:key. */
#include "kconfig.h"

#include "wijkloket/printer.h"
#include "wijkloket/seal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void kcfg_defaults(kcfg_t *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->location, sizeof c->location, "onbekend");
    snprintf(c->kiosk_id, sizeof c->kiosk_id, "kiosk-1");
    snprintf(c->database, sizeof c->database, "var/wijkloket.db");
    c->idle_timeout = 60;
    c->idle_countdown = 20;
    snprintf(c->languages[0], sizeof c->languages[0], "nl");
    snprintf(c->languages[1], sizeof c->languages[1], "en");
    c->n_languages = 2;
    c->portrait = true;
    c->fullscreen = false;
    c->kiosk_mode = false;
    c->voorlezen = false;
    c->voorlezen_volume = 80;
    snprintf(c->assets, sizeof c->assets, "assets");
    snprintf(c->locale, sizeof c->locale, "locale");
    c->dpi = 96.0;
    c->software = true; /* flat boxes and cached text need no GPU; GL drivers cost 70+ MB */
    snprintf(c->printer, sizeof c->printer, "none");
}

static bool parse_bool(const char *v, bool *out)
{
    if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on") || !strcmp(v, "1")) { *out = true; return true; }
    if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "off") || !strcmp(v, "0")) { *out = false; return true; }
    return false;
}

static bool parse_int(const char *v, long lo, long hi, int *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < lo || n > hi) return false;
    *out = (int)n;
    return true;
}

static bool copy_str(char *dst, size_t dstsz, const char *v)
{
    size_t n = strlen(v);
    if (n >= dstsz) return false;
    memcpy(dst, v, n + 1);
    return true;
}

/* Language codes are 2-3 lowercase letters, optionally _XX: they name locale/<code>.po. */
static bool valid_lang(const char *s)
{
    size_t n = strlen(s);
    if (n < 2 || n > 6) return false;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)s[i]) || (i >= 2 && (s[i] == '_' || isupper((unsigned char)s[i]))))) return false;
    return true;
}

static bool parse_langs(kcfg_t *c, const char *v, char *msg, size_t msgsz)
{
    char tmp[256];
    if (!copy_str(tmp, sizeof tmp, v)) { snprintf(msg, msgsz, "too long"); return false; }
    int n = 0;
    for (char *save = NULL, *tok = strtok_r(tmp, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
        if (!valid_lang(tok)) { snprintf(msg, msgsz, "'%s' is not a language code like nl or en", tok); return false; }
        if (n == KCFG_MAX_LANGS) { snprintf(msg, msgsz, "at most %d languages", KCFG_MAX_LANGS); return false; }
        snprintf(c->languages[n++], sizeof c->languages[0], "%s", tok);
    }
    if (n == 0) { snprintf(msg, msgsz, "give at least one language, e.g. nl, en"); return false; }
    c->n_languages = n;
    return true;
}

bool kcfg_set(kcfg_t *c, const char *key, const char *v, char *msg, size_t msgsz)
{
    bool b;
    if (!strcmp(key, "location") || !strcmp(key, "kiosk_id")) {
        char *dst = key[0] == 'l' ? c->location : c->kiosk_id;
        if (!*v) { snprintf(msg, msgsz, "must not be empty"); return false; }
        for (const char *p = v; *p; p++)
            if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_')) {
                snprintf(msg, msgsz, "use letters, digits, - and _ only (got '%s')", v);
                return false;
            }
        if (!copy_str(dst, 64, v)) { snprintf(msg, msgsz, "longer than 63 characters"); return false; }
        return true;
    }
    if (!strcmp(key, "database") || !strcmp(key, "assets") || !strcmp(key, "locale") ||
        !strcmp(key, "font") || !strcmp(key, "font_bold")) {
        char *dst = !strcmp(key, "database") ? c->database : !strcmp(key, "assets") ? c->assets
                  : !strcmp(key, "locale") ? c->locale : !strcmp(key, "font") ? c->font : c->font_bold;
        if (!*v && (!strcmp(key, "database") || !strcmp(key, "assets") || !strcmp(key, "locale"))) {
            snprintf(msg, msgsz, "must not be empty");
            return false;
        }
        if (!copy_str(dst, KCFG_PATH, v)) { snprintf(msg, msgsz, "path too long"); return false; }
        return true;
    }
    if (!strcmp(key, "public_key")) {
        /* Checked for real (readable, a public key) when the kiosk starts, naming this line. */
        if (!*v) { snprintf(msg, msgsz, "give the staff public key file, e.g. var/keys/public.key"); return false; }
        if (!copy_str(c->public_key, KCFG_PATH, v)) { snprintf(msg, msgsz, "path too long"); return false; }
        c->public_key_line = 0;
        return true;
    }
    if (!strcmp(key, "server_url") || !strcmp(key, "server_key")) {
        /* Read by wijkloket-deliver, the delivery loop beside the kiosk (docs/deployment.md);
         * checked here so a typo is caught at the kiosk's start too. Empty = no server. */
        if (!strcmp(key, "server_url") && *v && strncmp(v, "http://", 7) && strncmp(v, "https://", 8)) {
            snprintf(msg, msgsz, "give an http:// or https:// URL, or leave it empty (got '%s')", v);
            return false;
        }
        if (!copy_str(!strcmp(key, "server_url") ? c->server_url : c->server_key, KCFG_PATH, v)) {
            snprintf(msg, msgsz, "too long");
            return false;
        }
        return true;
    }
    if (!strcmp(key, "allow_unsealed")) {
        /* Only the one spelling that says what it is for: a real kiosk never stores unsealed. */
        if (!strcmp(v, "test-only")) c->allow_unsealed = true;
        else if (!strcmp(v, "no")) c->allow_unsealed = false;
        else { snprintf(msg, msgsz, "give test-only (test configurations only) or no (got '%s')", v); return false; }
        return true;
    }
    if (!strcmp(key, "printer")) {
        wl_printer_t p;
        wl_err_t err = { { 0 } };
        if (wl_printer_parse(v, &p, &err) != WL_OK) { snprintf(msg, msgsz, "%s", err.msg); return false; }
        if (!copy_str(c->printer, KCFG_PATH, v)) { snprintf(msg, msgsz, "too long"); return false; }
        return true;
    }
    if (!strcmp(key, "idle_timeout")) {
        if (!parse_int(v, 10, 3600, &c->idle_timeout)) { snprintf(msg, msgsz, "give seconds from 10 to 3600 (got '%s')", v); return false; }
        return true;
    }
    if (!strcmp(key, "idle_countdown")) {
        if (!parse_int(v, 5, 300, &c->idle_countdown)) { snprintf(msg, msgsz, "give seconds from 5 to 300 (got '%s')", v); return false; }
        return true;
    }
    if (!strcmp(key, "languages")) return parse_langs(c, v, msg, msgsz);
    if (!strcmp(key, "orientation")) {
        if (!strcmp(v, "portrait")) c->portrait = true;
        else if (!strcmp(v, "landscape")) c->portrait = false;
        else { snprintf(msg, msgsz, "give portrait or landscape (got '%s')", v); return false; }
        return true;
    }
    if (!strcmp(key, "size")) {
        int w, h;
        char tail;
        if (sscanf(v, "%dx%d%c", &w, &h, &tail) != 2 || w < 320 || h < 240 || w > 7680 || h > 7680) {
            snprintf(msg, msgsz, "give WIDTHxHEIGHT, e.g. 1080x1920 (got '%s')", v);
            return false;
        }
        c->width = w;
        c->height = h;
        return true;
    }
    if (!strcmp(key, "fullscreen") || !strcmp(key, "kiosk_mode")) {
        if (!parse_bool(v, &b)) { snprintf(msg, msgsz, "give yes or no (got '%s')", v); return false; }
        if (key[0] == 'f') c->fullscreen = b; else c->kiosk_mode = b;
        return true;
    }
    if (!strcmp(key, "voorlezen")) {
        if (!parse_bool(v, &c->voorlezen)) { snprintf(msg, msgsz, "give yes or no (got '%s')", v); return false; }
        return true;
    }
    if (!strcmp(key, "voorlezen_volume")) {
        if (!parse_int(v, 0, 100, &c->voorlezen_volume)) { snprintf(msg, msgsz, "give a volume from 0 to 100 (got '%s')", v); return false; }
        return true;
    }
    if (!strcmp(key, "speech_output")) {
        if (!strcmp(v, "speaker")) c->speech_headphone = false;
        else if (!strcmp(v, "headphone")) c->speech_headphone = true;
        else { snprintf(msg, msgsz, "give speaker or headphone (got '%s')", v); return false; }
        return true;
    }
    if (!strcmp(key, "speech_device")) {
        if (strlen(v) >= sizeof c->speech_device) { snprintf(msg, msgsz, "too long (at most %zu characters)", sizeof c->speech_device - 1); return false; }
        snprintf(c->speech_device, sizeof c->speech_device, "%s", v);
        return true;
    }
    if (!strcmp(key, "renderer")) {
        if (!strcmp(v, "auto")) c->software = false;
        else if (!strcmp(v, "software")) c->software = true;
        else { snprintf(msg, msgsz, "give auto or software (got '%s')", v); return false; }
        return true;
    }
    if (!strcmp(key, "dpi")) {
        char *end;
        double d = strtod(v, &end);
        if (end == v || *end || !(d >= 50 && d <= 600)) { snprintf(msg, msgsz, "give dots per inch from 50 to 600 (got '%s')", v); return false; }
        c->dpi = d;
        return true;
    }
    snprintf(msg, msgsz, "unknown key");
    return false;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) s[--n] = 0;
    return s;
}

bool kcfg_load(kcfg_t *c, const char *path, char *msg, size_t msgsz)
{
    FILE *f = fopen(path, "r");
    if (!f) { snprintf(msg, msgsz, "%s: cannot open: %s", path, strerror(errno)); return false; }
    snprintf(c->source, sizeof c->source, "%s", path);
    char line[1024], why[256];
    int lineno = 0;
    bool ok = true;
    while (fgets(line, sizeof line, f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(msg, msgsz, "%s:%d: line too long", path, lineno);
            ok = false;
            break;
        }
        char *s = trim(line);
        if (!*s || *s == '#' || *s == ';') continue;
        if (*s == '[') continue; /* section headers are allowed for readability only */
        char *eq = strchr(s, '=');
        if (!eq) { snprintf(msg, msgsz, "%s:%d: expected key = value", path, lineno); ok = false; break; }
        *eq = 0;
        char *key = trim(s), *val = trim(eq + 1);
        size_t vn = strlen(val);
        if (vn >= 2 && val[0] == '"' && val[vn - 1] == '"') { val[vn - 1] = 0; val++; }
        if (!kcfg_set(c, key, val, why, sizeof why)) {
            snprintf(msg, msgsz, "%s:%d: %s: %s", path, lineno, key, why);
            ok = false;
            break;
        }
        if (!strcmp(key, "public_key")) c->public_key_line = lineno;
    }
    fclose(f);
    return ok;
}

bool kcfg_secret_key_beside(const kcfg_t *c, char *path, size_t n)
{
    if (!c->public_key[0] || n == 0) return false;
    const char *slash = strrchr(c->public_key, '/');
    snprintf(path, n, "%.*s%s", slash ? (int)(slash - c->public_key + 1) : 0, c->public_key, WL_SEAL_SECRET_FILE);
    return access(path, F_OK) == 0;
}
