#!/usr/bin/env bash
# Every kiosk screen at every window size, language, text size and furigana setting, as
# PNGs and one contact sheet per screen and size, for a person to look at (issue 9's proof:
# "look at the screenshots of every screen at the three sizes, three languages and three
# text sizes, with furigana on and off"). Tests check geometry; only eyes catch a clumsy
# screen.
#
#   bash scripts/screenshot-matrix.sh [OUT_DIR] [BUILD_DIR]
#     OUT_DIR   default build/screenshot-matrix
#     BUILD_DIR default build (needs build/app/kyodo-kiosk)
#   SCREENS="start detail" SIZES="390x844" bash scripts/screenshot-matrix.sh   # a part of it
#
# Each sheet (OUT_DIR/sheet-SCREEN-SIZE.png) has one row per language (ja, ja with
# furigana, easy_ja — furigana on by default —, en) and one column per text size
# (standard, large, xlarge). Needs Xvfb (xvfb-run) and ImageMagick's montage; runs the
# kiosk in demo mode on a scratch database, no network.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$here/build/screenshot-matrix}
build=${2:-$here/build}
kiosk=$build/app/kyodo-kiosk
[ -x "$kiosk" ] || { echo "screenshot-matrix: no $kiosk (build it first)" >&2; exit 2; }
command -v montage >/dev/null || { echo "screenshot-matrix: ImageMagick's montage is missing (apt-get install imagemagick)" >&2; exit 2; }
command -v xvfb-run >/dev/null || { echo "screenshot-matrix: xvfb-run is missing (apt-get install xvfb)" >&2; exit 2; }

screens=${SCREENS:-"start listings detail signup opinion receipt survey comment proposal organizations organization"}
sizes=${SIZES:-"1920x1080 1080x1920 390x844"}
texts=${TEXT_SIZES:-"standard large xlarge"}
# language:furigana
looks=${LOOKS:-"ja:off ja:on easy_ja:auto en:off"}

mkdir -p "$out"
db=$(mktemp -d)/matrix.db
trap 'rm -rf "$(dirname "$db")"' EXIT

# One X server for all of it: starting Xvfb per picture costs more than the picture.
xvfb-run -a -s "-screen 0 2000x2000x24" bash -s -- "$kiosk" "$here/assets" "$db" "$out" \
    "$screens" "$sizes" "$texts" "$looks" <<'EOF'
set -euo pipefail
kiosk=$1 assets=$2 db=$3 out=$4 screens=$5 sizes=$6 texts=$7 looks=$8
n=0 failed=0
for screen in $screens; do
  for size in $sizes; do
    tiles=()
    for look in $looks; do
      lang=${look%%:*} furi=${look##*:}
      for t in $texts; do
        png=$out/$screen-$size-$lang-furigana_$furi-$t.png
        if "$kiosk" --assets "$assets" --demo-db "$db" --no-sync --window "$size" --screen "$screen" \
            --lang "$lang" --furigana "$furi" --text-size "$t" --screenshot "$png" > "$png.log" 2>&1; then
          n=$((n + 1))
        else
          echo "screenshot-matrix: FAILED $screen $size $lang furigana=$furi $t (see $png.log)" >&2
          failed=$((failed + 1))
          convert -size 400x300 xc:red "$png"
        fi
        tiles+=("$png")
      done
    done
    montage "${tiles[@]}" -tile 3x -geometry '640x640>+6+6' -background '#888' "$out/sheet-$screen-$size.png"
    echo "screenshot-matrix: $out/sheet-$screen-$size.png"
  done
done
echo "screenshot-matrix: $n screenshots, $failed failed, in $out"
[ "$failed" -eq 0 ]
EOF
