/* `outbox`: a kiosk's delivery backlog to wijkloket-server (what wijkloket-deliver still has to send). */
#include "cli.h"
#include "wijkloket/outbox.h"

#include <stdlib.h>
#include <time.h>

static int cmd_outbox(int argc, char **argv, const struct wl_cli *cli)
{
    (void)argv;
    if (argc > 1) return wl_cli_usage("outbox");
    wl_outbox_t *ob;
    wl_err_t err;
    wl_rc rc = wl_outbox_open(cli->db_path, &ob, &err);
    if (rc) return wl_cli_fail(rc, &err);
    wl_outbox_status_t st;
    rc = wl_outbox_status(ob, &st, &err);
    if (rc) {
        wl_outbox_close(ob);
        return wl_cli_fail(rc, &err);
    }
    char when[32] = "-";
    if (st.oldest_pending) {
        time_t t = (time_t)st.oldest_pending;
        strftime(when, sizeof when, "%Y-%m-%d %H:%M", localtime(&t));
    }
    printf("%s: pending %lld (oldest %s), delivered %lld, refused %lld, events pending %lld\n", cli->db_path,
           (long long)st.pending, when, (long long)st.delivered, (long long)st.refused, (long long)st.events_pending);
    if (st.refused) {
        char *j = NULL;
        if (wl_outbox_refused(ob, &j, &err) == WL_OK && j) printf("refused by the server (staff must look):\n%s\n", j);
        free(j);
    }
    wl_outbox_close(ob);
    return st.refused ? WL_EXIT_FAIL : WL_EXIT_OK;
}

WL_CLI_COMMAND(outbox, cmd_outbox, "a kiosk's delivery backlog to wijkloket-server", "outbox")
