/* Runs the shared vectors (tests/vectors/<area>/ files) through the C ABI, with the same logic as the Rust and
 * Python runners: load, call, compare `expect` as a subset (objects against arrays select by "id", floats within
 * 1e-9) or `expect_error` as a multiset of (code, path). Usage: vectors_test VECTORS_DIR */
#undef NDEBUG
#include "okpi.h"

#include <assert.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int subset(const cJSON *expect, const cJSON *actual, const char *path);

static int fail_at(const char *path, const char *what) {
  fprintf(stderr, "    %s: %s\n", path, what);
  return 0;
}

static const cJSON *by_id(const cJSON *array, const char *id) {
  const cJSON *item;
  cJSON_ArrayForEach(item, array) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(item, "id");
    if (cJSON_IsString(v) && strcmp(v->valuestring, id) == 0) return item;
  }
  return NULL;
}

static int subset(const cJSON *expect, const cJSON *actual, const char *path) {
  char sub[512];
  if (cJSON_IsObject(expect) && (cJSON_IsObject(actual) || cJSON_IsArray(actual))) {
    int ok = 1;
    const cJSON *e;
    cJSON_ArrayForEach(e, expect) {
      const cJSON *a = cJSON_IsObject(actual) ? cJSON_GetObjectItemCaseSensitive(actual, e->string)
                                              : by_id(actual, e->string);
      snprintf(sub, sizeof sub, cJSON_IsObject(actual) ? "%s.%s" : "%s[id=%s]", path, e->string);
      if (a == NULL) {
        if (!cJSON_IsNull(e)) ok = fail_at(sub, "missing");
        continue;
      }
      ok &= subset(e, a, sub);
    }
    if (cJSON_IsArray(actual)) {
      /* Every item of the result is one the case lists: an extra item is a mismatch (as the Rust runner). */
      const cJSON *item;
      cJSON_ArrayForEach(item, actual) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(item, "id");
        if (!cJSON_IsString(id) || cJSON_GetObjectItemCaseSensitive(expect, id->valuestring) == NULL) {
          snprintf(sub, sizeof sub, "%s[id=%s]", path, cJSON_IsString(id) ? id->valuestring : "?");
          ok = fail_at(sub, "unexpected item");
        }
      }
    }
    return ok;
  }
  if (cJSON_IsArray(expect) && cJSON_IsArray(actual)) {
    if (cJSON_GetArraySize(expect) != cJSON_GetArraySize(actual)) return fail_at(path, "array sizes differ");
    int ok = 1;
    for (int i = 0; i < cJSON_GetArraySize(expect); i++) {
      snprintf(sub, sizeof sub, "%s[%d]", path, i);
      ok &= subset(cJSON_GetArrayItem(expect, i), cJSON_GetArrayItem(actual, i), sub);
    }
    return ok;
  }
  if (cJSON_IsNumber(expect) && cJSON_IsNumber(actual)) {
    /* DOMAIN.md §0: a zero is written as 0, never -0. */
    if (actual->valuedouble == 0.0 && signbit(actual->valuedouble)) return fail_at(path, "a zero written as -0");
    if (fabs(expect->valuedouble - actual->valuedouble) <= 1e-9) return 1;
    snprintf(sub, sizeof sub, "expected %.12g, got %.12g", expect->valuedouble, actual->valuedouble);
    return fail_at(path, sub);
  }
  if (cJSON_IsString(expect) && cJSON_IsString(actual)) {
    if (strcmp(expect->valuestring, actual->valuestring) == 0) return 1;
    snprintf(sub, sizeof sub, "expected %s, got %s", expect->valuestring, actual->valuestring);
    return fail_at(path, sub);
  }
  if ((cJSON_IsBool(expect) && cJSON_IsBool(actual)) || (cJSON_IsNull(expect) && cJSON_IsNull(actual))) {
    if (cJSON_IsTrue(expect) == cJSON_IsTrue(actual)) return 1;
  }
  return fail_at(path, "values differ");
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* "code|path" strings of a problem list, sorted; the caller frees each and the array. */
static char **problem_keys(const cJSON *problems, int *n) {
  *n = cJSON_GetArraySize(problems);
  char **keys = (char **)calloc((size_t)(*n > 0 ? *n : 1), sizeof *keys);
  for (int i = 0; i < *n; i++) {
    const cJSON *p = cJSON_GetArrayItem(problems, i);
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(p, "code");
    const cJSON *path = cJSON_GetObjectItemCaseSensitive(p, "path");
    const char *c = cJSON_IsString(code) ? code->valuestring : "";
    const char *q = cJSON_IsString(path) ? path->valuestring : "";
    size_t len = strlen(c) + strlen(q) + 2;
    keys[i] = (char *)malloc(len);
    snprintf(keys[i], len, "%s|%s", c, q);
  }
  qsort(keys, (size_t)*n, sizeof *keys, cmp_str);
  return keys;
}

