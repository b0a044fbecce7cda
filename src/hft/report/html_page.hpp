// Pieces shared by the self-contained HTML reports (latency report, backtest report): escaping,
// data inside <script>, placeholder filling and the page skeleton.
#pragma once

#include <string>
#include <string_view>

namespace hft::report {

/// Text for HTML content and attribute values: & < > " escaped.
std::string escape_html(std::string_view s);

/// Text (JSON) for inside a <script> element: "</" becomes "<\/" so data cannot close it.
std::string script_safe(std::string_view s);

/// Replaces every `key` in `page` by `value`; inserted text is not searched again.
void fill(std::string& page, std::string_view key, std::string_view value);

/// A whole page: doctype, UTF-8, `title` (escaped here), `css` in a <style>, then `body`.
std::string html_page(std::string_view title, std::string_view css, std::string_view body);

}  // namespace hft::report
