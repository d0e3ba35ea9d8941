"""What inspection-api asks funding-api: only the fields it reads (a tolerant reader).

The profiteering job reads the loans funding-api could not match to an eligible registry person.
Methods raise `UpstreamUnavailable` when funding-api cannot answer: the job then waits and says so.
"""

from __future__ import annotations

from servicekit.http import ServiceClient


class FundingClient(ServiceClient):
    """funding-api, called with inspection-api's own token (audience funding-api)."""
