/* Unit tests for the JsonLogic subset: every operator, null handling, age, and the checker. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "wijkloket/logic.h"

static json_t *parse(const char *text)
{
    json_error_t e;
    json_t *v = json_loads(text, JSON_DECODE_ANY, &e);
    if (!v) fail_msg("bad test JSON '%s': %s", text, e.text);
    return v;
}

/* Evaluates rule over data (today fixed) and compares with the expected JSON value. */
static void expect(const char *rule_text, const char *data_text, const char *want_text)
{
    json_t *rule = parse(rule_text), *data = parse(data_text), *want = parse(want_text);
    wl_logic_ctx_t ctx = {data, "2026-03-15"};
    json_t *got = NULL;
    wl_err_t err = {""};
    wl_rc rc = wl_logic_eval(rule, &ctx, &got, &err);
    if (rc != WL_OK) fail_msg("%s: error %s", rule_text, err.msg);
    /* Numbers compare by value so 2 and 2.0 are equal. */
    bool same = json_is_number(got) && json_is_number(want)
                    ? json_number_value(got) == json_number_value(want)
                    : json_equal(got, want);
    if (!same) {
        char *g = json_dumps(got, JSON_ENCODE_ANY);
        print_error("%s with %s gave %s, want %s\n", rule_text, data_text, g, want_text);
        free(g);
        fail();
    }
    json_decref(rule);
    json_decref(data);
    json_decref(want);
    json_decref(got);
}

static void expect_eval_error(const char *rule_text, const char *needle)
{
    json_t *rule = parse(rule_text), *data = parse("{}");
    wl_logic_ctx_t ctx = {data, "2026-03-15"};
    json_t *got = NULL;
    wl_err_t err = {""};
    assert_int_equal(wl_logic_eval(rule, &ctx, &got, &err), WL_ERR_INVALID);
    assert_null(got);
    if (!strstr(err.msg, needle)) fail_msg("'%s' not in '%s'", needle, err.msg);
    json_decref(rule);
    json_decref(data);
}

static void test_var(void **state)
{
    (void)state;
    expect("{\"var\":\"a\"}", "{\"a\":3}", "3");
    expect("{\"var\":[\"a\"]}", "{\"a\":\"x\"}", "\"x\"");
    expect("{\"var\":\"b\"}", "{\"a\":3}", "null");
    expect("{\"var\":[\"b\", 7]}", "{\"a\":3}", "7");
    expect("{\"var\":[\"a\", 7]}", "{\"a\":null}", "7");
    expect("{\"var\":\"p.q.r\"}", "{\"p\":{\"q\":{\"r\":true}}}", "true");
    expect("{\"var\":\"p.1\"}", "{\"p\":[\"x\",\"y\"]}", "\"y\"");
    expect("{\"var\":\"p.x\"}", "{\"p\":5}", "null");
    expect("{\"var\":\"\"}", "{\"a\":1}", "{\"a\":1}");
}

static void test_equality(void **state)
{
    (void)state;
    expect("{\"==\":[1,1]}", "{}", "true");
    expect("{\"==\":[1,\"1\"]}", "{}", "true");
    expect("{\"==\":[1,2]}", "{}", "false");
    expect("{\"==\":[null,null]}", "{}", "true");
    expect("{\"==\":[null,0]}", "{}", "false");
    expect("{\"==\":[{\"var\":\"w\"},\"ja\"]}", "{\"w\":\"ja\"}", "true");
    expect("{\"!=\":[{\"var\":\"w\"},\"ja\"]}", "{\"w\":\"nee\"}", "true");
    expect("{\"===\":[1,\"1\"]}", "{}", "false");
    expect("{\"===\":[2,2.0]}", "{}", "true");
    expect("{\"!==\":[1,\"1\"]}", "{}", "true");
    expect("{\"==\":[true,1]}", "{}", "true");
}

static void test_ordering(void **state)
{
    (void)state;
    expect("{\"<\":[1,2]}", "{}", "true");
    expect("{\"<\":[2,2]}", "{}", "false");
    expect("{\"<=\":[2,2]}", "{}", "true");
    expect("{\">\":[3,2]}", "{}", "true");
    expect("{\">=\":[2,3]}", "{}", "false");
    expect("{\"<\":[1,2,3]}", "{}", "true");
    expect("{\"<\":[1,3,3]}", "{}", "false");
    expect("{\"<=\":[1,3,3]}", "{}", "true");
    expect("{\"<=\":[1,4,3]}", "{}", "false");
    /* Dates as text order as dates. */
    expect("{\"<\":[\"2025-12-31\",\"2026-01-01\"]}", "{}", "true");
    /* A missing value makes every comparison false, not "0 < 27". */
    expect("{\"<\":[{\"var\":\"x\"},27]}", "{}", "false");
    expect("{\">=\":[{\"var\":\"x\"},0]}", "{}", "false");
    expect("{\"<\":[\"abc\",3]}", "{}", "false");
    expect_eval_error("{\"<\":[[1],3]}", "cannot compare");
}

