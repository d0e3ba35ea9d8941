"""A small OIDC provider for development and tests. It refuses to start in production."""
