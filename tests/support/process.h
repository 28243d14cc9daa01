// Test support: child processes and temporary directories for integration tests.
//
// Tests talk only to 127.0.0.1, are bounded in time, and stop what they started by pid:
// ChildProcess sends SIGTERM to its own pid (then SIGKILL after a timeout) in its destructor,
// and on Linux the child is also told to die with the test (PR_SET_PDEATHSIG) so a crashed
// test leaves no server behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace kyodo::test {

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.
class TempDir {
public:
    explicit TempDir(const std::string& prefix = "kyodo-test");
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    void keep() { keep_ = true; }   // leave it for a post-mortem

private:
    std::string path_;
    bool keep_ = false;
};

struct RunResult {
    int exit_code = -1;        // exit status, or 128+signal when killed by a signal
    bool timed_out = false;    // killed because it ran past the timeout
    std::string out, err;
};

// Runs argv[0] (a path; not searched in PATH) to completion with stdout and stderr captured,
// killing it (SIGTERM, then SIGKILL) if it runs longer than timeout.
RunResult run_process(const std::vector<std::string>& argv,
                      std::chrono::milliseconds timeout = std::chrono::seconds(30));

// A long-running child (a server). Its stdout and stderr go to one pipe that a reader thread
// drains for the whole life of the child (so a chatty server never blocks on a full pipe).
class ChildProcess {
public:
    explicit ChildProcess(const std::vector<std::string>& argv);
    ~ChildProcess();   // stop()
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const { return pid_; }
    bool running();
    // Waits for an output line containing `needle`; returns the whole line, or nullopt when
    // the timeout passes or the child exits first.
    std::optional<std::string> wait_for_line(const std::string& needle, std::chrono::milliseconds timeout);
    // Waits for "listening on http://127.0.0.1:PORT" and returns PORT (0 on timeout/exit).
    int wait_for_listening(std::chrono::milliseconds timeout = std::chrono::seconds(20));
    // SIGTERM to our pid, SIGKILL after `grace`; returns the exit code as in RunResult.
    int stop(std::chrono::milliseconds grace = std::chrono::seconds(5));
    std::string output() const;   // everything read so far

private:
    void reader_loop(int fd);
    bool reap(bool block);

    pid_t pid_ = -1;
    int exit_code_ = -1;
    bool reaped_ = false;
    std::thread reader_;
    mutable std::mutex mu_;
    std::condition_variable cv_;
    std::string output_;
    bool eof_ = false;
};

}  // namespace kyodo::test
