"""The evidence stores: SigV4 against AWS's published examples, S3 through httpx.MockTransport, local
disk in tmp_path, and the selection by configuration."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from inspection_api.config import Settings
from inspection_api.inspection_case.blobstore import (
    EMPTY_SHA256,
    BlobNotFoundError,
    BlobStoreError,
    LocalBlobStore,
    S3BlobStore,
    build_blob_store,
    evidence_key,
    sigv4_authorization,
)


def test_sigv4_matches_the_aws_test_suite_get_vanilla() -> None:
    # aws-sig-v4-test-suite "get-vanilla".
    authorization = sigv4_authorization(
        method="GET",
        url="https://example.amazonaws.com/",
        headers={"Host": "example.amazonaws.com", "X-Amz-Date": "20150830T123600Z"},
        payload_sha256=EMPTY_SHA256,
        access_key="AKIDEXAMPLE",
        secret_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        region="us-east-1",
        service="service",
        amz_date="20150830T123600Z",
    )
    assert authorization == (
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        "SignedHeaders=host;x-amz-date, "
        "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    )


def test_sigv4_sorts_the_query_as_the_test_suite_does() -> None:
    # "get-vanilla-query-order-key-case".
    authorization = sigv4_authorization(
        method="GET",
        url="https://example.amazonaws.com/?Param2=value2&Param1=value1",
        headers={"host": "example.amazonaws.com", "x-amz-date": "20150830T123600Z"},
        payload_sha256=EMPTY_SHA256,
        access_key="AKIDEXAMPLE",
        secret_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        region="us-east-1",
        service="service",
        amz_date="20150830T123600Z",
    )
    assert authorization.endswith(
        "Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
    )


def test_sigv4_matches_the_s3_get_object_example() -> None:
    # The "GET Object" example of the S3 SigV4 documentation (header-based authentication).
    authorization = sigv4_authorization(
        method="GET",
        url="https://examplebucket.s3.amazonaws.com/test.txt",
        headers={
            "host": "examplebucket.s3.amazonaws.com",
            "range": "bytes=0-9",
            "x-amz-content-sha256": EMPTY_SHA256,
            "x-amz-date": "20130524T000000Z",
        },
        payload_sha256=EMPTY_SHA256,
        access_key="AKIAIOSFODNN7EXAMPLE",
        secret_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        region="us-east-1",
        service="s3",
        amz_date="20130524T000000Z",
    )
    assert authorization == (
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
        "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
        "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
    )


class FakeS3:
    """A bucket at the HTTP boundary; checks each request's signature by recomputing it."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}
        self.requests: list[httpx.Request] = []
        self.fail_with: int | None = None

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        signed = {k: request.headers[k] for k in ("host", "x-amz-content-sha256", "x-amz-date")}
        if "content-type" in request.headers and request.method == "PUT":
            signed["content-type"] = request.headers["content-type"]
        expected = sigv4_authorization(
            method=request.method,
            url=str(request.url),
            headers=signed,
            payload_sha256=request.headers["x-amz-content-sha256"],
            access_key="minio",
            secret_key="minio-secret",
            region="vn-north-1",
            service="s3",
            amz_date=request.headers["x-amz-date"],
        )
        if request.headers["authorization"] != expected:
            return httpx.Response(403, text="SignatureDoesNotMatch")
        if self.fail_with:
            return httpx.Response(self.fail_with)
        if request.method == "PUT":
            body = request.content
            if hashlib.sha256(body).hexdigest() != request.headers["x-amz-content-sha256"]:
                return httpx.Response(400, text="XAmzContentSHA256Mismatch")
            self.objects[request.url.path] = body
            return httpx.Response(200)
        if request.url.path in self.objects:
            return httpx.Response(200, content=self.objects[request.url.path])
        return httpx.Response(404, text="NoSuchKey")


