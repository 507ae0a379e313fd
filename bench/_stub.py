"""A stubbed Discord transport and real gateway payloads, shared by every benchmark.

Only the HTTP layer is replaced: ``bot.http.request`` (channel sends and edits) and the
interaction webhook adapter (interaction callbacks and followups) record each route and return
a plausible Discord response. Everything else is discord.py's own code: the gateway parsers
(``bot._connection.parsers[...]``), the command tree, the view store and the cogs. The floor bot
and our bot go through exactly the same stub, so their ratio measures our code, not the stub.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import discord
from discord.webhook.async_ import AsyncWebhookAdapter, async_context

APP_ID = 900_000_000_000_000_001
BOT_USER_ID = APP_ID
_EPOCH = "2026-01-01T00:00:00.000000+00:00"
_snowflakes = itertools.count(1_100_000_000_000_000_000)


def snowflake() -> int:
    """A fresh, increasing Discord-style id."""
    return next(_snowflakes)


# --------------------------------------------------------------------------- payload builders


def user_payload(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": str(user_id),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


BOT_USER = user_payload(BOT_USER_ID, "alliance-bot", bot=True)


def role_payload(role_id: int, name: str, *, permissions: int = 0, position: int = 0) -> dict[str, Any]:
    return {
        "id": str(role_id),
        "name": name,
        "permissions": str(permissions),
        "position": position,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
        "icon": None,
        "unicode_emoji": None,
    }


def channel_payload(channel_id: int, guild_id: int, name: str, position: int = 0) -> dict[str, Any]:
    return {
        "id": str(channel_id),
        "type": 0,
        "guild_id": str(guild_id),
        "name": name,
        "position": position,
        "permission_overwrites": [],
        "nsfw": False,
        "parent_id": None,
        "topic": None,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "flags": 0,
    }


@dataclass
class GuildSpec:
    """Ids of one synthetic server: the guild (= @everyone role), its channels and extra roles."""

    id: int
    channels: list[int]
    roles: list[int]
    owner_id: int = field(default_factory=snowflake)

    @classmethod
    def new(cls, channels: int = 3, roles: int = 3) -> GuildSpec:
        return cls(snowflake(), [snowflake() for _ in range(channels)], [snowflake() for _ in range(roles)])


def guild_create_payload(spec: GuildSpec, name: str = "Bench Server") -> dict[str, Any]:
    """A GUILD_CREATE as Discord sends it to a bot without the members intent: no members."""
    everyone = role_payload(spec.id, "@everyone", permissions=int(discord.Permissions.general().value))
    roles = [everyone] + [
        role_payload(role_id, f"role-{index}", position=index + 1) for index, role_id in enumerate(spec.roles)
    ]
    return {
        "id": str(spec.id),
        "name": name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "owner_id": str(spec.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 1,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "roles": roles,
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": str(spec.channels[0]) if spec.channels else None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "max_members": 500000,
        "vanity_url_code": None,
        "description": None,
        "banner": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": None,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": False,
        "safety_alerts_channel_id": None,
        "joined_at": _EPOCH,
        "large": False,
        "unavailable": False,
        "member_count": 50,
        "voice_states": [],
        "members": [],
        "channels": [
            channel_payload(channel_id, spec.id, f"channel-{index}", index) for index, channel_id in enumerate(spec.channels)
        ],
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


def member_payload(user_id: int, roles: list[int] | None = None) -> dict[str, Any]:
    return {
        "user": user_payload(user_id, f"user{user_id % 100000}"),
        "roles": [str(r) for r in roles or []],
        "joined_at": _EPOCH,
        "premium_since": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "nick": None,
        "avatar": None,
        "flags": 0,
        "communication_disabled_until": None,
    }


def _interaction_base(
    kind: int, spec: GuildSpec, channel_id: int, user_id: int, data: dict[str, Any], *, permissions: int
) -> dict[str, Any]:
    interaction_id = snowflake()
    member = member_payload(user_id)
    member["permissions"] = str(permissions)
    return {
        "id": str(interaction_id),
        "application_id": str(APP_ID),
        "type": kind,
        "token": f"tok-{interaction_id}",
        "version": 1,
        "data": data,
        "guild_id": str(spec.id),
        "channel_id": str(channel_id),
        "channel": channel_payload(channel_id, spec.id, "channel-0"),
        "member": member,
        "locale": "en-US",
        "guild_locale": "en-US",
        "app_permissions": str(discord.Permissions.text().value | discord.Permissions.general().value),
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(spec.id)},
        "context": 0,
        "attachment_size_limit": 26214400,
    }


MEMBER_PERMISSIONS = int(discord.Permissions.text().value | discord.Permissions(view_channel=True).value)


def slash_payload(
    spec: GuildSpec,
    channel_id: int,
    user_id: int,
    name: str,
    options: dict[str, Any] | None = None,
    *,
    sub: str | None = None,
) -> dict[str, Any]:
    """An APPLICATION_COMMAND interaction: ``/name [sub] option:value...`` (str, int and bool options)."""

    def typed(key: str, value: Any) -> dict[str, Any]:
        kind = 5 if isinstance(value, bool) else 4 if isinstance(value, int) else 10 if isinstance(value, float) else 3
        return {"name": key, "type": kind, "value": value}

    leaf = [typed(k, v) for k, v in (options or {}).items()]
    data: dict[str, Any] = {"id": str(snowflake()), "name": name, "type": 1, "guild_id": str(spec.id)}
    data["options"] = [{"name": sub, "type": 1, "options": leaf}] if sub else leaf
    return _interaction_base(2, spec, channel_id, user_id, data, permissions=MEMBER_PERMISSIONS)


def component_payload(
    spec: GuildSpec, channel_id: int, user_id: int, message: dict[str, Any], custom_id: str
) -> dict[str, Any]:
    """A button click (MESSAGE_COMPONENT) on ``message``."""
    data = {"custom_id": custom_id, "component_type": 2}
    payload = _interaction_base(3, spec, channel_id, user_id, data, permissions=MEMBER_PERMISSIONS)
    payload["message"] = message
    return payload


def custom_ids(message: dict[str, Any]) -> list[str]:
    """Every button/select custom_id in a message payload, in order."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "custom_id" in node and node.get("type") in (2, 3, 5, 6, 7, 8):
                found.append(node["custom_id"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(message.get("components", []))
    return found


# --------------------------------------------------------------------------- the stub transport


@dataclass
class Call:
    """One recorded HTTP call: when it reached the transport, its method, path and JSON body."""

    at_ns: int
    method: str
    path: str
    body: dict[str, Any] | None


class StubTransport:
    """Records every REST call and answers it with a plausible Discord response."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.messages: dict[int, dict[str, Any]] = {}
        self._waiters: list[tuple[Callable[[Call], bool], asyncio.Future[Call]]] = []
        self.record = True

    # -------------------------------------------------------- waiting for a call

    def expect(self, predicate: Callable[[Call], bool]) -> asyncio.Future[Call]:
        """A future resolved with the first later call matching ``predicate``."""
        future: asyncio.Future[Call] = asyncio.get_running_loop().create_future()
        self._waiters.append((predicate, future))
        return future

    def expect_interaction_reply(self, interaction_id: int | str) -> asyncio.Future[Call]:
        prefix = f"/interactions/{interaction_id}/"
        return self.expect(lambda call: call.path.startswith(prefix))

    def _seen(self, call: Call) -> None:
        if self.record:
            self.calls.append(call)
        if self._waiters:
            remaining = []
            for predicate, future in self._waiters:
                if not future.done() and predicate(call):
                    future.set_result(call)
                elif not future.done():
                    remaining.append((predicate, future))
            self._waiters = remaining

    # -------------------------------------------------------- responses

    def _message(self, body: dict[str, Any] | None, channel_id: int, message_id: int | None = None) -> dict[str, Any]:
        body = body or {}
        message_id = message_id or snowflake()
        previous = self.messages.get(message_id, {})
        message = {
            "id": str(message_id),
            "channel_id": str(channel_id),
            "author": BOT_USER,
            "content": body.get("content", previous.get("content", "")),
            "timestamp": _EPOCH,
            "edited_timestamp": _EPOCH if previous else None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": body.get("embeds", previous.get("embeds", [])),
            "components": body.get("components", previous.get("components", [])),
            "pinned": False,
            "type": 0,
            "flags": body.get("flags", previous.get("flags", 0)),
        }
        self.messages[message_id] = message
        return message

    def respond(self, method: str, path: str, body: dict[str, Any] | None) -> Any:
        parts = path.strip("/").split("/")
        if parts[0] == "interactions" and parts[-1] == "callback":
            kind = int((body or {}).get("type", 4))
            data = (body or {}).get("data") or {}
            result: dict[str, Any] = {
                "interaction": {
                    "id": parts[1],
                    "type": 2,
                    "response_message_loading": kind == 5,
                    "response_message_ephemeral": bool(int(data.get("flags", 0) or 0) & 64),
                }
            }
            if kind in (4, 5, 7):
                message = self._message(data, 0)
                result["interaction"]["response_message_id"] = message["id"]
                result["resource"] = {"type": kind, "message": message}
            return result
        if parts[0] == "channels" and len(parts) >= 3 and parts[2] == "messages":
            channel_id = int(parts[1])
            if method == "POST" and len(parts) == 3:
                return self._message(body, channel_id)
            if method == "PATCH" and len(parts) == 4:
                return self._message(body, channel_id, int(parts[3]))
            if method == "GET" and len(parts) == 4:
                return self.messages.get(int(parts[3])) or self._message(None, channel_id, int(parts[3]))
            return None
        if parts[0] == "webhooks":
            if method in ("POST", "PATCH") or (method == "GET" and "messages" in parts):
                return self._message(body, 0)
            return None
        if parts[0] == "applications":
            return []
        return None

    # -------------------------------------------------------- the two entry points discord.py uses

    async def http_request(self, route: Any, *, files: Any = None, form: Any = None, **kwargs: Any) -> Any:
        """Stands in for ``HTTPClient.request``."""
        at = time.perf_counter_ns()
        body = kwargs.get("json")
        if form:
            for part in form:
                if part.get("name") == "payload_json":
                    body = json.loads(part["value"])
        path = _route_path(route)
        call = Call(at, route.method, path, body)
        self._seen(call)
        return self.respond(route.method, path, body)

    def install(self, client: discord.Client) -> None:
        """Point ``client``'s REST client and the interaction webhook adapter at this stub."""
        client.http.request = self.http_request  # type: ignore[method-assign]
        async_context.set(_StubAdapter(self))


class _StubAdapter(AsyncWebhookAdapter):
    """The real webhook adapter with only its transport (``request``) replaced."""

    def __init__(self, stub: StubTransport) -> None:
        super().__init__()
        self._stub = stub

    async def request(self, route: Any, session: Any = None, *, payload: Any = None, multipart: Any = None,
                      files: Any = None, **kwargs: Any) -> Any:
        at = time.perf_counter_ns()
        body = payload
        if multipart:
            for part in multipart:
                if part.get("name") == "payload_json":
                    body = json.loads(part["value"])
        path = _route_path(route)
        call = Call(at, route.method, path, body)
        self._stub._seen(call)
        return self._stub.respond(route.method, path, body)


def _route_path(route: Any) -> str:
    url = route.url.split("?", 1)[0]
    marker = "/api/v10"
    index = url.find(marker)
    return url[index + len(marker):] if index != -1 else url


# --------------------------------------------------------------------------- bot state


async def connect_offline(client: discord.Client, stub: StubTransport, guilds: list[GuildSpec]) -> None:
    """Make ``client`` look logged in and connected without a network: bot user, app id, guilds."""
    await client._async_setup_hook()
    stub.install(client)
    state = client._connection
    state.application_id = APP_ID
    state.user = discord.ClientUser(state=state, data=BOT_USER)  # type: ignore[arg-type]
    state._users[BOT_USER_ID] = state.user  # type: ignore[index]
    parse = state.parsers["GUILD_CREATE"]
    for spec in guilds:
        parse(guild_create_payload(spec))
    client._ready.set()  # what READY would do: tasks that wait_until_ready() may proceed


async def feed(client: discord.Client, stub: StubTransport, payload: dict[str, Any], *,
               timeout: float = 10.0) -> tuple[int, Call]:
    """Feed one INTERACTION_CREATE and wait for its reply; return (ns from feed to reply, the reply call)."""
    waiter = stub.expect_interaction_reply(payload["id"])
    parse = client._connection.parsers["INTERACTION_CREATE"]
    start = time.perf_counter_ns()
    parse(payload)
    call = await asyncio.wait_for(waiter, timeout)
    return call.at_ns - start, call


async def settle(rounds: int = 3) -> None:
    """Let tasks spawned by the last interaction run to completion (they are short)."""
    for _ in range(rounds):
        await asyncio.sleep(0)
