"""For each service's catalogue test: the event types its code writes as literals."""

from __future__ import annotations

import re
from pathlib import Path

# `type="x.y"` given to emit(), and `"x.y"` given to a module's own emit helper (`_emit(session, "x.y"`,
# `emit_person_event(session, "x.y"`, ...). Types built with f-strings are listed by hand.
_PATTERNS = (
    re.compile(r'\btype="([a-z_]+\.[a-z_]+)"'),
    re.compile(r'\b(?:_emit\w*|emit_\w+_event)\(\s*\w+,\s*"([a-z_]+\.[a-z_]+)"', re.DOTALL),
)


def literal_event_types(package_dir: Path) -> set[str]:
    """Every event type written as a literal in the package's modules."""
    found: set[str] = set()
    for path in package_dir.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in _PATTERNS:
            found.update(pattern.findall(text))
    return found
