"""Readiness probe, run inside the tester container: exit 0 once the service answers HTTP.

Usage: probe.py URL [--health]. Without --health any HTTP answer means ready (a 404 from a
router is a live server); with --health the answer must be below 500.
"""

import sys
import urllib.error
import urllib.request


def main() -> int:
    url = sys.argv[1]
    health = "--health" in sys.argv[2:]
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except Exception as exc:  # refused, reset, timed out, DNS not yet there
        print(f"not ready: {exc.__class__.__name__}: {exc}")
        return 1
    if health and status >= 500:
        print(f"not ready: {url} answered {status}")
        return 1
    print(f"ready: {url} answered {status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
