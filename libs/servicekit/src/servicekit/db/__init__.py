"""Database: declarative base, engine, the request-owned session and the repository base."""
