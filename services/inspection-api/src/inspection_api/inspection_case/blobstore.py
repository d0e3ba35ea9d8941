"""Where evidence bytes live: local disk by default, an S3-compatible object store by configuration.

Keys are content-addressed (`evidence/<sha256>`), so writing the same photo twice is harmless and a
stored object can always be checked against the hash recorded with it.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import os
import re
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import quote, urlsplit

import httpx

from inspection_api.config import Settings

EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()
_KEY = re.compile(r"^[a-z0-9][a-z0-9/_.-]{0,199}$")


class BlobNotFoundError(Exception):
    """The store has no object under this key."""


class BlobStoreError(Exception):
    """The store could not be reached or refused the request."""


class BlobStore(Protocol):
    async def put(self, key: str, content: bytes, content_type: str) -> None: ...

    async def get(self, key: str) -> bytes: ...


def evidence_key(sha256_hex: str) -> str:
    return f"evidence/{sha256_hex[:2]}/{sha256_hex}"


def _check_key(key: str) -> str:
    if not _KEY.match(key) or ".." in key:
        raise ValueError(f"not a blob key: {key!r}")
    return key


class LocalBlobStore:
    """Files under one directory; written to a temporary file and renamed, so a reader never sees half."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / _check_key(key)

    def _write(self, key: str, content: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            Path(tmp).replace(path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _read(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError as exc:
            raise BlobNotFoundError(key) from exc

    async def put(self, key: str, content: bytes, content_type: str) -> None:
        try:
            await asyncio.to_thread(self._write, key, content)
        except OSError as exc:
            raise BlobStoreError(str(exc)) from exc

    async def get(self, key: str) -> bytes:
        try:
            return await asyncio.to_thread(self._read, key)
        except OSError as exc:
            raise BlobStoreError(str(exc)) from exc


# ------------------------------------------------------------------------------------ AWS SigV4


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def _uri_encode(value: str, *, keep_slash: bool) -> str:
    return quote(value, safe="/-_.~" if keep_slash else "-_.~")


def sigv4_authorization(
    *,
    method: str,
    url: str,
    headers: Mapping[str, str],
    payload_sha256: str,
    access_key: str,
    secret_key: str,
    region: str,
    service: str,
    amz_date: str,
) -> str:
    """The `Authorization` header of AWS Signature Version 4 over `headers` (all of them are signed;
    they must include `host` and `x-amz-date`). The path is used as given (already URI-encoded)."""
    parts = urlsplit(url)
    pairs = []
    for item in parts.query.split("&") if parts.query else []:
        name, _, value = item.partition("=")
        pairs.append((name, value))
    canonical_query = "&".join(f"{n}={v}" for n, v in sorted(pairs))
    canon_headers = {k.lower().strip(): " ".join(v.strip().split()) for k, v in headers.items()}
    signed = ";".join(sorted(canon_headers))
    canonical_request = "\n".join(
        [
            method.upper(),
            parts.path or "/",
            canonical_query,
            "".join(f"{k}:{canon_headers[k]}\n" for k in sorted(canon_headers)),
            signed,
            payload_sha256,
        ]
    )
    day = amz_date[:8]
    scope = f"{day}/{region}/{service}/aws4_request"
    string_to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical_request.encode()).hexdigest()]
    )
    key = _hmac(_hmac(_hmac(_hmac(f"AWS4{secret_key}".encode(), day), region), service), "aws4_request")
    signature = hmac.new(key, string_to_sign.encode(), hashlib.sha256).hexdigest()
    return f"AWS4-HMAC-SHA256 Credential={access_key}/{scope}, SignedHeaders={signed}, Signature={signature}"


class S3BlobStore:
    """An S3-compatible bucket (AWS, MinIO, Ceph ...), path-style URLs, SigV4-signed with httpx."""

    def __init__(
        self,
        *,
        endpoint: str,
        bucket: str,
        region: str,
        access_key: str,
        secret_key: str,
        timeout_s: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.bucket = bucket
        self.region = region
        self.access_key = access_key
        self.secret_key = secret_key
        self.timeout_s = timeout_s
        self.transport = transport

    def _url(self, key: str) -> str:
        bucket = _uri_encode(self.bucket, keep_slash=False)
        return f"{self.endpoint}/{bucket}/{_uri_encode(_check_key(key), keep_slash=True)}"

    def _signed_headers(
        self, method: str, url: str, payload_sha256: str, extra: Mapping[str, str] | None = None
    ) -> dict[str, str]:
        amz_date = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        headers = {
            "host": urlsplit(url).netloc,
            "x-amz-content-sha256": payload_sha256,
            "x-amz-date": amz_date,
            **(extra or {}),
        }
        headers["authorization"] = sigv4_authorization(
            method=method,
            url=url,
            headers=headers,
            payload_sha256=payload_sha256,
            access_key=self.access_key,
            secret_key=self.secret_key,
            region=self.region,
            service="s3",
            amz_date=amz_date,
        )
        return headers

    async def _send(self, method: str, key: str, content: bytes, extra: Mapping[str, str]) -> httpx.Response:
        url = self._url(key)
        payload = hashlib.sha256(content).hexdigest() if content else EMPTY_SHA256
        headers = self._signed_headers(method, url, payload, extra)
        try:
            async with httpx.AsyncClient(transport=self.transport, timeout=self.timeout_s) as http:
                return await http.request(method, url, content=content or None, headers=headers)
        except httpx.HTTPError as exc:
            raise BlobStoreError(f"{method} {key}: {type(exc).__name__}") from exc

    async def put(self, key: str, content: bytes, content_type: str) -> None:
        response = await self._send("PUT", key, content, {"content-type": content_type})
        if response.status_code != httpx.codes.OK:
            raise BlobStoreError(f"PUT {key}: HTTP {response.status_code}")

    async def get(self, key: str) -> bytes:
        response = await self._send("GET", key, b"", {})
        if response.status_code == httpx.codes.NOT_FOUND:
            raise BlobNotFoundError(key)
        if response.status_code != httpx.codes.OK:
            raise BlobStoreError(f"GET {key}: HTTP {response.status_code}")
        return response.content


def build_blob_store(settings: Settings) -> BlobStore:
    """The store the settings select: `local` (a directory under the data dir) or `s3`."""
    if settings.EVIDENCE_STORE == "s3":
        missing = [
            n
            for n in ("EVIDENCE_S3_ENDPOINT", "EVIDENCE_S3_BUCKET", "EVIDENCE_S3_ACCESS_KEY_ID")
            if not getattr(settings, n)
        ]
        if missing or settings.EVIDENCE_S3_SECRET_ACCESS_KEY is None:
            raise ValueError(f"the s3 evidence store needs {', '.join(missing) or 'its secret key'}")
        assert settings.EVIDENCE_S3_ENDPOINT is not None
        assert settings.EVIDENCE_S3_BUCKET is not None
        assert settings.EVIDENCE_S3_ACCESS_KEY_ID is not None
        return S3BlobStore(
            endpoint=settings.EVIDENCE_S3_ENDPOINT,
            bucket=settings.EVIDENCE_S3_BUCKET,
            region=settings.EVIDENCE_S3_REGION,
            access_key=settings.EVIDENCE_S3_ACCESS_KEY_ID,
            secret_key=settings.EVIDENCE_S3_SECRET_ACCESS_KEY.get_secret_value(),
            timeout_s=settings.UPSTREAM_TIMEOUT_S,
        )
    return LocalBlobStore(settings.DATA_DIR / settings.EVIDENCE_DIR)
