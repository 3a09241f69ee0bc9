"""Command palette: every screen by name, and every action the current screen offers."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tracker.i18n import _


def _screens():
    """Every screen (from the registry), then the app's own actions."""
    from .screens import SCREENS

    named = [(_(e.title), _(e.summary), f"show('{e.name}')") for e in SCREENS]
    return [
        *named[:2],
        (_("Add loan"), _("A new loan with a live preview of its cost"), "add_loan"),
        (_("Add credit card"), _("A card judged by its monthly bills"), "add_card"),
        *named[2:],
        (_("Refresh"), _("Reload from the database"), "refresh"),
        (_("Toggle light/dark"), _("Switch the colour theme"), "toggle_dark"),
    ]


class DebtCommands(Provider):
    def _entries(self):
        """(name, help, callback): the screens, then the actions bound on the screen the palette was opened from."""
        out = [(name, help_text, partial(self.app.run_action, action)) for name, help_text, action in _screens()]
        seen = {name for name, _h, _c in out}
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.description in seen or active.node is self.app:
                continue
            seen.add(binding.description)
            key = binding.key_display or binding.key.split(",")[0]
            out.append(
                (
                    binding.description,
                    binding.tooltip or _("key: {key}").format(key=key),
                    partial(active.node.run_action, binding.action),
                )
            )
        return out

    async def discover(self) -> Hits:
        for name, help_text, callback in self._entries():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._entries():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
