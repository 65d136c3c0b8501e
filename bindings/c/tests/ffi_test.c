/* The C ABI from C: every entry point, its error paths, and the demo quarter. Run under ASan and Valgrind. */
#undef NDEBUG
#include "okpi.h"

#include <assert.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  assert(f != NULL);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = (char *)malloc((size_t)n + 1);
  assert(buf != NULL);
  size_t got = fread(buf, 1, (size_t)n, f);
  assert(got == (size_t)n);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static const char *last_error(void) {
  static char buf[4096];
  size_t len = 0;
  assert(okpi_error_message(buf, sizeof buf, &len) == OKPI_OK);
  return buf;
}

static const char *SMALL =
    "{\"schema_version\": 1,"
    " \"cycles\": [{\"id\": \"q1\", \"start\": \"2026-01-01\", \"end\": \"2026-03-31\"}],"
    " \"objectives\": [{\"id\": \"o1\", \"cycle\": \"q1\"}],"
    " \"key_results\": [{\"id\": \"k1\", \"objective\": \"o1\", \"kind\": \"increase\", \"start\": 0, \"target\": 10}]}";

static void test_version(void) {
  char expect[32];
  snprintf(expect, sizeof expect, "%d.%d.%d", OKPI_VERSION_MAJOR, OKPI_VERSION_MINOR, OKPI_VERSION_PATCH);
  assert(strcmp(okpi_version(), expect) == 0);
}

static void test_evaluate_demo(const char *demo_path) {
  char *doc = read_file(demo_path);
  char *out = NULL;
  assert(okpi_evaluate(doc, "2026-03-10", NULL, &out) == OKPI_OK);
  assert(out != NULL);
  assert(strstr(out, "\"id\":\"g1\"") != NULL);
  assert(strstr(out, "\"status\":\"at_risk\"") != NULL);
  okpi_string_free(out);

  out = NULL;
  assert(okpi_validate(doc, &out) == OKPI_OK);
  assert(strstr(out, "\"schema_version\":1") != NULL);
  okpi_string_free(out);
  free(doc);
}

static void test_errors(void) {
  char *sentinel = (char *)"untouched";
  char *out = sentinel;

  assert(okpi_evaluate(NULL, "2026-01-01", NULL, &out) == OKPI_NULL_ARGUMENT);
  assert(out == sentinel);
  assert(strstr(last_error(), "doc_json") != NULL);
  assert(okpi_evaluate(SMALL, "2026-01-01", NULL, NULL) == OKPI_NULL_ARGUMENT);
  assert(okpi_evaluate(SMALL, NULL, NULL, &out) == OKPI_NULL_ARGUMENT);

  const char bad_utf8[] = {'{', '"', (char)0xff, '"', '}', 0};
  assert(okpi_validate(bad_utf8, &out) == OKPI_INVALID_UTF8);
  assert(out == sentinel);

  assert(okpi_validate("{\"schema_version\": 1, \"cycles\": [", &out) == OKPI_PARSE_ERROR);
  assert(strstr(last_error(), "E_PARSE") != NULL);
  assert(okpi_validate("{\"schema_version\": 1, \"objectives\": [{\"id\": \"o\", \"cycle\": 5}]}", &out) ==
         OKPI_PARSE_ERROR);
  assert(strstr(last_error(), "$.objectives[0].cycle") != NULL);

  const char *invalid =
      "{\"schema_version\": 1, \"key_results\": [{\"id\": \"k\", \"objective\": \"nope\", \"kind\": \"increase\","
      " \"start\": 1, \"target\": 1}]}";
  assert(okpi_validate(invalid, &out) == OKPI_INVALID_DOCUMENT);
  assert(out == sentinel);
  const char *msg = last_error();
  assert(strstr(msg, "E_UNKNOWN_ID at $.key_results[0].objective (k)") != NULL);
  assert(strstr(msg, "E_START_EQUALS_TARGET at $.key_results[0].target (k)") != NULL);

  assert(okpi_evaluate(SMALL, "2026-02-30", NULL, &out) == OKPI_INVALID_ARGUMENT);
  assert(strstr(last_error(), "2026-02-30") != NULL);
  assert(okpi_evaluate(SMALL, "2026-02-01", "{\"on_track_tolerance\": 2}", &out) == OKPI_INVALID_SETTINGS);
  assert(strstr(last_error(), "$.settings.on_track_tolerance") != NULL);
  assert(out == sentinel);

  /* A short buffer gets a cut, NUL-terminated message and the full length. */
  char tiny[8];
  size_t len = 0;
  assert(okpi_error_message(tiny, sizeof tiny, &len) == OKPI_OK);
  assert(strlen(tiny) == 7 && len > 7);
  assert(okpi_error_message(NULL, 1, NULL) == OKPI_NULL_ARGUMENT); /* NULL, 0 sizes: see abi_test.c */

  /* Success clears the last error. */
  assert(okpi_validate(SMALL, &out) == OKPI_OK);
  okpi_string_free(out);
  assert(strcmp(last_error(), "") == 0);
  okpi_string_free(NULL);
}

