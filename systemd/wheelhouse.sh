#!/bin/sh
# Build an offline wheelhouse: every wheel a post and HQ install, for each platform, checked
# against the hashes of requirements-post.lock / requirements-hq.lock, and Borderpost's own wheel.
#   wheelhouse.sh OUT [PLATFORMS]     PLATFORMS: "x86_64 aarch64" (default)
# A package with no wheel on PyPI for a platform (evdev has none at all) is kept as its
# hash-checked source archive: `install.sh` builds it on the box, offline, with the
# compiler and headers of Debian's build-essential, linux-libc-dev and python3-dev.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
out=${1:?usage: wheelhouse.sh OUT [PLATFORMS]}
platforms=${2:-x86_64 aarch64}
python=${PYTHON:-python3}
pyver=${PYVER:-3.11}
sdist_only="evdev"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The lock without the source-only packages, and those alone (each entry: its lines up to
# the next requirement).
split() {
    awk -v skip="$sdist_only" -v keep="$3" '
        /^[A-Za-z0-9]/ { name = $1; sub(/[=<>;].*/, "", name); hit = (index(" " skip " ", " " name " ") > 0) }
        /^[A-Za-z0-9 ]/ || /^    --hash/ { if (hit == keep) print }
    ' "$1" > "$2"
}

for lock in requirements-build.lock requirements-post.lock requirements-hq.lock; do
    split "$repo/$lock" "$tmp/wheels-$lock" 0
    split "$repo/$lock" "$tmp/sdists-$lock" 1
    for plat in $platforms; do
        echo "== $lock for $plat"
        "$python" -m pip download -q --disable-pip-version-check --require-hashes \
            --only-binary=:all: --python-version "$pyver" --implementation cp \
            --platform "manylinux_2_28_$plat" --platform "manylinux_2_17_$plat" \
            --platform "manylinux2014_$plat" --platform "linux_$plat" \
            -r "$tmp/wheels-$lock" -d "$out"
    done
    if [ -s "$tmp/sdists-$lock" ]; then
        "$python" -m pip download -q --disable-pip-version-check --require-hashes --no-deps \
            --no-binary=:all: -r "$tmp/sdists-$lock" -d "$out"
    fi
    cp "$repo/$lock" "$out/"
done
"$python" -m pip wheel -q --disable-pip-version-check --no-deps -w "$out" "$repo"
echo "wheelhouse: $(ls "$out" | wc -l) files, $(du -sh "$out" | cut -f1) in $out"
