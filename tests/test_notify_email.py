"""The email notifier against a real SMTP server (aiosmtpd) on 127.0.0.1, with STARTTLS."""

from __future__ import annotations

import email
from email import policy

import pytest

pytest.importorskip("aiosmtpd", reason="the email tests need aiosmtpd (pip install -e '.[test]')")

from notify_servers import SmtpServer, add_notify, make_certificate, ready_to_advance  # noqa: E402

MAIL = """
[[notify]]
notifier = "email"
events = ["advanced", "blocked"]
host = "127.0.0.1"
port = {port}
from = "coflow@example.org"
to = ["team@example.org", "lead@example.org"]
timeout = 5
{extra}
"""
LOGIN = 'username_env = "COFLOW_TEST_SMTP_USER"\npassword_env = "COFLOW_TEST_SMTP_PASSWORD"'


@pytest.fixture
def cert(tmp_path):
    return make_certificate(tmp_path)


def mail(home, port: int, extra: str = "") -> None:
    add_notify(home, MAIL.format(port=port, extra=extra))


def failed(run):
    return run("notify", "list", "--json", "--status", "failed").json()


def test_advance_sends_a_plain_language_mail_over_starttls_with_login(run, home, cert, monkeypatch):
    monkeypatch.setenv("COFLOW_TEST_SMTP_USER", "coflow")
    monkeypatch.setenv("COFLOW_TEST_SMTP_PASSWORD", "right-pw")
    with SmtpServer(cert) as server:
        mail(home, server.port, f'{LOGIN}\nca_file = "{cert[0]}"')
        ready_to_advance(run)
        result = run("advance", "p1")
    assert result.exit_code == 0, result
    assert result.stderr == ""
    assert server.logins == [("coflow", True)]
    [sent] = server.messages
    assert sent["tls"] is True
    assert sent["from"] == "coflow@example.org"
    assert sent["to"] == ["team@example.org", "lead@example.org"]
    message = email.message_from_string(sent["content"], policy=policy.default)
    assert message["Subject"] == "[coflow] p1 moved from 'planning' to 'delivery'"
    text = message.get_content()
    assert "p1 moved from 'planning' to 'delivery'." in text
    assert "By: tester" in text and "coflow status p1" in text
    assert run("notify", "list", "--json").json()[0]["status"] == "delivered"


def test_a_rejected_login_fails_the_notification_not_the_advance(run, home, cert, monkeypatch):
    monkeypatch.setenv("COFLOW_TEST_SMTP_USER", "coflow")
    monkeypatch.setenv("COFLOW_TEST_SMTP_PASSWORD", "wrong-pw")
    with SmtpServer(cert) as server:
        mail(home, server.port, f'{LOGIN}\nca_file = "{cert[0]}"')
        ready_to_advance(run)
        result = run("advance", "p1")
    assert result.exit_code == 0, result
    assert "Advanced p1" in result.stdout
    assert server.logins and all(user == "coflow" and not ok for user, ok in server.logins)  # smtplib tries PLAIN, LOGIN
    assert server.messages == []
    assert "refused the login" in result.stderr
    assert "COFLOW_TEST_SMTP_USER and COFLOW_TEST_SMTP_PASSWORD" in result.stderr
    assert "wrong-pw" not in result.stderr
    assert "coflow notify retry" in result.stderr
    [row] = failed(run)
    assert row["event_type"] == "advanced" and "refused the login" in row["last_error"]
    assert run("status", "p1", "--json").json()["stage"] == "delivery"


def test_an_untrusted_certificate_is_not_accepted(run, home, cert, monkeypatch):
    with SmtpServer(cert) as server:
        mail(home, server.port)  # no ca_file: the self-signed certificate is not trusted
        assert run("new", "p1", "--workflow", "mini").exit_code == 0
        assert run("advance", "p1").exit_code == 1
    assert server.messages == []
    assert "could not verify the certificate" in failed(run)[0]["last_error"]


def test_a_server_without_starttls_gets_no_mail(run, home):
    with SmtpServer(None) as server:
        mail(home, server.port)
        assert run("new", "p1", "--workflow", "mini").exit_code == 0
        assert run("advance", "p1").exit_code == 1
    assert server.messages == []
    assert "does not offer STARTTLS" in failed(run)[0]["last_error"]


def test_a_password_without_starttls_is_a_setting_error(run, home):
    mail(home, 2525, f"{LOGIN}\nstarttls = false")
    result = run("notify", "check")
    assert result.exit_code == 3
    assert "notify[0].starttls: coflow will not send a password over an unencrypted connection" in result.stderr


def test_missing_addresses_are_setting_errors(run, home):
    add_notify(home, """
[[notify]]
notifier = "email"
events = ["blocked"]
host = "127.0.0.1"
to = "not-an-address"
""")
    result = run("new", "p1", "--workflow", "mini")
    assert result.exit_code == 3
    assert "notify[0].from: missing" in result.stderr and "notify[0].to: missing" in result.stderr
