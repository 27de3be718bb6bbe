"""Who is acting and from where, for the current request or command.

The audit point reads it, so services need not pass the request around. Commands and jobs
run with no request: the IP is then empty and the channel says where the act came from.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str = ""
    user_agent: str = ""
    channel: str = "system"  # web, api, command, system


_current: ContextVar[RequestContext] = ContextVar(
    "qicha_request_context", default=RequestContext()  # noqa: B039  (frozen, so sharing it is safe)
)


def current() -> RequestContext:
    return _current.get()


def bind(ctx: RequestContext):
    return _current.set(ctx)


def reset(token) -> None:
    _current.reset(token)
