"""A short load run in CI: mixed reads and writes from 20 clients on loopback lose no request.

The full benchmark (figures for the issue notes) is ``benchmarks/load_bench.sh``; this only
asserts what a user would notice under load: no errors, no timeouts.
"""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_mixed_load_on_the_embedded_store_has_no_errors():
    if shutil.which("wrk") is None:
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail("wrk is not installed (apt-get install wrk)", pytrace=False)
        pytest.skip("wrk is not installed (apt-get install wrk)")
    done = subprocess.run([str(REPO / "benchmarks" / "load_bench.sh"), "4", "20"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    requests = int(re.search(r"requests: (\d+)", done.stdout).group(1))
    assert requests > 100, done.stdout
    assert "errors: 0 " in done.stdout, done.stdout
