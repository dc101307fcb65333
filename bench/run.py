"""Run every benchmark and write bench/RESULTS.md.

    python bench/run.py            # the full run (builds a 10,000-session database once)
    python bench/run.py --quick    # tiny sizes: checks the benchmark code, not the numbers

Needs the test extra installed and tmux (for the start-up benchmark).
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import drafting  # noqa: E402
import first_token  # noqa: E402
import history  # noqa: E402
import startup  # noqa: E402
import tokens_sent  # noqa: E402
from common import ROOT, commit, machine, verdict  # noqa: E402

CACHE = ROOT / "bench" / ".cache"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, few repeats")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args(argv)
    quick = args.quick
    sections: list[tuple[str, dict[str, float], list[tuple[str, str, float]]]] = []

    print("start-up…", file=sys.stderr)
    s = startup.measure(repeat=2 if quick else 15)
    sections.append(
        (
            "Start-up (real terminal, tmux)",
            s,
            [
                ("ratio to the bare app", "≤ 1.3", 1.3),
                ("workshop peak memory at start-up (MB, median)", "≤ 80 MB", 80),
            ],
        )
    )

    print("drafting overhead…", file=sys.stderr)
    people = 3 if quick else 20
    d = drafting.measure(
        people=people,
        repeat=1 if quick else 5,
        latency=0.05 if quick else 0.5,
        token_rate=500 if quick else 50,
    )
    sections.append(
        (
            f"Drafting overhead ({people} stakeholders, local test server)",
            d,
            [
                ("engine / direct client", "≤ 1.1", 1.1),
                ("engine / one request", "≤ 1.5", 1.5),
            ],
        )
    )
    f = first_token.measure(people=2 if quick else 5, latency=0.05 if quick else 0.5)
    first_key = next(iter(f))
    sections.append(("First token on screen (TUI via Pilot)", f, [(first_key, "≤ 50 ms", 50)]))

    print("history at scale (the first full run builds the database)…", file=sys.stderr)
    size = (30, 5, 8) if quick else (10_000, 30, 40)
    CACHE.mkdir(parents=True, exist_ok=True)
    db = history.generate(CACHE / f"history-{size[0]}x{size[1]}x{size[2]}.db", *size)
    h = history.measure(db, repeat=3 if quick else 30)
    sections.append(
        (
            f"History at scale ({size[0]:,} sessions × {size[1]} stakeholders × {size[2]} items, "
            "2 revisions each)",
            h,
            [
                ("home first page (ms, median)", "< 100 ms", 100),
                ("full-text search (ms, median over queries)", "< 50 ms", 50),
                ("open largest session (ms, median)", "< 200 ms", 200),
                ("save an edit (ms, p99)", "< 10 ms", 10),
                ("export largest session (ms, median)", "< 200 ms", 200),
                ("TUI peak memory (MB)", "< 120 MB", 120),
            ],
        )
    )

    t = tokens_sent.measure()
    sections.append(("Token efficiency (shipped templates, examples/brief.toml)", t, []))

    write(args.output, sections, quick)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def write(path: Path, sections, quick: bool) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"- Date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Commit: {commit()}",
        f"- Machine: {machine()}",
        f"- Run: `python bench/run.py{' --quick' if quick else ''}`"
        + (" (QUICK: tiny sizes, the numbers mean nothing)" if quick else ""),
        "",
        "Each figure is a median over repeated runs unless it says otherwise; each comparison",
        "was measured in the same run.",
    ]
    for title, figures, targets in sections:
        lines += ["", f"## {title}", "", "| measure | value | target | |", "|---|---|---|---|"]
        target_of = {name: (text, limit) for name, text, limit in targets}
        for name, value in figures.items():
            text, limit = target_of.get(name, ("", None))
            mark = verdict(value, limit) if limit is not None else ""
            lines.append(f"| {name} | {value:,.3g} | {text} | {mark} |")
    kept = real_model_section(path)
    if kept:  # bench/real_model.py's own run: tens of minutes, so not redone here
        lines += ["", kept.strip()]
    notes = path.parent / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text(encoding="utf-8").strip()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def real_model_section(path: Path) -> str:
    if not path.exists():
        return ""
    match = re.search(
        r"^## Real local model\n.*?(?=^## |\Z)", path.read_text("utf-8"), re.DOTALL | re.M
    )
    return match.group(0) if match else ""


if __name__ == "__main__":
    sys.exit(main())
