/*
 * The smallest okpi program: evaluates a document as of a date and prints the evaluation's JSON, or the problems.
 *
 *   cc -std=c99 example.c $(pkg-config --cflags --libs okpi) -o example
 *   ./example document.json 2026-03-10
 *
 * It needs nothing but libokpi: the document is read as text and handed to okpi as it is.
 */
#include <stdio.h>
#include <stdlib.h>

#include "okpi.h"

/* Reads a whole file into a NUL-terminated buffer (free it), or returns NULL. */
static char *read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  while (buf != NULL) {
    len += fread(buf + len, 1, cap - len - 1, f);
    if (ferror(f) || feof(f)) break;
    char *bigger = realloc(buf, cap * 2);
    if (bigger == NULL) { free(buf); buf = NULL; break; }
    buf = bigger;
    cap *= 2;
  }
  int failed = ferror(f);
  fclose(f);
  if (buf == NULL || failed) { free(buf); return NULL; }
  buf[len] = '\0';
  return buf;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s DOCUMENT.json YYYY-MM-DD\n", argv[0]);
    return 2;
  }
  char *doc = read_file(argv[1]);
  if (doc == NULL) {
    perror(argv[1]);
    return 2;
  }
  char *out = NULL;
  okpi_result r = okpi_evaluate(doc, argv[2], NULL, &out);
  free(doc);
  if (r != OKPI_OK) {
    char message[4096];
    okpi_error_message(message, sizeof message, NULL);
    fprintf(stderr, "okpi %s: %s: %s\n", okpi_version(), okpi_result_name(r), message);
    return 1;
  }
  printf("%s\n", out);
  okpi_string_free(out);
  return 0;
}
