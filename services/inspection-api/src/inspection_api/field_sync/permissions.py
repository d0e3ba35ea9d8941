"""The offline app is the inspectors'; conflicts are resolved by the inspector or a province officer."""

from typing import Annotated

from fastapi import Depends

from servicekit.principal import Principal, Role
from servicekit.web.auth import require_roles

SyncDevice = Annotated[Principal, Depends(require_roles(Role.INSPECTOR))]
ConflictsReview = Annotated[Principal, Depends(require_roles(Role.INSPECTOR, Role.PROVINCE_OFFICER))]
