/* A legacy-HRIS style batch job: read a document file, evaluate it as of a date, print one line per objective.
 *
 *   cargo build --release -p okpi-ffi
 *   cc examples/c/objectives.c -Ibindings/c/include target/release/libokpi.a -lcjson -lpthread -ldl -lm -o objectives
 *   ./objectives examples/data/quarter.json 2026-03-10
 */
#include "okpi.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (buf) buf[fread(buf, 1, (size_t)n, f)] = '\0';
  fclose(f);
  return buf;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s DOCUMENT.json YYYY-MM-DD\n", argv[0]);
    return 2;
  }
  char *doc = slurp(argv[1]);
  if (!doc) {
    perror(argv[1]);
    return 2;
  }
  char *out = NULL;
  okpi_result r = okpi_evaluate(doc, argv[2], NULL, &out);
  free(doc);
  if (r != OKPI_OK) {
    char msg[4096];
    okpi_error_message(msg, sizeof msg, NULL);
    fprintf(stderr, "okpi error %u:\n%s\n", (unsigned)r, msg);
    return 2;
  }
  cJSON *ev = cJSON_Parse(out);
  okpi_string_free(out);
  const cJSON *o;
  cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(ev, "objectives")) {
    printf("%-6s %6.1f%%  %-11s score %.1f\n", cJSON_GetObjectItemCaseSensitive(o, "id")->valuestring,
           100.0 * cJSON_GetObjectItemCaseSensitive(o, "progress")->valuedouble,
           cJSON_GetObjectItemCaseSensitive(o, "status")->valuestring,
           cJSON_GetObjectItemCaseSensitive(o, "score")->valuedouble);
  }
  cJSON_Delete(ev);
  return 0;
}
