"""The two ways a newcomer meets the project: `python run.py` (sandbox without a token) and `--check`."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from alliance_bot.config import BUNDLED_DATA_DIR

ROOT = Path(__file__).resolve().parent.parent


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "BOT_"))}
    env.update({"BOT_DATABASE": str(tmp_path / "bot.sqlite3"), "PYTHONUNBUFFERED": "1", **extra})
    return env


def _run(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "run.py", *args],
        cwd=ROOT,
        env=_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_passes_on_the_bundled_data(tmp_path):
    (tmp_path / "bot.sqlite3").touch()  # an existing (empty) database is opened and checked
    result = _run(tmp_path, "--check")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok   data:" in result.stdout
    assert "ok   database:" in result.stdout
    assert "ok   historical record: 789 ATOP 5.1 alliances" in result.stdout
    assert "All checks passed." in result.stdout


def test_check_reports_timeline_entries_per_topic_and_the_days_without_an_event(tmp_path):
    import re

    from alliance_bot.config import BUNDLED_DATA_DIR
    from alliance_bot.domain import timeline as tl
    from alliance_bot.domain.facts import load_fact_base

    entries = tl.timeline_entries(load_fact_base(BUNDLED_DATA_DIR))
    result = _run(tmp_path, "--check")
    lines = {m.group(1): m.group(0) for m in re.finditer(r"^ok   timeline \(([a-z-]+)\): .*$", result.stdout, re.M)}
    assert set(lines) == {"us-russia", "alliances", "both"}
    for series, line in lines.items():
        chosen = tl.of_series(entries, series)
        missing = tl.days_without_an_event(chosen)
        assert f": {len(chosen)} entries (" in line
        assert f"{366 - len(missing)} of 366 days have an event of their own" in line
        assert all(day in line for day in missing[:12])  # the days without an event are named


def test_check_warns_about_stale_facts_and_fails_on_them_only_when_strict(tmp_path):
    result = _run(tmp_path, "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warn freshness:" in result.stdout
    assert "tl-1991-soviet-collapse (as of 1991-12-25)" in result.stdout

    strict = _run(tmp_path, "--check", "--strict")
    assert strict.returncode == 1 and "--strict: warnings count as failures." in strict.stdout

    # 3000 months reach back past the oldest researched entry (the 1778 alliance, as of 1801)
    lenient = _run(tmp_path, "--check", "--strict", "--stale-months", "3000")
    assert lenient.returncode == 0 and "ok   freshness" in lenient.stdout


def test_check_fails_on_a_damaged_historical_record(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA_DIR, data)
    members = data / "atop" / "members.tsv"
    members.write_text(members.read_text().replace("\t1949-04-04\t", "\tnot-a-date\t", 1))

    result = _run(tmp_path, "--check", BOT_DATA_DIR=str(data))

    assert result.returncode == 1
    assert "FAIL data" in result.stdout and "atop/" in result.stdout


def test_check_on_a_fresh_machine_does_not_create_the_database(tmp_path):
    result = _run(tmp_path, "--check")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "does not exist yet" in result.stdout
    assert not (tmp_path / "bot.sqlite3").exists()


def test_help_describes_the_sandbox_without_promising_to_open_a_browser(tmp_path):
    result = _run(tmp_path, "--help")

    assert result.returncode == 0
    assert "prints the address to open in your browser" in " ".join(result.stdout.split())


def test_a_token_that_cannot_log_in_prints_one_line_and_no_discord_log(tmp_path):
    # Offline here, so the login fails on the connection; what matters is that nothing but the
    # one-line reason is printed (discord.py's "logging in using static token" came first before).
    result = _run(tmp_path, "--log-level", "INFO", DISCORD_TOKEN="not-a-real-token", HTTPS_PROXY="http://127.0.0.1:9")

    assert result.returncode == 1
    assert "logging in using static token" not in result.stdout + result.stderr
    # A first start creates its database (and says so at INFO); apart from that, one line.
    lines = [line for line in result.stderr.strip().splitlines() if "migrated to version" not in line]
    assert len(lines) == 1, result.stderr


def test_check_fails_on_a_broken_copy_and_names_file_and_entry(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA_DIR, data)
    text = (data / "us_russia.yaml").read_text()
    (data / "us_russia.yaml").write_text(text.replace('value: "1,706"', "value: ''", 1))

    result = _run(tmp_path, "--check", BOT_DATA_DIR=str(data))

    assert result.returncode == 1
    assert "FAIL data" in result.stdout
    assert "us_russia.yaml: entry 'fig-sanctioned-entities': value" in result.stdout


def test_broken_data_stops_start_up_with_the_file_and_entry(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA_DIR, data)
    (data / "zz_bad.yaml").write_text("entries:\n  - id: lonely\n    kind: faq\n")

    result = _run(tmp_path, "--sandbox", BOT_DATA_DIR=str(data))

    assert result.returncode == 1
    assert "Cannot start" in result.stderr
    assert "zz_bad.yaml: entry 'lonely'" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_configuration_is_one_clear_line(tmp_path):
    result = _run(tmp_path, "--check", BOT_DEV_GUILD="not-a-number")

    assert result.returncode == 2
    assert "BOT_DEV_GUILD must be a Discord ID" in result.stderr
    assert "Traceback" not in result.stderr


def test_sync_without_a_token_explains_what_is_missing(tmp_path):
    result = _run(tmp_path, "--sync")

    assert result.returncode == 2
    assert "--sync needs DISCORD_TOKEN" in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGINT")
def test_without_a_token_the_sandbox_starts_serves_its_page_and_stops_on_ctrl_c(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "run.py"],
        cwd=ROOT,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines: list[str] = []
        url = None
        deadline = time.monotonic() + 90
        assert process.stdout is not None
        while time.monotonic() < deadline and url is None:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line)
            match = re.search(r"(http://127\.0\.0\.1:\d+/)#\S+", line)
            if match:
                url = match.group(1)
        output = "".join(lines)
        assert "No DISCORD_TOKEN set, so starting the local sandbox instead" in output
        assert url is not None, output
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
        assert (tmp_path / "bot-sandbox.sqlite3").exists()
        assert not (tmp_path / "bot.sqlite3").exists()
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=30)
        assert process.returncode == 0, rest
        assert "Traceback" not in rest
        assert "Stopped." in rest or "Sandbox stopped." in rest
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
