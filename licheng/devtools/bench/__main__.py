"""Run the benchmarks and write their figures to BENCHMARKS.md (see the package docstring).

python -m licheng.devtools.bench [NAME ...]
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
import pkgutil
import platform
import re
import subprocess
import sys
from pathlib import Path

import licheng.devtools.bench as package

OUTPUT = Path(__file__).resolve().parents[3] / "BENCHMARKS.md"
MARKER = "@@bench-result@@"  # the child's JSON line, told apart from whatever else it prints
HEADER = """# Benchmarks

Written by `make bench` (`python -m licheng.devtools.bench`); do not edit by hand. Each section
says the command that produced its figures, when, and on what machine. `make bench BENCH=name`
reruns one and keeps the others.
"""
SECTION = re.compile(r"<!-- bench:(\S+) -->\n.*?<!-- /bench:\1 -->\n", re.S)


def discover() -> list[str]:
    return sorted(
        m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")
    )


def machine() -> str:
    memory = ""
    if Path("/proc/meminfo").exists():
        total_kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {total_kb / 1024 / 1024:.1f} GiB memory"
    return f"{len(os.sched_getaffinity(0))} CPUs (nproc){memory}, {platform.system()} {platform.machine()}"


def run_one(name: str) -> dict[str, object]:
    """Run one benchmark in a child process; returns its figures and description."""
    cmd = [sys.executable, "-m", "licheng.devtools.bench", "--child", name]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    lines = [line for line in result.stdout.splitlines() if line.startswith(MARKER)]
    if result.returncode != 0 or not lines:
        raise RuntimeError(
            f"benchmark {name} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    return json.loads(lines[-1][len(MARKER) :])


def child(name: str) -> int:
    module = importlib.import_module(f"{package.__name__}.{name}")
    figures = module.run()
    doc = (module.__doc__ or "").strip().split("\n\n")[0]
    described = {
        "title": getattr(module, "TITLE", name),
        "command": getattr(module, "COMMAND", f"make bench BENCH={name}"),
        "about": doc,
        "figures": figures,
    }
    print(MARKER + json.dumps(described, ensure_ascii=False, default=str), flush=True)
    return 0


def render(name: str, result: dict[str, object]) -> str:
    figures = result["figures"]
    assert isinstance(figures, dict)
    rows = "\n".join(f"| {key} | {value} |" for key, value in figures.items())
    when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return (
        f"<!-- bench:{name} -->\n## {result['title']}\n\n{result['about']}\n\n"
        f"| figure | value |\n|---|---|\n{rows}\n\n"
        f"Command: `{result['command']}` · {when} · {machine()}\n<!-- /bench:{name} -->\n"
    )


def write(sections: dict[str, str]) -> None:
    """Merge the new sections into BENCHMARKS.md, keeping the ones not rerun."""
    existing = OUTPUT.read_text() if OUTPUT.exists() else ""
    merged = {m.group(1): m.group(0) for m in SECTION.finditer(existing)}
    merged.update(sections)
    body = "\n".join(merged[name] for name in sorted(merged))
    OUTPUT.write_text(f"{HEADER}\n{body}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        return child(argv[1])
    known = discover()
    wanted = argv or known
    unknown = sorted(set(wanted) - set(known))
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; known: {', '.join(known)}")
        return 2
    sections: dict[str, str] = {}
    failed = False
    for name in wanted:
        print(f"--- bench {name}", flush=True)
        try:
            result = run_one(name)
        except RuntimeError as error:
            print(error)
            failed = True
            continue
        print(json.dumps(result["figures"], ensure_ascii=False, indent=2))
        sections[name] = render(name, result)
    write(sections)
    print(f"wrote {OUTPUT}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
