"""Contacts (collection messages and calls) and their evidence files' records in the store."""

from __future__ import annotations

import datetime as dt

from ..errors import NotFound
from ..i18n import _
from ..models import Contact, Evidence
from .base import StoreBase
from .rows import _CONTACT_COLUMNS, _EVIDENCE_COLUMNS, _contact_from, _contact_row, _evidence_from, _evidence_row


class ContactStore(StoreBase):
    """Contacts and evidence, with the list of evidence removed."""

    def add_contact(self, contact: Contact) -> Contact:
        return self.get_contact(self._insert("contacts", _contact_row(contact)))

    def get_contact(self, contact_id: int) -> Contact:
        row = self.conn.execute(f"SELECT {', '.join(_CONTACT_COLUMNS)} FROM contacts WHERE id = ?", [contact_id]).fetchone()
        if row is None:
            raise NotFound(_("no contact with id {id}").format(id=contact_id))
        return _contact_from(row)

    def contacts(self) -> list[Contact]:
        rows = self.conn.execute(f"SELECT {', '.join(_CONTACT_COLUMNS)} FROM contacts ORDER BY happened_at, id").fetchall()
        return [_contact_from(r) for r in rows]

    def update_contact(self, contact: Contact) -> Contact:
        row = _contact_row(contact)
        contact_id = row.pop("id")
        self.get_contact(contact_id)
        self._update("contacts", contact_id, row)
        return self.get_contact(contact_id)

    def delete_contact(self, contact_id: int) -> None:
        self.get_contact(contact_id)
        self._delete("contacts", contact_id)  # its evidence stays, unlinked (ON DELETE SET NULL)

    def add_evidence(self, item: Evidence) -> Evidence:
        return self.get_evidence(self._insert("evidence", _evidence_row(item)))

    def get_evidence(self, evidence_id: int) -> Evidence:
        row = self.conn.execute(f"SELECT {', '.join(_EVIDENCE_COLUMNS)} FROM evidence WHERE id = ?", [evidence_id]).fetchone()
        if row is None:
            raise NotFound(_("no evidence with id {id}").format(id=evidence_id))
        return _evidence_from(row)

    def evidence(self, contact_id: int | None = None) -> list[Evidence]:
        sql = f"SELECT {', '.join(_EVIDENCE_COLUMNS)} FROM evidence"
        params: list[object] = []
        if contact_id is not None:
            sql += " WHERE contact_id = ?"
            params.append(contact_id)
        return [_evidence_from(r) for r in self.conn.execute(sql + " ORDER BY id", params).fetchall()]

    def delete_evidence(self, evidence_id: int, removed_at: dt.datetime) -> None:
        """Delete an evidence record, keeping what it was (name, hash, size) in the list of removed files."""
        item = self.get_evidence(evidence_id)
        with self.write():
            self.conn.execute(
                "INSERT INTO evidence_removed (original_name, sha256, size, added_at, removed_at, contact_id, note) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    item.original_name,
                    item.sha256,
                    item.size,
                    item.added_at.isoformat(timespec="seconds"),
                    removed_at.isoformat(timespec="seconds"),
                    item.contact_id,
                    item.note,
                ],
            )
            self._delete("evidence", evidence_id)

    def removed_evidence(self) -> list[dict[str, object]]:
        cols = "id original_name sha256 size added_at removed_at contact_id note".split()
        rows = self.conn.execute(f"SELECT {', '.join(cols)} FROM evidence_removed ORDER BY id")
        return [dict(zip(cols, r, strict=True)) for r in rows]

    def set_evidence_note(self, evidence_id: int, note: str) -> Evidence:
        self.get_evidence(evidence_id)
        self._update("evidence", evidence_id, {"note": note})
        return self.get_evidence(evidence_id)
