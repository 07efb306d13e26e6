/* Loading JSON asset files with errors that name file, line, column and field path. */
#ifndef WL_JSONFILE_H
#define WL_JSONFILE_H

#include <jansson.h>
#include "wijkloket/common.h"

/* Reads and parses a JSON file. On success *out holds a new reference (caller json_decref's).
 * On a syntax error returns WL_ERR_PARSE with "path:line:column: message" in err;
 * on a missing/unreadable file WL_ERR_IO. Duplicate object keys are rejected. */
wl_rc wl_json_load_file(const char *path, json_t **out, wl_err_t *err);

/* Same for a string held in memory; name is used in messages. */
wl_rc wl_json_load_string(const char *text, const char *name, json_t **out, wl_err_t *err);

/* Finds the 1-based line of the first occurrence of "key" (quoted) in a file's text at or
 * after the line where parent_id's value appears; a best-effort locator so validation
 * messages ("unknown question id") can name a line. Returns 0 when not found. */
int wl_json_locate(const char *path, const char *needle);

/* Writes JSON atomically: a temporary file in the same folder, fsync, rename. */
wl_rc wl_json_save_file(const char *path, const json_t *value, wl_err_t *err);

#endif
