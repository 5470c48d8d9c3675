#!/usr/bin/env bash
# Runs the README's `npm run demo -- --exit` with a PATH that holds no ffmpeg, ffprobe, sox or espeak-ng: a folder
# of links to the few programs npm and the demo need. Proves ffmpeg/ffprobe come from the npm packages. Nothing is
# uninstalled: the machine's own tools stay where they are for the tests that use them.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
for tool in node npm npx sh bash env redis-server redis-cli; do
  path=$(command -v "$tool" || true)
  [ -n "$path" ] && ln -s "$path" "$bin/$tool"
done
for tool in ffmpeg ffprobe sox espeak-ng; do
  if PATH="$bin" command -v "$tool" >/dev/null 2>&1; then echo "$tool is still on the restricted PATH" >&2; exit 1; fi
done
log=$(mktemp)
status=0
PATH="$bin" npm run demo --silent -- --exit >"$log" 2>&1 || status=$?
cat "$log"
if [ "$status" -ne 0 ] || ! grep -q '4 of 4 calls completed' "$log"; then
  echo "the demo without system ffmpeg/sox/espeak-ng failed (exit $status)" >&2
  rm -f "$log"
  exit 1
fi
rm -f "$log"
echo "demo without system ffmpeg, sox, espeak-ng: ok"
