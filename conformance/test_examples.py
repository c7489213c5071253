"""The README's worked examples run as written against a fresh server, and the README shows them
exactly as they are in examples/ (so the two cannot drift apart)."""
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env(ep):
    env = dict(os.environ)
    env["ENDPOINT"] = ep.url
    return env


def test_readme_shows_the_examples_verbatim():
    readme = (ROOT / "README.md").read_text()
    shell = (ROOT / "examples" / "quickstart.sh").read_text()
    assert shell.strip() in readme
    python = (ROOT / "examples" / "quickstart.py").read_text()
    body = python.split('"""', 2)[2].strip()  # the README leaves out the docstring
    head = body.split("suspended = sum(")[0].strip()
    assert head in readme


def test_readme_java_parts_are_cut_from_the_tested_java_example():
    """The README's Java block shows parts of docs/embedding.md's test (the one test_embedding.py builds
    and runs), separated by lines holding only `// …`: each part must be in that test as written."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("\n## Use it from Java tests\n"):]
    shown = re.findall(r"^```java\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)
    assert len(shown) == 1, "the README's Java section shows one java block"
    tested = re.findall(r"^```java\n(.*?)^```$", (ROOT / "docs" / "embedding.md").read_text(),
                        re.MULTILINE | re.DOTALL)
    assert len(tested) == 1
    parts = [p for p in re.split(r"^ *// …\n", shown[0], flags=re.MULTILINE) if p.strip()]
    assert len(parts) >= 2
    for part in parts:
        assert part in tested[0], part


def test_cli_quickstart_runs_as_written(ep, tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    r = subprocess.run(["bash", str(ROOT / "examples" / "quickstart.sh")], env={**_env(ep), "TMPDIR": str(temp)},
                       cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    # Its file of user IDs and invite codes is gone, and it wrote nothing where it ran.
    assert list(temp.iterdir()) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["tmp"]
    out = r.stdout
    assert '"sessionId"' in out
    assert '"message": "success"' in out
    assert '"suspended": true' in out
    assert '{"sessions":[]}' in out
    assert "ForbiddenError" in out or "is suspended" in out
    assert out.rstrip().endswith("\"success\"")


def test_boto3_quickstart_runs_as_written(ep, tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "examples" / "quickstart.py")], env=_env(ep), cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("success: 50 suspended, 0 failed") == 2
    assert "success: 20 suspended, 0 failed" in r.stdout
    assert "120 of 120 users are suspended" in r.stdout


def test_walkthrough_of_a_whole_network_runs_unchanged(ep, tmp_path):
    r = subprocess.run([sys.executable, str(ROOT / "examples" / "walkthrough.py")], env=_env(ep), cwd=tmp_path,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    out = r.stdout
    assert "\nsuccess\n" in out
    assert "suspended user signs in: (403" in out
    assert "suspended bot signs in: (403" in out
    assert "'isPubkeyMsgAcked': True" in out and "'isDataRetentionServiceEnabled': True" in out
    assert "blocked guest writes again: (403" in out
    assert "('enableClientMetrics', 'true')" in out
    assert out.rstrip().endswith("walkthrough complete")
