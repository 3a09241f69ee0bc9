"""The `debt` app: global options (--db, --today, --lang), the Env they resolve to, errors turned into one line and
an exit code, the language of a run, and `debt` / `debt tui` opening the terminal app."""

import copy
import datetime as dt
import inspect
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

try:  # typer >= 0.20 vendors click; older releases use the click package
    from typer._click import exceptions as click_exc
except ImportError:  # pragma: no cover
    from click import exceptions as click_exc

from ..errors import BadInput, ExitCode, TrackerError
from ..i18n import N_, _
from .render import _echo, _err

# Click 8.2 (vendored by typer >= 0.20) raises this for a group typed without a command; older Click
# printed the help itself
_NO_ARGS_IS_HELP: Any = getattr(click_exc, "NoArgsIsHelpError", ())

TODAY_ENV = "DEBT_TRACKER_TODAY"
GLOBAL_OPTIONS = ("--db", "--today", "--lang")


def _db_from_argv(argv: list[str]) -> str | None:
    db = None
    for i, arg in enumerate(argv):
        if arg == "--db" and i + 1 < len(argv):
            db = argv[i + 1]
        elif arg.startswith("--db="):
            db = arg.split("=", 1)[1]
    return db


def choose_language(lang: str | None, db_path: Path) -> None:
    """--lang, then the `language` setting, then LC_ALL / LC_MESSAGES / LANG."""
    from ..i18n import SUPPORTED, language_from_env, set_language
    from ..service.language import stored_language

    if lang is None or lang not in SUPPORTED:
        lang = stored_language(db_path) or language_from_env()
    set_language(lang)


def _language_db(db: str | None) -> Path:
    """The database whose `language` setting counts: the one the command will use."""
    from ..paths import resolve_db

    try:
        return resolve_db(db)[0]
    except BadInput:  # an empty --db: the command itself says so, in the language chosen without it
        return resolve_db(None)[0]


def hoist_global_options(args: Sequence[str]) -> list[str]:
    """Let --db and --today stand anywhere: move them in front of the command."""
    front: list[str] = []
    rest: list[str] = []
    items = list(args)
    i = 0
    while i < len(items):
        arg = items[i]
        if arg == "--":
            rest.extend(items[i:])
            break
        name = arg.split("=", 1)[0]
        if name in GLOBAL_OPTIONS:
            if "=" in arg:
                front.append(arg)
            elif i + 1 < len(items):
                front.extend(items[i : i + 2])
                i += 1
            else:
                front.append(arg)
        else:
            rest.append(arg)
        i += 1
    return front + rest


def _file_errors() -> tuple[type[Exception], ...]:
    """What a failure of the database file raises, asked of the service only when an error is being matched."""
    from ..service.database import FILE_ERRORS

    return FILE_ERRORS


