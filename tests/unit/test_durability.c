/* Durability tests: a saved intake survives a killed process, and WL_OK comes only after fsync. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store_sql.h"
#include "wijkloket/refcode.h"

/* ---- a pass-through VFS that watches the WAL file ---------------------------------
 * Killing a process cannot show what a power cut would lose: the kernel keeps its page
 * cache. So the second test watches the file calls: after wl_store_save_intake returns
 * WL_OK there must have been an xSync of the WAL after its last xWrite. */

typedef struct {
    sqlite3_file base;
    sqlite3_file *real;
    int is_wal;
} shim_file_t;

static sqlite3_vfs *orig_vfs;
static sqlite3_vfs shim_vfs;
static int wal_syncs;      /* xSync calls on a WAL file */
static int wal_unsynced;   /* 1 when the WAL was written after its last sync */

#define REAL(f) (((shim_file_t *)(f))->real)

static int s_close(sqlite3_file *f) { return REAL(f)->pMethods->xClose(REAL(f)); }
static int s_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{ return REAL(f)->pMethods->xRead(REAL(f), b, n, o); }
static int s_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
    if (((shim_file_t *)f)->is_wal) wal_unsynced = 1;
    return REAL(f)->pMethods->xWrite(REAL(f), b, n, o);
}
static int s_truncate(sqlite3_file *f, sqlite3_int64 size)
{ return REAL(f)->pMethods->xTruncate(REAL(f), size); }
static int s_sync(sqlite3_file *f, int flags)
{
    int rc = REAL(f)->pMethods->xSync(REAL(f), flags);
    if (((shim_file_t *)f)->is_wal && rc == SQLITE_OK) {
        wal_syncs++;
        wal_unsynced = 0;
    }
    return rc;
}
static int s_size(sqlite3_file *f, sqlite3_int64 *out)
{ return REAL(f)->pMethods->xFileSize(REAL(f), out); }
static int s_lock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xLock(REAL(f), l); }
static int s_unlock(sqlite3_file *f, int l) { return REAL(f)->pMethods->xUnlock(REAL(f), l); }
static int s_reserved(sqlite3_file *f, int *out)
{ return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out); }
static int s_fcntl(sqlite3_file *f, int op, void *arg)
{ return REAL(f)->pMethods->xFileControl(REAL(f), op, arg); }
static int s_sector(sqlite3_file *f) { return REAL(f)->pMethods->xSectorSize(REAL(f)); }
static int s_devchar(sqlite3_file *f) { return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f)); }
static int s_shmmap(sqlite3_file *f, int pg, int sz, int ext, void volatile **pp)
{ return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, pp); }
static int s_shmlock(sqlite3_file *f, int off, int n, int flags)
{ return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags); }
static void s_shmbarrier(sqlite3_file *f) { REAL(f)->pMethods->xShmBarrier(REAL(f)); }
static int s_shmunmap(sqlite3_file *f, int del) { return REAL(f)->pMethods->xShmUnmap(REAL(f), del); }
static int s_fetch(sqlite3_file *f, sqlite3_int64 o, int n, void **pp)
{ return REAL(f)->pMethods->xFetch(REAL(f), o, n, pp); }
static int s_unfetch(sqlite3_file *f, sqlite3_int64 o, void *p)
{ return REAL(f)->pMethods->xUnfetch(REAL(f), o, p); }

static const sqlite3_io_methods shim_io = {
    3, s_close, s_read, s_write, s_truncate, s_sync, s_size, s_lock, s_unlock, s_reserved,
    s_fcntl, s_sector, s_devchar, s_shmmap, s_shmlock, s_shmbarrier, s_shmunmap, s_fetch,
    s_unfetch,
};

static int shim_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
    (void)vfs;
    shim_file_t *sf = (shim_file_t *)f;
    sf->real = (sqlite3_file *)(sf + 1);
    sf->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
    int rc = orig_vfs->xOpen(orig_vfs, name, sf->real, flags, out);
    sf->base.pMethods = (rc == SQLITE_OK && sf->real->pMethods) ? &shim_io : NULL;
    return rc;
}

