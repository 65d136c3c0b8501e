/* The C ABI 1.0 conventions: the last error and its length, argument names, result names, freeing functions that
 * leave the last error alone, E_PARSE at the root of every string argument that is not UTF-8, strict dates, a
 * model handle for every operation giving what the document-taking call gives, and limits per model. C99; run
 * under ASan and Valgrind. */
#undef NDEBUG
#include "okpi.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *last_error(void) {
  static char buf[4096];
  size_t len = 0;
  assert(okpi_error_message(buf, sizeof buf, &len) == OKPI_OK);
  return buf;
}

/* Whether the last error's problems hold one with this code at this path (keys in any order). */
static int last_problem_is(const char *code, const char *path) {
  char *json = NULL;
  char want_code[256], want_path[256];
  const char *at;
  int found = 0;
  assert(okpi_last_error_json(&json) == OKPI_OK);
  snprintf(want_code, sizeof want_code, "\"code\":\"%s\"", code);
  snprintf(want_path, sizeof want_path, "\"path\":\"%s\"", path);
  for (at = strstr(json, want_code); at != NULL && !found; at = strstr(at + 1, want_code)) {
    const char *start = at, *end = strchr(at, '}'), *p;
    while (start > json && *start != '{') start--;
    p = strstr(start, want_path);
    found = p != NULL && end != NULL && p < end;
  }
  if (!found) fprintf(stderr, "wanted %s at %s in %s\n", code, path, json);
  okpi_string_free(json);
  return found;
}

static const char *SMALL =
    "{\"schema_version\": 1,"
    " \"cycles\": [{\"id\": \"q1\", \"start\": \"2026-01-01\", \"end\": \"2026-03-31\"}],"
    " \"objectives\": [{\"id\": \"o1\", \"cycle\": \"q1\"}],"
    " \"key_results\": [{\"id\": \"k1\", \"objective\": \"o1\", \"kind\": \"increase\", \"start\": 0, \"target\": 10}]}";

/* Units, people, a metric with observations, a target, a scorecard, an alert rule and a linked key result. */
static const char *ORG =
    "{\"schema_version\": 1,"
    " \"cycles\": [{\"id\": \"q1\", \"start\": \"2026-01-01\", \"end\": \"2026-03-31\"}],"
    " \"org_units\": [{\"id\": \"co\", \"manager\": \"mia\"}, {\"id\": \"ops\", \"parent\": \"co\", \"manager\": \"ann\"},"
    " {\"id\": \"web\", \"parent\": \"co\"}],"
    " \"people\": [{\"id\": \"mia\", \"unit\": \"co\", \"roles\": [\"executive\"]},"
    " {\"id\": \"ann\", \"unit\": \"ops\", \"roles\": [\"manager\"]}, {\"id\": \"bob\", \"unit\": \"web\"}],"
    " \"measures\": [{\"id\": \"shipped\"}],"
    " \"metrics\": [{\"id\": \"s\", \"kind\": \"simple\", \"measure\": \"shipped\"}],"
    " \"observations\": [{\"measure\": \"shipped\", \"date\": \"2026-01-15\", \"value\": 95, \"dims\": {\"unit\": \"ops\"}},"
    " {\"measure\": \"shipped\", \"date\": \"2026-01-20\", \"value\": 40, \"dims\": {\"unit\": \"web\"}}],"
    " \"objectives\": [{\"id\": \"o1\", \"cycle\": \"q1\", \"owner\": {\"unit\": \"ops\"}},"
    " {\"id\": \"o2\", \"cycle\": \"q1\", \"owner\": {\"person\": \"ann\"}, \"visibility\": \"private\"}],"
    " \"key_results\": [{\"id\": \"k1\", \"objective\": \"o1\", \"kind\": \"increase\", \"start\": 0,"
    " \"target\": 200, \"link\": {\"metric\": \"s\", \"scope\": {\"unit\": \"ops\"}}},"
    " {\"id\": \"k2\", \"objective\": \"o2\", \"kind\": \"increase\", \"start\": 0, \"target\": 4}],"
    " \"check_ins\": [{\"key_result\": \"k2\", \"date\": \"2026-01-10\", \"value\": 1}],"
    " \"targets\": [{\"id\": \"t1\", \"metric\": \"s\", \"scope\": {\"unit\": \"ops\"}, \"cycle\": \"q1\","
    " \"target\": 100, \"supports\": [\"k1\"]}],"
    " \"scorecards\": [{\"id\": \"ops_card\", \"subject\": {\"unit\": \"ops\"}, \"items\": [{\"target\": \"t1\","
    " \"weight\": 100}]}],"
    " \"alert_rules\": [{\"id\": \"low\", \"metric\": \"s\", \"scope\": \"ops\", \"grain\": \"day\","
    " \"condition\": \"below\", \"warning\": {\"value\": 50}, \"no_data\": \"ok\"}]}";

