from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from issuer_helpers import PASSWORD, Env, pkce_pair

from dev_issuer.main import RedactQuerySecrets


async def test_no_password_code_or_token_reaches_the_logs(env: Env, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    verifier, challenge = pkce_pair()
    await env.login(password="sai-mat-khau")
    response = await env.login(challenge=challenge)
    code = parse_qs(urlsplit(response.headers["location"]).query)["code"][0]
    tokens = (await env.exchange(code, verifier)).json()
    machine = (await env.machine_token("partner-demo")).json()["access_token"]
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "login failed" in text
    assert "token issued" in text
    for secret in (PASSWORD, "sai-mat-khau", code, verifier, machine, *tokens.values()):
        if isinstance(secret, str) and len(secret) > 6:
            assert secret not in text


def test_access_log_lines_lose_secrets_from_query_strings() -> None:
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:1", "GET", "/logout?id_token_hint=eyJabc.def.ghi&state=s&code=xyz", "1.1", 302),
        None,
    )
    RedactQuerySecrets().filter(record)
    line = record.getMessage()
    assert "eyJabc" not in line
    assert "xyz" not in line
    assert "state=s" in line
