/* Private: JsonLogic value semantics shared by the interpreter (logic.c) and the compiled
 * routing conditions (classify_fast.c), so both give the same answer by construction. */
#ifndef WL_LOGIC_VALUES_H
#define WL_LOGIC_VALUES_H

#include <jansson.h>
#include <stdbool.h>

/* JavaScript-like conversion to a number for scalars; false for arrays, objects and text that
 * is not a number. null is not converted: callers decide what a missing value means. */
bool wl_logic_to_num(const json_t *v, double *out);
/* A number, boolean or string: something "==" may convert. */
bool wl_logic_is_scalar(const json_t *v);
/* "==": like JavaScript's loose equality for the scalar types we use. */
bool wl_logic_loose_equal(const json_t *a, const json_t *b);
/* "===": same kind and same value; 2 and 2.0 are the same number. */
bool wl_logic_strict_equal(const json_t *a, const json_t *b);

#endif
