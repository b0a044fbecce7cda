// A small ClickHouse HTTP client over libcurl: one keep-alive connection, queries in the POST
// body or in the `query=` URL parameter (INSERT ... FORMAT RowBinary with the rows as the body).
// Not thread-safe: one client per thread.
#pragma once

#include <string>
#include <string_view>

namespace hft::recorder::clickhouse {

struct HttpResult {
  bool transport_ok = false;  // false: no HTTP answer (refused, reset, timeout)
  long status = 0;            // HTTP status when transport_ok
  std::string body;           // response body, or the transport error text
  int error_code = 0;         // ClickHouse "Code: N" of an error answer (0 if none)

  bool ok() const { return transport_ok && status == 200; }
  /// Worth retrying: ClickHouse unreachable or failing for a reason that is not the request's
  /// own fault (a bad query, an unknown table or a parse error never succeeds on retry).
  bool retriable() const;
  /// One line for messages.
  std::string describe() const;
};

class HttpClient {
 public:
  /// `url` like "http://127.0.0.1:8123" (no query string).
  explicit HttpClient(std::string url, long timeout_ms = 60'000);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Runs `sql` (sent as the body); the result in ClickHouse's default TabSeparated format.
  HttpResult query(std::string_view sql);
  /// POSTs `body` as the data of `sql` (sent as the query= parameter), e.g.
  /// "INSERT INTO hft.orders (...) FORMAT RowBinary".
  HttpResult insert(std::string_view sql, std::string_view body);

  const std::string& url() const { return url_; }

 private:
  HttpResult post(const std::string& full_url, std::string_view body);

  std::string url_;
  long timeout_ms_;
  void* curl_ = nullptr;  // CURL*
};

/// Parses ClickHouse's "Code: 60, e.displayText() = ..." error prefix; 0 if absent.
int parse_error_code(std::string_view body);

}  // namespace hft::recorder::clickhouse