/* Whether a problem list holds the (code, path) pairs of `expect`, as multisets. */
static int same_problem_list(const cJSON *expect, const cJSON *got) {
  int ne = 0, ng = 0, ok = 1;
  char **e = problem_keys(expect, &ne);
  char **g = problem_keys(got, &ng);
  if (ne != ng) ok = 0;
  for (int i = 0; ok && i < ne; i++) ok = strcmp(e[i], g[i]) == 0;
  if (!ok) {
    for (int i = 0; i < ne; i++) fprintf(stderr, "    expected %s\n", e[i]);
    for (int i = 0; i < ng; i++) fprintf(stderr, "    got      %s\n", g[i]);
  }
  for (int i = 0; i < ne; i++) free(e[i]);
  for (int i = 0; i < ng; i++) free(g[i]);
  free(e);
  free(g);
  return ok;
}

static int same_problems(const cJSON *expect) {
  char *json = NULL;
  if (okpi_last_error_json(&json) != OKPI_OK) return 0;
  cJSON *got = cJSON_Parse(json);
  okpi_string_free(json);
  int ok = same_problem_list(expect, got);
  cJSON_Delete(got);
  return ok;
}

static char *print_or_null(const cJSON *item) { return item ? cJSON_PrintUnformatted(item) : NULL; }

/* A growing string. */
typedef struct {
  char *text;
  size_t len, cap;
} buffer;

static void put(buffer *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    b->cap = (b->len + n + 1) * 2;
    b->text = (char *)realloc(b->text, b->cap);
    assert(b->text != NULL);
  }
  memcpy(b->text + b->len, s, n);
  b->len += n;
  b->text[b->len] = '\0';
}

static void puts_(buffer *b, const char *s) { put(b, s, strlen(s)); }

static void repeat(buffer *b, char c, long n) {
  for (long i = 0; i < n; i++) put(b, &c, 1);
}

/* The document a bad-input case describes instead of holding it, as the Rust runner's `generate`: {"chain": n},
 * {"title_bytes": n} or {"nesting": n}. The caller frees it. */
static char *generate(const cJSON *spec) {
  static const char *head =
      "{\"schema_version\": 1, \"cycles\": [{\"id\": \"q\", \"start\": \"2026-01-01\", \"end\": \"2026-03-31\"}], ";
  buffer b = {NULL, 0, 0};
  char item[96];
  const cJSON *chain = cJSON_GetObjectItemCaseSensitive(spec, "chain");
  const cJSON *title = cJSON_GetObjectItemCaseSensitive(spec, "title_bytes");
  const cJSON *nesting = cJSON_GetObjectItemCaseSensitive(spec, "nesting");
  if (cJSON_IsNumber(chain)) {
    long n = (long)chain->valuedouble;
    puts_(&b, head);
    puts_(&b, "\"objectives\": [");
    for (long i = 0; i < n; i++) {
      snprintf(item, sizeof item, "%s{\"id\": \"o%ld\", \"cycle\": \"q\"}", i ? ", " : "", i);
      puts_(&b, item);
    }
    puts_(&b, "], \"alignments\": [");
    for (long i = 1; i < n; i++) {
      snprintf(item, sizeof item, "%s{\"child\": \"o%ld\", \"parent\": \"o%ld\"}", i > 1 ? ", " : "", i - 1, i);
      puts_(&b, item);
    }
    puts_(&b, "]}");
  } else if (cJSON_IsNumber(title)) {
    puts_(&b, head);
    puts_(&b, "\"objectives\": [{\"id\": \"o\", \"cycle\": \"q\", \"title\": \"");
    repeat(&b, 'x', (long)title->valuedouble);
    puts_(&b, "\"}]}");
  } else if (cJSON_IsNumber(nesting)) {
    puts_(&b, "{\"schema_version\": 1, \"objectives\": ");
    repeat(&b, '[', (long)nesting->valuedouble);
    repeat(&b, ']', (long)nesting->valuedouble);
    puts_(&b, "}");
  } else {
    puts_(&b, "");
  }
  return b.text;
}

