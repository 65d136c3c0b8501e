/* 10,000 evaluations of a document through the C ABI, without a handle (okpi_evaluate: read, validate and
 * evaluate every time) and with one (okpi_model_new once, then okpi_model_evaluate), timed with clock_gettime.
 * Not part of `make test`: `make bench-c` builds it against the release library and runs it on the demo quarter.
 *
 *   bench DOCUMENT.json YYYY-MM-DD [N] */
#define _POSIX_C_SOURCE 199309L
#include "okpi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  char *buf;
  long n;
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  n = ftell(f);
  fseek(f, 0, SEEK_SET);
  buf = (char *)malloc((size_t)n + 1);
  if (buf) buf[fread(buf, 1, (size_t)n, f)] = '\0';
  fclose(f);
  return buf;
}

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  char *doc, *out = NULL, *first = NULL;
  okpi_model *model = NULL;
  long n = argc > 3 ? strtol(argv[3], NULL, 10) : 10000, i;
  double t0, without, with;
  if (argc < 3 || !(doc = slurp(argv[1]))) {
    fprintf(stderr, "usage: %s DOCUMENT.json YYYY-MM-DD [N]\n", argv[0]);
    return 2;
  }
  if (okpi_evaluate(doc, argv[2], NULL, &first) != OKPI_OK) return 1;

  t0 = now();
  for (i = 0; i < n; i++) {
    if (okpi_evaluate(doc, argv[2], NULL, &out) != OKPI_OK) return 1;
    okpi_string_free(out);
  }
  without = now() - t0;

  t0 = now();
  if (okpi_model_new(doc, &model) != OKPI_OK) return 1;
  for (i = 0; i < n; i++) {
    if (okpi_model_evaluate(model, argv[2], NULL, &out) != OKPI_OK) return 1;
    if (i == 0 && strcmp(out, first) != 0) return 3; /* the handle gives the same evaluation */
    okpi_string_free(out);
  }
  with = now() - t0;
  okpi_model_free(model);

  printf("%ld evaluations of %s (%zu bytes)\n", n, argv[1], strlen(doc));
  printf("  okpi_evaluate (no handle):        %8.3f s  %8.1f us/call\n", without, 1e6 * without / (double)n);
  printf("  okpi_model_new + model_evaluate:  %8.3f s  %8.1f us/call\n", with, 1e6 * with / (double)n);
  printf("  the handle is %.1fx faster\n", without / with);
  okpi_string_free(first);
  free(doc);
  return 0;
}
