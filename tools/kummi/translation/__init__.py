"""Translation work: a lesson's translatable units (units.py), XLIFF 2 export and import (xliff.py)
and the Finnish text a stale translation was made from, found in git history (history.py)."""