/* The document of a bad-input case: document_text, document_hex (decoded), generate or document. The caller frees
 * it. */
static char *document_input(const cJSON *c) {
  const cJSON *text = cJSON_GetObjectItemCaseSensitive(c, "document_text");
  const cJSON *hex = cJSON_GetObjectItemCaseSensitive(c, "document_hex");
  const cJSON *spec = cJSON_GetObjectItemCaseSensitive(c, "generate");
  if (cJSON_IsString(text)) {
    char *copy = (char *)malloc(strlen(text->valuestring) + 1);
    strcpy(copy, text->valuestring);
    return copy;
  }
  if (cJSON_IsString(hex)) {
    size_t n = strlen(hex->valuestring) / 2;
    char *bytes = (char *)malloc(n + 1);
    for (size_t i = 0; i < n; i++) {
      unsigned v = 0;
      sscanf(hex->valuestring + 2 * i, "%2x", &v);
      bytes[i] = (char)v;
    }
    bytes[n] = '\0';
    return bytes;
  }
  if (spec) return generate(spec);
  char *printed = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "document"));
  char *copy = (char *)malloc(strlen(printed) + 1);
  strcpy(copy, printed);
  cJSON_free(printed);
  return copy;
}

static const char *result_name(okpi_result r) {
  switch (r) {
    case OKPI_OK: return "OKPI_OK";
    case OKPI_NULL_ARGUMENT: return "OKPI_NULL_ARGUMENT";
    case OKPI_INVALID_UTF8: return "OKPI_INVALID_UTF8";
    case OKPI_PARSE_ERROR: return "OKPI_PARSE_ERROR";
    case OKPI_INVALID_DOCUMENT: return "OKPI_INVALID_DOCUMENT";
    case OKPI_INVALID_SETTINGS: return "OKPI_INVALID_SETTINGS";
    case OKPI_INVALID_ARGUMENT: return "OKPI_INVALID_ARGUMENT";
    case OKPI_PANIC: return "OKPI_PANIC";
    case OKPI_INTERNAL: return "OKPI_INTERNAL";
    case OKPI_LIMIT: return "OKPI_LIMIT";
  }
  return "?";
}

/* A bad-input case (tests/vectors/errors): its limits set first, then the call it names. */
static okpi_result call_error_case(const cJSON *c, char **out) {
  char *limits = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "limits"));
  okpi_result r = okpi_set_limits(limits);
  cJSON_free(limits);
  if (r != OKPI_OK) return r;
  const cJSON *call_item = cJSON_GetObjectItemCaseSensitive(c, "call");
  const char *call = cJSON_IsString(call_item) ? call_item->valuestring : "validate";
  if (strcmp(call, "alert_evaluate") == 0) {
    char *rule = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "rule"));
    char *state = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "state"));
    char *series = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "series"));
    r = okpi_alert_evaluate(rule, state, series ? series : "[]", out);
    cJSON_free(rule);
    cJSON_free(state);
    cJSON_free(series);
    return r;
  }
  char *doc = document_input(c);
  if (strcmp(call, "evaluate") == 0) {
    const cJSON *as_of = cJSON_GetObjectItemCaseSensitive(c, "as_of");
    char *settings = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "settings"));
    r = okpi_evaluate(doc, cJSON_IsString(as_of) ? as_of->valuestring : "", settings, out);
    cJSON_free(settings);
  } else if (strcmp(call, "kpi_query") == 0) {
    char *query = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "query"));
    r = okpi_kpi(doc, "query", query, out);
    cJSON_free(query);
  } else {
    r = okpi_validate(doc, out);
  }
  free(doc);
  return r;
}

