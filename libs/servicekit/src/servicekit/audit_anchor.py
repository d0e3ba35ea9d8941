"""The audit chain's external anchor: the chain head (seq, hash, time) kept outside the database.

A hash chain proves that no sealed row was altered, removed or moved *inside* the chain, but deleting
the newest sealed rows, or appending a row whose hash the forger computed, leaves a valid chain. So
the sealer also writes each new head to a store the database cannot rewrite, and the verifier compares
the chain with it (`servicekit.audit.seal_anchored` and `verify_chain`).

The store here is an append-only JSON-lines file (one line per head; a file path setting,
`AUDIT_ANCHOR_PATH`): in production, a path on storage the database's operators cannot rewrite
(another host's mount, a WORM volume). Each head is written twice: `pending` before the sealing
transaction commits and `confirmed` after it, so a crash between the two is told apart from tampering
(a pending head the database holds was committed; one it does not hold never was).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol

_BLOCK = 64 * 1024


class AnchorState(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: datetime
    state: AnchorState

    def to_line(self) -> str:
        entry = {"seq": self.seq, "hash": self.hash, "at": self.at.isoformat(), "state": self.state.value}
        return json.dumps(entry, separators=(",", ":")) + "\n"

    @classmethod
    def from_line(cls, line: str) -> Anchor | None:
        """None for a line that is not a whole entry (a write cut short by a crash)."""
        try:
            entry = json.loads(line)
            return cls(
                seq=int(entry["seq"]),
                hash=str(entry["hash"]),
                at=datetime.fromisoformat(entry["at"]),
                state=AnchorState(entry["state"]),
            )
        except (ValueError, KeyError, TypeError):
            return None


def anchor(seq: int, digest: str, state: AnchorState) -> Anchor:
    return Anchor(seq=seq, hash=digest, at=datetime.now(UTC), state=state)


class AnchorStore(Protocol):
    def append(self, entry: Anchor) -> None:
        """Add an entry durably (it survives a crash once this returns)."""
        ...

    def tail(self) -> list[Anchor]:
        """The latest confirmed entry and every entry after it, oldest first (all, if none is confirmed)."""
        ...


class FileAnchorStore:
    """An append-only JSON-lines file; entries are fsynced. Read from the end, so it may grow for years."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, entry: Anchor) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a+b") as sink:
            # A line cut short by a crash would swallow this entry: start on a line of our own.
            size = sink.seek(0, os.SEEK_END)
            prefix = b""
            if size:
                sink.seek(size - 1)
                prefix = b"" if sink.read(1) == b"\n" else b"\n"
            sink.write(prefix + entry.to_line().encode())
            sink.flush()
            os.fsync(sink.fileno())

    def tail(self) -> list[Anchor]:
        if not self.path.exists():
            return []
        found: list[Anchor] = []
        with self.path.open("rb") as source:
            end = source.seek(0, os.SEEK_END)
            carry = b""
            while end > 0:
                start = max(0, end - _BLOCK)
                source.seek(start)
                chunk = source.read(end - start) + carry
                end = start
                lines = chunk.split(b"\n")
                # The first piece may be the end of a line that starts in the previous block.
                carry = lines.pop(0) if start > 0 else b""
                for raw in reversed(lines):
                    entry = Anchor.from_line(raw.decode(errors="replace")) if raw.strip() else None
                    if entry is None:
                        continue
                    found.append(entry)
                    if entry.state is AnchorState.CONFIRMED:
                        return found[::-1]
        return found[::-1]


def anchor_store_at(path: Path | None) -> FileAnchorStore | None:
    """The store a service's settings name (`AUDIT_ANCHOR_PATH`), or None when anchoring is off."""
    return FileAnchorStore(path) if path is not None else None
