"""Command line: `python -m dev_issuer.cli token --role inspector [--audience registry-api]`, and more.

Works without the server: it reads the same settings (DEV_ISSUER_*) and DATA_DIR as the server.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping, Sequence

from pydantic import ValidationError

from dev_issuer.directory import AREA_CODE_RE
from dev_issuer.grants import Issuer
from dev_issuer.seed import ACCOUNTS, CLIENTS, PEOPLE_SCOPES, SERVICES, Account, Client, Role, client_secret
from dev_issuer.settings import IssuerSettings

PEOPLE_CLIENT_ID = "noxh-spa"
# Who the audit log names for changes made from the command line.
CLI_ACTOR = "cli:" + (os.environ.get("USER") or "operator")


def _move_areas(issuer: Issuer, old: str, new: str, *, dry_run: bool) -> str:
    codes = [c.strip() for c in old.split(",") if c.strip()]
    bad = [c for c in [*codes, new] if not AREA_CODE_RE.match(c)]
    if not codes or bad:
        raise MintError(f"area codes are 2 or 5 digits: {', '.join(bad) or '(none given)'}")
    if new in codes:
        raise MintError("--to must not be one of the --from codes")
    changes = issuer.directory.move_areas(CLI_ACTOR, old=codes, new=new, dry_run=dry_run)
    lines = [f"{c['username']}: {','.join(c['from'])} -> {','.join(c['to'])}" for c in changes]
    verb = "would move" if dry_run else "moved"
    lines.append(f"{verb} {len(changes)} account(s) from {','.join(codes)} to {new}")
    return "\n".join(lines)


class MintError(ValueError):
    pass


def _holder(
    role: str, audience: str | None, principal: str | None, accounts: Mapping[str, Account]
) -> Account | Client:
    """The seeded account, or else the confidential client, that holds `role` (and may reach `audience`)."""
    if role not in set(Role):
        raise MintError(f"unknown role {role!r}; roles: {', '.join(Role)}")
    if principal is not None:
        holder = accounts.get(principal) or CLIENTS.get(principal)
        if holder is None or role not in holder.roles:
            raise MintError(f"{principal!r} is no seeded account or client holding the role {role}")
        return holder
    for account in accounts.values():
        if role in account.roles:
            return account
    clients = [c for c in CLIENTS.values() if role in c.roles]
    for client in clients:
        if audience is None or audience in client.audiences:
            return client
    if clients:
        raise MintError(f"no client with the role {role} may request the audience {audience!r}")
    raise MintError(f"nobody holds the role {role}")


def mint_token(
    settings: IssuerSettings, role: str, audience: str | None = None, *, principal: str | None = None
) -> str:
    """An access token for the seeded account (or client) holding `role`, signed with the current key.

    People get the three services as audience (or the one asked for); clients get the audience asked
    for, or all they may reach. `principal` picks a particular username or client id. A disabled
    account or client gets no token (MintError), as on the token endpoint.
    """
    issuer = Issuer(settings)
    administered = {a.username: a for a in issuer.directory.accounts()}
    # The seeded accounts first (as seeded), so `--role` keeps naming the same demo person.
    order = [u for u in ACCOUNTS if u in administered] + [u for u in administered if u not in ACCOUNTS]
    accounts = {u: administered[u] for u in order}
    holder = _holder(role, audience, principal, accounts)
    if isinstance(holder, Account):
        if not issuer.state.account_enabled(holder.username):
            raise MintError(f"the account {holder.username} is disabled")
        if audience is not None and audience not in holder.audiences:
            raise MintError(f"{holder.username} may not get a token for {audience!r}")
        token, _ = issuer.minter.person_access_token(
            holder,
            client_id=PEOPLE_CLIENT_ID,
            scope=" ".join(PEOPLE_SCOPES),
            audience=audience or SERVICES,
        )
        return token
    if not issuer.state.client_enabled(holder.client_id):
        raise MintError(f"the client {holder.client_id} is disabled")
    if audience is not None and audience not in holder.audiences:
        raise MintError(f"{holder.client_id} may not get a token for {audience!r}")
    token, _ = issuer.minter.machine_access_token(
        holder, scope=" ".join(holder.scopes), audience=audience or holder.audiences
    )
    return token


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dev_issuer.cli", description="The NOXH dev issuer.")
    commands = parser.add_subparsers(dest="command", required=True)
    token = commands.add_parser("token", help="print an access token for a seeded account or client")
    token.add_argument("--role", required=True, choices=[str(r) for r in Role])
    token.add_argument("--audience", help="one service (default: all the holder may reach)")
    token.add_argument("--as", dest="principal", help="a particular username or client id")
    commands.add_parser("rotate-keys", help="create a new signing key; the old one stays published")
    for name in ("disable-client", "enable-client"):
        commands.add_parser(name).add_argument("client_id", choices=sorted(CLIENTS))
    for name in ("disable-account", "enable-account"):
        commands.add_parser(name).add_argument("username")
    move = commands.add_parser(
        "move-areas", help="communes merged: move accounts' area codes from the old codes to the new one"
    )
    move.add_argument("--from", dest="old", required=True, help="old codes, comma-separated (10526,10527)")
    move.add_argument("--to", dest="new", required=True, help="the code they merged into (10525)")
    move.add_argument("--dry-run", action="store_true", help="show what would change; change nothing")
    secret = commands.add_parser("client-secret", help="print a confidential client's derived secret")
    secret.add_argument("client_id", choices=sorted(c.client_id for c in CLIENTS.values() if not c.public))
    return parser


def run(argv: Sequence[str] | None = None) -> str:
    """Run one command; returns what to print."""
    args = _parser().parse_args(argv)
    settings = IssuerSettings()
    if args.command == "token":
        return mint_token(settings, args.role, args.audience, principal=args.principal)
    if args.command == "client-secret":
        return client_secret(settings.SEED_SECRET.get_secret_value(), args.client_id)
    issuer = Issuer(settings)
    if args.command == "rotate-keys":
        kid = issuer.keys.rotate().kid
        issuer.directory.audit(CLI_ACTOR, "signing_key.rotated", "signing_key", kid, {})
        return f"new signing key {kid}"
    if args.command in ("disable-client", "enable-client"):
        enabled = args.command == "enable-client"
        issuer.state.set_client_enabled(args.client_id, enabled=enabled)
        return f"client {args.client_id} {'enabled' if enabled else 'disabled'}"
    if args.command == "move-areas":
        return _move_areas(issuer, args.old, args.new, dry_run=args.dry_run)
    enabled = args.command == "enable-account"
    if issuer.directory.account(args.username) is None:
        raise MintError(f"no account {args.username!r}")
    issuer.directory.touch_account(
        CLI_ACTOR, args.username, None, "account.enabled" if enabled else "account.disabled"
    )
    issuer.state.set_account_enabled(args.username, enabled=enabled)
    return f"account {args.username} {'enabled' if enabled else 'disabled'}"


def main(argv: Sequence[str] | None = None) -> int:
    try:
        output = run(argv)
    except ValidationError as exc:
        names = ", ".join("DEV_ISSUER_" + str(e["loc"][0]) for e in exc.errors() if e["loc"])
        sys.stderr.write(f"dev-issuer: invalid settings ({names or exc.title}): {exc.errors()[0]['msg']}\n")
        return 2
    except MintError as exc:
        sys.stderr.write(f"dev-issuer: {exc}\n")
        return 2
    sys.stdout.write(output + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
