// The baseline the kiosk's start-up, idle CPU and memory bars are measured against
// (DESIGN.md "Bars"): a bare GLFW + OpenGL 3 + Dear ImGui program with one Japanese font,
// its atlas built from only the glyphs it shows. It opens a window, draws one frame of
// Japanese text, and prints how long that took from process start, and its RSS.
//
//   bare_glfw_font [--window WxH] [--idle-seconds N]
//
// Prints:  first_frame_ms=<ms> rss_kb=<kb> atlas=<w>x<h> build_ms=<ms>
// With --idle-seconds it then waits for events (drawing nothing) for N seconds and prints
// idle_cpu_percent=<percent of one core>, the floor the kiosk's idle figure is compared to.
#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_freetype.h>
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>

#include <unistd.h>

namespace {

const char* kFont = "/usr/share/fonts/truetype/bizud-gothic/BIZUDGothic-Regular.ttf";
const char* kText = "協働事業 ボランティア募集 ご意見箱 アンケート パブリックコメント 提案する 団体を知る "
                    "北彩都あさひかわ冬のガーデン 雪あかりの動物園 こども食堂 地域除雪活動 令和8年11月22日(日)";

// Milliseconds since this process was started, so the figure includes dynamic loading and
// GL driver start-up, as a resident would wait for them. A bench driver that execs us sets
// KYODO_BENCH_T0_NS (CLOCK_MONOTONIC just before exec) for sub-millisecond precision;
// otherwise /proc/self/stat's start time is used (10 ms resolution).
double ms_since_process_start() {
    if (const char* t0 = std::getenv("KYODO_BENCH_T0_NS")) {
        timespec now{};
        clock_gettime(CLOCK_MONOTONIC, &now);
        return (now.tv_sec * 1e9 + now.tv_nsec - std::strtod(t0, nullptr)) / 1e6;
    }
    std::ifstream f("/proc/self/stat");
    std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    auto rp = s.rfind(')');
    const char* p = s.c_str() + rp + 2;
    // Field 22 (starttime) counted from field 3, which starts at p.
    for (int field = 3; field < 22; ++field) p = std::strchr(p, ' ') + 1;
    double start_ticks = std::strtod(p, nullptr);
    double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
    timespec up{};
    clock_gettime(CLOCK_BOOTTIME, &up);
    double now_ms = up.tv_sec * 1000.0 + up.tv_nsec / 1e6;
    return now_ms - start_ticks * 1000.0 / hz;
}

long rss_kb() {
    std::ifstream f("/proc/self/status");
    std::string line;
    while (std::getline(f, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
    return 0;
}

double cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

}  // namespace

int main(int argc, char** argv) {
    int w = 1920, h = 1080;
    double idle_seconds = 0;
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--window") && i + 1 < argc) std::sscanf(argv[++i], "%dx%d", &w, &h);
        else if (!std::strcmp(argv[i], "--idle-seconds") && i + 1 < argc) idle_seconds = std::atof(argv[++i]);
    }
    if (!glfwInit()) {
        std::fprintf(stderr, "bare_glfw_font: no display (glfwInit failed); run under xvfb-run\n");
        return 2;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    GLFWwindow* win = glfwCreateWindow(w, h, "bare", nullptr, nullptr);
    if (!win) {
        std::fprintf(stderr, "bare_glfw_font: could not create an OpenGL 3 window\n");
        return 2;
    }
    glfwMakeContextCurrent(win);
    glfwSwapInterval(0);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    auto t0 = std::chrono::steady_clock::now();
    ImFontGlyphRangesBuilder rb;
    rb.AddRanges(io.Fonts->GetGlyphRangesDefault());
    rb.AddText(kText);
    ImVector<ImWchar> ranges;
    rb.BuildRanges(&ranges);
    io.Fonts->AddFontFromFileTTF(kFont, 32.0f, nullptr, ranges.Data);
    io.Fonts->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    io.Fonts->Build();
    double build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    ImGui_ImplGlfw_InitForOpenGL(win, true);
    ImGui_ImplOpenGL3_Init("#version 130");

    auto frame = [&] {
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(io.DisplaySize);
        ImGui::Begin("bare", nullptr, ImGuiWindowFlags_NoDecoration);
        ImGui::TextWrapped("%s", kText);
        ImGui::End();
        ImGui::Render();
        int fw, fh;
        glfwGetFramebufferSize(win, &fw, &fh);
        glViewport(0, 0, fw, fh);
        glClearColor(1, 1, 1, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        glfwSwapBuffers(win);
        glFinish();
    };
    frame();
    std::printf("first_frame_ms=%.1f rss_kb=%ld atlas=%dx%d build_ms=%.1f\n", ms_since_process_start(), rss_kb(),
                io.Fonts->TexWidth, io.Fonts->TexHeight, build_ms);
    std::fflush(stdout);

    if (idle_seconds > 0) {
        double c0 = cpu_seconds();
        auto start = std::chrono::steady_clock::now();
        for (;;) {
            double left = idle_seconds - std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (left <= 0) break;
            glfwWaitEventsTimeout(left);  // draw nothing while nothing happens
        }
        double used = cpu_seconds() - c0;
        std::printf("idle_cpu_percent=%.3f\n", 100.0 * used / idle_seconds);
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(win);
    glfwTerminate();
    return 0;
}