static void test_error_message_length(void) {
  char *out = NULL;
  size_t len = 0, again = 0;
  char *buf;
  assert(okpi_validate("{\"schema_version\": 1, \"cycles\": [", &out) == OKPI_PARSE_ERROR);
  /* snprintf style: no buffer, the length; then a buffer of that length + 1 holds all of it. */
  assert(okpi_error_message(NULL, 0, &len) == OKPI_OK);
  assert(len == strlen(last_error()) && len > 10);
  buf = (char *)malloc(len + 1);
  assert(okpi_error_message(buf, len + 1, &again) == OKPI_OK);
  assert(again == len && strlen(buf) == len && strncmp(buf, "E_PARSE at $.cycles", 19) == 0);
  free(buf);
  assert(okpi_error_message(NULL, 0, NULL) == OKPI_OK);
  assert(okpi_error_message(NULL, 5, &len) == OKPI_NULL_ARGUMENT);
  /* Reading it changes nothing. */
  assert(strncmp(last_error(), "E_PARSE at $.cycles", 19) == 0);
}

/* A NULL argument is named as the header names it. */
static void test_argument_names(void) {
  okpi_model *model = NULL;
  assert(okpi_evaluate(SMALL, "2026-01-01", NULL, NULL) == OKPI_NULL_ARGUMENT);
  assert(strstr(last_error(), "argument out_json is NULL") != NULL);
  {
    char *json = NULL;
    assert(okpi_last_error_json(&json) == OKPI_OK);
    assert(strstr(json, "\"code\":\"OKPI_NULL_ARGUMENT\"") != NULL && strstr(json, "out_json") != NULL);
    okpi_string_free(json);
  }
  assert(okpi_model_new(SMALL, NULL) == OKPI_NULL_ARGUMENT);
  assert(strstr(last_error(), "argument out_model is NULL") != NULL);
  assert(okpi_limits(NULL) == OKPI_NULL_ARGUMENT);
  assert(strstr(last_error(), "argument out_json is NULL") != NULL);
  assert(okpi_model_new(SMALL, &model) == OKPI_OK);
  assert(okpi_model_kpi(model, "query", "{}", NULL) == OKPI_NULL_ARGUMENT);
  assert(strstr(last_error(), "argument out_json is NULL") != NULL);
  assert(okpi_model_document(NULL, NULL) == OKPI_NULL_ARGUMENT);
  okpi_model_free(model);
}

static void test_result_names(void) {
  static const char *names[] = {"OKPI_OK", "OKPI_NULL_ARGUMENT", "OKPI_INVALID_UTF8", "OKPI_PARSE_ERROR",
                                "OKPI_INVALID_DOCUMENT", "OKPI_INVALID_SETTINGS", "OKPI_INVALID_ARGUMENT",
                                "OKPI_PANIC", "OKPI_INTERNAL", "OKPI_LIMIT"};
  unsigned code;
  for (code = 0; code < sizeof names / sizeof *names; code++) assert(strcmp(okpi_result_name(code), names[code]) == 0);
  assert(strcmp(okpi_result_name(OKPI_LIMIT), "OKPI_LIMIT") == 0);
  assert(strcmp(okpi_result_name(10), "OKPI_UNKNOWN_RESULT") == 0);
  assert(strcmp(okpi_result_name(0xffffffffu), "OKPI_UNKNOWN_RESULT") == 0);
}

