#include "app/cli/args.h"

#include <cstdlib>

#include "app/model/nav.h"
#include "app/model/texts.h"

namespace kyodo::app::cli {

void usage(FILE* out) {
    std::fprintf(out,
                 "usage: kyodo-kiosk [--config kiosk.json] [--assets DIR] [--window WxH] [--fullscreen]\n"
                 "                   [--no-sync] [--demo-db PATH] [--lang ja|en|easy_ja] [--export-dir DIR]\n"
                 "                   [--screenshot FILE.png --screen start|listings|detail|signup|opinion|receipt|\n"
                 "                                                  survey|comment|proposal|organizations|organization]\n"
                 "                   [--text-size standard|large|xlarge] [--high-contrast] [--furigana on|off|auto]\n"
                 "                   [--overlay settings|staff|staff-pin|idle] [--print-layout]\n"
                 "       kyodo-kiosk [--config kiosk.json | --demo-db PATH] --set-staff-pin   (PIN on stdin)\n"
                 "       kyodo-kiosk --demo-db PATH --bench-frames N   (frame time, 1,000 listings)\n"
                 "Without --config: a local demo kiosk (kiosk id \"demo\", a fresh key pair, no sync),\n"
                 "its database at --demo-db (default ./kyodo-demo.db) filled from the sample catalog.\n");
}

bool parse_args(int argc, char** argv, Args& a) {
    for (int i = 1; i < argc; ++i) {
        std::string s = argv[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "kyodo-kiosk: %s needs a value\n", s.c_str());
                return false;
            }
            out = argv[++i];
            return true;
        };
        if (s == "--config") {
            if (!value(a.config)) return false;
        } else if (s == "--assets") {
            if (!value(a.assets)) return false;
        } else if (s == "--window") {
            std::string v;
            if (!value(v)) return false;
            if (std::sscanf(v.c_str(), "%dx%d", &a.width, &a.height) != 2 || a.width < 320 || a.height < 240 ||
                a.width > 8192 || a.height > 8192) {
                std::fprintf(stderr, "kyodo-kiosk: --window wants WIDTHxHEIGHT, e.g. 1920x1080 (got %s)\n", v.c_str());
                return false;
            }
        } else if (s == "--fullscreen") {
            a.fullscreen = true;
        } else if (s == "--no-sync") {
            a.no_sync = true;
        } else if (s == "--screenshot") {
            if (!value(a.screenshot)) return false;
        } else if (s == "--screen") {
            if (!value(a.screen)) return false;
            if (!screen_from_name(a.screen)) {
                std::fprintf(stderr, "kyodo-kiosk: unknown screen '%s' (start, listings, detail, signup, opinion, receipt, survey, "
                             "comment, proposal, organizations, organization)\n",
                             a.screen.c_str());
                return false;
            }
        } else if (s == "--demo-db") {
            if (!value(a.demo_db)) return false;
        } else if (s == "--lang") {
            if (!value(a.lang)) return false;
            Lang l;
            if (!lang_from_code(a.lang, &l)) {
                std::fprintf(stderr, "kyodo-kiosk: --lang is ja, en or easy_ja\n");
                return false;
            }
        } else if (s == "--set-staff-pin") {
            a.set_staff_pin = true;
        } else if (s == "--bench-frames") {
            std::string v;
            if (!value(v)) return false;
            a.bench_frames = std::atoi(v.c_str());
            if (a.bench_frames <= 0) {
                std::fprintf(stderr, "kyodo-kiosk: --bench-frames wants a positive count\n");
                return false;
            }
        } else if (s == "--print-layout") {
            a.print_layout = true;
        } else if (s == "--export-dir") {
            std::string v;
            if (!value(v)) return false;
            a.export_dirs.push_back(v);
        } else if (s == "--text-size") {
            if (!value(a.text_size)) return false;
            if (a.text_size != "standard" && a.text_size != "large" && a.text_size != "xlarge") {
                std::fprintf(stderr, "kyodo-kiosk: --text-size is standard, large or xlarge\n");
                return false;
            }
        } else if (s == "--furigana") {
            if (!value(a.furigana)) return false;
            if (a.furigana != "on" && a.furigana != "off" && a.furigana != "auto") {
                std::fprintf(stderr, "kyodo-kiosk: --furigana is on, off or auto\n");
                return false;
            }
        } else if (s == "--high-contrast") {
            a.high_contrast = true;
        } else if (s == "--overlay") {
            if (!value(a.overlay)) return false;
            if (a.overlay != "settings" && a.overlay != "staff" && a.overlay != "staff-pin" && a.overlay != "idle") {
                std::fprintf(stderr, "kyodo-kiosk: --overlay is settings, staff, staff-pin or idle\n");
                return false;
            }
        } else if (s == "-h" || s == "--help") {
            usage(stdout);
            std::exit(0);
        } else {
            std::fprintf(stderr, "kyodo-kiosk: unknown option %s\n", s.c_str());
            usage(stderr);
            return false;
        }
    }
    return true;
}

}  // namespace kyodo::app::cli