class DebtGroup(TyperGroup):
    """Turns every failure into one line on stderr and an exit code; never a traceback."""

    argv: list[str] = []
    language_chosen = False

    def choose_language_early(self) -> None:
        """Click answers a few things before the callback runs (top-level help, an unknown option or command):
        they are said in the language the callback would choose, read from the command line as typed."""
        if self.language_chosen:
            return
        from ..i18n import language_from_argv

        choose_language(language_from_argv(self.argv), _language_db(_db_from_argv(self.argv)))
        self.language_chosen = True

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands:
            self.choose_language_early()  # "no such command" is worded here, before the callback
        return super().resolve_command(ctx, args)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        argv = hoist_global_options(sys.argv[1:] if args is None else args)
        self.argv, self.language_chosen = argv, False
        code: int
        Env.current = None
        try:
            rv = super().main(argv, prog_name or "debt", complete_var, standalone_mode=False, **extra)
            code = rv if isinstance(rv, int) else 0
        except TrackerError as exc:
            _err(_("{message} ({hint})").format(message=exc.message, hint=exc.hint) if exc.hint else exc.message)
            code = exc.exit_code
        except click_exc.NoSuchOption as exc:
            self.choose_language_early()
            if re.fullmatch(r"-[\d.,]+", exc.option_name or ""):
                # "debt repay 1 -50", "debt loan show -5": a negative number, not an option (Click reads
                # it as "-5" "-0": quote it whole); no amount, id or count is negative
                typed = next((a for a in argv if re.fullmatch(r"-[\d.,]+", a) and a.startswith(exc.option_name or "")), None)
                _err(_("negative numbers are not accepted: {value!r}").format(value=typed or exc.option_name))
            else:
                _err(click_text(exc.format_message()))
            code = ExitCode.BAD_INPUT
        except _NO_ARGS_IS_HELP as exc:  # a group typed alone ('debt loan'): its help, as 'debt loan --help' shows it
            self.choose_language_early()
            _echo(exc.format_message(), err=True)  # (worded by Context.get_help, in the run's language)
            code = ExitCode.BAD_INPUT
        except click_exc.UsageError as exc:
            self.choose_language_early()
            hint = (
                _("see 'debt {command} --help'")
                .format(command=exc.ctx.command_path.partition(" ")[2] if exc.ctx else "")
                .replace("  ", " ")
            )
            _err(_("{message} ({hint})").format(message=click_text(exc.format_message()), hint=hint))
            code = ExitCode.BAD_INPUT
        except typer.Abort:
            _err(_("cancelled"))
            code = ExitCode.REFUSED
        except click_exc.ClickException as exc:
            self.choose_language_early()
            _err(click_text(exc.format_message()))
            code = exc.exit_code
        except _file_errors() as exc:  # the file itself: locked past the timeout, disk full, damaged, not ours
            from ..service.database import file_error_text

            _err(file_error_text(exc))
            code = ExitCode.REFUSED
        except OSError as exc:
            _err(_("{reason}").format(reason=exc.strerror or exc))
            code = ExitCode.REFUSED
        if code != 0 and Env.current is not None:
            Env.current.discard_created()
        env = Env.current
        if code == 0 and env is not None and env.damaged and "check" not in argv:
            names = ", ".join(f"{table} {row_id}" for table, row_id in sorted(env.damaged))
            _echo(
                _("debt: warning: skipped records with a value that cannot be read ({names}); see 'debt check'").format(
                    names=names
                ),
                err=True,
            )
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    cls=DebtGroup,
    help=_("A private ledger for your loans and repayments, with credit-health checks."),
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Env:
    """What the global options resolved to; the database opens on first use."""

    current: "Env | None" = None

    def __init__(self, db: str | None, today: dt.date) -> None:
        from ..paths import resolve_db

        self.db_path, self.default_location = resolve_db(db)
        self.today = today
        self._store = None
        self._created: list[Path] = []
        self.damaged: dict[tuple[str, int], str] = {}  # records skipped because a value cannot be read
        Env.current = self

    def close(self) -> None:
        if self._store is not None:
            self.damaged.update(self._store.damaged)
            self._store.close()
            self._store = None

    def store(self, *, write: bool = True):
        """The database. A command that writes opens it with ``write`` (the default): a missing file is created, and
        removed again if the command fails. One that only reads passes ``write=False``: a missing file gives an empty
        in-memory stand-in and creates nothing."""
        from ..service.database import open_store

        if self._store is not None and write and self._store.memory:
            self._store.close()
            self._store = None
        if self._store is None:
            if write and not self.db_path.exists():
                folder = self.db_path.parent
                if self.default_location and not folder.exists():
                    self._created.append(folder)
                self._created.append(self.db_path)
            if not write and not self.default_location and not self.db_path.parent.is_dir():
                from ..errors import StoreError

                raise StoreError(_("the folder for the database does not exist: {path}").format(path=self.db_path.parent))
            self._store = open_store(self.db_path, self.today, create=write, make_folder=self.default_location)
        return self._store

    def discard_created(self) -> None:
        """A command that failed leaves no database behind that it created itself."""
        self.close()
        for path in reversed(self._created):
            if path.is_dir():
                try:
                    path.rmdir()
                except OSError:
                    pass
            else:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(str(path) + suffix).unlink(missing_ok=True)
        self._created = []


def _env(ctx: typer.Context) -> Env:
    return ctx.find_root().obj


def _now(env: Env) -> dt.datetime:
    """Now on the day reports treat as today (the clock's time of day)."""
    return dt.datetime.combine(env.today, dt.datetime.now().time().replace(microsecond=0))


def _evidence_folder(env: Env) -> Path:
    from ..paths import evidence_dir

    return evidence_dir(env.db_path)


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option("--db", metavar="PATH", help=_("Database file (default: your data folder; env DEBT_TRACKER_DB).")),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option("--today", metavar="YYYY-MM-DD", help=_("The date reports treat as today (env DEBT_TRACKER_TODAY).")),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", metavar="en|zh", help=_("Language of the output (default: the language setting, then LANG).")),
    ] = None,
    version: Annotated[bool, typer.Option("--version", help=_("Show the version and exit."))] = False,
) -> None:
    if version:
        from .. import __version__

        _echo(f"debt-tracker {__version__}")
        raise typer.Exit()
    from ..dates import parse_date
    from ..i18n import SUPPORTED

    choose_language(lang, _language_db(db))  # first: a refusal below is said in the language chosen
    ctx.find_root().command.language_chosen = True
    if lang is not None and lang not in SUPPORTED:
        raise BadInput(_("--lang must be en or zh, got {value!r}").format(value=lang))
    raw_today = today if today is not None else (os.environ.get(TODAY_ENV) or None)
    when = parse_date(raw_today, "--today") if raw_today is not None else dt.date.today()  # '' is refused, not today
    ctx.obj = Env(db, when)
    ctx.call_on_close(ctx.obj.close)
    if ctx.invoked_subcommand is None:
        env = ctx.obj
        _open_app(env.store(), env.today, demo=False)


