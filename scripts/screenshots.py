"""Take the README's screenshots of the portal, from a fresh demo network.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Loads the demo into a temporary data folder, serves the portal on a free port of
127.0.0.1 and drives Debian's Chromium (/usr/bin/chromium) with Playwright, signed
in as the demo's busiest member. Writes one PNG per main page.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


from coop.bootstrap import build  # noqa: E402
from coop.config import Settings  # noqa: E402
from coop.demo import DEMO_MEMBER_EMAIL, DEMO_PASSWORD, load  # noqa: E402
from domain import clock  # noqa: E402
from projections.listing import Paging  # noqa: E402
from web import create_app  # noqa: E402
from web.local_server import serving  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def serving_demo(settings: Settings) -> AbstractContextManager[str]:
    """Serve the portal for ``settings`` on a free port; the context yields its address."""
    return serving(create_app(settings, {"TESTING": True,
                                         "SECRET_KEY": "screenshots-" + "k" * 40}))


def sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/sign-in")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--data-dir", type=Path,
                        help="a data folder that holds the demo already (default: a fresh one)")
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    options.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        settings = Settings(data_dir=options.data_dir or Path(data))
        net = build(settings, create_tables=options.data_dir is None)
        try:
            if options.data_dir is None:
                print("loading the demo network ...", flush=True)
                load(net)
            me = net.members.id_for_email(DEMO_MEMBER_EMAIL)
            answered = [p for p in net.board.browse("ask", Paging(1, 100), viewer=str(me),
                                                    status="any").items if p["answers"]]
            ask = answered[0]["id"]
            circle = next(c for c in net.directory.circle_choices()
                          if c["name"] == "Riverside Makers")["id"]
            proposals = proposals_by_title(net)
        finally:
            net.close()
        shots = {
            "sign-in": "/sign-in",
            "dashboard": "/",
            "asks": "/asks/",
            "ask": f"/asks/{ask}",
            "statement": "/ledger/",
            "circle": f"/circles/{circle}",
            "members": "/members/",
            "network-ledger": "/ledger/network",
            "decisions": f"/decisions/circles/{circle}",
            "proposal": f"/proposals/{proposals['Where should the second workshop be?']}",
            "results-irv": f"/proposals/{proposals['First project for the 2026 workshop budget']}"
                           "/results",
            "results-schulze": f"/proposals/{proposals['A name for our joint web agency offer']}"
                               "/results",
        }
        with serving_demo(settings) as base, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport=DESKTOP)
            page.goto(base + shots.pop("sign-in"))
            _shoot(page, options.out / "sign-in.png")
            sign_in(page, base, DEMO_MEMBER_EMAIL, DEMO_PASSWORD)
            for name, path in shots.items():
                page.goto(base + path)
                if name == "statement":
                    page.click("summary")  # show the chart's table too
                _shoot(page, options.out / f"{name}.png")
            phone = browser.new_page(viewport=PHONE, device_scale_factor=2)
            sign_in(phone, base, DEMO_MEMBER_EMAIL, DEMO_PASSWORD)
            _shoot(phone, options.out / "dashboard-phone.png")
            browser.close()


def proposals_by_title(net: Any) -> dict[str, Any]:
    """Return the ids of the demo's open and decided proposals by title."""
    now = clock.now()
    return {p["title"]: p["id"] for section in ("open", "outcomes")
            for p in net.decisions.section(section, Paging(1, 100), now=now).items}


def _shoot(page: Any, path: Path) -> None:
    page.screenshot(path=str(path), full_page=True)
    print(f"wrote {path} ({re.sub(r'https?://[^/]+', '', page.url)})", flush=True)


if __name__ == "__main__":
    main()
