"""The Keycloak realm (deploy/keycloak/noxh-realm.json) against what the platform relies on: the dev
issuer's roles, clients and claims (development and production must issue the same tokens), the
lifetimes of decision 6, and no secret in the file."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import jwt
import pytest
from deploy_helpers import DEPLOY, SERVICES

from dev_issuer.directory import PARTNER_SCOPES, PEOPLE_ROLES
from dev_issuer.keys import KeyStore
from dev_issuer.seed import ACCOUNTS, CLIENTS, PEOPLE_SCOPES, Role
from dev_issuer.settings import MAX_ACCESS_TTL_MACHINE_S, MAX_ACCESS_TTL_PEOPLE_S, IssuerSettings
from dev_issuer.tokens import Minter
from servicekit.principal import Role as ServiceRole

REALM_FILE = DEPLOY / "keycloak" / "noxh-realm.json"
# Claims the services read (servicekit.tokens and servicekit.principal).
REQUIRED_CLAIMS = {
    "iss",
    "sub",
    "aud",
    "exp",
    "iat",
    "azp",
    "roles",
    "scope",
    "area_codes",
    "name",
    "preferred_username",
}
# What Keycloak puts in every access token by itself, whatever the client scopes.
KEYCLOAK_BUILT_IN = {"iss", "exp", "iat", "jti", "typ", "azp", "scope"}
# The protocol mappers of Keycloak 26 this realm uses, and the claim each one fills.
MAPPER_TYPES = {
    "oidc-sub-mapper",
    "oidc-usersessionmodel-note-mapper",
    "oidc-full-name-mapper",
    "oidc-usermodel-attribute-mapper",
    "oidc-usermodel-realm-role-mapper",
    "oidc-audience-mapper",
}
API_SCOPES = {scope for client in CLIENTS.values() for scope in client.scopes}


@pytest.fixture(scope="module")
def realm() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(REALM_FILE.read_text(encoding="utf-8"))
    return data


def _clients(realm: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["clientId"]: c for c in realm["clients"]}


def _scopes(realm: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["name"]: s for s in realm["clientScopes"]}


def _access_token_claims(realm: dict[str, Any], client: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Claim -> the mapper that puts it into this client's access tokens."""
    scopes = _scopes(realm)
    claims: dict[str, dict[str, Any]] = {}
    for scope_name in client["defaultClientScopes"]:
        for mapper in scopes[scope_name]["protocolMappers"]:
            config = mapper["config"]
            if config.get("access.token.claim") != "true":
                continue
            kind = mapper["protocolMapper"]
            claim = {
                "oidc-sub-mapper": "sub",
                "oidc-full-name-mapper": "name",
                "oidc-audience-mapper": "aud",
            }.get(kind, config.get("claim.name"))
            assert claim, mapper
            claims.setdefault(claim, mapper)
    return claims


def _audiences(realm: dict[str, Any], client: dict[str, Any]) -> set[str]:
    mappers = [
        m
        for name in client["defaultClientScopes"]
        for m in _scopes(realm)[name]["protocolMappers"]
        if m["protocolMapper"] == "oidc-audience-mapper"
    ]
    return {m["config"]["included.custom.audience"] for m in mappers}


def _in_token_scope(realm: dict[str, Any], client: dict[str, Any]) -> set[str]:
    scopes = _scopes(realm)
    return {
        name
        for name in client["defaultClientScopes"]
        if scopes[name]["attributes"]["include.in.token.scope"] == "true"
    }


def _service_account(realm: dict[str, Any], client_id: str) -> dict[str, Any]:
    (user,) = [u for u in realm["users"] if u.get("serviceAccountClientId") == client_id]
    return user


def _user_profile(realm: dict[str, Any]) -> dict[str, Any]:
    (provider,) = realm["components"]["org.keycloak.userprofile.UserProfileProvider"]
    assert provider["providerId"] == "declarative-user-profile"
    (config,) = provider["config"]["kc.user.profile.config"]
    profile: dict[str, Any] = json.loads(config)
    return profile


