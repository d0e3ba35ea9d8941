"""Webhook building blocks without a database: signatures, the receivers' allow-list, the retry policy."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr
from standardwebhooks import Webhook, WebhookVerificationError

from servicekit.errors import AppError
from servicekit.outbox import EventCatalogue, events_scope
from servicekit.settings import BaseServiceSettings
from servicekit.webhooks import (
    DeliveryPolicy,
    TargetPolicy,
    WebhookUrlRefused,
    delivery_policy,
    host_matches,
    new_secret,
    secret_key,
    sign,
    target_policy,
    verify_signature,
    webhook_headers,
)

# The test vector published with the Standard Webhooks specification (and its reference libraries).
SPEC_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
SPEC_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
SPEC_TIMESTAMP = 1614265330
SPEC_BODY = '{"test": 2432232314}'
SPEC_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


class TestSignatures:
    def test_a_new_secret_is_whsec_and_32_random_bytes(self) -> None:
        secret = new_secret()
        assert secret.startswith("whsec_")
        assert len(secret_key(secret)) == 32
        assert new_secret() != secret

    def test_the_specification_test_vector(self) -> None:
        assert sign(SPEC_SECRET, SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY) == SPEC_SIGNATURE

    def test_the_reference_library_signs_as_we_do(self) -> None:
        secret = new_secret()
        stamp = int(time.time())
        body = json.dumps({"id": "e1", "type": "housing_project.created"})
        theirs = Webhook(secret).sign(SPEC_ID, datetime.fromtimestamp(stamp, UTC), body)
        assert theirs == sign(secret, SPEC_ID, stamp, body)

    def test_the_reference_library_verifies_our_headers(self) -> None:
        secret = new_secret()
        body = json.dumps({"id": "0190f", "type": "housing_target.created", "data": {"units": 120}})
        headers = webhook_headers([secret], "0190f", int(time.time()), body)
        assert Webhook(secret).verify(body, headers) == json.loads(body)
        with pytest.raises(WebhookVerificationError):
            Webhook(secret).verify(body.replace("120", "121"), headers)
        with pytest.raises(WebhookVerificationError):
            Webhook(new_secret()).verify(body, headers)

    def test_during_a_rotation_either_secret_verifies(self) -> None:
        old, new = new_secret(), new_secret()
        body = '{"id":"e2"}'
        headers = webhook_headers([new, old], "e2", int(time.time()), body)
        assert len(headers["webhook-signature"].split(" ")) == 2
        for secret in (old, new):
            Webhook(secret).verify(body, headers)
            assert verify_signature(secret, headers, body)
        assert not verify_signature(new_secret(), headers, body)

    def test_our_verifier_refuses_stale_or_altered_messages(self) -> None:
        secret = new_secret()
        now = time.time()
        headers = webhook_headers([secret], "e3", int(now) - 600, "{}")
        assert not verify_signature(secret, headers, "{}", now=now)
        assert verify_signature(secret, headers, "{}", now=now - 600)
        fresh = webhook_headers([secret], "e3", int(now), "{}")
        assert not verify_signature(secret, fresh, "{ }", now=now)
        assert not verify_signature(secret, {**fresh, "webhook-id": "e4"}, "{}", now=now)
        assert not verify_signature(secret, {}, "{}", now=now)

    def test_headers_name_the_message_and_its_time(self) -> None:
        headers = webhook_headers([SPEC_SECRET], SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)
        assert headers == {
            "content-type": "application/json",
            "webhook-id": SPEC_ID,
            "webhook-timestamp": str(SPEC_TIMESTAMP),
            "webhook-signature": SPEC_SIGNATURE,
        }
        with pytest.raises(ValueError, match="secret"):
            webhook_headers([], SPEC_ID, SPEC_TIMESTAMP, SPEC_BODY)

    def test_a_secret_key_is_base64(self) -> None:
        assert secret_key("whsec_" + base64.b64encode(b"k" * 24).decode()) == b"k" * 24


POLICY = TargetPolicy(
    https_hosts=("hooks.partner.vn", "*.thongke.gov.vn"), http_hosts=("127.0.0.1", "localhost")
)


class TestTargetAllowList:
    @pytest.mark.parametrize(
        "url",
        [
            "https://hooks.partner.vn/noxh",
            "https://hooks.partner.vn:8443/noxh?token=abc",
            "https://HOOKS.partner.vn/x",
            "https://api.thongke.gov.vn/webhooks",
            "https://a.b.thongke.gov.vn/",
            "http://127.0.0.1:9000/hook",
            "http://localhost/hook",
            "https://localhost/hook",
        ],
    )
    def test_allowed(self, url: str) -> None:
        assert POLICY.check(url) == url

    @pytest.mark.parametrize(
        ("url", "code"),
        [
            ("http://hooks.partner.vn/noxh", "url_https_required"),
            ("https://evil.example.com/", "url_host_not_allowed"),
            ("https://thongke.gov.vn/", "url_host_not_allowed"),  # the apex is not under *.
            ("https://hooks.partner.vn.evil.com/", "url_host_not_allowed"),
            ("https://xhooks.partner.vn/", "url_host_not_allowed"),
            ("https://10.0.0.5/", "url_host_not_allowed"),
            ("https://user:pw@hooks.partner.vn/", "url_credentials"),
            ("https://user@hooks.partner.vn/", "url_credentials"),
            ("https://hooks.partner.vn/#frag", "url_fragment"),
            ("ftp://hooks.partner.vn/", "url_scheme"),
            ("javascript:alert(1)", "url_scheme"),
            ("file:///etc/passwd", "url_scheme"),
            ("//hooks.partner.vn/", "url_scheme"),
            ("hooks.partner.vn/noxh", "url_scheme"),
            ("https:///noxh", "url_invalid"),
            ("https://hooks.partner.vn:99999/", "url_invalid"),
            ("https://hooks.partner.vn:0/", "url_invalid"),
            ("https://hooks partner.vn/", "url_invalid"),
            ("https://hooks.partner.vn/\u00e1", "url_invalid"),
            ("https://xn--h-.vn\t/", "url_invalid"),
            ("https://under_score.partner.vn/", "url_invalid"),
            ("", "url_invalid"),
        ],
    )
    def test_refused_with_a_pointer_at_the_url(self, url: str, code: str) -> None:
        with pytest.raises(WebhookUrlRefused) as refused:
            POLICY.check(url)
        assert isinstance(refused.value, AppError)
        assert refused.value.status_code == 422
        assert [(e.pointer, e.code) for e in refused.value.errors or []] == [("/body/url", code)]

    def test_patterns(self) -> None:
        assert host_matches("a.example.vn", "*.example.vn")
        assert host_matches("a.example.vn", " *.Example.VN. ")
        assert not host_matches("example.vn", "*.example.vn")
        assert not host_matches("badexample.vn", "*.example.vn")
        assert host_matches("example.vn", "example.vn")
        assert not host_matches("a.example.vn", "example.vn")

    def test_nothing_is_allowed_by_default_in_production(self) -> None:
        production = settings(ENV="production")
        assert production.webhook_http_hosts == ()
        assert target_policy(production) == TargetPolicy(https_hosts=(), http_hosts=())
        dev = settings()
        assert dev.webhook_http_hosts == ("127.0.0.1", "localhost")
        explicit = settings(WEBHOOK_ALLOWED_HTTP_HOSTS=("receiver.internal",), ENV="production")
        assert explicit.webhook_http_hosts == ("receiver.internal",)


class TestRetryPolicy:
    def test_the_default_schedule_then_dead(self) -> None:
        policy = DeliveryPolicy()
        delays = [policy.retry_delay_s(n) for n in range(1, 9)]
        assert delays == [5, 30, 120, 600, 3600, 21600, 43200, None]
        assert policy.max_attempts == 8
        with pytest.raises(ValueError, match="attempt"):
            policy.retry_delay_s(0)

    def test_the_schedule_and_limits_are_settings(self) -> None:
        policy = delivery_policy(
            settings(WEBHOOK_RETRY_SCHEDULE_S=(1, 2), WEBHOOK_TIMEOUT_S=0.5, WEBHOOK_CONCURRENCY=3)
        )
        assert (policy.timeout_s, policy.concurrency, policy.max_attempts) == (0.5, 3, 3)
        assert [policy.retry_delay_s(n) for n in (1, 2, 3)] == [1, 2, None]

    def test_nonsense_is_refused(self) -> None:
        with pytest.raises(ValueError, match="positive"):
            DeliveryPolicy(retry_schedule_s=(5, 0))
        with pytest.raises(ValueError, match="positive"):
            DeliveryPolicy(concurrency=0)


class TestCatalogue:
    def test_partner_safe_types_must_be_known(self) -> None:
        with pytest.raises(ValueError, match="not in the catalogue"):
            EventCatalogue(types=frozenset({"a.created"}), partner_safe=frozenset({"b.created"}))

    def test_the_scope_is_named_after_the_service(self) -> None:
        assert events_scope("registry-api") == "registry:events:read"
        assert events_scope("funding-api") == "funding:events:read"


def settings(**overrides: object) -> BaseServiceSettings:
    values: dict[str, object] = {
        "SERVICE_NAME": "sample-api",
        "DATABASE_URL": SecretStr("postgresql+asyncpg://x:x@127.0.0.1:1/x"),
        "OIDC_ISSUER": "https://issuer.example.vn",
        "PII_ENCRYPTION_KEY": SecretStr("k" * 32),
        "PII_BLIND_INDEX_KEY": SecretStr("b" * 32),
        **overrides,
    }
    return BaseServiceSettings.model_validate(values)
