// HTTP endpoint for Prometheus on its own thread (cpp-httplib). Never touches the hot thread:
// a scrape only reads metrics with relaxed loads.
#include <httplib.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "hft/obs/metrics.hpp"

namespace hft::obs {
namespace {

constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string endpoint(const std::string& address, int port) {
  const bool v6 = address.find(':') != std::string::npos;
  return (v6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

/// Why binding address:port fails, found by trying it ourselves (httplib only says false).
std::string bind_failure_reason(const std::string& address, int port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* res = nullptr;
  const std::string service = std::to_string(port);
  if (getaddrinfo(address.c_str(), service.c_str(), &hints, &res) != 0 || res == nullptr) {
    return "cannot resolve address";
  }
  int err = 0;
  const int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
  if (fd < 0) {
    err = errno;
  } else {
    const int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);  // as httplib does
    if (bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 1) != 0) err = errno;
    close(fd);
  }
  freeaddrinfo(res);
  switch (err) {
    case 0: return "bind failed";
    case EADDRINUSE: return "address in use";
    case EACCES: return "permission denied";
    case EADDRNOTAVAIL: return "address not available on this host";
    default: return std::strerror(err);
  }
}

}  // namespace

struct Exporter::Impl {
  httplib::Server server;
  std::thread thread;
  std::atomic<bool> finished{false};  // listen loop returned
};

Exporter::Exporter(const Registry& registry) : registry_(registry) {}

Exporter::~Exporter() { stop(); }

std::string Exporter::start(const std::string& address, int port) {
  const std::string where = endpoint(address, port);
  const std::string fix = "; choose another port with --metrics-port or metrics.port";
  if (impl_) return "metrics: exporter already serving on " + endpoint(address, port_);
  if (port < 0 || port > 65535) {
    return "metrics: cannot listen on " + where + " (port out of range 0..65535)" + fix;
  }

  auto impl = std::make_unique<Impl>();
  httplib::Server& svr = impl->server;
  // Scrapes are rare and cheap: two workers instead of httplib's default of max(8, cores - 1).
  svr.new_task_queue = [] { return new httplib::ThreadPool(2); };
  // SO_REUSEADDR only (quick restart over TIME_WAIT). httplib's default adds SO_REUSEPORT, which
  // would let a second engine bind the same port and silently take half of the scrapes.
  svr.set_socket_options([](socket_t sock) {
    const int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  svr.set_read_timeout(5, 0);
  svr.set_write_timeout(5, 0);
  svr.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(registry_.render(), kContentType);
  });
  svr.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  svr.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("hft metrics: GET /metrics (Prometheus text), GET /healthz\n", "text/plain");
  });

  // Bind on the caller's thread so that a taken port is reported now, not logged later.
  int bound = port;
  if (port == 0) {
    bound = svr.bind_to_any_port(address);
    if (bound <= 0) bound = -1;
  } else if (!svr.bind_to_port(address, port)) {
    bound = -1;
  }
  if (bound < 0) {
    return "metrics: cannot listen on " + where + " (" + bind_failure_reason(address, port) + ")" +
           fix;
  }

  impl->thread = std::thread([&svr, &finished = impl->finished] {
    svr.listen_after_bind();
    finished.store(true);
  });
  // httplib's stop() is a no-op until the accept loop runs, so wait for it: a stop() right
  // after start() must not leave the thread listening forever.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!svr.is_running() && !impl->finished.load() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  impl_ = std::move(impl);
  port_ = bound;
  return {};
}

void Exporter::stop() {
  if (!impl_) return;
  impl_->server.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_.reset();
  port_ = 0;
}

}  // namespace hft::obs