static void test_boolean(void **state)
{
    (void)state;
    expect("{\"!\":[true]}", "{}", "false");
    expect("{\"!\":true}", "{}", "false");
    expect("{\"!\":[[]]}", "{}", "true");
    expect("{\"!!\":[\"x\"]}", "{}", "true");
    expect("{\"!!\":[0]}", "{}", "false");
    expect("{\"and\":[true,3]}", "{}", "3");
    expect("{\"and\":[true,0,3]}", "{}", "0");
    expect("{\"or\":[false,\"\",\"x\"]}", "{}", "\"x\"");
    expect("{\"or\":[false,0]}", "{}", "0");
    /* Short-circuit: the unknown operator behind a false guard is never evaluated. */
    expect("{\"and\":[false,{\"nope\":1}]}", "{}", "false");
}

static void test_if(void **state)
{
    (void)state;
    expect("{\"if\":[true,\"a\",\"b\"]}", "{}", "\"a\"");
    expect("{\"if\":[false,\"a\",\"b\"]}", "{}", "\"b\"");
    expect("{\"if\":[false,\"a\",true,\"b\",\"c\"]}", "{}", "\"b\"");
    expect("{\"if\":[false,\"a\",false,\"b\",\"c\"]}", "{}", "\"c\"");
    expect("{\"if\":[false,\"a\"]}", "{}", "null");
    expect("{\"if\":[{\"<\":[{\"var\":\"n\"},10]},\"klein\",\"groot\"]}", "{\"n\":12}", "\"groot\"");
}

static void test_in(void **state)
{
    (void)state;
    expect("{\"in\":[\"schulden\",{\"var\":\"m\"}]}", "{\"m\":[\"huur\",\"schulden\"]}", "true");
    expect("{\"in\":[\"zorg\",{\"var\":\"m\"}]}", "{\"m\":[\"huur\",\"schulden\"]}", "false");
    expect("{\"in\":[\"zorg\",{\"var\":\"m\"}]}", "{}", "false");
    expect("{\"in\":[\"oo\",\"Groningen\"]}", "{}", "false");
    expect("{\"in\":[\"ning\",\"Groningen\"]}", "{}", "true");
}

static void test_arith(void **state)
{
    (void)state;
    expect("{\"+\":[1,2,3]}", "{}", "6");
    expect("{\"+\":[\"4\"]}", "{}", "4");
    expect("{\"-\":[10,4]}", "{}", "6");
    expect("{\"-\":[3]}", "{}", "-3");
    expect("{\"*\":[2,2.5]}", "{}", "5");
    expect("{\"/\":[7,2]}", "{}", "3.5");
    expect("{\"/\":[7,0]}", "{}", "null");
    expect("{\"min\":[3,1,2]}", "{}", "1");
    expect("{\"max\":[3,1,2]}", "{}", "3");
    expect("{\"+\":[{\"var\":\"a\"},1]}", "{}", "null");
    expect_eval_error("{\"+\":[\"abc\",1]}", "not a number");
}

static void test_missing_count(void **state)
{
    (void)state;
    expect("{\"missing\":[\"a\",\"b\",\"c\"]}", "{\"a\":1,\"c\":\"\"}", "[\"b\",\"c\"]");
    expect("{\"missing\":[[\"a\",\"b\"]]}", "{\"a\":1}", "[\"b\"]");
    expect("{\"missing\":\"a\"}", "{\"a\":false}", "[]");
    expect("{\"count\":[true,false,1,0,\"x\"]}", "{}", "3");
    expect("{\"count\":[{\"var\":\"m\"}]}", "{\"m\":[\"a\",\"b\"]}", "2");
    expect("{\"count\":{\"var\":\"m\"}}", "{\"m\":[]}", "0");
    expect("{\"count\":[{\"var\":\"a\"},{\"var\":\"b\"}]}", "{\"a\":true}", "1");
}

static void test_age(void **state)
{
    (void)state;
    /* today is 2026-03-15 */
    expect("{\"age\":[\"2000-03-15\"]}", "{}", "26");
    expect("{\"age\":[\"2000-03-16\"]}", "{}", "25");
    expect("{\"age\":[{\"var\":\"gd\"}]}", "{\"gd\":\"1999-12-31\"}", "26");
    expect("{\"age\":[{\"var\":\"gd\"}]}", "{}", "null");
    expect("{\"age\":[\"2023-02-29\"]}", "{}", "null");
    expect("{\"age\":[\"2027-01-01\"]}", "{}", "null");
    expect("{\"<\":[{\"age\":[{\"var\":\"gd\"}]},27]}", "{\"gd\":\"2001-01-01\"}", "true");
    /* No today: null, never the wall clock. */
    json_t *rule = parse("{\"age\":[\"2000-01-01\"]}"), *out = NULL;
    wl_logic_ctx_t ctx = {NULL, NULL};
    assert_int_equal(wl_logic_eval(rule, &ctx, &out, NULL), WL_OK);
    assert_true(json_is_null(out));
    json_decref(out);
    json_decref(rule);
}

