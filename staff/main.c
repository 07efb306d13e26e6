/* wijkloket-staff entry point: global options, then dispatch to a self-registered command. */
#include "wijkloket/central.h"
#include "wijkloket/harden.h"
#include "cli.h"
#include "staff_central.h"

#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wijkloket/paths.h"
#include "wijkloket/questionnaire.h"

static struct wl_command *commands;

void wl_cli_register(struct wl_command *cmd)
{
    /* Keep the list sorted by name so --help is stable whatever the link order. */
    struct wl_command **p = &commands;
    while (*p && strcmp((*p)->name, cmd->name) < 0) p = &(*p)->next;
    cmd->next = *p;
    *p = cmd;
}

int wl_cli_exit_for(wl_rc rc)
{
    switch (rc) {
    case WL_OK: return WL_EXIT_OK;
    case WL_ERR_PARSE:
    case WL_ERR_INVALID:
    case WL_ERR_STATE: return WL_EXIT_DATA;
    case WL_ERR_IO:
    case WL_ERR_DB:
    case WL_ERR_NOMEM: return WL_EXIT_IO;
    case WL_ERR_AUTH:
    case WL_ERR_LOCKED: return WL_EXIT_AUTH;
    case WL_ERR_NOTFOUND: return WL_EXIT_NOTFOUND;
    case WL_ERR_CONFLICT: return WL_EXIT_CONFLICT;
    }
    return WL_EXIT_FAIL;
}

int wl_cli_fail(wl_rc rc, const wl_err_t *err)
{
    fprintf(stderr, "wijkloket-staff: %s\n", err && err->msg[0] ? err->msg : wl_rc_name(rc));
    return wl_cli_exit_for(rc);
}

int wl_cli_usage(const char *usage)
{
    fprintf(stderr, "usage: wijkloket-staff [options] %s\n", usage);
    return WL_EXIT_USAGE;
}

/* True when this user may write the database file (when it exists) and its folder. */
static bool writable(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir) dir[1] = 0;
    else if (slash) *slash = 0;
    else snprintf(dir, sizeof dir, ".");
    return (access(path, W_OK) == 0 || errno == ENOENT) && access(dir, W_OK) == 0;
}

wl_rc wl_cli_open_store(const struct wl_cli *cli, wl_store_t **out)
{
    wl_err_t err = {{0}};
    wl_rc rc = wl_store_open(cli->db_path, out, &err);
    /* A database this user may only read (a 0444 file, a read-only folder or mount) is opened
     * for reading: commands that only read work, every change is refused as read-only. */
    if (rc == WL_ERR_IO && !writable(cli->db_path)) {
        wl_err_t rerr = {{0}};
        if (wl_store_open_read(cli->db_path, out, &rerr) == WL_OK) return WL_OK;
    }
    if (rc == WL_OK && wl_staff_is_central(cli->db_path)) {
        /* A central database keeps its install key (audit chain, sealed reasons) in a file
         * every writer shares; this machine's audit head lies beside it. */
        char key[4096];
        if (cli->install_key) snprintf(key, sizeof key, "%s", cli->install_key);
        else snprintf(key, sizeof key, "%s/keys/central-install.key", cli->state_dir);
        rc = wl_store_use_install_key(*out, key, true, &err);
        /* The server's origin public key pinned here: casework opens only the parts the server
         * signed (docs/security.md §1). Missing: each record says so, nothing is opened. */
        unsigned char pk[WL_CENTRAL_ORIGIN_PUBLIC_BYTES];
        wl_err_t kerr;
        const char *env = getenv("WL_SERVER_KEY");
        if (env && *env) snprintf(key, sizeof key, "%s", env);
        else snprintf(key, sizeof key, "%s/keys/server-origin.pub", cli->state_dir);
        if (rc == WL_OK && wl_central_origin_public(key, pk, &kerr) == WL_OK) wl_store_set_origin_public(*out, pk);
        if (rc != WL_OK) {
            wl_store_close(*out);
            *out = NULL;
        }
    }
    if (rc != WL_OK) wl_cli_fail(rc, &err);
    return rc;
}

const char *wl_cli_asset(const struct wl_cli *cli, const char *rel, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", cli->assets_dir, rel);
    return buf;
}

