/* Calls okpi and frees models late in a thread's and the process's life, when Rust's thread-locals are already
 * gone: in a pthread key destructor (run after the thread's TLS destructors) and in an atexit() handler (run after
 * the main thread's). Every call must return its code and the process must exit 0 with its buffered stdout
 * printed; before 1.0 the boundary panicked there and the process aborted. With the argument `large`, a large
 * model (60,000 key results) is evaluated there too: its records take more than 8 MiB, so the evaluation starts a
 * second (scoped) thread to map their memory in, from inside the destructor and the handler (the Makefile runs
 * that natively and under ASan; under Valgrind it takes minutes). Run with stdout redirected (fully buffered) and
 * checked by the Makefile. C99 + POSIX threads. */
#include "okpi.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *DOC =
    "{\"schema_version\": 1,"
    " \"cycles\": [{\"id\": \"q1\", \"start\": \"2026-01-01\", \"end\": \"2026-03-31\"}],"
    " \"objectives\": [{\"id\": \"o1\", \"cycle\": \"q1\"}],"
    " \"key_results\": [{\"id\": \"k1\", \"objective\": \"o1\", \"kind\": \"increase\", \"start\": 0, \"target\": 10}],"
    " \"check_ins\": [{\"key_result\": \"k1\", \"date\": \"2026-01-20\", \"value\": 5}]}";

static okpi_model *global_model, *large_model;
static pthread_key_t key, large_key;
static char thread_report[256], large_thread_report[256];

/* Appends to `s` (of `cap` bytes) at `*n`; once it is full, `*n` stays at `cap` and nothing more is written. */
static void append(char *s, size_t cap, size_t *n, const char *fmt, ...) {
  va_list ap;
  int w;
  if (*n >= cap) return;
  va_start(ap, fmt);
  w = vsnprintf(s + *n, cap - *n, fmt, ap);
  va_end(ap);
  *n = (w < 0 || (size_t)w >= cap - *n) ? cap : *n + (size_t)w;
}

/* 6,000 objectives of 10 key results each; one check-in puts k000001 at progress 0.5. NULL if it does not fit; the
 * caller frees it. */
static char *large_doc(void) {
  size_t cap = 8u << 20, n = 0;
  int i;
  char *s = malloc(cap);
  if (s == NULL) return NULL;
  append(s, cap, &n,
         "{\"schema_version\": 1, \"cycles\": [{\"id\": \"q1\", \"start\": \"2026-01-01\", \"end\": \"2026-03-31\"}],"
         " \"objectives\": [");
  for (i = 0; i < 6000; i++) append(s, cap, &n, "%s{\"id\":\"o%05d\",\"cycle\":\"q1\"}", i ? "," : "", i);
  append(s, cap, &n, "], \"key_results\": [");
  for (i = 0; i < 60000; i++)
    append(s, cap, &n, "%s{\"id\":\"k%06d\",\"objective\":\"o%05d\",\"kind\":\"increase\",\"start\":0,\"target\":10}",
           i ? "," : "", i, i / 10);
  append(s, cap, &n, "], \"check_ins\": [{\"key_result\": \"k000001\", \"date\": \"2026-01-20\", \"value\": 5}]}");
  if (n >= cap) {
    free(s);
    return NULL;
  }
  return s;
}

/* Uses a model late in life: an evaluation, a failing call, the last error read back, then the free. Writes what
 * happened to `report`; the text is compared by the Makefile. */
static void late_use(okpi_model *model, char *report, size_t size) {
  char *out = NULL, *problems = NULL;
  size_t len = 1;
  okpi_result ok = okpi_model_evaluate(model, "2026-02-01", NULL, &out);
  int progress = ok == OKPI_OK && strstr(out, "\"progress\":0.5") != NULL;
  okpi_result bad = okpi_evaluate(DOC, "2026-02-30", NULL, &out);
  okpi_result msg = okpi_error_message(NULL, 0, &len);
  okpi_result json = okpi_last_error_json(&problems);
  snprintf(report, size, "evaluate %s progress %d, bad date %s, message %s, json %s", okpi_result_name(ok), progress,
           okpi_result_name(bad), okpi_result_name(msg), okpi_result_name(json));
  if (ok == OKPI_OK) okpi_string_free(out);
  if (json == OKPI_OK) okpi_string_free(problems);
  okpi_model_free(model);
  okpi_model_free(NULL);
  okpi_string_free(NULL);
}

static void key_destructor(void *value) { late_use((okpi_model *)value, thread_report, sizeof thread_report); }

static void large_key_destructor(void *value) {
  late_use((okpi_model *)value, large_thread_report, sizeof large_thread_report);
}

static void *thread_main(void *arg) {
  okpi_model *model = NULL, *large = NULL;
  /* The first call sets up the thread's last error (and its TLS destructor) before the key's value is set. */
  if (okpi_model_new(DOC, &model) != OKPI_OK) return NULL;
  pthread_setspecific(key, model);
  if (arg != NULL && okpi_model_new((const char *)arg, &large) == OKPI_OK) pthread_setspecific(large_key, large);
  return NULL;
}

static void at_exit(void) {
  char report[256];
  late_use(global_model, report, sizeof report);
  printf("atexit: %s\n", report);
  if (large_model == NULL) return;
  late_use(large_model, report, sizeof report);
  printf("atexit, large model: %s\n", report);
}

int main(int argc, char **argv) {
  pthread_t thread;
  char *out = NULL, *large = NULL;
  if (argc > 1 && strcmp(argv[1], "large") == 0 && (large = large_doc()) == NULL) return 15;
  if (pthread_key_create(&key, key_destructor) != 0) return 10;
  if (pthread_key_create(&large_key, large_key_destructor) != 0) return 10;
  if (pthread_create(&thread, NULL, thread_main, large) != 0 || pthread_join(thread, NULL) != 0) return 11;
  printf("pthread key destructor: %s\n", thread_report);
  if (large != NULL) printf("pthread key destructor, large model: %s\n", large_thread_report);
  if (okpi_model_new(DOC, &global_model) != OKPI_OK) return 12;
  if (large != NULL && okpi_model_new(large, &large_model) != OKPI_OK) return 16;
  free(large);
  /* The main thread's last error is in use too: its TLS destructor runs before the atexit handler. */
  if (okpi_validate("{", &out) != OKPI_PARSE_ERROR) return 13;
  if (atexit(at_exit) != 0) return 14;
  printf("main: done\n");
  return 0;
}