def s3(fake: FakeS3) -> S3BlobStore:
    return S3BlobStore(
        endpoint="http://objects.test:9000/",
        bucket="noxh-evidence",
        region="vn-north-1",
        access_key="minio",
        secret_key="minio-secret",
        transport=httpx.MockTransport(fake.handler),
    )


async def test_s3_put_and_get_are_signed_path_style_requests() -> None:
    fake = FakeS3()
    store = s3(fake)
    content = b"\xff\xd8\xff\xe0photo"
    key = evidence_key(hashlib.sha256(content).hexdigest())
    await store.put(key, content, "image/jpeg")
    assert await store.get(key) == content
    put, get = fake.requests
    assert (put.method, put.url.path) == ("PUT", f"/noxh-evidence/{key}")
    assert put.headers["x-amz-content-sha256"] == hashlib.sha256(content).hexdigest()
    assert put.headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=minio/")
    assert "/vn-north-1/s3/aws4_request" in put.headers["authorization"]
    assert get.headers["x-amz-content-sha256"] == EMPTY_SHA256


async def test_s3_errors_are_told_apart() -> None:
    fake = FakeS3()
    store = s3(fake)
    with pytest.raises(BlobNotFoundError):
        await store.get("evidence/aa/missing")
    fake.fail_with = 503
    with pytest.raises(BlobStoreError):
        await store.put("evidence/aa/x", b"x", "image/png")

    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    unreachable = S3BlobStore(
        endpoint="http://objects.test",
        bucket="b",
        region="us-east-1",
        access_key="k",
        secret_key="s",
        transport=httpx.MockTransport(down),
    )
    with pytest.raises(BlobStoreError):
        await unreachable.get("evidence/aa/x")


def file_names(root: Path) -> list[str]:
    return [p.name for p in root.rglob("*") if p.is_file()]


async def test_local_store_round_trip_and_refused_keys(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path)
    await store.put("evidence/ab/abc", b"bytes", "image/png")
    assert await store.get("evidence/ab/abc") == b"bytes"
    assert file_names(tmp_path) == ["abc"]
    with pytest.raises(BlobNotFoundError):
        await store.get("evidence/ab/none")
    for bad in ("../etc/passwd", "/abs", "evidence/../../x", "Evidence/UPPER"):
        with pytest.raises(ValueError, match="not a blob key"):
            await store.put(bad, b"x", "image/png")


def settings(**overrides: object) -> Settings:
    values: dict[str, object] = {
        "ENV": "test",
        "DATABASE_URL": SecretStr("postgresql+asyncpg://x@localhost/x"),
        "OIDC_ISSUER": "http://issuer.test",
        "PII_ENCRYPTION_KEY": SecretStr("k" * 44),
        "PII_BLIND_INDEX_KEY": SecretStr("b" * 44),
    }
    return Settings.model_validate(values | overrides)


def test_the_store_is_chosen_by_configuration(tmp_path: Path) -> None:
    local = build_blob_store(settings(DATA_DIR=tmp_path, EVIDENCE_DIR="photos"))
    assert isinstance(local, LocalBlobStore)
    assert local.root == tmp_path / "photos"
    remote = build_blob_store(
        settings(
            EVIDENCE_STORE="s3",
            EVIDENCE_S3_ENDPOINT="https://s3.example.vn",
            EVIDENCE_S3_BUCKET="evidence",
            EVIDENCE_S3_ACCESS_KEY_ID="id",
            EVIDENCE_S3_SECRET_ACCESS_KEY=SecretStr("secret"),
        )
    )
    assert isinstance(remote, S3BlobStore)
    assert (remote.endpoint, remote.bucket, remote.region) == (
        "https://s3.example.vn",
        "evidence",
        "us-east-1",
    )
    with pytest.raises(ValueError, match="s3 evidence store needs"):
        build_blob_store(settings(EVIDENCE_STORE="s3", EVIDENCE_S3_BUCKET="evidence"))
