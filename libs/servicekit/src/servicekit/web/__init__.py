"""The FastAPI side of servicekit: app factory, problem handlers, auth and request dependencies."""
