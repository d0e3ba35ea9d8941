"""Pure parts of servicekit: settings, cursors, areas, versions, log scrubbing, problems in OpenAPI."""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

import pytest
import sqlalchemy as sa
from pydantic import AwareDatetime, Field, SecretStr, TypeAdapter, ValidationError

from sample_service.app import SampleSettings, make_settings
from servicekit.areas import AreaScope
from servicekit.concurrency import check_version, etag_for, parse_if_match
from servicekit.errors import NotFound, PreconditionFailed, PreconditionRequired, error_responses
from servicekit.observability import JsonFormatter, scrub
from servicekit.pagination import InvalidCursor, decode_cursor, encode_cursor
from servicekit.principal import principal_from_claims
from servicekit.schemas import IsoDate, IsoDateTime, QueryBool, WriteModel


class TestSettings:
    def test_secrets_have_no_defaults(self) -> None:
        with pytest.raises(ValidationError) as raised:
            SampleSettings.model_validate({"OIDC_ISSUER": "http://x"})
        missing = {e["loc"][0] for e in raised.value.errors()}
        assert {"DATABASE_URL", "PII_ENCRYPTION_KEY", "PII_BLIND_INDEX_KEY"} <= missing

    def test_production_refuses_dev_placeholders(self) -> None:
        with pytest.raises(ValidationError, match="PII_ENCRYPTION_KEY"):
            make_settings(
                "postgresql+asyncpg://db/x",
                ENV="production",
                OIDC_ISSUER="https://sso.example.vn/realms/noxh",
                PII_ENCRYPTION_KEY=SecretStr("changethis"),
            )

    def test_production_refuses_the_local_dev_issuer(self) -> None:
        with pytest.raises(ValidationError, match="issuer"):
            make_settings(
                "postgresql+asyncpg://db/x", ENV="production", OIDC_ISSUER="http://127.0.0.1:8000/auth"
            )

    def test_production_accepts_real_values(self) -> None:
        settings = make_settings(
            "postgresql+asyncpg://db/x", ENV="production", OIDC_ISSUER="https://sso.example.vn/realms/noxh"
        )
        assert settings.audience == "sample-api"
        assert settings.jwks_url == "https://sso.example.vn/realms/noxh/jwks"


class TestCursors:
    def test_round_trip_of_every_supported_type(self) -> None:
        values = (
            None,
            True,
            7,
            uuid.uuid4(),
            datetime(2026, 1, 2, tzinfo=UTC),
            date(2025, 7, 1),
            Decimal("1.5"),
            "x",
        )
        keys = [f"k{i}" for i in range(len(values))]
        assert decode_cursor(keys, encode_cursor(keys, values)) == values

    def test_a_cursor_from_another_list_is_refused(self) -> None:
        cursor = encode_cursor(["widget.id"], (uuid.uuid4(),))
        with pytest.raises(InvalidCursor):
            decode_cursor(["household.id"], cursor)

    @pytest.mark.parametrize("garbage", ["", "!!!", "e30", "eyJrIjoxfQ"])
    def test_garbage_is_refused(self, garbage: str) -> None:
        with pytest.raises(InvalidCursor):
            decode_cursor(["widget.id"], garbage)

    def test_unsupported_types_are_a_programming_error(self) -> None:
        with pytest.raises(TypeError):
            encode_cursor(["k"], (object(),))


class TestAreas:
    def test_codes_are_split_by_length(self) -> None:
        scope = AreaScope.from_codes(["31", "10525", "bad", "1234"])
        assert scope.provinces == {"31"}
        assert scope.communes == {"10525"}
        assert scope.covers("31", None)
        assert scope.covers("01", "10525")
        assert not scope.covers("01", "11560")
        assert AreaScope.from_codes([]).is_empty

    def test_province_filter_ignores_communes(self) -> None:
        column = sa.column("province_code")
        assert str(AreaScope.from_codes(["10525"]).province_filter(column)) == "false"  # type: ignore[arg-type]
        rendered = AreaScope.from_codes(["31", "10525"]).province_filter(column)  # type: ignore[arg-type]
        assert rendered.compile(compile_kwargs={"literal_binds": True}).string == "province_code IN ('31')"

    def test_acting_subject_is_kept_only_for_services(self) -> None:
        claims = {"sub": "s", "roles": ["commune_officer"], "area_codes": ["10525"], "scope": "a b"}
        assert principal_from_claims(claims, acting_subject="x").acting_subject is None
        service = principal_from_claims({**claims, "roles": ["service"]}, acting_subject="x")
        assert service.acting_subject == "x"
        assert service.is_service
        assert service.scopes == {"a", "b"}


