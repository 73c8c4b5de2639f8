"""Full-page Chromium screenshots of every page on the curated data, light and dark theme,
for looking at what we ship (not a test). Usage:

    .venv/bin/python scripts/screenshots.py [--out artifacts/real] [--query 'company=bytedance']
        [--phone] [--pages overview,chips]

Builds a temp DB from data/ with the ETL, serves it on a free 127.0.0.1 port, and stops the
server it started when done.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT)]

from testsupport.browser import CHROMIUM, CHROMIUM_ARGS, nav_pages, wait_idle  # noqa: E402
from testsupport.server import Server, build_db  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=str(ROOT / "artifacts" / "real"))
    ap.add_argument("--query", default="", help="query string added to every page, e.g. company=bytedance")
    ap.add_argument("--width", type=int, default=1400)
    ap.add_argument("--phone", action="store_true",
                    help="a phone: 390 px wide, touch, mobile viewport, 2× pixels (names phone-*.png)")
    ap.add_argument("--pages", default="", help="comma-separated page names (default: every page)")
    args = ap.parse_args()
    if args.phone:
        args.width = 390
    device = dict(is_mobile=True, has_touch=True, device_scale_factor=2) if args.phone else {}
    prefix = "phone-" if args.phone else ""
    from playwright.sync_api import sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = build_db(ROOT / "data", Path(tmp) / "tracker.duckdb")
        server = Server("app.py", db, Path(tmp) / "streamlit.log").start()
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                for theme in ("light", "dark"):
                    ctx = browser.new_context(viewport={"width": args.width, "height": 1000},
                                              color_scheme=theme, **device)
                    page = ctx.new_page()
                    page.set_default_timeout(90_000)
                    for name, path, _label in nav_pages():
                        if args.pages and name not in args.pages.split(","):
                            continue
                        q = f"?{args.query}" if args.query else ""
                        page.goto(server.url + path + q)
                        wait_idle(page)
                        page.wait_for_timeout(1500)  # plotly draws after the script run ends
                        # Streamlit scrolls inside its own container: size the viewport to it.
                        h = page.evaluate("() => Math.max(...[...document.querySelectorAll('section, div')]"
                                          ".map(e => e.scrollHeight))")
                        page.set_viewport_size({"width": args.width, "height": min(int(h) + 40, 12000)})
                        page.wait_for_timeout(800)
                        page.screenshot(path=str(out / f"{prefix}{name}-{theme}.png"), full_page=True)
                        page.set_viewport_size({"width": args.width, "height": 1000})
                        print(out / f"{prefix}{name}-{theme}.png")
                    ctx.close()
                browser.close()
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
