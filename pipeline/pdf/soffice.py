"""The installed LibreOffice: where ``soffice`` is, its version, and the private profiles its processes run on.

Two processes on one profile collide silently, so every call gets its own (``Profiles``): a spare
an earlier call gave back, a copy of the profile an earlier clean run kept in the user's cache
folder (``profile_template``), or a new one seeded with the installed version (``seed_profile``).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path


SETUP_VERSION = re.compile(rb'oor:name="ooSetupVersion">\s*<value>([0-9.]+)</value>')


def office_version(exe: str) -> str | None:
    """The installed LibreOffice's version ("7.4"), read from its registry (``share/registry/main.xcd``)."""
    program = Path(os.path.realpath(exe)).parent
    for main in (program.parent / "share" / "registry" / "main.xcd",  # Linux, Windows
                 program.parent / "Resources" / "registry" / "main.xcd"):  # macOS
        try:
            found = SETUP_VERSION.search(main.read_bytes())
        except OSError:
            continue
        if found:
            return found.group(1).decode()
    return None


def seed_profile(profile: Path, exe: str) -> None:
    """Start a new profile with its last-used version set to the installed one.

    A profile that has never recorded the version it was last used with (``ooSetupLastVersion``;
    LibreOffice's window sets it on the first start, a headless conversion never does) counts as
    "upgraded", and every start on it runs LibreOffice's graphics render tests first: bitmaps of
    4096×4096 pixels drawn and read back, about a second of CPU — longer than converting ten
    documents. Recorded here, every process of the pool starts without them.
    """
    version = office_version(exe)
    if version is None:
        return  # an unknown layout: LibreOffice makes the profile on its own, as before
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Setup/Product"><prop oor:name="ooSetupLastVersion" oor:op="fuse">'
        f"<value>{version}</value></prop></item>\n</oor:items>\n", encoding="utf-8")


def profile_template(exe: str) -> Path | None:
    """Where a LibreOffice profile made by an earlier run is kept, one per LibreOffice installation.

    In the user's cache folder (``VANBAN_CACHE``, else ``%LOCALAPPDATA%``, ``$XDG_CACHE_HOME`` or
    ``~/.cache``), under ``vanban/``. Every process gets its own copy: a profile is never shared.
    """
    import hashlib

    from pipeline.paths import cache_folder

    try:
        real = os.path.realpath(exe)
        key = hashlib.sha256(f"{real}|{os.stat(real).st_mtime_ns}|seeded".encode()).hexdigest()[:16]
        folder = cache_folder()
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder / f"libreoffice-profile-{key}"


class Profiles:
    """Where the private profile of each LibreOffice call comes from, and where it goes afterwards.

    A call never shares its profile: two processes on one profile collide silently. A call takes,
    in this order: a spare — the profile of an earlier call that exited cleanly, kept beside the
    template and taken by renaming it into this run's folder (atomic: two runs never get the same
    one; a conversion leaves its profile as it found it); a copy of the template, a profile an
    earlier clean run left in the cache (``profile_template``: LibreOffice then skips setting a new
    one up); or a new profile seeded with the installed version (``seed_profile``). Taking and
    giving back a spare are renames, where copying and deleting a profile's 65 folders took
    ~0.2 s at each end of a run.
    """

    SPARES = 8  # at most this many kept, whatever the number of cores or runs

    def __init__(self, exe: str, work: Path):
        self.exe, self.work, self.made = exe, work, 0
        self.template = profile_template(exe)
        self.spares = None if self.template is None else self.template.with_name(self.template.name + "-spare")
        self.first: Path | None = None

    def take(self) -> Path:
        profile = self.work / f"profile-{self.made}"
        self.made += 1
        if not self._claim_spare(profile) and self.template is not None and self.template.is_dir():
            try:
                shutil.copytree(self.template, profile, symlinks=True)
            except OSError:  # removed meanwhile by another run: LibreOffice makes a new one
                shutil.rmtree(profile, ignore_errors=True)
        if not profile.is_dir():
            seed_profile(profile, self.exe)
        self.first = self.first or profile
        return profile

    def _claim_spare(self, profile: Path) -> bool:
        try:
            spares = [e.path for e in os.scandir(self.spares)] if self.spares else []
        except OSError:
            return False
        for spare in spares:
            try:
                os.rename(spare, profile)  # fails if another run took it first, or across file systems
                return True
            except OSError:
                continue
        return False

    def give_back(self, profile: Path) -> None:
        """Keep the profile of a call that exited cleanly as a spare (once the template exists)."""
        if self.spares is None or self.template is None or not self.template.is_dir():
            return
        try:
            self.spares.mkdir(exist_ok=True)
            if sum(1 for _ in os.scandir(self.spares)) < self.SPARES:
                os.rename(profile, self.spares / f"{os.getpid()}-{profile.name}-{time.monotonic_ns()}")
        except OSError:
            pass  # deleted with the run's folder

    def keep(self) -> None:
        """After a clean run, keep the first call's profile (set up by LibreOffice) as the template of later runs."""
        made = self.first
        if self.template is None or self.template.is_dir() or made is None or not made.is_dir():
            return
        staging = Path(tempfile.mkdtemp(prefix=".profile-", dir=self.template.parent))
        try:
            shutil.copytree(made, staging / "p", symlinks=True)
            os.replace(staging / "p", self.template)  # atomic: another run may be doing the same
        except OSError:
            pass
        finally:
            shutil.rmtree(staging, ignore_errors=True)