static void test_model(void) {
  okpi_model *model = NULL;
  assert(okpi_model_new(NULL, &model) == OKPI_NULL_ARGUMENT);
  assert(okpi_model_new("{\"schema_version\": 2}", &model) == OKPI_INVALID_DOCUMENT);
  assert(model == NULL);
  assert(okpi_model_new(SMALL, &model) == OKPI_OK);
  assert(model != NULL);

  char *out = NULL;
  assert(okpi_model_evaluate(model, "2026-02-01", NULL, &out) == OKPI_OK);
  assert(strstr(out, "\"progress\":0.0") != NULL);
  okpi_string_free(out);

  assert(okpi_model_apply_check_in(model, "{\"key_result\": \"k1\", \"date\": \"2026-01-20\", \"value\": 5}") ==
         OKPI_OK);
  assert(okpi_model_apply_check_in(model, "{\"key_result\": \"k1\", \"date\": \"2026-05-20\", \"value\": 9}") ==
         OKPI_INVALID_DOCUMENT);
  assert(strstr(last_error(), "E_DATE_OUTSIDE_CYCLE at $.check_in.date") != NULL);
  assert(okpi_model_apply_check_in(model, "{\"key_result\": \"k1\", \"value\": 9}") == OKPI_PARSE_ERROR);
  assert(strstr(last_error(), "date") != NULL);
  assert(okpi_model_apply_check_in(NULL, "{}") == OKPI_NULL_ARGUMENT);

  out = NULL;
  assert(okpi_model_evaluate(model, "2026-02-01", "{\"overshoot\": {\"cap\": 1.25}}", &out) == OKPI_OK);
  assert(strstr(out, "\"progress\":0.5") != NULL);
  okpi_string_free(out);
  assert(okpi_model_evaluate(NULL, "2026-02-01", NULL, &out) == OKPI_NULL_ARGUMENT);
  okpi_model_free(model);
  okpi_model_free(NULL);
}

