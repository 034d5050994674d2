"""The `email` notifier: a plain-language message through an SMTP server, over STARTTLS.

The login comes from environment variables (`username_env`, `password_env`); a password is
never sent before STARTTLS has encrypted the connection.
"""

from __future__ import annotations

from coflow.notify.base import NotifyError, positive_number, secret, unknown_keys

TYPE_CHECKING = False  # typing is not loaded at run time (it costs a command ~3 ms)
if TYPE_CHECKING:
    from typing import Any

    from coflow.project import ProjectView

KEYS = ("host", "port", "from", "to", "username_env", "password_env", "starttls", "ca_file", "timeout",
        "subject_prefix")
DEFAULT_PORT = 587
DEFAULT_TIMEOUT = 10.0


def _addresses(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []


def validate(config: dict[str, Any]) -> list[str]:
    problems = unknown_keys(config, KEYS)
    if not isinstance(config.get("host"), str) or not config.get("host"):
        problems.append("host: missing; expected the mail server's name, such as \"smtp.office365.com\"")
    problems += positive_number(config, "port", integer=True) + positive_number(config, "timeout")
    if not isinstance(config.get("from"), str) or "@" not in config.get("from", ""):
        problems.append("from: missing; expected the sending address, such as \"coflow@example.org\"")
    to = _addresses(config.get("to"))
    if not to or not all(isinstance(a, str) and "@" in a for a in to):
        problems.append("to: missing; expected an address or a list of addresses, such as [\"team@example.org\"]")
    if bool(config.get("username_env")) != bool(config.get("password_env")):
        problems.append("username_env / password_env: give both (the login) or neither (no login)")
    starttls = config.get("starttls", True)
    if not isinstance(starttls, bool):
        problems.append(f"starttls: expected true or false, found {starttls!r}")
    elif not starttls and config.get("password_env"):
        problems.append("starttls: coflow will not send a password over an unencrypted connection; "
                        "keep starttls = true")
    if "ca_file" in config and not isinstance(config["ca_file"], str):
        problems.append("ca_file: expected the path of a certificate file (PEM)")
    return problems


def message(event: dict[str, Any], config: dict[str, Any]) -> Any:
    from email.message import EmailMessage

    from coflow.notify.text import body, headline

    msg = EmailMessage()
    msg["Subject"] = f"{config.get('subject_prefix', '[coflow]')} {headline(event)}".strip()
    msg["From"] = config["from"]
    msg["To"] = ", ".join(_addresses(config["to"]))
    msg.set_content(body(event))
    return msg


def _tls_context(config: dict[str, Any]) -> Any:
    import ssl
    from pathlib import Path

    cafile = config.get("ca_file")
    if cafile:
        path = Path(cafile).expanduser()
        if not path.is_absolute() and config.get("coflow_home"):
            path = Path(config["coflow_home"]) / path
        if not path.is_file():
            raise NotifyError(f"the certificate file {path} (ca_file) does not exist")
        return ssl.create_default_context(cafile=str(path))
    return ssl.create_default_context()


def notify(event: dict[str, Any], project: ProjectView, config: dict[str, Any]) -> None:
    import smtplib
    import ssl

    host, port = config["host"], int(config.get("port", DEFAULT_PORT))
    place = f"{host}:{port}"
    login = None
    if config.get("username_env"):
        login = (secret(config, "username_env"), secret(config, "password_env"))
    msg = message(event, config)
    try:
        with smtplib.SMTP(host, port, timeout=float(config.get("timeout", DEFAULT_TIMEOUT))) as smtp:
            smtp.ehlo()
            if config.get("starttls", True):
                if not smtp.has_extn("starttls"):
                    raise NotifyError(f"the mail server at {place} does not offer STARTTLS, "
                                      "so coflow will not send mail through it unencrypted")
                smtp.starttls(context=_tls_context(config))
                smtp.ehlo()
            if login is not None:
                smtp.login(*login)
            smtp.send_message(msg)
    except smtplib.SMTPAuthenticationError as exc:
        raise NotifyError(f"the mail server at {place} refused the login ({exc.smtp_code} {_text(exc.smtp_error)}); "
                          f"check the user name and password in {config['username_env']} and "
                          f"{config['password_env']}") from None
    except ssl.SSLCertVerificationError as exc:
        raise NotifyError(f"could not verify the certificate of the mail server at {place} ({exc.verify_message}); "
                          "if your organisation uses its own certificate authority, set ca_file") from None
    except smtplib.SMTPRecipientsRefused as exc:
        raise NotifyError(f"the mail server at {place} refused the recipients "
                          f"{', '.join(exc.recipients)}") from None
    except smtplib.SMTPResponseException as exc:
        raise NotifyError(f"the mail server at {place} answered {exc.smtp_code} {_text(exc.smtp_error)}") from None
    except TimeoutError:
        raise NotifyError(f"the mail server at {place} did not answer within "
                          f"{float(config.get('timeout', DEFAULT_TIMEOUT)):g} seconds") from None
    except ConnectionRefusedError:
        raise NotifyError(f"the mail server at {place} refused the connection (is it running?)") from None
    except (smtplib.SMTPException, ssl.SSLError, OSError) as exc:
        raise NotifyError(f"sending mail through {place} failed: {exc}") from None


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
