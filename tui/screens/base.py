"""What every page shares: the alert banner on top, the status line and footer below."""

from __future__ import annotations

from typing import Any, cast

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from edge.api.protocol import ApiError
from tui.console import Console
from tui.display import clean
from tui.widgets import AlertBanner, KeyBar, StatusLine


class Page(Screen[None]):
    """A full screen of the console; subclasses give ``body``."""

    TITLE_TEXT = ""

    @property
    def bp(self) -> Console:
        """The console app, typed."""
        return cast(Console, self.app)

    def compose(self) -> ComposeResult:
        """Banner, title, body, status line, footer."""
        yield AlertBanner(id="banner")
        yield Static(self.TITLE_TEXT, id="title", markup=False)
        with Vertical(id="body"):
            yield from self.body()
        yield StatusLine(id="status")
        yield KeyBar(id="keys")

    def on_screen_resume(self) -> None:
        """Keys may differ on return (role, focus)."""
        self.call_after_refresh(self.refresh_keys)

    def on_descendant_focus(self) -> None:
        """A field that takes letters hides the letter keys."""
        self.call_after_refresh(self.refresh_keys)

    def refresh_keys(self) -> None:
        """Redraw the key line."""
        for bar in self.query(KeyBar):
            bar.render_keys()

    def body(self) -> ComposeResult:
        """The page's own widgets."""
        yield from ()

    async def ask(self, request_type: str, /, **params: Any) -> dict[str, Any] | None:
        """Call the daemon; on failure tell the officer and return None."""
        return await ask(self.bp, request_type, **params)


async def ask(app: Console, request_type: str, /, **params: Any) -> dict[str, Any] | None:
    """Call the daemon; show an error a person can act on instead of raising."""
    try:
        return await app.backend.call(request_type, **params)
    except ApiError as exc:
        app.notify(clean(f"{exc.code}: {exc.message}", 200), severity="error", markup=False)
    except TimeoutError:
        message = "the daemon is not answering (no reply in time): try again, or call a technician"
        app.notify(message, severity="error", markup=False)
    except ConnectionError as exc:
        why = str(exc) or "the link to it dropped"
        app.notify(clean(f"daemon unreachable: {why}", 200), severity="error", markup=False)
    return None
