"""What every data screen shares: a header and footer, reload on return, Escape leaves a field, then goes back."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header
from textual.worker import get_current_worker

from tracker.errors import TrackerError
from tracker.i18n import _
from tracker.safe_text import visible
from tracker.service.database import FILE_ERRORS, file_error_text

from ..widgets import Footer, Input, TextArea, set_breakpoint_classes

if TYPE_CHECKING:
    from tracker.store import Store

    from ..app import DebtApp

T = TypeVar("T")


class Loaded(Message):
    """A screen's database work finished: its result, for the callback that asked for it."""

    def __init__(self, result: Any, done: Callable[[Any], Any] | None) -> None:
        super().__init__()
        self.result, self.done = result, done


class Refused(Message):
    """A screen's database work was refused (the project's own error) or the file failed: what to say."""

    def __init__(self, message: str, error: Callable[[str], Any] | None, *, title: str = "") -> None:
        super().__init__()
        self.message, self.error, self.title = message, error, title


class OwnsWork:
    """Database work owned by the screen that asked for it.

    ``loaded_token``: the database's change token when the screen last started reading what it shows
    (None: not read, or the reading may have failed).

    Each call runs in a thread worker of this screen with its own connection. The result comes
    back as a message to the screen: a screen that has been closed meanwhile takes its workers
    with it and receives nothing, and a newer load cancels an older one (``load``: exclusive in
    its group), so a slow answer never overwrites a newer one. Only the project's own errors (and
    a file SQLite cannot use) are shown; anything else is a bug and fails loudly.
    """

    loaded_token: object = None

    def db(
        self,
        fn: Callable[[Store], T],
        done: Callable[[T], Any] | None = None,
        *,
        error: Callable[[str], Any] | None = None,
        group: str = "write",
        exclusive: bool = False,
    ) -> None:
        """Run fn(store) in a worker; hand the result to done() (or a refusal to error()) on the UI thread."""
        self.run_worker(partial(self._db_work, fn, done, error), thread=True, group=group, exclusive=exclusive)  # type: ignore[attr-defined]

    def load(self, fn: Callable[[Store], T], done: Callable[[T], Any], *, error: Callable[[str], Any] | None = None) -> None:
        """``db`` for reading what the screen shows: a new load replaces one still running.

        It notes the database's change token first (``loaded_token``): what it reads is at least that fresh.
        """
        self.loaded_token = self.app.data_token()  # type: ignore[attr-defined]
        self.db(fn, done, error=error, group="load", exclusive=True)

    def _db_work(self, fn: Callable[[Store], Any], done: Callable[[Any], Any] | None, error: Callable[[str], Any] | None) -> None:
        worker = get_current_worker()
        post = self.post_message  # type: ignore[attr-defined]
        try:
            store = self.app.open_store()  # type: ignore[attr-defined]
            try:
                result = fn(store)
            finally:
                store.close()
        except TrackerError as exc:
            if not worker.is_cancelled:
                post(Refused(visible(exc.message), error))  # it may quote a statement's text: shown, never obeyed
            return
        except FILE_ERRORS as exc:  # the file itself: locked by another program, disk full, damaged
            if not worker.is_cancelled:
                post(Refused(file_error_text(exc), None, title=_("Database error")))
            return
        if not worker.is_cancelled:
            post(Loaded(result, done))

    async def on_loaded(self, message: Loaded) -> None:
        message.stop()
        if message.done is not None:
            outcome = message.done(message.result)
            if inspect.isawaitable(outcome):
                await outcome

    def on_refused(self, message: Refused) -> None:
        message.stop()
        self.loaded_token = None  # a load may have failed: the next chance reads again
        if message.error is not None:
            message.error(message.message)
        else:
            self.app.notify(message.message, title=message.title or _("Not done"), severity="error")  # type: ignore[attr-defined]


class DataScreen(OwnsWork, Screen):
    SCREEN_NAME = ""
    BINDINGS = [Binding("escape", "back", _("Back"))]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        set_breakpoint_classes(self)

    @property
    def debt_app(self) -> DebtApp:
        return self.app  # type: ignore[return-value]

    def compose_header(self) -> ComposeResult:
        yield Header()

    def compose_footer(self) -> ComposeResult:
        yield Footer(compact=True, show_command_palette=False)  # Ctrl+P is in Help; at 80 columns it overran the line

    def on_screen_resume(self) -> None:
        # reached for the first time or again after a modal or another screen: read fresh data
        self.reload_if_changed()

    def reload(self) -> None:  # pragma: no cover - each screen loads its own data
        """Start loading this screen's data in a worker."""

    def reload_if_changed(self) -> None:
        """Reload, unless nothing has written the database since this screen last started loading: what it
        shows is still what the file holds. Asking costs no query; reading a long list again would."""
        token = self.debt_app.data_token()
        if token is not None and token == self.loaded_token:
            return
        self.reload()

    def action_back(self) -> None:
        """Escape: out of a text field first (the screen's and the app's keys work again), then back."""
        if isinstance(self.focused, (Input, TextArea)):
            self.set_focus(None)
            return
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