static void install_shim(void)
{
    if (orig_vfs) return;
    orig_vfs = sqlite3_vfs_find(NULL);
    assert_non_null(orig_vfs);
    assert_true(orig_vfs->iVersion >= 1);
    shim_vfs = *orig_vfs;
    shim_vfs.zName = "wl-test-shim";
    shim_vfs.szOsFile = (int)sizeof(shim_file_t) + orig_vfs->szOsFile;
    shim_vfs.xOpen = shim_open;
    shim_vfs.pNext = NULL;
    assert_int_equal(sqlite3_vfs_register(&shim_vfs, 1), SQLITE_OK);
}

/* ---- helpers ---------------------------------------------------------------------- */

static char tmpdir[256];

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(p);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/wl-test-durability-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return 0;
}

static void make_ref(unsigned seed, char ref[WL_REFCODE_BUFSZ])
{
    unsigned char b[5] = {(unsigned char)seed, 0x17, (unsigned char)(seed >> 8), 0xE4, 0x09};
    wl_refcode_from_bytes(b, ref);
}

/* Saves one realistic intake; returns the rc and leaves the message in err. */
static wl_rc save(wl_store_t *st, const char *ref, wl_err_t *err)
{
    json_t *answers = json_object();
    for (int i = 0; i < 40; i++) {
        char key[16];
        snprintf(key, sizeof key, "vraag_%02d", i);
        json_object_set_new(answers, key, i % 3 ? json_integer(i) : json_string("soms wel, soms niet"));
    }
    json_t *personal = json_pack("{s:s, s:s}", "voornaam", "Kees", "telefoon", "0612345678");
    json_t *result = json_pack("{s:s}", "route", "participatie");
    wl_intake_record_t r = {
        .ref = ref, .location = "beijum", .kiosk = "k2", .language = "nl",
        .started_at = 1767261600, .completed_at = 1767262500, .status = "completed",
        .questionnaire_version = "q1", .rules_version = "r1",
        .answers = answers, .personal = personal, .result = result,
    };
    wl_rc rc = wl_store_save_intake(st, &r, err);
    json_decref(answers);
    json_decref(personal);
    json_decref(result);
    return rc;
}

static void expect_integrity_ok(wl_store_t *st)
{
    sqlite3_stmt *s;
    assert_int_equal(sqlite3_prepare_v2(wl_store_db(st), "PRAGMA integrity_check", -1, &s, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(s, 0), "ok");
    sqlite3_finalize(s);
}

/* ---- tests ------------------------------------------------------------------------ */

/* A child saves and kills itself the moment it has WL_OK; the parent must find the intake. */
static void test_survives_sigkill(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/kiosk.db", tmpdir);
    for (unsigned round = 0; round < 5; round++) {
        char ref[WL_REFCODE_BUFSZ];
        make_ref(round, ref);
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            wl_store_t *st = NULL;
            wl_err_t err = {""};
            wl_rc rc = wl_store_open(path, &st, &err);
            if (rc == WL_OK) rc = save(st, ref, &err);
            if (rc == WL_OK) {
                /* "Saved" may be told to the citizen now; die without closing anything. */
                if (write(fds[1], "done", 4) != 4) _exit(3);
                raise(SIGKILL);
            }
            dprintf(fds[1], "fail: %s", err.msg);
            _exit(1);
        }
        close(fds[1]);
        char msg[600] = "";
        size_t got = 0;
        ssize_t n;
        while (got < sizeof msg - 1 && (n = read(fds[0], msg + got, sizeof msg - 1 - got)) > 0)
            got += (size_t)n;
        close(fds[0]);
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (strcmp(msg, "done") != 0) fail_msg("round %u: child said '%s'", round, msg);
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), SIGKILL);

        /* The WAL is left behind un-checkpointed; reopening must recover it. */
        wl_store_t *st = NULL;
        wl_err_t err = {""};
        if (wl_store_open(path, &st, &err) != WL_OK) fail_msg("round %u reopen: %s", round, err.msg);
        json_t *rec = NULL;
        if (wl_store_get_intake(st, ref, &rec, &err) != WL_OK)
            fail_msg("round %u: intake %s lost: %s", round, ref, err.msg);
        assert_string_equal(json_string_value(json_object_get(rec, "route")), "participatie");
        assert_int_equal(json_object_size(json_object_get(rec, "answers")), 40);
        json_decref(rec);
        assert_int_equal(wl_store_count_intakes(st), (int64_t)round + 1);
        expect_integrity_ok(st);
        wl_store_close(st);
    }
}

/* Killed at an arbitrary moment while saving one intake after another: every intake that
 * got WL_OK is there, and no intake is there without its answers and personal data. */
