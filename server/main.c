/* wijkloket-server: the central service for every kiosk (serve), and its admin commands. */
#include "api.h"
#include "serve.h"
#include "wijkloket/newfile.h"
#include "wijkloket/paths.h"
#include "portal/portal.h"
#include "portal_central.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *f)
{
    fputs("usage: wijkloket-server COMMAND [options]\n"
          "\n"
          "  serve        run the HTTP API (plain HTTP on loopback only; TLS by a reverse proxy)\n"
          "                 --listen ADDR (127.0.0.1)  --port N (8080)  --assets DIR  --threads N (8)\n"
          "                 --max-body BYTES (262144)  --rate PER_MINUTE (600)  --burst N (120)\n"
          "                 --hold-seconds N (300: kiosk and portal holds)  --max-connections N (256)\n"
          "               the citizen portal at / (every path outside /api/ and /health):\n"
          "                 --public-key FILE   staff public key every portal intake is sealed to; without\n"
          "                                     it the portal is off (the server then answers only the API)\n"
          "                 --install-key FILE  binds each sealed part to its record (made when missing;\n"
          "                                     default portal-install.key beside the public key); staff\n"
          "                                     need a copy to open portal intakes\n"
          "                 --locale DIR  --web DIR (server/portal/web: CSS, NL Design System packages)\n"
          "                 --languages LIST (nl,en,ar,tr,pl,uk,ti)  --portal-location ID (online)\n"
          "                 --session-minutes N (20)  --draft-days N (28)  --portal-rate PER_MINUTE (300)\n"
          "                 --behind-proxy      a TLS proxy is in front: session cookies get Secure\n"
          "                 --trusted-proxy ADDR  the proxy at ADDR (repeatable, up to 8): the portal's rate\n"
          "                                     limit counts the last X-Forwarded-For entry of its requests\n"
          "                                     instead of ADDR; from any other peer the header is ignored\n"
          "  migrate      apply pending database migrations and print the schema version\n"
          "  kiosk-add    register a kiosk: --id ID --location LOC --out KEYFILE\n"
          "               makes the kiosk's Ed25519 key pair, stores the public key, writes the\n"
          "               secret key to KEYFILE (mode 0600) to copy onto that kiosk once\n"
          "  kiosk-disable --id ID    kiosk-enable --id ID    kiosks (list)\n"
          "  kiosk-confirm --id ID    sign a kiosk registered before schema 10 as it stands (check its\n"
          "               public key first: the command prints it)\n"
          "  events       list open kiosk events (help requests, printer failures) of every kiosk;\n"
          "               --all includes acknowledged ones; --ack ID --by NAME acknowledges one\n"
          "\n"
          "Every command takes --db URL (postgresql://...); the default is the WL_DB environment variable.\n"
          "serve and the kiosk commands take --origin-key FILE: the server's signing key, outside the\n"
          "database (default $WL_ORIGIN_KEY, else <state>/keys/server-origin.key; made when missing,\n"
          "with server-origin.pub beside it for the staff machines).\n"
          "Exit codes: 0 ok, 1 failure, 2 bad usage.\n",
          f);
}

typedef struct {
    const char *db, *listen, *assets, *id, *location, *out, *by, *origin_key;
    int port, threads, rate, burst, hold, max_conn, ack;
    long max_body;
    bool all;
    /* the citizen portal */
    const char *public_key, *install_key, *locale, *web, *languages, *portal_location;
    const char *statedir; /* default home of the origin key */
    int session_minutes, draft_days, portal_rate;
    bool behind_proxy;
    wl_trusted_proxies_t trusted;
} opts_t;

static bool parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < lo || v > hi) return false;
    *out = v;
    return true;
}