class TestVersions:
    def test_if_match_parsing(self) -> None:
        assert parse_if_match('W/"12"') == 12
        assert parse_if_match('"3"') == 3
        assert etag_for(4) == 'W/"4"'
        with pytest.raises(PreconditionRequired):
            parse_if_match(None)
        with pytest.raises(PreconditionFailed):
            parse_if_match('W/"1", W/"2"')
        with pytest.raises(PreconditionFailed):
            check_version(2, 1)
        check_version(2, 2)


class TestWriteModel:
    def test_text_is_nfc_and_unknown_fields_refused(self) -> None:
        class Body(WriteModel):
            name: str
            tags: list[str] = Field(default_factory=list)

        body = Body.model_validate({"name": " Nguyê\u0303n ", "tags": ["Thuy\u0309"]})
        assert body.name == "Nguyễn"
        assert body.tags == ["Thuỷ"]
        with pytest.raises(ValidationError):
            Body.model_validate({"name": "x", "role": "admin"})


class Kind(StrEnum):
    A = "a"


class Line(WriteModel):
    count: int


class StrictBody(WriteModel):
    active: bool
    amount: Annotated[int, Field(ge=0)]
    share: float
    on: date
    at: AwareDatetime | None = None
    ref: uuid.UUID
    kind: Kind
    type: int = 0  # a field named like a core-schema key is hardened too
    lines: list[Line] = Field(default_factory=list)


GOOD = {"active": True, "amount": 5, "share": 1, "on": "2026-11-28", "ref": str(uuid.uuid4()), "kind": "a"}


class TestStrictInput:
    """Input is strict: malformed values are refused, never guessed (docs/conventions.md, API)."""

    def test_json_strings_for_dates_uuids_enums_still_work(self) -> None:
        body = StrictBody.model_validate({**GOOD, "at": "2026-11-28T08:00:00+07:00", "lines": [{"count": 2}]})
        assert body.on == date(2026, 11, 28)
        assert body.kind is Kind.A
        assert body.share == 1.0
        assert body.at is not None
        assert body.at.utcoffset() is not None

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("active", 0),
            ("active", 1),
            ("active", "true"),
            ("amount", "5"),
            ("amount", 5.0),
            ("amount", True),
            ("share", "1.5"),
            ("on", 0),
            ("on", "1654646400"),
            ("on", "2026-11-28T00:00:00"),
            ("at", 0),
            ("at", "1654646400"),
            ("type", "1"),
            ("lines", [{"count": "2"}]),
        ],
    )
    def test_lax_values_are_refused(self, field: str, value: object) -> None:
        with pytest.raises(ValidationError) as raised:
            StrictBody.model_validate({**GOOD, field: value})
        assert raised.value.errors()[0]["loc"][0] == field

    @pytest.mark.parametrize("value", ["0", "1654646400", "2026-11-28T00:00:00", "28/11/2026", ""])
    def test_iso_date_parameter(self, value: str) -> None:
        assert TypeAdapter(IsoDate).validate_python("2026-11-28") == date(2026, 11, 28)
        with pytest.raises(ValidationError):
            TypeAdapter(IsoDate).validate_python(value)

    def test_iso_datetime_parameter(self) -> None:
        adapter = TypeAdapter(IsoDateTime)
        assert adapter.validate_python("2026-11-28T08:00:00+07:00").year == 2026
        for value in ("0", "1654646400", "2026-11-28"):
            with pytest.raises(ValidationError):
                adapter.validate_python(value)

    def test_query_bool_is_true_or_false_only(self) -> None:
        adapter = TypeAdapter(QueryBool)
        assert adapter.validate_python("true") is True
        assert adapter.validate_python("false") is False
        for value in ("1", "0", "yes", "on", "True", ""):
            with pytest.raises(ValidationError):
                adapter.validate_python(value)


class TestLogs:
    def test_personal_numbers_are_scrubbed(self) -> None:
        assert scrub("cccd 001234567890 phone 0912345678 +84912345678 year 2026") == (
            "cccd [redacted] phone [redacted] [redacted] year 2026"
        )

    def test_ids_are_not_mistaken_for_personal_numbers(self) -> None:
        job_id = "0190f5a2-7c1e-7b3a-9f00-123456789012"
        assert scrub(f"job {job_id} done") == f"job {job_id} done"

    def test_json_lines(self) -> None:
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "id %s", ("001234567890",), None)
        line = json.loads(JsonFormatter("sample-api").format(record))
        assert line["msg"] == "id [redacted]"
        assert line["service"] == "sample-api"


class TestOpenApiErrors:
    def test_error_responses_document_problem_json(self) -> None:
        class WidgetMissing(NotFound):
            code = "widget_missing"
            title = "No such widget"

        responses = error_responses(NotFound, WidgetMissing)
        assert set(responses) == {401, 403, 404, 422}
        examples = responses[404]["content"]["application/problem+json"]["examples"]
        assert set(examples) == {"not_found", "widget_missing"}
        assert examples["widget_missing"]["value"]["type"].endswith("/problems/widget-missing")
        assert responses[404]["description"] == "Not found; No such widget"
