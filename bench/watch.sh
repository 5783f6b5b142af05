#!/usr/bin/env bash
# Memory of a long `--watch`: runs `why --watch -o json` and `coverage -A --watch -o json` against
# bench/apiserver.py (a generated cluster; WATCH streams synthetic changes: pods flipping Ready, node
# heartbeats, new events) and samples each process's RSS from /proc every STEP seconds for DURATION
# seconds, then ends them with SIGINT (must exit 0). Prints Markdown for bench/RESULTS.md.
# Never run by `cargo test`.
#
# Usage: bench/watch.sh                                  # 2,000 nodes, 5 min, 5 changes/s per stream
#        DATA_DIR=bench/data/api-2000 DURATION=600 STEP=30 RATE=20 bench/watch.sh
#        BIN=path/to/kubectl-ds bench/watch.sh           # else target/release/kubectl-ds
set -euo pipefail
cd "$(dirname "$0")/.."

DATA_DIR=${DATA_DIR:-bench/data/api-2000}
DURATION=${DURATION:-300}
STEP=${STEP:-30}
RATE=${RATE:-5}
BIN=${BIN:-target/release/kubectl-ds}
[[ -x $BIN ]] || { echo "no $BIN: build it first (cargo build --release)" >&2; exit 1; }
[[ -d $DATA_DIR ]] || { echo "no $DATA_DIR: generate it with bench/live.sh (SIZES=2000) first" >&2; exit 1; }

WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

python3 bench/apiserver.py "$DATA_DIR" --watch-rate "$RATE" --log "$WORK/requests.log" \
    >"$WORK/server.out" 2>"$WORK/server.err" &
PIDS+=($!)
for _ in $(seq 600); do
    grep -q listening "$WORK/server.out" 2>/dev/null && break
    sleep 0.5
done
URL=$(sed -n 's/^listening on //p' "$WORK/server.out")
[[ -n $URL ]] || { cat "$WORK/server.err" >&2; exit 1; }
cat >"$WORK/kubeconfig" <<EOF
apiVersion: v1
kind: Config
current-context: bench
clusters: [{name: bench, cluster: {server: "$URL"}}]
users: [{name: bench, user: {token: bench}}]
contexts: [{name: bench, context: {cluster: bench, user: bench, namespace: default}}]
EOF
export KUBECONFIG=$WORK/kubeconfig

"$BIN" why node-exporter -n monitoring --watch -o json >"$WORK/why.jsonl" 2>"$WORK/why.err" &
WHY=$!
PIDS+=($WHY)
"$BIN" coverage -A --watch -o json >"$WORK/coverage.jsonl" 2>"$WORK/coverage.err" &
COV=$!
PIDS+=($COV)

rss() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status" 2>/dev/null || echo "-"; }
echo "| t [s] | why --watch RSS [MB] | why lines | coverage -A --watch RSS [MB] | coverage lines |"
echo "|---:|---:|---:|---:|---:|"
start=$(date +%s)
while :; do
    t=$(($(date +%s) - start))
    echo "| $t | $(rss $WHY) | $(wc -l <"$WORK/why.jsonl") | $(rss $COV) | $(wc -l <"$WORK/coverage.jsonl") |"
    ((t >= DURATION)) && break
    sleep "$STEP"
done

kill -INT "$WHY" "$COV"
why_code=0 cov_code=0
wait "$WHY" || why_code=$?
wait "$COV" || cov_code=$?
lists=$(grep -vc 'watch=true' "$WORK/requests.log" || true)
watches=$(grep -c 'watch=true' "$WORK/requests.log" || true)
echo
echo "- exit codes after SIGINT: why $why_code, coverage $cov_code; requests: $lists GET/LIST, $watches WATCH"
echo "- stderr: why $(wc -l <"$WORK/why.err") line(s), coverage $(wc -l <"$WORK/coverage.err") line(s)"
cat "$WORK/why.err" "$WORK/coverage.err" | sort | uniq -c | head -5
