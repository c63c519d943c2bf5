"""Further CLI commands, each in its own module; importing registers them on the `kummi` group."""
from . import a11y, new, release, schemas, serve, status  # noqa: F401
from . import translate  # noqa: F401  (kummi translate export/import)
