#!/usr/bin/env bash
# An operator's session with the `berth` CLI against a local server, checking every answer it prints (issue 18,
# example d). Without BERTH_URL it starts `berth serve` itself on a free loopback port with an embedded database in
# a temporary folder, and stops it at the end. BERTH (default: `berth` on PATH, else this checkout's built
# packages/http/dist/main.js) is the command under test, so the same script runs against an installed tarball.
# Exits non-zero, naming the step, at the first answer that is not the expected one.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${BERTH:-}" ]; then
  if command -v berth >/dev/null 2>&1; then BERTH=berth; else BERTH="node $here/../packages/http/dist/main.js"; fi
fi
berth() { $BERTH "$@"; }

fail() { echo "cli-session: FAILED: $*" >&2; exit 1; }
contains() { case "$1" in *"$2"*) ;; *) fail "expected output to contain '$2', got: $1" ;; esac; }
# `code N cmd…`: runs the command (output kept in $out, stderr in $err) and checks its exit code.
code() {
  local want=$1; shift
  local errfile; errfile=$(mktemp)
  set +e; out=$("$@" 2>"$errfile"); local got=$?; set -e
  err=$(cat "$errfile"); rm -f "$errfile"
  [ "$got" -eq "$want" ] || fail "'$*' exited $got, expected $want (stderr: $err)"
}
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{let v=JSON.parse(s);for(const k of process.argv[1].split("."))v=v[k];console.log(v)})' "$1"; }

server_pid=""
data_dir=""
cleanup() {
  # SIGTERM: a background job of a script ignores SIGINT. Berth stops cleanly on either.
  if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  if [ -n "$data_dir" ]; then rm -rf "$data_dir"; fi
}
trap cleanup EXIT

if [ -z "${BERTH_URL:-}" ]; then
  data_dir=$(mktemp -d)
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  export ADMIN_TOKEN="${ADMIN_TOKEN:-cli-session-$RANDOM$RANDOM}"
  export BERTH_URL="http://127.0.0.1:$port"
  # Not through the function: $! must be the server itself, so that the signal reaches it.
  PORT=$port BERTH_DATA_DIR="$data_dir" $BERTH serve >"$data_dir/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 120); do
    grep -q "Listening on" "$data_dir/serve.log" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || fail "berth serve stopped: $(cat "$data_dir/serve.log")"
    sleep 0.5
  done
  grep -q "Listening on" "$data_dir/serve.log" || fail "berth serve did not start in 60 s"
fi
echo "cli-session: against $BERTH_URL"

code 0 berth --help
contains "$out" "workspaces"

# An external workspace: created, listed, registered and heart-beaten by us acting as its agent.
code 0 berth workspaces create cli-session-agent --external --json
id=$(printf '%s' "$out" | json id)
token=$(printf '%s' "$out" | json connection.auth_token)
contains "$(printf '%s' "$out" | json status)" "awaiting_agent"

code 0 berth workspaces list
contains "$out" "$id"
contains "$out" "awaiting_agent"

code 0 berth agents register "$id" --token "$token" --poll
contains "$out" "registered"
code 0 berth agents heartbeat "$id" --token "$token"
contains "$out" "ok"

code 0 berth workspaces get "$id" --json
[ "$(printf '%s' "$out" | json status)" = online ] || fail "workspace is not online after register and heartbeat: $out"

code 0 berth events "$id"
contains "$out" "WORKSPACE_ONLINE"

# Refusals and mistakes: one line each, exit 1 for a refused call, 2 for a wrongly asked one.
code 1 env ADMIN_TOKEN=not-the-admin-token $BERTH workspaces list
contains "$err" "invalid admin auth token"
code 2 berth workspaces frobnicate
contains "$err" 'unknown command "frobnicate"'
code 2 berth workspaces get not-a-uuid
contains "$err" "is not a workspace id"

code 0 berth workspaces delete "$id"
contains "$out" "removed"
code 1 berth workspaces get "$id"
contains "$err" "workspace removed"

echo "cli-session: all steps passed"
