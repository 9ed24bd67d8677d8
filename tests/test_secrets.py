"""No secret is printed, in any form a URL can take (issue 14, items 6 and 7)."""

from pathlib import Path

import pytest

from tests.backends import login_with_password, provisioned
from tests.conftest import Project
from tests.helpers import assert_one_error

QUERY_SECRET = "TopSecret123"


@pytest.mark.parametrize("target", ["db-up", "db-status", "db-info"])
def test_a_password_in_the_query_is_masked(project: Project, target: str) -> None:
    """Assert that password=, and any parameter named like a secret or token, never shows."""
    project.env["DATABASE_URL"] = (
        f"postgresql://nobody@127.0.0.1:1/x?password={QUERY_SECRET}&api_token=Tok3n9"
        "&sslmode=disable"
    )
    result = project.make(target, DATABASE_CONNECT_TIMEOUT="1")
    shown = result.stdout + result.stderr
    assert QUERY_SECRET not in shown
    assert "Tok3n9" not in shown
    assert "password=***" in shown
    assert "sslmode=disable" in shown


@pytest.mark.parametrize(
    ("url", "secret"),
    [
        ("mysql://u:p@ssTail9@127.0.0.1:3306/db", "ssTail9"),
        ("postgresql://u:SeCrEt1/db", "SeCrEt1"),
    ],
)
def test_a_url_a_password_breaks_is_refused_unseen(project: Project, url: str, secret: str) -> None:
    """Assert that an unencoded '@' in the password, or a password where the host should be,
    is refused in one line that shows no part of the URL and says how to percent-encode."""
    project.env["DATABASE_URL"] = url
    for target in ("db-up", "db-info"):
        result = project.make(target)
        line = assert_one_error(result, "DATABASE_URL", "%40")
        assert secret not in result.stdout + result.stderr, line


UNICODE_PASSWORD = "pä€ss-😀"  # beyond Latin-1: PyMySQL alone would fail to encode it


@pytest.mark.parametrize("backend", ["postgresql", "mysql"])  # SQLite has no login
def test_a_password_beyond_latin_1_logs_in_everywhere(
    project: Project, backend: str, tmp_path: Path
) -> None:
    """Assert that a login whose password is beyond Latin-1 migrates, reports and backs up,
    and that neither the password nor its percent-encoding is ever shown."""
    with (
        provisioned(backend, tmp_path) as url,
        login_with_password(url, UNICODE_PASSWORD) as login,
    ):
        project.env["DATABASE_URL"] = login
        for target in ("db-up", "db-status", "db-backup", "db-info"):
            result = project.make(target)
            shown = result.stdout + result.stderr
            assert result.returncode == 0, shown
            assert "Traceback" not in shown
            assert UNICODE_PASSWORD not in shown
            assert "%E2%82%AC" not in shown.upper()


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://postgres:a%00b@127.0.0.1:5432/test",
        "postgresql://po%00stgres@127.0.0.1:5432/test",
        "mysql://root:x%00y@127.0.0.1:3306/test",
        "postgresql://postgres@127.0.0.1:5432/te%00st",
        "postgresql://u:p@127.0.0.1:5432/db?pass%00word=TopSecret123",
        "mysql://root@127.0.0.1:3306/test?ch%00arset=TopSecret123",
    ],
)
def test_a_nul_in_the_url_is_refused_unseen(project: Project, url: str) -> None:
    """Assert that a NUL byte (%00) anywhere in the URL is one line, without the URL."""
    project.env["DATABASE_URL"] = url
    for target in ("db-status", "db-backup", "db-info"):
        result = project.make(target)
        assert_one_error(result, "NUL character (%00)")
        assert "127.0.0.1" not in result.stdout + result.stderr
        assert QUERY_SECRET not in result.stdout + result.stderr


def test_a_query_parameter_the_driver_lacks_is_one_line(project: Project) -> None:
    """Assert that a MariaDB URL with a parameter PyMySQL does not take is named in one line,
    its value never shown."""
    project.env["DATABASE_URL"] = f"mysql://root@127.0.0.1:3306/test?my_password={QUERY_SECRET}"
    for target in ("db-status", "db-up", "db-info", "db-backup"):
        result = project.make(target)
        if target == "db-info":  # db-info reports the database as unavailable, and goes on
            assert "does not take (my_password)" in result.stdout + result.stderr
        else:
            assert_one_error(result, "does not take (my_password)")
        assert QUERY_SECRET not in result.stdout + result.stderr