/* okpi_model_call: the call layer's JSON form on a handle; the answer is the matching entry point's JSON. */
static void test_model_call(void) {
  okpi_model *model = NULL;
  assert(okpi_model_new(SMALL, &model) == OKPI_OK);
  assert(okpi_model_apply_check_in(model, "{\"key_result\": \"k1\", \"date\": \"2026-01-20\", \"value\": 5}") ==
         OKPI_OK);

  char *direct = NULL, *out = NULL;
  assert(okpi_model_evaluate(model, "2026-02-01", NULL, &direct) == OKPI_OK);
  assert(okpi_model_call(model, "{\"op\": \"evaluate\", \"as_of\": \"2026-02-01\"}", &out) == OKPI_OK);
  assert(strcmp(out, direct) == 0);
  assert(strstr(out, "\"progress\":0.5") != NULL);
  okpi_string_free(out);
  okpi_string_free(direct);

  out = NULL;
  assert(okpi_model_call(model, "{\"op\": \"check_ins\", \"as_of\": \"2026-02-01\", \"key_result\": \"k1\"}", &out) ==
         OKPI_OK);
  assert(strstr(out, "\"value\":5.0") != NULL);
  okpi_string_free(out);

  out = NULL;
  assert(okpi_model_call(model, "{\"op\": \"document\"}", &out) == OKPI_OK);
  assert(strstr(out, "\"2026-01-20\"") != NULL);
  okpi_string_free(out);

  /* Errors: the kind of each becomes its result code; paths are inside the call. */
  out = NULL;
  assert(okpi_model_call(model, "{\"op\": \"evaluate\", \"as_of\": \"2026-02-30\"}", &out) == OKPI_INVALID_ARGUMENT);
  assert(out == NULL);
  assert(strstr(last_error(), "E_PARSE at $.as_of") != NULL);
  assert(okpi_model_call(model, "{\"op\": \"evaluate\", \"as_of\": \"2026-02-01\", \"settings\": {\"overshoot\": 3}}",
                         &out) == OKPI_PARSE_ERROR);
  assert(strstr(last_error(), "$.settings.overshoot") != NULL);
  assert(okpi_model_call(model,
                         "{\"op\": \"evaluate\", \"as_of\": \"2026-02-01\", \"settings\": {\"on_track_tolerance\": -1}}",
                         &out) == OKPI_INVALID_SETTINGS);
  assert(okpi_model_call(model, "{\"op\": \"fly\"}", &out) == OKPI_INVALID_ARGUMENT);
  assert(strstr(last_error(), "E_INVALID_VALUE at $.op") != NULL);
  assert(okpi_model_call(model, "{\"op\": \"apply_check_in\", \"check_in\": {\"key_result\": \"k1\", \"date\": "
                                "\"2026-01-21\", \"value\": 6}}",
                         &out) == OKPI_INVALID_ARGUMENT);
  assert(okpi_model_call(model, "{\"op\": \"evaluate\", \"as_of\": \"2026-02-01\", \"viewer\": {\"person\": \"zed\"}}",
                         &out) == OKPI_INVALID_ARGUMENT);
  assert(okpi_model_call(model, "not json", &out) == OKPI_PARSE_ERROR);
  assert(okpi_model_call(model, "\xff", &out) == OKPI_INVALID_UTF8);
  assert(okpi_model_call(model, NULL, &out) == OKPI_NULL_ARGUMENT);
  assert(okpi_model_call(model, "{\"op\": \"document\"}", NULL) == OKPI_NULL_ARGUMENT);
  assert(okpi_model_call(NULL, "{\"op\": \"document\"}", &out) == OKPI_NULL_ARGUMENT);
  assert(out == NULL);
  okpi_model_free(model);

  /* The handle's limits bound the call's text. */
  assert(okpi_model_new_with_limits(SMALL, "{\"json_depth\": 3}", &model) == OKPI_OK);
  assert(okpi_model_call(model, "{\"op\": \"query\", \"query\": {\"metric\": \"m\", \"filters\": {\"a\": [[1]]}}}",
                         &out) == OKPI_LIMIT);
  okpi_model_free(model);
}

static void test_advise(void) {
  const char *line =
      "{\"id\": \"ops\", \"uncertainty\": 0.2, \"standardization\": 0.8, \"lifecycle\": \"mature\","
      " \"failure_tolerance\": 0.5, \"transparency\": 0.5, \"self_drive\": 0.5, \"manager_coaching\": 0.5,"
      " \"readiness\": {\"goal_design\": 0.6, \"data_reliability\": 0.7, \"communication_cadence\": 0.6}}";
  char *out = NULL;
  assert(okpi_advise(line, NULL, &out) == OKPI_OK);
  assert(strstr(out, "\"recommendation\":\"kpi\"") != NULL);
  okpi_string_free(out);

  char many[2048];
  snprintf(many, sizeof many, "[%s]", line);
  assert(okpi_advise(many, "{\"split\": 0.5}", &out) == OKPI_OK);
  assert(strstr(out, "\"share\":1.0") != NULL);
  okpi_string_free(out);

  assert(okpi_advise("{\"id\": \"x\"}", NULL, &out) == OKPI_PARSE_ERROR);
  assert(strstr(last_error(), "uncertainty") != NULL);
}

