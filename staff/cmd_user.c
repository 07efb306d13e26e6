/* `user add|list|disable|enable|reset-pin`: manage volunteers, staff and admins and their PINs. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "wijkloket/audit.h"
#include "wijkloket/appointments.h"
#include "wijkloket/auth.h"
#include "cmd_privacy.h"

static const char *USAGE =
    "user add NAME --role volunteer|staff|admin [--location L ...] | user list | user disable NAME |\n"
    "       user enable NAME | user reset-pin NAME | user locations NAME [--location L ...]\n"
    "       (PIN from $WL_NEW_PIN or asked twice; a kiosk lists only the volunteers of its location)";

/* Asks for a new PIN twice (or takes $WL_NEW_PIN) so a typo never locks someone out. */
static bool read_new_pin(char *pin, size_t size)
{
    char again[64];
    if (getenv("WL_NEW_PIN")) return wl_cli_read_secret("", "WL_NEW_PIN", pin, size);
    if (!wl_cli_read_secret("New PIN (4-12 digits): ", NULL, pin, size)) return false;
    if (!wl_cli_read_secret("Same PIN again: ", NULL, again, sizeof again)) return false;
    bool same = strcmp(pin, again) == 0;
    sodium_memzero(again, sizeof again);
    if (!same) fprintf(stderr, "wijkloket-staff: the two PINs differ; nothing changed\n");
    return same;
}

/* Once an active admin exists, changing users needs an admin's --user and PIN (the first
 * admin of a new database can only be made without one). On success *st is open again,
 * signed in; on failure it is closed and the exit code says why. */
static int require_admin(const struct wl_cli *cli, wl_store_t **st)
{
    wl_user_t *users = NULL;
    size_t n = 0;
    wl_err_t err = {{0}};
    wl_rc rc = wl_auth_list(*st, &users, &n, &err);
    if (rc != WL_OK) {
        wl_store_close(*st);
        *st = NULL;
        return wl_cli_fail(rc, &err);
    }
    bool have_admin = false;
    for (size_t i = 0; i < n; i++)
        if (users[i].role == WL_ROLE_ADMIN && !users[i].disabled) have_admin = true;
    free(users);
    if (!have_admin) return WL_EXIT_OK;
    wl_store_close(*st);
    *st = NULL;
    if (!cli->as_user) {
        fprintf(stderr, "wijkloket-staff: changing users needs an admin: give --user NAME before the "
                        "command and that admin's PIN\n");
        return WL_EXIT_AUTH;
    }
    wl_user_t admin;
    return wl_priv_login(cli, WL_ROLE_ADMIN, st, &admin);
}

static int list_users(wl_store_t *st)
{
    wl_user_t *users = NULL;
    size_t n = 0;
    wl_err_t err = {{0}};
    wl_rc rc = wl_auth_list(st, &users, &n, &err);
    if (rc != WL_OK) return wl_cli_fail(rc, &err);
    printf("%-24s %-10s %-9s %-17s %s\n", "NAME", "ROLE", "STATE", "LOCKED UNTIL", "LOCATIONS");
    for (size_t i = 0; i < n; i++) {
        char until[32] = "-";
        if (users[i].locked_until > 0) {
            time_t t = (time_t)users[i].locked_until;
            struct tm tm;
            strftime(until, sizeof until, "%Y-%m-%d %H:%M", localtime_r(&t, &tm));
        }
        printf("%-24s %-10s %-9s %-17s %s\n", users[i].name, wl_role_name(users[i].role),
               users[i].disabled ? "disabled" : "active", until, users[i].locations[0] ? users[i].locations : "-");
    }
    free(users);
    return WL_EXIT_OK;
}

