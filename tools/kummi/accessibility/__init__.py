"""Accessibility: the draft statement (Act 306/2019) from the checks that actually ran, and axe-core.

- `run_checks(course, epoch)`: kummi's automatic checks on the model, counted (checks.py);
- `write_statement(course, out_dir, epoch, checks)`: saavutettavuusseloste.fi.md / .sv.md and
  checks.json into out_dir (statement.py);
- `stage_statement(course, options, stage, built)`: the hook before a successful `kummi build` swaps its output in;
- `kummi a11y`: axe-core on build/site/ into build/accessibility/axe.json, then the statement again.
"""
from .checks import Check, Checks, Finding, run_checks
from .statement import collect, stage_statement, write_statement

__all__ = ["Check", "Checks", "Finding", "collect", "run_checks", "stage_statement", "write_statement"]
