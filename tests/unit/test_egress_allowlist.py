"""The egress allow-list: which host:port an `archive` sandbox may reach, and which setting wins."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from abcbench.egress.allowlist import DEFAULT_ALLOW, AllowList, normalize_host, parse_pattern
from abcbench.egress.settings import check_egress_flags, effective_egress
from abcbench.errors import UserError
from abcbench.tasks.spec import Sandbox


def test_a_host_without_port_allows_plain_and_tls_only() -> None:
    allow = AllowList(["pkgs.example.org"])
    assert allow.allows("pkgs.example.org", 80) and allow.allows("pkgs.example.org", 443)
    assert not allow.allows("pkgs.example.org", 8080)
    assert not allow.allows("other.example.org", 443)


def test_an_explicit_port_allows_that_port_only() -> None:
    allow = AllowList(["127.0.0.1:8123"])
    assert allow.allows("127.0.0.1", 8123)
    assert not allow.allows("127.0.0.1", 80) and not allow.allows("127.0.0.1", 8124)


@pytest.mark.parametrize(("host", "allowed"), [
    ("a.example.org", True), ("deep.a.example.org", True), ("A.EXAMPLE.ORG.", True),
    ("example.org", False), ("evilexample.org", False), ("example.org.evil.test", False),
    ("a.example.org.", True),
])
def test_a_wildcard_matches_names_below_its_domain(host: str, allowed: bool) -> None:
    assert AllowList(["*.example.org"]).allows(host, 443) is allowed


def test_names_are_compared_normalized() -> None:
    allow = AllowList(["Pkgs.Example.ORG."])
    assert allow.allows("pkgs.example.org", 443)
    assert allow.allows("PKGS.example.org.", 443)


@pytest.mark.parametrize("host", ["2130706433", "127.1", "0x7f.1", "a b", "", "a..b", "-a.org",
                                  "exa_mple.org:80", "user@pkgs.example.org"])
def test_what_a_resolver_could_read_as_another_address_is_not_a_name(host: str) -> None:
    assert normalize_host(host) is None
    assert not AllowList(["pkgs.example.org", "*.example.org"]).allows(host, 443)


def test_ip_literals_match_in_canonical_form() -> None:
    allow = AllowList(["[::1]:9000", "10.0.0.5"])
    assert allow.allows("[0:0::1]", 9000) and allow.allows("::1", 9000)
    assert allow.allows("10.0.0.5", 443)
    assert not allow.allows("10.0.0.6", 443)


@pytest.mark.parametrize("bad", ["", "*", "*.org", "*.10.0.0.1", "host:0", "host:65536",
                                 "host:http", "http://host", "a*.example.org", "[::1",
                                 "[::1]x", "exa mple.org"])
def test_bad_patterns_say_what_is_accepted(bad: str) -> None:
    with pytest.raises(ValueError, match=r"HOST|port|wildcard|bracket"):
        parse_pattern(bad)


def test_the_default_archives_parse_and_each_is_allowed_on_tls() -> None:
    allow = AllowList(DEFAULT_ALLOW)
    assert len(allow.patterns) == len(DEFAULT_ALLOW)
    for entry in DEFAULT_ALLOW:
        assert allow.allows(entry, 443), entry


def test_the_run_setting_replaces_the_tasks_and_only_archive_has_a_list() -> None:
    assert effective_egress("full", ["x.example.org"]).mode == "full"
    assert effective_egress("full", ["x.example.org"]).allow == ()
    assert effective_egress("archive", [], "none").mode == "none"
    chosen = effective_egress("none", ["task.example.org"], "archive", ["run.example.org:81"])
    assert chosen.mode == "archive"
    assert chosen.allow == (*DEFAULT_ALLOW, "task.example.org", "run.example.org:81")
    again = effective_egress("archive", [DEFAULT_ALLOW[0]], None, [DEFAULT_ALLOW[0]])
    assert again.allow == DEFAULT_ALLOW  # duplicates once


@pytest.mark.parametrize(("mode", "allow", "message"), [
    ("some", [], r"--egress some: choose one of none, archive, full"),
    ("archive", ["*.org"], r"--egress-allow '\*\.org': a wildcard"),
    ("full", ["pkgs.example.org"], r"no effect with --egress full"),
])
def test_bad_run_flags_are_one_line(mode: str, allow: list[str], message: str) -> None:
    with pytest.raises(UserError, match=message):
        check_egress_flags(mode, allow)


def test_good_run_flags_pass() -> None:
    check_egress_flags(None, ["pkgs.example.org"])
    check_egress_flags("archive", ["*.example.org:8443"])
    check_egress_flags("none", [])


def test_the_task_field_takes_archive_and_validates_its_hosts() -> None:
    assert Sandbox(egress="archive", egress_allow=["pkgs.example.org"]).egress == "archive"
    assert Sandbox().egress == "full"  # the published benchmark's setting
    with pytest.raises(ValidationError, match="HOST"):
        Sandbox(egress="archive", egress_allow=["http://pkgs.example.org"])
    with pytest.raises(ValidationError):
        Sandbox(egress="some")  # type: ignore[arg-type]
