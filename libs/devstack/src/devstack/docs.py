"""The developer portal the gateway serves at `/docs`: built from `deploy/gateway/docs/` and the
committed `services/*/openapi.json`.

    python -m devstack.docs <out-folder>

writes the static pages and the vendored Swagger UI, `specs/<service>.json` (each document with the
gateway path as its server), an index naming each service, and `problems.html`, the index of every
problem `type` URI the documents declare (the gateway sends `/problems/<code>` there). `make run`
builds it into `.data/docs` before starting the gateway (`DOCS_ROOT`).
"""

from __future__ import annotations

import html
import json
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devstack.paths import repo_root

PROBLEM_BASE_URI = "https://noxh.haiphong.gov.vn/problems/"
# Service name -> the gateway path its routes are published under.
GATEWAY_PATHS = {
    "registry-api": "/api/registry",
    "funding-api": "/api/funding",
    "inspection-api": "/api/inspection",
}
SERVICES_MARKER = "<!-- services: filled in by devstack.docs from each openapi.json -->"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def source_dir(root: Path | None = None) -> Path:
    return (root or repo_root()) / "deploy" / "gateway" / "docs"


def spec_path(service: str, root: Path | None = None) -> Path:
    return (root or repo_root()) / "services" / service / "openapi.json"


def with_gateway_server(spec: dict[str, Any], service: str) -> dict[str, Any]:
    """The document as partners see it: the gateway path is its one server."""
    out = dict(spec)
    out["servers"] = [{"url": GATEWAY_PATHS[service], "description": "through the NOXH gateway"}]
    return out


@dataclass
class ProblemType:
    slug: str
    title: str = ""
    statuses: set[int] = field(default_factory=set)
    uses: set[tuple[str, str]] = field(default_factory=set)  # (service, "METHOD path")


def _problems_in(node: Any, found: list[dict[str, Any]]) -> None:
    if isinstance(node, dict):
        kind = node.get("type")
        if isinstance(kind, str) and kind.startswith(PROBLEM_BASE_URI):
            found.append(node)
        for value in node.values():
            _problems_in(value, found)
    elif isinstance(node, list):
        for value in node:
            _problems_in(value, found)
    elif isinstance(node, str) and node.startswith(PROBLEM_BASE_URI):
        # A bare type URI (e.g. in the Problem schema's examples): known, without a title.
        found.append({"type": node})


def collect_problems(specs: dict[str, dict[str, Any]]) -> dict[str, ProblemType]:
    """Every problem type the documents' examples name, with the operations that may answer it."""
    problems: dict[str, ProblemType] = {}
    for service, spec in specs.items():
        for path, item in spec.get("paths", {}).items():
            for method in METHODS:
                operation = item.get(method) if isinstance(item, dict) else None
                if not isinstance(operation, dict):
                    continue
                found: list[dict[str, Any]] = []
                _problems_in(operation.get("responses", {}), found)
                for example in found:
                    slug = str(example["type"])[len(PROBLEM_BASE_URI) :]
                    entry = problems.setdefault(slug, ProblemType(slug))
                    entry.title = entry.title or str(example.get("title", ""))
                    if isinstance(example.get("status"), int):
                        entry.statuses.add(int(example["status"]))
                    entry.uses.add((service, f"{method.upper()} {GATEWAY_PATHS[service]}{path}"))
        found = []
        _problems_in(spec.get("components", {}), found)
        for example in found:
            slug = str(example["type"])[len(PROBLEM_BASE_URI) :]
            entry = problems.setdefault(slug, ProblemType(slug))
            entry.title = entry.title or str(example.get("title", ""))
    return dict(sorted(problems.items()))


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<link rel="stylesheet" href="portal.css">
</head>
<body>
<header class="portal">
  <a class="brand" href="./">NOXH API</a>
  <a href="guide.html">Guide</a>
  <a href="problems.html">Problem types</a>
</header>
<main class="portal">
{body}
</main>
</body>
</html>
"""


def problems_page(problems: dict[str, ProblemType]) -> str:
    rows = []
    for slug, problem in problems.items():
        uses = sorted(problem.uses)
        shown = "<br>".join(f"<code>{html.escape(op)}</code>" for _, op in uses[:8])
        if len(uses) > 8:
            shown += f"<br>… and {len(uses) - 8} more"
        statuses = ", ".join(str(s) for s in sorted(problem.statuses))
        rows.append(
            f'<tr id="{html.escape(slug)}"><td><code>{html.escape(PROBLEM_BASE_URI + slug)}</code><br>'
            f"code <code>{html.escape(slug.replace('-', '_'))}</code></td>"
            f"<td>{html.escape(problem.title)}</td><td>{statuses}</td><td>{shown}</td></tr>"
        )
    body = (
        "<h1>Problem types</h1>\n"
        "<p>Every error is an RFC 9457 problem (<code>application/problem+json</code>). Its "
        "<code>type</code> URI names one of the types below (the URI leads to its row here); "
        "<code>code</code> is the same name with underscores. Program against <code>code</code> or "
        "<code>type</code>, not against <code>title</code> or <code>detail</code>. See the "
        '<a href="guide.html#errors">guide</a> for the fields.</p>\n'
        "<table><thead><tr><th>type / code</th><th>title</th><th>status</th>"
        "<th>answered by</th></tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>"
    )
    return _page("NOXH — problem types", body)


def services_rows(specs: dict[str, dict[str, Any]]) -> str:
    rows = []
    for service, spec in specs.items():
        info = spec.get("info", {})
        description = html.escape(str(info.get("description", "")))
        name = html.escape(service)
        rows.append(
            f"    <tr><td><strong>{name}</strong> {html.escape(str(info.get('version', '')))}<br>"
            f"{description}</td><td><code>{html.escape(GATEWAY_PATHS[service])}</code></td>"
            f'<td><a href="api.html?service={name}">Swagger UI</a></td>'
            f'<td><a href="specs/{name}.json">{name}.json</a></td></tr>'
        )
    return "\n".join(rows)


def build_portal(out: Path, root: Path | None = None, services: Iterable[str] = GATEWAY_PATHS) -> Path:
    """(Re)write the portal into `out`; returns `out`. Missing documents are skipped, not invented."""
    src = source_dir(root)
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(src, tmp)
    (tmp / "specs").mkdir()
    specs: dict[str, dict[str, Any]] = {}
    for service in services:
        path = spec_path(service, root)
        if not path.is_file():
            continue
        spec = with_gateway_server(json.loads(path.read_text(encoding="utf-8")), service)
        specs[service] = spec
        (tmp / "specs" / f"{service}.json").write_text(
            json.dumps(spec, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
    index = (tmp / "index.html").read_text(encoding="utf-8")
    (tmp / "index.html").write_text(index.replace(SERVICES_MARKER, services_rows(specs)), encoding="utf-8")
    (tmp / "problems.html").write_text(problems_page(collect_problems(specs)), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        sys.stderr.write("usage: python -m devstack.docs <out-folder>\n")
        return 2
    out = build_portal(Path(args[0]).resolve())
    sys.stdout.write(f"portal written to {out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
