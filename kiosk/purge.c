/* The kiosk's daily retention purge: at start and then once a day, only between citizens. */
#include "ui.h"

#include <stdio.h>

#include "wijkloket/retention.h"

bool purge_allowed(const ui_t *ui)
{
    /* Never in the middle of someone's session: only the welcome screen with nothing of a
     * person in memory and no finger on the screen. */
    return ui->screen == SCR_WELCOME && !ui->intake && !ui->idle_prompt && !ui->down;
}

void purge_maybe_run(ui_t *ui)
{
    if (!ui->store || ui->now_ms < ui->next_purge_ms || !purge_allowed(ui)) return;
    wl_retention_report_t rep = { 0 };
    wl_err_t err = { { 0 } };
    int64_t now = ui_unix_now(ui);
    bool was_failed = ui->purge_failed;
    ui->purge_ran = true;
    ui->purge_at = now;
    if (wl_retention_purge(ui->store, ui->cfg->assets, now, "kiosk", false, &rep, &err) == WL_OK) {
        ui->purge_failed = false;
        ui->purge_deleted = rep.deleted;
        ui->purge_anonymised = rep.anonymised;
        ui->purge_held = rep.held_for_appointment;
        ui->next_purge_ms = ui->now_ms + PURGE_EVERY_MS;
        /* Counts only: the purge report holds no references or personal data. */
        fprintf(stderr, "wijkloket: purge: %lld deleted, %lld anonymised, %lld held for an appointment, %lld kept\n",
                (long long)rep.deleted, (long long)rep.anonymised, (long long)rep.held_for_appointment,
                (long long)rep.kept);
        return;
    }
    ui->purge_failed = true;
    /* Try again in an hour; staff get one event per run of failures, not one an hour. */
    ui->next_purge_ms = ui->now_ms + PURGE_RETRY_MS;
    fprintf(stderr, "wijkloket: purge failed: %s\n", err.msg);
    if (!was_failed) {
        wl_err_t e2 = { { 0 } };
        if (wl_store_log_event(ui->store, "purge_failure", ui->cfg->location, ui->cfg->kiosk_id,
                               "Het dagelijks opschonen van oude vragenlijsten is mislukt; zie het kiosklog",
                               now, &e2) != WL_OK)
            fprintf(stderr, "wijkloket: purge_failure event not stored: %s\n", e2.msg);
    }
}
