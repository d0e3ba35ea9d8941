"""Who may import and export households.

Commune officers (their own commune) and province officers import and export. Auditors export, with
identifiers masked like everywhere else, to check the registry against the communes' paper lists;
they do not import. Everyone else (inspectors included: they look up households one by one) is a 403.
"""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

IMPORT_ROLES = (Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER)
EXPORT_ROLES = (Role.COMMUNE_OFFICER, Role.PROVINCE_OFFICER, Role.AUDITOR)

ImportsWrite = Annotated[Principal, Depends(require_roles(*IMPORT_ROLES))]
ImportsRead = Annotated[Principal, Depends(require_roles(*IMPORT_ROLES))]
ExportsRead = Annotated[Principal, Depends(require_roles(*EXPORT_ROLES))]
