/* Process hardening for programs that hold citizens' data in memory: no core dumps, wiped frees. */
#ifndef WL_HARDEN_H
#define WL_HARDEN_H

#include "wijkloket/common.h"

/* Call first thing in main, before any SQLite or jansson use. Forbids core dumps
 * (RLIMIT_CORE 0) and marks the process not dumpable (PR_SET_DUMPABLE 0: no core, no
 * ptrace attach or /proc/PID/mem reading by other unprivileged processes of the same user),
 * and makes every block that jansson and SQLite free be wiped first (explicit_bzero over its
 * usable size), so answers, names and BSNs do not linger in freed heap memory after a session
 * ends or a record is closed. WL_ERR_STATE when a guard could not be set (the caller should
 * refuse to run). */
wl_rc wl_harden_process(wl_err_t *err);

#endif
