"""Further CLI commands, each in its own module; importing registers them on the `kummi` group."""
from . import new, release, schemas, serve, status  # noqa: F401
