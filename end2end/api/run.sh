#!/usr/bin/env bash
# Schemathesis against a real Quire: generates requests from /api/v1/openapi.json, sends them
# with a real API token, and checks every answer against the document (status codes, the
# envelope, headers) and for server errors. Usage: end2end/api/run.sh [path/to/quire]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
binary="${1:-$root/target/debug/quire}"
st="${SCHEMATHESIS:-$root/target/tools/venv/bin/st}"
port="${QUIRE_API_FUZZ_PORT:-3210}"
base="http://127.0.0.1:$port/api/v1"

data="$(mktemp -d)"
log="$data/quire.log"
cleanup() {
  [ -z "${server:-}" ] || kill "$server" 2>/dev/null || true
  rm -rf "$data"
}
trap cleanup EXIT

# Limits high enough for a fuzzer; the rate limits have their own tests.
(cd "$root" && QUIRE_DATA_DIR="$data" QUIRE_ADDR="127.0.0.1:$port" \
  QUIRE_PUBLIC_URL="http://127.0.0.1:$port" QUIRE_LOG=warn \
  QUIRE_RATE_LIMIT_PER_MINUTE=1000000 QUIRE_RATE_LIMIT_COSTLY_PER_MINUTE=1000000 \
  exec "$binary" serve) >"$log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  sleep 0.2
done

jar="$data/cookies"
curl -fs -c "$jar" -X POST "$base/auth/signup" -H 'content-type: application/json' \
  -d '{"email":"fuzz@example.com","password":"a long enough passphrase"}' >/dev/null
token=$(curl -fs -b "$jar" -X POST "$base/tokens" -H 'content-type: application/json' \
  -d '{"name":"schemathesis"}' | python3 -c 'import json, sys; print(json.load(sys.stdin)["data"]["secret"])')

# A fixed seed: the same requests every run, so a failure here is reproducible.
status=0
"$st" --config-file "$here/schemathesis.toml" run "$base/openapi.json" \
  -H "Authorization: Bearer $token" --seed 1 --max-examples 30 --workers 1 || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- Quire's log ---" >&2
  tail -n 50 "$log" >&2
fi
exit "$status"
