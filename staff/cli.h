/* Shared plumbing for wijkloket-staff commands: options, exit codes, command registration. */
#ifndef WL_STAFF_CLI_H
#define WL_STAFF_CLI_H

#include <stdint.h>
#include <stdio.h>
#include "wijkloket/common.h"
#include "wijkloket/store.h"

/* Documented exit codes (see docs/staff.md). */
enum {
    WL_EXIT_OK = 0,        /* success */
    WL_EXIT_FAIL = 1,      /* the check or verification found problems */
    WL_EXIT_USAGE = 2,     /* wrong command line */
    WL_EXIT_DATA = 3,      /* bad input or asset file (syntax, wrong type, out of range) */
    WL_EXIT_IO = 4,        /* a file or the database could not be read or written */
    WL_EXIT_AUTH = 5,      /* wrong PIN/passphrase, locked or disabled user */
    WL_EXIT_NOTFOUND = 6,  /* the record, user or reference does not exist */
    WL_EXIT_CONFLICT = 7   /* already exists or just taken */
};

/* Global options, parsed before the command name. */
struct wl_cli {
    const char *db_path;    /* --db FILE; default <state>/wijkloket.db */
    const char *assets_dir; /* --assets DIR; default found by wl_paths_find (wijkloket/paths.h) */
    const char *locale_dir; /* translations: <checkout>/locale or <prefix>/share/wijkloket/locale */
    const char *state_dir;  /* database and keys: <checkout>/var or /var/lib/wijkloket */
    const char *today;      /* --today YYYY-MM-DD (tests); default: the local date now */
    int64_t now;            /* unix seconds: the clock (--now N only in the test build) */
    const char *as_user;    /* --user NAME: who is acting (for the audit trail) */
    const char *install_key; /* --central-key FILE: a central database's install key; default
                              * <state>/keys/central-install.key */
};

typedef int (*wl_cmd_fn)(int argc, char **argv, const struct wl_cli *cli);

struct wl_command {
    const char *name;
    wl_cmd_fn run;
    const char *summary;  /* one line for --help */
    const char *usage;    /* "minima HOUSEHOLD.json [--date YYYY-MM-DD]" */
    struct wl_command *next;
};

void wl_cli_register(struct wl_command *cmd);

/* Each command file registers itself, so adding a command touches no shared table:
 *   WL_CLI_COMMAND(minima, cmd_minima, "check low-income schemes", "minima HOUSEHOLD.json") */
#define WL_CLI_COMMAND(id, fn, summary_, usage_)                                    \
    static struct wl_command wl_cmd_##id = {#id, fn, summary_, usage_, NULL};       \
    __attribute__((constructor)) static void wl_cmd_register_##id(void)            \
    {                                                                               \
        wl_cli_register(&wl_cmd_##id);                                              \
    }

/* Maps a core return code to the documented exit code. */
int wl_cli_exit_for(wl_rc rc);
/* Prints "wijkloket-staff: <msg>" to stderr and returns wl_cli_exit_for(rc). */
int wl_cli_fail(wl_rc rc, const wl_err_t *err);
/* Prints a usage line for the command and returns WL_EXIT_USAGE. */
int wl_cli_usage(const char *usage);
/* Opens (creating/migrating) the store at cli->db_path. Prints the error itself. */
wl_rc wl_cli_open_store(const struct wl_cli *cli, wl_store_t **out);
/* Builds "<assets_dir>/<rel>" into buf. */
const char *wl_cli_asset(const struct wl_cli *cli, const char *rel, char *buf, size_t size);
/* Reads a secret (PIN or passphrase) into buf: from the environment variable env_name when
 * set (scripts, tests), else from the terminal without echo after printing prompt, else one
 * line from stdin. Trailing newline removed. Returns false when nothing could be read. */
bool wl_cli_read_secret(const char *prompt, const char *env_name, char *buf, size_t size);

/* Prints JSON (pretty, UTF-8, key order kept) to stdout followed by a newline. */
void wl_cli_print_json(const void *json_value);

#endif
