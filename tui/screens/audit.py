"""The app-permission checklist: tick an item when you have checked it; due items come first."""

from __future__ import annotations

import asyncio
import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Checkbox, ProgressBar, Static

from tracker.audit import due_date, is_checked, is_due, localised, ordered, progress
from tracker.i18n import _, ngettext
from tracker.models import AuditItem
from tracker.service.health import audit_done, audit_interval, audit_items, audit_reset, audit_skip, audit_undo

from ..dialogs.confirm import ConfirmScreen
from .base import DataScreen
from .dti import BREAKPOINTS, CSS_PATH


class AuditCheckbox(Checkbox):
    """A checklist item's box; it knows which item it ticks. The arrow keys move between items."""

    BINDINGS = [
        Binding("down,j", "app.focus_next", _("Next item"), show=False),
        Binding("up,k", "app.focus_previous", _("Previous item"), show=False),
    ]

    def __init__(self, label: str, value: bool, item_id: int) -> None:
        super().__init__(label, value, id=f"audit-{item_id}")
        self.item_id = item_id


class AuditScreen(DataScreen):
    SCREEN_NAME = "audit"
    CSS_PATH = CSS_PATH
    HORIZONTAL_BREAKPOINTS = BREAKPOINTS
    BINDINGS = [
        # the item's own key (its checkbox takes it first): here so that Help lists it with the screen's
        Binding("space,enter", "toggle", _("Tick"), show=False, tooltip=_("Tick the focused item done, or untick it")),
        Binding("s", "skip", _("Skip"), tooltip=_("Mark the focused item not applicable")),
        Binding("R", "reset", _("Reset"), tooltip=_("Start the whole checklist over")),
    ]

    def action_toggle(self) -> None:
        if isinstance(self.focused, AuditCheckbox):
            self.focused.toggle()

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[int, AuditItem] = {}
        self.interval = 90
        self._building = asyncio.Lock()

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        with Vertical(id="audit-top"):
            with Horizontal(id="audit-progress-row"):
                yield Static(id="audit-count")
                yield ProgressBar(id="audit-progress", show_eta=False, show_percentage=False)
            yield Static(
                _(
                    "Space or Enter ticks the focused item when you have checked it on your phone. "
                    "Menu paths vary with app and phone versions: if one does not match, look for the permission "
                    "by name in the app's settings."
                ),
                classes="hint",
            )
        yield VerticalScroll(id="audit-list")
        yield from self.compose_footer()

    # -- data ----------------------------------------------------------------------
    def reload(self) -> None:
        def load(store) -> tuple[list[AuditItem], int]:
            return audit_items(store), audit_interval(store)

        self.load(load, self.show_data)

    async def show_data(self, data: tuple[list[AuditItem], int]) -> None:
        if not self.is_attached:
            return
        items, self.interval = data
        self.items = {i.id or 0: i for i in items}
        async with self._building:  # two loads landing together must not mount the list twice
            if {box.item_id for box in self.query(AuditCheckbox)} == set(self.items):
                # the same items: update them where they are, so nothing jumps under the cursor
                for item in items:
                    self.item_saved(item)
                return
            await self.build(items)

    async def build(self, items: list[AuditItem]) -> None:
        """Lay the checklist out afresh: due items first, then checked ones, the not applicable last."""
        rows = []
        for item in ordered(items, self.debt_app.today, self.interval):
            shown = localised(item)
            label = _("{app}: {permission}").format(app=shown.app, permission=shown.permission)
            box = AuditCheckbox(label, self.ticked(item), item.id or 0)
            rows.append(Vertical(box, Static(self.detail(item), classes="audit-detail"), classes="audit-item"))
        listing = self.query_one("#audit-list", VerticalScroll)
        await listing.remove_children()
        await listing.mount_all(rows)
        for row in rows:
            self.style_row(row.query_one(AuditCheckbox))
        self.show_progress()
        boxes = self.query(AuditCheckbox)
        if boxes:
            boxes.first().focus(scroll_visible=False)

    def ticked(self, item: AuditItem) -> bool:
        return is_checked(item, self.debt_app.today, self.interval)

    def detail(self, item: AuditItem) -> Text:
        shown = localised(item)
        text = Text()
        if item.status == "skipped":
            text.append(_("not applicable (press Space to mark it checked after all)"), style="italic")
        elif item.last_done is None:
            text.append(_("due: never checked"), style="yellow")
        else:
            again: dt.date | None = due_date(item, self.interval)
            label = _("checked {done}; due again {again}").format(
                done=item.last_done.isoformat(), again=again.isoformat() if again else "-"
            )
            text.append(label, style="yellow" if is_due(item, self.debt_app.today, self.interval) else "green")
        if shown.instruction:
            text.append("\n" + shown.instruction, style="dim")
        if shown.why:
            text.append("\n" + _("Why: {why}").format(why=shown.why), style="dim italic")
        return text

    def style_row(self, box: AuditCheckbox) -> None:
        item = self.items[box.item_id]
        row = box.parent
        if row is not None:
            row.set_class(item.status == "skipped", "skipped")
            row.set_class(item.status != "skipped" and is_due(item, self.debt_app.today, self.interval), "due")

    def show_progress(self) -> None:
        counts = progress(list(self.items.values()), self.debt_app.today, self.interval)
        text = Text(_("{done} / {total} checked").format(done=counts.done, total=counts.total), style="bold")
        if counts.skipped:
            text.append(" · " + _("{n} not applicable").format(n=counts.skipped), style="dim")
        text.append(
            " · " + ngettext("re-check every {days} day", "re-check every {days} days", self.interval).format(days=self.interval),
            style="dim",
        )
        self.query_one("#audit-count", Static).update(text)
        self.query_one("#audit-progress", ProgressBar).update(total=max(counts.total, 1), progress=counts.done)

    # -- ticking -------------------------------------------------------------------
    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        box = event.checkbox
        if not isinstance(box, AuditCheckbox):
            return
        item = self.items.get(box.item_id)
        if item is None:
            return
        if not event.value:
            # a tick taken back: the item was ticked by mistake, it is open again
            item_id = box.item_id
            self.db(lambda store: audit_undo(store, item_id), self.item_saved, error=self.refused)
            return
        today = self.debt_app.today
        self.db(lambda store: audit_done(store, box.item_id, today), self.item_saved, error=self.refused)

    def item_saved(self, item: AuditItem) -> None:
        if not self.is_attached:
            return
        self.items[item.id or 0] = item
        for box in self.query(f"#audit-{item.id}").results(AuditCheckbox):
            with box.prevent(Checkbox.Changed):
                box.value = self.ticked(item)
            if box.parent is not None:
                box.parent.query_one(".audit-detail", Static).update(self.detail(item))
            self.style_row(box)
        self.show_progress()

    def refused(self, message: str) -> None:
        self.notify(message, title=_("Not done"), severity="error")
        self.reload()

    # -- actions -------------------------------------------------------------------
    def action_skip(self) -> None:
        box = self.focused
        if not isinstance(box, AuditCheckbox):
            self.notify(_("Move to an item first (Tab or the arrow keys)."), severity="warning")
            return
        item_id = box.item_id
        self.db(lambda store: audit_skip(store, item_id), self.item_saved, error=self.refused)

    def action_reset(self) -> None:
        def reset(count: int) -> None:
            self.notify(_("All {n} items are open again.").format(n=count))
            self.reload()

        def answered(yes: bool | None) -> None:
            if yes:
                self.db(audit_reset, reset)

        self.app.push_screen(
            ConfirmScreen(
                _("Start the checklist over? Every item becomes unchecked, including those marked not applicable."),
                _("Start over"),
            ),
            answered,
        )
