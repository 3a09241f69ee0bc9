"""Pilot tests of the app's flows: what the store holds afterwards and what the screen shows."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest
from helpers import ROOT
from hypothesis import given
from hypothesis import strategies as st
from msgspec.structs import replace
from textual.widgets import DataTable, Input, Static, TextArea
from tui_helpers import SIZE, SMALL, TODAY, press, sample_db, settle, text

from tracker.export_format import read_json
from tracker.sample import SAMPLE_FILE
from tracker.store import Store
from tui.app import make_app


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return sample_db(tmp_path)


async def test_dashboard_shows_totals_overdue_and_dti(db: Path):
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "1,152,147.31" in text(app, "#card-outstanding")
        assert "网贷 Quick Cash" in text(app, "#overdue-alert")
        assert "66.3%" in text(app, "#gauge")
        assert "credit report check due" in text(app, "#reminders").lower()


async def test_empty_database_greets_the_user(tmp_path: Path):
    app = make_app(tmp_path / "new.db", TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Welcome" in text(app, "#welcome")
        assert app.screen.query_one("#overdue-alert").has_class("hidden")
        # what it says works from anywhere: the sample household is `debt demo` (not a path next to the source)
        assert "debt demo" in text(app, "#welcome") and "sample_data" not in text(app, "#welcome")
        # nothing due: said whole, not cut as a table row ("nothing due in the n…")
        assert app.screen.query_one("#dues").has_class("hidden")
        assert text(app, "#no-dues") == "Nothing falls due in the next 30 days."


async def test_record_a_repayment_then_delete_it(db: Path):
    before = len(Store.open(db).repayments(4))
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        table = app.screen.query_one("#loans", DataTable)
        table.move_cursor(row=3)  # 网贷 Quick Cash, overdue
        await press(pilot, "enter")
        assert app.screen.loan_id == 4
        await press(pilot, "r")
        # the form proposes what is overdue and today's date
        assert app.screen.query_one("#amount", Input).value == "3671.96"
        assert app.screen.query_one("#date", Input).value == TODAY.isoformat()
        await press(pilot, "enter")
        reps = Store.open(db).repayments(4)
        assert len(reps) == before + 1 and reps[-1].amount == 367196
        assert "overdue" not in text(app, "#terms").lower().split("outstanding")[1].split("\n")[0]
        # the same amount on the same day again is asked about: most likely the same payment twice
        await press(pilot, "r")
        app.screen.query_one("#amount", Input).value = "3671.96"
        await press(pilot, "enter")
        assert type(app.screen).__name__ == "ConfirmScreen" and f"(repayment {reps[-1].id})" in text(app, ".question")
        # its footer names y by the action, as its button does (it said "y Yes" beside a "Record again" button)
        from textual.widgets import Footer

        footer = {k.key: str(k.description) for k in app.screen.query_one(Footer).query("FooterKey")}
        assert footer["y"] == "Record again" and footer["escape"] == "Cancel"
        await press(pilot, "escape")  # no: back in the form, nothing recorded
        assert type(app.screen).__name__ == "RepayScreen" and len(Store.open(db).repayments(4)) == before + 1
        await press(pilot, "ctrl+s", "y")  # yes: a second one
        assert type(app.screen).__name__ == "LoanDetailScreen" and len(Store.open(db).repayments(4)) == before + 2
        # delete it again from the Repayments tab
        app.screen.query_one("#loan-tabs").active = "tab-repayments"
        await settle(pilot)
        reps_table = app.screen.query_one("#repayments", DataTable)
        reps_table.move_cursor(row=reps_table.row_count - 1)
        await press(pilot, "ctrl+d", "y")
        assert len(Store.open(db).repayments(4)) == before + 1
        # the cursor stays at the end of the list, not back on its first row
        reps_table = app.screen.query_one("#repayments", DataTable)
        assert reps_table.cursor_row == reps_table.total_rows - 1 > 0


async def test_a_loan_repaid_in_one_sum_offers_a_prepayment_but_no_term_to_keep(db: Path):
    """The friend's loan is repaid in one sum: a prepayment may go to it, but there is no monthly payment to lower,
    so the form does not offer to keep the term; an installment loan's form does."""
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        table = app.screen.query_one("#loans", DataTable)
        table.move_cursor(row=4)  # 借老王的钱 Loan from Wang, bullet
        await press(pilot, "enter")
        assert app.screen.loan_id == 5
        await press(pilot, "r")
        assert app.screen.query("#prepay") and not app.screen.query("#keep-term")
        await press(pilot, "escape", "escape")
        table = app.screen.query_one("#loans", DataTable)
        table.move_cursor(row=1)  # 车贷 Car loan, equal principal
        await press(pilot, "enter", "r")
        assert app.screen.query("#prepay") and app.screen.query("#keep-term")


async def test_a_revolving_balance_is_repaid_without_the_term_choices_and_says_the_bill_it_settled(db: Path):
    """A revolving balance has no term to keep or shorten: its form says what a payment beyond the bills does,
    and the payment recorded is not a --prepay one (it lowers the balance without it)."""
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        table = app.screen.query_one("#loans", DataTable)
        table.move_cursor(row=5)  # 信用卡账单 Card balance, revolving
        await press(pilot, "enter")
        assert app.screen.loan_id == 6
        await press(pilot, "r")
        assert not app.screen.query("#prepay, #keep-term")
        assert "settles the coming bill and lowers the balance" in str(app.screen.query_one(".hint", Static).render())
        app.screen.query_one("#amount", Input).value = "3000"
        await press(pilot, "enter")
        rep = Store.open(db).repayments(6)[-1]
        assert (rep.amount, rep.prepay, rep.keep_term) == (300_000, False, False)
        said = " ".join(" ".join(str(n.message) for n in app._notifications).split())
        assert "Prepayment on 2026-11-15: the bill due" in said


async def test_a_new_loan_opens_on_its_first_installment_and_a_closed_one_offers_no_repayment(db: Path):
    from datetime import date as D

    from textual.widgets import Footer

    from tracker.ledger import payoff_quote
    from tracker.models import Loan, Repayment
    from tui.screens.loan_detail import LoanDetailScreen

    store = Store.open(db)
    new = store.add_loan(Loan("新", "银行", "equal-installment", 1_200_000, Decimal(6), TODAY, TODAY.replace(day=28), 12))
    paid = store.add_loan(Loan("清", "银行", "equal-installment", 1_200_000, Decimal(6), D(2026, 1, 5), D(2026, 2, 5), 12))
    quote = payoff_quote(paid, [], TODAY)
    store.add_repayment(Repayment(paid.id or 0, TODAY, quote.total, prepay=True))
    store.close()
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(LoanDetailScreen(new.id or 0))
        await settle(pilot)
        assert app.screen.query_one("#schedule", DataTable).cursor_row == 0  # installment 1, not 2
        await press(pilot, "escape")
        app.push_screen(LoanDetailScreen(paid.id or 0))
        await settle(pilot)
        assert "closed" in text(app, "#terms")
        keys = {str(k.key_display) for k in app.screen.query_one(Footer).query("FooterKey")}
        assert "r" not in keys and "x" not in keys and "e" in keys
        await press(pilot, "r", "x")
        assert isinstance(app.screen, LoanDetailScreen)  # no repayment form opened


async def test_bad_amount_is_shown_beside_the_field(db: Path):
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l", "enter", "r")
        amount = app.screen.query_one("#amount", Input)
        amount.value = "12.345"
        await settle(pilot)
        assert "decimal places" in text(app, "#amount-error")
        await press(pilot, "ctrl+s")
        assert "decimal places" in text(app, "#form-error")
    # refused: the mortgage holds the repayments of the sample file, and nothing more
    sample = [(r["date"], Decimal(r["amount"])) for r in read_json(SAMPLE_FILE)["repayments"] if r["loan_id"] == 1]
    assert len(sample) == 64
    assert [(r.date.isoformat(), Decimal(r.amount) / 100) for r in Store.open(db).repayments(1)] == sample


