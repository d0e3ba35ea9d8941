"""A tiny service used only to test servicekit end to end: its own models, migrations and routes."""