static void test_diagnose(const char *demo_path) {
  char *doc = read_file(demo_path);
  char *out = NULL;
  assert(okpi_diagnose(doc, "2026-03-10", NULL, NULL, &out) == OKPI_OK);
  assert(strstr(out, "\"health\"") != NULL);
  okpi_string_free(out);
  out = NULL;
  assert(okpi_diagnose(doc, "2026-03-10", NULL, "{\"surge_window\": 2}", &out) == OKPI_INVALID_SETTINGS);
  assert(out == NULL);
  assert(strstr(last_error(), "$.settings.surge_window") != NULL);
  assert(okpi_diagnose(doc, "2026-03-10", NULL, "{\"stale\": 1}", &out) == OKPI_PARSE_ERROR);
  assert(strstr(last_error(), "stale") != NULL);

  /* The JSON form of the last error lists each problem with its code and path. */
  char *problems = NULL;
  assert(okpi_validate("{\"schema_version\": 1, \"objectives\": [{\"id\": \"o\", \"cycle\": \"q\"}]}", &out) ==
         OKPI_INVALID_DOCUMENT);
  assert(okpi_last_error_json(&problems) == OKPI_OK);
  assert(strstr(problems, "\"code\":\"E_UNKNOWN_ID\"") != NULL);
  assert(strstr(problems, "\"path\":\"$.objectives[0].cycle\"") != NULL);
  okpi_string_free(problems);
  assert(okpi_last_error_json(NULL) == OKPI_NULL_ARGUMENT);
  free(doc);
}

static void test_document_alerts(void) {
  const char *doc =
      "{\"schema_version\": 1, \"org_units\": [{\"id\": \"ops\"}], \"measures\": [{\"id\": \"backlog\"}],"
      " \"metrics\": [{\"id\": \"b\", \"kind\": \"simple\", \"measure\": \"backlog\", \"agg\": \"max\"}],"
      " \"observations\": [{\"measure\": \"backlog\", \"date\": \"2026-03-02\", \"value\": 130, \"dims\": {\"unit\": \"ops\"}}],"
      " \"alert_rules\": [{\"id\": \"high\", \"metric\": \"b\", \"scope\": \"ops\", \"grain\": \"day\","
      " \"condition\": \"above\", \"critical\": {\"value\": 100}, \"no_data\": \"ok\"}]}";
  char *out = NULL;
  assert(okpi_alerts(doc, "2026-03-01", "2026-03-03", NULL, &out) == OKPI_OK);
  assert(strstr(out, "\"type\":\"firing\"") != NULL);
  assert(strstr(out, "\"type\":\"resolved\"") != NULL);
  okpi_string_free(out);
  out = NULL;
  assert(okpi_alerts(doc, "2026-03-01", "2026-03-33", NULL, &out) == OKPI_INVALID_ARGUMENT);
  assert(okpi_alerts(doc, "2026-03-01", "2026-03-03", "{\"high\": 5}", &out) == OKPI_PARSE_ERROR);
  assert(strstr(last_error(), "$.states.high") != NULL);
  assert(out == NULL);
}

