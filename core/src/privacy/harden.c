/* Process hardening: no core dumps, and jansson and SQLite wipe what they free (docs/security.md, finding 4). */
#include "wijkloket/harden.h"

#include <jansson.h>
#include <malloc.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

/* Why wipe in the allocators rather than at each use: the clear text of a session passes
 * through jansson values (answers), serialised JSON, SQLite's bound values and page cache
 * (before the sealing trigger replaces it) and many short-lived strings. Wiping at each place
 * misses some (the finding found the name several times after "Klaar"); wiping every free
 * block misses none. malloc_usable_size gives the whole block, so nothing of it survives. */
static void wipe_free(void *p)
{
    if (!p) return;
    explicit_bzero(p, malloc_usable_size(p));
    free(p);
}

static void *sq_malloc(int n)
{
    return malloc(n > 0 ? (size_t)n : 1);
}

static void *sq_realloc(void *p, int n)
{
    if (!p) return sq_malloc(n);
    size_t old = malloc_usable_size(p), want = n > 0 ? (size_t)n : 1;
    if (want <= old) return p;
    void *q = malloc(want);
    if (!q) return NULL;
    memcpy(q, p, old);
    wipe_free(p); /* a moved block must not leave its old copy behind */
    return q;
}

static int sq_size(void *p)
{
    return p ? (int)malloc_usable_size(p) : 0;
}

static int sq_roundup(int n)
{
    return (n + 15) & ~15;
}

static int sq_init(void *app)
{
    (void)app;
    return SQLITE_OK;
}

static void sq_shutdown(void *app)
{
    (void)app;
}

wl_rc wl_harden_process(wl_err_t *err)
{
    struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
        wl_err_set(err, "cannot forbid core dumps (setrlimit/prctl refused)");
        return WL_ERR_STATE;
    }
    json_set_alloc_funcs(malloc, wipe_free);
    static const sqlite3_mem_methods methods = {(void *(*)(int))sq_malloc, wipe_free, sq_realloc, sq_size,
                                                sq_roundup, sq_init, sq_shutdown, NULL};
    /* Only possible before SQLite starts; a second call (tests) finds it running and keeps
     * the methods set the first time. */
    int r = sqlite3_config(SQLITE_CONFIG_MALLOC, &methods);
    if (r != SQLITE_OK && r != SQLITE_MISUSE) {
        wl_err_set(err, "cannot install SQLite's wiping allocator (%s)", sqlite3_errstr(r));
        return WL_ERR_STATE;
    }
    return WL_OK;
}
