#!/usr/bin/env bash
# Cuts the committed fallback subsets out of Debian's font packages. The outputs are
# committed, so builds never need this; run it only to change what the subsets cover.
#   apt-get install fonts-noto-cjk fonts-symbola fonttools
set -euo pipefail
cd "$(dirname "$0")"

# Noto Sans CJK KR (face 1 of the collection): every Hangul syllable and jamo.
pyftsubset /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc --font-number=1 \
  --unicodes="U+AC00-D7A3,U+1100-11FF,U+3130-318F,U+A960-A97F,U+D7B0-D7FF" \
  --layout-features='*' --no-hinting --output-file=NotoSansCJKkr-Hangul.otf

# Symbola: emoji, pictographs, dingbats and technical symbols, as monochrome outlines
# (colour emoji fonts are bitmaps and cannot be embedded as PDF glyphs).
pyftsubset /usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf \
  --unicodes="U+1F000-1FAFF,U+2600-27BF,U+2B00-2BFF,U+2300-23FF,U+FE0F,U+200D" \
  --no-hinting --output-file=Symbola-Emoji.ttf
