"""A partner's first steps with the NOXH API, in Python, with a client generated from the OpenAPI document.

Generate the client from the document the portal publishes (`/docs`), then run this script:

    pip install openapi-python-client==0.29.1 httpx
    openapi-python-client generate --meta none --output-path noxh_registry \\
        --url https://<gateway>/docs/specs/registry-api.json
    python partner_example.py --base-url https://<gateway> \\
        --client-id <id> --client-secret <secret> [--webhook-listen 127.0.0.1:8765]

It authenticates with client credentials (scopes `registry:projects:read registry:targets:read
registry:events:read`), pages through the projects, reads the progress against the targets, follows the
event feed and, with `--webhook-listen`, subscribes a receiver it runs itself, waits for one delivery,
verifies its Standard Webhooks signature and finds the same event in the feed. Each step prints one
JSON line; the exit code is 0 when every step succeeded.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import queue
import sys
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
from noxh_registry import AuthenticatedClient
from noxh_registry.api.partner import partner_get_partner_progress, partner_list_partner_projects
from noxh_registry.api.platform import platform_read_events
from noxh_registry.api.webhooks import webhooks_create_webhook_subscription
from noxh_registry.models import WebhookSubscriptionCreate
from noxh_registry.types import UNSET

SCOPES = "registry:projects:read registry:targets:read registry:events:read"
SIGNATURE_TOLERANCE_S = 300  # refuse deliveries signed more than 5 minutes away from now (replays)


class StepFailed(Exception):
    pass


def say(step: str, **facts: Any) -> None:
    sys.stdout.write(json.dumps({"step": step, **facts}, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def expect_ok(step: str, response: Any) -> Any:
    """The parsed answer of a generated call, or the problem the API answered with."""
    if not 200 <= response.status_code < 300 or response.parsed is None:
        raise StepFailed(
            f"{step}: HTTP {response.status_code}: {response.content.decode(errors='replace')[:500]}"
        )
    return response.parsed


# ---------------------------------------------------------------------- 1. authenticate


@dataclass
class Partner:
    """Client-credentials tokens for one audience; a new token shortly before the last one expires
    (machine tokens live at most 5 minutes and are not refreshed)."""

    base_url: str
    client_id: str
    client_secret: str
    audience: str = "registry-api"
    scope: str = SCOPES
    _token: str = ""
    _expires_at: float = 0.0

    def token_endpoint(self) -> str:
        discovery = httpx.get(f"{self.base_url}/auth/.well-known/openid-configuration", timeout=10)
        discovery.raise_for_status()
        return str(discovery.json()["token_endpoint"])

    def token(self) -> str:
        if time.monotonic() > self._expires_at - 30:
            answer = httpx.post(
                self.token_endpoint(),
                data={"grant_type": "client_credentials", "audience": self.audience, "scope": self.scope},
                auth=(self.client_id, self.client_secret),
                timeout=10,
            )
            if answer.status_code != 200:
                raise StepFailed(f"token: HTTP {answer.status_code}: {answer.text[:300]}")
            body = answer.json()
            self._token = body["access_token"]
            self._expires_at = time.monotonic() + int(body["expires_in"])
        return self._token

    def client(self) -> AuthenticatedClient:
        """The generated client, on the service's gateway path (the document's `servers`)."""
        return AuthenticatedClient(base_url=f"{self.base_url}/api/registry", token=self.token(), timeout=15.0)


# ---------------------------------------------------------------------- 2-4. read


def all_projects(partner: Partner, page_size: int = 50) -> tuple[list[Any], int]:
    """Every project of the partner's area, page by page (keyset cursor, no page numbers); and the
    number of pages read."""
    projects: list[Any] = []
    cursor: str | None = None
    pages = 0
    while True:
        pages += 1
        page = expect_ok(
            "projects",
            partner_list_partner_projects.sync_detailed(
                client=partner.client(), limit=page_size, cursor=cursor if cursor else UNSET
            ),
        )
        projects += page.items
        cursor = page.next_cursor if isinstance(page.next_cursor, str) else None
        if cursor is None:
            return projects, pages


def progress(partner: Partner, period: str) -> Any:
    return expect_ok(
        "progress", partner_get_partner_progress.sync_detailed(client=partner.client(), period=period)
    )


def read_feed(partner: Partner, after: str | None) -> tuple[list[Any], str | None]:
    """The events after the cursor, until caught up; returns them and the cursor to keep."""
    events: list[Any] = []
    while True:
        page = expect_ok(
            "events",
            platform_read_events.sync_detailed(
                client=partner.client(), after=after if after else UNSET, limit=100
            ),
        )
        events += page.items
        after = page.next_cursor
        if not page.items:
            return events, after


# ---------------------------------------------------------------------- 5. webhooks


class InvalidSignature(Exception):
    pass


def verify_webhook(
    secret: str, headers: Mapping[str, str], body: bytes, *, now: float | None = None
) -> dict[str, Any]:
    """Standard Webhooks: `webhook-signature` holds `v1,<base64 HMAC-SHA256>` (one or more, space-separated)
    of `{webhook-id}.{webhook-timestamp}.{body}`, keyed with the base64-decoded part of `whsec_...`."""
    msg_id = headers.get("webhook-id") or ""
    stamp = headers.get("webhook-timestamp") or ""
    signatures = headers.get("webhook-signature") or ""
    if not msg_id or not stamp.isdigit():
        raise InvalidSignature("missing webhook-id or webhook-timestamp")
    if abs((now or time.time()) - int(stamp)) > SIGNATURE_TOLERANCE_S:
        raise InvalidSignature("timestamp too far from now")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    expected = base64.b64encode(hmac.new(key, f"{msg_id}.{stamp}.".encode() + body, hashlib.sha256).digest())
    for candidate in signatures.split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected):
            event: dict[str, Any] = json.loads(body)
            return event
    raise InvalidSignature("no valid v1 signature")


class Receiver:
    """A webhook receiver: answers 2xx only to a delivery whose signature verifies, 400 otherwise."""

    def __init__(self, host: str, port: int) -> None:
        self.secret: str | None = None
        self.deliveries: queue.Queue[tuple[dict[str, str], dict[str, Any]]] = queue.Queue()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                try:
                    if receiver.secret is None:
                        raise InvalidSignature("not subscribed yet")
                    event = verify_webhook(receiver.secret, headers, body)
                except (InvalidSignature, ValueError) as exc:
                    self.send_response(400)
                    self.end_headers()
                    say("webhook-refused", reason=str(exc))
                    return
                self.send_response(204)
                self.end_headers()
                receiver.deliveries.put((headers, event))

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.url = f"http://{host}:{self.server.server_address[1]}/noxh-webhooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def subscribe(partner: Partner, url: str, event_types: list[str]) -> Any:
    return expect_ok(
        "subscribe",
        webhooks_create_webhook_subscription.sync_detailed(
            client=partner.client(),
            body=WebhookSubscriptionCreate(url=url, event_types=event_types),
            # A retry with the same key replays the answer, secret included: nothing is created twice.
            idempotency_key=str(uuid.uuid4()),
        ),
    )


# ---------------------------------------------------------------------- the walk-through


def run(args: argparse.Namespace) -> None:
    partner = Partner(args.base_url.rstrip("/"), args.client_id, args.client_secret)
    partner.token()
    say("token", audience=partner.audience, scope=partner.scope)

    projects, pages = all_projects(partner, args.page_size)
    say("projects", count=len(projects), pages=pages, ids=[str(p.id) for p in projects])

    report = progress(partner, args.period)
    say("progress", period=args.period, areas=len(report.areas), targets=len(report.targets))

    events, cursor = read_feed(partner, after=None)
    # (the generator calls the envelope's `type` field `type_`: `type` is a Python builtin)
    say("events", count=len(events), types=sorted({e.type_ for e in events}), cursor=cursor)

    if not args.webhook_listen:
        return
    host, _, port = args.webhook_listen.rpartition(":")
    receiver = Receiver(host, int(port))
    try:
        subscription = subscribe(partner, receiver.url, args.event_type)
        receiver.secret = subscription.secret
        say("subscribed", id=str(subscription.id), url=receiver.url, event_types=subscription.event_types)
        try:
            headers, event = receiver.deliveries.get(timeout=args.webhook_wait)
        except queue.Empty:
            raise StepFailed(f"webhook: no delivery within {args.webhook_wait} s") from None
        say(
            "webhook",
            verified=True,
            webhook_id=headers["webhook-id"],
            type=event["type"],
            event_id=event["id"],
        )

        # The same event is on the feed: a consumer may use either, and dedupe by the event id.
        deadline = time.monotonic() + 30
        while True:
            new, cursor = read_feed(partner, after=cursor)
            if any(e.id == event["id"] for e in new):
                say("feed-follow", found=True, cursor=cursor)
                return
            if time.monotonic() > deadline:
                raise StepFailed(f"feed-follow: event {event['id']} not on the feed")
            time.sleep(1)
    finally:
        receiver.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="NOXH partner example (Python, generated client)")
    parser.add_argument("--base-url", required=True, help="the gateway, e.g. https://noxh.haiphong.gov.vn")
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--period", default="2021-2025", help="the targets' period for the progress")
    parser.add_argument("--page-size", type=int, default=50)
    parser.add_argument("--webhook-listen", help="host:port to receive webhooks on (skipped when absent)")
    parser.add_argument("--webhook-wait", type=float, default=90.0, help="seconds to wait for a delivery")
    parser.add_argument(
        "--event-type", action="append", default=None, help="event types to subscribe to (repeatable)"
    )
    args = parser.parse_args(argv)
    args.event_type = args.event_type or ["housing_project.created"]
    try:
        run(args)
    except StepFailed as exc:
        step, _, reason = str(exc).partition(": ")
        say(step, error=reason)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
