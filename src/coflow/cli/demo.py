"""`coflow demo`: a fictional co-production project meets its first gates, in a few seconds.

The demo drives the real commands (in this process, against a throwaway folder) and shows
each one as a person would type it, so what it teaches is exactly what works. It uses no
real person's details, ignores the environment's store, actor and third-party plugins,
and leaves nothing behind unless asked to with --keep.
"""

from __future__ import annotations

import contextlib
import io
import os
import shlex
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import click

from coflow.dates import days_ago
from coflow.errors import UsageError

PROJECT = "carers-hub-demo"
LEAD, SPONSOR = "lead-demo", "sponsor-demo"
ACTORS = f"""
# Fictional people for the demo: who may sign off as what.
[actors.{LEAD}]
roles = ["lead"]
[actors.{SPONSOR}]
roles = ["sponsor"]
[actors.cochair-demo]
roles = ["co-chair"]
"""
# Settings from the environment that must not reach the demo: it has its own folder,
# store and actors, and runs with coflow's own check types only.
ISOLATE = {"COFLOW_STORE": None, "COFLOW_HOME": None, "COFLOW_ACTOR": None, "COFLOW_LOAD_PLUGINS": ""}


class DemoStopped(Exception):
    """A step did not do what the demo expects: a bug in coflow or the demo, never the user's."""


class Script:
    """Says things in plain words and runs commands, showing them as a person would type them."""

    def __init__(self, home: Path):
        self.home = home

    def say(self, text: str = "") -> None:
        if not text:
            click.echo()
            return
        for paragraph in text.split("\n"):
            keep_as_is = not paragraph or paragraph.startswith("  ")  # blank lines, command lists
            click.echo(paragraph if keep_as_is else textwrap.fill(paragraph, width=88))

    def heading(self, number: int, text: str) -> None:
        click.echo()
        click.echo(f"{number}. {text}")
        click.echo("-" * (len(text) + len(str(number)) + 2))

    def run(self, *args: str, actor: str = LEAD, expect: int = 0, show: bool = True, brief: bool = False,
            shown: tuple[str, ...] | None = None) -> str:
        """Run `coflow ARGS` as ACTOR; show it and its output indented (only the first line if
        `brief`); stop if the exit code is not the one expected."""
        from coflow.cli.main import cli

        words = ["coflow", *(["--actor", actor] if actor != LEAD else []), *(shown or args)]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(["--home", str(self.home), "--actor", actor, *args],
                                prog_name="coflow", standalone_mode=False)
            except click.ClickException as exc:
                exc.show()
                code = exc.exit_code
        code = code if isinstance(code, int) else 0
        output = (out.getvalue() + err.getvalue()).rstrip()
        if show:
            click.echo(f"  $ {shlex.join(words)}")
            if output:
                click.echo(textwrap.indent(output.splitlines()[0] if brief else output, "    "))
        if code != expect:
            raise DemoStopped(f"`{shlex.join(words)}` ended with exit code {code}, not {expect}:\n{output}")
        return output


@contextlib.contextmanager
def _isolated() -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in ISOLATE}
    try:
        for key, value in ISOLATE.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextlib.contextmanager
def _folder(keep: str | None) -> Iterator[Path]:
    if keep is None:
        with tempfile.TemporaryDirectory(prefix="coflow-demo-") as tmp:
            yield Path(tmp) / "demo"
        return
    folder = Path(keep)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"{folder} already exists and is not an empty folder",
                         hint="give --keep a new folder name, such as coflow-demo")
    yield folder


@click.command()
@click.option("--keep", type=click.Path(file_okay=True), metavar="DIR",
              help="Keep the demo's folder in DIR (a new or empty folder) to look around afterwards.")
def demo(keep: str | None) -> None:
    """See coflow at work: a made-up co-production project meets its first gates."""
    with _isolated(), _folder(keep) as home:
        script = Script(home)
        try:
            _tour(script, home)
        except DemoStopped as exc:
            raise click.ClickException(f"the demo stopped unexpectedly: {exc}") from None
        _next_steps(script, home if keep else None)