static void test_strategy_view(void) {
  const char *doc =
      "{\"schema_version\": 1,"
      " \"cycles\": [{\"id\": \"q1\", \"start\": \"2026-01-01\", \"end\": \"2026-03-31\"}],"
      " \"org_units\": [{\"id\": \"ops\"}], \"measures\": [{\"id\": \"shipped\"}],"
      " \"metrics\": [{\"id\": \"s\", \"kind\": \"simple\", \"measure\": \"shipped\"}],"
      " \"observations\": [{\"measure\": \"shipped\", \"date\": \"2026-01-15\", \"value\": 95,"
      " \"dims\": {\"unit\": \"ops\"}}],"
      " \"objectives\": [{\"id\": \"o1\", \"cycle\": \"q1\"}],"
      " \"key_results\": [{\"id\": \"k1\", \"objective\": \"o1\", \"kind\": \"increase\", \"start\": 0,"
      " \"target\": 200, \"link\": {\"metric\": \"s\", \"scope\": {\"unit\": \"ops\"}}}],"
      " \"targets\": [{\"id\": \"t1\", \"metric\": \"s\", \"scope\": {\"unit\": \"ops\"}, \"cycle\": \"q1\","
      " \"target\": 100, \"supports\": [\"k1\"]}]}";
  char *out = NULL;
  assert(okpi_strategy_view(doc, "2026-01-31", NULL, &out) == OKPI_OK);
  /* k1 reads 95 from the metric (0.475 of 200); t1 achieves 0.95: amber, health 0.5. */
  assert(strstr(out, "\"progress\":0.475") != NULL);
  assert(strstr(out, "\"achievement\":0.95") != NULL);
  assert(strstr(out, "\"light\":\"amber\"") != NULL);
  assert(strstr(out, "\"health\":0.5") != NULL);
  okpi_string_free(out);
  out = NULL;
  assert(okpi_strategy_view(doc, "2026-01-31", "{\"support_red_below\": 0.96}", &out) == OKPI_OK);
  assert(strstr(out, "\"light\":\"red\"") != NULL);
  okpi_string_free(out);

  char *sentinel = (char *)"untouched";
  out = sentinel;
  assert(okpi_strategy_view(NULL, "2026-01-31", NULL, &out) == OKPI_NULL_ARGUMENT);
  assert(strstr(last_error(), "doc_json") != NULL);
  assert(okpi_strategy_view(doc, NULL, NULL, &out) == OKPI_NULL_ARGUMENT);
  assert(okpi_strategy_view(doc, "2026-01-31", NULL, NULL) == OKPI_NULL_ARGUMENT);
  assert(okpi_strategy_view(doc, "2026-02-30", NULL, &out) == OKPI_INVALID_ARGUMENT);
  assert(strstr(last_error(), "2026-02-30") != NULL);
  assert(okpi_strategy_view(doc, "2026-01-31", "{\"health_green\": 2}", &out) == OKPI_INVALID_SETTINGS);
  assert(strstr(last_error(), "$.settings.health_green") != NULL);
  assert(okpi_strategy_view(doc, "2026-01-31", "{\"evaluation\": {\"tolerance\": 1}}", &out) == OKPI_PARSE_ERROR);
  assert(okpi_strategy_view("{\"schema_version\": 1, \"targets\": [{\"id\": \"t\"}]}", "2026-01-31", NULL, &out) ==
         OKPI_PARSE_ERROR);
  assert(out == sentinel);
}

static const char *ORG =
    "{\"schema_version\": 1,"
    " \"cycles\": [{\"id\": \"q1\", \"start\": \"2026-01-01\", \"end\": \"2026-03-31\"}],"
    " \"org_units\": [{\"id\": \"eng\", \"manager\": \"mia\"}],"
    " \"people\": [{\"id\": \"mia\", \"unit\": \"eng\", \"roles\": [\"manager\"]}, {\"id\": \"ann\", \"unit\": \"eng\"},"
    " {\"id\": \"bob\", \"unit\": \"eng\"}],"
    " \"objectives\": [{\"id\": \"ship\", \"cycle\": \"q1\", \"owner\": {\"unit\": \"eng\"}, \"progress_from\": \"children\"},"
    " {\"id\": \"anns_growth\", \"cycle\": \"q1\", \"owner\": {\"person\": \"ann\"}, \"visibility\": \"private\"}],"
    " \"key_results\": [{\"id\": \"talks\", \"objective\": \"anns_growth\", \"kind\": \"increase\", \"start\": 0,"
    " \"target\": 4}],"
    " \"check_ins\": [{\"key_result\": \"talks\", \"date\": \"2026-02-01\", \"value\": 2}],"
    " \"alignments\": [{\"child\": \"anns_growth\", \"parent\": \"ship\"}]}";

