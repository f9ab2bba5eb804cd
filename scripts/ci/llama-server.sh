#!/usr/bin/env bash
# Builds llama.cpp's llama-server (CPU only) from the source that the npm package node-llama-cpp@3.21.1 ships as
# package/llama/gitRelease.bundle (llama.cpp as of that package's release "v0.4.0"), for the real-server
# integration test (src/test/java/dev/llmcls/llama). The build (about 12 minutes on 2 cores) is cached outside the
# repository, keyed by the bundle's sha256:
#   ${LLMCLS_CACHE:-$HOME/.cache/llmcls}/llama-server/<sha256>/{bin/llama-server,gguf-py,COMMIT}
# Prints the cache directory on stdout (the last line); progress goes to stderr. Needs npm, git, cmake, a C++
# compiler. Nothing of llama.cpp is written into the repository.
set -euo pipefail
PKG="${LLAMA_NPM_PACKAGE:-node-llama-cpp@3.21.1}"
CACHE="${LLMCLS_CACHE:-$HOME/.cache/llmcls}/llama-server"
JOBS="${LLAMA_BUILD_JOBS:-2}"
mkdir -p "$CACHE"
log() { echo "llama-server.sh: $*" >&2; }

# 1. The package (its tarball is cached too, so a warm run needs no network).
tgz="$CACHE/$(echo "$PKG" | tr '@/' '__').tgz"
if [ ! -s "$tgz" ]; then
  tmp=$(mktemp -d)
  log "fetching $PKG with npm pack"
  (cd "$tmp" && npm pack --silent "$PKG" >/dev/null)
  mv "$tmp"/*.tgz "$tgz.part" && mv "$tgz.part" "$tgz"
  rm -rf "$tmp"
fi
bundle_dir="$CACHE/bundle"
if [ ! -s "$bundle_dir/gitRelease.bundle" ] || [ "$tgz" -nt "$bundle_dir/gitRelease.bundle" ]; then
  rm -rf "$bundle_dir" && mkdir -p "$bundle_dir"
  tar xzf "$tgz" -C "$bundle_dir" --strip-components=2 package/llama/gitRelease.bundle package/llama/llama.cpp.info.json
fi
sha=$(sha256sum "$bundle_dir/gitRelease.bundle" | cut -c1-16)
out="$CACHE/$sha"
if [ -x "$out/bin/llama-server" ] && [ -d "$out/gguf-py/gguf" ]; then
  log "cached build: $out ($(cat "$out/COMMIT" 2>/dev/null))"
  echo "$out"
  exit 0
fi

# 2. Clone and build (in a work directory beside the cache entry; only a finished build is moved into place).
work="$CACHE/$sha.work"
rm -rf "$work" && mkdir -p "$work"
log "cloning llama.cpp from the bundle"
git clone -q "$bundle_dir/gitRelease.bundle" "$work/src"
commit=$(git -C "$work/src" rev-parse HEAD)
log "building llama-server at $commit with $JOBS jobs (CPU only; about 12 minutes on 2 cores)"
start=$(date +%s)
nice -n 10 cmake -S "$work/src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DGGML_NATIVE=OFF -DLLAMA_CURL=OFF \
  -DGGML_CUDA=OFF -DGGML_METAL=OFF -DGGML_VULKAN=OFF -DGGML_OPENMP=OFF -DBUILD_SHARED_LIBS=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON >&2
nice -n 10 cmake --build "$work/build" --target llama-server -j "$JOBS" >&2
mkdir -p "$work/out/bin"
cp "$work/build/bin/llama-server" "$work/out/bin/"
cp -r "$work/src/gguf-py" "$work/out/gguf-py"
echo "$commit $(cat "$bundle_dir/llama.cpp.info.json" | tr -d ' \n')" > "$work/out/COMMIT"
rm -rf "$out" && mv "$work/out" "$out" && rm -rf "$work"
log "built in $(( $(date +%s) - start )) s: $out"
echo "$out"