def _tour(s: Script, home: Path) -> None:
    s.say("coflow demo")
    s.say("===========")
    s.say(f"A worked example with a made-up project, {PROJECT}, run through the co-production "
          "workflow that comes with coflow. It all happens in a throwaway folder: nothing of yours "
          "is touched, and nobody's real details are used. The people are known only by ids such "
          f"as P-001; commands are run by the co-production lead, {LEAD}, unless shown otherwise.")

    s.heading(1, "Start the project")
    s.run("init", str(home), show=False)
    from coflow.storage.sqlite import os_account

    with open(home / "coflow.toml", "a", encoding="utf-8") as fh:
        # One account plays every fictional person: it records what each of them did.
        fh.write(ACTORS + f'[actors.{os_account()}]\npermissions = ["record_for_others"]\n')
    s.say("A folder is set up with `coflow init`, and coflow.toml names who may sign off as what "
          "(here: a senior sponsor, a lived-experience co-chair and the lead).")
    s.run("new", PROJECT, "--workflow", "coproduction")

    s.heading(2, "Try to move on straight away")
    s.say("The first stage is Planning. Its gate lists what must be true before the project "
          "moves on, each point drawn from published co-production guidance.")
    s.run("advance", PROJECT, expect=1)
    s.say("The gate stays shut: nothing has been done yet. Each point says what is missing and "
          "the command that records it. The attempt itself is kept in the project's history.")

    s.heading(3, "Record the planning work")
    s.say("Facts are short answers, recorded with `coflow record`:")
    s.run("record", PROJECT, "sponsor", "Director of Nursing")
    s.run("record", PROJECT, "budget_payments", "1800")
    s.run("record", PROJECT, "sessions_planned", "6")
    s.run("record", PROJECT, "outcome_measures", "waiting time; confidence score")
    s.say()
    s.say("Evidence is a document (copied into coflow's store, with a fingerprint) or a link:")
    statement = home / "decision-space.txt"
    statement.write_text("What this project can change, and what is already decided.\n", encoding="utf-8")
    s.run("evidence", "add", PROJECT, "--kind", "decision-space", "--file", str(statement),
          shown=("evidence", "add", PROJECT, "--kind", "decision-space", "--file", "decision-space.txt"))
    s.say()
    s.say("A partner with lived experience takes part from the start: here, agreeing the decision "
          "space at a planning session. People are known by an id (P-001); names, if given, are "
          "kept apart from the history.")
    s.run("participant", "add", PROJECT, "--lived-experience", "--category", "carer", "--route", "open-call",
          brief=True)
    s.run("session", "add", PROJECT, "--date", days_ago(21), "--format", "in-person", "--hours", "2",
          "--kind", "planning", "--attendee", "P-001", "--agenda-by", "P-001", brief=True)
    s.say()
    s.say("The suitability assessment asks whether co-production is right here at all, or "
          "whether something lighter would be more honest. On a terminal it asks six questions; "
          "here the answers are given as options:")
    s.run("assess", PROJECT, "--authority", "2", "--shared-aims", "2", "--scale", "2", "--outcomes", "2",
          "--resources", "2", "--delivery-role", "2", "--no-interactive")
    s.say()
    s.say("What is left? `coflow check` looks without changing anything:")
    s.run("check", PROJECT, expect=1)
    s.say()
    s.say("Two things: the data-protection reference, and the sponsor's own sign-off. Only "
          "someone coflow.toml names as sponsor can give that:")
    s.run("record", PROJECT, "dpia_ref", "DPIA-2026-041")
    s.run("signoff", PROJECT, "--role", "sponsor", actor=SPONSOR)

    s.heading(4, "The gate opens")
    s.run("advance", PROJECT)

    s.heading(5, "Training: the people taking part")
    s.say("The people taking part are records too. The history keeps an id, a role, whether "
          "they bring lived experience and a broad category such as carer; names and contact "
          "details, if given, are kept apart and can be erased on request.")
    s.run("participant", "add", PROJECT, "--role", "staff", brief=True)
    for route in ("open-call", "community-partner"):
        s.run("participant", "add", PROJECT, "--lived-experience", "--category", "carer", "--route", route,
              brief=True)
    s.say()
    s.run("advance", PROJECT, expect=1)
    s.say()
    s.say("The gate names exactly who still needs what. Recording it:")
    s.run("participant", "update", PROJECT, "P-002", "--training", days_ago(40), brief=True)
    for pid in ("P-001", "P-003", "P-004"):
        s.run("participant", "update", PROJECT, pid, "--induction", days_ago(28), "--payment-info", days_ago(28),
              brief=True)
    rules = home / "ground-rules.txt"
    rules.write_text("How we work together: every voice counts; plain words; breaks when needed.\n",
                     encoding="utf-8")
    s.run("evidence", "add", PROJECT, "--kind", "ground-rules", "--file", str(rules), "--date", days_ago(21),
          shown=("evidence", "add", PROJECT, "--kind", "ground-rules", "--file", "ground-rules.txt",
                 "--date", days_ago(21)), brief=True)
    s.say()
    s.run("advance", PROJECT)

    s.heading(6, "The record so far")
    s.say("Every step above is an event in the project's history, chained so that a change "
          "made behind coflow's back shows:")
    s.run("verify", PROJECT)


def _next_steps(s: Script, kept: Path | None) -> None:
    s.heading(7, "Next steps")
    s.say(f"{PROJECT} is now designing the work with its partners; that gate asks for sessions "
          "held together, agendas written with partners, access needs met and a joint sign-off.")
    s.say()
    s.say("To start your own:")
    steps = [
        ("coflow init my-projects", "set up a folder"),
        ("coflow workflow show coproduction", "every stage, its guidance and its checks"),
        ("coflow workflow list", "the lighter workflows too: codesign, engage, consult"),
        ("coflow new PROJECT --workflow coproduction", "start a project"),
        ("coflow assess PROJECT", "which level of involvement honestly fits"),
        ("coflow status PROJECT", "what the current gate needs"),
    ]
    for command, why in steps:
        s.say(f"  {command:<44} {why}")
    s.say()
    s.say("A workflow is a plain text file. To fit it to your organisation, put one in your folder's "
          "workflows/ that starts from a shipped one (extends = \"coproduction\") and says only what you "
          "do differently; later improvements to the shipped one then reach you too. Every check is "
          "explained in coflow's docs/checks.md, extends in docs/workflows.md.")
    s.say()
    if kept is not None:
        s.say(f"The demo's folder is kept in {kept}. Look around with, for example:")
        s.say(f"  coflow --home {shlex.quote(str(kept))} history {PROJECT}")
    else:
        s.say("The demo's folder has been removed. Run `coflow demo --keep coflow-demo` to keep it "
              "and look around.")
