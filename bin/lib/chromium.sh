# Sourced by bin/test and bin/status-page-check: makes sure Debian's chromium is there for StatusPageIT.
ensure_chromium() {
  local binary="${FERRY_CHROMIUM:-/usr/bin/chromium}"
  if [ -x "$binary" ]; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "chromium not found; installing Debian's chromium with apt-get (about a minute)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium >/dev/null
    [ -x "$binary" ] && return 0
  fi
  echo "chromium is needed by the status page test (StatusPageIT): install it (sudo apt-get install -y chromium)" \
    "or point FERRY_CHROMIUM at a Chromium binary" >&2
  return 1
}
