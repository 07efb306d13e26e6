/* Writing files safely: every byte through interrupted writes, and a new small file (a key) created exclusively with its mode from the first byte. */
#ifndef WL_NEWFILE_H
#define WL_NEWFILE_H

#include <sys/types.h>

#include "wijkloket/common.h"

/* Writes all len bytes of buf to fd, again after an interrupted write. False (errno set) on
 * an error. */
bool wl_write_all(int fd, const char *buf, size_t len);

/* Creates path with mode and writes text to it, then fsync. Never opens an existing file or
 * follows a symlink, so a key is never overwritten and a secret file is never, even briefly,
 * readable by others. WL_ERR_CONFLICT when path already exists; WL_ERR_IO otherwise (a file
 * half written is removed). err says which file and why. */
wl_rc wl_file_create(const char *path, const char *text, mode_t mode, wl_err_t *err);

#endif
