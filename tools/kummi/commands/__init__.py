"""Further CLI commands (new, status, serve, schemas, codeowners), each in its own module."""
