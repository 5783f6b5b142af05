#!/usr/bin/env bash
# Benchmarks kubectl-ds against a live API server without a cluster: bench/apiserver.py serving a cluster
# from `bench/generate.py --format api` on 127.0.0.1. Side by side in one hyperfine run per size: kubectl-ds
# `coverage -A` and `why`, the raw-GET floors (curl), and at 2,000 nodes `kubectl get pods -A -o json`.
# Peak RSS from GNU time. Prints Markdown for bench/RESULTS.md. Never run by `cargo test`.
#
# Floors (curl, gzip like kubectl-ds, pages of 500 followed one after another, lists in parallel):
# - selective: what issue 10 calls the minimum for coverage: all nodes + each DaemonSet's pods by its selector
# - why's GETs: what `why` needs, fetched the same way: the DaemonSet's GET (its selector), then the nodes,
#   its pods by selector and its revisions, then its events (the first page of each LIST kubectl-ds made)
# - replay: every request kubectl-ds made in one run (from the server's log), fetched 8 at a time, pages
#   too (no waiting for continue tokens, which no client can do): the cost of exactly those bytes with no
#   parsing or judging
#
# Needs: hyperfine, GNU time (/usr/bin/time), curl, python3, kubectl (only at 2,000 nodes).
# Usage: bench/live.sh                              # 2000 and 5000 nodes
#        SIZES=2000 RUNS=5 bench/live.sh
#        LATENCY_MS=20 BANDWIDTH_MBIT=200 bench/live.sh   # a throttled link
#        GZIP=0 bench/live.sh                       # no compression: curl floors, and kubectl-ds through the
#                                                   # kubeconfig's disable-compression (as kubectl reads it)
#        BIN=path/to/kubectl-ds bench/live.sh      # else target/release/kubectl-ds, built by the caller
set -euo pipefail
cd "$(dirname "$0")/.."

DATA=bench/data
SIZES=${SIZES:-"2000 5000"}
RUNS=${RUNS:-5}
BIN=${BIN:-target/release/kubectl-ds}
LATENCY_MS=${LATENCY_MS:-0}
BANDWIDTH_MBIT=${BANDWIDTH_MBIT:-0}
GZIP=${GZIP:-1}
# Which DaemonSet `why` judges: node-exporter runs everywhere, with a few crash-looping pods (events).
WHY_DS=${WHY_DS:-node-exporter}
WHY_NS=${WHY_NS:-monitoring}
# kubectl get pods -A -o json needs ~10 GB at 2,000 nodes (issue 10): only run it up to this size.
KUBECTL_MAX=${KUBECTL_MAX:-2000}
APP_PODS=([2000]=19 [5000]=22)

for tool in hyperfine /usr/bin/time curl python3; do
    command -v "$tool" >/dev/null || { echo "missing $tool (Debian: apt-get install hyperfine time curl python3)" >&2; exit 1; }
done
[[ -x $BIN ]] || { echo "no $BIN: build it first (cargo build --release)" >&2; exit 1; }

