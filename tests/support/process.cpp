#include "tests/support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace kyodo::test {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// --- TempDir ------------------------------------------------------------------------------

TempDir::TempDir(const std::string& prefix) {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/" + prefix + "-XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!mkdtemp(buf.data())) throw std::system_error(errno, std::generic_category(), "mkdtemp " + tmpl);
    path_ = buf.data();
}

TempDir::~TempDir() {
    if (keep_ || path_.empty()) return;
    std::error_code ec;
    fs::remove_all(path_, ec);
}

// --- helpers --------------------------------------------------------------------------------

namespace {

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
    std::vector<char*> out;
    for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
    out.push_back(nullptr);
    return out;
}

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return -1;
}

// In the child after fork: only async-signal-safe calls until execv.
[[noreturn]] void exec_child(const std::vector<char*>& args, int out_fd, int err_fd, pid_t parent) {
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);   // the parent died before prctl took effect
#else
    (void)parent;
#endif
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    execv(args[0], args.data());
    const char msg[] = "exec failed\n";
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)ignored;
    _exit(127);
}

// Waits up to `grace` for pid to exit; returns true with *status filled when it did.
bool wait_exit(pid_t pid, std::chrono::milliseconds grace, int* status) {
    auto deadline = Clock::now() + grace;
    for (;;) {
        pid_t r = waitpid(pid, status, WNOHANG);
        if (r == pid) return true;
        if (r < 0 && errno != EINTR) return true;   // not our child any more
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

}  // namespace

// --- run_process ---------------------------------------------------------------------------

RunResult run_process(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
    if (argv.empty()) throw std::invalid_argument("run_process: empty argv");
    int out_pipe[2], err_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
    if (pipe2(err_pipe, O_CLOEXEC) != 0) {
        close(out_pipe[0]);
        close(out_pipe[1]);
        throw std::system_error(errno, std::generic_category(), "pipe");
    }
    auto args = c_argv(argv);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) throw std::system_error(errno, std::generic_category(), "fork");
    if (pid == 0) exec_child(args, out_pipe[1], err_pipe[1], parent);
    close(out_pipe[1]);
    close(err_pipe[1]);

    RunResult res;
    auto deadline = Clock::now() + timeout;
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    int open_fds = 2;
    char buf[8192];
    while (open_fds > 0) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            res.timed_out = true;
            break;
        }
        int n = poll(fds, 2, static_cast<int>(std::min<long long>(left, 1000)));
        if (n < 0 && errno != EINTR) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t got = read(fds[i].fd, buf, sizeof buf);
            if (got > 0) {
                (i == 0 ? res.out : res.err).append(buf, static_cast<std::size_t>(got));
            } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0) close(f.fd);

    int status = 0;
    if (res.timed_out) {
        kill(pid, SIGTERM);
        if (!wait_exit(pid, std::chrono::seconds(3), &status)) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
        }
    } else {
        // Output closed: the child is exiting; give it what is left of the timeout.
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (!wait_exit(pid, std::max(left, std::chrono::milliseconds(1000)), &status)) {
            res.timed_out = true;
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
        }
    }
    res.exit_code = decode_status(status);
    return res;
}

// --- ChildProcess --------------------------------------------------------------------------

ChildProcess::ChildProcess(const std::vector<std::string>& argv) {
    if (argv.empty()) throw std::invalid_argument("ChildProcess: empty argv");
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
    auto args = c_argv(argv);
    pid_t parent = getpid();
    pid_ = fork();
    if (pid_ < 0) {
        close(p[0]);
        close(p[1]);
        throw std::system_error(errno, std::generic_category(), "fork");
    }
    if (pid_ == 0) exec_child(args, p[1], p[1], parent);
    close(p[1]);
    int fd = p[0];
    reader_ = std::thread([this, fd] { reader_loop(fd); });
}

ChildProcess::~ChildProcess() { stop(); }

void ChildProcess::reader_loop(int fd) {
    char buf[8192];
    for (;;) {
        ssize_t got = read(fd, buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        std::lock_guard lock(mu_);
        output_.append(buf, static_cast<std::size_t>(got));
        cv_.notify_all();
    }
    close(fd);
    std::lock_guard lock(mu_);
    eof_ = true;
    cv_.notify_all();
}

bool ChildProcess::reap(bool block) {
    if (reaped_ || pid_ <= 0) return true;
    int status = 0;
    pid_t r = waitpid(pid_, &status, block ? 0 : WNOHANG);
    if (r == pid_) {
        reaped_ = true;
        exit_code_ = decode_status(status);
        return true;
    }
    if (r < 0 && errno == ECHILD) {
        reaped_ = true;
        return true;
    }
    return false;
}

bool ChildProcess::running() { return !reap(false); }

std::optional<std::string> ChildProcess::wait_for_line(const std::string& needle,
                                                       std::chrono::milliseconds timeout) {
    auto deadline = Clock::now() + timeout;
    std::unique_lock lock(mu_);
    for (;;) {
        // Only complete lines count (the port number must not be cut in half).
        std::size_t start = 0;
        while (start < output_.size()) {
            std::size_t nl = output_.find('\n', start);
            if (nl == std::string::npos) break;
            std::string line = output_.substr(start, nl - start);
            if (line.find(needle) != std::string::npos) return line;
            start = nl + 1;
        }
        if (eof_) return std::nullopt;
        if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && Clock::now() >= deadline)
            return std::nullopt;
    }
}

int ChildProcess::wait_for_listening(std::chrono::milliseconds timeout) {
    const std::string needle = "listening on http://127.0.0.1:";
    auto line = wait_for_line(needle, timeout);
    if (!line) return 0;
    std::size_t at = line->find(needle) + needle.size();
    int port = 0;
    while (at < line->size() && (*line)[at] >= '0' && (*line)[at] <= '9')
        port = port * 10 + ((*line)[at++] - '0');
    return port;
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
    if (pid_ > 0 && !reap(false)) {
        kill(pid_, SIGTERM);
        int status = 0;
        if (wait_exit(pid_, grace, &status)) {
            reaped_ = true;
            exit_code_ = decode_status(status);
        } else {
            kill(pid_, SIGKILL);
            reap(true);
        }
    }
    if (reader_.joinable()) reader_.join();
    return exit_code_;
}

std::string ChildProcess::output() const {
    std::lock_guard lock(mu_);
    return output_;
}

}  // namespace kyodo::test
