"""How many bytes a person's browser downloads per page, on a cold cache and a warm one.

Run `.venv/bin/python bench/page_weight.py` (needs Chromium and Playwright, like the
browser tests). It builds its own SQLite database with the demo data in a temporary
folder, collects the static files there, starts gunicorn under the production settings
(DEBUG off, whitenoise's compressed manifest storage) on its own port, logs in as a KPU
user and a police user in headless Chromium, and visits the main pages. For each page it
prints what went over the wire (Chromium's encodedDataLength: headers and compressed
bodies) with an empty cache and again with the cache the first visit left, then the goal
verdicts, and stops the server by its process id.

Goals (issue "What a person sees"): a typical page at most 60 KB on a cold cache and at
most 10 KB on a warm one.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import common  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
PASSWORD = "pemilu-damai-2024"  # the demo accounts' shared password (coordination/demo)
USERS = ["kpu.kaltim", "polresta.samarinda"]
PAGES = [
    ("home", "/"),
    ("region", "/regions/"),
    ("polling stations", "/polling-stations/"),
    ("agencies", "/agencies/"),
    ("agreements", "/agreements/"),
    ("stages", "/elections/pemilu-2024/"),
    ("risk register", "/risks/"),
    ("risk matrix", "/risks/matrix/"),
    ("heat map", "/risks/heat-map/"),
    ("map", "/risks/map/"),
    ("IKP", "/ikp/"),
    ("TPS classes", "/tps-classes/"),
    ("personnel plan", "/personnel-plan/"),
    ("notifications", "/notifications/"),
    ("field (escorts)", "/logistics/field/"),
]
COLD_GOAL = 60 * 1024
WARM_GOAL = 10 * 1024

# Production settings with three changes for a throwaway loopback run: static collected into
# the run's own folder (not the checkout's), cookies allowed without TLS, and the demo
# accounts (its own database's) allowed to log in.
BENCH_SETTINGS = """\
from kpu_polda.settings.production import *  # noqa: F403
STATIC_ROOT = {static_root!r}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
DEMO_DATA_ALLOWED = True
"""


def browser_version() -> str:
    try:
        return subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    except OSError:
        return "Chromium (version unknown)"


def prepare(workdir: Path) -> dict:
    """Demo database and static files in ``workdir``; returns the server's environment."""
    (workdir / "bench_settings.py").write_text(BENCH_SETTINGS.format(static_root=str(workdir / "static")))
    seed = common.environment(f"sqlite:///{workdir / 'bench.sqlite3'}", workdir)  # seed_demo is refused in production
    seed["PYTHONPATH"] = f"{workdir}{os.pathsep}{common.ROOT}"
    common.load_demo(seed)
    common.run(seed, "manage.py", "seed_logistics_demo")  # the field page lists the escorts under way
    server = common.production(seed, "bench_settings")
    common.run(server, "manage.py", "collectstatic", "--noinput", "-v", "0")
    return server


class Wire:
    """Bytes received per page load, from the DevTools protocol's Network events."""

    def __init__(self, cdp):
        self.cdp = cdp
        self.bytes = 0
        self.requests = 0
        cdp.send("Network.enable")
        cdp.on("Network.loadingFinished", self._finished)

    def _finished(self, event):
        self.bytes += int(event.get("encodedDataLength", 0))
        self.requests += 1

    def reset(self):
        self.bytes = 0
        self.requests = 0


def measure(browser, base_url: str, username: str) -> list[tuple[str, int, int, int, int]]:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    if "/accounts/login/" in page.url:
        raise SystemExit(f"page_weight: {username} could not log in")
    wire = Wire(context.new_cdp_session(page))
    results = []
    for label, path in PAGES:
        wire.cdp.send("Network.clearBrowserCache")
        wire.reset()
        page.goto(base_url + path, wait_until="networkidle")
        cold, cold_requests = wire.bytes, wire.requests
        page.goto("about:blank")
        wire.reset()
        page.goto(base_url + path, wait_until="networkidle")
        results.append((label, cold, cold_requests, wire.bytes, wire.requests))
    context.close()
    return results


def kb(n: int) -> str:
    return f"{n / 1024:6.1f} KB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8151)
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(common.machine_line(postgres=False, extra=browser_version()))
    verdicts = []
    with common.workspace("page-weight-") as workdir:
        env = prepare(workdir)
        with common.Server("project", "kpu_polda.wsgi:application", options.port, env, workdir / "server.log",
                           workers=2) as server, sync_playwright() as playwright:
            server.wait_ready("/healthz")
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for username in USERS:
                rows = measure(browser, f"http://127.0.0.1:{options.port}", username)
                print(f"\n{username}: bytes over the wire per page (requests)")
                print(f"  {'page':<18} {'cold':>10} {'':>5} {'warm':>10} {'':>5}")
                for label, cold, cold_n, warm, warm_n in rows:
                    flags = ("" if cold <= COLD_GOAL else " cold>60KB") + ("" if warm <= WARM_GOAL else " warm>10KB")
                    print(f"  {label:<18} {kb(cold)} ({cold_n:>2}) {kb(warm)} ({warm_n:>2}){flags}")
                colds = [row[1] for row in rows]
                warms = [row[3] for row in rows]
                cold_median, warm_median = statistics.median(colds), statistics.median(warms)
                verdicts.append(cold_median <= COLD_GOAL and warm_median <= WARM_GOAL)
                print(f"  typical (median)   {kb(int(cold_median))}      {kb(int(warm_median))}")
                print(f"  goal cold <= 60 KB: {'met' if cold_median <= COLD_GOAL else 'MISSED'} "
                      f"(largest {kb(max(colds)).strip()}); goal warm <= 10 KB: "
                      f"{'met' if warm_median <= WARM_GOAL else 'MISSED'} (largest {kb(max(warms)).strip()})")
            browser.close()
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
