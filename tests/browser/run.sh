#!/bin/bash
# Browser tests of the admin page: real headless Chromium (Debian's /usr/bin/chromium) driven
# by playwright-core, against the built binary ($SWITCHBOARD, default build/firmware/switchboard)
# with a real mosquitto broker on a free port. Screenshots go to tests/browser/artifacts/.
# Needs: chromium, mosquitto, protoc, python3-paho-mqtt, python3-protobuf, Node 18+ with npm.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="${SWITCHBOARD:-$repo/build/firmware/switchboard}"
[[ -x $bin ]] || { echo "run.sh: no binary at $bin (build it, or set SWITCHBOARD)" >&2; exit 2; }
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"  # absolute: we change directory below
[[ -x ${CHROMIUM:-/usr/bin/chromium} ]] || { echo "run.sh: no chromium (apt-get install -y chromium)" >&2; exit 2; }
cd "$here"
# A registry behind a TLS-inspecting proxy is trusted through the system's CA bundle (Debian's
# node otherwise uses only its own bundled CAs).
if [[ -z ${NODE_EXTRA_CA_CERTS:-} && -r /etc/ssl/certs/ca-certificates.crt ]]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi
if [[ ! -d node_modules/playwright-core ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
mkdir -p artifacts
# Each suite has its own service, broker and browser; any failing fails the run.
export REPO="$repo" SWITCHBOARD="$bin" ARTIFACTS="$here/artifacts"
status=0
# The first suite spends most of its time waiting out a 1-minute reply target: it runs beside
# the others, which run one after the other.
node admin.test.mjs >artifacts/admin.log 2>&1 &
admin=$!
for suite in attention team; do
  node "$suite.test.mjs" || { status=1; echo "-- $suite.test.mjs FAILED" >&2; }
done
wait "$admin" || { status=1; echo "-- admin.test.mjs FAILED" >&2; }
echo "-- admin.test.mjs:"
cat artifacts/admin.log
exit $status
