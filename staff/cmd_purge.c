/* `purge`: applies assets/retention.json now (the kiosk also runs it daily). */
#include "cmd_privacy.h"
#include "wijkloket/retention.h"

#include <getopt.h>

static const char *USAGE = "purge [--dry-run] [--scheduled]";

static int cmd_purge(int argc, char **argv, const struct wl_cli *cli)
{
    bool dry = false, scheduled = false;
    static const struct option opts[] = {
        {"dry-run", no_argument, NULL, 'n'}, {"scheduled", no_argument, NULL, 's'}, {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'n') dry = true;
        else if (c == 's') scheduled = true;
        else return wl_cli_usage(USAGE);
    }
    if (optind != argc) return wl_cli_usage(USAGE);
    wl_store_t *st;
    wl_user_t u = {0};
    int ex;
    if (scheduled) {
        /* The daily timer (wijkloket-purge.service): no person signs in, as the kiosk's own
         * daily purge does not; it can only apply the policy, and the audit trail names it.
         * Whoever can run this can already write the database file itself. */
        wl_rc orc = wl_cli_open_store(cli, &st);
        if (orc != WL_OK) return wl_cli_exit_for(orc);
        snprintf(u.name, sizeof u.name, "timer");
        ex = WL_EXIT_OK;
    } else {
        ex = wl_priv_login(cli, WL_ROLE_ADMIN, &st, &u);
        if (ex != WL_EXIT_OK) return ex;
    }
    wl_retention_report_t rep;
    wl_err_t err = {{0}};
    wl_rc rc = wl_retention_purge(st, cli->assets_dir, cli->now, u.name, dry, &rep, &err);
    if (rc != WL_OK) {
        ex = wl_cli_fail(rc, &err);
    } else {
        printf("%s: %lld deleted, %lld anonymised, %lld held for an appointment still ahead, %lld kept.\n",
               dry ? "Dry run, nothing changed" : "Purged", (long long)rep.deleted, (long long)rep.anonymised,
               (long long)rep.held_for_appointment, (long long)rep.kept);
        if (!dry) printf("Appointments deleted (with their intake or past their retention): %lld.\n",
                         (long long)rep.appointments);
    }
    wl_store_close(st);
    return ex;
}

WL_CLI_COMMAND(purge, cmd_purge, "delete or anonymise intakes past their retention (assets/retention.json)",
               "purge [--dry-run] [--scheduled]   (--scheduled: the daily timer, no sign-in)")

static const char *FORGET_USAGE = "forget REF   (erase one intake now, on the citizen's request)";

static int cmd_forget(int argc, char **argv, const struct wl_cli *cli)
{
    if (argc != 2 || argv[1][0] == '-') return wl_cli_usage(FORGET_USAGE);
    wl_store_t *st;
    wl_user_t u;
    int ex = wl_priv_login(cli, WL_ROLE_ADMIN, &st, &u);
    if (ex != WL_EXIT_OK) return ex;
    wl_err_t err = {{0}};
    wl_rc rc = wl_retention_forget(st, argv[1], u.name, cli->now, &err);
    if (rc == WL_OK) printf("Intake %s erased; only the anonymous counts remain.\n", argv[1]);
    else ex = wl_cli_fail(rc, &err);
    wl_store_close(st);
    return ex;
}

WL_CLI_COMMAND(forget, cmd_forget, "erase one intake now on the citizen's request (admin, audited)", "forget REF")
