/* Several processes opening a database that does not exist yet, at the same moment, all succeed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "wijkloket/store.h"

#define CHILDREN 6
#define ROUNDS 15

static void test_simultaneous_first_open(void **state)
{
    (void)state;
    char dir[] = "/tmp/wl_first_open_XXXXXX";
    assert_non_null(mkdtemp(dir));
    int failures = 0;
    for (int round = 0; round < ROUNDS; round++) {
        char path[256];
        snprintf(path, sizeof path, "%s/r%d.db", dir, round);
        /* A pipe as a starting gun so the children race as closely as possible. */
        int gun[2];
        assert_int_equal(pipe(gun), 0);
        pid_t pids[CHILDREN];
        for (int i = 0; i < CHILDREN; i++) {
            pids[i] = fork();
            assert_true(pids[i] >= 0);
            if (pids[i] == 0) {
                close(gun[1]);
                char c;
                if (read(gun[0], &c, 1) < 0) _exit(3);
                wl_store_t *st = NULL;
                wl_err_t err = {{0}};
                wl_rc rc = wl_store_open(path, &st, &err);
                if (rc != WL_OK) fprintf(stderr, "child %d: %s\n", i, err.msg);
                int version = rc == WL_OK ? wl_store_schema_version(st) : -1;
                wl_store_close(st);
                _exit(rc == WL_OK && version == wl_store_latest_version() ? 0 : 1);
            }
        }
        close(gun[0]);
        close(gun[1]); /* EOF releases every child at once */
        for (int i = 0; i < CHILDREN; i++) {
            int status = 0;
            waitpid(pids[i], &status, 0);
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) failures++;
        }
    }
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_simultaneous_first_open)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