static int parse(int argc, char **argv, opts_t *o)
{
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--all") == 0 || strcmp(a, "--behind-proxy") == 0) {
            if (a[2] == 'a') o->all = true;
            else o->behind_proxy = true;
            continue;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "wijkloket-server: %s needs a value\n", a);
            return 2;
        }
        const char *v = argv[++i];
        long n = 0;
        struct { const char *name; long lo, hi; int *dst; } ints[] = {
            {"--port", 1, 65535, &o->port},       {"--threads", 1, 256, &o->threads},
            {"--rate", 1, 10000000, &o->rate},    {"--burst", 1, 10000000, &o->burst},
            {"--hold-seconds", 10, 3600, &o->hold}, {"--max-connections", 4, 10000, &o->max_conn},
            {"--ack", 1, 2000000000, &o->ack},
            {"--session-minutes", 1, 24 * 60, &o->session_minutes}, {"--draft-days", 1, 365, &o->draft_days},
            {"--portal-rate", 1, 10000000, &o->portal_rate},
        };
        bool done = false;
        for (size_t k = 0; k < sizeof ints / sizeof ints[0]; k++)
            if (strcmp(a, ints[k].name) == 0) {
                if (!parse_int(v, ints[k].lo, ints[k].hi, &n)) {
                    fprintf(stderr, "wijkloket-server: %s %s: give a number from %ld to %ld\n", a, v, ints[k].lo,
                            ints[k].hi);
                    return 2;
                }
                *ints[k].dst = (int)n;
                done = true;
            }
        if (done) continue;
        if (strcmp(a, "--max-body") == 0) {
            if (!parse_int(v, 1024, 64L * 1024 * 1024, &o->max_body)) {
                fprintf(stderr, "wijkloket-server: --max-body %s: give bytes from 1024 to 67108864\n", v);
                return 2;
            }
        } else if (strcmp(a, "--db") == 0) o->db = v;
        else if (strcmp(a, "--listen") == 0) o->listen = v;
        else if (strcmp(a, "--assets") == 0) o->assets = v;
        else if (strcmp(a, "--id") == 0) o->id = v;
        else if (strcmp(a, "--location") == 0) o->location = v;
        else if (strcmp(a, "--out") == 0) o->out = v;
        else if (strcmp(a, "--by") == 0) o->by = v;
        else if (strcmp(a, "--origin-key") == 0) o->origin_key = v;
        else if (strcmp(a, "--public-key") == 0) o->public_key = v;
        else if (strcmp(a, "--install-key") == 0) o->install_key = v;
        else if (strcmp(a, "--locale") == 0) o->locale = v;
        else if (strcmp(a, "--web") == 0) o->web = v;
        else if (strcmp(a, "--languages") == 0) o->languages = v;
        else if (strcmp(a, "--portal-location") == 0) o->portal_location = v;
        else if (strcmp(a, "--trusted-proxy") == 0) {
            if (!wl_trusted_proxies_add(&o->trusted, v)) {
                fprintf(stderr, "wijkloket-server: --trusted-proxy %s: give an IP address (at most %d proxies)\n", v,
                        WL_MAX_TRUSTED_PROXIES);
                return 2;
            }
        }
        else {
            fprintf(stderr, "wijkloket-server: unknown option %s (see --help)\n", a);
            return 2;
        }
    }
    if (!o->db || !*o->db) {
        fprintf(stderr, "wijkloket-server: no database: give --db postgresql://... or set WL_DB\n");
        return 2;
    }
    return 0;
}

/* The server's origin key (central_origin.c): --origin-key, $WL_ORIGIN_KEY, or
 * <state>/keys/server-origin.key. create: make it (and its folder, 0700) when missing. */
static bool load_origin_key(const opts_t *o, bool create, unsigned char sk[WL_CENTRAL_ORIGIN_SECRET_BYTES])
{
    char path[WL_PATHS_MAX + 64];
    if (o->origin_key) snprintf(path, sizeof path, "%s", o->origin_key);
    else if (getenv("WL_ORIGIN_KEY") && *getenv("WL_ORIGIN_KEY")) snprintf(path, sizeof path, "%s", getenv("WL_ORIGIN_KEY"));
    else snprintf(path, sizeof path, "%s/keys/server-origin.key", o->statedir);
    if (create) {
        char dir[sizeof path];
        snprintf(dir, sizeof dir, "%s", path);
        char *slash = strrchr(dir, '/');
        if (slash && slash != dir) {
            *slash = 0;
            if (mkdir(dir, 0700) != 0 && errno != EEXIST)
                fprintf(stderr, "wijkloket-server: cannot make %s: %s\n", dir, strerror(errno));
        }
    }
    wl_err_t err;
    if (wl_central_origin_key(path, create, sk, &err)) {
        fprintf(stderr, "wijkloket-server: the origin key: %s\n", err.msg);
        return false;
    }
    return true;
}

static bool is_loopback(const char *addr)
{
    return strncmp(addr, "127.", 4) == 0 || strcmp(addr, "::1") == 0;
}

