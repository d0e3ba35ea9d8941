"""The event catalogue lists every type the code emits, and partners get only partner-safe ones."""

from pathlib import Path

import funding_api
from funding_api.events import EVENT_CATALOGUE, EVENT_TYPES, PARTNER_SAFE_EVENT_TYPES
from servicekit.testing.events import literal_event_types


def test_every_emitted_type_is_in_the_catalogue() -> None:
    emitted = literal_event_types(Path(funding_api.__file__).parent)
    assert emitted, "the scan found no event types: has emit() changed?"
    assert emitted - EVENT_TYPES == set()


def test_partner_safe_types_are_a_subset() -> None:
    assert PARTNER_SAFE_EVENT_TYPES < EVENT_TYPES
    assert EVENT_CATALOGUE.partner_safe == PARTNER_SAFE_EVENT_TYPES
