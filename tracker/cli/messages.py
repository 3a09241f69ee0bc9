"""Collection messages: `debt sms check`, the `contact ...` timeline and `evidence ...` files."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from ..errors import BadInput, ExitCode, Refused
from ..i18n import _
from .app import Env, _env, _evidence_folder, _now, app
from .options import JsonOpt, YesOpt
from .render import _assemble, _confirm_record, _console, _echo, _print_indented, _print_json, _print_table, _styled, _table

sms_app = typer.Typer(help=_("Check a collection message for the signs of a scam."), no_args_is_help=True)
contact_app = typer.Typer(help=_("The timeline of collection messages, calls, visits and letters."), no_args_is_help=True)
evidence_app = typer.Typer(help=_("Evidence files: kept privately, hashed, verified, exported."), no_args_is_help=True)
app.add_typer(sms_app, name="sms")
app.add_typer(contact_app, name="contact")
app.add_typer(evidence_app, name="evidence")

VERDICT_STYLE = {"likely-scam": "bold red", "suspicious": "yellow", "no-red-flags": "green"}

RevealOpt = Annotated[
    bool, typer.Option("--reveal", help=_("Show card and ID numbers in full (masked to their first and last four otherwise)."))
]


@sms_app.command("check")
def sms_check(
    ctx: typer.Context,
    text: Annotated[
        str | None, typer.Argument(metavar="TEXT", help=_("The message, or - to read it from standard input."))
    ] = None,
    sender: Annotated[str | None, typer.Option("--sender", metavar="NUMBER", help=_("The number it came from."))] = None,
    received: Annotated[
        str | None,
        typer.Option(
            "--received", metavar="DATETIME", help=_("When it arrived: 23:40 (today) or 2026-11-14 23:40 (default now).")
        ),
    ] = None,
    save: Annotated[bool, typer.Option("--save", help=_("Keep it in the contact timeline with its verdict."))] = False,
    reveal: RevealOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Judge a message: red flags with the words that triggered them, a verdict and what to do."""
    from ..inputs import parse_received, read_message
    from ..service.messages import save_sms
    from ..triage import shown_evidence, triage

    env = _env(ctx)
    if text is None or text == "-":
        if sys.stdin.isatty() and text is None:
            raise BadInput(_("give the message as an argument, or - to read it from standard input"))
        text = sys.stdin.read()
    message = read_message(text)
    when = parse_received(received, env.today, "--received") if received else _now(env)
    ledger = _ledger_for_triage(env)
    # the time it arrived is judged only as the user gives it, with its hour (a date alone reads as midnight)
    result = triage(message, sender, ledger, when if received and ":" in received else None)
    saved = save_sms(env.store(), message, sender, when, result) if save else None  # kept whole: it is evidence
    shown_text = _shown(reveal)
    if as_json:
        data: dict[str, Any] = {
            "verdict": result.verdict,
            "score": result.score,
            "notice": result.notice,
            "flags": [
                {"code": f.code, "title": f.title, "evidence": [shown_text(e) for e in shown_evidence(f)], "message": f.message}
                for f in result.flags
            ],
            "advice": [{"step": a.step, "detail": a.detail} for a in result.advice],
            "ledger": result.ledger.as_dict() if result.ledger is not None else None,
        }
        if saved is not None:
            data["contact_id"] = saved.id
        _print_json(data)
        return
    from rich.text import Text

    console = _console()
    shown = Text(shown_text(message))  # masking keeps the length: the spans stay on their words
    for f in result.flags:
        for start, end in f.spans:
            shown.stylize("bold reverse red", start, end)
    console.print(shown)
    from ..present.messages import ledger_text, outweighed_text, triage_headline

    console.print(triage_headline(result), style=VERDICT_STYLE[result.verdict])
    ledger = ledger_text(result)
    if ledger:
        console.print(ledger, style="bold")
    outweighed = outweighed_text(result)
    if outweighed:
        console.print(outweighed, style="dim")
    for f in result.flags:
        quotes = "」「".join(shown_text(e) for e in shown_evidence(f))
        console.print(_assemble((f.title, "bold"), f"  「{quotes}」" if quotes else ""))
        _print_indented(console, f.message, 4)
    if result.advice:
        console.print(_("What to do:"), style="bold")
        for n, a in enumerate(result.advice, start=1):
            console.print(f"{n}. {a.step}")
            if a.detail:
                _print_indented(console, a.detail, 3, style="dim")
    if saved is not None:
        console.print(
            _("Saved as contact {id}; attach screenshots with 'debt evidence add FILE --contact {id}'.").format(id=saved.id)
        )


def _flags(stored: str | None) -> list:
    """A contact's stored warning flags (JSON text, read only by the commands that show them)."""
    import json

    return json.loads(stored or "[]")