async def test_add_a_loan_with_live_preview(tmp_path: Path):
    path = tmp_path / "add.db"
    app = make_app(path, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "a")
        form = app.screen
        for field, value in (("name", "分期 Phone"), ("lender", "CMB"), ("principal", "10000"), ("term", "12")):
            form.query_one(f"#{field}", Input).value = value
        form.query_one("#method").value = "flat-fee"
        await settle(pilot)
        form.query_one("#fee_rate", Input).value = "0.6"
        await settle(pilot)
        preview = text(app, "#preview")
        assert "893.33" in preview and "APR 13.03%" in preview and "fee" in preview.lower()
        # a field says what saving would say: the service's own check, not a copy of it
        form.query_one("#term", Input).value = "601"
        await settle(pilot)
        assert text(app, "#term-error") == refusal(replace(form.to_input(), name="x"))
        assert "600" in text(app, "#term-error")
        form.query_one("#term", Input).value = "12"
        # a monthly rate has its own limit (100% a month), which the form once let through
        form.query_one("#method").value = "equal-installment"
        form.query_one("#rate_unit").value = "monthly"
        form.query_one("#rate", Input).value = "150"
        await settle(pilot)
        assert text(app, "#rate-error") == refusal(form.to_input()) != ""
        form.query_one("#method").value = "flat-fee"
        form.query_one("#rate", Input).value = ""
        form.query_one("#rate_unit").value = "annual"
        await settle(pilot)
        form.query_one("#term", Input).focus()
        await press(pilot, "enter")  # Enter in a field saves, as Ctrl+S does and as in every other form
        loans = Store.open(path).loans()
        assert [(ln.name, ln.method, ln.principal, ln.term_months) for ln in loans] == [("分期 Phone", "flat-fee", 1_000_000, 12)]
        # saving opens the new loan
        assert getattr(app.screen, "loan_id", None) == loans[0].id


def refusal(data) -> str:
    """What saving these fields would say (the service's message), "" when it would save."""
    from tracker.errors import BadInput
    from tracker.inputs import build_loan

    try:
        build_loan(data)
    except BadInput as exc:
        return exc.message
    return ""


async def test_the_loan_form_preview_measures_against_the_users_own_lpr(tmp_path: Path):
    """The 4x-LPR line in the preview uses the fixings the user added, as `debt apr` and the saved loan do."""
    import datetime as dt
    from decimal import Decimal

    from tracker.lpr import Fixing

    path = tmp_path / "lpr.db"
    store = Store.open(path)
    store.add_fixing(Fixing(dt.date(2026, 10, 20), Decimal("5.0"), Decimal("5.5"), "user"))
    store.close()
    app = make_app(path, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "a")
        form = app.screen
        values = (("name", "Loan"), ("lender", "Bank"), ("principal", "10000"), ("term", "12"), ("rate", "15"))
        for field, value in values:
            form.query_one(f"#{field}", Input).value = value
        form.query_one("#start", Input).value = "2026-11-01"
        await settle(pilot)
        preview = text(app, "#preview")
        assert "APR 15" in preview
        # 15% is above four times the shipped 3.0% (12%), not four times the user's 5.0% (20%)
        assert "4x" not in preview and "four times" not in preview.lower(), preview


async def test_changes_from_the_command_line_show_on_refresh(db: Path):
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        assert app.screen.query_one("#loans", DataTable).row_count == 6
        other = Store.open(db)
        other.delete_loan(6)
        other.close()
        await press(pilot, "ctrl+r")
        assert app.screen.query_one("#loans", DataTable).row_count == 5


async def test_the_loans_list_shows_what_the_dashboard_read_until_the_file_changes(db: Path, monkeypatch):
    """Opened from a dashboard whose data is still what the file holds, the loans list shows the views the
    dashboard read (no second reading of every loan); after a write it reads them again."""
    import tui.screens.loans as loans_screen

    reads = []
    real = loans_screen.loan_views
    monkeypatch.setattr(loans_screen, "loan_views", lambda *a, **k: reads.append(1) or real(*a, **k))
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        table = app.screen.query_one("#loans", DataTable)
        assert table.row_count == 6 and reads == []
        assert [str(c.label) for c in table.ordered_columns][:2] == ["ID", "Name"]
        other = Store.open(db)
        other.delete_loan(6)
        other.close()
        await press(pilot, "d")  # the dashboard reads the changed file, and keeps what it read
        await press(pilot, "l")
        assert app.screen.query_one("#loans", DataTable).row_count == 5 and reads == []
        other = Store.open(db)
        other.delete_loan(5)
        other.close()
        await press(pilot, "ctrl+r")  # what the dashboard kept is older than the file: read again
        assert app.screen.query_one("#loans", DataTable).row_count == 4 and reads == [1]


async def test_delete_a_loan_after_confirming(db: Path):
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l", "enter", "delete")
        await pilot.press("escape")  # cancel first: nothing happens
        await settle(pilot)
        assert len(Store.open(db).loans()) == 6
        await press(pilot, "delete", "y")
        assert [ln.id for ln in Store.open(db).loans()] == [2, 3, 4, 5, 6]
        assert app.screen.SCREEN_NAME == "loans"


async def test_filter_and_sort_the_loans(db: Path):
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        await pilot.press("slash")
        await pilot.press(*"overdue")
        await settle(pilot)
        table = app.screen.query_one("#loans", DataTable)
        assert table.row_count == 1
        assert text(app, "#loans-hint").startswith("1 loan · sorted by ")  # one, in the singular
        await press(pilot, "escape")
        assert table.row_count == 6
        assert text(app, "#loans-hint").startswith("6 loans · sorted by ")
        app.screen.sort_column = "apr"
        app.screen.sort_reverse = True
        app.screen.render_table()
        assert str(table.get_row_at(0)[0]) == "4"  # 24.16% first


def _cards_and_a_statement(tmp_path: Path) -> tuple[Path, Path]:
    """The two cards' household with a rule matching 花呗, and an Alipay statement to import."""
    from statement_files import alipay_bytes

    path = _two_cards(tmp_path)
    store = Store.open(path)
    store.add_match_rule(1, "花呗", "", "")
    store.close()
    bill = tmp_path / "alipay.csv"
    bill.write_bytes(alipay_bytes())
    return path, bill


async def test_import_a_statement_assigning_an_unmatched_row(tmp_path: Path):

    path, bill = _cards_and_a_statement(tmp_path)
    app = make_app(path, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "t")
        app.screen.query_one("#statement-path", Input).value = str(bill)
        await press(pilot, "enter")
        assert app.screen.query_one("#to-record", DataTable).row_count == 1
        unmatched = app.screen.query_one("#unmatched", DataTable)
        assert unmatched.row_count == 2  # 借呗 and the CMB card payment
        unmatched.focus()
        unmatched.move_cursor(row=0)
        await press(pilot, "enter")
        dialog = app.screen
        dialog.query_one("#loan").value = 2
        dialog.query_one("#remember").value = True
        await settle(pilot)
        await press(pilot, "ctrl+s")  # assigns, as Ctrl+S saves every form
        assert app.screen.query_one("#to-record", DataTable).row_count == 2
        await press(pilot, "ctrl+s")
        # the statement is read again: what was recorded is known and left out, the row not yet assigned stays
        assert app.screen.query_one("#to-record", DataTable).row_count == 0
        assert app.screen.query_one("#unmatched", DataTable).row_count == 1
        assert "Recorded 2 repayments." in text(app, "#statement-summary")
    reps = Store.open(path).repayments()
    assert sorted((r.loan_id, r.amount) for r in reps) == [(1, 50_000), (2, 200_000)]
    assert any(rule[1] == 2 and rule[2] == "借呗" for rule in Store.open(path).match_rules())


async def test_a_statement_that_cannot_be_read_leaves_nothing_of_the_last_one_to_record(tmp_path: Path):

    path, bill = _cards_and_a_statement(tmp_path)
    before = len(Store.open(path).repayments())
    app = make_app(path, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "t")
        box = app.screen.query_one("#statement-path", Input)
        box.value = str(bill)
        await press(pilot, "enter")
        assert app.screen.query_one("#to-record", DataTable).row_count == 1
        box.value = str(tmp_path / "typo.csv")
        await press(pilot, "enter")
        assert "no such file" in text(app, "#statement-summary")
        assert app.screen.query_one("#to-record", DataTable).row_count == 0
        assert app.screen.query_one("#unmatched", DataTable).row_count == 0
        await press(pilot, "escape", "ctrl+s")
        assert "no such file" in text(app, "#statement-summary")
    assert len(Store.open(path).repayments()) == before