static void test_filter(void) {
  char *report = NULL;
  assert(okpi_evaluate(ORG, "2026-02-01", NULL, &report) == OKPI_OK);
  assert(strstr(report, "anns_growth") != NULL);

  /* bob sees ship and its true progress (ann's private child, 2/4 = 0.5), not the child. */
  char *out = NULL;
  assert(okpi_filter(ORG, "evaluation", report, "{\"person\": \"bob\"}", &out) == OKPI_OK);
  assert(strstr(out, "\"id\":\"ship\"") != NULL && strstr(out, "\"progress\":0.5") != NULL);
  assert(strstr(out, "anns_growth") == NULL && strstr(out, "talks") == NULL);
  char *twice = NULL;
  assert(okpi_filter(ORG, "evaluation", out, "{\"person\": \"bob\"}", &twice) == OKPI_OK);
  assert(strcmp(out, twice) == 0);
  okpi_string_free(twice);
  okpi_string_free(out);
  /* mia, ann's manager, sees everything; so does ann's own view of her objective. */
  assert(okpi_filter(ORG, "evaluation", report, "{\"person\": \"mia\"}", &out) == OKPI_OK);
  assert(strstr(out, "anns_growth") != NULL);
  okpi_string_free(out);
  /* mia viewed as an employee does not. */
  assert(okpi_filter(ORG, "evaluation", report, "{\"person\": \"mia\", \"roles\": [\"employee\"]}", &out) ==
         OKPI_OK);
  assert(strstr(out, "anns_growth") == NULL);
  okpi_string_free(out);

  /* Errors: outputs untouched, NULLs, bad kinds, unknown viewers, unreadable reports. */
  char *sentinel = (char *)"untouched";
  out = sentinel;
  assert(okpi_filter(NULL, "evaluation", report, "{\"person\": \"bob\"}", &out) == OKPI_NULL_ARGUMENT);
  assert(okpi_filter(ORG, NULL, report, "{\"person\": \"bob\"}", &out) == OKPI_NULL_ARGUMENT);
  assert(okpi_filter(ORG, "evaluation", NULL, "{\"person\": \"bob\"}", &out) == OKPI_NULL_ARGUMENT);
  assert(okpi_filter(ORG, "evaluation", report, NULL, &out) == OKPI_NULL_ARGUMENT);
  assert(strstr(last_error(), "viewer_json") != NULL);
  assert(okpi_filter(ORG, "evaluation", report, "{\"person\": \"bob\"}", NULL) == OKPI_NULL_ARGUMENT);
  assert(okpi_filter(ORG, "dashboard", report, "{\"person\": \"bob\"}", &out) == OKPI_INVALID_ARGUMENT);
  assert(strstr(last_error(), "dashboard") != NULL);
  assert(okpi_filter(ORG, "", report, "{\"person\": \"bob\"}", &out) == OKPI_INVALID_ARGUMENT);
  assert(okpi_filter(ORG, "evaluation", report, "{\"person\": \"zed\"}", &out) == OKPI_INVALID_ARGUMENT);
  char *problems = NULL;
  assert(okpi_last_error_json(&problems) == OKPI_OK);
  assert(strstr(problems, "\"code\":\"E_UNKNOWN_ID\"") != NULL);
  assert(strstr(problems, "\"path\":\"$.viewer.person\"") != NULL);
  assert(strstr(problems, "zed") == NULL && strstr(problems, "anns_growth") == NULL);
  okpi_string_free(problems);
  assert(okpi_filter(ORG, "score", report, "{\"person\": \"bob\"}", &out) == OKPI_PARSE_ERROR);
  assert(strstr(last_error(), "$.report") != NULL);
  assert(okpi_filter(ORG, "evaluation", report, "{\"person\": 5}", &out) == OKPI_PARSE_ERROR);
  assert(strstr(last_error(), "$.viewer.person") != NULL);
  assert(out == sentinel);
  okpi_string_free(report);

  /* The problems of an invalid document, filtered: a problem about a hidden item keeps its code and path only. */
  char bad[4096];
  snprintf(bad, sizeof bad, "%.*s, {\"child\": \"ship\", \"parent\": \"anns_growth\"}]}",
           (int)(strlen(ORG) - 2), ORG);
  assert(okpi_validate(bad, &out) == OKPI_INVALID_DOCUMENT);
  problems = NULL;
  assert(okpi_last_error_json(&problems) == OKPI_OK);
  assert(strstr(problems, "E_PRIVATE_ALIGNMENT") != NULL || strstr(problems, "E_CYCLE") != NULL);
  assert(strstr(problems, "anns_growth") != NULL);
  out = NULL;
  assert(okpi_filter(bad, "problems", problems, "{\"person\": \"bob\"}", &out) == OKPI_OK);
  assert(strstr(out, "\"path\":\"$.alignments[1].parent\"") != NULL);
  assert(strstr(out, "anns_growth") == NULL && strstr(out, "a problem with an item you may not see") != NULL);
  okpi_string_free(out);
  okpi_string_free(problems);
}

/* okpi_check_ins takes the viewer itself: a hidden key result is unknown to them, its owner's manager sees it, and
 * with a viewer a parse error quotes no document text. */