/* Calls the ABI for one case of `area`; returns the result code and writes the output JSON on success. */
static okpi_result call(const char *area, const cJSON *c, char **out) {
  if (strcmp(area, "errors") == 0) return call_error_case(c, out);
  char *settings = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "settings"));
  okpi_result r;
  if (strcmp(area, "okr") == 0 || strcmp(area, "diagnose") == 0) {
    char *doc = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "document"));
    const cJSON *as_of_item = cJSON_GetObjectItemCaseSensitive(c, "as_of");
    const char *as_of = cJSON_IsString(as_of_item) ? as_of_item->valuestring : NULL;
    if (strcmp(area, "okr") == 0) {
      r = okpi_evaluate(doc, as_of, settings, out);
    } else {
      char *rules = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "diagnose_settings"));
      r = okpi_diagnose(doc, as_of, settings, rules, out);
      cJSON_free(rules);
    }
    cJSON_free(doc);
  } else if (strcmp(area, "kpi") == 0) {
    char *doc = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "document"));
    const char *kinds[] = {"query", "score", "scorecards"};
    r = OKPI_OK;
    int called = 0;
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds && !called; k++) {
      const cJSON *req = cJSON_GetObjectItemCaseSensitive(c, kinds[k]);
      if (req) {
        char *request = cJSON_PrintUnformatted(req);
        r = okpi_kpi(doc, kinds[k], request, out);
        cJSON_free(request);
        called = 1;
      }
    }
    if (!called) r = okpi_validate(doc, out); /* validation-only cases expect an error */
    cJSON_free(doc);
  } else if (strcmp(area, "alerts") == 0) {
    char *rule = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "rule"));
    char *state = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "state"));
    char *series = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "series"));
    r = okpi_alert_evaluate(rule, state, series ? series : "[]", out);
    cJSON_free(rule);
    cJSON_free(state);
    cJSON_free(series);
  } else {
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(c, "profile");
    char *profile = print_or_null(p ? p : cJSON_GetObjectItemCaseSensitive(c, "profiles"));
    r = okpi_advise(profile, settings, out);
    cJSON_free(profile);
  }
  cJSON_free(settings);
  return r;
}

/* Calls the ABI for one case of `area` and parses its output into `*actual` (NULL on failure). A hybrid case
 * expects {"evaluation", "strategy_view"}: the view with the case's settings, then the evaluation with their
 * "evaluation" part. */
static okpi_result call_parsed(const char *area, const cJSON *c, cJSON **actual) {
  *actual = NULL;
  if (strcmp(area, "hybrid") != 0) {
    char *out = NULL;
    okpi_result r = call(area, c, &out);
    if (r == OKPI_OK) *actual = cJSON_Parse(out);
    okpi_string_free(out);
    return r;
  }
  char *doc = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "document"));
  const cJSON *as_of_item = cJSON_GetObjectItemCaseSensitive(c, "as_of");
  const char *as_of = cJSON_IsString(as_of_item) ? as_of_item->valuestring : NULL;
  const cJSON *s = cJSON_GetObjectItemCaseSensitive(c, "settings");
  char *settings = print_or_null(s);
  char *eval_settings = print_or_null(s ? cJSON_GetObjectItemCaseSensitive(s, "evaluation") : NULL);
  char *view = NULL, *ev = NULL;
  okpi_result r = okpi_strategy_view(doc, as_of, settings, &view);
  if (r == OKPI_OK) r = okpi_evaluate(doc, as_of, eval_settings, &ev);
  if (r == OKPI_OK) {
    *actual = cJSON_CreateObject();
    cJSON_AddItemToObject(*actual, "evaluation", cJSON_Parse(ev));
    cJSON_AddItemToObject(*actual, "strategy_view", cJSON_Parse(view));
  }
  okpi_string_free(view);
  okpi_string_free(ev);
  cJSON_free(eval_settings);
  cJSON_free(settings);
  cJSON_free(doc);
  return r;
}

