"""Looking after the data: `debt config get|set`, `check` (and --repair), `backup` and `restore`."""

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import BadInput, ExitCode, Refused, StoreError
from ..i18n import _, ngettext
from .app import _env, _evidence_folder, _now, app
from .options import JsonOpt, YesOpt
from .render import _confirm, _echo, _err, _print_json

config_app = typer.Typer(help=_("Show and change settings."), no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("get")
def config_get(
    ctx: typer.Context,
    key: Annotated[str | None, typer.Argument(metavar="KEY", help=_("Setting name; all settings when left out."))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show one setting or all of them."""
    from ..service.settings import settings_view
    from ..settings import SETTINGS, get_setting

    env = _env(ctx)
    values = settings_view(env.store(write=False))
    if key is not None:
        get_setting(key)
        values = {key: values[key]}
    if as_json:
        _print_json(values)
        return
    for k, v in values.items():
        _echo(f"{k} = {v}    # {_(SETTINGS[k].help)}")


@config_app.command("set")
def config_set(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="KEY", help=_("Setting name."))],
    value: Annotated[str, typer.Argument(metavar="VALUE", help=_("New value."))],
) -> None:
    """Change a setting."""
    from ..service.settings import set_setting
    from ..settings import get_setting

    env = _env(ctx)
    get_setting(key).parse(value)  # an unknown key or bad value is refused before the database is created
    clean = set_setting(env.store(), key, value)
    _echo(f"{key} = {clean}")


@app.command("check")
def check_cmd(
    ctx: typer.Context,
    repair: Annotated[
        bool,
        typer.Option(
            "--repair",
            help=_(
                "Repair the records whose stored values cannot be read: type a new value, or remove the record (asks first);"
                " rebuild a stored loan state that differs from a replay."
            ),
        ),
    ] = False,
    set_values: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="TABLE.ID.COLUMN=VALUE",
            help=_("With --repair: the new value of an unreadable one, e.g. loans.2.start_date=2025-12-01 (repeatable)."),
        ),
    ] = None,
    yes: YesOpt = False,
) -> None:
    """Check the database: SQLite's integrity and foreign keys, the ledger's own sums, that every loan can be priced
    and replayed, that each loan's stored state is what a replay gives, and that its export would import."""
    from ..service.maintenance import (
        check_database,
        damaged_records,
        orphan_repayments,
        rebuild_state,
        remove_orphan_repayments,
        state_differences,
    )

    env = _env(ctx)
    if set_values and not repair:
        raise BadInput(_("--set is used with --repair"))
    fixes = [_parse_fix(text) for text in set_values or []]
    # a repair writes; a missing file has nothing to repair, and checking it creates nothing
    store = env.store(write=repair and env.db_path.exists())
    problems = check_database(store, env.today)
    if repair and damaged_records(store):
        _repair(store, fixes, yes)
        problems = check_database(store, env.today)
    elif fixes:
        raise Refused(_("nothing to repair: no stored value is unreadable"))
    if repair and (orphans := orphan_repayments(store)):
        count = sum(orphans.values())
        ids = ", ".join(str(lid) for lid in sorted(orphans))
        _confirm(
            yes,
            ngettext(
                "Remove {n} repayment of missing loans ({ids})? 'debt backup' first if unsure.",
                "Remove {n} repayments of missing loans ({ids})? 'debt backup' first if unsure.",
                count,
            ).format(n=count, ids=ids),
            _("repair"),
        )
        removed = remove_orphan_repayments(store)
        _echo(
            ngettext("Removed {n} repayment of missing loans.", "Removed {n} repayments of missing loans.", removed).format(
                n=removed
            )
        )
        problems = check_database(store, env.today)
    if repair and state_differences(store):
        count = rebuild_state(store)
        _echo(ngettext("Rebuilt the stored state of {n} loan.", "Rebuilt the stored state of {n} loans.", count).format(n=count))
        problems = check_database(store, env.today)
    if not problems:
        _echo(_("No problems found."))
        return
    for problem in problems:
        _echo(problem, err=True)
    raise typer.Exit(ExitCode.REFUSED)


def _parse_fix(text: str) -> tuple[str, int, str, str]:
    """'loans.2.start_date=2025-12-01' -> ("loans", 2, "start_date", "2025-12-01")."""
    where, sep, value = text.partition("=")
    parts = where.strip().split(".")
    if not sep or len(parts) != 3 or not parts[1].isascii() or not parts[1].isdigit():
        raise BadInput(
            _("--set takes TABLE.ID.COLUMN=VALUE, e.g. loans.2.start_date=2025-12-01; got {value!r}").format(value=text)
        )
    return parts[0], int(parts[1]), parts[2], value.strip()


def _repair(store: Any, fixes: list[tuple[str, int, str, str]], yes: bool) -> None:
    """Set the values given with --set (or typed at the prompt), then remove what still cannot be read, after asking."""
    from ..safe_text import visible
    from ..service.maintenance import (
        damaged_records,
        find_damaged,
        fix_field,
        remove_damaged,
        repayments_going_with,
        unreadable_fields,
    )

    for table, row_id, column, _value in fixes:
        if (table, row_id) not in damaged_records(store):
            raise Refused(_("{table} record {id} is not damaged; nothing to set").format(table=table, id=row_id))
        if column not in {c for c, _v, _k in unreadable_fields(store, table, row_id)}:
            raise Refused(
                _("{column} of {table} record {id} can be read; nothing to set").format(column=column, table=table, id=row_id)
            )
    done = _("Set {column} of {table} record {id} to {value}.")
    for table, row_id, column, value in fixes:
        fix_field(store, table, row_id, column, value)
        _echo(done.format(column=column, table=table, id=row_id, value=value))
    find_damaged(store)
    if not yes and sys.stdin.isatty():
        ask = _("{table} record {id}: {column} is {stored!r}; type a new value ({example}), or Enter to remove the record")
        for table, row_id in sorted(damaged_records(store)):
            for column, stored, kind in unreadable_fields(store, table, row_id):
                example = {"date": "YYYY-MM-DD", "rate": "4.35"}.get(kind, "3,5")
                while typed := typer.prompt(
                    visible(ask.format(table=table, id=row_id, column=column, stored=stored, example=example)),
                    default="",
                    show_default=False,
                ).strip():
                    try:
                        fix_field(store, table, row_id, column, typed)
                    except BadInput as exc:
                        _err(exc.message)
                        continue
                    _echo(done.format(column=column, table=table, id=row_id, value=typed))
                    break
        find_damaged(store)
    if not damaged_records(store):
        return
    names = ", ".join(f"{table} {row_id}" for table, row_id in sorted(damaged_records(store)))
    _confirm(
        yes,
        _("Remove {names}? A loan's repayments go with it; 'debt backup' first if unsure.").format(names=names),
        _("repair"),
    )
    going = repayments_going_with(store)
    removed = remove_damaged(store)
    _echo(_("Removed {n} unreadable records: {names}.").format(n=len(removed), names=names))
    if going:
        _echo(
            ngettext(
                "The removed loans' {n} repayment went with them.", "The removed loans' {n} repayments went with them.", going
            ).format(n=going)
        )


@app.command("backup")
def backup_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help=_("Where to write the archive, e.g. debt-backup.zip."))],
    force: Annotated[bool, typer.Option("--force", help=_("Replace FILE if it exists."))] = False,
) -> None:
    """Back up everything (the database and every evidence file) to one archive, even while the app is open."""
    from ..service.maintenance import write_backup

    env = _env(ctx)
    if file.is_dir() or not file.parent.is_dir():
        raise BadInput(_("cannot write the backup to {path}").format(path=file))
    if file.exists() and not force:
        raise Refused(_("{path} exists; use --force to replace it").format(path=file))
    if not env.db_path.exists():
        raise Refused(_("there is no database at {path} yet").format(path=env.db_path))
    result = write_backup(env.store(write=False), _evidence_folder(env), file, _now(env))
    _echo(_("Backed up the database and {n} evidence files to {path}.").format(n=result.evidence, path=file))
    if result.missing:
        _err(
            _("{n} evidence files listed in the database are missing from the folder: {names}").format(
                n=len(result.missing), names=", ".join(result.missing[:5])
            )
        )


@app.command("restore")
def restore_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help=_("A backup made with 'debt backup'."))],
) -> None:
    """Replace your data with a backup, after checking every part; the current database is kept as a safety copy."""
    from ..service.maintenance import restore

    env = _env(ctx)
    if not env.default_location and not env.db_path.parent.is_dir():  # a mistyped --db: refused as by every command
        raise StoreError(_("the folder for the database does not exist: {path}").format(path=env.db_path.parent))
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    result = restore(env.db_path, file, _evidence_folder(env), stamp)
    _echo(
        ngettext("Restored {path} ({n} evidence file).", "Restored {path} ({n} evidence files).", result.evidence).format(
            path=file, n=result.evidence
        )
    )
    if result.safety_copy is not None:
        _echo(_("The previous database is kept as {path}.").format(path=result.safety_copy))
