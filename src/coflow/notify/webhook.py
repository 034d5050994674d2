"""The `webhook` notifier: an HTTP POST of the event as JSON, with retries and back-off.

The URL is a secret (anyone holding a chat webhook URL can post to the channel), so it
comes only from the environment variable `url_env` names, and messages show only its host.
`post_json` is public: plugins such as coflow-teams post their own JSON through it.
"""

from __future__ import annotations

import json
import time

from coflow.notify.base import NotifyError, positive_number, secret, unknown_keys

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectView

DEFAULT_TIMEOUT = 10.0
DEFAULT_ATTEMPTS = 3
DEFAULT_BACKOFF = 1.0
KEYS = ("url_env", "bearer_env", "timeout", "attempts", "backoff")


def validate(config: dict[str, Any]) -> list[str]:
    problems = unknown_keys(config, KEYS)
    if not config.get("url_env"):
        problems.append("url_env: missing; name the environment variable that holds the webhook URL, "
                        "such as url_env = \"COFLOW_WEBHOOK_URL\"")
    problems += timing_problems(config)
    return problems


def timing_problems(config: dict[str, Any]) -> list[str]:
    """Checks of timeout, attempts and backoff, shared with plugins that use post_json."""
    problems = positive_number(config, "timeout") + positive_number(config, "attempts", integer=True)
    backoff = config.get("backoff", DEFAULT_BACKOFF)
    if isinstance(backoff, bool) or not isinstance(backoff, (int, float)) or backoff < 0:
        problems.append(f"backoff: expected a number of seconds, 0 or more, found {backoff!r}")
    attempts = config.get("attempts", DEFAULT_ATTEMPTS)
    if isinstance(attempts, int) and not isinstance(attempts, bool) and attempts > 10:
        problems.append("attempts: at most 10; failed notifications stay in the outbox for `coflow notify retry`")
    return problems


def time_needed(config: dict[str, Any]) -> float:
    """The longest a delivery can take with these settings (every attempt timing out)."""
    timeout = float(config.get("timeout", DEFAULT_TIMEOUT))
    attempts = int(config.get("attempts", DEFAULT_ATTEMPTS))
    backoff = float(config.get("backoff", DEFAULT_BACKOFF))
    return attempts * timeout + sum(backoff * 2 ** i for i in range(attempts - 1))


def where(url: str) -> str:
    """scheme://host:port only: the path and query of a webhook URL are its secret part."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1] or "?"  # never the user name or password
    return f"{parts.scheme}://{host}"


def refuse_credentials(url: str) -> None:
    """A URL with `user:password@` is refused, naming only its host: coflow never sends or
    prints a password written into a URL."""
    from urllib.parse import urlsplit

    netloc = urlsplit(url).netloc
    if "@" in netloc:
        host = netloc.rsplit("@", 1)[1] or "?"
        raise NotifyError(f"the webhook URL for {host} holds a user name or password (the part before '@'); "
                          "coflow does not send credentials written into a URL. Use the URL the service gave "
                          "for the webhook, and a token with bearer_env if it needs one")


def post_json(url: str, payload: Any, *, timeout: float = DEFAULT_TIMEOUT, attempts: int = DEFAULT_ATTEMPTS,
              backoff: float = DEFAULT_BACKOFF, headers: dict[str, str] | None = None) -> int:
    """POST `payload` as JSON; retry connection failures, timeouts, 429 and 5xx answers.

    Waits backoff, 2*backoff, 4*backoff ... seconds between attempts. Returns the HTTP status
    of the accepted answer (2xx); raises NotifyError saying what the last attempt met.
    """
    import urllib.error
    import urllib.request

    from coflow import __version__

    if not url.lower().startswith(("https://", "http://")):
        raise NotifyError("the webhook URL must start with https:// or http://")
    refuse_credentials(url)
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    head = {"Content-Type": "application/json; charset=utf-8", "User-Agent": f"coflow/{__version__}",
            **(headers or {})}
    place = where(url)
    problem = ""
    for attempt in range(1, attempts + 1):
        request = urllib.request.Request(url, data=data, headers=head, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked
                return int(response.status)
        except urllib.error.HTTPError as exc:
            problem = f"{place} answered {exc.code} {exc.reason}"
            if exc.code != 429 and exc.code < 500:
                raise NotifyError(problem + " (not retried: the request itself was refused)") from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                problem = f"{place} did not answer within {timeout:g} seconds"
            elif isinstance(reason, ConnectionRefusedError):
                problem = f"{place} refused the connection (is the service running?)"
            else:
                problem = f"could not reach {place}: {getattr(reason, 'strerror', None) or reason}"
        except TimeoutError:
            problem = f"{place} did not answer within {timeout:g} seconds"
        except (ConnectionError, OSError) as exc:
            problem = f"the connection to {place} failed: {exc.strerror or exc}"
        if attempt < attempts:
            time.sleep(backoff * 2 ** (attempt - 1))
    raise NotifyError(f"{problem} (tried {attempts} time{'s' if attempts != 1 else ''})")


def settings(config: dict[str, Any]) -> dict[str, Any]:
    return {"timeout": float(config.get("timeout", DEFAULT_TIMEOUT)),
            "attempts": int(config.get("attempts", DEFAULT_ATTEMPTS)),
            "backoff": float(config.get("backoff", DEFAULT_BACKOFF))}


def notify(event: dict[str, Any], project: ProjectView, config: dict[str, Any]) -> None:
    from coflow.notify.text import headline

    url = secret(config, "url_env")
    headers = {}
    if config.get("bearer_env"):
        headers["Authorization"] = f"Bearer {secret(config, 'bearer_env')}"
    body = {"text": headline(event), "event": event,
            "project": {"id": project.id, "stage": project.stage, "workflow": dict(project.workflow)}}
    post_json(url, body, headers=headers, **settings(config))
