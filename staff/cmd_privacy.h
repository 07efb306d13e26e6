/* Shared plumbing for the privacy commands: staff login with PIN, key folder, passphrase, audit entries. */
#ifndef WL_STAFF_CMD_PRIVACY_H
#define WL_STAFF_CMD_PRIVACY_H

#include "cli.h"
#include "wijkloket/auth.h"
#include "wijkloket/casework.h"
#include "wijkloket/seal.h"

/* Long options every privacy command accepts, with their getopt codes. */
#define WL_PRIV_OPT_KEYS 1001     /* --keys DIR */
#define WL_PRIV_OPT_PASSFILE 1002 /* --passphrase-file FILE */
#define WL_PRIV_OPT_JSON 1003     /* --json */
#define WL_PRIV_FILTER_OPTS                                                                          \
    {"location", required_argument, NULL, 'l'}, {"from", required_argument, NULL, 'f'},             \
        {"to", required_argument, NULL, 't'}, {"status", required_argument, NULL, 's'},             \
        {"route", required_argument, NULL, 'r'}, {"keys", required_argument, NULL, WL_PRIV_OPT_KEYS}, \
        {"passphrase-file", required_argument, NULL, WL_PRIV_OPT_PASSFILE},                          \
        {"json", no_argument, NULL, WL_PRIV_OPT_JSON}

/* Options parsed by wl_priv_common_opt. */
typedef struct {
    wl_case_filter_t filter;
    const char *keys_dir;        /* --keys; else $WL_KEYS; else <root>/var/keys */
    const char *passphrase_file; /* --passphrase-file */
    bool json;
} wl_priv_opts_t;

/* Handles one of the shared options; false when c is not one of them. */
bool wl_priv_common_opt(int c, const char *arg, wl_priv_opts_t *o);

/* The key folder in effect (borrowed or written into buf). */
const char *wl_priv_keys_dir(const struct wl_cli *cli, const wl_priv_opts_t *o, char *buf, size_t size);

/* Opens the store and checks who acts: --user NAME and a PIN from $WL_PIN or the terminal,
 * at least min_role. Prints a clear message (wrong PIN with tries left, locked with time
 * left, missing --user) and returns the exit code; WL_EXIT_OK with *st open otherwise. */
int wl_priv_login(const struct wl_cli *cli, wl_role_t min_role, wl_store_t **st, wl_user_t *user);
/* Checks the filter options (dates, status, route) first, so a typo costs no PIN try, then
 * signs a staff user in like wl_priv_login. */
int wl_priv_login_filtered(const struct wl_cli *cli, const wl_case_filter_t *filter, wl_store_t **st,
                           wl_user_t *user);

/* Reads the passphrase: --passphrase-file FILE (first line), else $WL_PASSPHRASE, else the
 * terminal without echo. False when nothing could be read. */
bool wl_priv_passphrase(const char *file, const char *prompt, char *buf, size_t size);

/* Opens <keys>/secret.key with the passphrase; prints the error and returns the exit code. */
int wl_priv_open_secret(const struct wl_cli *cli, const wl_priv_opts_t *o, wl_seal_secret_t **sk);

/* Writes an audit entry for the acting user; prints the error and returns the exit code. */
int wl_priv_audit(wl_store_t *st, const struct wl_cli *cli, const char *action, const char *ref, const char *detail);
/* For a command that reads or changes a record: signs the --user in (PIN, role) and writes
 * its audit entry before anything happens; on failure the store is closed and *st is NULL. */
int wl_priv_open_audited(const struct wl_cli *cli, wl_role_t min_role, const char *action, const char *ref,
                         const char *detail, wl_store_t **st);

/* "YYYY-MM-DD HH:MM" local time, or "-" for 0. */
const char *wl_priv_time(int64_t t, char buf[20]);

/* A one-line description of the filter for audit details ("location=x from=y"). */
void wl_priv_filter_text(const wl_case_filter_t *f, char *buf, size_t size);

#endif