@pytest.fixture(scope="module")
def dev_issuer_claims(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """The claims the dev issuer puts into a person's and a machine's access token."""
    data_dir: Path = tmp_path_factory.mktemp("dev-issuer")
    settings = IssuerSettings(
        ENV="test", ISSUER_URL="http://127.0.0.1:8000/auth", DATA_DIR=data_dir, SEED_SECRET="x" * 32
    )
    minter = Minter(settings, KeyStore(data_dir / "keys", retention_s=3600), time.time)
    person, _ = minter.person_access_token(ACCOUNTS["thanhtra"], client_id="noxh-spa", scope="openid profile")
    machine, _ = minter.machine_access_token(
        CLIENTS["vbsp-loan-system"], scope="loans:events:write", audience="funding-api"
    )

    def keys(token: str) -> set[str]:
        return set(jwt.decode(token, options={"verify_signature": False}))

    return {"person": keys(person), "machine": keys(machine)}


def test_the_file_is_a_realm_named_noxh(realm: dict[str, Any]) -> None:
    assert realm["realm"] == "noxh"
    assert realm["enabled"] is True
    assert realm["sslRequired"] == "external"
    assert realm["registrationAllowed"] is False
    assert realm["bruteForceProtected"] is True
    assert realm["defaultSignatureAlgorithm"] in {"RS256", "ES256"}  # servicekit's allow-list
    assert realm["revokeRefreshToken"] is True  # refresh tokens rotate, as the dev issuer's do
    for name in realm["defaultDefaultClientScopes"]:
        assert name in _scopes(realm)


def test_realm_roles_are_the_platforms_roles(realm: dict[str, Any]) -> None:
    roles = {r["name"] for r in realm["roles"]["realm"]}
    assert roles == {r.value for r in ServiceRole} == {r.value for r in Role}
    assert len(roles) == 9


def test_there_is_no_secret_in_the_file(realm: dict[str, Any]) -> None:
    text = REALM_FILE.read_text(encoding="utf-8")
    for client in realm["clients"]:
        # The operator has Keycloak generate each confidential client's secret after the import and
        # stores it in a Kubernetes Secret (docs/operations.md, section 4).
        assert "secret" not in client, client["clientId"]
    for user in realm["users"]:
        assert "credentials" not in user
    assert "**********" not in text
    assert "privateKey" not in text
    assert "BEGIN" not in text
    # Keycloak substitutes ${VAR} from the environment when it imports the file; only this one is used
    # (and nothing that looks like a message-bundle key, which would be taken for a variable).
    assert set(re.findall(r"\$\{([^}]*)\}", text)) == {"NOXH_PUBLIC_URL"}


def test_the_clients_are_the_dev_issuers(realm: dict[str, Any]) -> None:
    clients = _clients(realm)
    assert set(clients) == set(CLIENTS)
    assert {"registry-api", "funding-api", "inspection-api"} <= set(clients)
    for client_id, client in clients.items():
        assert client["publicClient"] is CLIENTS[client_id].public
        assert client["protocol"] == "openid-connect"
        assert client["implicitFlowEnabled"] is False
        assert client["directAccessGrantsEnabled"] is False
        for scope_name in client["defaultClientScopes"] + client["optionalClientScopes"]:
            assert scope_name in _scopes(realm), (client_id, scope_name)


def test_people_sign_in_with_authorization_code_and_pkce(realm: dict[str, Any]) -> None:
    for client_id in ("noxh-spa", "noxh-inspector-app"):
        client = _clients(realm)[client_id]
        assert client["publicClient"] is True
        assert client["standardFlowEnabled"] is True
        assert client["serviceAccountsEnabled"] is False
        assert client["attributes"]["pkce.code.challenge.method"] == "S256"
        assert client["redirectUris"] == ["${NOXH_PUBLIC_URL}/*"]
        assert client["attributes"]["post.logout.redirect.uris"] == "${NOXH_PUBLIC_URL}/*"
        assert int(client["attributes"]["access.token.lifespan"]) <= MAX_ACCESS_TTL_PEOPLE_S
        # A person's token names all three services (the SPA calls each of them).
        assert _audiences(realm, client) == set(SERVICES)
        # `scope` carries what was asked for: openid (always, from Keycloak) and profile.
        assert _in_token_scope(realm, client) | {"openid"} == set(PEOPLE_SCOPES)


def test_machines_use_client_credentials_only_with_short_tokens(realm: dict[str, Any]) -> None:
    for client_id, client in _clients(realm).items():
        if client["publicClient"]:
            continue
        assert client["serviceAccountsEnabled"] is True, client_id
        assert client["standardFlowEnabled"] is False, client_id
        assert client["clientAuthenticatorType"] == "client-secret", client_id
        assert client["redirectUris"] == [], client_id
        assert client["webOrigins"] == [], client_id
        assert int(client["attributes"]["access.token.lifespan"]) == MAX_ACCESS_TTL_MACHINE_S == 300
        assert client["attributes"]["client_credentials.use_refresh_token"] == "false"


def test_lifetimes_are_decision_6s(realm: dict[str, Any]) -> None:
    assert realm["accessTokenLifespan"] == MAX_ACCESS_TTL_PEOPLE_S == 900
    assert realm["accessTokenLifespanForImplicitFlow"] <= 900
    assert realm["ssoSessionMaxLifespan"] <= 12 * 3600


def test_machine_clients_get_the_dev_issuers_roles_areas_and_scopes(realm: dict[str, Any]) -> None:
    clients = _clients(realm)
    for client_id, seeded in CLIENTS.items():
        if seeded.public:
            continue
        client = clients[client_id]
        account = _service_account(realm, client_id)
        assert account["username"] == f"service-account-{client_id}"
        assert account["enabled"] is True
        assert set(account["realmRoles"]) == set(seeded.roles)
        assert account["attributes"]["area_codes"] == list(seeded.area_codes)
        assert account["firstName"] == client["name"] == seeded.name.replace("—", "-")
        granted = {s for s in client["defaultClientScopes"] if s in API_SCOPES}
        assert granted == set(seeded.scopes), client_id
        # Only the API scopes appear in the token's `scope`, as with the dev issuer.
        assert _in_token_scope(realm, client) == set(seeded.scopes), client_id
        audiences = _audiences(realm, client)
        assert audiences <= set(seeded.audiences), client_id
        if client_id in SERVICES:
            # Least privilege: a service's token names only the services it calls, which are also the
            # ones its NetworkPolicy lets it reach (test_networkpolicies.py).
            assert audiences == SERVICES[client_id].calls, client_id
        else:
            assert audiences == set(seeded.audiences), client_id


def test_access_tokens_carry_every_claim_the_services_read(
    realm: dict[str, Any], dev_issuer_claims: dict[str, set[str]]
) -> None:
    # The dev issuer emits exactly these (plus nbf), so the two issuers stay interchangeable.
    for kind, claims in dev_issuer_claims.items():
        assert claims >= REQUIRED_CLAIMS, kind
        # quota_per_minute: machine clients with a quota (Keycloak: a hard-coded claim mapper per client).
        extra = {"jti", "typ", "nbf"} | ({"quota_per_minute"} if kind == "machine" else set())
        assert claims - REQUIRED_CLAIMS <= extra, f"{kind}: the dev issuer emits new claims"
    for client_id, client in _clients(realm).items():
        mapped = _access_token_claims(realm, client)
        missing = REQUIRED_CLAIMS - KEYCLOAK_BUILT_IN - set(mapped)
        assert not missing, f"{client_id}'s access tokens would lack {missing}"
        for claim in ("roles", "area_codes"):
            config = mapped[claim]["config"]
            # Lists, as the dev issuer emits them, even with one value (`roles`, not realm_access.roles).
            assert config["multivalued"] == "true", claim
            assert config["jsonType.label"] == "String", claim
        assert mapped["roles"]["protocolMapper"] == "oidc-usermodel-realm-role-mapper"
        assert mapped["roles"]["config"]["usermodel.realmRoleMapping.rolePrefix"] == ""
        assert mapped["area_codes"]["protocolMapper"] == "oidc-usermodel-attribute-mapper"
        assert mapped["area_codes"]["config"]["user.attribute"] == "area_codes"
        assert mapped["preferred_username"]["config"]["user.attribute"] == "username"
        assert "realm_access" not in json.dumps(client)
    for scope in realm["clientScopes"]:
        for mapper in scope["protocolMappers"]:
            assert mapper["protocolMapper"] in MAPPER_TYPES, mapper


def test_area_codes_is_a_multivalued_attribute_only_administrators_set(realm: dict[str, Any]) -> None:
    profile = _user_profile(realm)
    attributes = {a["name"]: a for a in profile["attributes"]}
    assert {"username", "email", "firstName", "lastName", "area_codes"} <= set(attributes)
    area_codes = attributes["area_codes"]
    assert area_codes["multivalued"] is True
    # A person must never widen their own area: only administrators edit it.
    assert area_codes["permissions"]["edit"] == ["admin"]
    assert "unmanagedAttributePolicy" not in profile
    pattern = re.compile(area_codes["validations"]["pattern"]["pattern"])
    for good in ("31", "10525", "11560"):
        assert pattern.fullmatch(good)
    for bad in ("3", "123", "123456", "ab", "31 "):
        assert not pattern.fullmatch(bad)
    for account in realm["users"]:
        assert all(pattern.fullmatch(code) for code in account["attributes"]["area_codes"])


def test_partner_scopes_an_administrator_grants_exist_in_the_realm(realm: dict[str, Any]) -> None:
    """The scopes the dev issuer's administrators grant partner clients are client scopes in Keycloak
    (assigned per partner client there), carried in the token's `scope`."""
    scopes = {s["name"]: s for s in realm["clientScopes"]}
    for name in PARTNER_SCOPES:
        assert scopes[name]["protocol"] == "openid-connect"
        assert scopes[name]["attributes"]["include.in.token.scope"] == "true"


def test_partner_clients_carry_their_quota_in_the_token(realm: dict[str, Any]) -> None:
    """The services count a partner's requests against the `quota_per_minute` claim (servicekit.quota):
    the dev issuer puts the client's quota into its tokens, Keycloak a hard-coded claim mapper on the
    client (its value set per partner client by the administrator; an integer, in access tokens)."""
    clients = _clients(realm)
    for client_id, seeded in CLIENTS.items():
        mappers = [
            m
            for m in clients[client_id].get("protocolMappers", [])
            if m["config"].get("claim.name") == "quota_per_minute"
        ]
        if seeded.quota_per_minute is None:
            assert not mappers, client_id
            continue
        (mapper,) = mappers
        assert mapper["protocolMapper"] == "oidc-hardcoded-claim-mapper"
        config = mapper["config"]
        assert int(config["claim.value"]) == seeded.quota_per_minute, client_id
        assert config["jsonType.label"] == "int"
        assert config["access.token.claim"] == "true"


def test_the_dev_issuer_puts_a_partners_quota_into_its_tokens(tmp_path: Path) -> None:
    settings = IssuerSettings(
        ENV="test", ISSUER_URL="http://127.0.0.1:8000/auth", DATA_DIR=tmp_path, SEED_SECRET="x" * 32
    )
    minter = Minter(settings, KeyStore(tmp_path / "keys", retention_s=3600), time.time)
    token, _ = minter.machine_access_token(CLIENTS["partner-demo"], scope="", audience="registry-api")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["quota_per_minute"] == CLIENTS["partner-demo"].quota_per_minute
    assert set(claims) - REQUIRED_CLAIMS == {"jti", "typ", "nbf", "quota_per_minute"}


def test_every_role_an_administrator_may_give_is_a_realm_role(realm: dict[str, Any]) -> None:
    """Account administration gives people these roles; in Keycloak they are realm roles (the
    `roles` mapper). Area codes are the `area_codes` attribute (tests above); disabling is the
    user's `enabled`."""
    roles = {r["name"] for r in realm["roles"]["realm"]}
    assert {str(r) for r in PEOPLE_ROLES} <= roles