static const char *string_or(const cJSON *item, const char *fallback) {
  return cJSON_IsString(item) ? item->valuestring : fallback;
}

/* An access case: the report through its C call, then okpi_filter for the case's viewer (an error's problems go
 * through okpi_filter as "problems"). Compares `expect` or `expect_error` and checks that no `absent` string
 * occurs in the outcome. Returns whether the case passes. */
static int access_case(const cJSON *c) {
  char *doc = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "document"));
  char *viewer = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "viewer"));
  char *settings = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "settings"));
  const char *kind = string_or(cJSON_GetObjectItemCaseSensitive(c, "report"), "evaluation");
  const char *as_of = string_or(cJSON_GetObjectItemCaseSensitive(c, "as_of"), "1970-01-01");
  char *raw = NULL;
  okpi_result r;
  if (strcmp(kind, "query") == 0 || strcmp(kind, "scorecards") == 0) {
    char *request = print_or_null(cJSON_GetObjectItemCaseSensitive(c, kind));
    r = okpi_kpi(doc, kind, request, &raw);
    cJSON_free(request);
  } else if (strcmp(kind, "query_units") == 0) {
    char *request = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "query"));
    r = okpi_kpi(doc, "query_units", request, &raw);
    kind = "query"; /* filtered as a query table */
    cJSON_free(request);
  } else if (strcmp(kind, "check_ins") == 0) {
    /* Takes the viewer itself: a key result they may not see is unknown. */
    r = okpi_check_ins(doc, as_of, string_or(cJSON_GetObjectItemCaseSensitive(c, "key_result"), NULL), viewer, &raw);
  } else if (strcmp(kind, "score") == 0) {
    char request[64];
    snprintf(request, sizeof request, "{\"as_of\": \"%s\"}", as_of);
    r = okpi_kpi(doc, "score", request, &raw);
  } else if (strcmp(kind, "alerts") == 0) {
    const cJSON *range = cJSON_GetObjectItemCaseSensitive(c, "alerts");
    r = okpi_alerts(doc, string_or(cJSON_GetObjectItemCaseSensitive(range, "from"), NULL),
                    string_or(cJSON_GetObjectItemCaseSensitive(range, "to"), NULL), NULL, &raw);
  } else if (strcmp(kind, "strategy_view") == 0) {
    r = okpi_strategy_view(doc, as_of, NULL, &raw);
  } else if (strcmp(kind, "diagnosis") == 0) {
    char *rules = print_or_null(cJSON_GetObjectItemCaseSensitive(c, "diagnose_settings"));
    r = okpi_diagnose(doc, as_of, settings, rules, &raw);
    cJSON_free(rules);
  } else {
    r = okpi_evaluate(doc, as_of, settings, &raw);
  }
  int failed_call = r != OKPI_OK;
  char *out = NULL;
  if (failed_call) {
    char *problems = NULL;
    okpi_last_error_json(&problems);
    r = okpi_filter(doc, "problems", problems, viewer, &out);
    okpi_string_free(problems);
  } else {
    r = okpi_filter(doc, kind, raw, viewer, &out);
  }
  const cJSON *expect = cJSON_GetObjectItemCaseSensitive(c, "expect");
  const cJSON *expect_error = cJSON_GetObjectItemCaseSensitive(c, "expect_error");
  char *text = NULL;
  int ok = 0;
  if (r != OKPI_OK) {
    okpi_last_error_json(&text); /* the filter itself failed: an unknown viewer */
    ok = expect_error && same_problems(expect_error);
  } else {
    text = out;
    out = NULL;
    cJSON *actual = cJSON_Parse(text);
    if (failed_call) {
      ok = expect_error && same_problem_list(expect_error, actual);
    } else {
      ok = expect && subset(expect, actual, "$");
    }
    cJSON_Delete(actual);
  }
  const cJSON *absent;
  cJSON_ArrayForEach(absent, cJSON_GetObjectItemCaseSensitive(c, "absent")) {
    if (cJSON_IsString(absent) && text && strstr(text, absent->valuestring) != NULL) {
      fprintf(stderr, "    %s occurs in the filtered outcome: %s\n", absent->valuestring, text);
      ok = 0;
    }
  }
  okpi_string_free(text);
  okpi_string_free(raw);
  cJSON_free(settings);
  cJSON_free(viewer);
  cJSON_free(doc);
  return ok;
}

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = (char *)malloc((size_t)n + 1);
  size_t got = fread(buf, 1, (size_t)n, f);
  buf[got] = '\0';
  fclose(f);
  return buf;
}

