/* Cross-file asset checks that no single loader can do alone (rule values against options). */
#ifndef WL_ASSETCHECK_H
#define WL_ASSETCHECK_H

#include <jansson.h>
#include "wijkloket/common.h"
#include "wijkloket/questionnaire.h"

/* Walks every JsonLogic comparison anywhere in `root` (a parsed asset file) and checks that
 * where a choice question is compared with a literal, the literal is one of its option
 * values: {"==": [{"var": "q"}, "v"]}, {"!=": ...}, {"in": ["v", {"var": "q"}]} and
 * {"in": [{"var": "q"}, ["v1", "v2"]]}. Yes/no questions must be compared with true/false.
 * Returns WL_ERR_INVALID with "path:line: question 'q' has no option 'v'" for the first
 * problem, WL_OK when all is well. */
wl_rc wl_assetcheck_option_values(const char *path, const json_t *root, const wl_questionnaire_t *q,
                                  wl_err_t *err);

#endif
