"""One headless Chromium for a test module's browser tests, and a new tab of it for each test.

Starting Chromium and closing it costs about a second of CPU; a test's tab is opened and attached as the driver
attaches to the first one when Chromium starts (Page, Runtime and Log on, a 1280 x 800 viewport), and closed after
the test: no emulation, focus, listener or event of another test's page is left in it."""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from conftest import require_binary


def start() -> Any:
    """A headless Chromium, by the player's browser test's driver (one copy of it, loaded from there)."""
    path = Path(__file__).resolve().parents[1] / "observe" / "test_player_browser.py"
    spec = importlib.util.spec_from_file_location("player_browser", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Chromium(require_binary("chromium"))


@contextlib.contextmanager
def tab(chromium: Any) -> Iterator[Any]:
    """`chromium` driving a new tab, closed on leaving."""
    target = chromium.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    try:
        chromium.session = chromium.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        chromium.events.clear()  # an earlier page's events: its errors and load events are not this page's
        for domain in ("Page", "Runtime", "Log"):
            chromium.call(f"{domain}.enable", session=True)
        chromium.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 800, "deviceScaleFactor": 1,
                                                             "mobile": False}, session=True)
        yield chromium
    finally:
        chromium.call("Target.closeTarget", {"targetId": target})
        chromium.events.clear()