def _open_app(store, today: dt.date, *, demo: bool, note: str = "") -> None:
    """Open the terminal app on the store's file; without a terminal, print the overview instead."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        from .views import _print_overview

        _print_overview(store, today, note)
        store.close()
        return
    from tui.app import make_app, settle_process

    path = store.path
    store.close()  # the app opens its own connections, one per worker thread
    app = make_app(path, today, note=note)
    settle_process()
    app.run()


@app.command("tui")
def tui_cmd(ctx: typer.Context) -> None:
    """Open the terminal app on your database (the same as 'debt' alone)."""
    env = _env(ctx)
    _open_app(env.store(), env.today, demo=False)


# Typer's and Click's own words (help headings, the help option, usage errors), in the user's language.
# typer.core asks gettext for its headings; the rest is English in the library and translated as it goes out.
_LIBRARY_MESSAGES = (
    N_("Arguments"),
    N_("Commands"),
    N_("Options"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("required"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("Aborted!"),
)
_CLICK_PATTERNS = (
    (re.compile(r"^Usage: ", re.M), N_("Usage: ")),
    (re.compile(r"Show this message and exit\."), N_("Show this message and exit.")),
    (re.compile(r"Missing option '(?P<name>[^']+)'\."), N_("Missing option '{name}'.")),
    (re.compile(r"Missing argument '(?P<name>[^']+)'\."), N_("Missing argument '{name}'.")),
    (re.compile(r"No such option: (?P<name>\S+)"), N_("No such option: {name}")),
    (re.compile(r"No such command '(?P<name>[^']+)'\."), N_("No such command '{name}'.")),
    (re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>[^)]*)\)"), N_("Unexpected extra argument ({args})")),
    (re.compile(r"Option '(?P<name>[^']+)' requires an argument\."), N_("Option '{name}' requires an argument.")),
    (re.compile(r"Option '(?P<name>[^']+)' does not take a value\."), N_("Option '{name}' does not take a value.")),
    (re.compile(r"Invalid value for '(?P<name>[^']+)': "), N_("Invalid value for '{name}': ")),
    (re.compile(r"\s*Did you mean '(?P<name>[^']+)'\?"), N_(" Did you mean '{name}'?")),
    (re.compile(r"\s*Did you mean (?P<name>\S+)\?"), N_(" Did you mean {name}?")),
    (re.compile(r"\s*\(Possible options: (?P<names>[^)]*)\)"), N_(" (Possible options: {names})")),
)


def click_text(text: str) -> str:
    """Click's English (usage errors, help) in the user's language; unchanged in English."""
    for pattern, message in _CLICK_PATTERNS:
        text = pattern.sub(lambda m, message=message: _(message).format(**m.groupdict()), text)
    # a heading Click ends with ":" ("Options:"), translated into Chinese ("选项"), takes the Chinese colon
    text = _CJK_HEADING.sub(r"\1：", text)
    return text.replace("。.", "。")


_CJK_HEADING = re.compile(r"^([^\x00-\x7f]+):$", re.M)


def translate_help(command: Any) -> None:
    """Help in this run's language: commands, options and docstrings are built in message ids (see __init__)
    and translated here, each time a page is shown, once the run has chosen its language."""
    for item in (command, *command.params, *getattr(command, "commands", {}).values()):
        msgid = vars(item).setdefault("help_msgid", getattr(item, "help", None))
        if msgid:
            item.help = _(msgid)


def _wrapper_class(base: type) -> type:
    """Click's text wrapper (help pages, usage errors) breaking lines as every other line of the CLI is broken
    (``tracker.wrap``): Chinese by character and by the columns each takes, with the line-start and line-end rules,
    Latin at spaces only. textwrap, Click's own, broke a value at its hyphen ("equal-" / "principal", which then does
    not paste), counted a Chinese character as one column (an 80-column page ran to 100) and started lines with "）"."""

    class Wrapper(base):  # type: ignore[misc,valid-type]
        def wrap(self, text: str) -> list[str]:
            from ..wrap import line_starts  # only a page that is shown needs it: not loaded on every command

            first, rest = self.initial_indent, self.subsequent_indent
            width = max(self.width - max(len(first), len(rest)), 1)
            out: list[str] = []
            for paragraph in text.expandtabs().split("\n"):
                starts = line_starts(paragraph, width)
                out += [paragraph[a:b].strip(" ") for a, b in zip(starts, [*starts[1:], len(paragraph)], strict=True)]
            while out and not out[-1]:
                out.pop()
            return [(rest if k else first) + line for k, line in enumerate(out)]

    return Wrapper


def _translate_library() -> None:
    import typer.core
    from typer._click import _textwrap
    from typer._click import core as click_core

    typer.core._ = _  # its headings ("Options", "required", "default: …") through the catalog
    if not getattr(_textwrap.TextWrapper, "_ours", False):
        _textwrap.TextWrapper = _wrapper_class(_textwrap.TextWrapper)  # Click's wrap_text takes it from there on each call
        _textwrap.TextWrapper._ours = True  # type: ignore[attr-defined]
    if not getattr(click_core.Context.get_help, "_translated", False):
        original = click_core.Context.get_help

        def get_help(self) -> str:
            root = self.find_root().command
            if isinstance(root, DebtGroup):
                root.choose_language_early()  # top-level help comes before the callback
            translate_help(self.command)
            return click_text(original(self))

        get_help._translated = True  # type: ignore[attr-defined]
        click_core.Context.get_help = get_help  # type: ignore[method-assign]


_translate_library()


def command_path(argv: Sequence[str]) -> tuple[str | None, str | None]:
    """The command or group a command line runs (its first word after the global options) and the word after
    it: the group's command when the first word names a group. None where there is no such word: for `debt`
    alone and for anything Click answers at the top (its help, --version, an unknown option), an option
    after the group, or the group's own help."""
    args = hoist_global_options(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":  # what follows is not an option: Click takes the next word as the command
            return (args[i + 1], _word_at(args, i + 2)) if i + 1 < len(args) else (None, None)
        if arg in GLOBAL_OPTIONS:
            i += 2
        elif arg.split("=", 1)[0] in GLOBAL_OPTIONS:
            i += 1
        else:
            return (None, None) if arg.startswith("-") else (arg, _word_at(args, i + 1))
    return None, None


def _word_at(args: Sequence[str], i: int) -> str | None:
    """The word at ``i`` when it is one: not an option, and not past the end (after "--", whatever is next)."""
    if i >= len(args):
        return None
    if args[i] == "--":
        return args[i + 1] if i + 1 < len(args) else None
    return None if args[i].startswith("-") else args[i]


def _not_built() -> None:
    raise RuntimeError("a command built without its options was run: for_command_line chose the wrong command")


def _command_name(info: Any) -> str:
    """A registered command's name, as Typer gives it (its function's name unless named)."""
    return info.name or typer.main.get_command_name(info.callback.__name__)


def _bare_command(info: Any) -> Any:
    """A command as the top-level help lists it (name, help, hidden), without its options."""
    bare = copy.copy(info)
    bare.name = _command_name(info)
    bare.help = info.help if info.help is not None else inspect.getdoc(info.callback)
    bare.callback = _not_built
    return bare


def _bare_group(info: Any) -> Any:
    """A group as the top-level help lists it, without its commands."""
    bare = copy.copy(info)
    bare.typer_instance = copy.copy(info.typer_instance)
    bare.typer_instance.registered_commands = []
    bare.typer_instance.registered_groups = []
    return bare


def for_command_line(argv: Sequence[str]) -> typer.Typer:
    """`app` with only the command this command line runs built in full. Typer turns every command's signature
    into Click options before it runs one (about a third of `debt --help`); the others keep their names and help,
    which is all the top-level help, "no such command" and its suggestion need of them. In a group the same
    holds one level down: `debt loan list` builds `list` in full and names the group's other commands."""
    word, sub = command_path(argv)
    pruned = copy.copy(app)
    pruned.registered_commands = [
        info if _command_name(info) == word else _bare_command(info) for info in app.registered_commands
    ]
    pruned.registered_groups = [
        _group_for(info, sub) if info.name == word else _bare_group(info) for info in app.registered_groups
    ]
    return pruned


def _group_for(info: Any, sub: str | None) -> Any:
    """A group with only its command ``sub`` built in full (none for the group's own help or usage)."""
    group = copy.copy(info)
    group.typer_instance = copy.copy(info.typer_instance)
    members = info.typer_instance
    group.typer_instance.registered_commands = [
        c if _command_name(c) == sub else _bare_command(c) for c in members.registered_commands
    ]
    group.typer_instance.registered_groups = [g if g.name == sub else _bare_group(g) for g in members.registered_groups]
    return group


def main() -> None:
    for_command_line(sys.argv[1:])()
