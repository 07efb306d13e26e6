/* Private to the journey files: the one place answers and personal data are merged. */
#ifndef WL_JOURNEY_INTERNAL_H
#define WL_JOURNEY_INTERNAL_H

#include <jansson.h>

/* A new object: deep copies of answers and personal (either may be NULL) in one object, what
 * the routing rules read. NULL when out of memory. Free with journey_drop_merged. */
json_t *journey_merge(const json_t *answers, const json_t *personal);
/* Wipes the object's top-level string values (personal data) and releases it. */
void journey_drop_merged(json_t *all);

#endif