async def test_users_text_is_never_read_as_markup(tmp_path: Path):
    from tracker.inputs import LoanInput, build_loan
    from tracker.service.loans import add_loan

    path = tmp_path / "markup.db"
    store = Store.open(path)
    evil = "[/bold] 房贷 [red]x"
    data = LoanInput(
        name=evil,
        lender="[/]",
        principal="10000",
        rate="5",
        term="12",
        method="equal-installment",
        start="2026-01-15",
        notes="[b]",
    )
    add_loan(store, build_loan(data), TODAY)
    store.close()
    app = make_app(path, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        table = app.screen.query_one("#loans", DataTable)
        assert evil in str(table.get_row_at(0)[1])
        for key in ("enter", "r", "escape", "e", "escape", "x", "escape"):
            await pilot.press(key)
            await settle(pilot)
        # every screen that shows a loan's name, lender or notes (credit checks, the audit and Help show none)
        for name in ("dashboard", "dti", "plan", "statements", "messages"):
            await app.run_action(f"show('{name}')")
            await settle(pilot)
            assert app.screen.SCREEN_NAME == name


async def test_command_palette_reaches_screens_and_the_screens_actions(db: Path):
    from textual.widgets import Footer

    from tracker.i18n import load_catalog
    from tui.commands import DebtCommands

    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l", "enter")
        provider = DebtCommands(app.screen)
        names = [name for name, _help, _cb in provider._entries()]
        assert "Record repayment" in names and "Payoff plan" in names and "Import a statement" in names
        callback = dict((n, cb) for n, _h, cb in provider._entries())["Record repayment"]
        await callback()
        await settle(pilot)
        assert type(app.screen).__name__ == "RepayScreen"
        await press(pilot, "escape")
        # the palette's footer, on the bottom line, lists its own key: the keys of the screen beneath do nothing
        # while it is open (a letter goes into its search)
        beneath = app.screen
        await press(pilot, "ctrl+p")
        assert type(app.screen).__name__ == "Palette"
        footer = app.screen.query_one(Footer)
        assert footer.region.y == SIZE[1] - 1 and footer.region.width == SIZE[0]
        assert [(k.key, str(k.description)) for k in footer.query("FooterKey")] == [("escape", "Close")]
        await press(pilot, "r")  # typed into the search, not a repayment
        assert type(app.screen).__name__ == "Palette"
        await press(pilot, "escape")
        assert app.screen is beneath
        # Textual's own commands (here with a table focused, so Maximize too) have a Chinese translation; its
        # English-only keys panel is not offered: Help (?) is
        chinese = load_catalog("zh")
        commands = list(app.get_system_commands(app.screen))
        assert "Maximize" in [c.title for c in commands] and "Keys" not in [c.title for c in commands]
        assert [w for c in commands for w in (c.title, c.help) if not chinese.get(w)] == []
        # a search that finds nothing says so, and the theme picker asks, in the app's language (Textual's own
        # lines, said by the app's palette: it overrides Textual's method of that name, still there)
        from textual.command import CommandList, CommandPalette

        assert "_start_no_matches_countdown" in vars(CommandPalette) and chinese.get("No matches found")
        await press(pilot, "ctrl+p", *"qqzzxq")
        await settle(pilot, CommandPalette._NO_MATCHES_COUNTDOWN + 0.1)
        options = app.screen.query_one(CommandList)
        assert options.option_count == 1 and str(options.get_option_at_index(0).prompt.renderable) == "No matches found"
        await press(pilot, "escape")
        app.search_themes()
        await settle(pilot)
        assert type(app.screen).__name__ == "Palette" and chinese.get(app.screen.query_one(Input).placeholder)


async def test_pay_off_proposes_the_ledger_payoff_and_follows_the_date(db: Path):
    from tracker.ledger import payoff_quote
    from tracker.money import to_str

    store = Store.open(db)
    loan, reps = store.get_loan(1), store.repayments(1)
    store.close()
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l", "enter", "x")
        assert app.screen.query_one("#amount", Input).value == to_str(payoff_quote(loan, reps, TODAY).total)
        later = TODAY.replace(day=1)  # two weeks ago
        app.screen.query_one("#date", Input).value = later.isoformat()
        await settle(pilot)
        proposed = app.screen.query_one("#amount", Input).value
        # fourteen days less interest on the 2.40% mortgage
        assert proposed == to_str(payoff_quote(loan, reps, later).total) != to_str(payoff_quote(loan, reps, TODAY).total)
        await press(pilot, "ctrl+s")
        shown = text(app, "#terms")
        assert "closed" in shown.lower()
    store = Store.open(db)
    last = store.repayments(1)[-1]
    store.close()
    assert (last.date, last.prepay, to_str(last.amount)) == (later, True, proposed)


async def test_a_prepayment_says_what_it_changed(db: Path):
    app = make_app(db, TODAY)
    messages: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.notify = lambda message, **kw: messages.append(str(message))  # type: ignore[method-assign]
        await press(pilot, "l", "enter", "r")
        app.screen.query_one("#amount", Input).value = "100000"
        app.screen.query_one("#prepay").value = True
        await press(pilot, "ctrl+s")
    assert any("Now ends" in m and "Interest and fees saved" in m for m in messages), messages


async def test_editing_the_name_of_a_loan_with_repayments_keeps_its_rate(db: Path):
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        app.screen.query_one("#loans", DataTable).move_cursor(row=1)
        await press(pilot, "enter", "e")
        app.screen.query_one("#name", Input).value = "车贷 Car"
        await press(pilot, "ctrl+s")
    store = Store.open(db)
    assert store.get_loan(2).name == "车贷 Car"
    store.close()


async def _statement_screen(tmp_path: Path, pilot, app):
    from statement_files import alipay_bytes

    bill = tmp_path / "alipay.csv"
    bill.write_bytes(alipay_bytes())
    await settle(pilot)
    await press(pilot, "t")
    app.screen.query_one("#statement-path", Input).value = str(bill)
    await press(pilot, "enter")
    unmatched = app.screen.query_one("#unmatched", DataTable)
    unmatched.focus()
    return unmatched


def _two_cards(tmp_path: Path) -> Path:
    from tracker.inputs import LoanInput, build_loan
    from tracker.service.loans import add_loan

    path = tmp_path / "imp.db"
    store = Store.open(path)
    for name, lender, first_due in (("花呗", "蚂蚁", "2025-01-10"), ("借呗", "蚂蚁", "2025-01-12")):
        data = LoanInput(
            name=name, lender=lender, principal="3000", rate="0", method="revolving", start="2024-12-20", first_due=first_due
        )
        add_loan(store, build_loan(data), TODAY)
    store.close()
    return path


async def test_escape_from_the_statements_path_goes_to_its_unmatched_rows(tmp_path: Path):
    """After reading a statement, Escape leaves the path box for the rows to assign, so Enter assigns one (it did
    nothing, with no row focused)."""
    path = _two_cards(tmp_path)
    app = make_app(path, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        unmatched = await _statement_screen(tmp_path, pilot, app)
        app.screen.query_one("#statement-path", Input).focus()
        await press(pilot, "escape")
        assert unmatched.row_count and app.screen.focused is unmatched


async def test_assigning_a_row_without_a_suggestion_asks_for_a_loan(tmp_path: Path):
    path = _two_cards(tmp_path)
    app = make_app(path, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        unmatched = await _statement_screen(tmp_path, pilot, app)
        hints = [str(unmatched.get_row_at(n)[1]) for n in range(unmatched.row_count)]
        blank = next(n for n, hint in enumerate(hints) if not hint.strip())  # the CMB card payment: no suggestion
        unmatched.move_cursor(row=blank)
        await press(pilot, "enter")
        dialog = app.screen
        assert dialog.query_one("#loan").is_blank()
        dialog.query_one("#ok").press()  # no loan chosen: the dialog stays and says so
        await settle(pilot)
        assert app.screen is dialog
        dialog.query_one("#loan").value = 1
        await settle(pilot)
        dialog.query_one("#ok").press()
        await settle(pilot)
        assert app.screen.query_one("#to-record", DataTable).row_count == 1
        await press(pilot, "ctrl+s")
    reps = Store.open(path).repayments()
    assert [r.loan_id for r in reps] == [1]


async def test_cancelling_an_assignment_changes_nothing(tmp_path: Path):
    path = _two_cards(tmp_path)
    app = make_app(path, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        unmatched = await _statement_screen(tmp_path, pilot, app)
        rows = unmatched.row_count
        for close in ("escape", "cancel"):
            unmatched.move_cursor(row=0)
            await press(pilot, "enter")
            if close == "escape":
                await press(pilot, "escape")
            else:
                app.screen.query_one("#cancel").press()
                await settle(pilot)
            assert app.screen.query_one("#unmatched", DataTable).row_count == rows
            assert app.screen.query_one("#to-record", DataTable).row_count == 0
    assert Store.open(path).repayments() == []


async def test_auto_debit_from_the_form_and_a_failed_deduction_from_the_schedule(db: Path):
    from textual.widgets import Checkbox

    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l")
        app.screen.query_one("#loans", DataTable).move_cursor(row=3)  # 网贷 Quick Cash, overdue
        await press(pilot, "enter")
        assert "overdue" in text(app, "#terms").lower()
        await press(pilot, "e")
        assert not app.screen.query_one("#row-autopay_account").display
        app.screen.query_one("#autopay", Checkbox).value = True
        await settle(pilot)
        app.screen.query_one("#autopay_account", Input).value = "CMB ****9876"
        await press(pilot, "ctrl+s")
        loan = Store.open(db).get_loan(4)
        assert loan.autopay and loan.autopay_account == "CMB ****9876"
        terms = text(app, "#terms")
        assert "automatic deduction from CMB ****9876" in terms and "Overdue" not in terms
        # a failed deduction: pick the last installment the bank deducted and press f
        state = app.screen.view.state
        row = max(n for n, s in enumerate(state.schedule) if s.installment.due_date < TODAY)
        seq = state.schedule[row].installment.seq
        assert seq in [r.autopay_seq for r in state.repayments]
        app.screen.query_one("#schedule", DataTable).move_cursor(row=row)
        await press(pilot, "f", "y")
        assert Store.open(db).get_loan(4).missed == (seq,)
        assert "Overdue" in text(app, "#terms")
        # pressed again: it went through after all
        app.screen.query_one("#schedule", DataTable).move_cursor(row=row)
        await press(pilot, "f", "y")
        assert Store.open(db).get_loan(4).missed == ()
        assert "Overdue" not in text(app, "#terms")


async def test_add_a_card_record_its_bill_and_edit_it(tmp_path: Path):
    path = tmp_path / "cards.db"
    app = make_app(path, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "l", "k")
        form = app.screen
        for field, value in (
            ("name", "招行信用卡"),
            ("lender", "招商银行"),
            ("limit", "20000"),
            ("bill_day", "5"),
            ("due_day", "40"),
        ):
            form.query_one(f"#{field}", Input).value = value
        await press(pilot, "ctrl+s")
        assert "day of the month" in text(app, "#form-error")  # refused, nothing saved
        assert Store.open(path).loans() == []
        form.query_one("#due_day", Input).value = "23"
        await press(pilot, "ctrl+s")
        [card] = Store.open(path).loans()
        assert card.is_card and (card.credit_limit, card.bill_day, card.due_day) == (2_000_000, 5, 23)
        assert app.screen.loan_id == card.id
        # the month's bill, from the card's screen
        await press(pilot, "b")
        app.screen.query_one("#amount", Input).value = "15000"
        # the bill in hand is dated on the card's bill day, the latest one: proposed as such
        assert app.screen.query_one("#date", Input).value == TODAY.replace(day=5).isoformat()
        await press(pilot, "ctrl+s")
        [bill] = Store.open(path).get_loan(card.id).bills
        assert bill.amount == 1_500_000
        terms = text(app, "#terms")
        assert "75.0% of the limit used" in terms and "above 70%" in terms
        # edit: a higher limit brings the use under the line
        await press(pilot, "e")
        app.screen.query_one("#limit", Input).value = "30000"
        await press(pilot, "ctrl+s")
        assert Store.open(path).get_loan(card.id).credit_limit == 3_000_000
        assert "above 70%" not in text(app, "#terms")


async def test_match_rules_are_listed_and_deleted_from_the_import_screen(tmp_path: Path):
    path = _two_cards(tmp_path)
    store = Store.open(path)
    store.add_match_rule(1, "花呗", "", "")
    store.close()
    app = make_app(path, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await _statement_screen(tmp_path, pilot, app)
        assert app.screen.query_one("#to-record", DataTable).row_count == 1  # sent to 花呗 by the rule
        await press(pilot, "ctrl+l")
        rules = app.screen.query_one("#rules", DataTable)
        assert rules.row_count == 1 and str(rules.get_row_at(0)[2]) == "花呗"
        await press(pilot, "delete")
        assert "花呗" in str(app.screen.query_one(".question", Static).render())  # the question names the rule
        await press(pilot, "escape")  # not confirmed: nothing deleted
        assert len(Store.open(path).match_rules()) == 1
        await press(pilot, "delete", "y")
        assert app.screen.query_one("#rules", DataTable).row_count == 0
        await press(pilot, "escape")
        # the statement is matched again: the row the rule sent is unmatched now
        assert app.screen.query_one("#to-record", DataTable).row_count == 0
        # out of the path box, a dialog and back: the focus stays out, so a key typed next is a key, not text
        path_box = app.screen.query_one("#statement-path", Input)
        typed = path_box.value
        path_box.focus()
        await press(pilot, "escape", "ctrl+l", "escape")
        assert app.screen.focused is not path_box
        await press(pilot, "d")
        assert path_box.value == typed and app.screen.SCREEN_NAME == "dashboard"
    assert Store.open(path).match_rules() == []


async def test_a_contact_and_its_evidence_notes_are_corrected_and_deleted_in_the_app(tmp_path: Path):
    import datetime as dt

    from tracker.paths import evidence_dir
    from tracker.service.evidence import add_files
    from tracker.service.messages import log_contact

    path = tmp_path / "contacts.db"
    store = Store.open(path)
    when = dt.datetime(2026, 11, 10, 9, 30)
    contact = log_contact(store, channel="sms", sender="10690000", when=when, summary="催收短信", today=TODAY)
    shot = tmp_path / "shot.png"
    shot.write_bytes(b"\x89PNG fake")
    other = tmp_path / "call.m4a"
    other.write_bytes(b"audio")
    add_files(store, evidence_dir(path), [shot, other], when, contact_id=contact.id, note="截图")
    store.close()
    app = make_app(path, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "m")
        table = app.screen.query_one("#contacts", DataTable)
        table.focus()
        await press(pilot, "enter")
        form = app.screen
        form.query_one("#sender", Input).value = "95555"
        form.query_one("#when", Input).value = "2027-01-01 10:00"  # after today: refused, shown in the form
        await press(pilot, "ctrl+s")
        assert app.screen is form and "after today" in str(form.query_one("#form-error", Static).render())
        form.query_one("#when", Input).value = "2026-11-09 08:00"
        files = form.query_one("#files", DataTable)
        assert files.row_count == 2
        form.query_one("#file-note", Input).value = "催收员的截图"
        form.query_one("#file-note", Input).focus()
        await press(pilot, "enter")  # saves the note of the highlighted (first) file
        files.focus()
        files.move_cursor(row=1)
        await press(pilot, "delete")
        await press(pilot, "y")
        assert form.query_one("#files", DataTable).row_count == 1
        form.query_one("#sender", Input).focus()
        await press(pilot, "ctrl+s")
        assert app.screen is not form
    store = Store.open(path)
    saved = store.get_contact(contact.id or 0)
    assert (saved.sender, saved.happened_at) == ("95555", dt.datetime(2026, 11, 9, 8, 0))
    assert [(e.original_name, e.note) for e in store.evidence()] == [("shot.png", "催收员的截图")]
    assert [e["original_name"] for e in store.removed_evidence()] == ["call.m4a"]  # its hash is kept
    store.close()
    app = make_app(path, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "m")
        app.screen.query_one("#contacts", DataTable).focus()
        await press(pilot, "enter")
        app.screen.query_one("#delete").press()
        await settle(pilot)
        assert "95555" in str(app.screen.query_one(".question", Static).render())
        await press(pilot, "y")
        assert app.screen.query_one("#contacts", DataTable).row_count == 0
    store = Store.open(path)
    assert store.contacts() == [] and len(store.evidence()) == 1  # the evidence is kept, unlinked


async def test_the_messages_screen_keeps_the_app_keys_until_you_write(db: Path):
    from textual import events
    from textual.widgets import TextArea

    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "m")
        area = app.screen.query_one("#message-text", TextArea)
        assert app.screen.focused is not area
        await press(pilot, "w")
        assert app.screen.focused is area
        await press(pilot, "x", "escape")  # Escape leaves the box, not the screen
        assert app.screen.SCREEN_NAME == "messages" and area.text == "x"
        area.text = ""
        app.screen.post_message(events.Paste("你的征信可以内部渠道消除"))  # a paste anywhere goes into the box
        await settle(pilot)
        assert area.text == "你的征信可以内部渠道消除" and app.screen.focused is area
        await press(pilot, "escape", "l")  # the app's keys work again
        assert app.screen.SCREEN_NAME == "loans"


async def test_saving_the_same_message_twice_keeps_one_contact(db: Path):
    from textual import events

    before = len(Store.open(db).contacts())
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "m", "w")
        app.screen.post_message(events.Paste("【XX金融】您已逾期，请立即转账至个人账户"))
        await settle(pilot)
        await press(pilot, "ctrl+s", "ctrl+s")
        assert len(Store.open(db).contacts()) == before + 1
        app.screen.post_message(events.Paste("，否则上门"))  # another text: another contact
        await settle(pilot)
        await press(pilot, "ctrl+s")
        assert len(Store.open(db).contacts()) == before + 2


async def test_sorting_the_loans_list_at_80_columns_skips_the_lender_it_leaves_out(db: Path):
    """At 80 columns the lender's column is left out: s goes from the name to the amount outstanding, not to an
    order by a column the user cannot see; sorted by status, the overdue loan comes first."""
    app = make_app(db, TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "l")
        table = app.screen.query_one("#loans", DataTable)
        assert "lender" not in {str(c.key.value) for c in table.columns.values()}
        seen = []
        for _ in range(6):
            await press(pilot, "s")
            seen.append(app.screen.sort_column)
        assert seen == ["name", "outstanding", "apr", "next_due", "status", "id"]
        await press(pilot, "s", "s", "s", "s", "s")
        assert app.screen.sort_column == "status"
        assert "overdue" in str(table.get_row_at(0)[-1])


async def test_a_loans_tabs_have_their_own_keys(db: Path):
    from textual.widgets import TabbedContent

    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "l", "enter")
        tabs = app.screen.query_one("#loan-tabs", TabbedContent)
        await press(pilot, "y")
        assert tabs.active == "tab-repayments" and app.screen.focused.id == "repayments"
        await press(pilot, "s")
        assert tabs.active == "tab-schedule" and app.screen.focused.id == "schedule"


async def test_a_loan_opens_with_the_arrows_on_its_schedule_and_help_returns_to_it(db: Path):
    """A loan's page starts with the schedule focused (the arrows move its cursor at once, not the tabs'), and
    Help opened from it goes back to it on Escape, as from any screen."""
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "l", "enter")
        schedule = app.screen.query_one("#schedule", DataTable)
        assert app.screen.focused is schedule
        row = schedule.cursor_row
        await press(pilot, "down", "down")
        assert schedule.cursor_row == row + 2
        loan_screen = app.screen
        await press(pilot, "question_mark")
        assert app.screen.SCREEN_NAME == "help"
        await press(pilot, "escape")
        assert app.screen is loan_screen and schedule.cursor_row == row + 2
        await press(pilot, "escape", "question_mark", "escape")  # from the loans list too
        assert app.screen.SCREEN_NAME == "loans"


@pytest.mark.parametrize("size", [SMALL, (100, 30), SIZE])
async def test_a_loan_opens_with_its_first_unpaid_installment_in_view(db: Path, size: tuple[int, int]):
    """The mortgage's first unpaid installment is its 65th: the schedule opens scrolled so that it shows,
    below the scrollbar and header, whatever the terminal's size."""
    app = make_app(db, TODAY)
    async with app.run_test(size=size) as pilot:
        await press(pilot, "l", "enter")
        schedule = app.screen.query_one("#schedule", DataTable)
        row = schedule.cursor_row
        assert row > 40  # well past the first page
        top = schedule.scroll_offset.y
        rows_shown = schedule.scrollable_content_region.height - schedule.header_height
        assert top <= row < top + rows_shown, (size, row, top, rows_shown)


@pytest.mark.parametrize("keys", [[], ["l"], ["l", "enter"], ["i"], ["p"], ["c"], ["u"], ["t", "escape"], ["m"]])
async def test_help_and_quit_show_in_every_footer_at_80x24(db: Path, keys: list[str]):
    """A footer longer than the terminal is cut at its end: the screen's own keys come first, then Help and
    Quit, then the other screens (all named in Help), so ? and q are on screen on every screen at 80 columns
    (out of a text field: in one, q is a letter and the footer does not offer it)."""
    from textual.widgets import Footer

    app = make_app(db, TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, *keys)
        shown = {
            str(k.key_display): k.region
            for k in app.screen.query_one(Footer).query("FooterKey")
            if k.region.width and k.region.right <= SMALL[0]
        }
        assert {"?", "q"} <= set(shown), (keys, sorted(shown))


@pytest.mark.parametrize("keys", [["l", "enter", "x"], ["l", "enter", "r"], ["l", "enter", "delete"], ["a"], ["i", "a"]])
async def test_a_dialog_at_80x24_leaves_the_title_and_shows_its_own_keys(db: Path, keys: list[str]):
    """At 80x24 a dialog closes its gaps, so it stays below the title row with its buttons on screen, and its
    footer lists its own keys: the screen's beneath do nothing while it is open."""
    from textual.widgets import Button, Footer

    app = make_app(db, TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await press(pilot, *keys)
        dialog = app.screen.query_one(".dialog")
        assert dialog.region.y >= 1 and dialog.region.bottom <= SMALL[1] - 1, (keys, dialog.region)
        assert all(b.region.bottom <= SMALL[1] - 1 for b in app.screen.query(Button)), keys
        shown = {str(k.key_display) for k in app.screen.query_one(Footer).query("FooterKey")}
        assert "esc" in shown and not shown & {"?", "q", "l", "d"}, (keys, shown)


async def test_a_refusal_in_the_app_names_no_command_line_flag(db: Path):
    """An overpayment is refused in the app with what is still owed, without the CLI's "use --allow-overpay" (the
    app has no such flag); the command line says both."""
    from helpers import Debt

    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "l", "enter", "r")
        app.screen.query_one("#amount", Input).value = "9999999"
        await press(pilot, "ctrl+s")
        refusal = text(app, "#form-error")
        assert "still owed on loan 1" in refusal and "--allow-overpay" not in refusal
    said = Debt(db, TODAY.isoformat())("repay", "1", "9999999").stderr
    assert "still owed on loan 1 (use --allow-overpay to record it anyway)" in said


KEY_COLUMNS = {
    "d": {"dues": ("due", "loan", "amount")},
    "l": {"loans": ("id", "name", "outstanding", "apr", "next_due", "status")},
    "i": {"incomes": ()},
    "p": {"plan-table": ()},
    "c": {"checks": ()},
}


@pytest.mark.parametrize("key", list(KEY_COLUMNS))
async def test_each_screen_keeps_its_key_figures_at_80x24(db: Path, key: str):
    """Amounts, dates and statuses stay; a table never runs off the right edge (secondary columns go first)."""
    app = make_app(db, TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, key)
        for table_id, needed in KEY_COLUMNS[key].items():
            table = app.screen.query_one(f"#{table_id}", DataTable)
            keys = [c.key.value for c in table.columns.values()]
            assert all(k in keys for k in needed), (table_id, keys)
            width = sum(c.get_render_width(table) for c in table.columns.values())
            assert width <= SMALL[0] - 2, (table_id, width)
            assert table.row_count > 0


def shown_whole(widget) -> bool:
    """On the screen (above the footer) and nothing of it cut: as tall and as wide as what it holds."""
    region = widget.region
    return (
        region.height > 0
        and region.right <= SMALL[0]
        and region.bottom <= SMALL[1] - 1
        and region.height >= widget.virtual_size.height
        and region.width >= widget.virtual_size.width
    )


def placeholder_fits(box: Input) -> bool:
    """The box's placeholder reads whole, in English and in its Chinese translation."""
    from rich.cells import cell_len

    from tracker.i18n import load_catalog

    zh = load_catalog("zh")[box.placeholder]
    return box.content_region.width > max(cell_len(box.placeholder), cell_len(zh))  # and a cell for the cursor


async def test_the_audit_screen_keeps_its_progress_and_first_item_at_80x24(db: Path):
    from rich.cells import cell_len
    from textual.widgets import ProgressBar

    from tui.screens.audit import AuditCheckbox

    app = make_app(db, TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "u")
        count = app.screen.query_one("#audit-count", Static)
        counted = str(count.render())
        assert "3 / 13 checked" in counted and "1 not applicable" in counted and "every 90 days" in counted
        assert shown_whole(count) and count.region.width >= cell_len(counted)
        bar = app.screen.query_one("#audit-progress", ProgressBar)
        assert bar.region.width >= 10 and bar.region.y == count.region.y  # beside the figures, not pushed off
        assert (bar.progress, bar.total) == (3, 13)
        first = app.screen.focused
        assert isinstance(first, AuditCheckbox) and first is app.screen.query(AuditCheckbox).first()
        detail = first.parent.query_one(".audit-detail", Static)
        assert shown_whole(first) and "due: never checked" in str(detail.render()).split("\n")[0]
        assert detail.region.y < SMALL[1] - 1  # its due line is on screen under the box
        assert len(app.screen.query(AuditCheckbox)) == 14


async def test_the_messages_screen_keeps_the_highlighted_copy_and_the_evidence_field_at_80x24(db: Path):
    from rich.cells import cell_len
    from textual import events

    app = make_app(db, TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "m", "w")
        app.screen.post_message(
            events.Paste("【XX金融】您已逾期，今日不还款将上门催收并通知您的通讯录联系人，请立即转账至个人账户 6222021234567890")
        )
        await press(pilot, "ctrl+g", "escape")  # checked now (as you type, it waits for the typing to stop)
        highlighted = app.screen.query_one("#highlighted", Static)
        assert shown_whole(highlighted) and "6222********7890" in str(highlighted.render())
        assert shown_whole(app.screen.query_one("#evidence-path", Input))
        # the advice keeps its indentation on every line: a step's later lines under its words, not its number
        advice = app.screen.query_one("#advice", Static)
        lines = str(advice.render()).splitlines()
        steps = [k for k, line in enumerate(lines) if re.match(r"\d\. ", line)]
        assert len(steps) >= 2 and all(cell_len(line) <= advice.content_region.width for line in lines)
        after = [line for k, line in enumerate(lines) if k > steps[0] and k not in steps and line.strip()]
        assert after and all(line.startswith("   ") for line in after), lines


async def test_the_import_screen_keeps_its_fields_and_figures_at_80x24(tmp_path: Path):
    path = _two_cards(tmp_path)
    store = Store.open(path)
    store.add_match_rule(1, "花呗", "", "")  # one row to record, two to assign
    store.close()
    app = make_app(path, TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "t")
        box = app.screen.query_one("#statement-path", Input)
        assert shown_whole(box) and placeholder_fits(box) and app.screen.focused is box
        summary = app.screen.query_one("#statement-summary", Static)
        assert "CSV or XLSX" in str(summary.render()) and shown_whole(summary)
        await _statement_screen(tmp_path, pilot, app)
        assert "Alipay statement: 8 rows, 1 to record, 2 unmatched" in str(summary.render()) and shown_whole(summary)
        for table_id, rows, amounts in (("to-record", 1, ["500.00"]), ("unmatched", 2, ["2,000.00", "1,500.00"])):
            table = app.screen.query_one(f"#{table_id}", DataTable)
            keys = [c.key.value for c in table.columns.values()]
            assert keys[:3] == ["date", "loan", "amount"] and table.row_count == rows, (table_id, keys)
            assert sum(c.get_render_width(table) for c in table.columns.values()) <= SMALL[0] - 2, table_id
            assert [str(table.get_row_at(n)[2]) for n in range(rows)] == amounts
            region = table.region
            assert region.bottom <= SMALL[1] - 1 and region.height >= rows + 1, (table_id, region)  # header and rows


async def test_the_senders_box_reads_whole_at_80x24(db: Path):
    app = make_app(db, TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "m")
        sender = app.screen.query_one("#sender", Input)
        assert shown_whole(sender) and placeholder_fits(sender)


async def test_the_verdict_is_on_screen_at_80x24(db: Path):
    from textual.widgets import TextArea

    app = make_app(db, TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "m")
        app.screen.query_one("#message-text", TextArea).text = "【平安银行】您的账户异常，请加微信 pa95511 处理"
        await press(pilot, "ctrl+g")
        verdict = app.screen.query_one("#verdict", Static)
        region = verdict.region
        assert region.height > 0 and region.bottom <= SMALL[1] - 1 and "Verdict" in str(verdict.render())


async def _message_checked(app, pilot, message: str, *keys: str) -> None:
    """On the Messages screen, ``message`` in the box, then ``keys`` (Ctrl+G checks it, Ctrl+S keeps it)."""
    from textual.widgets import TextArea

    await press(pilot, "m")
    app.screen.query_one("#message-text", TextArea).text = message
    await press(pilot, *keys)


async def test_a_long_verdict_leaves_the_box_and_the_sender_on_screen_at_80x24(db: Path):
    """A scam message about a loan the ledger knows: its verdict and the ledger's note run over several lines,
    but the message box and the sender's field stay whole on screen, above the timeline (the verdict scrolls)."""
    app = make_app(db, TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await _message_checked(
            app,
            pilot,
            "【法务部】您在网贷平台的欠款已严重逾期，今日不处理将起诉，请立即转账至安全账户6222000012345678。",
            "ctrl+g",
        )
        left = app.screen.query_one("#message-left").region
        assert "Verdict" in str(app.screen.query_one("#verdict", Static).render())
        for wid in ("#verdict", "#message-text", "#sender-row"):
            region = app.screen.query_one(wid).region
            assert region.height > 0 and left.y <= region.y and region.bottom <= left.bottom, (wid, region, left)
        assert app.screen.query_one("#message-text").region.height == 4


async def test_a_message_received_at_night_is_flagged_and_kept_with_its_time(db: Path):
    """The time it came, typed beside the sender: a collection message at 23:40 breaks the collection rules; a
    time that is no time is said where the verdict goes, and nothing is kept; the contact keeps the time."""
    before = {c.id for c in Store.open(db).contacts()}
    app = make_app(db, TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await _message_checked(app, pilot, "【XX贷】您已逾期38天，请今天内还款，否则将上报征信", "ctrl+g")
        assert "night-contact" not in app.screen.result.codes
        assert "Rush" in str(app.screen.query_one("#advice", Static).render())
        app.screen.query_one("#received", Input).value = "25:70"
        await press(pilot, "ctrl+g", "ctrl+s")
        assert "23:40" in str(app.screen.query_one("#verdict", Static).render())
        assert "Rush" not in str(app.screen.query_one("#advice", Static).render())  # the earlier verdict's flags are gone
        assert {c.id for c in Store.open(db).contacts()} == before
        app.screen.query_one("#received", Input).value = "23:40"
        await settle(pilot, 0.8)  # checked again once the typing pauses
        assert "night-contact" in app.screen.result.codes
        await press(pilot, "ctrl+s")
        await press(pilot, "ctrl+n")  # the next message: an empty box, sender and time, no verdict, the box focused
        box = app.screen.query_one("#message-text", TextArea)
        assert (box.text, app.screen.query_one("#received", Input).value, app.screen.result) == ("", "", None)
        assert app.screen.focused is box and "Rush" not in str(app.screen.query_one("#advice", Static).render())
    kept = [c for c in Store.open(db).contacts() if c.id not in before]
    assert [c.happened_at for c in kept] == [dt.datetime(TODAY.year, TODAY.month, TODAY.day, 23, 40)]
    assert "night-contact" in kept[0].flags


async def test_the_timeline_keeps_a_verdict_whole_at_80x24(db: Path):
    """A kept message's row in the timeline at 80 columns: the file count and the channel are left out first,
    the summary is cut with "…", the verdict is whole and the table no wider than the screen."""
    app = make_app(db, TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await _message_checked(
            app, pilot, "【法务部】您的欠款已严重逾期，请立即转账至安全账户6222000012345678。", "ctrl+g", "ctrl+s"
        )
        table = app.screen.query_one("#contacts", DataTable)
        keys = [c.key.value for c in table.columns.values()]
        assert "verdict" in keys and "files" not in keys, keys
        verdict = list(table.columns.values())[keys.index("verdict")]
        assert verdict.width >= len("likely a scam")
        assert str(table.get_row_at(0)[keys.index("verdict")]) == "likely a scam"
        assert sum(c.get_render_width(table) for c in table.columns.values()) <= SMALL[0]


async def test_the_palettes_screenshot_is_saved_privately_without_a_downloads_folder(db: Path, tmp_path: Path, monkeypatch):
    import stat

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setattr(Path, "home", classmethod(lambda cls: home))
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.save_private_screenshot()
        await settle(pilot)
        (saved,) = home.glob("debt-tracker-*.svg")
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600 and saved.read_text(encoding="utf-8").startswith("<svg")
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles.count("Screenshot") == 1
        (note,) = [n for n in app._notifications if "Saved a picture" in n.message]
        assert "[$" not in note.message and str(home) in note.message


async def test_forms_keep_their_buttons_on_screen_at_80x24(db: Path):
    from textual.widgets import Button

    app = make_app(db, TODAY)
    async with app.run_test(size=SMALL) as pilot:
        for keys in (("a",), ("l", "k")):
            await press(pilot, *keys)
            for button_id in ("save", "cancel"):
                region = app.screen.query_one(f"#{button_id}", Button).region
                assert region.height > 0 and region.bottom <= SMALL[1], (keys, button_id, region)
            await press(pilot, "escape", "d")


async def test_a_screen_has_its_breakpoint_classes_as_it_is_made_as_textual_gives_them_on_a_resize(db: Path):
    """Made with them, a screen is styled once for its size; Textual's first Resize then changes nothing."""
    from tui.dialogs.confirm import ConfirmScreen
    from tui.screens.dti import DTIScreen
    from tui.screens.loan_detail import LoanDetailScreen

    for size, wanted in ((SMALL, {"-short", "-narrow"}), (SIZE, {"-tall", "-wide"})):
        app = make_app(db, TODAY)
        async with app.run_test(size=size) as pilot:
            for screen in (ConfirmScreen("?"), DTIScreen(), LoanDetailScreen(1)):
                made = set(screen.classes)
                assert made and made <= wanted, (size, type(screen).__name__, made)
                await app.push_screen(screen)
                await pilot.pause()
                assert set(screen.classes) & wanted == made, (size, type(screen).__name__, screen.classes)
                app.pop_screen()
                await pilot.pause()


async def test_a_loans_terms_and_warnings_show_whole_at_80x24(db: Path):
    app = make_app(db, TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "l", "down", "down", "enter")  # the card instalments: two rate warnings
        terms = app.screen.query_one("#terms", Static)
        assert "true APR" in str(terms.render())
        assert terms.region.height >= terms.virtual_size.height  # nothing cut at the bottom
        assert not app.screen.query_one("#balance-box").display


async def test_escape_leaves_a_text_field_before_it_leaves_the_screen(db: Path):
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "p")
        budget = app.screen.query_one("#budget", Input)
        budget.focus()
        await press(pilot, "escape")
        assert app.screen.SCREEN_NAME == "plan" and app.screen.focused is not budget
        await press(pilot, "c")  # the app's keys work again instead of typing into the budget
        assert app.screen.SCREEN_NAME == "credit"


async def test_a_dropdown_stops_at_its_first_and_last_option(db: Path):
    """Up and Down in an open dropdown stop at its ends: one press too many never jumps to the other end."""
    from tracker.models import KIND_LABELS, METHOD_LABELS
    from tui.widgets import Select

    kinds, methods = list(KIND_LABELS), list(METHOD_LABELS)
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "a")
        kind = app.screen.query_one("#kind", Select)
        assert kind.value == kinds[-1]  # a new loan starts at "other", the last kind
        kind.focus()
        # keys inside an open list start no database work: pressed in a row, then settled once
        await pilot.press("enter", *["down"] * 3, "enter")
        await settle(pilot)
        assert kind.value == kinds[-1]
        await pilot.press("enter", *["up"] * (len(kinds) + 2), "enter")
        await settle(pilot)
        assert kind.value == kinds[0]
        await pilot.press("enter", "up", "enter")
        await settle(pilot)
        assert kind.value == kinds[0]
        method = app.screen.query_one("#method", Select)
        method.focus()
        await pilot.press("enter", *["down"] * (len(methods) + 3), "enter")
        await settle(pilot)
        assert method.value == methods[-1]


async def test_keys_that_come_together_are_typed_in_their_order(db: Path):
    """A terminal delivers what was typed in one burst over a slow connection: the keys reach the app together.
    Backspace and the arrows are key bindings, which Textual ran only once the key had bubbled up to the App,
    after the printable keys behind them were typed ("abc", backspace, "e" left "abc")."""
    from textual import events

    def burst(*keys: tuple[str, str | None]) -> None:
        for key, character in keys:
            app.post_message(events.Key(key, character))

    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "l", "enter", "r")
        amount = app.screen.query_one("#amount", Input)
        assert amount.value == "4738.33" and amount.selection.end == len(amount.value)  # proposed, selected
        burst(("backspace", "\x7f"), *((c, c) for c in "4000"), ("left", None), ("left", None), ("x", "x"))
        await settle(pilot)
        assert amount.value == "40x00"
        burst(("home", None), ("delete", None), ("end", None), ("backspace", None), ("9", "9"))
        await settle(pilot)
        assert amount.value == "0x09"
        await press(pilot, "escape", "escape", "escape", "m")
        box = app.screen.query_one("#message-text", TextArea)
        box.focus()
        await pilot.press(*"abc")
        burst(("backspace", "\x7f"), ("e", "e"), ("left", None), ("x", "x"))
        await settle(pilot)
        assert box.text == "abxe"


def test_the_apps_text_fields_are_the_ones_that_take_keys_in_order():
    import ast

    tui = ROOT / "tui"
    direct = []
    for path in tui.rglob("*.py"):
        if "widgets" in path.relative_to(tui).parts:  # where the app's own Input and TextArea live
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual.widgets"):
                direct += [f"{path.name}: {a.name}" for a in node.names if a.name in ("Input", "TextArea")]
    assert direct == []


def test_every_dropdown_of_the_app_is_the_one_that_stops_at_its_ends():
    import ast

    tui = ROOT / "tui"
    direct = []
    for path in tui.rglob("*.py"):
        if "widgets" in path.relative_to(tui).parts:  # where the one Select subclass lives
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("textual.widgets"):
                if any(alias.name == "Select" for alias in node.names):
                    direct.append(path.name)
    assert direct == []


def y_axis(plot) -> list[tuple[int, str]]:
    """(row, label) for each tick on a chart's y-axis, as drawn."""
    import re

    lines = plot.render().plain.splitlines()
    marks = [(n, re.match(r"^\s*([^\s┤├]*)([┤├])", line)) for n, line in enumerate(lines)]
    # a tick is "┤"; "├" without a label is where a horizontal line (the warning line) meets the axis
    return [(n, m.group(1)) for n, m in marks if m and (m.group(1) or m.group(2) == "┤")]


@pytest.mark.parametrize("size", [SMALL, SIZE])
async def test_the_dti_chart_has_regular_percent_ticks(db: Path, size: tuple[int, int]):
    from tui.widgets import PercentPlot

    app = make_app(db, TODAY)
    async with app.run_test(size=size) as pilot:
        await press(pilot, "i")
        ticks = y_axis(app.screen.query_one("#dti-chart", PercentPlot))
        assert len(ticks) >= 3 and all(label.endswith("%") for _row, label in ticks), ticks
        values = [float(label[:-1]) for _row, label in reversed(ticks)]
        rows = [row for row, _label in reversed(ticks)]
        assert values[0] == 0 and values[-1] >= 200  # 0% at the bottom; the highest month (202.4%) within the axis
        assert len({b - a for a, b in pairwise(values)}) == 1, values  # one step, none skipped
        assert len({a - b for a, b in pairwise(rows)}) == 1, rows  # the same number of rows apart


async def test_a_loans_chart_counts_yuan_on_round_ticks_and_months_below(db: Path):
    """The mortgage's balance (1,200,000.00 at the start): round amounts in yuan from 0 up, each step the same,
    and the months the installments fall due along the bottom (it started in June 2021)."""
    from tui.widgets import AmountPlot

    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "l", "enter")
        assert app.screen.loan_id == 1
        plot = app.screen.query_one("#balance-chart", AmountPlot)
        values = [float(label.replace(",", "")) for _row, label in reversed(y_axis(plot))]
        assert values[0] == 0 and values[-1] >= 1_000_000 and len(values) >= 3
        assert len({b - a for a, b in pairwise(values)}) == 1 and all(v == int(v) for v in values), values
        below = plot.render().plain.splitlines()[-1].split()
        assert below[0] == "21-06" and all(re.fullmatch(r"\d\d-\d\d", label) for label in below), below
    # a loan with nothing paid yet has no "paid so far" line: on the axis, it read as a second axis ("┌┬", "││")
    from helpers import Debt, small_loan

    new_id = Debt(db, TODAY.isoformat()).ok(*small_loan("new", start=TODAY.isoformat()), "--json").json["id"]
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "l")
        app.screen.query_one("#loans", DataTable).move_cursor(row=new_id - 1)  # by id, the last
        await press(pilot, "enter")
        assert app.screen.loan_id == new_id
        chart = app.screen.query_one("#balance-chart", AmountPlot).render().plain
        assert "┌┬" not in chart and not any("││" in line for line in chart.splitlines()), chart


