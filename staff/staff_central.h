/* wijkloket-staff's commands on the central PostgreSQL store (see staff/central.c). */
#ifndef WL_STAFF_CENTRAL_H
#define WL_STAFF_CENTRAL_H

#include <stdbool.h>
#include "cli.h"

/* True when --db names a PostgreSQL database rather than a SQLite file. */
bool wl_staff_is_central(const char *db);
/* Runs argv[0] (list, show, pull, kiosks, events) against cli->db_path. Returns the exit code. */
int wl_staff_central_main(int argc, char **argv, const struct wl_cli *cli);

/* True for the commands wl_staff_central_main answers (list, show, pull, kiosks, events). */
bool wl_staff_central_command(const char *cmd);

#endif
