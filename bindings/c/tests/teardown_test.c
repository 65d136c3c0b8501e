/* Calls okpi and frees models late in a thread's and the process's life, when Rust's thread-locals are already
 * gone: in a pthread key destructor (run after the thread's TLS destructors) and in an atexit() handler (run after
 * the main thread's). Every call must return its code and the process must exit 0 with its buffered stdout
 * printed; before 1.0 the boundary panicked there and the process aborted. Run with stdout redirected (fully
 * buffered) and checked by the Makefile. C99 + POSIX threads. */
#include "okpi.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *DOC =
    "{\"schema_version\": 1,"
    " \"cycles\": [{\"id\": \"q1\", \"start\": \"2026-01-01\", \"end\": \"2026-03-31\"}],"
    " \"objectives\": [{\"id\": \"o1\", \"cycle\": \"q1\"}],"
    " \"key_results\": [{\"id\": \"k1\", \"objective\": \"o1\", \"kind\": \"increase\", \"start\": 0, \"target\": 10}],"
    " \"check_ins\": [{\"key_result\": \"k1\", \"date\": \"2026-01-20\", \"value\": 5}]}";

static okpi_model *global_model;
static pthread_key_t key;
static char thread_report[256];

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

static void *thread_main(void *arg) {
  okpi_model *model = NULL;
  (void)arg;
  /* The first call sets up the thread's last error (and its TLS destructor) before the key's value is set. */
  if (okpi_model_new(DOC, &model) != OKPI_OK) return NULL;
  pthread_setspecific(key, model);
  return NULL;
}

static void at_exit(void) {
  char report[256];
  late_use(global_model, report, sizeof report);
  printf("atexit: %s\n", report);
}

int main(void) {
  pthread_t thread;
  char *out = NULL;
  if (pthread_key_create(&key, key_destructor) != 0) return 10;
  if (pthread_create(&thread, NULL, thread_main, NULL) != 0 || pthread_join(thread, NULL) != 0) return 11;
  printf("pthread key destructor: %s\n", thread_report);
  if (okpi_model_new(DOC, &global_model) != OKPI_OK) return 12;
  /* The main thread's last error is in use too: its TLS destructor runs before the atexit handler. */
  if (okpi_validate("{", &out) != OKPI_PARSE_ERROR) return 13;
  if (atexit(at_exit) != 0) return 14;
  printf("main: done\n");
  return 0;
}
