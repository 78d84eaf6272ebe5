"""Headless Chromium for the browser tests: Debian's ``chromium`` driven by Playwright.

Playwright is used with ``executable_path`` (never ``playwright install``, which downloads a
browser build). Without chromium or playwright the browser tests skip with a one-line reason,
except under ``CI=true`` where they fail: CI must run them.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def chromium_path() -> str | None:
    """``$GRAPH_SERVICE_CHROMIUM``, else ``/usr/bin/chromium`` (Debian), else ``chromium`` on PATH."""
    for candidate in (os.environ.get("GRAPH_SERVICE_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def need_browser():
    """``(sync_playwright, chromium path)``, or skip (fail under CI=true) saying what is missing."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    path = chromium_path()
    missing = []
    if sync_playwright is None:
        missing.append("playwright (pip install -e '.[test]')")
    if path is None:
        missing.append("chromium (apt-get install -y chromium)")
    if missing:
        reason = "browser tests need " + " and ".join(missing)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason + " [CI=true: they must run]", pytrace=False)
        pytest.skip(reason)
    return sync_playwright, path


def launch(playwright, path: str):
    return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