/* The citizen portal over the server's pool, or NULL with a message when it cannot start. */
static wl_portal_t *portal_new(const opts_t *o, wl_central_pool_t *pool)
{
    wl_portal_config_t cfg;
    wl_portal_config_defaults(&cfg);
    cfg.assets_dir = o->assets;
    cfg.locale_dir = o->locale;
    cfg.web_dir = o->web;
    if (o->languages) cfg.languages = o->languages;
    if (o->portal_location) cfg.location = o->portal_location;
    cfg.session_seconds = o->session_minutes * 60;
    cfg.draft_days = o->draft_days;
    cfg.rate_per_minute = o->portal_rate;
    cfg.hold_seconds = o->hold; /* a citizen on the portal gets the same hold as one at a kiosk */
    cfg.secure_cookies = o->behind_proxy;
    wl_err_t err;
    /* Default: portal-install.key beside the public key (made on the first start). */
    char ik[4096];
    const char *slash = strrchr(o->public_key, '/');
    if (o->install_key) snprintf(ik, sizeof ik, "%s", o->install_key);
    else snprintf(ik, sizeof ik, "%.*sportal-install.key", slash ? (int)(slash - o->public_key + 1) : 0, o->public_key);
    if (wl_portal_backend_central(pool, o->public_key, ik, &cfg.backend, &err)) {
        fprintf(stderr, "wijkloket-server: the citizen portal cannot seal: %s\n", err.msg);
        return NULL;
    }
    wl_portal_t *p = NULL;
    if (wl_portal_new(&cfg, &p, &err)) {
        fprintf(stderr, "wijkloket-server: the citizen portal cannot start: %s\n", err.msg);
        cfg.backend.close(cfg.backend.ctx);
        return NULL;
    }
    return p;
}

static int cmd_serve(const opts_t *o)
{
    if (!is_loopback(o->listen)) {
        fprintf(stderr,
                "wijkloket-server: refusing plain HTTP on %s: listen on loopback and put a TLS reverse proxy in "
                "front (docs/deployment.md)\n",
                o->listen);
        return 2;
    }
    wl_err_t err;
    wl_central_t *c;
    if (wl_central_open(o->db, true, &c, &err)) {
        fprintf(stderr, "wijkloket-server: %s\n", err.msg);
        return 1;
    }
    printf("wijkloket-server: database schema version %d\n", wl_central_schema_version(c));
    wl_central_close(c);
    wl_catalog_t *cat;
    if (wl_catalog_load(o->assets, &cat, &err)) {
        fprintf(stderr, "wijkloket-server: %s\n", err.msg);
        return 1;
    }
    unsigned char origin[WL_CENTRAL_ORIGIN_SECRET_BYTES];
    if (!load_origin_key(o, true, origin)) {
        wl_catalog_free(cat);
        return 1;
    }
    wl_central_pool_t *pool;
    /* One connection for each HTTP thread (the portal) and each database worker (the kiosk
     * API, serve.c), so neither waits for a free one. */
    if (wl_central_pool_new(o->db, 2 * o->threads, &pool, &err)) {
        fprintf(stderr, "wijkloket-server: %s\n", err.msg);
        sodium_memzero(origin, sizeof origin);
        wl_catalog_free(cat);
        return 1;
    }
    /* Every record stored and every kiosk believed is signed with it (docs/security.md §1). */
    wl_central_pool_set_origin_key(pool, origin);
    sodium_memzero(origin, sizeof origin);
    wl_portal_t *portal = NULL;
    if (o->public_key) {
        if (!(portal = portal_new(o, pool))) {
            wl_central_pool_free(pool);
            wl_catalog_free(cat);
            return 1;
        }
        printf("wijkloket-server: the citizen portal is at / (intakes sealed to %s)\n", o->public_key);
    } else {
        printf("wijkloket-server: no --public-key, so the citizen portal is off; only /api/ and /health answer\n");
    }
    wl_api_t api = {pool, cat, wl_ratelimit_new(o->rate, o->burst), (size_t)o->max_body, 300, o->hold, portal,
                    wl_kiosk_cache_new()};
    wl_serve_t s = {&api, o->listen, o->port, o->max_conn, &o->trusted, o->threads};
    int rc = wl_serve_run(&s);
    /* After the listener stopped: no request is using the portal any more. */
    wl_portal_free(portal);
    wl_ratelimit_free(api.limits);
    wl_kiosk_cache_free(api.kiosks);
    wl_central_pool_free(pool);
    wl_catalog_free(cat);
    return rc;
}

