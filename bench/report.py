"""Markdown tables from `bench/results/*.json`, for docs/performance.md:

.venv/bin/python -m bench.report [results dir]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from bench.common import RESULTS, out


def md(headers: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def load(folder: Path, name: str) -> dict[str, Any] | None:
    path = folder / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else RESULTS
    province = load(folder, "province")
    if province:
        m = province["machine"]
        load_ = province["load"]
        out(
            f"Machine: {m['cpu_count']} x {m['cpu_model']}, {m['memory_gb']} GB, "
            f"PostgreSQL {m['postgresql']}, "
            f"load average {m['load_average']} at {m['at']}, commit {m['git_commit']}."
        )
        out(md(["table", "rows"], [[t, f"{n:,}"] for t, n in load_["rows"].items()]))
        out(
            f"generate + COPY {load_['seconds_generate_and_copy']} s, indexes and keys "
            f"{load_['seconds_indexes']} s, vacuum {load_['seconds_vacuum']} s\n"
        )
    stack = load(folder, "stack")
    if stack:
        for op in ("get", "list"):
            rows = [
                [
                    v["title"],
                    f"{v['throughput_rps']:,.0f}",
                    f"{v['ratio_vs_raw']:.2f}",
                    v["p50_ms"],
                    v["p95_ms"],
                    f"{v['server_cpu_us_per_request']:,}",
                    f"{v['ratio_vs_raw_by_server_cpu']:.2f}",
                    f"{v['layer_cost_server_cpu_us']:,}",
                ]
                for v in stack["variants"]
                if v["operation"] == op
            ]
            out(f"\n{op}:")
            out(
                md(
                    [
                        "variant",
                        "rps",
                        "x raw (rps)",
                        "p50 ms",
                        "p95 ms",
                        "server CPU µs/req",
                        "x raw (CPU)",
                        "layer CPU µs",
                    ],
                    rows,
                )
            )
        out(f"\ntoken verify µs: {stack.get('token_verify_us')}; RSS MB: {stack.get('server_rss_mb')}")
    pagination = load(folder, "pagination")
    if pagination:
        rows = [
            [
                p["list"],
                f"{p['deep_page']:,}",
                p["first"]["p50_ms"],
                p["first"]["p95_ms"],
                p["deep"]["p50_ms"],
                p["deep"]["p95_ms"],
                f"{p['ratio_p95_deep_vs_first']:.2f}",
                p["sql_offset_same_page_ms"],
            ]
            for p in pagination["lists"]
        ]
        out(
            "\n"
            + md(
                [
                    "list",
                    "deep page",
                    "page 1 p50 ms",
                    "page 1 p95 ms",
                    "deep p50 ms",
                    "deep p95 ms",
                    "p95 deep / page 1",
                    "SQL OFFSET, same page, ms",
                ],
                rows,
            )
        )
    search = load(folder, "search")
    if search:
        rows = [
            [
                s["name"],
                s["concurrency"],
                f"{s['throughput_rps']:,.0f}",
                s["p50_ms"],
                s["p95_ms"],
                s["p99_ms"],
            ]
            for s in search["latency"]
        ]
        out("\n" + md(["searches", "concurrent", "rps", "p50 ms", "p95 ms", "p99 ms"], rows))
        rec = search["recall"]
        out(
            f"narrowed first page p50 {rec['narrowed_first_page_p50_ms']} ms, "
            f"p95 {rec['narrowed_first_page_p95_ms']} ms"
        )
        rows = [
            [v, f"{rec['person_recall'][v]:.1%}", f"{rec['name_recall_province_wide'][v]:.1%}"]
            for v in rec["person_recall"]
        ]
        out(md(["spelling", "person recall (narrowed)", "name recall (province-wide)"], rows))
        if rec["misses"]:
            out(f"misses (first 20): {rec['misses']}")
    dashboards = load(folder, "dashboards")
    if dashboards:
        rows = [
            [d["dashboard"], d["requests"], d["errors"], d["p50_ms"], d["p95_ms"]]
            for d in dashboards["dashboards"]
        ]
        out("\n" + md(["dashboard", "requests", "errors", "p50 ms", "p95 ms"], rows))


if __name__ == "__main__":
    main()