static int cmd_user(int argc, char **argv, const struct wl_cli *cli)
{
    if (argc < 2) return wl_cli_usage(USAGE);
    const char *action = argv[1];
    const char *role_name = NULL;
    const char *locations[WL_AUTH_MAX_LOCATIONS];
    size_t n_locations = 0;
    bool too_many = false;
    static const struct option opts[] = {{"role", required_argument, NULL, 'r'},
                                         {"location", required_argument, NULL, 'l'}, {NULL, 0, NULL, 0}};
    int c;
    /* Parse the action's own arguments as if "add" were the program name; optind = 0
     * makes glibc's getopt start afresh (it keeps state between calls otherwise). */
    argc -= 1;
    argv += 1;
    optind = 0;
    while ((c = getopt_long(argc, argv, "r:l:", opts, NULL)) != -1) {
        if (c == 'r') role_name = optarg;
        else if (c == 'l' && n_locations < WL_AUTH_MAX_LOCATIONS) locations[n_locations++] = optarg;
        else if (c == 'l') too_many = true;
        else return wl_cli_usage(USAGE);
    }
    if (too_many) {
        fprintf(stderr, "wijkloket-staff: at most %d --location per user\n", WL_AUTH_MAX_LOCATIONS);
        return WL_EXIT_USAGE;
    }
    if (n_locations && strcmp(action, "add") && strcmp(action, "locations")) return wl_cli_usage(USAGE);
    /* A location must be one the kiosks know (assets/locations.json), so a typo does not hide
     * a volunteer from every kiosk. */
    if (n_locations) {
        wl_catalog_t *cat = NULL;
        wl_err_t cerr = {{0}};
        if (wl_catalog_load(cli->assets_dir, &cat, &cerr) != WL_OK) return wl_cli_fail(WL_ERR_INVALID, &cerr);
        for (size_t i = 0; i < n_locations; i++)
            if (!wl_catalog_location(cat, locations[i])) {
                fprintf(stderr, "wijkloket-staff: unknown location '%s' (see assets/locations.json)\n", locations[i]);
                wl_catalog_free(cat);
                return WL_EXIT_USAGE;
            }
        wl_catalog_free(cat);
    }
    const char *name = optind < argc ? argv[optind] : NULL;
    bool wants_name = strcmp(action, "list") != 0;
    if ((wants_name && (!name || optind != argc - 1)) || (!wants_name && optind != argc))
        return wl_cli_usage(USAGE);

    wl_store_t *st = NULL;
    wl_rc rc = wl_cli_open_store(cli, &st);
    if (rc != WL_OK) return wl_cli_exit_for(rc);
    if (wants_name) {
        int ex = require_admin(cli, &st);
        if (ex != WL_EXIT_OK) return ex;
    }

    int exit_code = WL_EXIT_OK;
    wl_err_t err = {{0}};
    char pin[64] = "";
    if (strcmp(action, "list") == 0) {
        exit_code = list_users(st);
    } else if (strcmp(action, "add") == 0) {
        wl_role_t role;
        if (!role_name || !wl_role_parse(role_name, &role)) {
            fprintf(stderr, "wijkloket-staff: user add needs --role volunteer, staff or admin\n");
            exit_code = WL_EXIT_USAGE;
        } else if (!read_new_pin(pin, sizeof pin)) {
            exit_code = WL_EXIT_USAGE;
        } else if ((rc = wl_auth_add(st, name, role, pin, &err)) != WL_OK ||
                   (n_locations && (rc = wl_auth_set_locations(st, name, locations, n_locations, &err)) != WL_OK)) {
            exit_code = wl_cli_fail(rc, &err);
        } else {
            printf("User '%s' added as %s.\n", name, wl_role_name(role));
            if (role == WL_ROLE_VOLUNTEER && !n_locations)
                fprintf(stderr, "wijkloket-staff: note: no --location given; no kiosk lists '%s' until "
                                "`user locations '%s' --location L` is run\n", name, name);
        }
    } else if (strcmp(action, "locations") == 0) {
        if ((rc = wl_auth_set_locations(st, name, locations, n_locations, &err)) != WL_OK) exit_code = wl_cli_fail(rc, &err);
        else if (n_locations) printf("User '%s' now helps at %zu location(s).\n", name, n_locations);
        else printf("User '%s' has no location now; no kiosk lists this user.\n", name);
    } else if (strcmp(action, "reset-pin") == 0) {
        if (!read_new_pin(pin, sizeof pin)) exit_code = WL_EXIT_USAGE;
        else if ((rc = wl_auth_reset_pin(st, name, pin, &err)) != WL_OK) exit_code = wl_cli_fail(rc, &err);
        else printf("New PIN set for '%s'; the lock is lifted.\n", name);
    } else if (strcmp(action, "disable") == 0 || strcmp(action, "enable") == 0) {
        bool disable = action[0] == 'd';
        if ((rc = wl_auth_set_disabled(st, name, disable, &err)) != WL_OK) exit_code = wl_cli_fail(rc, &err);
        else printf("User '%s' %s.\n", name, disable ? "disabled" : "enabled");
    } else {
        exit_code = wl_cli_usage(USAGE);
    }
    /* The database's own triggers log every user change; this entry adds who did it. */
    if (exit_code == WL_EXIT_OK && strcmp(action, "list") != 0) {
        char actor[96], detail[128];
        const char *os_user = getenv("SUDO_USER") ? getenv("SUDO_USER") : getenv("USER");
        if (cli->as_user) snprintf(actor, sizeof actor, "%s", cli->as_user);
        else snprintf(actor, sizeof actor, "os:%s", os_user ? os_user : "unknown");
        size_t dl = (size_t)snprintf(detail, sizeof detail, "user=%s", name);
        for (size_t i = 0; i < n_locations && dl < sizeof detail; i++)
            dl += (size_t)snprintf(detail + dl, sizeof detail - dl, "%s%s", i ? "," : " locations=", locations[i]);
        char act[32];
        snprintf(act, sizeof act, "user.%s", action);
        wl_err_t aerr = {{0}};
        if (wl_audit_append(st, actor, act, NULL, detail, cli->now, &aerr) != WL_OK)
            exit_code = wl_cli_fail(WL_ERR_IO, &aerr);
    }
    sodium_memzero(pin, sizeof pin);
    wl_store_close(st);
    return exit_code;
}

WL_CLI_COMMAND(user, cmd_user, "add, list, disable, enable users, reset a PIN or set locations", "user add|list|disable|enable|reset-pin|locations ...")