WORK=$(mktemp -d)
SERVER_PID=
cleanup() { [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

CURL_FLAGS="-sS --fail"
[[ $GZIP == 1 ]] && CURL_FLAGS+=" --compressed"
export CURL_FLAGS

# Every page of one LIST, one after another (the continue token is in the first bytes of each page).
list_all() {
    local url=$1 out token
    out=$(mktemp -p "$WORK")
    token=
    while :; do
        # shellcheck disable=SC2086 # flags, split on purpose
        curl $CURL_FLAGS -o "$out" "$url${token:+&continue=$token}"
        token=$(head -c 512 "$out" | grep -o '"continue":"[^"]*"' | cut -d'"' -f4 || true)
        [[ -z $token ]] && break
    done
    rm -f "$out"
}
export -f list_all
export WORK

start_server() {
    local dir=$1
    : >"$WORK/requests.log"
    python3 bench/apiserver.py "$dir" --latency-ms "$LATENCY_MS" --bandwidth-mbit "$BANDWIDTH_MBIT" \
        --log "$WORK/requests.log" >"$WORK/server.out" 2>"$WORK/server.err" &
    SERVER_PID=$!
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
clusters: [{name: bench, cluster: {server: "$URL"$([[ $GZIP == 1 ]] || echo ", disable-compression: true")}}]
users: [{name: bench, user: {token: bench}}]
contexts: [{name: bench, context: {cluster: bench, user: bench, namespace: default}}]
EOF
}

# The selective floor's lists: nodes, and each DaemonSet's pods by its matchLabels.
selective_urls() {
    local dir=$1
    echo "$URL/api/v1/nodes?limit=500"
    python3 - "$dir/daemonsets.jsonl" "$URL" <<'EOF'
import json, sys, urllib.parse
for line in open(sys.argv[1]):
    d = json.loads(line)
    sel = ",".join(f"{k}={v}" for k, v in sorted(d["spec"]["selector"].get("matchLabels", {}).items()))
    ns = d["metadata"]["namespace"]
    print(f"{sys.argv[2]}/api/v1/namespaces/{ns}/pods?limit=500&labelSelector={urllib.parse.quote(sel, safe='')}")
EOF
}

human() { numfmt --to=iec --suffix=B --format=%.1f "$1"; }

rss() { # peak RSS of one run of "$@", in bytes
    /usr/bin/time -f %M -o "$WORK/rss" "$@" >/dev/null 2>&1 || true
    echo $(($(cat "$WORK/rss") * 1024))
}

echo "- date: $(date -u +%Y-%m-%dT%H:%MZ); commit: $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src Cargo.toml || echo '+uncommitted'); binary: \`$BIN\`"
echo "- machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB RAM; load average before: $(cut -d' ' -f1-3 /proc/loadavg) (shared machine)"
echo "- server: bench/apiserver.py, latency ${LATENCY_MS} ms/request, bandwidth ${BANDWIDTH_MBIT} Mbit/s per connection (0 = unlimited); gzip=$GZIP (kubectl-ds and curl)"
echo "- hyperfine: $RUNS runs after 1 warm-up (the server's page cache is warm); peak RSS from /usr/bin/time -f %M"

for n in $SIZES; do
    dir=$DATA/api-$n
    if [[ ! -f $dir/pods.jsonl ]]; then
        python3 bench/generate.py --nodes "$n" --app-pods-per-node "${APP_PODS[$n]:-21}" --format api -o "$dir" >&2
    fi
    start_server "$dir"
    export KUBECONFIG=$WORK/kubeconfig
    pods=$(wc -l <"$dir/pods.jsonl")
    echo
    echo "### $n nodes, $pods pods ($(human "$(stat -c %s "$dir/pods.jsonl")") of pod JSON)"
    echo

    selective_urls "$dir" >"$WORK/selective.urls"
    # One run of each kubectl-ds command with the server's log on: the requests it makes, to replay.
    for cmd in coverage why; do
        : >"$WORK/requests.log"
        if [[ $cmd == coverage ]]; then "$BIN" coverage -A >/dev/null; else "$BIN" why "$WHY_DS" -n "$WHY_NS" >/dev/null; fi
        cut -f1 "$WORK/requests.log" | sed "s|^|$URL|" >"$WORK/$cmd.urls"
        bytes=$(awk -F'\t' '{s += $3} END {print s}' "$WORK/requests.log")
        gzipped=$(awk -F'\t' '$4 == "gzip"' "$WORK/requests.log" | wc -l)
        echo "- kubectl-ds $cmd: $(wc -l <"$WORK/$cmd.urls") requests ($gzipped gzip), $(human "$bytes") on the wire: $(cut -f1 "$WORK/requests.log" | sed -E 's/\?.*//; s|/namespaces/[^/]+/|/namespaces/*/|' | sort | uniq -c | awk '{printf "%s%s %s", sep, $1, $2; sep=", "}')"
    done
    echo
    grep -v 'continue=' "$WORK/why.urls" >"$WORK/why.first"
    grep '/daemonsets/' "$WORK/why.first" >"$WORK/why.get"
    grep -v '/daemonsets/\|/events' "$WORK/why.first" >"$WORK/why.lists"
    grep '/events' "$WORK/why.first" >"$WORK/why.events" || true
    why_floor="xargs curl $CURL_FLAGS -o /dev/null < $WORK/why.get && xargs -P 16 -I{} bash -c 'list_all \"{}\"' < $WORK/why.lists && xargs -P 16 -I{} bash -c 'list_all \"{}\"' < $WORK/why.events"

    cmds=(
        -n "kubectl-ds coverage -A" "$BIN coverage -A"
        -n "floor: nodes + selector lists" "xargs -P 16 -I{} bash -c 'list_all \"{}\"' < $WORK/selective.urls"
        -n "floor: replay of coverage's requests" "xargs -P 8 -n 16 curl $CURL_FLAGS -o /dev/null < $WORK/coverage.urls"
        -n "kubectl-ds why $WHY_DS" "$BIN why $WHY_DS -n $WHY_NS"
        -n "floor: why's GETs" "$why_floor"
        -n "floor: replay of why's requests" "xargs -P 8 -n 16 curl $CURL_FLAGS -o /dev/null < $WORK/why.urls"
    )
    hyperfine --shell bash --style none --warmup 1 --runs "$RUNS" --export-markdown "$WORK/times.md" "${cmds[@]}" >&2
    cat "$WORK/times.md"
    echo
    echo "| peak RSS | bytes |"
    echo "|:---|---:|"
    echo "| kubectl-ds coverage -A | $(human "$(rss "$BIN" coverage -A)") |"
    echo "| kubectl-ds why $WHY_DS | $(human "$(rss "$BIN" why "$WHY_DS" -n "$WHY_NS")") |"
    if (( n <= KUBECTL_MAX )); then
        # Once, alone: it holds every pod of the cluster several times over.
        start=$(date +%s.%N)
        k=$(rss kubectl get pods -A -o json --request-timeout=0)
        secs=$(awk "BEGIN {printf \"%.1f\", $(date +%s.%N) - $start}")
        echo "| kubectl get pods -A -o json (1 run, $secs s) | $(human "$k") |"
    fi
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=
done
