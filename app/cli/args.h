// kyodo-kiosk's command line.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#ifndef KYODO_ASSETS_DIR
#define KYODO_ASSETS_DIR "assets"
#endif

namespace kyodo::app::cli {

struct Args {
    std::string config;
    std::string assets = KYODO_ASSETS_DIR;
    int width = 1920, height = 1080;
    bool fullscreen = false;
    bool no_sync = false;
    std::string screenshot;
    std::string screen = "start";
    std::string demo_db;
    std::string lang = "ja";
    bool set_staff_pin = false;       // read a PIN from stdin, store its hash, exit
    int bench_frames = 0;             // render N frames of listings (1,000 activities)
    bool print_layout = false;        // print widget rectangles (end-to-end tests)
    std::string text_size = "standard";   // screenshots of the resident's settings
    bool high_contrast = false;
    std::string furigana = "auto";   // on | off | auto (the default: on in easy_ja)
    std::string overlay;              // screenshots: settings | staff | staff-pin | idle
    std::vector<std::string> export_dirs;
};

void usage(FILE* out);
// False (with a message on stderr) when the command line is wrong; -h prints usage and exits.
bool parse_args(int argc, char** argv, Args& a);

}  // namespace kyodo::app::cli
