"""vanban's folder in the user's cache (``paths.cache_folder``): one place decides it, for the build's repeat
key and the PDF step's LibreOffice profile alike. ``VANBAN_CACHE`` first, then Windows' ``LOCALAPPDATA``,
then ``XDG_CACHE_HOME``, then ``~/.cache``."""

from __future__ import annotations

from pathlib import Path

from pipeline.build.reuse import key_file
from pipeline.paths import cache_folder

NAMES = ("VANBAN_CACHE", "LOCALAPPDATA", "XDG_CACHE_HOME")


def test_the_cache_folder_follows_the_environment_in_order(tmp_path, monkeypatch):
    for name in NAMES:
        monkeypatch.setenv(name, str(tmp_path / name))
    seen = []
    for name in NAMES:
        seen.append(cache_folder())
        monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    seen.append(cache_folder())
    assert seen == [tmp_path / "VANBAN_CACHE" / "vanban", tmp_path / "LOCALAPPDATA" / "vanban",
                    tmp_path / "XDG_CACHE_HOME" / "vanban", tmp_path / "home" / ".cache" / "vanban"]


def test_the_builds_key_lives_there(tmp_path, monkeypatch):
    monkeypatch.setenv("VANBAN_CACHE", str(tmp_path / "cache"))
    key = key_file(tmp_path / "outputs")
    assert key.parent == tmp_path / "cache" / "vanban" and key.suffix == ".key"
    assert key_file(Path(tmp_path / "outputs")) == key  # one folder, one key
