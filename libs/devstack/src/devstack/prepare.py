"""`python -m devstack.prepare ALEMBIC_INI PACKAGE`: migrate one service's database to head, then run its
seed, in one interpreter (the same as `alembic -c ALEMBIC_INI upgrade head` followed by
`python -m PACKAGE.seed`, minus one start-up of Python and the service's imports).

The service's settings come from its environment (`REGISTRY_DATABASE_URL` ...), as for the service.
"""

from __future__ import annotations

import importlib.util
import runpy
import sys


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        sys.stderr.write("usage: python -m devstack.prepare ALEMBIC_INI PACKAGE\n")
        return 2
    alembic_ini, package = argv
    from alembic.config import main as alembic_main

    alembic_main(argv=["-c", alembic_ini, "upgrade", "head"])
    seed = f"{package}.seed"
    if importlib.util.find_spec(seed) is None:
        sys.stdout.write(f"{package}: no seed module\n")
        return 0
    runpy.run_module(seed, run_name="__main__", alter_sys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
