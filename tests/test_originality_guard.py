"""The originality test fails, rather than passing, when it finds no article to compare with."""

import os
import subprocess
import sys

from conftest import ROOT


def test_originality_fails_without_articles(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_content.py",
            "-k",
            "cautions_are_written_in_our_own_words",
        ],
        cwd=ROOT,
        env=dict(os.environ, ADVISOR_SEEDS_DIR=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0, result.stdout[-2000:]
    assert "no source articles" in result.stdout
