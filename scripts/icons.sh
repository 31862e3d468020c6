#!/usr/bin/env bash
# Regenerates the PWA's PNG icons from crates/tidily-web/assets/icon.svg. Run by hand when the
# SVG changes and commit the PNGs (the server embeds them; building needs no image tools).
# Needs: apt-get install -y librsvg2-bin pngquant optipng
set -euo pipefail
cd "$(dirname "$0")/../crates/tidily-web/assets"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

rsvg-convert -w 192 -h 192 icon.svg -o "$tmp/icon-192.png"
rsvg-convert -w 512 -h 512 icon.svg -o "$tmp/icon-512.png"

# Maskable: the background fills the square and the mark sits inside the central safe zone
# (a circle of 80 % of the width), so any launcher mask keeps it whole.
inner=$(sed -E 's#^<svg[^>]*>##; s#</svg>$##; s#<rect[^>]*/>##' icon.svg)
cat > "$tmp/maskable.svg" <<SVG
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" fill="#2563eb"/><g transform="translate(4 4) scale(0.75)">$inner</g></svg>
SVG
rsvg-convert -w 512 -h 512 "$tmp/maskable.svg" -o "$tmp/icon-maskable-512.png"

for f in icon-192 icon-512 icon-maskable-512; do
  pngquant --quality 80-100 --speed 1 --strip --force --output "$f.png" "$tmp/$f.png"
  optipng -quiet -o5 "$f.png"
done
ls -l icon-*.png
