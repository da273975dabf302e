"""Obtain Natural Earth's world_map.gpkg from Debian's qgis-common package and verify it."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

from . import DEBIAN_PACKAGE, GPKG_MEMBER, GPKG_SHA256


class SourceError(RuntimeError):
    """The source package could not be obtained or is not the expected one."""


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _deb_in(cache: Path) -> Path | None:
    debs = sorted(cache.glob(f"{DEBIAN_PACKAGE}_*.deb"))
    return debs[-1] if debs else None


def download_deb(cache: Path) -> Path:
    """Run ``apt-get download qgis-common`` in ``cache`` unless a .deb is already there."""
    cache.mkdir(parents=True, exist_ok=True)
    deb = _deb_in(cache)
    if deb is not None:
        return deb
    if shutil.which("apt-get") is None:
        raise SourceError("apt-get is not available: cannot download the qgis-common package")
    proc = subprocess.run(  # noqa: S603 - fixed argv, no shell
        ["apt-get", "download", DEBIAN_PACKAGE],  # noqa: S607
        cwd=cache,
        capture_output=True,
        text=True,
        check=False,
    )
    deb = _deb_in(cache)
    if proc.returncode != 0 or deb is None:
        msg = (proc.stderr or proc.stdout).strip()
        if "Unable to locate package" in msg or "No packages found" in msg or not msg:
            raise SourceError(
                f"apt-get could not find {DEBIAN_PACKAGE}: the package lists are probably "
                "missing. Run `apt-get update` as root once, then build again."
                + (f"\napt-get said: {msg}" if msg else "")
            )
        raise SourceError(f"apt-get download {DEBIAN_PACKAGE} failed: {msg}")
    return deb


def deb_version(deb: Path) -> str:
    """The package version, read from the .deb itself."""
    out = subprocess.run(  # noqa: S603
        ["dpkg-deb", "--field", str(deb), "Version"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def extract_gpkg(deb: Path, cache: Path) -> Path:
    """Extract only world_map.gpkg from the .deb (``dpkg-deb --fsys-tarfile | tar -x``)."""
    target = cache / GPKG_MEMBER
    if target.exists() and sha256_of(target) == GPKG_SHA256:
        return target
    if shutil.which("dpkg-deb") is None or shutil.which("tar") is None:
        raise SourceError("dpkg-deb and tar are needed to unpack the qgis-common package")
    dpkg = subprocess.Popen(  # noqa: S603
        ["dpkg-deb", "--fsys-tarfile", str(deb)],  # noqa: S607
        stdout=subprocess.PIPE,
    )
    tar = subprocess.run(  # noqa: S603
        ["tar", "-x", "-f", "-", "-C", str(cache), GPKG_MEMBER],  # noqa: S607
        stdin=dpkg.stdout,
        capture_output=True,
        text=True,
        check=False,
    )
    assert dpkg.stdout is not None
    dpkg.stdout.close()
    if dpkg.wait() != 0 or tar.returncode != 0:
        raise SourceError(f"could not extract {GPKG_MEMBER} from {deb.name}: {tar.stderr.strip()}")
    return target


def obtain_gpkg(cache: Path) -> tuple[Path, str]:
    """Return (path to the verified gpkg, qgis-common version)."""
    cache = cache.resolve()
    deb = download_deb(cache)
    gpkg = extract_gpkg(deb, cache)
    digest = sha256_of(gpkg)
    if digest != GPKG_SHA256:
        raise SourceError(
            f"{gpkg} has sha256 {digest}, expected {GPKG_SHA256}: this qgis-common "
            f"({deb.name}) does not carry the Natural Earth v4.1.0 data the build was made for"
        )
    return gpkg, deb_version(deb)