/* `r = call(); free(...); report(r)` reports the call: freeing leaves the last error alone; NULL frees are no-ops. */
static void test_free_keeps_last_error(void) {
  okpi_model *model = NULL;
  char *text = NULL;
  okpi_result r;
  assert(okpi_model_new(SMALL, &model) == OKPI_OK);
  assert(okpi_validate(SMALL, &text) == OKPI_OK);
  r = okpi_evaluate(SMALL, "2026-02-30", NULL, &text);
  assert(r == OKPI_INVALID_ARGUMENT);
  okpi_model_free(model);
  okpi_string_free(text);
  okpi_model_free(NULL);
  okpi_string_free(NULL);
  (void)okpi_result_name(r);
  assert(strstr(last_error(), "$.as_of") != NULL);
  assert(last_problem_is("E_PARSE", "$.as_of"));
}

/* Every string argument that is not UTF-8: OKPI_INVALID_UTF8 with E_PARSE at the argument's root. */
static void test_utf8(void) {
  static const char bad[] = {'{', '"', (char)0xff, '"', '}', 0};
  static const char bad_text[] = {'2', '0', (char)0xc3, 0};
  char *report = NULL, *out = NULL;
  okpi_model *model = NULL;
  const char *viewer = "{\"person\": \"bob\"}";
  const char *RULE = "{\"id\": \"r\", \"metric\": \"m\", \"scope\": \"u\", \"grain\": \"day\", \"condition\": \"above\","
                     " \"critical\": {\"value\": 1}}";
  assert(okpi_evaluate(ORG, "2026-02-01", NULL, &report) == OKPI_OK);
  assert(okpi_model_new(ORG, &model) == OKPI_OK);
#define UTF8(call, path)                                                                                           \
  do {                                                                                                             \
    assert((call) == OKPI_INVALID_UTF8);                                                                           \
    assert(last_problem_is("E_PARSE", path));                                                                      \
  } while (0)
  UTF8(okpi_filter(bad, "evaluation", report, viewer, &out), "$");
  UTF8(okpi_filter(ORG, "evaluation", bad, viewer, &out), "$.report");
  UTF8(okpi_filter(ORG, "evaluation", report, bad, &out), "$.viewer");
  UTF8(okpi_filter(ORG, bad_text, report, viewer, &out), "$.kind");
  UTF8(okpi_model_filter(model, "evaluation", bad, viewer, &out), "$.report");
  UTF8(okpi_model_filter(model, "evaluation", report, bad, &out), "$.viewer");
  UTF8(okpi_strategy_view(ORG, "2026-02-01", bad, &out), "$.settings");
  UTF8(okpi_strategy_view(ORG, bad_text, NULL, &out), "$.as_of");
  UTF8(okpi_model_strategy_view(model, "2026-02-01", bad, &out), "$.settings");
  UTF8(okpi_validate(bad, &out), "$");
  UTF8(okpi_evaluate(ORG, bad_text, NULL, &out), "$.as_of");
  UTF8(okpi_evaluate(ORG, "2026-02-01", bad, &out), "$.settings");
  UTF8(okpi_model_evaluate(model, bad_text, NULL, &out), "$.as_of");
  UTF8(okpi_kpi(ORG, bad_text, "{}", &out), "$.kind");
  UTF8(okpi_kpi(ORG, "query", bad, &out), "$.query");
  UTF8(okpi_model_kpi(model, "score", bad, &out), "$.score");
  UTF8(okpi_alerts(ORG, bad_text, "2026-01-31", NULL, &out), "$.from");
  UTF8(okpi_alerts(ORG, "2026-01-01", bad_text, NULL, &out), "$.to");
  UTF8(okpi_alerts(ORG, "2026-01-01", "2026-01-31", bad, &out), "$.states");
  UTF8(okpi_model_alerts(model, "2026-01-01", "2026-01-31", bad, &out), "$.states");
  UTF8(okpi_diagnose(ORG, "2026-02-01", NULL, bad, &out), "$.settings");
  UTF8(okpi_model_diagnose(model, "2026-02-01", NULL, bad, &out), "$.settings");
  UTF8(okpi_advise(bad, NULL, &out), "$");
  UTF8(okpi_advise("{}", bad, &out), "$.settings");
  UTF8(okpi_alert_evaluate(bad, NULL, "[]", &out), "$");
  UTF8(okpi_alert_evaluate(RULE, bad, "[]", &out), "$.state");
  UTF8(okpi_alert_evaluate(RULE, NULL, bad, &out), "$.series");
  UTF8(okpi_set_limits(bad), "$.limits");
  UTF8(okpi_model_new(bad, &model), "$");
  UTF8(okpi_model_new_with_limits(SMALL, bad, &model), "$.limits");
  UTF8(okpi_model_apply_check_in(model, bad), "$.check_in");
#undef UTF8
  assert(out == NULL);
  okpi_string_free(report);
  okpi_model_free(model);
}