static int run_area(const char *root, const char *area, int *passed, int *failed) {
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/%s", root, area);
  struct dirent **names = NULL;
  int n = scandir(dir, &names, NULL, alphasort);
  if (n < 0) {
    fprintf(stderr, "cannot read %s\n", dir);
    return 0;
  }
  int cases = 0;
  for (int i = 0; i < n; i++) {
    const char *name = names[i]->d_name;
    size_t len = strlen(name);
    if (len > 5 && strcmp(name + len - 5, ".json") == 0) {
      char file[2048];
      snprintf(file, sizeof file, "%s/%s", dir, name);
      char *text = read_file(file);
      cJSON *c = text ? cJSON_Parse(text) : NULL;
      cJSON *actual = NULL;
      int ok = 0;
      if (c && strcmp(area, "access") == 0) {
        ok = access_case(c);
        cJSON_Delete(c);
      } else if (c) {
        okpi_result r = call_parsed(area, c, &actual);
        const cJSON *expect = cJSON_GetObjectItemCaseSensitive(c, "expect");
        cJSON *alert_expect = NULL;
        if (strcmp(area, "alerts") == 0 && !cJSON_GetObjectItemCaseSensitive(c, "expect_error")) {
          /* An alert case expects {events, state}: the runner's result has the same two keys. */
          alert_expect = cJSON_CreateObject();
          cJSON_AddItemReferenceToObject(alert_expect, "events", cJSON_GetObjectItemCaseSensitive(c, "expect_events"));
          const cJSON *st = cJSON_GetObjectItemCaseSensitive(c, "expect_state");
          if (st) cJSON_AddItemReferenceToObject(alert_expect, "state", (cJSON *)st);
          expect = alert_expect;
        }
        const cJSON *expect_error = cJSON_GetObjectItemCaseSensitive(c, "expect_error");
        if (r == OKPI_OK && expect) {
          ok = subset(expect, actual, "$");
        } else if (r != OKPI_OK && expect_error) {
          ok = same_problems(expect_error);
          const cJSON *c_result = cJSON_GetObjectItemCaseSensitive(c, "c_result");
          if (cJSON_IsString(c_result) && strcmp(c_result->valuestring, result_name(r)) != 0) {
            fprintf(stderr, "    expected %s, got %s\n", c_result->valuestring, result_name(r));
            ok = 0;
          }
          if (r == OKPI_PANIC || r == OKPI_INTERNAL) ok = 0;
        } else {
          fprintf(stderr, "    unexpected result %u\n", (unsigned)r);
        }
        cJSON_Delete(actual);
        if (strcmp(area, "errors") == 0) assert(okpi_set_limits(NULL) == OKPI_OK);
        cJSON_Delete(alert_expect);
        cJSON_Delete(c);
      }
      free(text);
      cases++;
      if (ok) {
        (*passed)++;
      } else {
        (*failed)++;
        fprintf(stderr, "  FAILED %s/%s\n", area, name);
      }
    }
    free(names[i]);
  }
  free(names);
  printf("%s: %d vectors\n", area, cases);
  return cases;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s VECTORS_DIR\n", argv[0]);
    return 2;
  }
  int passed = 0, failed = 0;
  const char *areas[] = {"okr", "advisor", "diagnose", "alerts", "kpi", "hybrid", "access", "errors"};
  for (size_t i = 0; i < sizeof areas / sizeof *areas; i++) {
    if (run_area(argv[1], areas[i], &passed, &failed) == 0) failed++;
  }
  printf("vectors: %d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
