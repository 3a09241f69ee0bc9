"""The user's other records in the store: incomes, credit checks, audit items, settings, statement match rules."""

from __future__ import annotations

from .. import migrations
from ..errors import NotFound
from ..i18n import _
from ..models import AuditItem, CreditCheck, Income
from .base import StoreBase
from .rows import (
    _AUDIT_COLUMNS,
    _CHECK_COLUMNS,
    _INCOME_COLUMNS,
    _audit_from,
    _audit_row,
    _check_from,
    _check_row,
    _income_from,
    _income_row,
)


class RecordStore(StoreBase):
    """Incomes, credit checks, audit items, settings and statement match rules."""

    def add_income(self, income: Income) -> Income:
        return self.get_income(self._insert("incomes", _income_row(income)))

    def update_income(self, income: Income) -> Income:
        row = _income_row(income)
        row.pop("id")
        self._update("incomes", income.id or 0, row)
        return self.get_income(income.id or 0)

    def get_income(self, income_id: int) -> Income:
        row = self.conn.execute(f"SELECT {', '.join(_INCOME_COLUMNS)} FROM incomes WHERE id = ?", [income_id]).fetchone()
        if row is None:
            raise NotFound(_("no income with id {id}").format(id=income_id))
        return _income_from(row)

    def incomes(self) -> list[Income]:
        rows = self.conn.execute(f"SELECT {', '.join(_INCOME_COLUMNS)} FROM incomes ORDER BY start_date, id").fetchall()
        return [i for i in (self._read("incomes", r, _income_from) for r in rows) if i is not None]

    def delete_income(self, income_id: int) -> None:
        self.get_income(income_id)
        self._delete("incomes", income_id)

    def add_credit_check(self, check: CreditCheck) -> CreditCheck:
        return self.get_credit_check(self._insert("credit_checks", _check_row(check)))

    def update_credit_check(self, check: CreditCheck) -> CreditCheck:
        row = _check_row(check)
        row.pop("id")
        self._update("credit_checks", check.id or 0, row)
        return self.get_credit_check(check.id or 0)

    def get_credit_check(self, check_id: int) -> CreditCheck:
        row = self.conn.execute(f"SELECT {', '.join(_CHECK_COLUMNS)} FROM credit_checks WHERE id = ?", [check_id]).fetchone()
        if row is None:
            raise NotFound(_("no credit check with id {id}").format(id=check_id))
        return _check_from(row)

    def credit_checks(self) -> list[CreditCheck]:
        rows = self.conn.execute(f"SELECT {', '.join(_CHECK_COLUMNS)} FROM credit_checks ORDER BY date, id").fetchall()
        return [_check_from(r) for r in rows]

    def delete_credit_check(self, check_id: int) -> None:
        self.get_credit_check(check_id)
        self._delete("credit_checks", check_id)

    def add_audit_items(self, items: list[AuditItem]) -> None:
        with self.write():
            for item in items:
                self._insert("audit_items", _audit_row(item))

    def update_audit_item(self, item: AuditItem) -> AuditItem:
        row = _audit_row(item)
        row.pop("id")
        self._update("audit_items", item.id or 0, row)
        return self.get_audit_item(item.id or 0)

    def get_audit_item(self, item_id: int) -> AuditItem:
        row = self.conn.execute(f"SELECT {', '.join(_AUDIT_COLUMNS)} FROM audit_items WHERE id = ?", [item_id]).fetchone()
        if row is None:
            raise NotFound(_("no audit item with id {id}").format(id=item_id))
        return _audit_from(row)

    def audit_items(self) -> list[AuditItem]:
        rows = self.conn.execute(f"SELECT {', '.join(_AUDIT_COLUMNS)} FROM audit_items ORDER BY id").fetchall()
        return [_audit_from(r) for r in rows]

    def reset_audit(self) -> None:
        with self.write():
            self.conn.execute("UPDATE audit_items SET status = 'open', last_done = NULL")

    # -- settings ----------------------------------------------------------------
    def settings(self) -> dict[str, str]:
        return {k: v for k, v in self.conn.execute("SELECT key, value FROM settings ORDER BY key")}

    def set_setting(self, key: str, value: str) -> None:
        with self.write():
            self.conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    # -- statement match rules -----------------------------------------------------
    def add_match_rule(self, loan_id: int, counterparty: str, description: str, method: str, uid: str | None = None) -> int:
        self.get_loan(loan_id)
        return self._insert(
            "match_rules",
            {"loan_id": loan_id, "counterparty": counterparty, "description": description, "method": method, "uid": uid},
        )

    def update_match_rule(self, rule_id: int, loan_id: int, counterparty: str, description: str, method: str) -> None:
        self._update(
            "match_rules",
            rule_id,
            {"loan_id": loan_id, "counterparty": counterparty, "description": description, "method": method},
        )

    def get_match_rule(self, rule_id: int) -> tuple[int, int, str, str, str]:
        row = self.conn.execute(
            "SELECT id, loan_id, counterparty, description, method FROM match_rules WHERE id = ?", [rule_id]
        ).fetchone()
        if row is None:
            raise NotFound(_("no statement rule with id {id}").format(id=rule_id))
        return tuple(row)  # type: ignore[return-value]

    def delete_match_rule(self, rule_id: int) -> None:
        self.get_match_rule(rule_id)
        self._delete("match_rules", rule_id)

    def match_rule_uids(self) -> dict[int, str]:
        return {r[0]: r[1] for r in self.conn.execute("SELECT id, uid FROM match_rules")}

    def uids(self, table: str) -> dict[str, int]:
        """Every record's identity in a table, to its id (import compares by these)."""
        if table not in migrations.UID_TABLES:
            raise ValueError(table)
        return {uid: row_id for row_id, uid in self.conn.execute(f"SELECT id, uid FROM {table}")}

    def match_rules(self) -> list[tuple[int, int, str, str, str]]:
        """(id, loan_id, counterparty, description, method) for every rule."""
        return [
            tuple(r)
            for r in self.conn.execute("SELECT id, loan_id, counterparty, description, method FROM match_rules ORDER BY id")
        ]

    def imported_refs(self) -> set[tuple[str, str]]:
        """(source, order id) of every repayment that came from a statement."""
        rows = self.conn.execute("SELECT source, source_ref FROM repayments WHERE source != ''")
        return {(r[0], r[1]) for r in rows}