/* Dates are YYYY-MM-DD only: in arguments (E_PARSE at $.<argument>) and in JSON (E_PARSE at the field). */
static void test_strict_dates(void) {
  static const char *bad[] = {"2026-3-1", " 2026-03-10", "+2026-03-10", "0000-01-01", "2026-03-10 ", "20260310"};
  okpi_model *model = NULL;
  char *out = NULL;
  char doc[1024], request[128];
  size_t i;
  assert(okpi_model_new(ORG, &model) == OKPI_OK);
  for (i = 0; i < sizeof bad / sizeof *bad; i++) {
    assert(okpi_evaluate(SMALL, bad[i], NULL, &out) == OKPI_INVALID_ARGUMENT);
    assert(last_problem_is("E_PARSE", "$.as_of"));
    assert(okpi_model_evaluate(model, bad[i], NULL, &out) == OKPI_INVALID_ARGUMENT);
    assert(last_problem_is("E_PARSE", "$.as_of"));
    assert(okpi_model_alerts(model, bad[i], "2026-01-31", NULL, &out) == OKPI_INVALID_ARGUMENT);
    assert(last_problem_is("E_PARSE", "$.from"));
    assert(okpi_model_strategy_view(model, bad[i], NULL, &out) == OKPI_INVALID_ARGUMENT);
    assert(last_problem_is("E_PARSE", "$.as_of"));
    snprintf(request, sizeof request, "{\"as_of\": \"%s\"}", bad[i]);
    assert(okpi_model_kpi(model, "score", request, &out) == OKPI_INVALID_ARGUMENT);
    assert(last_problem_is("E_PARSE", "$.as_of"));
    assert(okpi_model_kpi(model, "scorecards", request, &out) == OKPI_PARSE_ERROR);
    assert(last_problem_is("E_PARSE", "$.scorecards.as_of"));
    snprintf(request, sizeof request, "{\"key_result\": \"k2\", \"date\": \"%s\", \"value\": 2}", bad[i]);
    assert(okpi_model_apply_check_in(model, request) == OKPI_PARSE_ERROR);
    assert(last_problem_is("E_PARSE", "$.check_in.date"));
    snprintf(doc, sizeof doc,
             "{\"schema_version\": 1, \"cycles\": [{\"id\": \"q1\", \"start\": \"%s\", \"end\": \"2026-03-31\"}]}",
             bad[i]);
    assert(okpi_validate(doc, &out) == OKPI_PARSE_ERROR);
    assert(last_problem_is("E_PARSE", "$.cycles[0].start"));
  }
  assert(out == NULL);
  assert(okpi_model_evaluate(model, "0001-01-01", NULL, &out) == OKPI_OK);
  okpi_string_free(out);
  okpi_model_free(model);
}

/* Runs `doc_call` (a document-taking call) and `model_call` (its handle variant); both must succeed with one
 * result. */
