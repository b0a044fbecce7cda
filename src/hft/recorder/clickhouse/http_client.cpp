#include "hft/recorder/clickhouse/http_client.hpp"

#include <curl/curl.h>

#include <charconv>
#include <mutex>

namespace hft::recorder::clickhouse {

namespace {

std::size_t on_data(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// ClickHouse error codes that a retry cannot fix (ErrorCodes.cpp of 18.16).
bool permanent(int code) {
  switch (code) {
    case 16:   // NO_SUCH_COLUMN_IN_TABLE
    case 27:   // CANNOT_PARSE_INPUT_ASSERTION_FAILED
    case 33:   // CANNOT_READ_ALL_DATA (a short RowBinary row)
    case 36:   // BAD_ARGUMENTS
    case 44:   // ILLEGAL_COLUMN
    case 47:   // UNKNOWN_IDENTIFIER
    case 53:   // TYPE_MISMATCH
    case 60:   // UNKNOWN_TABLE
    case 62:   // SYNTAX_ERROR
    case 81:   // UNKNOWN_DATABASE
    case 117:  // INCORRECT_DATA
    case 192:  // UNKNOWN_USER
    case 193:  // WRONG_PASSWORD
    case 516:  // AUTHENTICATION_FAILED
      return true;
    default: return false;
  }
}

}  // namespace

int parse_error_code(std::string_view body) {
  const auto at = body.find("Code: ");
  if (at == std::string_view::npos) return 0;
  int code = 0;
  const char* b = body.data() + at + 6;
  std::from_chars(b, body.data() + body.size(), code);
  return code;
}

bool HttpResult::retriable() const {
  if (!transport_ok) return true;
  if (status == 200) return false;
  if (status >= 500 || status == 408 || status == 429) return !permanent(error_code);
  return false;
}

std::string HttpResult::describe() const {
  std::string b = body.substr(0, 300);
  while (!b.empty() && (b.back() == '\n' || b.back() == '\r')) b.pop_back();
  if (!transport_ok) return "no answer: " + b;
  return "HTTP " + std::to_string(status) + ": " + b;
}

HttpClient::HttpClient(std::string url, long timeout_ms)
    : url_(std::move(url)), timeout_ms_(timeout_ms) {
  global_init();
  while (!url_.empty() && url_.back() == '/') url_.pop_back();
  curl_ = curl_easy_init();
}

HttpClient::~HttpClient() {
  if (curl_ != nullptr) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

HttpResult HttpClient::query(std::string_view sql) { return post(url_ + "/", sql); }

HttpResult HttpClient::insert(std::string_view sql, std::string_view body) {
  CURL* c = static_cast<CURL*>(curl_);
  char* q = curl_easy_escape(c, sql.data(), static_cast<int>(sql.size()));
  std::string full = url_ + "/?query=" + (q != nullptr ? q : "");
  curl_free(q);
  return post(full, body);
}

HttpResult HttpClient::post(const std::string& full_url, std::string_view body) {
  HttpResult r;
  CURL* c = static_cast<CURL*>(curl_);
  if (c == nullptr) {
    r.body = "curl_easy_init failed";
    return r;
  }
  curl_easy_reset(c);
  curl_easy_setopt(c, CURLOPT_URL, full_url.c_str());
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r.body);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms_);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  // No "Expect: 100-continue" round trip before large bodies.
  curl_slist* headers = curl_slist_append(nullptr, "Expect:");
  headers = curl_slist_append(headers, "Content-Type: application/octet-stream");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  const CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK) {
    r.body =
        std::string(curl_easy_strerror(rc)) + " (" + full_url.substr(0, full_url.find('?')) + ")";
    return r;
  }
  r.transport_ok = true;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r.status);
  if (r.status != 200) r.error_code = parse_error_code(r.body);
  return r;
}

}  // namespace hft::recorder::clickhouse
