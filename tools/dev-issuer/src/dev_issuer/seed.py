"""The seeded demo accounts and clients, and how confidential clients' secrets are derived."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from urllib.parse import urlsplit

SUBJECT_NAMESPACE = uuid.UUID("5b0f8a52-3c57-4f0e-9d55-6d1c2b7e4a10")


class Role(StrEnum):
    PROVINCE_OFFICER = "province_officer"
    COMMUNE_OFFICER = "commune_officer"
    FINANCE_OFFICER = "finance_officer"
    INSPECTOR = "inspector"
    BANK_INTEGRATION = "bank_integration"
    PARTNER = "partner"
    AUDITOR = "auditor"
    ADMINISTRATOR = "administrator"
    SERVICE = "service"


SERVICES = ("registry-api", "funding-api", "inspection-api")
# The audience of the issuer's own admin API.
ISSUER_AUDIENCE = "dev-issuer"
PEOPLE_SCOPES = ("openid", "profile")
PROVINCE = "31"  # Hải Phòng (Hải Dương merged into it on 1/7/2025)


def client_secret(seed_secret: str, client_id: str) -> str:
    """A confidential client's secret: derived from the seed, never stored."""
    digest = hmac.new(seed_secret.encode(), client_id.encode(), hashlib.sha256).hexdigest()
    return digest[:40]


@dataclass(frozen=True, slots=True)
class Account:
    username: str
    name: str
    roles: tuple[str, ...]
    area_codes: tuple[str, ...]

    @property
    def subject(self) -> str:
        return str(uuid.uuid5(SUBJECT_NAMESPACE, "account:" + self.username))

    @property
    def audiences(self) -> tuple[str, ...]:
        """What a person's token may be narrowed to; administrators may also call the issuer."""
        if Role.ADMINISTRATOR in self.roles:
            return (*SERVICES, ISSUER_AUDIENCE)
        return SERVICES


@dataclass(frozen=True, slots=True)
class Client:
    client_id: str
    name: str
    public: bool
    redirect_uris: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    area_codes: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    # Partner clients: requests per minute each service admits (the `quota_per_minute` claim).
    quota_per_minute: int | None = None

    @property
    def subject(self) -> str:
        return str(uuid.uuid5(SUBJECT_NAMESPACE, "client:" + self.client_id))

    @property
    def grant_types(self) -> frozenset[str]:
        if self.public:
            return frozenset({"authorization_code", "refresh_token"})
        return frozenset({"client_credentials"})

    def allows_redirect(self, redirect_uri: str) -> bool:
        """Exact match, or a registered `prefix*` pattern; never a fragment or credentials in the URL."""
        parts = urlsplit(redirect_uri)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.fragment or "@" in parts.netloc:
            return False
        for registered in self.redirect_uris:
            if registered.endswith("*"):
                prefix = registered[:-1]
                # The prefix ends in "/" after the host, so it pins scheme, host and port.
                if prefix.endswith("/") and redirect_uri.startswith(prefix):
                    return True
            elif redirect_uri == registered:
                return True
        return False


def _accounts() -> dict[str, Account]:
    accounts = [
        Account("so.xaydung", "Nguyễn Văn An — Sở Xây dựng", (Role.PROVINCE_OFFICER,), (PROVINCE,)),
        Account("xa.haiduong", "Trần Thị Bình — UBND phường Hải Dương", (Role.COMMUNE_OFFICER,), ("10525",)),
        Account(
            "xa.thuynguyen", "Lê Văn Cường — UBND phường Thuỷ Nguyên", (Role.COMMUNE_OFFICER,), ("11560",)
        ),
        Account("taichinh", "Phạm Thị Dung — Sở Tài chính", (Role.FINANCE_OFFICER,), (PROVINCE,)),
        Account("thanhtra", "Hoàng Văn Em — Thanh tra thành phố", (Role.INSPECTOR,), (PROVINCE,)),
        Account("kiemtoan", "Vũ Thị Giang — Kiểm toán", (Role.AUDITOR,), (PROVINCE,)),
        Account("quantri", "Đỗ Văn Hùng — Quản trị hệ thống", (Role.ADMINISTRATOR,), (PROVINCE,)),
    ]
    return {a.username: a for a in accounts}


def _clients() -> dict[str, Client]:
    browser_redirects = (
        "http://127.0.0.1:8000/*",
        "http://localhost:8000/*",
        "http://127.0.0.1:5173/*",
        "http://localhost:5173/*",
    )
    clients = [
        Client("noxh-spa", "NOXH — ứng dụng cán bộ", public=True, redirect_uris=browser_redirects),
        Client(
            "noxh-inspector-app", "NOXH — ứng dụng kiểm tra", public=True, redirect_uris=browser_redirects
        ),
        Client(
            "vbsp-loan-system",
            "Ngân hàng Chính sách xã hội — hệ thống cho vay",
            public=False,
            roles=(Role.BANK_INTEGRATION,),
            scopes=("loans:events:write", "eligibility:request"),
            area_codes=(PROVINCE,),
            audiences=("funding-api", "registry-api"),
            # The bank pushes loan events in bursts (a day's batch); the quota bounds a runaway sender.
            quota_per_minute=6000,
        ),
        Client(
            "partner-demo",
            "Đối tác thử nghiệm",
            public=False,
            roles=(Role.PARTNER,),
            # Every scope an administrator may grant a partner (directory.PARTNER_SCOPES).
            scopes=(
                "registry:projects:read",
                "registry:targets:read",
                "registry:statistics:read",
                "registry:events:read",
                "funding:statistics:read",
                "funding:events:read",
                "inspection:events:read",
            ),
            area_codes=(PROVINCE,),
            audiences=SERVICES,
            quota_per_minute=600,
        ),
    ]
    clients += [
        Client(
            service,
            f"NOXH {service}",
            public=False,
            roles=(Role.SERVICE,),
            area_codes=(PROVINCE,),
            audiences=tuple(s for s in SERVICES if s != service),
        )
        for service in SERVICES
    ]
    return {c.client_id: c for c in clients}


def browser_origins(clients: Iterable[Client]) -> list[str]:
    """The origins the public clients' redirect URIs live at: the pages that call the token endpoint."""
    origins = set()
    for client in clients:
        for uri in client.redirect_uris if client.public else ():
            parts = urlsplit(uri.rstrip("*"))
            origins.add(f"{parts.scheme}://{parts.netloc}")
    return sorted(origins)


ACCOUNTS: Mapping[str, Account] = MappingProxyType(_accounts())
CLIENTS: Mapping[str, Client] = MappingProxyType(_clients())
