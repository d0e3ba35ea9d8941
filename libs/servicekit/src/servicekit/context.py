"""Per-request context shared by logs, HTTP clients and the audit trail (no web framework needed)."""

from __future__ import annotations

import contextvars
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from servicekit.principal import Principal

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
current_principal: contextvars.ContextVar[Principal | None] = contextvars.ContextVar(
    "principal", default=None
)
