#!/usr/bin/env bash
# Real-browser test of the public web form (JavaScript disabled), on a throw-away demo deployment.
#
#   scripts/browser-test.sh [--no-install]
#
# Installs Debian's chromium, chromium-driver and fonts-noto-cjk (so Chinese renders in the
# screenshots) and Selenium from PyPI (skipped with --no-install), builds tipline-server (debug),
# starts it on a fresh demo deployment in a temp dir with ephemeral ports, runs
# scripts/browser_test.py against it, then stops the server (SIGTERM; it must exit cleanly) and
# removes the temp dir. Screenshots and logs go to scripts/out/. The last line is
# `N passed, N failed`; the exit status is 0 only when nothing failed.
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$REPO/scripts/out"
PYTHON="${PYTHON:-python3}"
INSTALL=1
for arg in "$@"; do
    case "$arg" in
        --no-install) INSTALL=0 ;;
        -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $arg (use --no-install)" >&2; exit 2 ;;
    esac
done

mkdir -p "$OUT"
rm -f "$OUT"/*.png
STARTED=$(date +%s)
DEMO=""
SERVER_PID=""
PASSED=0
FAILED=0
TEST_RC=1
SETUP_FAILED=""

say() { printf '[browser-test] %s\n' "$*"; }
pass() { PASSED=$((PASSED + 1)); printf 'PASS  %s\n' "$*"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL  %s\n' "$*"; }
phase_time() { say "$1 took $(( $(date +%s) - $2 ))s"; }

stop_server() {
    [ -n "$SERVER_PID" ] || return 0
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        wait "$SERVER_PID" 2>/dev/null; local rc=$?
        fail "server was still running at the end (it had exited by itself, status $rc)"
        SERVER_PID=""
        return
    fi
    kill -TERM "$SERVER_PID"
    local waited=0
    while kill -0 "$SERVER_PID" 2>/dev/null && [ $waited -lt 150 ]; do sleep 0.1; waited=$((waited + 1)); done
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -KILL "$SERVER_PID" 2>/dev/null
        wait "$SERVER_PID" 2>/dev/null
        fail "server exits on SIGTERM (still running after 15s; killed)"
    else
        wait "$SERVER_PID" 2>/dev/null; local rc=$?
        if [ $rc -eq 0 ]; then pass "server exits cleanly on SIGTERM ($((waited / 10)).$((waited % 10))s)"
        else fail "server exits cleanly on SIGTERM (exit status $rc)"; fi
    fi
    SERVER_PID=""
}

finish() {
    local trapped=$?
    trap - EXIT INT TERM
    stop_server
    if [ -n "$DEMO" ] && [ -f "$DEMO/server.err" ]; then
        cp "$DEMO/server.err" "$OUT/server.log"
        # Nothing a reporter typed, and no receipt, may reach the server's log.
        if grep -qE 'CANARY|[0-9]{4} ?[0-9]{4} ?[0-9]{4} ?[0-9]{4}' "$DEMO/server.err"; then
            fail "server log holds no tip text, identity, message or receipt (see $OUT/server.log)"
        else
            pass "server log holds no tip text, identity, message or receipt"
        fi
        if grep -qE ' (error|critical) ' "$DEMO/server.err"; then
            fail "server logged no error (see $OUT/server.log)"
        else
            pass "server logged no error"
        fi
    fi
    [ -n "$DEMO" ] && rm -rf "$DEMO"
    if [ -n "$SETUP_FAILED" ]; then fail "$SETUP_FAILED"; fi
    [ $trapped -gt 128 ] && [ -z "$SETUP_FAILED" ] && fail "interrupted"
    say "total $(( $(date +%s) - STARTED ))s; screenshots and logs in $OUT"
    echo "$PASSED passed, $FAILED failed"
    if [ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]; then exit 0; fi
    exit 1
}
trap finish EXIT
trap 'exit 130' INT TERM

# --------------------------------------------------------------------------- install
if [ "$INSTALL" -eq 1 ]; then
    t=$(date +%s)
    say "installing chromium, chromium-driver, fonts-noto-cjk (apt) and selenium (pip); log: $OUT/install.log"
    if ! { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
              chromium chromium-driver fonts-noto-cjk && "$PYTHON" -m pip install --quiet selenium; } \
            >"$OUT/install.log" 2>&1; then
        tail -n 20 "$OUT/install.log"
        SETUP_FAILED="install (see $OUT/install.log)"; exit 1
    fi
    phase_time install "$t"
fi
for need in /usr/bin/chromium /usr/bin/chromedriver; do
    [ -x "$need" ] || { SETUP_FAILED="$need missing (run without --no-install)"; exit 1; }
done
"$PYTHON" -c 'import selenium' 2>/dev/null || { SETUP_FAILED="selenium missing for $PYTHON (run without --no-install)"; exit 1; }

# --------------------------------------------------------------------------- build
t=$(date +%s)
say "building tipline-server (debug); log: $OUT/build.log"
if ! (cd "$REPO" && swift build --product tipline-server && swift build --product tipline-admin) >"$OUT/build.log" 2>&1; then
    tail -n 30 "$OUT/build.log"
    SETUP_FAILED="swift build --product tipline-server (see $OUT/build.log)"; exit 1
fi
BIN="$(cd "$REPO" && swift build --product tipline-server --show-bin-path)/tipline-server"
phase_time build "$t"

# --------------------------------------------------------------------------- server
DEMO="$(mktemp -d /tmp/tipline-browser-test.XXXXXX)"
say "starting $BIN on a demo deployment in $DEMO/deployment"
TIPLINE_DEMO_DIR="$DEMO/deployment" "$BIN" --public-port 0 --admin-port 0 \
    >"$DEMO/server.out" 2>"$DEMO/server.err" </dev/null &
SERVER_PID=$!
LINE=""
for _ in $(seq 1 1200); do   # up to 120 s (a fresh demo deployment generates keys first)
    LINE="$(grep -m1 -E '^listening public=https://127\.0\.0\.1:[0-9]+ admin=https://127\.0\.0\.1:[0-9]+$' "$DEMO/server.out" 2>/dev/null)"
    [ -n "$LINE" ] && break
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$LINE" ]; then
    tail -n 20 "$DEMO/server.err"
    SETUP_FAILED="server did not print its listening line"; exit 1
fi
PUBLIC_URL="$(sed -E 's/^listening public=([^ ]+) admin=.*/\1/' <<<"$LINE")"
ADMIN_URL="$(sed -E 's/^listening public=[^ ]+ admin=([^ ]+)$/\1/' <<<"$LINE")"
ADMIN_BIN="$(dirname "$BIN")/tipline-admin"
say "$LINE"

