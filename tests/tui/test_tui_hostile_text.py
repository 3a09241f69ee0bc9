"""Text from strangers is shown in the app, never obeyed: no control or direction character reaches a widget raw."""

from __future__ import annotations

from pathlib import Path

from statement_files import WECHAT_ROWS, wechat_csv

from tracker.safe_text import BIDI

C0 = "".join(chr(c) for c in range(0x20))
C1 = "".join(chr(c) for c in range(0x80, 0xA0))
OSC52 = "\x1b]52;c;SGVsbG8=\x07"  # writes the clipboard
OSC8 = "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\"  # a hidden link
HOSTILE = C0 + "\x7f" + C1 + OSC52 + OSC8 + BIDI + "\x1b[2J"
RAW = set(C0 + "\x7f" + C1 + BIDI) - {"\n", "\t"}


def assert_clean(text: str) -> None:
    found = sorted({f"U+{ord(ch):04X}" for ch in text if ch in RAW})
    assert not found, f"raw control or direction characters in the output: {found}"


async def test_the_messages_screen_and_the_import_screen(tmp_path: Path):
    from textual.widgets import DataTable, Input, Static, TextArea
    from tui_helpers import SIZE, TODAY, press, settle

    from tui.app import make_app

    path = tmp_path / "wechat.csv"
    evil = "招商银行信用卡还款" + OSC52 + "\u202e" + "\x1b[2J"
    path.write_bytes(wechat_csv([WECHAT_ROWS[0].replace("招商银行信用卡还款", evil, 1)]))
    app = make_app(tmp_path / "t.db", TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "m")
        area = app.screen.query_one("#message-text", TextArea)
        area.text = "您的征信有逾期" + HOSTILE
        await settle(pilot)
        assert_clean(area.text)
        app.screen.action_check()
        await settle(pilot)
        for widget in app.screen.query(Static):
            assert_clean(str(widget.render()))
        await press(pilot, "escape", "t")
        app.screen.query_one("#statement-path", Input).value = str(path)
        await press(pilot, "enter")
        for table in app.screen.query(DataTable):
            for row in range(table.row_count):
                for cell in table.get_row_at(row):
                    assert_clean(str(cell))