#define SAME(doc_call, model_call)                                                                                 \
  do {                                                                                                             \
    char *a = NULL, *b = NULL;                                                                                     \
    okpi_result ra = (doc_call), rb = (model_call);                                                                \
    if (ra != OKPI_OK || rb != OKPI_OK) fprintf(stderr, "%s: %s\n", #model_call, last_error());                   \
    assert(ra == OKPI_OK && rb == OKPI_OK);                                                                        \
    assert(strcmp(a, b) == 0);                                                                                     \
    okpi_string_free(a);                                                                                           \
    okpi_string_free(b);                                                                                           \
  } while (0)

static void test_handles(void) {
  okpi_model *model = NULL, *again = NULL;
  char *report = NULL, *doc = NULL, *out = NULL, *ev1 = NULL, *ev2 = NULL;
  const char *query = "{\"metric\": \"s\", \"grain\": \"month\", \"from\": \"2026-01-01\", \"to\": \"2026-01-31\"}";
  assert(okpi_model_new(ORG, &model) == OKPI_OK);
  SAME(okpi_evaluate(ORG, "2026-02-01", NULL, &a), okpi_model_evaluate(model, "2026-02-01", NULL, &b));
  SAME(okpi_kpi(ORG, "query", query, &a), okpi_model_kpi(model, "query", query, &b));
  SAME(okpi_kpi(ORG, "query_units", query, &a), okpi_model_kpi(model, "query_units", query, &b));
  SAME(okpi_kpi(ORG, "score", "{\"as_of\": \"2026-01-31\"}", &a),
       okpi_model_kpi(model, "score", "{\"as_of\": \"2026-01-31\"}", &b));
  SAME(okpi_kpi(ORG, "scorecards", "{\"as_of\": \"2026-01-31\"}", &a),
       okpi_model_kpi(model, "scorecards", "{\"as_of\": \"2026-01-31\"}", &b));
  SAME(okpi_alerts(ORG, "2026-01-14", "2026-01-16", NULL, &a),
       okpi_model_alerts(model, "2026-01-14", "2026-01-16", NULL, &b));
  SAME(okpi_diagnose(ORG, "2026-02-01", NULL, NULL, &a), okpi_model_diagnose(model, "2026-02-01", NULL, NULL, &b));
  SAME(okpi_strategy_view(ORG, "2026-01-31", NULL, &a), okpi_model_strategy_view(model, "2026-01-31", NULL, &b));
  assert(okpi_evaluate(ORG, "2026-02-01", NULL, &report) == OKPI_OK);
  SAME(okpi_filter(ORG, "evaluation", report, "{\"person\": \"bob\"}", &a),
       okpi_model_filter(model, "evaluation", report, "{\"person\": \"bob\"}", &b));
  SAME(okpi_validate(ORG, &a), okpi_model_document(model, &b));

  /* The units query has a cell per unit: co (95 + 40), ops 95, web 40. */
  assert(okpi_model_kpi(model, "query_units", query, &out) == OKPI_OK);
  assert(strstr(out, "\"group\":{\"unit\":\"co\"},\"value\":135.0") != NULL);
  assert(strstr(out, "\"group\":{\"unit\":\"web\"},\"value\":40.0") != NULL);
  okpi_string_free(out);
  /* bob's view hides ann's private objective; the model's filter resolves him against the model's people. */
  assert(okpi_model_filter(model, "evaluation", report, "{\"person\": \"bob\"}", &out) == OKPI_OK);
  assert(strstr(out, "\"id\":\"o1\"") != NULL && strstr(out, "o2") == NULL);
  okpi_string_free(out);
  out = NULL;
  assert(okpi_model_filter(model, "explanation", "null", "{\"person\": \"bob\"}", &out) == OKPI_INVALID_ARGUMENT);
  assert(last_problem_is("E_INVALID_VALUE", "$.kind"));
  assert(okpi_model_filter(model, "evaluation", report, "{\"person\": \"zed\"}", &out) == OKPI_INVALID_ARGUMENT);
  assert(last_problem_is("E_UNKNOWN_ID", "$.viewer.person"));
  assert(okpi_model_kpi(model, "dashboard", "{}", &out) == OKPI_INVALID_ARGUMENT);
  assert(last_problem_is("E_INVALID_VALUE", "$.kind"));
  assert(out == NULL);
  okpi_string_free(report);

  /* The document comes back out with the check-ins applied since, and makes the same model again. */
  assert(okpi_model_apply_check_in(model, "{\"key_result\": \"k2\", \"date\": \"2026-01-20\", \"value\": 3}") ==
         OKPI_OK);
  assert(okpi_model_document(model, &doc) == OKPI_OK);
  assert(strstr(doc, "\"date\":\"2026-01-20\"") != NULL);
  assert(okpi_model_new(doc, &again) == OKPI_OK);
  assert(okpi_model_evaluate(model, "2026-02-01", NULL, &ev1) == OKPI_OK);
  assert(okpi_model_evaluate(again, "2026-02-01", NULL, &ev2) == OKPI_OK);
  assert(strcmp(ev1, ev2) == 0 && strstr(ev1, "\"progress\":0.75") != NULL);
  okpi_string_free(ev1);
  okpi_string_free(ev2);
  okpi_string_free(doc);
  okpi_model_free(again);

  /* NULL handles. */
  assert(okpi_model_kpi(NULL, "query", query, &out) == OKPI_NULL_ARGUMENT);
  assert(strstr(last_error(), "argument model is NULL") != NULL);
  assert(okpi_model_alerts(NULL, "2026-01-01", "2026-01-02", NULL, &out) == OKPI_NULL_ARGUMENT);
  assert(okpi_model_diagnose(NULL, "2026-01-01", NULL, NULL, &out) == OKPI_NULL_ARGUMENT);
  assert(okpi_model_strategy_view(NULL, "2026-01-01", NULL, &out) == OKPI_NULL_ARGUMENT);
  assert(okpi_model_filter(NULL, "evaluation", "{}", "{}", &out) == OKPI_NULL_ARGUMENT);
  assert(okpi_model_document(NULL, &out) == OKPI_NULL_ARGUMENT);
  assert(out == NULL);
  okpi_model_free(model);
}

/* A handle keeps the limits it was made with, whatever okpi_set_limits does later. */
static void test_limits_per_model(void) {
  okpi_model *tight = NULL, *roomy = NULL;
  char *out = NULL;
  const char *long_note =
      "{\"key_result\": \"k1\", \"date\": \"2026-01-20\", \"value\": 5, \"note\": \"a note longer than sixteen bytes\"}";
  assert(okpi_model_new_with_limits(SMALL, "{\"text_bytes\": 0}", &tight) == OKPI_INVALID_SETTINGS);
  assert(last_problem_is("E_SETTINGS", "$.limits.text_bytes"));
  assert(tight == NULL);
  assert(okpi_model_new_with_limits(SMALL, "{\"text_bytes\": 16}", &tight) == OKPI_OK);
  assert(okpi_model_apply_check_in(tight, long_note) == OKPI_LIMIT);
  assert(last_problem_is("E_LIMIT", "$.check_in.note"));
  assert(okpi_model_new(SMALL, &roomy) == OKPI_OK); /* the process-wide defaults */

  /* Tighter process-wide limits: the document-taking calls refuse SMALL, the handles keep theirs. */
  assert(okpi_set_limits("{\"document_bytes\": 40}") == OKPI_OK);
  assert(okpi_validate(SMALL, &out) == OKPI_LIMIT);
  assert(okpi_model_apply_check_in(roomy, long_note) == OKPI_OK);
  assert(okpi_model_apply_check_in(tight, long_note) == OKPI_LIMIT);
  assert(okpi_model_evaluate(tight, "2026-02-01", "{\"on_track_tolerance\": 0.1}", &out) == OKPI_LIMIT);
  assert(last_problem_is("E_LIMIT", "$.settings"));
  assert(okpi_model_evaluate(tight, "2026-02-01", NULL, &out) == OKPI_OK);
  okpi_string_free(out);
  out = NULL;
  /* NULL limits: the process-wide ones in force when the handle is made. */
  assert(okpi_model_new_with_limits(SMALL, NULL, &tight) == OKPI_LIMIT);
  assert(okpi_set_limits(NULL) == OKPI_OK);
  okpi_model_free(tight);
  okpi_model_free(roomy);
}

int main(void) {
  test_error_message_length();
  test_argument_names();
  test_result_names();
  test_free_keeps_last_error();
  test_utf8();
  test_strict_dates();
  test_handles();
  test_limits_per_model();
  puts("abi_test: 8 passed, 0 failed");
  return 0;
}