/* Writes the kiosk's secret key file: created new (never overwritten), mode 0600. */
static int write_key(const char *path, const char *id, const char *location, const unsigned char *sk)
{
    char hex[2 * crypto_sign_SECRETKEYBYTES + 1];
    sodium_bin2hex(hex, sizeof hex, sk, crypto_sign_SECRETKEYBYTES);
    char buf[512];
    int n = snprintf(buf, sizeof buf,
                     "# Wijkloket kiosk key: signs this kiosk's requests to wijkloket-server. Keep it secret;\n"
                     "# point kiosk.conf's server_key at it. Made by `wijkloket-server kiosk-add`.\n"
                     "kiosk = %s\nlocation = %s\nsecret = %s\n",
                     id, location, hex);
    sodium_memzero(hex, sizeof hex);
    wl_err_t err = { "" };
    wl_rc rc = WL_ERR_INVALID;
    if (n > 0 && (size_t)n < sizeof buf) rc = wl_file_create(path, buf, 0600, &err);
    else snprintf(err.msg, sizeof err.msg, "the kiosk id or location is too long for %s", path);
    sodium_memzero(buf, sizeof buf);
    if (rc != WL_OK) {
        fprintf(stderr, "wijkloket-server: %s%s\n", err.msg, rc == WL_ERR_CONFLICT ? " (a key file is never overwritten)" : "");
        return 1;
    }
    return 0;
}

static int cmd_kiosk_add(const opts_t *o, wl_central_t *c)
{
    if (!o->id || !o->location || !o->out) {
        fprintf(stderr, "wijkloket-server: kiosk-add needs --id, --location and --out\n");
        return 2;
    }
    wl_catalog_t *cat;
    wl_err_t err;
    if (wl_catalog_load(o->assets, &cat, &err)) {
        fprintf(stderr, "wijkloket-server: %s\n", err.msg);
        return 1;
    }
    bool known = wl_catalog_location(cat, o->location) != NULL;
    wl_catalog_free(cat);
    if (!known) {
        fprintf(stderr, "wijkloket-server: unknown location '%s' (see %s/locations.json)\n", o->location, o->assets);
        return 2;
    }
    unsigned char pk[crypto_sign_PUBLICKEYBYTES], sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    if (access(o->out, F_OK) == 0) {
        fprintf(stderr, "wijkloket-server: %s exists; a key file is never overwritten\n", o->out);
        return 1;
    }
    if (wl_central_kiosk_add(c, o->id, o->location, pk, (int64_t)time(NULL), &err)) {
        sodium_memzero(sk, sizeof sk);
        fprintf(stderr, "wijkloket-server: %s\n", err.msg);
        return 1;
    }
    int rc = write_key(o->out, o->id, o->location, sk);
    sodium_memzero(sk, sizeof sk);
    if (rc) {
        wl_central_kiosk_set_enabled(c, o->id, false, &err);
        fprintf(stderr, "wijkloket-server: kiosk '%s' was registered but disabled because its key was not written\n",
                o->id);
        return 1;
    }
    printf("kiosk %s at %s registered; its key is in %s (copy it to the kiosk, then delete it here)\n", o->id,
           o->location, o->out);
    return 0;
}

