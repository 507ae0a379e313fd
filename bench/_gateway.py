"""Feed raw gateway frames to a client and time each interaction until it is fully handled.

The timed window of every interaction benchmark is the same for the floor and for our bot:

- it starts when a compressed gateway frame (zlib-stream, as Discord sends it) is handed to
  discord.py's own ``DiscordWebSocket.received_message``: inflate, JSON decode, the parser;
- it ends when every task that handling the frame started has finished, i.e. after discord.py
  has read the stubbed HTTP reply and the command or button callback has returned. Long-lived
  tasks it started on purpose (a View's timeout timer) are not waited for; they are counted.

``LoopStalls`` records how long each event-loop callback ran (the loop's stalls), for the
burst figure.
"""

from __future__ import annotations

import asyncio
import json
import time
import zlib
from typing import Any

import discord
from discord.gateway import DiscordWebSocket


def _long_lived(task: asyncio.Task[Any]) -> bool:
    """A View's timeout timer: started by handling an interaction, meant to outlive it."""
    return "timeout_task_impl" in getattr(task.get_coro(), "__qualname__", "")


class Gateway:
    """One client's gateway connection, offline: frames in through discord.py's own receive path."""

    def __init__(self, client: discord.Client) -> None:
        loop = asyncio.get_running_loop()
        ws = DiscordWebSocket(None, loop=loop)  # type: ignore[arg-type]
        ws._connection = client._connection  # type: ignore[attr-defined]
        ws._discord_parsers = client._connection.parsers  # type: ignore[attr-defined]
        ws._dispatch = client.dispatch
        ws.shard_id = None  # type: ignore[assignment]
        self.ws = ws
        kind = discord.utils._ActiveDecompressionContext.COMPRESSION_TYPE
        if kind != "zlib-stream":  # discord.py[speed] with zstandard: frames would be zstd
            raise RuntimeError(f"the bench builds zlib-stream frames; discord.py expects {kind}")
        self._deflate = zlib.compressobj()
        self._sequence = 0
        self._tracking = False
        self._started: list[asyncio.Task[Any]] = []
        self._tracked: set[asyncio.Task[Any]] = set()
        self._done_at: dict[asyncio.Task[Any], int] = {}
        self.long_lived = 0
        loop.set_task_factory(self._task_factory)

    def frame(self, payload: dict[str, Any], event: str = "INTERACTION_CREATE") -> bytes:
        """The zlib-stream websocket message Discord would send for ``payload`` (build frames in feed order)."""
        self._sequence += 1
        raw = json.dumps({"op": 0, "t": event, "s": self._sequence, "d": payload}).encode()
        return self._deflate.compress(raw) + self._deflate.flush(zlib.Z_SYNC_FLUSH)

    def _task_factory(self, loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> asyncio.Task[Any]:
        task = asyncio.Task(coro, loop=loop, **kwargs)
        # Started while the frame is fed, or by a task that was: part of handling this frame.
        if self._tracking or asyncio.current_task(loop) in self._tracked:
            self._started.append(task)
            self._tracked.add(task)
            task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._done_at[task] = time.perf_counter_ns()

    async def handle(self, frame: bytes) -> int:
        """Feed one frame; return ns from feeding it to the end of the last task its handling started."""
        self._started.clear()
        self._tracked.clear()
        self._done_at.clear()
        self._tracking = True
        started = time.perf_counter_ns()
        try:
            await self.ws.received_message(frame)
        finally:
            self._tracking = False
        fed = time.perf_counter_ns()
        while True:  # tasks started by those tasks join ``_started`` meanwhile
            pending = [task for task in self._started if not task.done() and not _long_lived(task)]
            if not pending:
                break
            await asyncio.wait(pending)
        ends = [fed]
        for task in self._started:
            if _long_lived(task):
                self.long_lived += 1
            else:
                ends.append(self._done_at.get(task, fed))
        self._tracked.clear()
        return max(ends) - started

    async def feed(self, frame: bytes) -> None:
        """Feed one frame without waiting for its handling (bursts)."""
        await self.ws.received_message(frame)


class LoopStalls:
    """Durations of the event loop's callbacks while active: how long the loop could not react."""

    def __init__(self) -> None:
        self.samples: list[int] = []
        self._original = asyncio.events.Handle._run

    def __enter__(self) -> LoopStalls:
        original, samples = self._original, self.samples
        clock = time.perf_counter_ns

        def timed_run(handle: asyncio.events.Handle) -> None:
            started = clock()
            original(handle)
            samples.append(clock() - started)

        asyncio.events.Handle._run = timed_run  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.events.Handle._run = self._original  # type: ignore[method-assign]
