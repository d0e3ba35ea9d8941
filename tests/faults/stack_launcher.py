"""`noxh run` with a few settings changed for named services (the fault tests' only way in).

`noxh run` builds each service's environment itself (`devstack.stack.service_env`), over whatever the
calling environment holds, so a setting cannot be changed from outside. The fault tests need one:
funding-api must reach registry-api through a proxy they can turn into a black hole. This launcher
merges `NOXH_FAULTS_SERVICE_ENV` (JSON: `{"funding-api": {"FUNDING_REGISTRY_URL": "http://..."}}`)
into the named services' environments (their workers included) and then runs the ordinary CLI.

    python tests/faults/stack_launcher.py run|stop|status
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping

from devstack import cli, stack

OVERRIDES_ENV = "NOXH_FAULTS_SERVICE_ENV"


def _with_overrides(overrides: Mapping[str, Mapping[str, str]]) -> None:
    original = stack.service_env

    def service_env(
        cfg: stack.StackConfig, service: stack.ServiceDef, secrets: Mapping[str, str]
    ) -> dict[str, str]:
        return {**original(cfg, service, secrets), **overrides.get(service.name, {})}

    stack.service_env = service_env  # process_specs and prepare_service look it up at call time


if __name__ == "__main__":
    _with_overrides(json.loads(os.environ.get(OVERRIDES_ENV) or "{}"))
    sys.exit(cli.main(sys.argv[1:]))
