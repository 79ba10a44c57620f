"""`make bench`: every benchmark, each printing its peers' numbers from the same run and the ratios."""

from __future__ import annotations

import subprocess
import sys


def main() -> int:
    failed = []
    for module in ("bench.mock", "bench.proxy", "bench.client", "bench.outputs"):
        print(f"\n=== python -m {module}", flush=True)
        if subprocess.run([sys.executable, "-m", module], check=False).returncode != 0:
            failed.append(module)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
