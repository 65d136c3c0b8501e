/* The C ABI gives byte for byte the JSON that Rust wrote as golden files (tests/tests/determinism.rs), for the demo
 * quarter as given, on a second run, and with every top-level array of the document reversed. Usage:
 * determinism_test QUARTER_JSON GOLDEN_DIR */
#undef NDEBUG
#include "okpi.h"

#include <assert.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot read %s (run the Rust determinism test first)\n", path);
    exit(2);
  }
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = (char *)malloc((size_t)n + 1);
  size_t got = fread(buf, 1, (size_t)n, f);
  buf[got] = '\0';
  fclose(f);
  return buf;
}

/* The document with each top-level array in reverse order. Check-ins of one key result on one day keep their
 * order (the later one wins a tie); the demo quarter has no such pair, which this checks. */
static char *reversed(const char *text) {
  cJSON *doc = cJSON_Parse(text);
  assert(doc != NULL);
  cJSON *field;
  cJSON_ArrayForEach(field, doc) {
    if (!cJSON_IsArray(field)) continue;
    int n = cJSON_GetArraySize(field);
    cJSON **items = (cJSON **)calloc((size_t)(n > 0 ? n : 1), sizeof *items);
    for (int i = 0; i < n; i++) items[i] = cJSON_DetachItemFromArray(field, 0);
    for (int i = n - 1; i >= 0; i--) cJSON_AddItemToArray(field, items[i]);
    free(items);
  }
  const cJSON *check_ins = cJSON_GetObjectItemCaseSensitive(doc, "check_ins");
  const cJSON *a, *b;
  cJSON_ArrayForEach(a, check_ins) {
    for (b = a->next; b; b = b->next) {
      assert(!(cJSON_Compare(cJSON_GetObjectItem(a, "key_result"), cJSON_GetObjectItem(b, "key_result"), 1) &&
               cJSON_Compare(cJSON_GetObjectItem(a, "date"), cJSON_GetObjectItem(b, "date"), 1)));
    }
  }
  char *out = cJSON_PrintUnformatted(doc);
  cJSON_Delete(doc);
  return out;
}

static int compare(const char *golden_dir, const char *name, const char *got, const char *variant) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s.json", golden_dir, name);
  char *want = read_file(path);
  int same = strcmp(want, got) == 0;
  if (!same) fprintf(stderr, "  %s (%s) differs from %s\n", name, variant, path);
  free(want);
  return same;
}

static int check(const char *doc, const char *golden_dir, const char *variant) {
  char *out = NULL;
  int ok = 1;
  assert(okpi_validate(doc, &out) == OKPI_OK);
  ok &= compare(golden_dir, "validate", out, variant);
  okpi_string_free(out);
  assert(okpi_evaluate(doc, "2026-03-10", NULL, &out) == OKPI_OK);
  ok &= compare(golden_dir, "evaluate", out, variant);
  okpi_string_free(out);
  assert(okpi_diagnose(doc, "2026-03-10", NULL, NULL, &out) == OKPI_OK);
  ok &= compare(golden_dir, "diagnose", out, variant);
  okpi_string_free(out);
  return ok;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s QUARTER_JSON GOLDEN_DIR\n", argv[0]);
    return 2;
  }
  char *text = read_file(argv[1]);
  char *rev = reversed(text);
  int ok = check(text, argv[2], "as given") & check(text, argv[2], "second run") & check(rev, argv[2], "reversed");
  cJSON_free(rev);
  free(text);
  printf("determinism_test: %s\n", ok ? "byte-identical to Rust" : "FAILED");
  return ok ? 0 : 1;
}
