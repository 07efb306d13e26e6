/* Issue 14, finding 4: no core dumps, and a citizen's text freed by jansson and SQLite does not stay in the heap. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "wijkloket/harden.h"

#define MARK "Zoe-Elzinga-BSN-123456782-"

/* The child: hardened (or not), handles a citizen's text the way a session does, frees it all,
 * then stops so the parent can search its memory. */
static void child(bool harden)
{
    wl_err_t err = {{0}};
    if (harden && wl_harden_process(&err) != WL_OK) _exit(3);
    for (int i = 0; i < 50; i++) {
        char text[200];
        snprintf(text, sizeof text, "%s%04d and some more words so the block is not tiny", MARK, i);
        json_t *o = json_pack("{s:s, s:s}", "naam", text, "telefoon", "0612345678");
        char *dump = json_dumps(o, JSON_COMPACT);
        sqlite3 *db = NULL;
        sqlite3_open(":memory:", &db);
        sqlite3_exec(db, "CREATE TABLE t(x TEXT)", NULL, NULL, NULL);
        sqlite3_stmt *s = NULL;
        sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?1)", -1, &s, NULL);
        sqlite3_bind_text(s, 1, dump, -1, SQLITE_TRANSIENT);
        sqlite3_step(s);
        sqlite3_finalize(s);
        sqlite3_close(db);
        explicit_bzero(dump, strlen(dump)); /* the caller's own buffer: wiped as the code does */
        free(dump);
        json_decref(o);
        explicit_bzero(text, sizeof text);
    }
    raise(SIGSTOP);
    _exit(0);
}

/* Counts MARK in the child's writable private memory (heap and anonymous maps). */
static int count_in_memory(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", (int)pid);
    FILE *maps = fopen(path, "r");
    snprintf(path, sizeof path, "/proc/%d/mem", (int)pid);
    FILE *mem = fopen(path, "rb");
    if (!maps || !mem) {
        if (maps) fclose(maps);
        if (mem) fclose(mem);
        return -1;
    }
    int found = 0;
    char line[512];
    while (fgets(line, sizeof line, maps)) {
        unsigned long lo, hi;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 || perms[0] != 'r' || perms[1] != 'w') continue;
        if (hi - lo > (64ul << 20)) continue; /* sanitizer shadow maps */
        size_t n = hi - lo;
        char *buf = malloc(n);
        if (!buf) continue;
        if (fseek(mem, (long)lo, SEEK_SET) == 0 && fread(buf, 1, n, mem) == n) {
            size_t m = strlen(MARK);
            for (size_t i = 0; i + m <= n; i++)
                if (buf[i] == MARK[0] && memcmp(buf + i, MARK, m) == 0) found++;
        }
        free(buf);
    }
    fclose(maps);
    fclose(mem);
    return found;
}

static int run_child(bool harden, int *dumpable_core)
{
    pid_t pid = fork();
    if (pid == 0) child(harden);
    int status = 0;
    waitpid(pid, &status, WUNTRACED);
    if (!WIFSTOPPED(status)) return -2;
    int n = count_in_memory(pid);
    /* The child's core limit, as the kernel reports it. */
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/limits", (int)pid);
    FILE *fp = fopen(path, "r");
    *dumpable_core = -1;
    while (fp && fgets(line, sizeof line, fp))
        if (!strncmp(line, "Max core file size", 18)) *dumpable_core = strstr(line, " 0 ") ? 0 : 1;
    if (fp) fclose(fp);
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return n;
}

static void test_no_core_and_wiped_heap(void **state)
{
    (void)state;
    if (geteuid() != 0) {
        /* Reading a non-dumpable process's memory needs root (CAP_SYS_PTRACE). */
        skip();
    }
#if defined(__SANITIZE_ADDRESS__)
    /* AddressSanitizer's allocator keeps freed blocks in its own quarantine, outside the wipe
     * hooks this test checks; the default build runs it. */
    skip();
#endif
    int core = -1;
    int before = run_child(false, &core);
    int after = run_child(true, &core);
    print_message("marker copies in freed memory: %d without hardening, %d with\n", before, after);
    assert_true(before > 0); /* the test can see what it looks for */
    assert_int_equal(after, 0);
    assert_int_equal(core, 0);
    /* The guard in this process too. */
    wl_err_t err = {{0}};
    assert_int_equal(wl_harden_process(&err), WL_OK);
    struct rlimit rl;
    assert_int_equal(getrlimit(RLIMIT_CORE, &rl), 0);
    assert_int_equal(rl.rlim_cur, 0);
    assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_core_and_wiped_heap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