def _ledger_for_triage(env: Env) -> list | None:
    """The user's loans for the triage to compare a message with; none when there is no database yet."""
    from ..service.messages import ledger_witness

    if not env.db_path.exists():
        return None
    return ledger_witness(env.store(write=False), env.today)


@contact_app.command("log")
def contact_log(
    ctx: typer.Context,
    channel: Annotated[str, typer.Option("--channel", help=_("sms, call, visit, letter or app."))],
    sender: Annotated[str, typer.Option("--from", metavar="WHO", help=_("Who contacted you (number, name, company)."))],
    about: Annotated[str | None, typer.Option("--about", metavar="LOAN_ID", help=_("The loan it was about."))] = None,
    about_person: Annotated[
        str | None, typer.Option("--about-person", metavar="NAME", help=_("Someone else's debt it was about."))
    ] = None,
    summary: Annotated[str | None, typer.Option("--summary", help=_("What was said or demanded."))] = None,
    date: Annotated[str | None, typer.Option("--date", metavar="DATETIME", help=_("When (default now)."))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Log a collection contact."""
    from ..inputs import parse_datetime, parse_id
    from ..service.messages import log_contact

    env = _env(ctx)
    when = parse_datetime(date, "--date") if date is not None else _now(env)
    loan_id = parse_id(about, _("loan id")) if about is not None else None
    contact = log_contact(
        env.store(),
        channel=channel,
        sender=sender,
        when=when,
        about_loan=loan_id,
        about_person=about_person,
        summary=summary,
        today=env.today,
    )
    if as_json:
        _print_json(_contact_json(contact, 0, _shown(False)))
        return
    _echo(_("Logged contact {id}.").format(id=contact.id))


def _shown(reveal: bool):
    """Text as shown: card and ID numbers masked unless --reveal."""
    from ..safe_text import mask_numbers

    return (lambda text: text) if reveal else mask_numbers


def _contact_json(c, evidence_count: int, shown=lambda text: text) -> dict[str, Any]:
    return {
        "id": c.id,
        "channel": c.channel,
        "from": shown(c.sender),
        "date": c.happened_at.isoformat(timespec="seconds"),
        "about_loan_id": c.about_loan_id,
        "about_person": c.about_person or None,
        "summary": shown(c.summary),
        "message": shown(c.message) or None,
        "verdict": c.verdict,
        "score": c.score,
        "flags": _flags(c.flags),
        "evidence": evidence_count,
    }


@contact_app.command("list")
def contact_list(ctx: typer.Context, reveal: RevealOpt = False, as_json: JsonOpt = False) -> None:
    """The timeline, oldest first, with evidence counts."""
    from ..present.messages import contact_about, verdict_text
    from ..service.messages import list_contacts

    env = _env(ctx)
    contacts, counts = list_contacts(env.store(write=False))
    if as_json:
        _print_json([_contact_json(c, counts.get(c.id, 0), _shown(reveal)) for c in contacts])
        return
    console = _console()
    if not contacts:
        console.print(
            _("No contacts logged. Check a message with 'debt sms check TEXT --save' or log a call with 'debt contact log'.")
        )
        return
    table = _table(_(">ID"), _("When"), _("Channel"), _("~From"), _("~About / summary"), _("Verdict"), _(">Files"))
    for c in contacts:
        text = _shown(reveal)(contact_about(c))
        verdict = _styled(verdict_text(c.verdict), VERDICT_STYLE.get(c.verdict or ""))
        table.add_row(
            str(c.id),
            c.happened_at.strftime("%Y-%m-%d %H:%M"),
            c.channel,
            _shown(reveal)(c.sender),
            text,
            verdict,
            str(counts.get(c.id, 0)),
        )
    _print_table(console, table)


@contact_app.command("show")
def contact_show(
    ctx: typer.Context,
    contact_id: Annotated[str, typer.Argument(metavar="ID", help=_("Contact id."))],
    reveal: RevealOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """One contact of the timeline: who, when, what was said, its verdict and flags, and its evidence files."""
    from ..inputs import parse_id
    from ..service.messages import contact_and_files
    from ..triage import TITLES

    env = _env(ctx)
    contact, files = contact_and_files(env.store(write=False), parse_id(contact_id, _("contact id")))
    shown = _shown(reveal)
    if as_json:
        _print_json({**_contact_json(contact, len(files), shown), "files": [_evidence_json(e) for e in files]})
        return
    from ..present.messages import VERDICT_LABELS, contact_subject

    lines = [
        (_("When"), contact.happened_at.strftime("%Y-%m-%d %H:%M")),
        (_("Channel"), contact.channel),
        (_("From"), shown(contact.sender)),
        (_("About"), contact_subject(contact) or "-"),
        (_("Summary"), shown(contact.summary) or "-"),
    ]
    if contact.verdict:
        flags = [_(TITLES[f["code"]]) if f.get("code") in TITLES else str(f.get("code")) for f in _flags(contact.flags)]
        lines.append((_("Verdict"), _(VERDICT_LABELS.get(contact.verdict, contact.verdict))))
        lines.append((_("Flags"), _(", ").join(flags) or "-"))
    for label, value in lines:
        _echo(f"{label}: {value}")
    if contact.message:
        _echo(_("Message:"))
        _echo("  " + shown(contact.message).replace("\n", "\n  "))
    for e in files:
        note = f" — {e.note}" if e.note else ""
        _echo(f"  [{e.id}] {e.original_name} ({e.size} bytes, sha256 {e.sha256[:16]}…){note}")


@contact_app.command("edit")
def contact_edit(
    ctx: typer.Context,
    contact_id: Annotated[str, typer.Argument(metavar="ID", help=_("Contact id."))],
    channel: Annotated[str | None, typer.Option("--channel", help=_("sms, call, visit, letter or app."))] = None,
    sender: Annotated[str | None, typer.Option("--from", help=_("Who contacted you (number, name, company)."))] = None,
    summary: Annotated[str | None, typer.Option("--summary", help=_("What was said or demanded."))] = None,
    date: Annotated[str | None, typer.Option("--date", help=_("When (YYYY-MM-DD or YYYY-MM-DDTHH:MM)."))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Correct a contact in the timeline."""
    from ..inputs import parse_datetime, parse_id
    from ..service.evidence import list_evidence
    from ..service.messages import edit_contact

    env = _env(ctx)
    store = env.store()
    contact = edit_contact(
        store,
        parse_id(contact_id, _("contact id")),
        channel=channel,
        sender=sender,
        summary=summary,
        when=parse_datetime(date, "--date") if date is not None else None,
        today=env.today,
    )
    if as_json:
        _print_json(_contact_json(contact, len(list_evidence(store, contact.id)), _shown(False)))
        return
    _echo(_("Updated contact {id}.").format(id=contact.id))


@contact_app.command("delete")
def contact_delete(
    ctx: typer.Context,
    contact_id: Annotated[str, typer.Argument(metavar="ID", help=_("Contact id."))],
    yes: YesOpt = False,
) -> None:
    """Delete a contact; its evidence files are kept (unlinked)."""
    from ..present.deletions import delete_contact_question
    from ..service.messages import delete_contact, get_contact

    store = _env(ctx).store()
    cid, _contact = _confirm_record(
        yes, store, contact_id, _("contact id"), get_contact, delete_contact_question, _("delete contact {id}")
    )
    delete_contact(store, cid)
    _echo(_("Deleted contact {id}; its evidence files are kept.").format(id=cid))


def _evidence_json(e) -> dict[str, Any]:
    return {
        "id": e.id,
        "name": e.original_name,
        "stored_as": e.stored_name,
        "size": e.size,
        "sha256": e.sha256,
        "added_at": e.added_at.isoformat(timespec="seconds"),
        "contact_id": e.contact_id,
        "note": e.note,
    }


@evidence_app.command("add")
def evidence_add(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(metavar="FILE...", help=_("Screenshots, recordings, letters."))],
    contact: Annotated[str | None, typer.Option("--contact", metavar="ID", help=_("The contact it belongs to."))] = None,
    note: Annotated[str | None, typer.Option("--note", help=_("Free text."))] = None,
    as_json: JsonOpt = False,
) -> None:
    """Copy files into the private evidence folder with their SHA-256."""
    from ..inputs import clean_text, parse_id
    from ..service.evidence import add_files

    env = _env(ctx)
    cid = parse_id(contact, _("contact id")) if contact is not None else None
    text = clean_text(note, _("note"), limit=2000)
    for f in files:
        if not f.is_file():
            raise BadInput(_("not a readable file: {path}").format(path=f))
    items = add_files(env.store(), _evidence_folder(env), files, _now(env), contact_id=cid, note=text)
    if as_json:
        _print_json([_evidence_json(e) for e in items])
        return
    for e in items:
        _echo(
            _("Stored {name} as evidence {id} (sha256 {hash}).").format(name=e.original_name, id=e.id, hash=e.sha256[:16] + "…")
        )


@evidence_app.command("list")
def evidence_list(
    ctx: typer.Context,
    removed: Annotated[bool, typer.Option("--removed", help=_("List the files removed, with the hash each had."))] = False,
    as_json: JsonOpt = False,
) -> None:
    """List stored evidence (with --removed: what was removed)."""
    from ..service.evidence import list_evidence, removed_evidence

    env = _env(ctx)
    store = env.store(write=False)
    if removed:
        gone = removed_evidence(store)
        if as_json:
            _print_json(gone)
            return
        if not gone:
            _echo(_("No evidence has been removed."))
        for r in gone:
            _echo(
                _("{name} ({size} bytes, SHA-256 {sha}) added {added}, removed {removed}").format(
                    name=r["original_name"], size=r["size"], sha=r["sha256"], added=r["added_at"], removed=r["removed_at"]
                )
            )
        return
    items = list_evidence(store)
    if as_json:
        _print_json([_evidence_json(e) for e in items])
        return
    console = _console()
    if not items:
        console.print(_("No evidence stored. Add files with 'debt evidence add FILE --contact ID'."))
        return
    table = _table(_(">ID"), _("~Name"), _(">Size"), _("Added"), _(">Contact"), _("SHA-256"), _("~Note"))
    for e in items:
        table.add_row(
            str(e.id),
            e.original_name,
            str(e.size),
            e.added_at.strftime("%Y-%m-%d %H:%M"),
            str(e.contact_id or "-"),
            e.sha256[:16] + "…",
            e.note,
        )
    _print_table(console, table)


@evidence_app.command("verify")
def evidence_verify(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Re-hash every stored file; report missing or altered ones (exit 1 if any)."""
    from ..service.evidence import PROBLEMS, list_evidence, verify

    env = _env(ctx)
    store = env.store(write=False)
    problems = verify(store, _evidence_folder(env))
    if as_json:
        _print_json(
            {
                "checked": len(list_evidence(store)),
                "problems": [{"id": e.id, "name": e.original_name, "problem": p} for e, p in problems],
            }
        )
    elif not problems:
        _echo(_("All {n} evidence files match their recorded hashes.").format(n=len(list_evidence(store))))
    for e, problem in problems:
        if not as_json:
            _echo(
                _("evidence {id} ({name}): {problem}").format(id=e.id, name=e.original_name, problem=_(PROBLEMS[problem])),
                err=True,
            )
    if problems:
        raise typer.Exit(ExitCode.REFUSED)


@evidence_app.command("export")
def evidence_export(
    ctx: typer.Context,
    out: Annotated[Path, typer.Argument(metavar="OUT.zip", help=_("The zip file to write."))],
    contact: Annotated[str | None, typer.Option("--contact", metavar="ID", help=_("Only this contact and its files."))] = None,
    reveal: RevealOpt = False,
    force: Annotated[bool, typer.Option("--force", help=_("Replace the zip if it exists."))] = False,
) -> None:
    """Write the files, a manifest.json and a readable timeline (Markdown and HTML) into a zip."""
    from ..inputs import parse_id
    from ..service.evidence import export_zip

    env = _env(ctx)
    if out.is_dir() or not out.parent.is_dir():
        raise BadInput(_("cannot write the zip to {path}").format(path=out))
    if out.exists() and not force:
        raise Refused(_("{path} exists; add --force to replace it").format(path=out))
    cid = parse_id(contact, _("contact id")) if contact is not None else None
    data = export_zip(env.store(write=False), _evidence_folder(env), out, _now(env), cid, reveal=reveal)
    _echo(_("Wrote {path}: {n} files, {c} contacts.").format(path=out, n=len(data["files"]), c=len(data["contacts"])))


@evidence_app.command("edit")
def evidence_edit(
    ctx: typer.Context,
    evidence_id: Annotated[str, typer.Argument(metavar="ID", help=_("Evidence id."))],
    note: Annotated[str, typer.Option("--note", help=_("What the file shows."))],
) -> None:
    """Change an evidence file's note (the file itself never changes)."""
    from ..inputs import parse_id
    from ..service.evidence import edit_note

    env = _env(ctx)
    item = edit_note(env.store(), parse_id(evidence_id, _("evidence id")), note)
    _echo(_("Updated the note of evidence {id}.").format(id=item.id))


@evidence_app.command("remove")
def evidence_remove(
    ctx: typer.Context,
    evidence_id: Annotated[str, typer.Argument(metavar="ID", help=_("Evidence id."))],
    yes: YesOpt = False,
) -> None:
    """Remove a stored evidence file (asks first: evidence may be needed later)."""
    from ..present.deletions import remove_evidence_question
    from ..service.evidence import get_evidence, remove

    env = _env(ctx)
    store = env.store()
    eid, _item = _confirm_record(
        yes, store, evidence_id, _("evidence id"), get_evidence, remove_evidence_question, _("remove evidence {id}")
    )
    remove(store, _evidence_folder(env), eid, _now(env))
    _echo(_("Removed evidence {id}.").format(id=eid))
