"""No secret is printed, in any form a URL can take (issue 14, items 6 and 7)."""

import pytest

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