static void test_kill_mid_save(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/busy.db", tmpdir);
    unsigned next = 1000;
    for (int round = 0; round < 4; round++) {
        int fds[2];
        assert_int_equal(pipe(fds), 0);
        fflush(NULL);
        unsigned first = next;
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            wl_store_t *st = NULL;
            wl_err_t err = {""};
            if (wl_store_open(path, &st, &err) != WL_OK) _exit(1);
            for (unsigned i = first; ; i++) {
                char ref[WL_REFCODE_BUFSZ];
                make_ref(i, ref);
                if (save(st, ref, &err) != WL_OK) _exit(2);
                if (write(fds[1], ref, WL_REFCODE_LEN) != WL_REFCODE_LEN) _exit(3);
            }
        }
        close(fds[1]);
        /* Let it save a varying number of intakes, then kill it mid-flight. */
        char saved[64][WL_REFCODE_BUFSZ];
        int nsaved = 0, want = 5 + round * 7;
        while (nsaved < want) {
            ssize_t n = read(fds[0], saved[nsaved], WL_REFCODE_LEN);
            if (n != WL_REFCODE_LEN) break;
            saved[nsaved++][WL_REFCODE_LEN] = '\0';
        }
        usleep((useconds_t)(round * 700));
        kill(pid, SIGKILL);
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        close(fds[0]);
        assert_int_equal(nsaved, want);
        next = first + 1000;

        wl_store_t *st = NULL;
        wl_err_t err = {""};
        if (wl_store_open(path, &st, &err) != WL_OK) fail_msg("round %d reopen: %s", round, err.msg);
        for (int i = 0; i < nsaved; i++) {
            json_t *rec = NULL;
            if (wl_store_get_intake(st, saved[i], &rec, &err) != WL_OK)
                fail_msg("round %d: %s got WL_OK but is lost: %s", round, saved[i], err.msg);
            json_decref(rec);
        }
        sqlite3_stmt *s;
        assert_int_equal(sqlite3_prepare_v2(wl_store_db(st),
            "SELECT count(*) FROM intakes i WHERE (SELECT count(*) FROM intake_data d "
            "WHERE d.ref = i.ref) <> 2", -1, &s, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(s), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(s, 0), 0);
        sqlite3_finalize(s);
        expect_integrity_ok(st);
        wl_store_close(st);
    }
}

/* WL_OK must come after the WAL reached the disk: a sync after the last write. */
static void test_ok_only_after_fsync(void **state)
{
    (void)state;
    install_shim();
    char path[512], ref[WL_REFCODE_BUFSZ];
    snprintf(path, sizeof path, "%s/sync.db", tmpdir);
    wl_store_t *st = NULL;
    wl_err_t err = {""};
    if (wl_store_open(path, &st, &err) != WL_OK) fail_msg("%s", err.msg);
    for (unsigned i = 0; i < 3; i++) {
        make_ref(100 + i, ref);
        wal_syncs = 0;
        wal_unsynced = 0;
        if (save(st, ref, &err) != WL_OK) fail_msg("%s", err.msg);
        assert_true(wal_syncs >= 1);
        assert_int_equal(wal_unsynced, 0);
    }
    /* Control: with synchronous=NORMAL the same save leaves the WAL unsynced, so this
     * test would notice if the store stopped asking for FULL. */
    assert_int_equal(sqlite3_exec(wl_store_db(st), "PRAGMA synchronous = NORMAL", NULL, NULL, NULL),
                     SQLITE_OK);
    make_ref(200, ref);
    wal_syncs = 0;
    wal_unsynced = 0;
    if (save(st, ref, &err) != WL_OK) fail_msg("%s", err.msg);
    assert_int_equal(wal_syncs, 0);
    assert_int_equal(wal_unsynced, 1);
    wl_store_close(st);
    /* A reopened store is FULL again: the setting is per connection and set on open. */
    if (wl_store_open(path, &st, &err) != WL_OK) fail_msg("%s", err.msg);
    make_ref(201, ref);
    wal_syncs = 0;
    wal_unsynced = 0;
    if (save(st, ref, &err) != WL_OK) fail_msg("%s", err.msg);
    assert_true(wal_syncs >= 1);
    assert_int_equal(wal_unsynced, 0);
    wl_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_survives_sigkill, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill_mid_save, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ok_only_after_fsync, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
