// A model freed in a C++ global destructor and in a thread_local destructor that runs after Rust's thread-locals
// are gone. The process must exit 0 with its buffered stdout printed. C++11.
#include "okpi.h"

#include <cstdio>
#include <cstring>
#include <thread>

namespace {

const char *DOC =
    "{\"schema_version\": 1,"
    " \"cycles\": [{\"id\": \"q1\", \"start\": \"2026-01-01\", \"end\": \"2026-03-31\"}],"
    " \"objectives\": [{\"id\": \"o1\", \"cycle\": \"q1\"}],"
    " \"key_results\": [{\"id\": \"k1\", \"objective\": \"o1\", \"kind\": \"increase\", \"start\": 0, \"target\": 10}],"
    " \"check_ins\": [{\"key_result\": \"k1\", \"date\": \"2026-01-20\", \"value\": 5}]}";

char thread_report[256];

// Owns a model; its destructor evaluates it, makes a call fail, reads the last error and frees the model.
struct Holder {
  okpi_model *model = nullptr;
  char *report;
  std::size_t size;
  Holder(char *r, std::size_t n) : report(r), size(n) {}
  ~Holder() {
    char *out = nullptr;
    std::size_t len = 1;
    okpi_result ok = okpi_model_evaluate(model, "2026-02-01", nullptr, &out);
    bool progress = ok == OKPI_OK && std::strstr(out, "\"progress\":0.5") != nullptr;
    if (ok == OKPI_OK) okpi_string_free(out);
    okpi_result bad = okpi_evaluate(DOC, "+2026-02-01", nullptr, &out);
    okpi_result msg = okpi_error_message(nullptr, 0, &len);
    std::snprintf(report, size, "evaluate %s progress %d, bad date %s, message %s", okpi_result_name(ok),
                  progress ? 1 : 0, okpi_result_name(bad), okpi_result_name(msg));
    okpi_model_free(model);
    if (report != thread_report) std::printf("global destructor: %s\n", report);
  }
};

char global_report[256];
Holder global_holder(global_report, sizeof global_report);

void thread_main() {
  // Constructed before the first okpi call, so destroyed after Rust's thread-locals.
  thread_local Holder holder(thread_report, sizeof thread_report);
  okpi_model_new(DOC, &holder.model);
}

}  // namespace

int main() {
  std::thread(thread_main).join();
  std::printf("thread_local destructor: %s\n", thread_report);
  if (okpi_model_new(DOC, &global_holder.model) != OKPI_OK) return 12;
  char *out = nullptr;
  if (okpi_validate("{", &out) != OKPI_PARSE_ERROR) return 13;
  std::printf("main: done\n");
  return 0;
}
