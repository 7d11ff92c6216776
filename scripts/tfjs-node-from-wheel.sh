#!/usr/bin/env bash
# Builds @tensorflow/tfjs-node's native binding against the TensorFlow shared libraries inside
# pip's `tensorflow-cpu` wheel, for machines where tfjs-node's own install cannot download
# libtensorflow (it fetches a 2.9.1 tarball from the internet) but pip reaches a package mirror.
# The wheel carries libtensorflow_cc.so.2 (which holds the C API tfjs-node calls) and
# libtensorflow_framework.so.2 plus the C headers; tfjs-node 4.22's binding.gyp links
# -ltensorflow -ltensorflow_framework from deps/lib with an rpath, so we lay them out there.
#
#   bash scripts/tfjs-node-from-wheel.sh            # idempotent; exits 0 with "skipped: why" when it cannot
#   TF_WHEEL=/path/to/tensorflow_cpu-*.whl bash scripts/tfjs-node-from-wheel.sh
#
# It never fails the caller (CI): a missing wheel, pip, compiler or a load failure print a reason
# and exit 0, and the engine falls back to the wasm backend as before. Linux x86_64 only (the
# wheel's platform). Needs python3 (zip extraction, pip), make and a C++ compiler (node-gyp).
set -uo pipefail
cd "$(dirname "$0")/.."
TF_VERSION="${TF_VERSION:-2.21.0}"
ROOT="$PWD"
skip() { echo "tfjs-node-from-wheel: skipped: $*"; exit 0; }

[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || skip "only for Linux x86_64 (the wheel's platform)"
command -v python3 >/dev/null || skip "python3 not found"
TFJS_NODE_VERSION="$(node -p "require('./package.json').optionalDependencies['@tensorflow/tfjs-node'] || ''")"
[ -n "$TFJS_NODE_VERSION" ] || skip "package.json has no optional dependency @tensorflow/tfjs-node"
PKG="$ROOT/node_modules/@tensorflow/tfjs-node"
ADDON="$PKG/lib/napi-v8/tfjs_binding.node"

check() { TF_CPP_MIN_LOG_LEVEL=2 node -e "const tf=require('@tensorflow/tfjs-node'); if (tf.getBackend()!=='tensorflow') process.exit(1); console.log('tfjs-node-from-wheel: tfjs-node loads (TensorFlow ' + tf.backend().binding.TF_Version + ')')" 2>&1; }

if [ -f "$ADDON" ] && check; then exit 0; fi

# 1. The package itself: npm ci drops it (its install script fails without the internet), so put
#    it back without running that script. Its JS dependencies are in package-lock.json.
if [ ! -f "$PKG/binding.gyp" ]; then
  echo "tfjs-node-from-wheel: installing @tensorflow/tfjs-node@$TFJS_NODE_VERSION without its download script"
  npm install --no-save --ignore-scripts --no-audit --no-fund "@tensorflow/tfjs-node@$TFJS_NODE_VERSION" >/dev/null 2>&1 || skip "npm could not install @tensorflow/tfjs-node@$TFJS_NODE_VERSION"
fi

# 2. The wheel, from pip's configured indexes (a local mirror here); no dependencies needed.
WHEEL="${TF_WHEEL:-}"
if [ -z "$WHEEL" ]; then
  CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/loci/tf-wheel"
  mkdir -p "$CACHE"
  WHEEL="$(ls "$CACHE"/tensorflow_cpu-"$TF_VERSION"-*.whl 2>/dev/null | head -n1)"
  if [ -z "$WHEEL" ]; then
    python3 -m pip --version >/dev/null 2>&1 || skip "pip not found"
    python3 -m pip download --no-deps --retries 0 --timeout 15 --only-binary=:all: --python-version 3.11 \
      --platform manylinux_2_27_x86_64 "tensorflow-cpu==$TF_VERSION" -d "$CACHE" >/dev/null 2>&1 \
      || skip "pip could not download tensorflow-cpu==$TF_VERSION (no mirror?)"
    WHEEL="$(ls "$CACHE"/tensorflow_cpu-"$TF_VERSION"-*.whl 2>/dev/null | head -n1)"
  fi
fi
[ -f "$WHEEL" ] || skip "no tensorflow-cpu wheel"

# 3. deps/lib and deps/include as binding.gyp expects them (libtensorflow.so -> the wheel's _cc).
echo "tfjs-node-from-wheel: extracting TensorFlow's libraries and C headers from $(basename "$WHEEL")"
rm -rf "$PKG/deps" && mkdir -p "$PKG/deps/lib" "$PKG/deps/include"
python3 - "$WHEEL" "$PKG/deps" <<'EOF' || skip "could not extract the wheel"
import os, shutil, sys, zipfile
wheel, deps = sys.argv[1], sys.argv[2]
# What tensorflow/c/c_api.h and eager/c_api.h include (g++ -M on the wheel's headers).
HEADERS = tuple('tensorflow/include/' + p for p in ('tensorflow/c/', 'tensorflow/core/platform/ctstring', 'tsl/platform/ctstring', 'xla/tsl/c/'))
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.endswith('/'):
            continue
        if name in ('tensorflow/libtensorflow_cc.so.2', 'tensorflow/libtensorflow_framework.so.2'):
            dest = f"{deps}/lib/{name.split('/')[-1]}"
        elif name.startswith(HEADERS):
            dest = f"{deps}/include/{name[len('tensorflow/include/'):]}"
        else:
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with z.open(name) as src, open(dest, 'wb') as out:
            shutil.copyfileobj(src, out)
EOF
[ -f "$PKG/deps/lib/libtensorflow_cc.so.2" ] || skip "the wheel has no libtensorflow_cc.so.2"
ln -sf libtensorflow_cc.so.2 "$PKG/deps/lib/libtensorflow.so"
ln -sf libtensorflow_framework.so.2 "$PKG/deps/lib/libtensorflow_framework.so"

# 4. The binding (N-API 8: Node >= 12.22), where tfjs-node's loader looks for it.
GYP="$ROOT/node_modules/.bin/node-gyp"
[ -x "$GYP" ] || GYP="$(command -v node-gyp || true)"
[ -n "$GYP" ] || skip "node-gyp not found"
NODEDIR=()
[ -f /usr/include/node/node_version.h ] && NODEDIR=(--nodedir=/usr) # Debian's headers; else node-gyp's cache
echo "tfjs-node-from-wheel: compiling the binding (node-gyp)"
( cd "$PKG" && "$GYP" rebuild "${NODEDIR[@]}" -j 2 --module_name=tfjs_binding --module_path="$PKG/lib/napi-v8" --napi_build_version=8 ) >"$PKG/deps/build.log" 2>&1 \
  || skip "node-gyp failed (log: $PKG/deps/build.log)"
[ -f "$ADDON" ] || { mkdir -p "$(dirname "$ADDON")" && cp "$PKG/build/Release/tfjs_binding.node" "$ADDON"; } # gyp copies it to module_path itself
rm -rf "$PKG/build"
check || { rm -f "$ADDON"; skip "the built binding does not load"; }
