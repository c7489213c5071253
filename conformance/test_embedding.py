"""Wickr Local as a new user meets it from Java: a brand-new Maven project, made of the README's
pom.xml and the README's JUnit test exactly as the README shows them, depends on the freshly built
library, starts it in-process, seeds it, injects a 429 storm, runs a suspension and reads the audit
trail. The project is built offline, from what this project's own build put in the local Maven
repository.

The library is installed the way `mvn install` does (the plain jar and this pom, with the metadata
the install plugin writes), but into a private local repository: every other artifact in it is a
link to the real one, so the user's repository is not changed and builds running side by side do
not see each other's jar.
"""
import datetime
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import wlhelpers as wl

pytestmark = pytest.mark.skipif(
    wl.STORE != "sqlite",
    reason="the embedded server keeps its state in memory whatever the store under test: it runs once,"
           " in the SQLite pass")

ROOT = Path(__file__).resolve().parent.parent
POM_NS = {"m": "http://maven.apache.org/POM/4.0.0"}


def _java_tests_section() -> str:
    """docs/embedding.md, the page the README's Java section points to (the README shows parts of it)."""
    return (ROOT / "docs" / "embedding.md").read_text()


def _block(section: str, lang: str) -> str:
    blocks = re.findall(r"^```" + lang + r"\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)
    assert len(blocks) == 1, f"docs/embedding.md should show exactly one {lang} block, found {len(blocks)}"
    return blocks[0]


def _pom_value(root, path):
    node = root.find(path, POM_NS)
    assert node is not None, path
    return node.text.strip()


def _ours():
    pom = ET.parse(ROOT / "pom.xml").getroot()
    return {
        "groupId": _pom_value(pom, "m:groupId"),
        "artifactId": _pom_value(pom, "m:artifactId"),
        "version": _pom_value(pom, "m:version"),
        "junit": _pom_value(pom, "m:properties/m:junit.version"),
        "awssdk": _pom_value(pom, "m:properties/m:awssdk.version"),
    }


def _dependency_versions(readme_pom: str) -> dict:
    root = ET.fromstring(readme_pom)
    return {(_pom_value(d, "m:groupId"), _pom_value(d, "m:artifactId")): _pom_value(d, "m:version")
            for d in root.findall("m:dependencies/m:dependency", POM_NS)}


def _user_repository() -> Path:
    # Under `mvn verify` the pom passes ${settings.localRepository}; run by hand, Maven's default.
    given = os.environ.get("WICKR_LOCAL_M2_REPOSITORY")
    return Path(given) if given else Path.home() / ".m2" / "repository"


def _overlay(real: Path, private: Path, keep_out: tuple) -> Path:
    """A local repository at `private` that shows everything of `real` through links, except the
    folder `keep_out` (path parts), which is empty and private."""
    private.mkdir(parents=True)
    here_real, here = real, private
    for part in keep_out:
        for entry in (here_real.iterdir() if here_real.is_dir() else []):
            if entry.name != part:
                (here / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
        here_real, here = here_real / part, here / part
        here.mkdir()
    return here


def _install(folder: Path, ours: dict, jar: Path, pom: Path):
    """What `mvn install` (Maven 3.8) leaves for a snapshot: the jar, the pom, and the local metadata."""
    a, v = ours["artifactId"], ours["version"]
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%d%H%M%S")
    version_dir = folder / v
    version_dir.mkdir()
    shutil.copyfile(jar, version_dir / f"{a}-{v}.jar")
    shutil.copyfile(pom, version_dir / f"{a}-{v}.pom")
    (version_dir / "_remote.repositories").write_text(f"{a}-{v}.jar>=\n{a}-{v}.pom>=\n")
    head = (f'<?xml version="1.0" encoding="UTF-8"?>\n<metadata modelVersion="1.1.0">\n'
            f'  <groupId>{ours["groupId"]}</groupId>\n  <artifactId>{a}</artifactId>\n')
    (version_dir / "maven-metadata-local.xml").write_text(
        head + f"  <version>{v}</version>\n  <versioning>\n"
        f"    <snapshot><localCopy>true</localCopy></snapshot>\n    <lastUpdated>{stamp}</lastUpdated>\n"
        f"    <snapshotVersions>\n"
        f"      <snapshotVersion><extension>jar</extension><value>{v}</value><updated>{stamp}</updated></snapshotVersion>\n"
        f"      <snapshotVersion><extension>pom</extension><value>{v}</value><updated>{stamp}</updated></snapshotVersion>\n"
        f"    </snapshotVersions>\n  </versioning>\n</metadata>\n")
    (folder / "maven-metadata-local.xml").write_text(
        head + f"  <versioning>\n    <versions><version>{v}</version></versions>\n"
        f"    <lastUpdated>{stamp}</lastUpdated>\n  </versioning>\n</metadata>\n")


def test_the_readme_names_this_build_and_the_versions_it_resolved():
    section = _java_tests_section()
    ours = _ours()
    versions = _dependency_versions(_block(section, "xml"))
    # Offline, the new project can only use what this build put in the local repository.
    assert versions == {
        (ours["groupId"], ours["artifactId"]): ours["version"],
        ("org.junit.jupiter", "junit-jupiter"): ours["junit"],
        ("software.amazon.awssdk", "http-auth-aws"): ours["awssdk"],
    }
    assert "mvn install -DskipTests" in section


def test_a_new_maven_project_runs_the_readme_junit_test(tmp_path):
    mvn = shutil.which("mvn")
    assert mvn, "mvn must be on the PATH"
    ours = _ours()
    jar = wl.jar_path().parent / f"{ours['artifactId']}-{ours['version']}.jar"
    assert jar.is_file(), f"the library jar {jar} is missing: run `mvn package` first"
    real = _user_repository()
    assert (real / "org" / "junit").is_dir(), f"{real} does not look like the local Maven repository"

    repository = tmp_path / "m2"
    folder = _overlay(real, repository, tuple(ours["groupId"].split(".")) + (ours["artifactId"],))
    _install(folder, ours, jar, ROOT / "pom.xml")

    section = _java_tests_section()
    project = tmp_path / "wickr-automation"
    project.mkdir()
    (project / "pom.xml").write_text(_block(section, "xml"))
    test_source = _block(section, "java")
    package = re.search(r"^package ([\w.]+);", test_source, re.MULTILINE).group(1)
    name = re.search(r"^class (\w+)", test_source, re.MULTILINE).group(1)
    test_count = len(re.findall(r"^\s+@Test$", test_source, re.MULTILINE))
    source_dir = project / "src" / "test" / "java" / Path(*package.split("."))
    source_dir.mkdir(parents=True)
    (source_dir / f"{name}.java").write_text(test_source)

    env = {k: v for k, v in os.environ.items()
           if k not in ("MAVEN_PROJECTBASEDIR", "MAVEN_BASEDIR", "MAVEN_CMD_LINE_ARGS", "MAVEN_CONFIG")}
    r = subprocess.run([mvn, "-o", "-q", "-B", f"-Dmaven.repo.local={repository}", "test"], cwd=project,
                       env=env, capture_output=True, text=True, timeout=300)
    reports = sorted((project / "target" / "surefire-reports").glob("TEST-*.xml"))
    details = "".join(p.read_text(errors="replace") for p in reports)[-4000:]
    assert r.returncode == 0, f"mvn test failed:\n{r.stdout[-6000:]}\n{r.stderr[-3000:]}\n{details}"

    assert [p.name for p in reports] == [f"TEST-{package}.{name}.xml"]
    suite = ET.parse(reports[0]).getroot()
    assert int(suite.get("tests")) == test_count > 0
    assert (suite.get("failures"), suite.get("errors"), suite.get("skipped")) == ("0", "0", "0")
