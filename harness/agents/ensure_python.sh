#!/bin/bash
# Runs inside a sandbox before an installed agent: make sure python3 >= 3.10 exists, installing
# Debian's python3 when the sandbox image has none (most language images do not). Prints
# "<major>.<minor> <machine>" for the host to pick matching wheels. Package output goes to stderr.
set -eu
report() {
  python3 -c 'import platform, sys; print("%d.%d %s" % (sys.version_info[0], sys.version_info[1], platform.machine()))'
}
if command -v python3 >/dev/null 2>&1 && python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
  report
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends python3 >&2
report