static void test_check_ins(void) {
  char *out = NULL;
  assert(okpi_check_ins(ORG, "2026-03-31", "talks", NULL, &out) == OKPI_OK);
  assert(strstr(out, "\"value\":2.0") != NULL);
  okpi_string_free(out);
  out = NULL;
  assert(okpi_check_ins(ORG, "2026-03-31", "talks", "{\"person\": \"mia\"}", &out) == OKPI_OK);
  assert(strstr(out, "talks") != NULL);
  okpi_string_free(out);
  out = NULL;
  assert(okpi_check_ins(ORG, "2026-03-31", "talks", "{\"person\": \"bob\"}", &out) == OKPI_INVALID_DOCUMENT);
  assert(out == NULL);
  char *problems = NULL;
  assert(okpi_last_error_json(&problems) == OKPI_OK);
  assert(strstr(problems, "E_UNKNOWN_ID") != NULL && strstr(problems, "talks") == NULL);
  okpi_string_free(problems);
  const char *broken = "{\"schema_version\": 1, \"cycles\": \"Ann leaves in May\"}";
  assert(okpi_check_ins(broken, "2026-03-31", "talks", NULL, &out) == OKPI_PARSE_ERROR);
  assert(okpi_check_ins(broken, "2026-03-31", "talks", "{\"person\": \"bob\"}", &out) == OKPI_PARSE_ERROR);
  problems = NULL;
  assert(okpi_last_error_json(&problems) == OKPI_OK);
  assert(strstr(problems, "E_PARSE") != NULL && strstr(problems, "Ann leaves") == NULL);
  okpi_string_free(problems);
}

/* Limits: set for the process, read back, exceeded (OKPI_LIMIT, E_LIMIT naming the limit), restored. */
static void test_limits(void) {
  char *out = NULL;
  assert(okpi_limits(&out) == OKPI_OK);
  assert(strstr(out, "\"objectives\":100000") != NULL);
  okpi_string_free(out);
  assert(okpi_set_limits("{\"objectives\": 0}") == OKPI_INVALID_SETTINGS);
  assert(strstr(last_error(), "$.limits.objectives") != NULL);
  assert(okpi_set_limits("{\"document_bytes\": 40}") == OKPI_OK);
  out = NULL;
  assert(okpi_validate(SMALL, &out) == OKPI_LIMIT);
  assert(out == NULL);
  assert(strstr(last_error(), "E_LIMIT at $: limit document_bytes is 40") != NULL);
  assert(okpi_set_limits(NULL) == OKPI_OK);
  assert(okpi_validate(SMALL, &out) == OKPI_OK);
  okpi_string_free(out);
}

/* One model evaluated from 8 threads at once (the header allows it) gives one thread's result. */
typedef struct {
  const okpi_model *model;
  const char *expect;
  int same;
} job;

static void *evaluate_many(void *arg) {
  job *j = (job *)arg;
  j->same = 1;
  for (int i = 0; i < 20; i++) {
    char *out = NULL;
    if (okpi_model_evaluate(j->model, "2026-03-10", NULL, &out) != OKPI_OK || strcmp(out, j->expect) != 0) j->same = 0;
    okpi_string_free(out);
  }
  return NULL;
}

static void test_threads(const char *demo_path) {
  char *doc = read_file(demo_path);
  okpi_model *model = NULL;
  assert(okpi_model_new(doc, &model) == OKPI_OK);
  char *alone = NULL;
  assert(okpi_model_evaluate(model, "2026-03-10", NULL, &alone) == OKPI_OK);
  pthread_t threads[8];
  job jobs[8];
  for (int i = 0; i < 8; i++) {
    jobs[i].model = model;
    jobs[i].expect = alone;
    assert(pthread_create(&threads[i], NULL, evaluate_many, &jobs[i]) == 0);
  }
  for (int i = 0; i < 8; i++) {
    assert(pthread_join(threads[i], NULL) == 0);
    assert(jobs[i].same);
  }
  okpi_string_free(alone);
  okpi_model_free(model);
  free(doc);
}

int main(int argc, char **argv) {
  assert(argc == 2);
  test_version();
  test_evaluate_demo(argv[1]);
  test_errors();
  test_model();
  test_model_call();
  test_advise();
  test_diagnose(argv[1]);
  test_document_alerts();
  test_strategy_view();
  test_filter();
  test_check_ins();
  test_limits();
  test_threads(argv[1]);
  puts("ffi_test: 12 passed, 0 failed");
  return 0;
}