# --------------------------------------------------------------------------- test
t=$(date +%s)
"$PYTHON" "$REPO/scripts/browser_test.py" --url "$PUBLIC_URL" \
    --cert "$DEMO/deployment/public/tls-cert.pem" --out "$OUT" \
    --admin-bin "$ADMIN_BIN" --admin-url "$ADMIN_URL" --deployment "$DEMO/deployment" | tee "$OUT/browser-test.log"
TEST_RC=${PIPESTATUS[0]}
phase_time "browser test" "$t"
SUMMARY="$(grep -E '^browser: [0-9]+ passed, [0-9]+ failed$' "$OUT/browser-test.log" | tail -n 1)"
if [ -n "$SUMMARY" ]; then
    PASSED=$((PASSED + $(sed -E 's/^browser: ([0-9]+) passed.*/\1/' <<<"$SUMMARY")))
    FAILED=$((FAILED + $(sed -E 's/.* ([0-9]+) failed$/\1/' <<<"$SUMMARY")))
fi
if [ "$TEST_RC" -ne 0 ] && { [ -z "$SUMMARY" ] || grep -q ' 0 failed$' <<<"$SUMMARY"; }; then
    fail "browser_test.py exited with status $TEST_RC"
fi
exit 0   # finish (the EXIT trap) stops the server, cleans up and prints the result line
