/* `audit verify|list`: checks the audit trail's hash chain and shows who did what. */
#include "cmd_privacy.h"
#include "wijkloket/audit.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char *USAGE = "audit verify | audit list [--ref REF] [--limit N] [--json]";

static int cmd_audit(int argc, char **argv, const struct wl_cli *cli)
{
    if (argc < 2) return wl_cli_usage(USAGE);
    const char *action = argv[1], *ref = NULL;
    long long limit = 50;
    bool json = false;
    static const struct option opts[] = {{"ref", required_argument, NULL, 'r'},
                                         {"limit", required_argument, NULL, 'n'},
                                         {"json", no_argument, NULL, 'j'},
                                         {NULL, 0, NULL, 0}};
    int c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end;
        if (c == 'r') ref = optarg;
        else if (c == 'j') json = true;
        else if (c == 'n' && (limit = strtoll(optarg, &end, 10)) >= 0 && !*end) continue;
        else return wl_cli_usage(USAGE);
    }
    bool verify = strcmp(action, "verify") == 0;
    if (optind != argc || (!verify && strcmp(action, "list") != 0) || (verify && (ref || json)))
        return wl_cli_usage(USAGE);
    wl_store_t *st;
    wl_user_t u;
    /* Verifying reveals nothing about citizens; reading the trail is for admins. */
    int ex = wl_priv_login(cli, verify ? WL_ROLE_STAFF : WL_ROLE_ADMIN, &st, &u);
    if (ex != WL_EXIT_OK) return ex;
    wl_err_t err = {{0}};
    if (verify) {
        wl_audit_report_t rep;
        wl_rc rc = wl_audit_verify(st, &rep, &err);
        if (rc == WL_OK) {
            printf("Audit trail intact: %lld entries", (long long)rep.entries);
            printf(".\nHead hash: %s\n", rep.head[0] ? rep.head : "(empty trail)");
            printf("Write the head hash down elsewhere now and then: a later verify that does not reach it\n"
                   "means the trail was rewritten as a whole (by someone who also held the install key).\n");
        } else if (rc == WL_ERR_INVALID) {
            if (rep.first_bad > 0) {
                printf("Audit trail BROKEN at entry %lld: %s\n", (long long)rep.first_bad, err.msg);
                printf("%lld entries before it are intact. Keep this database file as evidence and report it.\n",
                       (long long)(rep.first_bad - 1));
            } else {
                printf("Audit trail BROKEN: %s\nKeep this database file as evidence and report it.\n", err.msg);
            }
            ex = WL_EXIT_FAIL;
        } else {
            ex = wl_cli_fail(rc, &err);
        }
    } else {
        json_t *list = NULL;
        /* Reading the trail is itself a read of who looked at which record: logged first. */
        char detail[64];
        snprintf(detail, sizeof detail, "limit=%lld", (long long)limit);
        ex = wl_priv_audit(st, cli, "audit.list", ref, detail);
        if (ex != WL_EXIT_OK) {
            wl_store_close(st);
            return ex;
        }
        wl_rc rc = wl_audit_list(st, ref, limit, &list, &err);
        if (rc != WL_OK) {
            ex = wl_cli_fail(rc, &err);
        } else if (json) {
            wl_cli_print_json(list);
        } else {
            size_t i;
            json_t *e;
            printf("%-6s  %-16s  %-16s  %-12s  %-11s  %s\n", "ID", "WHEN", "WHO", "WHAT", "REF", "DETAIL");
            json_array_foreach(list, i, e) {
                char t[20];
                const char *r = json_string_value(json_object_get(e, "ref"));
                printf("%-6lld  %-16s  %-16s  %-12s  %-11s  %s\n", (long long)json_integer_value(json_object_get(e, "id")),
                       wl_priv_time(json_integer_value(json_object_get(e, "at")), t),
                       json_string_value(json_object_get(e, "actor")), json_string_value(json_object_get(e, "action")),
                       r ? r : "-", json_string_value(json_object_get(e, "detail")));
            }
        }
        json_decref(list);
    }
    wl_store_close(st);
    return ex;
}

WL_CLI_COMMAND(audit, cmd_audit, "check the audit trail's hash chain, or list who did what",
               "audit verify | audit list [--ref REF] [--limit N] [--json]")
