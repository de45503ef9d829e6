"""One answer, for the whole bot, to a press that nothing answers: kind, private,
and never silence.

A button from an older version of the bot, a forged custom id or a menu whose
feature is gone would otherwise get silence, and Discord would show the person
"This interaction failed". discord.py hands every component press and modal
submit to its view store, which starts one task per handler that matches
(a view item, or a DynamicItem template) and drops the press when none does.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import discord
from discord.ui.view import ViewStore

from bot.kit import text as common
from bot.kit.respond import OUTCOME, finished, reader, send

log = logging.getLogger("bot.presses")


class AnsweringViewStore(ViewStore):
    """discord.py's view store, plus the one fallback answer.

    `dispatch_view` and `dispatch_modal` are synchronous, and every handler they
    start goes through `add_task`; so the tasks added during one dispatch are
    exactly this press's handlers. The fallback waits until all of them have
    finished and answers only if none did: looking at the response state straight
    away would answer over a handler that simply had not run yet. A handler must
    therefore answer before it returns (every handler here awaits its answer).
    """

    def __init__(self, state: Any) -> None:
        super().__init__(state)
        self._handlers: list[asyncio.Task[None]] | None = None

    def add_task(self, task: asyncio.Task[None]) -> None:
        if self._handlers is not None:
            self._handlers.append(task)
        super().add_task(task)

    def dispatch_view(
        self, component_type: int, custom_id: str, interaction: discord.Interaction
    ) -> None:
        self._dispatch(super().dispatch_view, interaction, component_type, custom_id, interaction)

    def dispatch_modal(self, custom_id: str, interaction: discord.Interaction,
                       components: Any, resolved: Any) -> None:
        self._dispatch(super().dispatch_modal, interaction, custom_id, interaction,
                       components, resolved)

    def _dispatch(
        self, dispatch: Callable[..., None], interaction: discord.Interaction, *args: Any
    ) -> None:
        self._handlers = []
        try:
            dispatch(*args)
        finally:
            handlers, self._handlers = self._handlers, None
        if not handlers:  # no view item and no DynamicItem template matched
            self._answer(interaction)
            return
        # Done callbacks rather than a waiting task: nothing extra runs per press
        # in the usual case, where a handler answers.
        remaining = len(handlers)

        def handler_done(_: asyncio.Task[None]) -> None:
            nonlocal remaining
            remaining -= 1
            if remaining:
                return
            if interaction.response.is_done():
                finished(interaction)
            else:
                # The handler that matched gave up without answering (discord.py
                # only logs a DynamicItem factory that raised, for instance).
                self._answer(interaction)

        for task in handlers:
            task.add_done_callback(handler_done)

    def _answer(self, interaction: discord.Interaction) -> None:
        task = asyncio.create_task(answer_unanswered(interaction), name="unanswered-press")
        task.add_done_callback(lambda _: finished(interaction))
        super().add_task(task)


async def answer_unanswered(interaction: discord.Interaction) -> None:
    """Tell the person, kindly and privately, that this button does nothing now."""
    if interaction.response.is_done():
        return
    interaction.extras[OUTCOME] = "inactive"
    # The custom id is not logged: it may carry a user id.
    log.info("a press that nothing answered was told the button is no longer active")
    try:
        await send(interaction, content=reader(interaction)(common.BUTTON_INACTIVE))
    except discord.HTTPException as exc:
        log.info("could not answer a press that nothing answered: HTTP %s", exc.status)


def install(client: discord.Client) -> None:
    """Replace the client's view store; call before anything is registered in it.
    discord.py builds the store in ConnectionState.clear() and offers no hook."""
    client._connection._view_store = AnsweringViewStore(client._connection)
