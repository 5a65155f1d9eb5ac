#!/usr/bin/env bash
# Runs before the test suite (npm test): installs what the browser tests need when it is missing (Debian's chromium
# and a CJK font, as root through apt-get) and checks that Postgres and Redis answer. Anything it cannot provide
# stops the run here with a message saying what to do; nothing is skipped.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
# Chinese glyphs: without them the screenshots the browser tests save are boxes.
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || missing+=(fonts-wqy-microhei)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing for the browser tests: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The browser tests need: ${missing[*]} (Debian: sudo apt-get install ${missing[*]})." >&2
    echo "浏览器测试需要 ${missing[*]}，请先安装后再运行 npm test。" >&2
    exit 1
  fi
fi

check() {
  node -e 'const s=require("net").connect(+process.argv[1],"127.0.0.1");s.setTimeout(2000);s.on("connect",()=>process.exit(0));s.on("error",()=>process.exit(1));s.on("timeout",()=>process.exit(1));' "$2" \
    || { echo "npm test needs $1 on 127.0.0.1:$2 (测试需要本机 $1 127.0.0.1:$2)：$3" >&2; exit 1; }
}
check Postgres 5432 "start it, e.g. pg_ctlcluster 15 main start"
check Redis 6379 "start it, e.g. redis-server --daemonize yes"
# Webhook receivers in the tests listen on a non-loopback address: deliveries to loopback are refused by design.
node -e 'const a=Object.values(require("os").networkInterfaces()).flat().find(i=>i.family==="IPv4"&&!i.internal);process.exit(a?0:1)' \
  || { echo "npm test needs a non-loopback IPv4 address (webhook receivers listen on it; loopback is never a webhook target)" >&2; exit 1; }
