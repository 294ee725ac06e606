#!/usr/bin/env bash
# Reproduces BENCHMARKS.md: Petrel beside DynamoDB Local 3.3.1, dynalite and
# httpfloor, in one run, with ../shared/bench. Results (JSON lines) go to
# .peers/results/ (git-ignored); bench-table.py turns them into tables.
#
#   scripts/bench.sh            # everything (about 25 minutes on 2 cores)
#   PARTS="std disk" scripts/bench.sh
#   OUT=.peers/results-2 scripts/bench.sh   # results elsewhere
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH=../shared/bench
PARTS=${PARTS:-"std disk scan gsi"}
REPEAT=${REPEAT:-3}
out=${OUT:-.peers/results}
mkdir -p "$out"
eval "$("$BENCH/install-peers.sh" .peers)"
go build -o .peers/petrel ./cmd/petrel
(cd "$BENCH/ddbbench" && go build -o "$OLDPWD/.peers/ddbbench" .)
export DDBBENCH=$PWD/.peers/ddbbench
PETREL=$PWD/.peers/petrel

for part in $PARTS; do
	case $part in
	std) # the standard workload set at 16 clients, in memory, medians of $REPEAT
		CONCURRENCIES=16 REPEAT=$REPEAT SERVER_CMD="$PETREL --in-memory --port \$PORT" LABEL=petrel-mem \
			"$BENCH/bench-peers.sh" cmd >"$out/petrel-mem.jsonl"
		CONCURRENCIES=16 REPEAT=$REPEAT "$BENCH/bench-peers.sh" httpfloor ddblocal-mem dynalite >"$out/peers-mem.jsonl"
		;;
	disk) # PutItem on disk, every acknowledged write synced
		rm -rf .peers/petrel-disk
		WORKLOADS=put CONCURRENCIES=16 REPEAT=$REPEAT STARTUP_RUNS=0 LABEL=petrel-disk \
			SERVER_CMD="$PETREL --data-dir $PWD/.peers/petrel-disk --port \$PORT" \
			"$BENCH/bench-peers.sh" cmd >"$out/petrel-disk.jsonl"
		WORKLOADS=put CONCURRENCIES=16 REPEAT=$REPEAT STARTUP_RUNS=0 \
			"$BENCH/bench-peers.sh" ddblocal-disk >"$out/ddblocal-disk.jsonl"
		;;
	scan) # a full Scan of 100,000 items of 256 bytes with one client
		WORKLOADS=scan CONCURRENCIES=1 ITEMS=100000 REPEAT=$REPEAT STARTUP_RUNS=0 LABEL=petrel-mem-scan \
			SERVER_CMD="$PETREL --in-memory --port \$PORT" \
			"$BENCH/bench-peers.sh" cmd >"$out/petrel-scan.jsonl"
		;;
	gsi) # PutItem on a table with 2 GSIs against the same table without indexes
		port=8015
		"$PETREL" --in-memory --port $port >/dev/null 2>&1 &
		pid=$!
		trap 'kill $pid 2>/dev/null || true' EXIT
		"$DDBBENCH" -wait-only -endpoint http://127.0.0.1:$port -wait-ready 10s
		# ddbbench signs as "ddbbench" in us-east-1: create the table in its namespace.
		export AWS_ACCESS_KEY_ID=ddbbench AWS_SECRET_ACCESS_KEY=ddbbench-secret AWS_DEFAULT_REGION=us-east-1
		aws dynamodb create-table --endpoint-url http://127.0.0.1:$port --table-name gsi2 \
			--attribute-definitions AttributeName=pk,AttributeType=S AttributeName=sk,AttributeType=S AttributeName=n,AttributeType=N AttributeName=val,AttributeType=S \
			--key-schema AttributeName=pk,KeyType=HASH AttributeName=sk,KeyType=RANGE \
			--global-secondary-indexes \
			'IndexName=byN,KeySchema=[{AttributeName=n,KeyType=HASH},{AttributeName=pk,KeyType=RANGE}],Projection={ProjectionType=KEYS_ONLY}' \
			'IndexName=byVal,KeySchema=[{AttributeName=val,KeyType=HASH}],Projection={ProjectionType=ALL}' \
			--billing-mode PAY_PER_REQUEST >/dev/null
		for r in $(seq 1 "$REPEAT"); do
			"$DDBBENCH" -endpoint http://127.0.0.1:$port -workload put -concurrency 16 -duration 10s -warmup 2s \
				-items 10000 -server-pid $pid -label petrel-mem-nogsi -table plain
			"$DDBBENCH" -endpoint http://127.0.0.1:$port -workload put -concurrency 16 -duration 10s -warmup 2s \
				-items 10000 -server-pid $pid -label petrel-mem-2gsi -table gsi2 -reuse
		done >"$out/petrel-gsi.jsonl"
		kill $pid
		trap - EXIT
		;;
	esac
done
python3 "$BENCH/bench-table.py" --clean "$out"/*.jsonl
