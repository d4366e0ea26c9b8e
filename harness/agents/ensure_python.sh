#!/bin/bash
# Runs inside a sandbox before an installed agent: make sure python3 >= 3.10 exists, installing
# Debian's python3 when the sandbox image has none (most language images do not), and each
# command named as an argument (a Debian package of the same name, e.g. tmux for OpenHands).
# Prints "<major>.<minor> <machine>" for the host to pick matching wheels. Package output goes
# to stderr.
set -eu
report() {
  python3 -c 'import platform, sys; print("%d.%d %s" % (sys.version_info[0], sys.version_info[1], platform.machine()))'
}
missing=""
if ! { command -v python3 >/dev/null 2>&1 && python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))'; }; then
  missing="python3"
fi
for tool in "$@"; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >&2
fi
report
