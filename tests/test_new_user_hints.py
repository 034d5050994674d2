"""Hints a new user follows from the command line: each must be safe to do as written."""

from __future__ import annotations

import tomllib

ACTORS = '\n[actors.root]\nroles = ["lead"]\n'


def test_signoff_hint_extends_an_existing_actor_table_instead_of_repeating_it(run, home):
    (home / "coflow.toml").write_text((home / "coflow.toml").read_text() + ACTORS)
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    refused = run("signoff", "p1", "--role", "sponsor", actor="root")
    assert refused.exit_code == 2, refused
    assert ('Add "sponsor" to the roles list of [actors.root] in coflow.toml, so the line reads: '
            'roles = ["lead", "sponsor"]') in refused.stderr
    # doing what the hint says leaves a file that still reads
    text = (home / "coflow.toml").read_text().replace('roles = ["lead"]', 'roles = ["lead", "sponsor"]')
    (home / "coflow.toml").write_text(text)
    tomllib.loads(text)
    assert run("signoff", "p1", "--role", "sponsor", actor="root").exit_code == 0


def test_signoff_hint_offers_a_new_table_for_an_actor_not_in_coflow_toml(run, home):
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    refused = run("signoff", "p1", "--role", "sponsor", actor="newbie")
    assert refused.exit_code == 2
    assert 'Add this table to coflow.toml: [actors.newbie] roles = ["sponsor"]' in refused.stderr


def test_lived_experience_role_hint_names_the_partner_not_the_current_actor(run, home):
    (home / "coflow.toml").write_text((home / "coflow.toml").read_text() + ACTORS)
    assert run("new", "p1", "--workflow", "mini").exit_code == 0
    refused = run("signoff", "p1", "--role", "co-chair", actor="root")
    assert refused.exit_code == 2
    err = refused.stderr
    assert "signed by the partner with lived experience themselves, not by root" in err
    assert "coflow participant update p1 ID --signs-as NAME" in err
    assert "[actors.root]" not in err
