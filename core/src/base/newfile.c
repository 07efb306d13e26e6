/* Writing a new small file (a key) safely: created exclusively, its mode from the first byte. */
#include "wijkloket/newfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

wl_rc wl_file_create(const char *path, const char *text, mode_t mode, wl_err_t *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
        if (errno == EEXIST) {
            wl_err_set(err, "%s already exists", path);
            return WL_ERR_CONFLICT;
        }
        wl_err_set(err, "%s: cannot create: %s", path, strerror(errno));
        return WL_ERR_IO;
    }
    size_t n = strlen(text), off = 0;
    while (off < n) {
        ssize_t w = write(fd, text + off, n - off);
        if (w < 0) {
            if (errno == EINTR) continue;
            break;
        }
        off += (size_t)w;
    }
    int saved = 0;
    bool ok = off == n && fsync(fd) == 0;
    if (!ok) saved = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (!ok) {
        unlink(path);
        wl_err_set(err, "%s: cannot write (disk full?): %s", path, strerror(saved));
        return WL_ERR_IO;
    }
    return WL_OK;
}
