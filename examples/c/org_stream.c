/* Streams the check-ins of a whole organisation through one model handle, then prints a table per org unit: its
 * objectives (progress, status, score) and its tickets per month (the unit and every unit below it).
 *
 *   make build && make install PREFIX=$HOME/.local        # or any prefix pkg-config searches
 *   cc -std=c99 examples/c/org_stream.c $(pkg-config --cflags --libs okpi libcjson) -o org_stream
 *   cc -std=c99 examples/c/org_stream.c $(pkg-config --cflags --libs okpi-static libcjson) -o org_stream
 *   ./org_stream examples/data/org/organisation.json examples/data/org/check_ins.jsonl 2026-03-31
 *
 * The document is read and validated once (okpi_model_new); each check-in line is validated and added
 * (okpi_model_apply_check_in: a refused line is reported and leaves the model as it was); evaluation, the
 * document's owners and the per-unit KPI query all run on the same handle. */
#include <okpi.h>

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Prints the last error of a failed call, sized with okpi_error_message(NULL, 0, &len). */
static void report(const char *what, okpi_result r) {
  size_t len = 0;
  char *msg;
  okpi_error_message(NULL, 0, &len);
  msg = (char *)malloc(len + 1);
  if (msg) okpi_error_message(msg, len + 1, NULL);
  printf("%s: %s\n  %s\n", what, okpi_result_name(r), msg ? msg : "");
  free(msg);
}

static const char *str(const cJSON *object, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(object, key);
  return cJSON_IsString(v) ? v->valuestring : "";
}

static double num(const cJSON *object, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(object, key);
  return cJSON_IsNumber(v) ? v->valuedouble : 0.0;
}

/* The owning unit of objective `id` in the document, or "". */
static const char *owner_unit(const cJSON *doc, const char *id) {
  const cJSON *o;
  cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(doc, "objectives")) {
    if (strcmp(str(o, "id"), id) == 0) return str(cJSON_GetObjectItemCaseSensitive(o, "owner"), "unit");
  }
  return "";
}

static void print_unit(const cJSON *unit, const cJSON *doc, const cJSON *evaluation, const cJSON *tickets) {
  const char *id = str(unit, "id");
  const cJSON *o, *cell;
  int rows = 0;
  printf("\n== %s (%s)\n", id, str(unit, "name"));
  printf("   %-14s %9s  %-11s %5s\n", "objective", "progress", "status", "score");
  cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(evaluation, "objectives")) {
    if (strcmp(owner_unit(doc, str(o, "id")), id) != 0) continue;
    printf("   %-14s %8.1f%%  %-11s %5.2f\n", str(o, "id"), 100.0 * num(o, "progress"), str(o, "status"),
           num(o, "score"));
    rows++;
  }
  if (rows == 0) printf("   (no objectives)\n");
  printf("   tickets:");
  cJSON_ArrayForEach(cell, cJSON_GetObjectItemCaseSensitive(tickets, "cells")) {
    const cJSON *value = cJSON_GetObjectItemCaseSensitive(cell, "value");
    if (strcmp(str(cJSON_GetObjectItemCaseSensitive(cell, "group"), "unit"), id) != 0) continue;
    if (cJSON_IsNumber(value))
      printf(" %.7s %.0f", str(cell, "period_start"), value->valuedouble);
    else
      printf(" %.7s -", str(cell, "period_start"));
  }
  printf("\n");
}

int main(int argc, char **argv) {
  char *text, *out = NULL, line[4096], request[256];
  okpi_model *model = NULL;
  okpi_result r;
  FILE *stream;
  int applied = 0, refused = 0, n = 0, status = 0;
  cJSON *doc = NULL, *evaluation = NULL, *tickets = NULL;
  const cJSON *unit;

  if (argc != 4) {
    fprintf(stderr, "usage: %s ORGANISATION.json CHECK_INS.jsonl YYYY-MM-DD\n", argv[0]);
    return 2;
  }
  text = slurp(argv[1]);
  if (!text) {
    perror(argv[1]);
    return 2;
  }
  r = okpi_model_new(text, &model);
  free(text);
  if (r != OKPI_OK) {
    report(argv[1], r);
    return 1;
  }

  stream = fopen(argv[2], "r");
  if (!stream) {
    perror(argv[2]);
    okpi_model_free(model);
    return 2;
  }
  while (fgets(line, sizeof line, stream)) {
    n++;
    if (line[0] == '\n') continue;
    r = okpi_model_apply_check_in(model, line);
    if (r == OKPI_OK) {
      applied++;
    } else {
      char what[64];
      snprintf(what, sizeof what, "%s line %d refused", argv[2], n);
      report(what, r);
      refused++;
    }
  }
  fclose(stream);
  printf("check-ins: %d applied, %d refused\n", applied, refused);

  r = okpi_model_evaluate(model, argv[3], NULL, &out);
  if (r != OKPI_OK) goto fail;
  evaluation = cJSON_Parse(out);
  okpi_string_free(out);
  r = okpi_model_document(model, &out);
  if (r != OKPI_OK) goto fail;
  doc = cJSON_Parse(out);
  okpi_string_free(out);
  snprintf(request, sizeof request,
           "{\"metric\": \"tickets\", \"grain\": \"month\", \"from\": \"2026-01-01\", \"to\": \"%s\"}", argv[3]);
  r = okpi_model_kpi(model, "query_units", request, &out);
  if (r != OKPI_OK) goto fail;
  tickets = cJSON_Parse(out);
  okpi_string_free(out);

  cJSON_ArrayForEach(unit, cJSON_GetObjectItemCaseSensitive(doc, "org_units")) {
    print_unit(unit, doc, evaluation, tickets);
  }
  goto done;
fail:
  report("okpi", r);
  status = 1;
done:
  cJSON_Delete(doc);
  cJSON_Delete(evaluation);
  cJSON_Delete(tickets);
  okpi_model_free(model);
  return status;
}
