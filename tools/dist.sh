#!/usr/bin/env bash
# Self-contained, single-file builds of the server and the client for people without .NET:
#   bash tools/dist.sh                 # every RID below
#   bash tools/dist.sh linux-x64 ...   # only these
# Each RID gets dist/<rid>/entice-server and dist/<rid>/entice (.exe on Windows): one file each, the
# .NET runtime inside, native libraries (libsodium for NSec, e_sqlite3 for SQLite) inside and unpacked
# on first start, the hocon/ defaults embedded. Not trimmed: Akka.NET finds actors, serializers and
# loggers by reflection, which trimming would cut.
# DIST_READY_TO_RUN=1 precompiles the code (ReadyToRun): the client starts about twice as fast
# (measured 0.59 s -> 0.29 s to ready, loopback) but the files grow by half and the build takes several
# times longer, so it is off by default and in CI.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64 win-x64 osx-arm64)

publish() { # project rid outdir
  dotnet publish "$1" -c Release -r "$2" --self-contained true -o "$3" \
    -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
    -p:PublishTrimmed=false -p:DebugType=none -p:GenerateDocumentationFile=false \
    -p:PublishReadyToRun="${DIST_READY_TO_RUN:+true}" \
    -p:TreatWarningsAsErrors=true -v:q -nologo
}

for rid in "${rids[@]}"; do
  out="dist/$rid"; tmp="dist/.tmp-$rid"
  rm -rf "$out" "$tmp"; mkdir -p "$out"
  ext=""; [[ $rid == win-* ]] && ext=".exe"
  echo "== $rid"
  publish Entice.ServerNode/Entice.ServerNode.csproj "$rid" "$tmp/server"
  publish Entice.ClientNode/Entice.ClientNode.csproj "$rid" "$tmp/client"
  mv "$tmp/server/Entice.ServerNode$ext" "$out/entice-server$ext"
  mv "$tmp/client/Entice.ClientNode$ext" "$out/entice$ext"
  # Anything else a publish left beside the binary would be needed at run time: refuse to hide it.
  left=$(find "$tmp" -type f | sed "s|^$tmp/||")
  rm -rf "$tmp"
  if [ -n "$left" ]; then
    echo "dist: files left beside the single-file binaries (not inside them):" >&2
    echo "$left" >&2
    exit 1
  fi
  ls -l "$out" | tail -n +2
done
