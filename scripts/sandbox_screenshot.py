"""Take the README's sandbox screenshot: run the sandbox, ask a question as the member, capture it.

Needs Chromium (Debian: apt-get install chromium). Usage: .venv/bin/python scripts/sandbox_screenshot.py
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings  # noqa: E402
from bot.sandbox import SandboxWorld, run_sandbox  # noqa: E402

OUTPUT = ROOT / "docs" / "sandbox.png"


async def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("Chromium is needed for the screenshot (apt-get install chromium).")
    stop = asyncio.Event()
    state = Path(tempfile.mkdtemp())

    async def shoot(world: SandboxWorld) -> None:
        await world.member.slash(world.general, "ask", question="is u.s. allies with russia")
        process = await asyncio.create_subprocess_exec(
            chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={state / 'chromium'}", "--hide-scrollbars", "--window-size=1100,1250",
            "--virtual-time-budget=15000", f"--screenshot={OUTPUT}", world.preview.url,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        await process.wait()
        stop.set()

    await run_sandbox(Settings(database=state / "bot.sqlite3"), stop=stop, when_ready=shoot)
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    asyncio.run(main())
