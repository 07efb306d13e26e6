/* `events [--ack ID]`: help requests and printer failures that kiosks raised for staff. */
#include "cli.h"
#include "cmd_privacy.h"

#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <time.h>

static const char *USAGE = "events [--json] | events --ack ID";

static int cmd_events(int argc, char **argv, const struct wl_cli *cli)
{
    static const struct option opts[] = {{"ack", required_argument, NULL, 'a'},
                                         {"json", no_argument, NULL, 'j'},
                                         {NULL, 0, NULL, 0}};
    const char *ack = NULL;
    bool as_json = false;
    int c;
    while ((c = getopt_long(argc, argv, "a:j", opts, NULL)) != -1) {
        if (c == 'a') ack = optarg;
        else if (c == 'j') as_json = true;
        else return wl_cli_usage(USAGE);
    }
    if (optind != argc) return wl_cli_usage(USAGE);
    long long ack_id = 0;
    if (ack) {
        char *end;
        ack_id = strtoll(ack, &end, 10);
        if (*end || ack_id <= 0) return wl_cli_usage(USAGE);
    }

    wl_store_t *st = NULL;
    char detail[64];
    snprintf(detail, sizeof detail, ack ? "ack %lld" : "open events", ack_id);
    /* Signed in: the acknowledgement names the person who gave their PIN, not any --user. */
    int exit_code = wl_priv_open_audited(cli, WL_ROLE_STAFF, "events", NULL, detail, &st);
    if (exit_code != WL_EXIT_OK) return exit_code;
    wl_err_t err = {{0}};
    wl_rc rc;
    if (ack) {
        rc = wl_store_ack_event(st, ack_id, cli->as_user, cli->now, &err);
        if (rc != WL_OK) exit_code = wl_cli_fail(rc, &err);
        else printf("Event %lld acknowledged.\n", ack_id);
    } else {
        json_t *events = NULL;
        rc = wl_store_open_events(st, &events, &err);
        if (rc != WL_OK) {
            exit_code = wl_cli_fail(rc, &err);
        } else if (as_json) {
            wl_cli_print_json(events);
        } else {
            size_t i;
            json_t *e;
            if (json_array_size(events) == 0) printf("No open events.\n");
            json_array_foreach(events, i, e) {
                time_t at = (time_t)json_integer_value(json_object_get(e, "at"));
                struct tm tm;
                char when[32];
                strftime(when, sizeof when, "%Y-%m-%d %H:%M", localtime_r(&at, &tm));
                printf("%-6lld %s  %-16s %-14s %-10s %s\n", (long long)json_integer_value(json_object_get(e, "id")),
                       when, json_string_value(json_object_get(e, "kind")),
                       json_string_value(json_object_get(e, "location")),
                       json_string_value(json_object_get(e, "kiosk")),
                       json_string_value(json_object_get(e, "detail")));
            }
        }
        json_decref(events);
    }
    wl_store_close(st);
    return exit_code;
}

WL_CLI_COMMAND(events, cmd_events, "help requests and printer failures raised by kiosks",
               "events [--json] | events --ack ID")