static void test_literals_and_truthy(void **state)
{
    (void)state;
    expect("42", "{}", "42");
    expect("[1,{\"var\":\"a\"}]", "{\"a\":2}", "[1,2]");
    json_t *v = parse("[]");
    assert_false(wl_logic_truthy(v));
    json_decref(v);
    v = parse("{}");
    assert_true(wl_logic_truthy(v));
    json_decref(v);
    assert_false(wl_logic_truthy(NULL));

    json_t *rule = parse("{\"==\":[{\"var\":\"a\"},1]}"), *data = parse("{\"a\":1}");
    wl_logic_ctx_t ctx = {data, "2026-01-01"};
    bool t = false;
    assert_int_equal(wl_logic_test(rule, &ctx, &t, NULL), WL_OK);
    assert_true(t);
    json_decref(rule);
    json_decref(data);
}

static void test_eval_errors(void **state)
{
    (void)state;
    expect_eval_error("{\"foo\":[1]}", "unknown operator 'foo'");
    expect_eval_error("{\"==\":[1]}", "'=='");
    expect_eval_error("{\"a\":1,\"b\":2}", "exactly one operator");
    expect_eval_error("{\"var\":[[1]]}", "must be text");
    /* Deep nesting is refused, not a stack overflow. */
    char buf[4096] = "";
    for (int i = 0; i < 100; i++) strcat(buf, "{\"!\":");
    strcat(buf, "true");
    for (int i = 0; i < 100; i++) strcat(buf, "}");
    expect_eval_error(buf, "nested");
}

static bool known_ab(const char *name, void *ud)
{
    int *calls = ud;
    (*calls)++;
    return !strcmp(name, "a") || !strcmp(name, "b");
}

static void check_rule(const char *rule_text, wl_rc want, const char *needle)
{
    json_t *rule = parse(rule_text);
    wl_err_t err = {""};
    int calls = 0;
    wl_rc rc = wl_logic_check(rule, known_ab, &calls, &err);
    if (rc != want) fail_msg("%s: rc %d want %d (%s)", rule_text, rc, want, err.msg);
    if (needle && !strstr(err.msg, needle)) fail_msg("'%s' not in '%s'", needle, err.msg);
    json_decref(rule);
}

static void test_check(void **state)
{
    (void)state;
    check_rule("{\"and\":[{\"var\":\"a\"},{\"==\":[{\"var\":\"b\"},1]}]}", WL_OK, NULL);
    check_rule("{\"var\":\"c\"}", WL_ERR_INVALID, "unknown variable 'c'");
    check_rule("{\"missing\":[\"a\",\"zz\"]}", WL_ERR_INVALID, "unknown variable 'zz'");
    check_rule("{\"if\":[true,{\"var\":\"q\"},1]}", WL_ERR_INVALID, "'q'");
    check_rule("{\"bogus\":[1]}", WL_ERR_INVALID, "unknown operator 'bogus'");
    check_rule("{\"<\":[1,2,3,4]}", WL_ERR_INVALID, "takes 2 to 3 arguments, got 4");
    check_rule("{\">\":[1,2,3]}", WL_ERR_INVALID, "takes 2 argument(s), got 3");
    check_rule("{\"!\":[]}", WL_ERR_INVALID, "'!' takes 1");
    check_rule("{\"age\":[\"a\",\"b\"]}", WL_ERR_INVALID, "'age'");
    check_rule("{\"and\":[]}", WL_ERR_INVALID, "at least 1");
    check_rule("{}", WL_ERR_INVALID, "exactly one operator");
    check_rule("true", WL_OK, NULL);
    /* NULL known skips var checks but still checks operators. */
    json_t *r = parse("{\"var\":\"whatever\"}");
    assert_int_equal(wl_logic_check(r, NULL, NULL, NULL), WL_OK);
    json_decref(r);
}

static bool collect(const char *name, void *ud)
{
    char *buf = ud;
    strcat(buf, name);
    strcat(buf, ";");
    return false;
}

static void test_each_var(void **state)
{
    (void)state;
    json_t *r = parse("{\"or\":[{\"var\":\"a\"},{\"missing\":[\"b\",\"c\"]},{\"age\":{\"var\":\"d\"}}]}");
    char buf[128] = "";
    wl_logic_each_var(r, collect, buf);
    assert_string_equal(buf, "a;b;c;d;");
    json_decref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_var),         cmocka_unit_test(test_equality),
        cmocka_unit_test(test_ordering),    cmocka_unit_test(test_boolean),
        cmocka_unit_test(test_if),          cmocka_unit_test(test_in),
        cmocka_unit_test(test_arith),       cmocka_unit_test(test_missing_count),
        cmocka_unit_test(test_age),         cmocka_unit_test(test_literals_and_truthy),
        cmocka_unit_test(test_eval_errors), cmocka_unit_test(test_check),
        cmocka_unit_test(test_each_var),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