static void print_json(json_t *j)
{
    char *t = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    if (t) puts(t);
    free(t);
    json_decref(j);
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (sodium_init() < 0) {
        fprintf(stderr, "wijkloket-server: libsodium could not start\n");
        return 1;
    }
    /* Assets as every program finds them (checkout, $WL_ROOT, or the installed prefix). */
    static wl_paths_t paths;
    wl_err_t perr;
    if (wl_paths_find(&paths, &perr) != WL_OK) {
        fprintf(stderr, "wijkloket-server: %s\n", perr.msg);
        return 1;
    }
    const char *assets = paths.assets;
    /* The portal's stylesheets sit beside the sources in a checkout (server/portal/web). */
    static char web[WL_PATHS_MAX + 32];
    snprintf(web, sizeof web, "%s/server/portal/web", paths.workdir);
    opts_t o = {.db = getenv("WL_DB"), .listen = "127.0.0.1", .assets = assets, .port = 8080, .threads = 8,
                .rate = 600, .burst = 120, .hold = 300, .max_conn = 256, .max_body = 256 * 1024,
                .locale = paths.locale, .web = web, .session_minutes = 20, .draft_days = 28, .portal_rate = 300,
                .statedir = paths.statedir};
    const char *cmd = argv[1];
    int prc = parse(argc, argv, &o);
    if (prc) return prc;
    if (strcmp(cmd, "serve") == 0) return cmd_serve(&o);
    bool known = strcmp(cmd, "migrate") == 0 || strcmp(cmd, "kiosk-add") == 0 || strcmp(cmd, "kiosk-disable") == 0 ||
                 strcmp(cmd, "kiosk-enable") == 0 || strcmp(cmd, "kiosk-confirm") == 0 || strcmp(cmd, "kiosks") == 0 ||
                 strcmp(cmd, "events") == 0;
    if (!known) {
        fprintf(stderr, "wijkloket-server: unknown command '%s'\n", cmd);
        usage(stderr);
        return 2;
    }
    wl_err_t err;
    wl_central_t *c;
    if (wl_central_open(o.db, true, &c, &err)) {
        fprintf(stderr, "wijkloket-server: %s\n", err.msg);
        return 1;
    }
    int rc = 0;
    json_t *j = NULL;
    /* The kiosk commands sign the registration they write with the origin key. */
    if (strncmp(cmd, "kiosk-", 6) == 0) {
        unsigned char origin[WL_CENTRAL_ORIGIN_SECRET_BYTES];
        if (!load_origin_key(&o, strcmp(cmd, "kiosk-add") == 0, origin)) {
            wl_central_close(c);
            return 1;
        }
        wl_central_set_origin_key(c, origin);
        sodium_memzero(origin, sizeof origin);
    }
    if (strcmp(cmd, "migrate") == 0) {
        printf("schema version %d (newest known %d)\n", wl_central_schema_version(c), wl_central_latest_version());
    } else if (strcmp(cmd, "kiosk-add") == 0) {
        rc = cmd_kiosk_add(&o, c);
    } else if (strcmp(cmd, "kiosk-disable") == 0 || strcmp(cmd, "kiosk-enable") == 0) {
        if (!o.id) {
            fprintf(stderr, "wijkloket-server: %s needs --id\n", cmd);
            rc = 2;
        } else if (wl_central_kiosk_set_enabled(c, o.id, strcmp(cmd, "kiosk-enable") == 0, &err)) {
            fprintf(stderr, "wijkloket-server: %s\n", err.msg);
            rc = 1;
        } else {
            printf("kiosk %s %s\n", o.id, strcmp(cmd, "kiosk-enable") == 0 ? "enabled" : "disabled");
        }
    } else if (strcmp(cmd, "kiosk-confirm") == 0) {
        unsigned char pk[crypto_sign_PUBLICKEYBYTES];
        char hex[2 * crypto_sign_PUBLICKEYBYTES + 1];
        if (!o.id) {
            fprintf(stderr, "wijkloket-server: kiosk-confirm needs --id\n");
            rc = 2;
        } else if (wl_central_kiosk_confirm(c, o.id, pk, &err)) {
            rc = 1;
        } else {
            sodium_bin2hex(hex, sizeof hex, pk, sizeof pk);
            printf("kiosk %s confirmed with public key %s (compare it with the public half of that kiosk's key "
                   "file; if it differs, disable the kiosk)\n",
                   o.id, hex);
        }
    } else if (strcmp(cmd, "kiosks") == 0) {
        if (wl_central_kiosk_list(c, &j, &err)) rc = 1;
        else print_json(j);
    } else if (o.ack) {
        if (!o.by) {
            fprintf(stderr, "wijkloket-server: events --ack needs --by NAME\n");
            rc = 2;
        } else if (wl_central_event_ack(c, o.ack, o.by, (int64_t)time(NULL), &err)) rc = 1;
        else printf("event %d acknowledged\n", o.ack);
    } else {
        if (wl_central_events(c, !o.all, &j, &err)) rc = 1;
        else print_json(j);
    }
    if (rc == 1 && err.msg[0]) fprintf(stderr, "wijkloket-server: %s\n", err.msg);
    wl_central_close(c);
    return rc;
}
