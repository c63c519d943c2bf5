"""Click's own user-facing strings, marked here so that they are in kummi's catalogues.

Click looks them up through `gettext`; `i18n.patch_click` points that at kummi's catalogue. The
msgids must stay exactly as click 8.3 writes them.
"""
from .i18n import N_, NP_

CLICK_MESSAGES = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Aborted!"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    NP_("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("(dynamic)"),
    N_("%(prog)s, version %(version)s"),
    N_("Show the version and exit."),
    N_("Show this message and exit."),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Invalid value: {message}"),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing {param_type}"),
    N_("Missing parameter: {param_name}"),
    N_("No such option: {name}"),
    NP_("Did you mean {possibility}?", "(Possible options: {possibilities})"),
    N_("Option {name!r} does not take a value."),
    NP_("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    N_("Argument {name!r} takes {nargs} values."),
    NP_("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("Choose from:\n\t{choices}"),
)

# Placeholders in usage lines and option lists (cli.I18nCommand translates them when shown):
# click's own, the names of click's parameter types, and kummi's argument names and metavars.
METAVARS = (
    N_("[OPTIONS]"),
    N_("COMMAND [ARGS]..."),
    N_("TEXT"),
    N_("DIRECTORY"),
    N_("PATH"),
    N_("FILE"),
    N_("INTEGER"),
    N_("WORD"),
    N_("REF"),
    N_("IP:PORT"),
    N_("MODULE_ID"),
    N_("MODULE|FILE"),
    N_("XLIFF_FILE"),
)
