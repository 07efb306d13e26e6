/* Small helpers shared by the privacy unit tests: temporary folders and file searches. */
#ifndef WL_PRIVACY_TESTUTIL_H
#define WL_PRIVACY_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Makes a fresh folder under $TMPDIR (or /tmp) into buf. */
static inline void tu_tempdir(char *buf, size_t size, const char *tag)
{
    const char *base = getenv("TMPDIR");
    snprintf(buf, size, "%s/wl-%s-XXXXXX", base && *base ? base : "/tmp", tag);
    if (!mkdtemp(buf)) {
        perror("mkdtemp");
        abort();
    }
}

/* Removes a test folder and what is in it (files only, one level). */
static inline void tu_rmdir(const char *dir)
{
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

/* Whether the file at path contains needle anywhere in its bytes; -1 when unreadable. */
static inline int tu_file_contains(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) break;
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf) return -1;
    size_t k = strlen(needle);
    int found = 0;
    for (size_t i = 0; k && i + k <= n && !found; i++)
        if (memcmp(buf + i, needle, k) == 0) found = 1;
    free(buf);
    return found;
}

#endif
