/* The central store's API moved to core: include "wijkloket/central.h" (kept so code written
 * against server/central.h still builds). */
#include "wijkloket/central.h"
