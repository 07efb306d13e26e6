/* Staff login, key folder, passphrase and audit helpers shared by the privacy commands. */
#include "cmd_privacy.h"
#include "wijkloket/audit.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

bool wl_priv_common_opt(int c, const char *arg, wl_priv_opts_t *o)
{
    switch (c) {
    case 'l': o->filter.location = arg; return true;
    case 'f': o->filter.from = arg; return true;
    case 't': o->filter.to = arg; return true;
    case 's': o->filter.status = arg; return true;
    case 'r': o->filter.route = arg; return true;
    case WL_PRIV_OPT_KEYS: o->keys_dir = arg; return true;
    case WL_PRIV_OPT_PASSFILE: o->passphrase_file = arg; return true;
    case WL_PRIV_OPT_JSON: o->json = true; return true;
    default: return false;
    }
}

const char *wl_priv_keys_dir(const struct wl_cli *cli, const wl_priv_opts_t *o, char *buf, size_t size)
{
    if (o && o->keys_dir) return o->keys_dir;
    const char *env = getenv("WL_KEYS");
    if (env && *env) return env;
    snprintf(buf, size, "%s/keys", cli->state_dir);
    return buf;
}

int wl_priv_login(const struct wl_cli *cli, wl_role_t min_role, wl_store_t **st, wl_user_t *user)
{
    *st = NULL;
    if (!cli->as_user || !*cli->as_user) {
        fprintf(stderr, "wijkloket-staff: this command needs --user NAME before the command name "
                        "(who is acting; it goes into the audit trail)\n");
        return WL_EXIT_USAGE;
    }
    wl_rc rc = wl_cli_open_store(cli, st);
    if (rc != WL_OK) return wl_cli_exit_for(rc);
    char pin[64], prompt[128];
    snprintf(prompt, sizeof prompt, "PIN for %s: ", cli->as_user);
    if (!wl_cli_read_secret(prompt, "WL_PIN", pin, sizeof pin)) {
        fprintf(stderr, "wijkloket-staff: no PIN given (type it, or set WL_PIN for scripts)\n");
        wl_store_close(*st);
        *st = NULL;
        return WL_EXIT_AUTH;
    }
    wl_err_t err = {{0}};
    rc = wl_auth_verify(*st, cli->as_user, pin, min_role, cli->now, user, &err);
    sodium_memzero(pin, sizeof pin);
    if (rc == WL_OK) return WL_EXIT_OK;
    /* Wrong, unknown and locked read alike (core/src/auth.c); the exit code is the same too. */
    fprintf(stderr, "wijkloket-staff: %s\n", err.msg);
    wl_store_close(*st);
    *st = NULL;
    return wl_cli_exit_for(rc);
}

int wl_priv_login_filtered(const struct wl_cli *cli, const wl_case_filter_t *filter, wl_store_t **st,
                           wl_user_t *user)
{
    *st = NULL;
    wl_err_t err = {{0}};
    wl_rc rc = wl_case_filter_check(filter, &err);
    if (rc != WL_OK) return wl_cli_fail(rc, &err);
    return wl_priv_login(cli, WL_ROLE_STAFF, st, user);
}

bool wl_priv_passphrase(const char *file, const char *prompt, char *buf, size_t size)
{
    if (file) {
        FILE *f = fopen(file, "r");
        if (!f) {
            fprintf(stderr, "wijkloket-staff: cannot read the passphrase file %s\n", file);
            return false;
        }
        bool ok = fgets(buf, (int)size, f) != NULL;
        fclose(f);
        if (!ok) return false;
        buf[strcspn(buf, "\r\n")] = '\0';
        return true;
    }
    return wl_cli_read_secret(prompt, "WL_PASSPHRASE", buf, size);
}

int wl_priv_open_secret(const struct wl_cli *cli, const wl_priv_opts_t *o, wl_seal_secret_t **sk)
{
    char keys[4096], path[4200], pass[1024];
    snprintf(path, sizeof path, "%s/%s", wl_priv_keys_dir(cli, o, keys, sizeof keys), WL_SEAL_SECRET_FILE);
    if (!wl_priv_passphrase(o ? o->passphrase_file : NULL, "Passphrase for the secret key: ", pass, sizeof pass)) {
        fprintf(stderr, "wijkloket-staff: no passphrase given (type it, or use --passphrase-file / "
                        "WL_PASSPHRASE for scripts)\n");
        return WL_EXIT_AUTH;
    }
    wl_err_t err = {{0}};
    wl_rc rc = wl_seal_load_secret(path, pass, sk, &err);
    sodium_memzero(pass, sizeof pass);
    if (rc != WL_OK) return wl_cli_fail(rc, &err);
    return WL_EXIT_OK;
}

int wl_priv_audit(wl_store_t *st, const struct wl_cli *cli, const char *action, const char *ref, const char *detail)
{
    wl_err_t err = {{0}};
    /* No trace, no access: a read-only database cannot take the entry, so it shows nothing. */
    if (wl_store_read_only(st)) {
        fprintf(stderr,
                "wijkloket-staff: %s is read-only for you. Every look at citizens' records is written to the audit "
                "trail first, and a read-only database cannot take that entry, so nothing is shown. Ask the "
                "administrator for write access to the database and its folder. (`audit verify` works on a "
                "read-only database.)\n",
                cli->db_path);
        return WL_EXIT_IO;
    }
    wl_rc rc = wl_audit_append(st, cli->as_user, action, ref, detail, cli->now, &err);
    if (rc == WL_OK) return WL_EXIT_OK;
    /* No trace, no access: a record is never shown when its access cannot be logged. */
    wl_err_prefix(&err, "cannot write the audit entry, so nothing is shown: ");
    return wl_cli_fail(rc, &err);
}

const char *wl_priv_time(int64_t t, char buf[20])
{
    if (t <= 0) return strcpy(buf, "-");
    time_t tt = (time_t)t;
    struct tm tmv;
    if (!localtime_r(&tt, &tmv) || !strftime(buf, 20, "%Y-%m-%d %H:%M", &tmv)) strcpy(buf, "?");
    return buf;
}

void wl_priv_filter_text(const wl_case_filter_t *f, char *buf, size_t size)
{
    snprintf(buf, size, "location=%s from=%s to=%s status=%s route=%s", f->location ? f->location : "*",
             f->from ? f->from : "*", f->to ? f->to : "*", f->status ? f->status : "*", f->route ? f->route : "*");
}

int wl_priv_open_audited(const struct wl_cli *cli, wl_role_t min_role, const char *action, const char *ref,
                         const char *detail, wl_store_t **st)
{
    wl_user_t u;
    int ex = wl_priv_login(cli, min_role, st, &u);
    if (ex != WL_EXIT_OK) return ex;
    ex = wl_priv_audit(*st, cli, action, ref, detail ? detail : "");
    if (ex != WL_EXIT_OK) {
        wl_store_close(*st);
        *st = NULL;
    }
    return ex;
}
