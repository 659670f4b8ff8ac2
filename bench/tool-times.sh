#!/usr/bin/env bash
# The operators' tool's time per command, as an operator runs it against the local run (./mvnw quarkus:dev,
# DynamoDB Local on localhost:8000): `--help`, `user show` of the demo user, and a 1,000-row CSV import (into
# an organisation of its own each run, so that every row is written). Wall time of the whole command, best and
# median of RUNS. Figures and how they were taken: bench/BENCHMARKS.md, "The operators' tool".
#
#   bench/tool-times.sh jar [RUNS]         java -jar target/otp-admin.jar (after ./mvnw package)
#   bench/tool-times.sh jar-c1 [RUNS]      the same with -XX:TieredStopAtLevel=1 (docs/admin.md's alias)
#   bench/tool-times.sh classpath [RUNS]   java -cp target/classes:<runtime class path> (the old docs' fast form)
#   bench/tool-times.sh maven [RUNS]       ./mvnw -q compile exec:java (the old docs' form; needs the exec plugin)
set -euo pipefail
mode=${1:?jar, jar-c1, classpath or maven}
runs=${2:-5}
endpoint=${ENDPOINT:-http://localhost:8000}
cd "$(dirname "$0")/.."

case "$mode" in
  jar) tool() { java -jar target/otp-admin.jar "$@"; } ;;
  jar-c1) tool() { java -XX:TieredStopAtLevel=1 -jar target/otp-admin.jar "$@"; } ;;
  classpath)
    [ -f target/classpath.txt ] || ./mvnw -q -o dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime
    tool() { java -cp "target/classes:$(cat target/classpath.txt)" dev.otpgate.admin.Admin "$@"; } ;;
  maven) tool() { ./mvnw -q -o compile exec:java -Dexec.args="$*"; } ;;
  *) echo "mode: jar, jar-c1, classpath or maven" >&2; exit 2 ;;
esac

csv=target/bench-users-1000.csv
{
  echo "DomainId,UserID,UserName,Mobile,Email,Prefer,Locale"
  for i in $(seq 1 1000); do printf '1,%d,user %d,+1415555%04d,user%d@example.com,SMS,en-US\n' $((500000 + i)) "$i" $((i % 10000)) "$i"; done
} > "$csv"

# seconds of one run of the command, its output thrown away
timed() {
  local start end
  start=$(date +%s.%N)
  "$@" > /dev/null 2>&1 || { echo "failed: $*" >&2; return 1; }
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

report() { # name, then the times
  local name=$1; shift
  printf '%-12s best %6.2f s  median %6.2f s  (%s runs: %s)\n' "$name" \
    "$(printf '%s\n' "$@" | sort -n | head -1)" "$(printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p")" "$#" "$*"
}

help=() show=() import=()
for i in $(seq 1 "$runs"); do
  help+=("$(timed tool --help)")
  show+=("$(timed tool user show --org 1 --domain 1 --user 967 --endpoint "$endpoint")")
  import+=("$(timed tool user import --org "bench-$mode-$$-$i" --csv "$csv" --endpoint "$endpoint")")
done
echo "$mode, $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
report "--help" "${help[@]}"
report "user show" "${show[@]}"
report "import 1000" "${import[@]}"