@pytest.mark.parametrize(("tick", "label"), [(0, "0"), (250_000, "250,000"), (2.5, "2.5"), (0.25, "0.25")])
def test_an_amount_axis_labels_its_ticks_as_amounts(tick: float, label: str):
    from tui.widgets import AmountPlot

    assert AmountPlot.label(tick) == label


@given(need=st.floats(0.01, 100_000), rows=st.integers(3, 80))
def test_percent_ticks_are_round_even_and_on_rows(need: float, rows: int):
    from tui.widgets import percent_ticks

    top, ticks = percent_ticks(need, rows)
    span = rows - 1
    assert top >= need and ticks[0] == 0 and ticks[-1] <= top + 1e-9
    assert min(3, span // 2 + 1) <= len(ticks) <= min(8, span // 2 + 1)
    places = [tick * span / top for tick in ticks]  # the row each tick falls on, counted from the bottom
    assert all(abs(p - round(p)) < 1e-6 for p in places)
    assert len({round(b - a, 6) for a, b in pairwise(places)}) == 1 and places[1] - places[0] >= 2 - 1e-6


async def test_the_footer_shows_whole_keys_only_and_fits_them_again_on_a_resize(db: Path):
    """A key cut at the edge ("m Messa") said less than none: the footer shows the keys that fit whole, in their
    order (the rest are in Help), and takes them again when the terminal is resized."""
    from textual.widgets._footer import FooterKey

    def keys() -> list[str]:
        footer = app.screen.query_one("Footer")
        shown = list(app.screen.query(FooterKey))
        assert all(key.region.right <= footer.region.right for key in shown)
        return [str(key.description) for key in shown]

    app = make_app(db, TODAY)
    async with app.run_test(size=SMALL) as pilot:
        await press(pilot, "l", "enter")  # the loan page: its own keys, then the app's
        small = keys()
        actions = {b.action: str(b.description) for _node, b, *_rest in reversed(app.screen.active_bindings.values())}
        active = [actions[a] for a in dict.fromkeys(b.action for _n, b, *_r in app.screen.active_bindings.values() if b.show)]
        assert small == active[: len(small)] and "Record repayment" in small and len(small) < len(active)
        await pilot.resize_terminal(*SIZE)
        await settle(pilot)
        wide = keys()
        assert wide[: len(small)] == small and len(wide) > len(small)
        await pilot.resize_terminal(*SMALL)
        await settle(pilot)
        assert keys() == small
        # Help is "?", except where a text field has the focus and types it: there its footer shows F1, which works
        help_key = {str(k.description): k.key_display for k in app.screen.query(FooterKey)}.get("Help")
        assert help_key == "?"
        await press(pilot, "escape", "t")  # the import screen opens in its path field
        assert type(app.screen.focused).__name__ == "Input"
        shown = {str(k.description): k.key_display for k in app.screen.query(FooterKey)}
        assert shown.get("Help") == "f1" and "Quit" not in shown  # q, typed too, is not offered
        await press(pilot, "f1")
        assert type(app.screen).__name__ == "HelpScreen"


async def test_the_footer_is_built_once_per_refresh_and_shows_the_screens_keys(db: Path, monkeypatch):
    """Opening a screen changes its bindings several times before the next refresh; the footer is
    built again once for them (it reads the bindings when it is built, so it shows the last ones)."""
    from textual.widgets import Footer as TextualFooter
    from textual.widgets._footer import FooterKey

    from tui.widgets import Footer

    signals, builds = [], []
    real_changed, real_recompose = TextualFooter.bindings_changed, TextualFooter.recompose

    def changed(self, screen):
        signals.append(type(screen).__name__)
        real_changed(self, screen)

    async def recompose(self):
        builds.append(type(self.screen).__name__)
        await real_recompose(self)

    monkeypatch.setattr(TextualFooter, "bindings_changed", changed)
    monkeypatch.setattr(TextualFooter, "recompose", recompose)
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        signals.clear()
        builds.clear()
        await press(pilot, "l")
        await settle(pilot)
        assert isinstance(app.screen.query_one(TextualFooter), Footer)
        assert signals.count("LoansScreen") >= 3  # what the footer is spared
        assert builds.count("LoansScreen") < signals.count("LoansScreen")
        shown = [key.action for key in app.screen.query(FooterKey)]
        active = [binding.action for _node, binding, *_rest in app.screen.active_bindings.values() if binding.show]
        active = list(dict.fromkeys(active))  # one key per action, where its first binding stands (as Textual's footer)
        assert shown == active[: len(shown)] and len(shown) >= 10  # in their order, as many as fit whole
        footer, built = app.screen.query_one(Footer), len(builds)
        footer.bindings_changed(app.screen)  # a signal that changes no key shown: nothing is built again
        await settle(pilot)
        assert len(builds) == built
        await press(pilot, "slash")  # the filter takes the focus: its keys replace the table's
        await settle(pilot)
        assert len(builds) == built + 1
        shown = {key.action for key in app.screen.query(FooterKey)}
        active = {binding.action for _node, binding, *_rest in app.screen.active_bindings.values() if binding.show}
        assert shown == active and "sort" not in shown


def test_help_lists_the_audit_items_own_key():
    """The checklist tells you to tick an item with Space or Enter: Help's table of the audit screen says so too."""
    from tui.screens.help import screen_sections

    lines = screen_sections()
    audit = lines.index(next(line for line in lines if "App-permission audit" in line))
    assert any("Space / Enter" in line and "Tick the focused item done" in line for line in lines[audit : audit + 8])


def test_a_name_cut_short_ends_on_its_last_whole_character_then_the_ellipsis():
    """Rich filled the cell a Chinese character no longer fit with a space ("信用卡分 …"); a cut after a space left
    one too ("信用卡分期 …"). The cut keeps the text's style and never exceeds the width."""
    from rich.text import Text

    from tui.widgets import ellipsize

    name = Text("信用卡分期 Card instalments", style="bold")
    assert [ellipsize(name, w).plain for w in (10, 12, 13)] == ["信用卡分…", "信用卡分期…", "信用卡分期 C…"]
    assert all(ellipsize(name, w).cell_len <= w and ellipsize(name, w).style == "bold" for w in range(1, 30))
    assert ellipsize(name, 40) is name


async def test_a_rate_change_from_a_date_is_recorded_in_the_app(db: Path):
    """The loan form refuses a new rate once a loan has repayments (it would rewrite them); R records the change
    from a date, as `debt loan rate` does, and the paid installments stay."""
    app = make_app(db, TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "l", "enter")  # the mortgage, 2.40% since 2026-01-01
        assert app.screen.loan_id == 1
        paid_before = [r for r in Store.open(db).repayments(1)]
        await press(pilot, "R")
        assert type(app.screen).__name__ == "RateChangeForm" and "2.40%" in text(app, ".hint")
        app.screen.query_one("#rate", Input).value = "2.2"
        app.screen.query_one("#from", Input).value = "2027-01-01"
        await press(pilot, "ctrl+s")
        assert type(app.screen).__name__ == "LoanDetailScreen"
    store = Store.open(db)
    loan = store.get_loan(1)
    assert loan.rate_on(dt.date(2027, 1, 1)) == Decimal("2.2") and loan.rate_on(TODAY) == Decimal("2.4")
    assert store.repayments(1) == paid_before
