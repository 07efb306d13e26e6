/* JsonLogic value semantics (number conversion, loose and strict equality) in one place. */
#include "intake/logic_values.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

bool wl_logic_to_num(const json_t *v, double *out)
{
    switch (json_typeof(v)) {
    case JSON_INTEGER: *out = (double)json_integer_value(v); return true;
    case JSON_REAL: *out = json_real_value(v); return true;
    case JSON_TRUE: *out = 1; return true;
    case JSON_FALSE: *out = 0; return true;
    case JSON_STRING: {
        const char *s = json_string_value(v);
        while (*s == ' ') s++;
        if (!*s) {
            *out = 0;
            return true;
        }
        char *end;
        errno = 0;
        double x = strtod(s, &end);
        while (*end == ' ') end++;
        if (*end || errno == ERANGE || !isfinite(x)) return false;
        *out = x;
        return true;
    }
    default: return false;
    }
}

bool wl_logic_is_scalar(const json_t *v)
{
    return json_is_number(v) || json_is_boolean(v) || json_is_string(v);
}

bool wl_logic_loose_equal(const json_t *a, const json_t *b)
{
    if (json_is_null(a) || json_is_null(b)) return json_is_null(a) && json_is_null(b);
    if (json_is_string(a) && json_is_string(b))
        return strcmp(json_string_value(a), json_string_value(b)) == 0;
    if (wl_logic_is_scalar(a) && wl_logic_is_scalar(b)) {
        double x, y;
        if (!wl_logic_to_num(a, &x) || !wl_logic_to_num(b, &y)) return false;
        return x == y;
    }
    return json_equal((json_t *)a, (json_t *)b);
}

bool wl_logic_strict_equal(const json_t *a, const json_t *b)
{
    if (json_is_number(a) && json_is_number(b)) return json_number_value(a) == json_number_value(b);
    if (json_typeof(a) != json_typeof(b)) return false;
    return json_equal((json_t *)a, (json_t *)b);
}
