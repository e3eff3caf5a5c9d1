#!/bin/sh
# Seeds for the fuzzer: every feed fixture and the hostile corpus, each under 64 KB (AFL prefers small).
set -eu
cd "$(dirname "$0")"
mkdir -p seeds
for f in ../tests/fixtures/feeds/*.* ../tests/fixtures/feeds/spec/* ../tests/fixtures/hostile/* ../tests/fixtures/fuzz/*; do
    [ -f "$f" ] || continue
    [ "$(wc -c < "$f")" -le 65536 ] || continue
    cp "$f" "seeds/$(basename "$(dirname "$f")")-$(basename "$f")"
done
ls seeds | wc -l
