/* Writing files safely: every byte through interrupted writes, and a new small file (a key) created exclusively with its mode from the first byte. */
#include "wijkloket/newfile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

bool wl_write_all(int fd, const char *buf, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, buf + off, len - off);
        if (w < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        off += (size_t)w;
    }
    return true;
}

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
    int saved = 0;
    bool ok = wl_write_all(fd, text, strlen(text)) && fsync(fd) == 0;
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
