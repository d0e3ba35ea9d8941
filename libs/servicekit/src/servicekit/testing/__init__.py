"""Test support: a migrated database per service per run, rolled-back sessions, tokens, ASGI clients."""