void wl_cli_print_json(const void *json_value)
{
    json_dumpf((const json_t *)json_value, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
}

static void print_help(FILE *out)
{
    fprintf(out,
            "usage: wijkloket-staff [options] COMMAND [ARGS]\n\n"
            "Options (before the command):\n"
            "  --db FILE        database (default: <state>/wijkloket.db), or a postgresql:// URL:\n"
            "                   list, show, pull, kiosks, events read what the server holds (list and\n"
            "                   pull take --location, --kiosk, --channel kiosk|portal; list, show and\n"
            "                   pull need --user and PIN, are audited, and pull marks records pulled);\n"
            "                   show and pull open only records the server signed, checked with its\n"
            "                   public key: --server-key FILE, $WL_SERVER_KEY or\n"
            "                   <state>/keys/server-origin.pub (--unproven: also unsigned old ones)\n"
            "                   every other command works on the central store as on a file\n"
            "  --central-key FILE  install key of a central database (audit chain, sealed reasons;\n"
            "                   default <state>/keys/central-install.key, made when missing;\n"
            "                   every staff PC and the server share one)\n"
            "  --assets DIR     asset folder (default: <data>/assets)\n"
            "  --today DATE     treat DATE (YYYY-MM-DD) as today\n"
#ifdef WL_STAFF_TEST_CLOCK
            "  --now SECONDS    treat this unix time as now (test build only)\n"
#endif
            "  --user NAME      who is acting (recorded in the audit trail)\n"
            "  -h, --help       this help\n"
            "  -V, --version    version\n\n"
            "Commands:\n");
    for (struct wl_command *c = commands; c; c = c->next)
        fprintf(out, "  %-14s %s\n                 %s\n", c->name, c->summary, c->usage);
    fprintf(out,
            "\nExit codes: 0 ok, 1 problems found, 2 usage, 3 bad input or asset data,\n"
            "4 file or database error, 5 wrong PIN/passphrase or locked, 6 not found,\n"
            "7 conflict (already exists or just taken).\n\n"
            "Folders: with $WL_ROOT set, <data> is $WL_ROOT and <state> is $WL_ROOT/var (a checkout).\n"
            "Installed, <data> is <prefix>/share/wijkloket and <state> /var/lib/wijkloket (or\n"
            "<prefix>/var/lib/wijkloket), found from where the binary lies. Run from a build tree,\n"
            "both are in the checkout it was built from (<checkout> and <checkout>/var).\n"
            "Staff keys: --keys DIR, else $WL_KEYS, else <state>/keys.\n");
}

int main(int argc, char **argv)
{
    /* Before anything else: no core dumps, and freed memory is wiped (citizens' data). */
    wl_err_t harden_err = {{0}};
    if (wl_harden_process(&harden_err) != WL_OK) {
        fprintf(stderr, "wijkloket-staff: %s\n", harden_err.msg);
        return 1;
    }
    static char db_buf[4096], today_buf[11];
    static wl_paths_t paths;
    struct wl_cli cli = {0};
    cli.now = (int64_t)time(NULL);

    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},   {"assets", required_argument, NULL, 'a'},
        {"today", required_argument, NULL, 't'},
#ifdef WL_STAFF_TEST_CLOCK
        {"now", required_argument, NULL, 'n'},
#endif
        {"user", required_argument, NULL, 'u'}, {"help", no_argument, NULL, 'h'},
        {"central-key", required_argument, NULL, 'k'},
        {"version", no_argument, NULL, 'V'},    {NULL, 0, NULL, 0}};
    int c;
    /* "+" stops at the first non-option: everything after the command name is its own. */
    while ((c = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
        switch (c) {
        case 'd': cli.db_path = optarg; break;
        case 'a': cli.assets_dir = optarg; break;
        case 't': {
            int y, m, d;
            if (!wl_date_parse(optarg, &y, &m, &d)) {
                fprintf(stderr, "wijkloket-staff: --today '%s' is not a date (YYYY-MM-DD)\n", optarg);
                return WL_EXIT_USAGE;
            }
            cli.today = optarg;
            break;
        }
#ifdef WL_STAFF_TEST_CLOCK
        /* Only the test build (tests/staff_test_clock.cmake) has a clock of its own choosing: in
         * the real tool it would let a PIN lockout be skipped and audit entries back-dated. */
        case 'n': {
            char *end;
            long long v = strtoll(optarg, &end, 10);
            if (*end || v < 0) {
                fprintf(stderr, "wijkloket-staff: --now wants unix seconds, not '%s'\n", optarg);
                return WL_EXIT_USAGE;
            }
            cli.now = v;
            break;
        }
#endif
        case 'u': cli.as_user = optarg; break;
        case 'k': cli.install_key = optarg; break;
        case 'h': print_help(stdout); return WL_EXIT_OK;
        case 'V': printf("wijkloket-staff %s\n", WL_VERSION); return WL_EXIT_OK;
        default: print_help(stderr); return WL_EXIT_USAGE;
        }
    }
    wl_err_t perr = {{0}};
    if (wl_paths_find(&paths, &perr) != WL_OK) {
        /* Everything still works when the caller names the files; say so only when needed. */
        if (!cli.db_path || !cli.assets_dir) {
            fprintf(stderr, "wijkloket-staff: %s (set WL_ROOT, or give --db and --assets)\n", perr.msg);
            return WL_EXIT_IO;
        }
    }
    /* Not found: named files still work; translations sit beside the assets, keys in ./var. */
    if (!paths.locale[0] && cli.assets_dir) snprintf(paths.locale, sizeof paths.locale, "%s/../locale", cli.assets_dir);
    if (!paths.statedir[0]) snprintf(paths.statedir, sizeof paths.statedir, "var");
    cli.locale_dir = paths.locale;
    cli.state_dir = paths.statedir;
    if (!cli.db_path) {
        snprintf(db_buf, sizeof db_buf, "%s/wijkloket.db", paths.statedir);
        cli.db_path = db_buf;
    }
    if (!cli.assets_dir) cli.assets_dir = paths.assets;
    if (!cli.today) {
        wl_date_today(cli.now, today_buf);
        cli.today = today_buf;
    }
    if (optind >= argc) {
        print_help(stderr);
        return WL_EXIT_USAGE;
    }
    const char *name = argv[optind];
    /* The deliveries' own commands; everything else goes through the one store API below. */
    if (wl_staff_is_central(cli.db_path) && wl_staff_central_command(name))
        return wl_staff_central_main(argc - optind, argv + optind, &cli);
    for (struct wl_command *cmd = commands; cmd; cmd = cmd->next) {
        if (strcmp(cmd->name, name) == 0) {
            /* The command sees argv[0] = its own name, like a program of its own;
             * optind = 0 makes getopt start afresh for the command's own options. */
            int sub_argc = argc - optind;
            char **sub_argv = argv + optind;
            optind = 0;
            return cmd->run(sub_argc, sub_argv, &cli);
        }
    }
    fprintf(stderr, "wijkloket-staff: unknown command '%s' (see --help)\n", name);
    return WL_EXIT_USAGE;
}
