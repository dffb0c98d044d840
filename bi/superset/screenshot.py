"""Log in to Superset in headless Chromium, open a dashboard, wait for its charts, save a screenshot.

    python bi/superset/screenshot.py <base url> <dashboard slug> <username> <password> <out.png>

Prints one JSON object: the charts on the page, how many rendered (a canvas, SVG or table inside the
chart holder), how many canvases hold drawn (non-white) pixels, the tables, the error messages shown,
the page's text and the screenshot's path. Drives Chromium over the DevTools
protocol (websocket-client is one of Superset's pinned dependencies); needs no chromedriver.
Runs in Superset's virtual environment.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from itertools import count
from pathlib import Path

import websocket

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
WIDTH, HEIGHT = 1600, 2600
RENDER_TIMEOUT = 120

# What the dashboard page shows: chart holders, the rendered ones, spinners and error messages.
DASHBOARD_STATE = """(() => {
  const holders = [...document.querySelectorAll('.dashboard-component-chart-holder')];
  const rendered = holders.filter(h => h.querySelector('canvas, svg, table'));
  const errors = [...document.querySelectorAll(
      '[data-test="error-message"], .ant-alert-error, [role="alert"], .alert-danger')]
    .map(e => e.innerText.trim()).filter(Boolean);
  const painted = [...document.querySelectorAll('.dashboard-component-chart-holder canvas')].filter(c => {
    try {
      const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < pixels.length; i += 64) {
        if (pixels[i + 3] && (pixels[i] < 240 || pixels[i + 1] < 240 || pixels[i + 2] < 240)) return true;
      }
    } catch (e) { return false; }
    return false;
  });
  return JSON.stringify({
    url: location.pathname,
    charts: holders.length,
    rendered: rendered.length,
    painted_canvases: painted.length,
    tables: document.querySelectorAll('.dashboard-component-chart-holder table').length,
    loading: document.querySelectorAll('.loading, [data-test="loading-indicator"]').length,
    errors,
    titles: [...document.querySelectorAll('[data-test="editable-title"], .editable-title')]
      .map(e => e.innerText.trim()).filter(Boolean),
  });
})()"""


class DevTools:
    """A page of a headless Chromium, driven over its DevTools websocket."""

    def __init__(self, profile: Path) -> None:
        self.process = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--disable-dev-shm-usage", "--hide-scrollbars", f"--window-size={WIDTH},{HEIGHT}",
             "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--remote-allow-origins=*",
             f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        active_port = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (active_port.exists() and active_port.read_text().strip()):
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise RuntimeError("Chromium did not open its DevTools port")
            time.sleep(0.2)
        port = active_port.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            page = next(t for t in json.load(response) if t["type"] == "page")
        self.socket = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True)
        self.ids = count(1)

    def call(self, method: str, **params) -> dict:
        message_id = next(self.ids)
        self.socket.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not self.evaluate(expression):
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout} s for {expression}")
            time.sleep(0.3)

    def close(self) -> None:
        self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=30)


def log_in(browser: DevTools, base: str, username: str, password: str) -> None:
    """Type the credentials into Superset's login form, as a person would."""
    browser.call("Page.navigate", url=f"{base}/login/")
    browser.wait_for("!!document.querySelector('input#username') && !!document.querySelector('input#password')")
    for field, value in (("username", username), ("password", password)):
        browser.evaluate(f"document.querySelector('input#{field}').focus()")
        browser.call("Input.insertText", text=value)
    browser.evaluate("document.querySelector('form button[type=submit], form button').click()")
    browser.wait_for("!location.pathname.startsWith('/login')", timeout=60)


def dashboard_screenshot(base: str, slug: str, username: str, password: str, out: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="superset-chromium-") as profile:
        browser = DevTools(Path(profile))
        try:
            browser.call("Page.enable")
            log_in(browser, base, username, password)
            browser.call("Page.navigate", url=f"{base}/superset/dashboard/{slug}/?standalone=0")
            deadline = time.monotonic() + RENDER_TIMEOUT
            while True:
                state = json.loads(browser.evaluate(DASHBOARD_STATE))
                settled = state["charts"] and state["rendered"] == state["charts"] and not state["loading"]
                if settled or state["errors"] or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            time.sleep(1.5)  # let the charts' entry animations finish before the picture
            state = json.loads(browser.evaluate(DASHBOARD_STATE))
            shot = browser.call("Page.captureScreenshot", format="png", captureBeyondViewport=False)
            out.write_bytes(base64.b64decode(shot["data"]))
            state["text"] = browser.evaluate("document.body.innerText")
        finally:
            browser.close()
    return {**state, "screenshot": str(out)}


if __name__ == "__main__":
    if len(sys.argv) != 6:
        sys.exit(__doc__)
    if CHROMIUM is None:
        sys.exit("Chromium is not installed (Debian: apt-get install -y chromium)")
    print(json.dumps(dashboard_screenshot(*sys.argv[1:5], Path(sys.argv[5])), ensure_ascii=False))
