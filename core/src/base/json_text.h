/* Core-internal text-search helpers behind wl_json_locate, shared with loaders that name lines. */
#ifndef WL_BASE_JSON_TEXT_H
#define WL_BASE_JSON_TEXT_H

#include <stddef.h>

/* Reads a whole file into a new NUL-terminated buffer (caller frees); NULL on failure with
 * errno set. Files above 16 MiB are refused: assets are small. */
char *wl_json_read_text(const char *path, size_t *len);

/* First match of needle in text at or after from; whitespace in the needle matches any run of
 * whitespace (or none), and ':' or ',' may be followed by whitespace in the text.
 * NULL when not found. */
const char *wl_json_find(const char *text, const char *from, const char *needle);

/* 1-based line number of position p in text. */
int wl_json_line_at(const char *text, const char *p);

#endif
